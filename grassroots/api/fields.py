"""Serializer fields that accept only records inside the requesting user's scope."""

from rest_framework import serializers

from grassroots.accounts.scoping import scoped


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must name a record in the user's scope for `permission`. A record outside the
    scope is answered exactly like a missing one ("对象不存在"), so the API never reveals that it exists.

    Pass `scope=callable(user) -> queryset` instead of `permission` when the model scopes differently
    (e.g. users)."""

    def __init__(self, *, permission: str | None = None, scope=None, **kwargs):
        if (permission is None) == (scope is None):
            raise TypeError("give exactly one of permission= or scope=")
        self.permission = permission
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if self.scope is not None:
            return self.scope(user)
        return scoped(super().get_queryset(), user, self.permission)
