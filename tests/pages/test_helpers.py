"""grassroots.pages: the helpers every page view shares."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory

from grassroots.pages import attach_errors, paginate, year_param


class _Form(forms.Form):
    name = forms.CharField()


def _form():
    form = _Form({"name": "x"})
    assert form.is_valid()
    return form


def test_attach_errors_puts_named_fields_on_the_field_and_the_rest_on_the_form():
    form = _form()
    attach_errors(form, ValidationError({"name": "名称重复", "other": "未知字段", NON_FIELD_ERRORS: "整体"}))
    assert form.errors["name"] == ["名称重复"]
    assert form.non_field_errors() == ["未知字段", "整体"]
    form = _form()
    attach_errors(form, ValidationError("整体错误"))
    assert form.non_field_errors() == ["整体错误"] and "name" not in form.errors


def test_paginate_takes_the_page_and_falls_back_to_the_first_or_last():
    rows = list(range(45))
    get = RequestFactory().get
    assert list(paginate(get("/", {"page": 2}), rows)) == list(range(20, 40))
    assert paginate(get("/", {"page": "x"}), rows).number == 1
    assert paginate(get("/", {"page": 99}), rows).number == 3
    assert list(paginate(get("/", {"p": 2}), rows, 10, param="p")) == list(range(10, 20))


def test_year_param_accepts_2000_to_2100_else_this_year_or_none(today):
    get = RequestFactory().get
    assert year_param(get("/", {"year": "2024"})) == 2024
    assert year_param(RequestFactory().post("/", {"year": "2025"})) == 2025
    for bad in ("", "1999", "2101", "abc", "20x4"):
        assert year_param(get("/", {"year": bad})) == today.year
        assert year_param(get("/", {"year": bad}), default_current=False) is None
