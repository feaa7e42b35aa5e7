"""Form fields whose cleaned value is the checked file (files.checks): use them for every upload."""

from __future__ import annotations

from django import forms

from grassroots.files.checks import IMAGES, check_upload


class CheckedFileField(forms.FileField):
    """A file of one of the `allowed` kinds (checks.KINDS), at most `max_bytes`; images re-encoded."""

    def __init__(self, *, allowed: frozenset[str], max_bytes: int, **kwargs):
        self.allowed, self.max_bytes = frozenset(allowed), max_bytes
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not value or value is initial:
            return value
        return check_upload(value, allowed=self.allowed, max_bytes=self.max_bytes)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.allowed <= IMAGES:
            attrs.setdefault("accept", "image/*")
        elif self.allowed == frozenset({"xlsx"}):
            attrs.setdefault("accept", ".xlsx")
        return attrs
