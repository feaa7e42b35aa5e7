"""What the coverage API modules share."""

from __future__ import annotations

from grassroots.access.scoping import scoped
from grassroots.core.coverage.models import Entity
from grassroots.core.coverage.selectors import orgs_for

VIEW, CHANGE = "coverage.view", "coverage.change"


def visible_entities(user):
    return scoped(Entity.objects.all(), user, VIEW)


def visible_orgs(user):
    return orgs_for(user)
