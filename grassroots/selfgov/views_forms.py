"""The one step every form of the self-governance pages takes: a valid form's data to the service, and the
redirect on success; a refusal (ValidationError, PermissionDenied) becomes the form's errors at their fields
(a refusal without a field at the top of the form), and the page shows the form again."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from grassroots.pages import attach_errors


def refused(form, exc) -> None:
    """A service's refusal on the form: a PermissionDenied at the top, a ValidationError at its fields."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or None)
    else:
        attach_errors(form, exc)


def submitted(form, act: Callable[[dict], object], to=None):
    """`act(form.cleaned_data)` when the form is valid, then a redirect to `to` (a URL, a view name or a
    record; by default what `act` returned). None when the form is invalid or the service refused: render
    the page again with `form`."""
    if not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refused(form, exc)
        return None
    return redirect(result if to is None else to)
