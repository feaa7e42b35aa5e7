"""The project's form renderer (settings.FORM_RENDERER): Bootstrap 5 on every form without a line in the
form classes. Each widget rendered through a bound field gets its Bootstrap class (form-control, form-select
or form-check-input, plus is-invalid when the field has errors); `{{ form }}` and `{{ field.as_field_group }}`
render templates/forms/form.html and templates/forms/field.html (label, widget, help, the errors at the
field). A form whose controls should be small sets `control_size = "sm"`. `SearchSelect`: a select with a
search box above it that fetches its options (htmx), so that a long list needs no hand-written field."""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

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


class FormRenderer(TemplatesSetting):
    """The project's templates (TEMPLATES), so templates/forms/ is found next to Django's own."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField
