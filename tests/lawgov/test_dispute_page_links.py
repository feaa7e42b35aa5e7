"""What the browser journey (tests/e2e/test_lawgov_disputes.py) found on the case page and its
documents: every workflow button leads to an anchor the page has (开始调解 to its own form, not the
sessions'); the printable documents' 打印 button works under the Content-Security-Policy (no inline
handler)."""

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


def test_the_documents_print_without_an_inline_handler(client_for, mediators, dispute):
    url = f"/lawgov/disputes/{dispute.pk}/documents/application/"
    page = client_for(mediators.community).get(url).content.decode()
    scan = PageScan()
    scan.feed(page)
    assert not scan.problems, scan.problems
    assert "data-print" in page
