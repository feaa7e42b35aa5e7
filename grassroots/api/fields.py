"""Serializer fields that accept only records inside the requesting user's scope."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from grassroots.access.scoping import scoped
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.models import Area, PartyOrg

# What makes a record of these models visible, whatever the field needs to act on it.
_SEEN_WITH = {Area: "areas.view", PartyOrg: "party_orgs.view"}


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must name a record in the user's scope for `permission`.

    - A record the user cannot even see is answered exactly like a missing one (400 "对象不存在"), so the API
      never reveals that it exists.
    - A record the user sees but may not act on for this field (e.g. a branch seen through "party_orgs.view"
      when "members.change" is needed there) is a refusal: 403 saying what is missing ("您没有在“第一网格党
      支部”维护党员信息的权限。"). What "seen" means: `visible=callable(user) -> queryset`, by default
      "areas.view" for areas and "party_orgs.view" for Party organizations (other models: no 403, only 400).

    Pass `scope=callable(user) -> queryset` instead of `permission` when the model scopes differently
    (e.g. users); `needs="<permission>"` then names what is missing in the 403 (without it such a field
    answers 400 only)."""

    def __init__(
        self, *, permission: str | None = None, scope=None, needs: str | None = None, visible=None, **kwargs
    ):
        if (permission is None) == (scope is None):
            raise TypeError("give exactly one of permission= or scope=")
        self.permission = permission
        self.scope = scope
        self.needs = needs or permission
        self.visible = visible
        super().__init__(**kwargs)

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_queryset(self):
        user = self._user()
        if self.scope is not None:
            return self.scope(user)
        return scoped(super().get_queryset(), user, self.permission)

    def _visible(self):
        """The records the user can see among those this field could name (None: no 403 for this field)."""
        if self.visible is not None:
            return self.visible(self._user())
        model = self.queryset.model if self.queryset is not None else None
        permission = _SEEN_WITH.get(model)
        if permission is None or self.needs is None or permission == self.needs:
            return None
        return scoped(self.queryset.all(), self._user(), permission)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            record = None
            visible = self._visible()
            if visible is not None and not isinstance(data, bool):
                try:
                    record = visible.get(pk=data)
                except (ObjectDoesNotExist, TypeError, ValueError):
                    record = None
            if record is None:
                raise
        raise PermissionDenied(missing_permission_message(self.needs, record))


@extend_schema_field(OpenApiTypes.INT)
class ChoiceOfRecordField(serializers.PrimaryKeyRelatedField):
    """A primary key among the records `choices(context)` gives: choices that depend on the record the request
    is about, which the view puts in the serializer's context (`self.input_of(Input, report=report)`) — the
    members on a report's attendance list, the entities an instructor is assigned to. Any other id reads as
    missing (400 "对象不存在"), as on the page, whose form offers only these."""

    def __init__(self, *, choices, **kwargs):
        self.choices_of = choices
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.choices_of(self.context)
