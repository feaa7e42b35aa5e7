"""The one response for a stored file. Call it only from a view that has decided, through the scoping
function, that the user may have the file's record: MEDIA_URL has no route, in any mode.

With FILES_ACCEL_REDIRECT set (e.g. "/protected-media/"), the app answers with an empty response carrying
`X-Accel-Redirect: /protected-media/<stored name>` and nginx sends the file from an `internal` location
(docs/operations.md); otherwise the app streams it with FileResponse.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from grassroots.files.checks import KINDS

INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"})


def content_type_of(stored_name: str) -> str:
    """By the stored name's extension, which the content check chose (not the uploader's name)."""
    suffix = "." + stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else ""
    for kind in KINDS.values():
        if suffix in kind.suffixes and len(kind.suffixes) == 1:
            return kind.content_type
    return mimetypes.guess_type(stored_name)[0] or "application/octet-stream"


def serve_file(fieldfile, *, filename: str, content_type: str | None = None, inline: bool | None = None):
    """A response sending `fieldfile` (a stored FieldFile) as `filename`. Inline only for images and PDF
    (when `inline` is not given); everything else is a download. 404 when there is no file."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    content_type = content_type or content_type_of(fieldfile.name)
    if inline is None:
        inline = content_type in INLINE_TYPES
    prefix = getattr(settings, "FILES_ACCEL_REDIRECT", "")
    if prefix:
        if not fieldfile.storage.exists(fieldfile.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(prefix.rstrip("/") + "/" + fieldfile.name)
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        try:
            handle = fieldfile.storage.open(fieldfile.name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
