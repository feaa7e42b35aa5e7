"""Upload contents are checked, not names.

`check_upload(upload, allowed=…, max_bytes=…)` reads the first bytes of the file and decides what it is
(PDF, PNG, JPEG, GIF, WebP, an OOXML workbook or document, an OFD, an old Office file, plain text). The
kind must be allowed and must agree with the extension of the name: an HTML page named `evidence.png`, or a
PNG with HTML appended named `.pdf`, is refused. Images are decoded and re-encoded with Pillow, which drops
anything appended to them and their metadata (EXIF with GPS, comments); the stored file is the re-encoded
one. Refusals are `ValidationError`s with a Chinese message naming the file, shown at the field.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})


@dataclass(frozen=True)
class Kind:
    name: str
    suffixes: frozenset[str]  # the extensions a file of this kind may carry in its name
    content_type: str


KINDS = {
    kind.name: kind
    for kind in (
        Kind("jpeg", IMAGE_SUFFIXES, "image/jpeg"),
        Kind("png", IMAGE_SUFFIXES, "image/png"),
        Kind("gif", IMAGE_SUFFIXES, "image/gif"),
        Kind("webp", IMAGE_SUFFIXES, "image/webp"),
        Kind("pdf", frozenset({".pdf"}), "application/pdf"),
        Kind(
            "docx",
            frozenset({".docx"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind(
            "xlsx", frozenset({".xlsx"}), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        Kind("ofd", frozenset({".ofd"}), "application/ofd"),
        Kind("doc", frozenset({".doc"}), "application/msword"),
        Kind("xls", frozenset({".xls"}), "application/vnd.ms-excel"),
        Kind("text", frozenset({".txt"}), "text/plain; charset=utf-8"),
    )
}
IMAGES = frozenset({"jpeg", "png", "gif", "webp"})
SPREADSHEETS = frozenset({"xlsx"})
ATTACHMENTS = IMAGES | frozenset({"pdf", "docx", "xlsx", "ofd", "doc", "xls", "text"})
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # an attachment of a service's record (an agreement, evidence)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MARKERS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "OFD.xml": "ofd"}
_HEAD = 64 * 1024
# Re-encoded as: JPEG stays JPEG, WebP stays WebP, PNG and GIF become PNG (first frame).
_SAVE_AS = {"jpeg": ("JPEG", "jpeg", ".jpg"), "webp": ("WEBP", "webp", ".webp")}
_PNG = ("PNG", "png", ".png")


def sniff(upload) -> set[str]:
    """What the content is, by its magic bytes (several kinds when the bytes cannot tell them apart)."""
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpeg"}
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return {"gif"}
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return {"webp"}
    if head.startswith(_OLE):
        return {"doc", "xls"}
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head and b"\x00" not in head and _is_text(head):
        return {"text"}
    return set()


def _zip_kind(upload) -> set[str]:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        upload.seek(0)
    return {kind for marker, kind in _ZIP_MARKERS.items() if marker in names}


def _is_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            # A multi-byte character cut at the end of the head is still text.
            try:
                head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return True
    return False


def check_optional(
    upload,
    errors: dict,
    field: str = "file",
    *,
    allowed: frozenset[str] = ATTACHMENTS,
    max_bytes: int = 10 * 1024 * 1024,
) -> File | None:
    """`check_upload` for a service's optional file: None without a file; a refusal goes into
    `errors[field]`, to be raised with the other fields' errors."""
    if not upload:
        return None
    try:
        return check_upload(upload, allowed=allowed, max_bytes=max_bytes)
    except ValidationError as exc:
        errors[field] = exc.messages
        return None


def check_upload(upload, *, allowed: frozenset[str], max_bytes: int) -> File:
    """The file to store for `upload`, or ValidationError. The result has `.name` (the original name; for
    an image, with the extension of its re-encoded format), `.kind` and `.content_type`."""
    name = PurePath(str(getattr(upload, "name", "") or "file")).name
    limit = getattr(upload, "refused_limit", None)
    if limit is not None or (upload.size or 0) > max_bytes:
        raise ValidationError(
            _("“%(name)s”超过 %(limit)s，未接收。")
            % {"name": name, "limit": filesizeformat(min(limit or max_bytes, max_bytes))},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="empty")
    suffix = PurePath(name).suffix.lower()
    if not any(suffix in KINDS[k].suffixes for k in allowed):
        raise _not_an_image(name) if allowed <= IMAGES else _not_allowed(name, allowed)
    found = sniff(upload)
    if (suffix in IMAGE_SUFFIXES or allowed <= IMAGES) and not found & IMAGES:
        raise _not_an_image(name)
    if not found:
        raise ValidationError(
            _("无法识别“%(name)s”的内容，未接收（可上传：%(kinds)s）。")
            % {"name": name, "kinds": describe(allowed)},
            code="unknown",
        )
    matching = [k for k in sorted(found) if suffix in KINDS[k].suffixes]
    if not matching:
        raise ValidationError(
            _("“%(name)s”的内容与文件扩展名不符，未接收。") % {"name": name}, code="mismatch"
        )
    kind = matching[0]
    if kind not in allowed:
        raise _not_allowed(name, allowed)
    if kind in IMAGES:
        return _reencode(upload, name, kind)
    upload.seek(0)
    upload.kind, upload.content_type = kind, KINDS[kind].content_type
    return upload


def describe(allowed: frozenset[str]) -> str:
    labels = {
        "pdf": "PDF",
        "docx": "Word",
        "doc": "Word",
        "xlsx": "Excel (.xlsx)",
        "xls": "Excel",
        "ofd": "OFD",
        "text": _("文本"),
    }
    parts = [_("图片（JPEG、PNG、GIF、WebP）")] if allowed & IMAGES else []
    parts += [labels[k] for k in KINDS if k in allowed and k in labels]
    return "、".join(dict.fromkeys(parts))


def _not_allowed(name: str, allowed: frozenset[str]) -> ValidationError:
    return ValidationError(
        _("不支持“%(name)s”这种文件（可上传：%(kinds)s）。") % {"name": name, "kinds": describe(allowed)},
        code="not_allowed",
    )


def _not_an_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”不是有效的图片（可上传 JPEG、PNG、GIF 或 WebP）。") % {"name": name}, code="invalid"
    )


def _reencode(upload, name: str, kind: str) -> File:
    max_pixels = getattr(settings, "FILES_MAX_IMAGE_PIXELS", 40_000_000)
    invalid = _not_an_image(name)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format.lower() != kind:
                raise invalid
            if image.width * image.height > max_pixels:
                raise ValidationError(
                    _("“%(name)s”的尺寸过大（%(w)d×%(h)d 像素），未接收。")
                    % {"name": name, "w": image.width, "h": image.height},
                    code="too_large",
                )
            image.load()
            clean = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise invalid from exc
    finally:
        upload.seek(0)
    fmt, out_kind, suffix = _SAVE_AS.get(kind, _PNG)
    clean.info = {}  # no EXIF, ICC, comments or text chunks
    if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    elif clean.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        clean = clean.convert("RGBA")
    buffer = io.BytesIO()
    clean.save(buffer, format=fmt, **({"quality": 88} if fmt in ("JPEG", "WEBP") else {}))
    result = ContentFile(buffer.getvalue(), name=PurePath(name).stem + suffix)
    result.kind, result.content_type = out_kind, KINDS[out_kind].content_type
    return result
