"""Every declared list export answers its page's button: a user who may see the list gets a workbook whose
first row is the declared headers (and whose rows are readable), also with the page's usual filters; a user
without the list's permission gets 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.access.scoping import has_perm
from grassroots.imports.lists import list_exports
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import read_xlsx

# lists on a record's page (an item's claims, a station's consultations, a branch's plans and reports):
# their kind takes the record's id (?item=, ?station=, ?branch=) and answers 404 without it; each part's
# test exports them from the record's page
ON_A_RECORDS_PAGE = {
    "cogov-claims": "item",
    "lawgov-consultations": "station",
    "orglife-plans": "branch",
    "orglife-reports": "branch",
    "virtue-campaign-results": "campaign",
}
KINDS = sorted(set(list_exports()) - set(ON_A_RECORDS_PAGE))
# lists whose page sends a community's own people to a page of their community: exported by the street's;
# the sign-in locks: by a system admin only (accounts.change and the role, as their page)
EXPORTED_BY = {"admission-communities": "street_a", "accounts-lockouts": "admin"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_export_answers_with_the_declared_headers(kind, cast, client_for):
    declared = list_exports()[kind]
    people = [cast.secretary, cast.worker, cast.street_a, cast.city, cast.admin]
    if kind in EXPORTED_BY:
        people = [getattr(cast, EXPORTED_BY[kind])]
    user = next((person for person in people if has_perm(person, declared.permission)), None)
    assert user is not None, f"nobody of the cast may export {kind}"
    response = client_for(user).post(reverse("imports:list_export", args=[kind]))
    assert response.status_code == 200, kind
    sheets = read_xlsx(b"".join(response.streaming_content))
    rows = next(iter(sheets.values()))
    assert rows[0] == [str(column.label) for column in declared.columns]
    page = client_for(user).get(reverse(declared.back_url_name))
    assert page.status_code == 200 and f'data-export="{kind}"' in page.content.decode(), kind
    if not has_perm(cast.resident, declared.permission):
        denied = client_for(cast.resident).post(reverse("imports:list_export", args=[kind]))
        assert denied.status_code == 403


@pytest.mark.parametrize("kind", sorted(ON_A_RECORDS_PAGE))
def test_a_records_list_needs_its_record(kind, cast, client_for):
    assert kind in list_exports()
    response = client_for(cast.admin).post(reverse("imports:list_export", args=[kind]))
    assert response.status_code == 404
