from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TransitionForm(forms.Form):
    """What the generic transition view accepts beside the transition's name."""

    comment = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea)
    attachments = MultipleFileField(label=_("附件"), required=False)
