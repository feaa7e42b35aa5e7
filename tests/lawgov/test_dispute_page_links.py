"""What the browser journey (tests/e2e/test_lawgov_disputes.py) found on the case page and its
documents: the printable documents' 打印 button works under the Content-Security-Policy (no inline
handler)."""

from __future__ import annotations

from tests.portal.test_headers import PageScan


def test_the_documents_print_without_an_inline_handler(client_for, mediators, dispute):
    url = f"/lawgov/disputes/{dispute.pk}/documents/application/"
    page = client_for(mediators.community).get(url).content.decode()
    scan = PageScan()
    scan.feed(page)
    assert not scan.problems, scan.problems
    assert "data-print" in page
