"""One rule against double submission for records that have no natural key (docs/decisions.md, "Double
submission"): the form carries a random token (`SubmissionField`), the record keeps it (`submission`), a
conditional unique constraint holds one record per author and token (`one_per_submission`), and
`create_once` answers a repeat — a double click, the same moment from another thread, or later — with the
record that token already made. API clients may send their own token in `submission` or as the
`Idempotency-Key` header (api/idempotency.py); without one, every post creates. Notices, care visits,
contact attempts and most creates use it (tests/security/test_submission_tokens.py lists them); study records
have a natural key instead."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 64
API_HELP = _("可选的提交标识（客户端生成的随机串）：同一标识重复提交时返回已建的那条记录，不会重复登记")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def submission_field() -> models.CharField:
    """The model field keeping the token of the form that created the record."""
    return models.CharField(_("提交标识"), max_length=MAX_LENGTH, blank=True, editable=False)


def one_per_submission(author_field: str, name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[author_field, "submission"], condition=~models.Q(submission=""), name=name
    )


class SubmissionField(forms.CharField):
    """A hidden form field holding a new token for each form shown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", new_token)
        super().__init__(widget=forms.HiddenInput, required=False, max_length=MAX_LENGTH, **kwargs)


M = TypeVar("M", bound=models.Model)


def create_once(model: type[M], *, submission: str, create: Callable[[str], M], **author) -> M:
    """`create(submission)` inside a savepoint, unless `author`'s record with this token exists: then that
    one (also when a concurrent twin committed it first)."""
    submission = (submission or "")[:MAX_LENGTH]
    if submission:
        existing = model.objects.filter(submission=submission, **author).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return create(submission)
    except IntegrityError:
        if not submission:
            raise
        return model.objects.get(submission=submission, **author)  # the twin post's, committed
