"""Stored names reveal nothing: `<prefix>/<year>/<month>/<random token><.ext>`. No counters, no record ids,
no original names (a model keeps the original name in its own field when a download needs it)."""

from __future__ import annotations

import re
import secrets

from django.utils import timezone
from django.utils.deconstruct import deconstructible

_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}$")


def random_name(prefix: str, filename: str = "") -> str:
    """A fresh unguessable name under `prefix`, keeping only a short, plain extension of `filename`."""
    match = _SUFFIX.search((filename or "").lower())
    suffix = match.group(0) if match else ""
    return f"{prefix.strip('/')}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{suffix}"


@deconstructible
class RandomName:
    """`upload_to=RandomName("imports")`: a random name under imports/<year>/<month>/."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.prefix, filename)

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)
