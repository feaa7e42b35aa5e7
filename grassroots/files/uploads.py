"""The size limit of uploads, enforced while the upload streams.

`LimitedUploadHandler` is first in FILE_UPLOAD_HANDLERS. It counts the bytes of each file as they arrive
and, past the limit, stops reading the request at once (`StopUpload(connection_reset=True)`: the rest is
never read, let alone stored). The refused file is replaced in `request.FILES` by a `RefusedUpload`, so the
form's field says "超过 … 未接收" instead of "required"; the fields read before it (the CSRF token first)
are kept.

The limit is the view's (`@upload_limit(50 * MB)` on the view function), else FILES_MAX_UPLOAD_BYTES.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParser

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 10 * MB


def upload_limit(max_bytes: int):
    """Decorate a view (innermost or outermost) whose uploads may be larger or smaller than the default."""

    def decorate(view):
        view.upload_max_bytes = max_bytes
        return view

    return decorate


def limit_for(request) -> int:
    match = getattr(request, "resolver_match", None)
    own = getattr(getattr(match, "func", None), "upload_max_bytes", None)
    if own is None and match is not None:
        own = getattr(getattr(match.func, "cls", None), "upload_max_bytes", None)  # DRF viewsets
    return own or getattr(settings, "FILES_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class RefusedUpload(UploadedFile):
    """Stands for a file refused while streaming: empty, its `size` the bytes received before the stop,
    `refused_limit` the limit. `files.checks.check_upload` turns it into the field's message."""

    def __init__(self, name: str, received: int, limit: int):
        from io import BytesIO

        super().__init__(BytesIO(b""), name=name, content_type="application/octet-stream", size=received)
        self.refused_limit = limit


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = limit_for(request) if request is not None else DEFAULT_MAX_UPLOAD_BYTES
        self.parsing = False
        self.refused: tuple[str, str, int] | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        """Parse the request here (with every handler, this one counting) to add the refused file to the
        result: a handler cannot reach the parser's FILES otherwise."""
        if self.parsing:
            return None
        self.parsing = True
        handlers = self.request.upload_handlers if self.request is not None else [self]
        post, files = MultiPartParser(META, input_data, handlers, encoding).parse()
        if self.refused:
            field, name, received = self.refused
            files.appendlist(field, RefusedUpload(name, received, self.limit))
        return post, files

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received > self.limit:
            self.refused = (self.field_name, self.file_name, received)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
