"""grassroots/forms.py: the project's form renderer gives every form Bootstrap 5 and errors at the field."""

from django import forms


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
