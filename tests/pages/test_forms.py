"""grassroots/forms.py: the project's form renderer gives every form Bootstrap 5 and errors at the field."""

from django import forms

from grassroots.areas.models import Area


class _Form(forms.Form):
    name = forms.CharField(label="名称", help_text="最多十个字")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲")])
    agreed = forms.BooleanField(label="同意", required=False)
    tags = forms.MultipleChoiceField(
        label="标签", required=False, choices=[("x", "一"), ("y", "二")], widget=forms.CheckboxSelectMultiple
    )
    big = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"class": "form-control form-control-lg"})
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def test_each_widget_gets_its_bootstrap_class():
    html = str(_Form())
    assert 'class="form-control" id="id_name"' in html
    assert 'class="form-select" id="id_kind"' in html
    assert 'class="form-check-input" id="id_agreed"' in html
    assert html.count('class="form-check-input"') == 3  # the checkbox and both boxes of the list
    assert 'class="form-control form-control-lg" id="id_big"' in html  # its own class kept, none added
    assert '<input type="hidden" name="token" id="id_token">' in html
    assert '<div class="form-text" id="id_name_helptext">最多十个字</div>' in html


def test_errors_show_at_the_field_in_chinese():
    form = _Form({"kind": "b"})
    assert not form.is_valid()
    html = str(form)
    assert 'class="form-control is-invalid" id="id_name"' in html
    error = '<div id="id_name_error"><div class="invalid-feedback d-block">该字段是必填项。</div></div>'
    assert error in html
    assert 'class="form-select is-invalid" id="id_kind"' in html
    assert "选择一个有效的选项。 b 不在可用的选项中。" in html
    assert "is-invalid" not in str(form["agreed"])


def test_a_form_may_ask_for_small_controls():
    class Small(_Form):
        control_size = "sm"

    html = str(Small())
    assert 'class="form-control form-control-sm" id="id_name"' in html
    assert 'class="form-select form-select-sm" id="id_kind"' in html
    assert 'class="form-check-input" id="id_agreed"' in html


def _render(text: str, **context) -> str:
    from django.template import Context, Template

    return Template(text).render(Context(context))


def test_a_compact_field_has_a_small_label_and_its_errors_at_the_field():
    form = _Form({"kind": "a"})
    assert not form.is_valid()
    html = _render('{% include "forms/field.html" with field=form.name compact=True %}', form=form)
    assert '<label class="form-label small mb-1" for="id_name">' in html
    assert 'class="mb-3"' not in html  # the grid's gutter spaces compact fields
    assert (
        '<div id="id_name_error"><div class="invalid-feedback d-block">该字段是必填项。</div></div>' in html
    )


def test_the_errors_part_renders_as_in_the_field_template():
    form = _Form({"kind": "a"})
    assert not form.is_valid()
    alone = _render('{% include "forms/errors.html" with field=form.name %}', form=form)
    assert (
        alone == '<div id="id_name_error"><div class="invalid-feedback d-block">该字段是必填项。</div></div>'
    )
    assert alone in str(form["name"].as_field_group())
    assert _render('{% include "forms/errors.html" with field=form.kind %}', form=form) == ""


def test_radio_buttons_may_sit_side_by_side():
    class Choice(forms.Form):
        pick = forms.ChoiceField(
            label="意见", choices=[("y", "同意"), ("n", "不同意")], widget=forms.RadioSelect
        )

    html = _render('{% include "forms/field.html" with field=form.pick inline=True %}', form=Choice())
    assert '<div class="d-flex flex-wrap column-gap-3"><div class="form-check">' in html


def test_a_search_select_has_its_search_box_and_stays_a_select():
    from grassroots.forms import SearchSelect

    class Picker(forms.Form):
        area = forms.ChoiceField(
            label="区域",
            choices=[("", "---------"), ("1", "桥楼社区")],
            widget=SearchSelect(search_url="/options/", placeholder="查找", search_label="查找区域"),
        )

    html = str(Picker({"area": ""})["area"].as_field_group())
    assert 'hx-get="/options/"' in html and 'hx-target="#id_area"' in html and 'aria-label="查找区域"' in html
    assert 'class="form-select is-invalid" id="id_area"' in html
    assert '<option value="1">桥楼社区</option>' in html
    assert 'id="id_area_error"' in html


def test_no_template_loops_over_a_fields_errors_by_hand():
    """Errors sit at their field the same way everywhere: through templates/forms/field.html (or its
    errors part, templates/forms/errors.html), never through a loop of a page's own."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    loop = re.compile(r"\{%\s*for \w+ in [\w.]+\.errors\s*%\}|\{\{\s*[\w.]+\.errors\s*[}|]")
    found = {
        str(path.relative_to(root))
        for path in (root / "grassroots").rglob("*.html")
        if "forms" not in path.relative_to(root / "grassroots").parts[-2:-1] and loop.search(path.read_text())
    }
    assert not found, sorted(found)


def test_an_empty_choice_reads_please_choose_in_every_select():
    """Django's "---------" (a model field's blank choice, ModelChoiceField's empty_label, a form's own
    ("", "---------")) reads "请选择…" through the project's renderer."""

    class Choosing(forms.Form):
        written = forms.ChoiceField(label="甲", choices=[("", "---------"), ("1", "一")])
        model = forms.ModelChoiceField(label="乙", queryset=Area.objects.none())

    html = str(Choosing())
    assert html.count('<option value="" selected>请选择…</option>') == 2 and "---------" not in html
