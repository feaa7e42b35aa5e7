"""Fixtures of the documents' tests: documents made through the real services (street_a keeps 青江街道's)."""

from __future__ import annotations

import pytest

from grassroots.documents.models import Kind
from grassroots.documents.services import create_document, publish, save_draft

BODY = [
    {
        "number": "1",
        "title": "组织建设",
        "items": [
            {"number": "1.1", "text": "班子健全。"},
            {"number": "1.2", "text": "按期换届。", "link": "areas:tree"},
        ],
    },
    {"number": "2", "title": "组织生活", "items": [{"number": "2.1", "text": "每月主题党日。"}]},
]


@pytest.fixture
def make_doc(cast, tree):
    """make_doc(kind=..., area=..., body=..., published=True) → the document (its version 1 published)."""

    def make(*, kind=Kind.STANDARD, area=None, actor=None, body=BODY, published=True, title="青江标准"):
        actor = actor or cast.street_a
        draft = create_document(actor=actor, area=area or tree.street_a, kind=kind, title=title)
        save_draft(actor=actor, version=draft, body=body)
        if published:
            publish(actor=actor, version=draft)
        return draft.document

    return make
