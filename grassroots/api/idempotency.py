"""The `Idempotency-Key` request header: the API's form of the submission token (portal/submissions.py,
docs/api.md "Repeated posts", docs/decisions.md "Idempotency-Key").

A `POST` that creates a record of a tokened model (one with a `submission` field and `one_per_submission`)
may carry `Idempotency-Key: <key>`; the key is the body's `submission`, so the service's `create_once` answers
a repeat by the same user with the record the first post made (201 both times, the same record). One rule for
every such endpoint, applied by `ScopedViewSetMixin` (api/scoping.py) and shown in the OpenAPI schema by
`KeyedAutoSchema`; no viewset handles the header itself.

- The key: 8 to 64 characters of `A–Z a–z 0–9 - _ . : ~` (a UUID, a ULID, `secrets.token_urlsafe`); anything
  else is a 400 naming the header.
- Header and body: when both are sent they must be the same key (else 400 at `submission`): a client that
  sends two different keys has a bug, and guessing which one it meant could write twice or hide a record.
- Where: only on a create (`POST` to the list) of a tokened model, or on a POST action a viewset names in
  `keyed_actions` because it writes a tokened record (`POST /api/store-items/{id}/restock/`, a line of the
  stock ledger); on any other request the header is a 400, so a client never believes that a write without
  this protection is protected.
- Whose: the key is looked up among the records of the caller only (the author field of each model's
  `one_per_submission`), so another user's key finds nothing and creates the caller's own record.
"""

from __future__ import annotations

import re

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from grassroots.portal.submissions import API_HELP, MAX_LENGTH

HEADER = "Idempotency-Key"
FIELD = "submission"
PATTERN = r"^[A-Za-z0-9._~:-]{8,64}$"
_PATTERN = re.compile(PATTERN)
DESCRIPTION = gettext_lazy(
    "可选的幂等键（8–64 个字母、数字或 -_.:~，如一个 UUID）：同一用户以同一键重复提交时，返回第一次新建的"
    "记录（同为 201），不会重复登记；键只在本人的记录中查找。与请求体的 submission 同时发送时须一致。"
)


def tokened(view) -> bool:
    """The view creates records of a model that keeps a submission token."""
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else view.get_queryset().model
    return any(field.name == FIELD for field in model._meta.concrete_fields)


def takes_key(view, method: str) -> bool:
    """A create of a tokened model by a viewset that applies the header (the schema shows it there only), or
    one of the viewset's `keyed_actions`: a POST action on a record that writes a tokened record of another
    model (入库 on a good writes a line of the stock ledger)."""
    if method != "POST" or not isinstance(view, IdempotencyKeyMixin):
        return False
    action = getattr(view, "action", None)
    return (action == "create" and tokened(view)) or action in getattr(view, "keyed_actions", ())


def key_of(request, view) -> str:
    """The request's key ("" when it sends none); a 400 naming the header when it is malformed or sent where
    it means nothing."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return ""
    key = raw.strip()
    if not _PATTERN.fullmatch(key):
        message = _("Idempotency-Key 须为 8 至 64 个字母、数字或 -_.:~ 字符（如一个 UUID）。")
        raise ValidationError({HEADER: [message]})
    if not takes_key(view, request.method):
        message = _("该接口不接受 Idempotency-Key：只有新建记录的 POST 接口（接口文档列出该请求头）接受它。")
        raise ValidationError({HEADER: [message]})
    return key


def with_key(data, key: str, fields) -> object:
    """`data` (the request's body) with the key as its `submission`; a 400 at `submission` when the body
    names another."""
    if not key or not hasattr(data, "get"):  # a body that is not an object: the serializer refuses it (400)
        return data
    if FIELD not in fields:  # a tokened model's create whose input forgot the token: never silently ignored
        raise ValidationError({HEADER: [_("该接口暂不支持 Idempotency-Key。")]})
    sent = data.get(FIELD)
    if sent not in (None, "") and sent != key:
        raise ValidationError({FIELD: [_("请求体的 submission 与请求头 Idempotency-Key 不一致。")]})
    if isinstance(data, QueryDict):  # a form or multipart body: copied by its lists, files not deep-copied
        keyed = QueryDict(mutable=True)
        for name, values in data.lists():
            keyed.setlist(name, values)
        keyed[FIELD] = key
        return keyed
    return {**data, FIELD: key}


class IdempotencyKeyMixin:
    """The header for a viewset: checked once the caller is signed in and allowed (a stranger learns nothing),
    then given to the input serializer as `submission` — by `input_of` (ScopedViewSetMixin) and by
    `get_serializer(data=…)` (CreateModelMixin's create), or by `keyed()` where a viewset reads its body
    itself. Every viewset creating records of a tokened model has it (tests/api/test_idempotency_key.py)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.idempotency_key = key_of(request, self)

    def keyed(self, data, serializer_class, context: dict):
        """The body with the `Idempotency-Key` header as its `submission`."""
        key = getattr(self, "idempotency_key", "")
        if not key:
            return data
        return with_key(data, key, serializer_class(context=context).fields)

    def get_serializer(self, *args, **kwargs):
        if "data" in kwargs:
            kwargs["data"] = self.keyed(
                kwargs["data"], self.get_serializer_class(), self.get_serializer_context()
            )
        return super().get_serializer(*args, **kwargs)


class KeyedAutoSchema(AutoSchema):
    """drf-spectacular's schema with the `Idempotency-Key` header on every create of a tokened model."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if takes_key(self.view, self.method):
            header = OpenApiParameter(
                HEADER, str, OpenApiParameter.HEADER, required=False, description=DESCRIPTION, pattern=PATTERN
            )
            parameters = [*parameters, header]
        return parameters


def submission_input() -> serializers.CharField:
    """The body's `submission` of a tokened create's input (the header's value when the header is sent)."""
    return serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP, write_only=True
    )
