"""What the browser journey (tests/e2e/test_lawgov_disputes.py) found on the case page and its
documents: every workflow button leads to an anchor the page has (开始调解 to its own form, not the
sessions'); the steps whose form carries what they need (调解成功's agreement, 回访's note) are listed as
buttons, refused by the generic step without it; the printable documents' 打印 button works under the
Content-Security-Policy (no inline handler)."""

from __future__ import annotations

import re

from django.utils import timezone

from grassroots.lawgov import services_disputes as services
from tests.portal.test_headers import PageScan

BUTTON = re.compile(r'class="btn btn-[a-z-]+" href="(/lawgov/disputes/\d+/)#([\w-]+)"')


def _anchors(page: str, url: str) -> list[str]:
    found = [anchor for path, anchor in BUTTON.findall(page) if path == url]
    assert found, page
    return found


def test_every_step_button_leads_to_its_form_on_the_page(client_for, mediators, dispute):
    url = f"/lawgov/disputes/{dispute.pk}/"
    mediator = client_for(mediators.community)
    services.record_session(
        actor=mediators.community,
        dispute=dispute,
        held_at=timezone.now(),
        place="社区调解室",
        mediator_names="张调解",
        record="双方陈述。",
    )
    received = mediator.get(url).content.decode()
    for anchor in _anchors(received, url):
        assert f'id="{anchor}"' in received, anchor
    assert f'href="{url}#start"' in received  # 开始调解 opens the start form
    services.start_mediation(actor=mediators.community, dispute=dispute)
    mediating = mediator.get(url).content.decode()
    for anchor in _anchors(mediating, url):
        assert f'id="{anchor}"' in mediating, anchor
    # 调解成功 is a button although the agreement is its own form (it was never listed before)
    assert f'href="{url}#agreement"' in mediating
    services.settle(actor=mediators.community, dispute=dispute, text="楼上修缮并赔偿500元。")
    settled = mediator.get(url).content.decode()
    assert _anchors(settled, url) == ["visit"] and 'id="visit"' in settled


def test_the_generic_step_is_refused_without_the_agreement_or_the_visit_note(client_for, mediators, dispute):
    from django.contrib.contenttypes.models import ContentType

    from grassroots.lawgov.models_disputes import Dispute, DisputeState

    type_id = ContentType.objects.get_for_model(Dispute).pk
    mediator = client_for(mediators.community)
    services.record_session(
        actor=mediators.community,
        dispute=dispute,
        held_at=timezone.now(),
        place="调解室",
        mediator_names="张",
    )
    services.start_mediation(actor=mediators.community, dispute=dispute)
    refused = mediator.post(f"/workflow/{type_id}/{dispute.pk}/settle/", {"comment": "成"})
    assert refused.status_code == 403 and "请填写调解协议内容。" in refused.content.decode()
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.MEDIATING
    services.settle(actor=mediators.community, dispute=dispute, text="协议")
    refused = mediator.post(f"/workflow/{type_id}/{dispute.pk}/visit/", {"comment": "回访"})
    assert refused.status_code == 403 and "请填写回访情况。" in refused.content.decode()
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.SETTLED


def test_the_documents_print_without_an_inline_handler(client_for, mediators, dispute):
    url = f"/lawgov/disputes/{dispute.pk}/documents/application/"
    page = client_for(mediators.community).get(url).content.decode()
    scan = PageScan()
    scan.feed(page)
    assert not scan.problems, scan.problems
    assert "data-print" in page
