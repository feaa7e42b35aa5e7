"""The project's form renderer (settings.FORM_RENDERER): Bootstrap 5 on every form without a line in the
form classes. Each widget rendered through a bound field gets its Bootstrap class (form-control, form-select
or form-check-input, plus is-invalid when the field has errors); `{{ form }}` and `{{ field.as_field_group }}`
render templates/forms/form.html and templates/forms/field.html (label, widget, help, the errors at the
field). A form whose controls should be small sets `control_size = "sm"`. `SearchSelect`: a select with a
search box above it that fetches its options (htmx), so that a long list needs no hand-written field.
`RowFormSet`: the rows of a formset added and removed freely, blank rows ignored. A select's empty choice
reads "请选择…" (EMPTY_LABEL), not "---------". `submitted`: the one step of a page's form — a valid form's
data to the service and the redirect on success; a service's refusal (`refused`: ValidationError at its
fields, PermissionDenied at the top) back on the form, and the page shows it again."""

from __future__ import annotations

import html
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.boundfield import BoundField
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.forms.renderers import TemplatesSetting
from django.shortcuts import redirect
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from grassroots.ids import MAX_ID
from grassroots.pages import attach_errors

# what a select shows for "nothing chosen", instead of Django's "---------" (BLANK_CHOICE_DASH, the
# default empty_label of model choice fields and django-filter's empty choice)
EMPTY_LABEL = gettext_lazy("请选择…")
_DASHES = "---------"

# classes that already pick a Bootstrap control: the widget keeps them and gets no other
_CONTROL_CLASSES = {"form-control", "form-select", "form-check-input", "btn-check", "form-range"}


def control_class(widget: forms.Widget) -> str:
    """The Bootstrap 5 class of a widget ("" for hidden ones)."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # CheckboxSelectMultiple too
        return "form-check-input"
    if isinstance(widget, forms.Select):  # SelectMultiple, NullBooleanSelect too
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [*widget.attrs.get("class", "").split(), *attrs.get("class", "").split()]
        css = control_class(widget)
        if css and not _CONTROL_CLASSES.intersection(classes):
            classes.append(css)
            if getattr(self.form, "control_size", None) and css != "form-check-input":
                classes.append(f"{css}-{self.form.control_size}")
        if css and self.errors:
            classes.append("is-invalid")
        if classes:
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class SearchSelect(forms.Select):
    """A select of a few options and, above it, a search box whose input fetches other <option>s from
    `search_url` (htmx, into the select): the grant forms' area picker. Rendered by
    templates/forms/widgets/search_select.html, inside the field template like any widget."""

    template_name = "forms/widgets/search_select.html"

    def __init__(self, *, search_url, placeholder, search_label, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.search_url, self.placeholder, self.search_label = search_url, placeholder, search_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            search_url=str(self.search_url), placeholder=self.placeholder, search_label=self.search_label
        )
        return context


class RowFormSet(forms.BaseFormSet):
    """A formset whose rows are added and removed freely, without a script: a posted `add_row` re-renders
    the rows with a blank one more, `remove_row=<index>` without that row (`rearranged`); a row whose fields
    are all blank (`blank_ignores` names fields that always carry a value, such as a select with no empty
    choice) is ignored like a deleted one and shows no error. `kept_forms`: the rows to save, in order.
    Use with `formset_factory(Form, formset=RowFormSet, can_delete=True, ...)`."""

    blank_ignores: tuple[str, ...] = ()

    def is_blank(self, form) -> bool:
        for name in form.fields:
            if name in (DELETION_FIELD_NAME, ORDERING_FIELD_NAME) or name in self.blank_ignores:
                continue
            value = form[name].data
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, "", [], ()):
                return False
        return True

    def _should_delete_form(self, form):
        return super()._should_delete_form(form) or (self.is_bound and self.is_blank(form))

    def full_clean(self):
        super().full_clean()
        for form in self.forms if self.is_bound else ():
            if self.is_blank(form):
                form._errors.clear()  # an ignored row says nothing

    @property
    def kept_forms(self) -> list:
        """The valid formset's rows that are neither blank nor marked for deletion."""
        return [form for form in self.forms if not self._should_delete_form(form)]

    @classmethod
    def rearranged(cls, data, *, prefix, **kwargs):
        """None unless `data` asks for a row more (`add_row`) or less (`remove_row=<index>`); then an unbound
        formset showing the posted rows (the removed one and those marked for deletion left out) and, when
        adding, one blank row more — a re-rendered page without errors, nothing saved."""
        if data is None or ("add_row" not in data and "remove_row" not in data):
            return None
        posted = cls(data, prefix=prefix, **kwargs)
        removed = data.get("remove_row")
        rows = [
            {name: form[name].data for name in form.fields if name != DELETION_FIELD_NAME}
            for index, form in enumerate(posted.forms)
            if str(index) != removed and not (posted.can_delete and form[DELETION_FIELD_NAME].data)
        ]
        formset = cls(prefix=prefix, initial=rows[: cls.max_num], **kwargs)
        formset.extra = 1 if "add_row" in data else 0
        return formset


