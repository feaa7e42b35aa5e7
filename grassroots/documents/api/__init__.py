"""`/api/documents/` (standards and handbooks: every step of the pages, through the same services) and
`/api/document-items/` (the items of the standards in force a user reads: what findings and assessment items
cite). Scoped like the pages: a document outside the caller's view answers 404."""

from grassroots.documents.api.documents import DocumentViewSet
from grassroots.documents.api.items import DocumentItemViewSet

__all__ = ["DocumentItemViewSet", "DocumentViewSet", "register"]


def register(router) -> None:
    router.register("documents", DocumentViewSet, basename="document")
    router.register("document-items", DocumentItemViewSet, basename="document-item")
