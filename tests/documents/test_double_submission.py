"""Double submission of a draft's attachment (tests/security/test_submission_tokens.py lists the page as
tokened and proven here): the same upload form posted three times attaches one file; another form another."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.documents import services


def test_the_same_upload_posted_three_times_attaches_one_file(make_doc, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = make_doc()
    draft = services.start_draft(actor=cast.street_a, document=document)
    client = client_for(cast.street_a)
    page = client.get(f"/documents/{document.pk}/draft/").content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    url = f"/documents/{document.pk}/draft/attachments/"

    def post(submission):
        upload = SimpleUploadedFile("附件.pdf", b"%PDF-1.4\n%%EOF\n")
        return client.post(url, {"file": upload, "submission": submission}).status_code

    assert [post(token) for _ in range(3)] == [302] * 3
    assert draft.attachments.count() == 1
    assert post("another-form") == 302 and draft.attachments.count() == 2
