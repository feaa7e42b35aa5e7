"""The project's renderer writes Django's select in Python (grassroots/forms.py, issue 19): the same HTML as
Django's templates, option for option, escaping included."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

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
