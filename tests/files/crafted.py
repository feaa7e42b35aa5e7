"""Real files made for the content checks: images with metadata, documents, and the disguised ones."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

STAMP = (2026, 1, 1, 0, 0, 0)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(fmt: str = "PNG", size=(8, 6), *, exif: bool = False, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "GrassrootsCam"  # Make
        data[0x9286] = "secret comment"  # (UserComment stands in for GPS etc.)
        extra["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **extra)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # fixed times: the same bytes every run
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", STAMP), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", STAMP), "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "photo.png", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", **kwargs), "image/png")


def jpeg(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")
