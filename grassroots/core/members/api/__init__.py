"""The members API: one module per concern, each with its own `register(router)`; this package's
`register` (found by grassroots/api/urls.py) calls them all."""

from grassroots.core.members.api import members, precisions, record_forms


def register(router) -> None:
    members.register(router)
    precisions.register(router)
    record_forms.register(router)
