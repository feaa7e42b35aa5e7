"""The rules of documents through the services: versions (one draft, publishing supersedes atomically, a
published version is never changed), the body's rules, links from the fixed list, attachments checked by
content, read confirmations only on a handbook in force; who may keep an area's documents."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from grassroots.documents import selectors, services
from grassroots.documents.body import parse_text, render_text
from grassroots.documents.models import DocumentVersion, Kind, ReadConfirmation, VersionState
from tests.documents.conftest import BODY


def states(document):
    return dict(document.versions.values_list("number", "state"))


def test_publishing_supersedes_the_version_in_force(make_doc, cast):
    document = make_doc()
    first = document.versions.get()
    assert first.state == VersionState.PUBLISHED and first.adopted_by == cast.street_a
    second = services.start_draft(actor=cast.street_a, document=document, note="修订")
    assert [s.number for s in second.sections.all()] == ["1", "2"]  # copied from the version in force
    assert states(document) == {1: "published", 2: "draft"}
    services.publish(actor=cast.street_a, version=second)
    assert states(document) == {1: "superseded", 2: "published"}
    first.refresh_from_db()
    assert first.superseded_at == DocumentVersion.objects.get(pk=second.pk).adopted_at


def test_one_draft_at_a_time_and_published_versions_never_change(make_doc, cast):
    document = make_doc()
    services.start_draft(actor=cast.street_a, document=document)
    with pytest.raises(ValidationError, match="已有一份草稿"):
        services.start_draft(actor=cast.street_a, document=document)
    published = document.versions.get(state=VersionState.PUBLISHED)
    with pytest.raises(ValidationError, match="只能修改草稿"):
        services.save_draft(actor=cast.street_a, version=published, body=BODY)
    with pytest.raises(ValidationError, match="只能修改草稿"):
        services.publish(actor=cast.street_a, version=published)


def test_the_database_keeps_one_version_in_force(make_doc):
    document = make_doc()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(document=document, number=9, state=VersionState.PUBLISHED)


def test_an_empty_draft_is_not_published(cast, tree):
    draft = services.create_document(
        actor=cast.street_a, area=tree.street_a, kind=Kind.HANDBOOK, title="手册"
    )
    with pytest.raises(ValidationError) as exc:
        services.publish(actor=cast.street_a, version=draft)
    assert exc.value.message_dict == {"body": ["草稿还没有条目，不能发布。"]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([{"number": "1", "title": "章", "items": [{"number": "2.1", "text": "x"}]}], "须以所在章号 1 开头"),
        (
            [{"number": "1", "title": "章", "items": [{"number": "1.1", "text": "x"}] * 2}],
            "条目编号 1.1 重复",
        ),
        ([{"number": "1", "title": "章", "items": []}] * 2, "章号 1 重复"),
        ([{"number": "1", "title": "章", "items": [{"number": "1.1", "text": " "}]}], "没有内容"),
        (
            [
                {
                    "number": "1",
                    "title": "章",
                    "items": [{"number": "1.1", "text": "x", "link": "admin:index"}],
                }
            ],
            "不在可链接的页面之列",
        ),
    ],
)
def test_the_body_rules_answer_at_the_field(cast, tree, body, message):
    draft = services.create_document(actor=cast.street_a, area=tree.street_a, kind=Kind.STANDARD, title="标")
    with pytest.raises(ValidationError) as exc:
        services.save_draft(actor=cast.street_a, version=draft, body=body)
    assert list(exc.value.message_dict) == ["body"] and message in exc.value.message_dict["body"][0]


def test_the_text_form_round_trips_and_names_a_bad_line(make_doc):
    text = (
        "# 1 组织建设\n1.1 班子健全。\n1.2 按期换届。\n第二行 => areas:tree\n\n"
        "# 2 组织生活\n2.1 每月主题党日。"
    )
    sections = parse_text(text)
    assert sections[0]["items"][1] == {"number": "1.2", "text": "按期换届。\n第二行", "link": "areas:tree"}
    document = make_doc(body=sections)
    version = document.versions.get()
    assert render_text(selectors.body_of(version)) == text
    with pytest.raises(ValidationError) as exc:
        parse_text("序言\n# 1 章")
    assert "第 1 行无法识别" in exc.value.message_dict["body"][0]


def test_only_officials_of_the_area_keep_its_documents(cast, tree, make_doc):
    for outsider in (cast.street_b, cast.secretary, cast.worker, cast.resident, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.create_document(actor=outsider, area=tree.street_a, kind=Kind.STANDARD, title="x")
    document = make_doc()
    with pytest.raises(PermissionDenied):
        services.start_draft(actor=cast.street_b, document=document)
    services.start_draft(actor=cast.city, document=document)  # the city's grant covers the street


def test_attachments_are_checked_by_content(cast, tree):
    draft = services.create_document(actor=cast.street_a, area=tree.street_a, kind=Kind.STANDARD, title="标")
    pdf = SimpleUploadedFile("标准.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = services.add_attachment(actor=cast.street_a, version=draft, upload=pdf)
    assert attachment.name == "标准.pdf" and attachment.file.name.startswith("documents/")
    fake = SimpleUploadedFile("标准.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(actor=cast.street_a, version=draft, upload=fake)
    assert list(exc.value.message_dict) == ["file"]


def test_a_reader_confirms_a_chapter_of_the_handbook_in_force_once(make_doc, cast):
    handbook = make_doc(kind=Kind.HANDBOOK)
    section = handbook.versions.get().sections.first()
    services.confirm_read(user=cast.secretary, section=section)
    services.confirm_read(user=cast.secretary, section=section)
    assert ReadConfirmation.objects.filter(user=cast.secretary).count() == 1
    assert selectors.read_by(cast.secretary, section.version) == {section.pk}
    assert selectors.read_by(cast.street_a, section.version) == set()  # one's own, nobody else's
    standard = make_doc(title="标准")
    with pytest.raises(ValidationError):
        services.confirm_read(user=cast.secretary, section=standard.versions.get().sections.first())


def test_the_diff_goes_item_by_item(make_doc, cast):
    document = make_doc()
    draft = services.start_draft(actor=cast.street_a, document=document)
    body = [
        {"number": "1", "title": "组织建设", "items": [{"number": "1.1", "text": "班子健全有力。"}]},
        {
            "number": "2",
            "title": "组织生活",
            "items": [{"number": "2.1", "text": "每月主题党日。"}, {"number": "2.2", "text": "三会一课。"}],
        },
    ]
    services.save_draft(actor=cast.street_a, version=draft, body=body)
    rows = {r.number: r for r in selectors.diff(document.versions.get(number=1), draft)}
    assert {n: r.status for n, r in rows.items()} == {
        "§1": "same",
        "1.1": "changed",
        "§2": "same",
        "2.1": "same",
        "2.2": "added",
        "1.2": "removed",
    }
    assert ("+", "有力") in rows["1.1"].chunks


def test_visibility_above_inside_and_not_beside(make_doc, cast, tree):
    street = make_doc()
    city = make_doc(area=tree.city, actor=cast.city, title="市标准")
    draft_only = make_doc(published=False, title="草稿")
    seen = lambda user: set(selectors.documents_for(user).values_list("title", flat=True))  # noqa: E731
    assert seen(cast.street_a) == {"青江标准", "市标准", "草稿"}
    assert seen(cast.secretary) == {"青江标准", "市标准"}  # above it; a draft is its keepers' only
    assert seen(cast.city) == {"青江标准", "市标准", "草稿"}
    assert seen(cast.street_b) == {"市标准"}
    assert seen(cast.resident) == set()
    assert street and city and draft_only
