"""/api/documents/ and /api/document-items/: the pages' steps through the same services, scoped alike
(street_b 404), a reader's writes refused (403), the body's rules as 400s on the field."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.documents.models import Document, Kind

DOCS = "/api/documents/"


def test_scope_and_history(make_doc, cast, tree, api_for):
    document = make_doc()
    make_doc(area=tree.city, actor=cast.city, title="市标准")
    titles = lambda user: {r["title"] for r in api_for(user).get(DOCS).json()["results"]}  # noqa: E731
    assert titles(cast.street_a) == {"青江标准", "市标准"}
    assert titles(cast.street_b) == {"市标准"}
    assert api_for(cast.street_b).get(f"{DOCS}{document.pk}/").status_code == 404
    assert api_for(cast.street_b).get(f"{DOCS}{document.pk}/body/?version=1").status_code == 404
    body = api_for(cast.secretary).get(f"{DOCS}{document.pk}/body/?version=1").json()
    assert [s["number"] for s in body["sections"]] == ["1", "2"] and body["state"] == "published"
    items = api_for(cast.secretary).get("/api/document-items/").json()["results"]
    assert {i["number"] for i in items} == {"1.1", "1.2", "2.1"} | {"1.1", "1.2", "2.1"}
    assert len(items) == 6  # both standards in force


def test_create_draft_publish_and_diff(cast, tree, api_for):
    api = api_for(cast.street_a)
    response = api.post(DOCS, {"kind": "handbook", "area": tree.street_a.pk, "title": "手册"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    body = {
        "body": [
            {"number": "1", "title": "上任", "items": [{"number": "1.1", "text": "熟悉辖区", "link": "x:y"}]}
        ]
    }
    response = api.put(f"{DOCS}{pk}/draft/", body, format="json")
    assert response.status_code == 400 and "body" in response.json()["errors"]
    body["body"][0]["items"][0]["link"] = "areas:tree"
    assert api.put(f"{DOCS}{pk}/draft/", body, format="json").status_code == 200
    assert api_for(cast.secretary).post(f"{DOCS}{pk}/publish/").status_code == 404  # no draft for a reader
    assert api.post(f"{DOCS}{pk}/publish/").json()["state"] == "published"
    assert api.post(f"{DOCS}{pk}/new-draft/", {}, format="json").status_code == 201
    body["body"][0]["items"].append({"number": "1.2", "text": "核对名册"})
    api.put(f"{DOCS}{pk}/draft/", body, format="json")
    api.post(f"{DOCS}{pk}/publish/")
    rows = api.get(f"{DOCS}{pk}/diff/?old=1&new=2").json()
    assert {r["number"]: r["status"] for r in rows} == {"§1": "same", "1.1": "same", "1.2": "added"}
    hits = api_for(cast.secretary).get(f"{DOCS}search/?q=名册").json()
    assert [h["number"] for h in hits] == ["1.2"]
    section = Document.objects.get(pk=pk).versions.get(number=2).sections.get()
    assert (
        api_for(cast.secretary).post(f"{DOCS}{pk}/read/", {"section": section.pk}, format="json").status_code
        == 201
    )
    assert (
        api_for(cast.street_b).post(f"{DOCS}{pk}/read/", {"section": section.pk}, format="json").status_code
        == 404
    )


def test_a_reader_may_not_create(cast, tree, api_for):
    response = api_for(cast.secretary).post(
        DOCS, {"kind": Kind.STANDARD, "area": tree.community_a.pk, "title": "x"}, format="json"
    )
    assert response.status_code in (400, 403)
    assert not Document.objects.exists()


def test_attachments_of_the_draft_through_the_api(make_doc, cast, api_for):
    document = make_doc()
    api = api_for(cast.street_a)
    assert api.post(f"{DOCS}{document.pk}/new-draft/", {}, format="json").status_code == 201
    pdf = SimpleUploadedFile("细则.pdf", b"%PDF-1.4\n%%EOF\n")
    response = api.post(f"{DOCS}{document.pk}/attachments/", {"upload": pdf}, format="multipart")
    assert response.status_code == 201 and response.json()["name"] == "细则.pdf"
    attachment = response.json()["id"]
    fake = SimpleUploadedFile("假.pdf", b"<html></html>")
    response = api.post(f"{DOCS}{document.pk}/attachments/", {"upload": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    outsider = api_for(cast.street_b).post(
        f"{DOCS}{document.pk}/remove-attachment/", {"attachment": attachment}, format="json"
    )
    assert outsider.status_code == 404
    reader = api_for(cast.secretary).post(
        f"{DOCS}{document.pk}/remove-attachment/", {"attachment": attachment}, format="json"
    )
    assert reader.status_code == 404  # a reader does not see the draft
    response = api.post(f"{DOCS}{document.pk}/remove-attachment/", {"attachment": attachment}, format="json")
    assert response.status_code == 204
    assert not document.versions.get(number=2).attachments.exists()
