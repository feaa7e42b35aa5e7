"""What the coverage API modules share."""

from __future__ import annotations

from rest_framework import viewsets

from grassroots.accounts.scoping import scoped
from grassroots.core.coverage.models import Entity
from grassroots.core.coverage.selectors import orgs_for

VIEW, CHANGE = "coverage.view", "coverage.change"


def visible_entities(user):
    return scoped(Entity.objects.all(), user, VIEW)


def visible_orgs(user):
    return orgs_for(user)


class ServicesDecide:
    """For viewsets whose writes on a record are decided by the services (`coverage.change` on the area the
    service names, or an instructor's own visit): no check of `change_permission` before them."""

    def check_object_permissions(self, request, obj):
        viewsets.GenericViewSet.check_object_permissions(self, request, obj)
