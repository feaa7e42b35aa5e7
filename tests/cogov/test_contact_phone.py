"""A partner's contact person's phone follows the one masking rule (accounts/pii.py): masked on the page and
in the API for everyone; in full only to a holder of people.view_pii on the partner's area who asks
(`?show=pii` on the page, `?unmasked=true` in the API), and each such read is in the audit trail."""

from __future__ import annotations

from auditlog.models import LogEntry

from grassroots.audit.models import AuditEvent
from grassroots.cogov import services

FULL, MASKED = "13812345678", "138****5678"


def _partner(cast, tree):
    return services.save_partner(
        actor=cast.secretary,
        name="桥楼中学",
        kind="school",
        area=tree.community_a,
        contact_name="王老师",
        contact_phone=FULL,
    )


def test_the_page_masks_the_phone_and_opens_it_only_for_view_pii_audited(cast, tree, client_for):
    partner = _partner(cast, tree)
    url = partner.get_absolute_url()
    for user in (cast.worker,):  # sees the partner, may not see the full number
        page = client_for(user).get(url + "?show=pii").content.decode()
        assert MASKED in page and FULL not in page and "查看完整号码" not in page
    secretary = client_for(cast.secretary)
    page = secretary.get(url).content.decode()
    assert MASKED in page and FULL not in page and "查看完整号码" in page
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    page = secretary.get(url + "?show=pii").content.decode()
    assert FULL in page
    access = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("-pk")
    assert access.count() == before + 1 and access[0].actor_id == cast.secretary.pk


def test_the_api_masks_the_phone_unless_asked_by_view_pii_audited(cast, tree, api_for):
    partner = _partner(cast, tree)
    url = f"/api/partners/{partner.pk}/"
    for user in (cast.worker,):
        row = api_for(user).get(url + "?unmasked=true").json()
        assert (row["contact_phone"], row["unmasked"]) == (MASKED, False)
    assert api_for(cast.secretary).get(url).json()["contact_phone"] == MASKED
    row = api_for(cast.secretary).get(url + "?unmasked=true").json()
    assert (row["contact_phone"], row["unmasked"]) == (FULL, True)
    rows = api_for(cast.secretary).get("/api/partners/?unmasked=true").json()["results"]
    assert FULL in [r["contact_phone"] for r in rows]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, unmasked=True, user=cast.secretary).exists()


def _edit_body(page_form, **changes) -> dict:
    body = {name: value for name, value in page_form.initial.items() if value is not None}
    body["representatives"] = [u.pk for u in body.get("representatives", [])]
    body.update(changes)
    return {k: v for k, v in body.items() if v not in (None, "")}


def test_the_edit_form_masks_the_phone_and_keeps_it_when_sent_back_unchanged(cast, tree, client_for):
    """Both kinds of editor (cogov.manage): a community worker without people.view_pii and the secretary who
    holds it. The form shows the masked number to each (no unasked, unaudited read); sending it back unchanged
    keeps the stored number; a new number replaces it; a half-masked one is refused at the field."""
    from grassroots.cogov.models import Partner

    partner = _partner(cast, tree)
    url = f"/cogov/partners/{partner.pk}/edit/"
    for editor in (cast.worker, cast.secretary):
        client = client_for(editor)
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and MASKED in page and FULL not in page
        body = _edit_body(
            response.context["form"],
            name="桥楼中学",
            kind="school",
            area=tree.community_a.pk,
            note=editor.username,
        )
        assert body["contact_phone"] == MASKED
        assert client.post(url, body).status_code == 302
        partner.refresh_from_db()
        assert (partner.contact_phone, partner.note) == (FULL, editor.username)
    client = client_for(cast.worker)
    body = _edit_body(client.get(url).context["form"], area=tree.community_a.pk)
    response = client.post(url, {**body, "contact_phone": "139****0000"})
    assert response.status_code == 200 and "请填写完整的手机号码" in response.content.decode()
    assert Partner.objects.get(pk=partner.pk).contact_phone == FULL
    assert client.post(url, {**body, "contact_phone": "13900001111"}).status_code == 302
    assert Partner.objects.get(pk=partner.pk).contact_phone == "13900001111"


def test_the_api_keeps_the_number_when_the_masked_one_is_sent_back_and_refuses_a_half_masked_one(
    cast, tree, api_for
):
    """The API's write path follows the form: the masked number it answered, sent back in a PATCH unchanged,
    keeps the stored number; a half-masked value is refused at the field (400 naming contact_phone) and
    changes nothing; a new full number replaces it."""
    from grassroots.cogov.models import Partner

    partner = _partner(cast, tree)
    url = f"/api/partners/{partner.pk}/"
    for editor in (cast.worker, cast.secretary):
        api = api_for(editor)
        shown = api.get(url).json()["contact_phone"]
        assert shown == MASKED
        response = api.patch(url, {"contact_phone": shown, "note": editor.username}, format="json")
        assert response.status_code == 200, response.content
        assert Partner.objects.get(pk=partner.pk).contact_phone == FULL
    api = api_for(cast.worker)
    response = api.patch(url, {"contact_phone": "139****0000", "note": "half"}, format="json")
    assert response.status_code == 400 and "contact_phone" in response.content.decode()
    stored = Partner.objects.get(pk=partner.pk)
    assert (stored.contact_phone, stored.note) == (FULL, cast.secretary.username)
    assert api.patch(url, {"contact_phone": "13900001111"}, format="json").status_code == 200
    assert Partner.objects.get(pk=partner.pk).contact_phone == "13900001111"
    created = api.post(
        "/api/partners/",
        {"name": "新单位", "kind": "school", "area": tree.community_a.pk, "contact_phone": "138****1234"},
        format="json",
    )
    assert created.status_code == 400 and "contact_phone" in created.content.decode()