class FormRenderer(TemplatesSetting):
    """The project's templates (TEMPLATES), so templates/forms/ is found next to Django's own."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField

    def render(self, template_name, context, request=None):
        """A select's empty choice "---------" reads EMPTY_LABEL (请选择…), whoever wrote the dashes: one
        place for every form, model form and filter. Django's own select is written here in Python (the
        same HTML as its templates): its templates include one template per option, which made a filter of
        300 areas cost tens of milliseconds (issue 19)."""
        for _group, options, _index in context.get("widget", {}).get("optgroups", ()):
            for option in options:
                if option.get("label") == _DASHES:
                    option["label"] = EMPTY_LABEL
        if template_name == _SELECT and _plain_options(context["widget"]):
            return _select_html(context["widget"])
        if template_name in _CHOICE_INPUTS:
            return _input_option_html(context["widget"])
        return super().render(template_name, context, request)


_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
# A box or a radio button of a choice field (`{{ choice.tag }}` in templates/forms/field.html): Django's
# templates include input_option.html, input.html and attrs.html for each (~700 function calls a box; the
# member list's filter has 28 boxes: ~20,000 calls, a third of the page above the floor at the city).
_CHOICE_INPUTS = {"django/forms/widgets/checkbox_option.html", "django/forms/widgets/radio_option.html"}


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    if not attrs:  # most options of a select
        return ""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _plain_options(widget: dict) -> bool:
    return all(o.get("template_name") == _OPTION for _g, options, _i in widget["optgroups"] for o in options)


def _text_html(text) -> str:
    """`conditional_escape(text)`: the HTML of a safe string as it is, any other text escaped."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


def _select_html(widget: dict) -> SafeString:
    """django/forms/widgets/select.html with its options, in Python."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        # html.escape is what Django's escape() does (without marking the result safe): an option costs a few
        # calls, not forty — at the city the member list's two selects hold 600 options (issue 19)
        parts.extend(
            f'\n  <option value="{html.escape(str(o["value"]))}"{_attrs_html(o["attrs"])}>'
            f"{_text_html(o['label'])}</option>\n"
            for o in options
        )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped


def _input_option_html(widget: dict) -> SafeString:
    """django/forms/widgets/input_option.html with input.html, in Python: the box (or radio button), inside
    its label when `wrap_label`."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    tag = (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs_html(widget['attrs'])}>"
    )
    if widget.get("wrap_label"):
        label_id = widget["attrs"].get("id")
        label_for = f' for="{conditional_escape(localize(label_id))}"' if label_id else ""
        # input.html ends with a line break, which stays inside the label (the renderer strips only the ends)
        tag = f"<label{label_for}>{tag}\n {conditional_escape(localize(widget['label']))}</label>"
    return mark_safe(tag)  # every value above is escaped


def refused(form, exc) -> None:
    """A service's refusal on the form: a PermissionDenied at the top, a ValidationError at its fields."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or None)
    else:
        attach_errors(form, exc)


def submitted(form, act: Callable[[dict], object], to=None, *, request=None, message=None):
    """`act(form.cleaned_data)` when the form is valid, then a redirect to `to` (a URL, a view name, a record,
    or a callable given what `act` returned and answering one of these; by default what `act` returned), with
    `message` (a text, or a callable given what `act` returned) as the request's success message. None when
    the form is invalid or the service refused: render the page again with `form`."""
    if not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refused(form, exc)
        return None
    if message is not None:
        messages.success(request, message(result) if callable(message) else message)
    return redirect(result if to is None else to(result) if callable(to) else to)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records by id, each id refused as invalid (an error at the field; a 400 on an API
    filter) when it is past MAX_ID (`grassroots.ids`), before the `__in` query that would raise OverflowError
    on SQLite (`?tag=9223372036854775808`, a posted community of the bulk allot): every page form's and API
    filter's choice of several records is one."""

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = not 1 <= int(str(pk)) <= MAX_ID
            except (TypeError, ValueError):
                out_of_range = False  # not a number: Django's own check says so
            if out_of_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
