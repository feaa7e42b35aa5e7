"""Every page has its 导出 Excel or says why not. The pages are the project's URL patterns that name no record
(tests/security/routes.py's PAGES, enumerated from Django's resolver as the enumeration test does; the API's
routes aside: they page their lists as JSON). A page is exported when a declared list export
(grassroots.imports.lists) names it as its page (`back_url_name`), or when it has an export page of its own
(OWN_EXPORT_PAGES). Every other page is in NO_EXPORT with the reason it has none. A page added without either
fails here: declare its export (docs/exports.md) or state why it lists nothing to export."""

from __future__ import annotations

from grassroots.imports.lists import list_exports
from tests.security import routes
from tests.security.test_enumeration import enumerate_patterns

# lists whose export is a page of its own (the import layout, unmasked with a permission of its own)
OWN_EXPORT_PAGES = {"members:list": "members:export", "areas:tree": "areas:export"}

FORM = "a form: it records or changes something and lists nothing"
OPTIONS = "an htmx fragment of a form or the header (options of a field, a badge), not a page"
DOWNLOAD = "a file download itself"
OWN = "the signed-in person's own data (all of it in 我的个人信息's download, privacy:download_xlsx)"
WORKLIST = "a worklist of several short sections, each linking to its own list, which exports"

NO_EXPORT: dict[str, str] = {
    # forms
    **dict.fromkeys(
        (
            "accounts:account_create",
            "accounts:password_change",
            "admission:affair_create",
            "admission:funds_create",
            "admission:funds_bulk",
            "admission:request_create",
            "areas:create_root",
            "areas:import",
            "assessments:agency_create",
            "assessments:grid_extension_compute",
            "assessments:inspection_create",
            "assessments:rate",
            "assessments:report_create",
            "assessments:scheme_create",
            "assessments:site_meeting_create",
            "cogov:agreement_create",
            "cogov:commit",
            "cogov:joint_body_create",
            "cogov:need_create",
            "cogov:partner_create",
            "cogov:rate_services",
            "coverage:cross_create",
            "coverage:entity_create",
            "coverage:instructor_create",
            "coverage:team_create",
            "documents:create",
            "duties:copy_list",
            "duties:task_create",
            "gatherings:create",
            "lawgov:dispute_intake",
            "lawgov:dispute_new",
            "lawgov:pairing_new",
            "lawgov:station_create",
            "lawgov:unit_register",
            "members:create",
            "members:import",
            "members:registration_org",
            "portal:notice_create",
            "privacy:consent",
            "selfgov:convention_start",
            "selfgov:matter_create",
            "selfgov:negotiation_create",
            "selfgov:opinion_create",
            "selfgov:opinion_record",
            "selfgov:rulebook_start",
            "virtue:campaign_create",
            "voting:code",
            "voting:create",
            "voting:household_create",
            "voting:household_import",
        ),
        FORM,
    ),
    **dict.fromkeys(
        (
            "accounts:grant_area_options",
            "admission:funds_area_options",
            "lawgov:resident_options",
            "virtue:campaign_orgs",
            "workflow:unread_badge",
        ),
        OPTIONS,
    ),
    **dict.fromkeys(
        (
            "areas:export",
            "areas:import_template",
            "members:export",
            "members:import_template",
            "privacy:download_json",
            "privacy:download_xlsx",
            "voting:household_import_template",
        ),
        DOWNLOAD,
    ),
    **dict.fromkeys(
        (
            "accounts:my_tokens",
            "accounts:my_verification",
            "accounts:password_change_done",
            "cogov:my_volunteering",
            "members:mine",
            "members:mine_edit",
            "members:mine_whereabouts",
            "members:register_me",
            "privacy:mine",
            "virtue:my_points",
            "workflow:notifications",
        ),
        OWN,
    ),
    **dict.fromkeys(
        (
            "assessments:worklist",
            "cogov:worklist",
            "members:worklist",
            "orglife:worklist",
            "portal:todo",
        ),
        WORKLIST,
    ),
    "portal:home": "the home page: its figures are the dashboard's (figures:dashboard exports them)",
    "portal:home_block": "one block of the home page on its own; each block links to its exporting list",
    "selfgov:home": "a resident's phone page of their community: what awaits them, each linking to its list",
    "search:page": "search results over several kinds, each result linking to its record or list",
    "documents:search": "search results in the handbooks' text, each linking to its handbook",
    "virtue:calendar": "a month's calendar of the events 会议活动 (gatherings:list) lists and exports",
    "virtue:venue_map": "a map of the venues 廉洁文化阵地 (virtue:venue_list) lists and exports",
    "virtue:store": "a resident's store: the goods of their community, their balance and their own exchanges "
    "(the keeper's page virtue:store_admin exports the pick-ups and the stock)",
    "cogov:activities": "a volunteer's phone page of the activities open to them (the organizers export "
    "theirs: cogov-activities on cogov:activity_organizer)",
    "clock:overview": "the operator's view of the scheduler's few tasks and heartbeats, no records of people",
    "members:dues_brackets": "the fixed national table of dues brackets, the same for everybody",
}


def list_pages() -> set[str]:
    """The names of the pages that name no record, the API's aside."""
    return {
        name
        for route, name, _ in enumerate_patterns()
        if name in routes.PAGES and not route.startswith("api/")
    }


def exported_pages() -> set[str]:
    return {declared.back_url_name for declared in list_exports().values()} | set(OWN_EXPORT_PAGES)


def test_every_page_has_an_export_or_a_reason():
    missing = sorted(list_pages() - exported_pages() - set(NO_EXPORT))
    assert not missing, (
        "pages without 导出 Excel nor a reason in NO_EXPORT (tests/exports/test_every_list_page.py):\n"
        + "\n".join(missing)
    )


def test_every_reason_names_a_page_and_says_something():
    pages = list_pages()
    assert not sorted(set(NO_EXPORT) - pages), "NO_EXPORT names routes that are not pages"
    assert all(len(reason.strip()) >= 20 for reason in NO_EXPORT.values())
    assert all(page in pages for page in OWN_EXPORT_PAGES) and all(
        export in pages for export in OWN_EXPORT_PAGES.values()
    )


def test_a_page_without_either_fails():
    """The check bites: take one exported list's declaration away and its page is reported missing."""
    without = exported_pages() - {"voting:elections"}
    assert "voting:elections" in list_pages() - without - set(NO_EXPORT)
