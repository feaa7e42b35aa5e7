"""What the self-governance records share: `Comment`, the one abstract base of anything comment-like (a
resident's comment on a hearing or on a draft convention, a party's position in a negotiation session): who
wrote it (or recorded it), the text, when. A subclass adds the record it belongs to and its `scope_path`, and
may override `text` (its label and length)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]
