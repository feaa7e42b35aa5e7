"""DRF glue for the one scoping function: every viewset's queryset goes through `scoped()`.

Contract (every part's `api.py` relies on it):
- set `view_permission`; rows outside the user's scope for it answer 404 (retrieve, update, delete alike);
- set `change_permission` for writable viewsets; a write on a visible row needs it on an area covering the
  row's area (`area_of(obj)`), else 403. For creation call `self.check_change(area)` yourself. Where the
  part's services decide who may write (not that permission), set `services_decide = True`;
- every viewset whose model is a workflow model gets `GET …/{id}/transitions/` and
  `POST …/{id}/transitions/{name}/` (`grassroots.api.transitions`): who may take a step is the workflow's
  rule, not `change_permission`;
- `scope_path` overrides the model's `scope_path` lookup; override `scope_queryset()` when a model is scoped
  some other way (users are: by their grants' areas or their home area);
- a write is `self.input_of(InputSerializer)` (the body validated: 400 on its fields) → the part's service →
  `self.answer(record)` (the record re-read through the scoped queryset, shown by `serializer_class`);
- a create of a tokened model (one with a `submission` field) takes the `Idempotency-Key` header as the
  body's `submission` (`grassroots.api.idempotency`): nothing to do in the viewset but declare `submission`
  in its input (API_HELP);
- a Django `ValidationError` raised by a service becomes a 400 with the same field messages ("__all__" as
  "non_field_errors"); Django's `PermissionDenied` a 403 with its message, `Http404` a plain 404 "未找到。"
  (which never names the model) — for every view, by the project's exception handler (`api/errors.py`).
"""

from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from grassroots.access.scoping import has_perm, scoped
from grassroots.accounts.roles import missing_permission_message
from grassroots.api.idempotency import IdempotencyKeyMixin
from grassroots.api.pagination import StandardPagination
from grassroots.api.transitions import TRANSITION_ACTIONS, WorkflowActionsMixin
from grassroots.areas.models import Area


class ScopedViewSetMixin(IdempotencyKeyMixin, WorkflowActionsMixin):
    """Set `view_permission` (and `change_permission` for writable viewsets).

    Reads see only rows in the user's scope (others answer 404). A write on a visible row needs
    `change_permission` on an area covering the row's area, else 403.
    """

    view_permission: str = ""
    change_permission: str | None = None
    # True where the part's services decide who may write a visible row (the branch's side, a named reviewer,
    # the target's officials…) rather than `change_permission` on its area: their refusal is the 403.
    services_decide: bool = False
    scope_path: str | None = None
    pagination_class = StandardPagination

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return queryset.none()
        return self.scope_queryset(queryset)

    def scope_queryset(self, queryset):
        if not self.view_permission:
            raise NotImplementedError(f"{type(self).__name__} must set view_permission")
        return scoped(queryset, self.request.user, self.view_permission, self.scope_path)

    def area_of(self, obj):
        """The area a row belongs to; override when the model reaches its area differently."""
        return obj if isinstance(obj, Area) else obj.area

    def check_change(self, area) -> None:
        """403 unless the user holds `change_permission` on an area covering `area`; the answer names what
        is missing."""
        if not self.change_permission or not has_perm(self.request.user, self.change_permission, area):
            raise PermissionDenied(missing_permission_message(self.change_permission, area))

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        writes = request.method not in ("GET", "HEAD", "OPTIONS") and self.action not in TRANSITION_ACTIONS
        if writes and not self.services_decide:
            self.check_change(self.area_of(obj))

    def input_of(self, serializer_class, *, partial: bool = False, **context) -> dict:
        """The request's body validated by `serializer_class` (400 on its fields; `partial`: only the fields
        sent) as keyword arguments for a service; `context` is added to the serializer's (e.g. the record a
        field's choices depend on)."""
        context = {**self.get_serializer_context(), **context}
        body = self.keyed(self.request.data, serializer_class, context)
        data = serializer_class(data=body, partial=partial, context=context)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def answer(self, record, code: int = status.HTTP_200_OK) -> Response:
        """`record` as the resource shows it (`serializer_class`), re-read through the scoped queryset so that
        its annotations and prefetches are there."""
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(
            type(self).serializer_class(fresh, context=self.get_serializer_context()).data, status=code
        )
