"""The documents' pages: lists (query counts pinned), a document with its history, a version, the diff, the
draft's editor and publishing, attachments served only through the scoped view, the handbook's search and a
reader's own confirmation; another street's documents answer 404, a reader's write 403."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.documents import services
from grassroots.documents.models import Document, Kind, ReadConfirmation, VersionState
from tests.homes import open_home


def test_the_lists_show_what_the_user_reads_in_few_queries(
    make_doc, cast, tree, client_for, django_assert_max_num_queries
):
    for i in range(5):
        make_doc(title=f"青江标准{i}")
    make_doc(area=tree.street_b, actor=cast.street_b, title="东城标准")
    make_doc(kind=Kind.HANDBOOK, title="青江手册")
    client = client_for(cast.secretary)
    # session, user, grants, secretary orgs, count, documents, current versions, and the layout's own
    with django_assert_max_num_queries(14):
        response = client.get("/documents/standards/")
    page = response.content.decode()
    assert "青江标准4" in page and "东城标准" not in page and "青江手册" not in page
    assert "青江手册" in client.get("/documents/handbooks/").content.decode()
    assert client_for(cast.resident).get("/documents/standards/").status_code == 403


def test_another_streets_document_answers_404_everywhere(make_doc, cast, client_for):
    document = make_doc(kind=Kind.HANDBOOK)
    section = document.versions.get().sections.first()
    client = client_for(cast.street_b)
    for url in (
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/v1/",
        f"/documents/{document.pk}/diff/",
        f"/documents/{document.pk}/draft/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/documents/{document.pk}/draft/new/", f"/documents/sections/{section.pk}/read/"):
        assert client.post(url).status_code == 404, url
    assert not ReadConfirmation.objects.exists()


def test_create_edit_and_publish_through_the_pages(cast, tree, client_for):
    client = client_for(cast.street_a)
    response = client.post(
        "/documents/new/",
        {"kind": "standard", "area": tree.street_a.pk, "title": "青江标准", "applies_to": [4]},
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/draft/"
    assert document.applies_to == [4]
    bad = client.post(f"/documents/{document.pk}/draft/", {"body": "# 1 章\n1.1 内容 => admin:index"})
    assert "不在可链接的页面之列" in bad.context["form"].errors["body"][0]
    good = client.post(f"/documents/{document.pk}/draft/", {"body": "# 1 章\n1.1 内容 => gatherings:list"})
    assert good.status_code == 302
    response = client.post(f"/documents/{document.pk}/draft/publish/")
    assert response.status_code == 302
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert 'href="/gatherings/"' in page and "1.1" in page
    assert client.post(f"/documents/{document.pk}/draft/new/").status_code == 302
    client.post(f"/documents/{document.pk}/draft/", {"body": "# 1 章\n1.1 新内容"})
    client.post(f"/documents/{document.pk}/draft/publish/")
    assert dict(document.versions.values_list("number", "state")) == {1: "superseded", 2: "published"}
    diff = client.get(f"/documents/{document.pk}/diff/?old=1&new=2").content.decode()
    assert "<ins" in diff and "新" in diff


def test_a_reader_neither_edits_nor_publishes_nor_sees_the_draft(make_doc, cast, client_for):
    document = make_doc()
    services.start_draft(actor=cast.street_a, document=document)
    client = client_for(cast.secretary)
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    assert client.get(f"/documents/{document.pk}/v2/").status_code == 404  # the draft
    assert client.get(f"/documents/{document.pk}/draft/").status_code == 403
    assert client.post(f"/documents/{document.pk}/draft/publish/").status_code == 403
    assert document.versions.get(number=2).state == VersionState.DRAFT


def test_attachments_only_through_the_scoped_view(make_doc, cast, client_for):
    document = make_doc()
    draft = services.start_draft(actor=cast.street_a, document=document)
    client = client_for(cast.street_a)
    upload = SimpleUploadedFile("附件.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(f"/documents/{document.pk}/draft/attachments/", {"file": upload}).status_code == 302
    attachment = draft.attachments.get()
    assert client.get(f"/documents/attachments/{attachment.pk}/").status_code == 200
    assert client_for(cast.street_b).get(f"/documents/attachments/{attachment.pk}/").status_code == 404
    # on a draft: its keepers only, until it is published
    assert client_for(cast.secretary).get(f"/documents/attachments/{attachment.pk}/").status_code == 404
    services.publish(actor=cast.street_a, version=draft)
    assert client_for(cast.secretary).get(f"/documents/attachments/{attachment.pk}/").status_code == 200
    services.start_draft(actor=cast.street_a, document=document)  # copies the attachment
    bad = SimpleUploadedFile("x.pdf", b"<html></html>")
    response = client.post(f"/documents/{document.pk}/draft/attachments/", {"file": bad}, follow=True)
    assert "x.pdf" in response.content.decode() and document.versions.get(number=3).attachments.count() == 1


def test_search_and_the_readers_own_confirmation(make_doc, cast, tree, client_for):
    handbook = make_doc(kind=Kind.HANDBOOK, title="青江手册")
    make_doc(kind=Kind.HANDBOOK, area=tree.street_b, actor=cast.street_b, title="东城手册")
    client = client_for(cast.secretary)
    page = client.get("/documents/handbooks/search/?q=换届").content.decode()
    assert "青江手册" in page and "东城手册" not in page
    section = handbook.versions.get().sections.first()
    assert "我已读过本章" in client.get(f"/documents/{handbook.pk}/").content.decode()
    assert client.post(f"/documents/sections/{section.pk}/read/").status_code == 302
    assert "您已读过本章" in client.get(f"/documents/{handbook.pk}/").content.decode()
    assert "您已读过本章" not in client_for(cast.street_a).get(f"/documents/{handbook.pk}/").content.decode()


def test_the_home_block_shows_a_readers_own_chapters_until_all_are_read(make_doc, cast, client_for):
    """A new secretary's console names the handbook in force with the chapters they confirmed (their own
    count); it is gone once every chapter is read; a street official gets no such block."""
    handbook = make_doc(kind=Kind.HANDBOOK, title="新任书记手册")
    client = client_for(cast.secretary)
    home = open_home(client).content.decode()
    assert 'data-block="handbook"' in home and "新任书记手册" in home and "您已读 0 / 2 章" in home
    first, second = handbook.versions.get().sections.all()
    services.confirm_read(user=cast.secretary, section=first)
    assert "您已读 1 / 2 章" in open_home(client).content.decode()
    assert "您已读" not in open_home(client_for(cast.worker)).content.decode()  # a secretary's block
    services.confirm_read(user=cast.secretary, section=second)
    assert 'data-block="handbook"' not in open_home(client).content.decode()
    assert 'data-block="handbook"' not in open_home(client_for(cast.street_a)).content.decode()


def test_a_handbook_item_links_its_page_only_for_those_who_may_open_it(make_doc, cast, client_for):
    body = [
        {
            "number": "1",
            "title": "组织生活",
            "items": [{"number": "1.1", "text": "会后一周内填写报告单。", "link": "orglife:worklist"}],
        }
    ]
    document = make_doc(kind=Kind.HANDBOOK, body=body)
    # the street's official reviews organizational life: the item links its work list
    page = client_for(cast.street_a).get(f"/documents/{document.pk}/").content.decode()
    assert 'href="/orglife/worklist/"' in page
    # a community worker does not (the work list answers 404): the label only, no dead link
    page = client_for(cast.worker).get(f"/documents/{document.pk}/").content.decode()
    assert "组织生活待办" in page and 'href="/orglife/worklist/"' not in page
    assert client_for(cast.worker).get("/orglife/worklist/").status_code in (403, 404)


def test_the_exports_hold_each_lists_documents_and_none_of_another_street(make_doc, cast, tree, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    make_doc(title="青江标准")
    make_doc(title="青江标准草案", published=False)
    make_doc(area=tree.street_b, actor=cast.street_b, title="东城标准")
    make_doc(kind=Kind.HANDBOOK, title="青江手册")
    client = client_for(cast.secretary)
    assert 'data-export="documents-standards"' in client.get("/documents/standards/").content.decode()
    response = client.post(reverse("imports:list_export", args=["documents-standards"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["党建工作指导标准"]
    assert rows[0] == ["标题", "制定区域", "适用层级", "现行版本", "发布时间"]
    assert [r[:4] for r in rows[1:]] == [
        ["青江标准", "青江街道", "下级各层级", "第 1 版"]
    ]  # no 东城, no draft
    assert rows[1][4] is not None
    handbooks = client.post(reverse("imports:list_export", args=["documents-handbooks"]))
    assert [r[0] for r in read_xlsx(b"".join(handbooks.streaming_content))["工作手册"][1:]] == ["青江手册"]
    denied = client_for(cast.resident).post(reverse("imports:list_export", args=["documents-standards"]))
    assert denied.status_code == 403
