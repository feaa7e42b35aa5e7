"""Retention of residents' opinions and of matter ratings' comments (docs/selfgov.md, docs/decisions.md
"Retention of business records"), the steps of grassroots/privacy/retention.py:

- `selfgov.forget_opinions`: SELFGOV_OPINIONS_RETENTION_YEARS after an opinion was submitted, once decided
  (grouped into a matter or not adopted), its text, place and position become the placeholder, its photos
  and the list of who supported it go. The opinion stays as the community's record — category, courtyard,
  channel, state, the matter it went into, the reason it was not adopted, the support count — and its
  author link moves to a pseudonym account (privacy/pseudonym.py `move_rows_to_pseudonyms`), so it no
  longer names the person. An opinion still being collected is kept whole.
- `selfgov.forget_rating_comments`: as long after a rating round closed, the residents' comments on the
  matter's execution are blanked (the field a deletion request blanks) and each rating's resident becomes a
  pseudonym account (one per resident, so "one rating per resident and round" still holds); the levels and
  the round's counts and result stay."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.privacy import retention


def _opinion_erased() -> dict:
    return {"text": retention.erased_text(), "place": "", "latitude": None, "longitude": None}


def _opinions_due(cutoff: dt.date):
    from grassroots.selfgov.models import Opinion, OpinionState

    return Opinion.objects.filter(
        state__in=(OpinionState.GROUPED, OpinionState.REJECTED), created_at__lt=retention.start_of(cutoff)
    ).exclude(Q(text=retention.erased_text()) & retention.unlinked("author"))


def _photos_and_supports(opinions: list) -> None:
    from grassroots.selfgov.models import OpinionPhoto, Support

    Support.objects.filter(opinion__in=opinions).delete()
    photos = list(OpinionPhoto.objects.filter(opinion__in=opinions))
    names = [photo.image.name for photo in photos if photo.image]
    OpinionPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    if names:
        storage = OpinionPhoto._meta.get_field("image").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


OPINIONS = retention.Rule(
    setting="SELFGOV_OPINIONS_RETENTION_YEARS",
    label=_("居民意见保存期限"),
    what=_("居民意见超过保存期限：意见内容、位置、照片和附议人删除，提出人去标识化 %(count)s 条"),
    due=_opinions_due,
    erased=_opinion_erased,
    extra=_photos_and_supports,
    links=("author",),
)


def _comments_due(cutoff: dt.date):
    from grassroots.selfgov.models import Rating

    return Rating.objects.filter(
        evaluation__closed_at__lt=retention.start_of(cutoff), evaluation__closed_at__isnull=False
    ).exclude(Q(comment="") & retention.unlinked("user"))


RATING_COMMENTS = retention.Rule(
    setting="SELFGOV_OPINIONS_RETENTION_YEARS",
    label=_("民生事项评议意见保存期限"),
    what=_("民生事项评议超过保存期限：评议意见删除，评议人去标识化 %(count)s 条"),
    due=_comments_due,
    erased=lambda: {"comment": ""},
    links=("user",),
)


def forget_opinions(*, now: dt.datetime | None = None) -> dict:
    return retention.run(OPINIONS, now=now)


def forget_rating_comments(*, now: dt.datetime | None = None) -> dict:
    return retention.run(RATING_COMMENTS, now=now)
