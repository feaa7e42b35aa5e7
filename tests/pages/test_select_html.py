"""The project's renderer writes Django's select, and the boxes and radio buttons of a choice field, in Python
(grassroots/forms.py, issue 19): the same HTML as Django's templates, option for option, escaping included."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test.signals import template_rendered

from grassroots.forms import FormRenderer

CHOICES = [
    ("", "全部区域"),
    (1, "东大街社区（社区）"),
    ("组", [(2, 'a "quoted" <b>name</b> & more'), (3, "第三")]),
]


class Filters(forms.Form):
    area = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    typed = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int, required=False)


@pytest.mark.parametrize("data", [{}, {"area": "2", "many": ["1", "3"], "typed": "2"}])
def test_a_select_renders_as_djangos_templates_render_it(data):
    form = Filters(data or None)
    for name, field in form.fields.items():
        value = form[name].value()
        ours = field.widget.render(name, value, attrs={"id": name}, renderer=FormRenderer())
        djangos = field.widget.render(name, value, attrs={"id": name}, renderer=TemplatesSetting())
        assert ours == djangos, name
    assert "&lt;b&gt;" in str(form["area"])


class Boxes(forms.Form):
    boxes = forms.MultipleChoiceField(
        choices=[(1, "一"), ('x"y', 'a "quoted" <b>name</b> & more'), (3, 3)],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input", "data-x": "<&>"}),
        required=False,
    )
    radios = forms.ChoiceField(
        choices=[("", "不限"), ("true", "是"), ("false", "否")], widget=forms.RadioSelect, required=False
    )
    no_id = forms.MultipleChoiceField(
        choices=[(1, "一")], widget=forms.CheckboxSelectMultiple, required=False
    )


class DjangosTemplates(TemplatesSetting):
    """Django's templates for every widget, with the project's bound field (its Bootstrap classes)."""

    bound_field_class = FormRenderer.bound_field_class


@pytest.mark.parametrize("data", [{}, {"boxes": ["1", 'x"y'], "radios": "true", "no_id": ["1"]}])
def test_boxes_and_radio_buttons_render_as_djangos_templates_render_them(data):
    ours = Boxes(data or None, renderer=FormRenderer())
    djangos = Boxes(data or None, renderer=DjangosTemplates())
    ours_no_id = Boxes(data or None, renderer=FormRenderer(), auto_id=False)
    djangos_no_id = Boxes(data or None, renderer=DjangosTemplates(), auto_id=False)
    for name in ours.fields:
        # the whole widget (each option's template inside multiple_input.html), and each option as
        # templates/forms/field.html writes it: `{{ choice.tag }}`, and `{{ choice }}` (the label around it)
        assert str(ours[name]) == str(djangos[name]), name
        assert str(ours_no_id[name]) == str(djangos_no_id[name]), name
        pairs = zip([*ours[name], *ours_no_id[name]], [*djangos[name], *djangos_no_id[name]], strict=True)
        for mine, theirs in pairs:
            assert mine.tag() == theirs.tag()
            assert str(mine) == str(theirs)
    assert 'value="x&quot;y"' in str(ours["boxes"]) and "&lt;b&gt;" in str(ours["boxes"])


def test_a_box_is_written_without_djangos_templates():
    """The point of writing it in Python: no template per box (three includes each in Django's)."""
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = [choice.tag() for choice in Boxes(renderer=FormRenderer())["boxes"]]
    finally:
        template_rendered.disconnect(record)
    assert len(html) == 3 and rendered == []
