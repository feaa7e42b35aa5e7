"""Every URL pattern of the project, sorted into what the enumeration test does with it. A route missing
from all three tables fails tests/security/test_enumeration.py: whoever adds a route says here how an
outsider is kept from its records (or why it has none).

RECORD_ROUTES  route name → the URL kwargs of one of street A's records (built by records.py): an outsider
               must get 404 for a read and for a write.
PAGES          route names whose URL names no record (lists, forms, worklists, dashboards): an outsider reads
               it without a server error and without any of street A's records on it (records.CANARY).
EXEMPT         route name → why the test does not request it.

API routes (DRF's router) are named `<basename>-<action>`: a route whose URL has a `pk` is a record route of
the basename's record (API_RECORDS); the others (the list, an action on the collection such as
`orglife-report-unplanned`) are lists: read without street A's records, an empty POST never accepted."""

from __future__ import annotations

REC = str  # the attribute of records.street_a_records() a route names


def pk(attr: REC):
    return lambda r: {"pk": getattr(r, attr).pk}


RECORD_ROUTES = {
    # portal
    "portal:notice_detail": pk("notice"),
    "portal:notice_edit": pk("notice"),
    "portal:notice_delete": pk("notice"),
    # accounts
    "accounts:verification_detail": pk("verification"),
    "accounts:verification_resubmit": pk("verification"),
    "accounts:user_detail": pk("user"),
    "accounts:grant_create": pk("user"),
    "accounts:grant_revoke": pk("grant"),
    "accounts:token_revoke": pk("token"),
    # areas and Party organizations
    "areas:children": pk("area"),
    "areas:detail": pk("area"),
    "areas:create": pk("area"),
    "areas:edit": pk("area"),
    "areas:move": pk("area"),
    "areas:move_candidates": pk("area"),
    "areas:retire": pk("area"),
    "areas:party_org_detail": pk("party_org"),
    "areas:party_org_edit": pk("party_org"),
    "areas:party_org_retire": pk("party_org"),
    "areas:party_org_create": lambda r: {"area_pk": r.area.pk},
    # workflow
    "workflow:notification_read": pk("notification"),
    "workflow:notification_open": pk("notification"),
    "workflow:attachment": pk("attachment"),
    "workflow:transition": lambda r: {
        "content_type_id": r.verification_ct.pk,
        "object_id": r.verification.pk,
        "name": "approve",
    },
    # gatherings
    **{
        f"gatherings:{name}": pk("gathering")
        for name in (
            "detail",
            "edit",
            "attendance",
            "sign_up",
            "cancel_sign_up",
            "check_in",
            "minutes",
            "add_decision",
            "add_photo",
            "invite",
        )
    },
    "gatherings:photo": lambda r: {"pk": r.gathering.pk, "photo_pk": r.photo.pk},
    # members
    **{
        f"members:{name}": pk("member")
        for name in (
            "detail",
            "edit",
            "tags",
            "account",
            "registration_member",
            "contact_attempt_add",
            "mark_mobile",
            "study_add",
            "transfer_request",
            "dues_set",
            "dues_pay",
            "care_visit_add",
        )
    },
    "members:registration_detail": pk("registration"),
    "members:study_delete": pk("study_record"),
    "members:transfer_detail": pk("transfer"),
    "members:transfer_release": pk("transfer"),
    # duties
    "duties:task_detail": pk("duty_task"),
    "duties:task_issue_draft": pk("duty_task"),
    "duties:task_delete_draft": pk("duty_task"),
    "duties:assignment_detail": pk("assignment"),
    "duties:breakdown": pk("assignment"),
    "duties:assign_office": pk("assignment"),
    "duties:office_retire": pk("office"),
    # published documents (standards, handbooks)
    **{
        f"documents:{name}": pk("document")
        for name in ("detail", "diff", "draft", "new_draft", "publish", "attachment_add")
    },
    "documents:version": lambda r: {"pk": r.document.pk, "number": 1},
    "documents:attachment": pk("doc_attachment"),
    "documents:attachment_remove": pk("doc_attachment"),
    "documents:confirm_read": pk("doc_section"),
    "documents:item": pk("doc_item"),
    # admission
    "admission:affair_detail": pk("affair"),
    "admission:affair_end": pk("affair"),
    "admission:request_detail": pk("admission_request"),
    "admission:community_detail": pk("community"),
    # organizational life
    "orglife:branch": pk("branch"),
    "orglife:plan_create": lambda r: {"branch_pk": r.branch.pk},
    "orglife:report_unplanned": lambda r: {"branch_pk": r.branch.pk},
    "orglife:study_plan": lambda r: {"branch_pk": r.branch.pk, "year": 2025},
    "orglife:plan_detail": pk("plan"),
    "orglife:plan_edit": pk("plan"),
    "orglife:plan_decide": pk("plan"),
    "orglife:report_start": lambda r: {"gathering_pk": r.meeting.pk},
    "orglife:report_detail": pk("report"),
    "orglife:report_edit": pk("report"),
    "orglife:report_photo": pk("report"),
    # coverage
    "coverage:entity_detail": pk("entity"),
    "coverage:entity_edit": pk("entity"),
    "coverage:instructor_detail": pk("instructor"),
    "coverage:team_detail": pk("team"),
    # assessments
    "assessments:report_detail": pk("work_report"),
    "assessments:report_edit": pk("work_report"),
    "assessments:report_start_review": pk("work_report"),
    "assessments:report_score": pk("work_report"),
    "assessments:inspection_detail": pk("inspection"),
    "assessments:finding_detail": pk("finding"),
    "assessments:scheme_detail": pk("scheme"),
    "assessments:scheme_status": pk("scheme"),
    "assessments:scheme_compute": pk("scheme"),
    "assessments:item_add": pk("scheme"),
    "assessments:item_remove": lambda r: {"pk": r.scheme.pk, "item_pk": r.item.pk},
    "assessments:scheme_copy": pk("scheme"),
    "assessments:assessment_detail": pk("assessment"),
    "assessments:person_detail": pk("user"),
    "assessments:agency_detail": pk("agency"),
    "assessments:agency_edit": pk("agency"),
    # imports and exports
    "imports:detail": pk("import_job"),
    "imports:rejected": pk("import_job"),
    "imports:file": pk("import_job"),
    "imports:export_detail": pk("export_job"),
    "imports:export_download": pk("export_job"),
    # a person's data rights
    "privacy:request_detail": pk("data_request"),
}

# The API's basenames and the record each one's detail routes are requested with.
API_RECORDS: dict[str, REC] = {
    "user": "user",
    "grant": "grant",
    "verification": "verification",
    "area": "area",
    "party-org": "party_org",
    "gathering": "gathering",
    "member": "member",
    "registration": "registration",
    "contact-attempt": "contact_attempt",
    "study-record": "study_record",
    "transfer": "transfer",
    "dues-payment": "dues_payment",
    "care-visit": "care_visit",
    "admitted-affair": "affair",
    "document": "document",
    "document-item": "doc_item",
    "admission-request": "admission_request",
    "duty-task": "duty_task",
    "duty-assignment": "assignment",
    "orglife-plan": "plan",
    "orglife-guidance": "guidance",
    "orglife-report": "report",
    "appraisal": "appraisal",
    "study-plan": "study_plan",
    "office": "office",
    "agency": "agency",
    "grid-rating": "grid_rating",
    "cadre-score": "cadre_score",
    "mine": "member",  # a Party member's own record: anyone else's is a 404
    "meeting": "meeting",
    "entity": "entity",
    "instructor": "instructor",
    "cross-appointment": "cross_appointment",
    "service-team": "team",
    "work-report": "work_report",
    "inspection": "inspection",
    "finding": "finding",
    "assessment": "assessment",
    "agency-review": "agency_review",
    "data-request": "data_request",
}

PAGES = {
    "portal:home",
    "portal:notice_list",
    "portal:notice_create",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:verification_queue",
    "accounts:my_verification",
    "accounts:user_list",
    "accounts:account_create",
    "accounts:grant_area_options",
    "accounts:lockouts",
    "accounts:my_tokens",
    "areas:tree",
    "areas:create_root",
    "areas:party_org_list",
    "areas:import",
    "areas:import_template",
    "areas:export",
    "workflow:notifications",
    "workflow:unread_badge",
    "gatherings:list",
    "gatherings:create",
    "audit:log",
    "audit:export",
    "members:list",
    "members:create",
    "members:branches",
    "members:mine",
    "members:mine_edit",
    "members:register_me",
    "members:registrations",
    "members:registration_org",
    "members:worklist",
    "members:find",
    "members:mine_whereabouts",
    "members:study",
    "members:conversions",
    "members:transfers",
    "members:dues",
    "members:dues_brackets",
    "members:care",
    "members:anniversaries",
    "members:import",
    "members:import_template",
    "members:export",
    "duties:worklist",
    "duties:task_list",
    "duties:copy_list",
    "duties:progress",
    "duties:task_create",
    "duties:offices",
    "documents:standards",
    "documents:handbooks",
    "documents:search",
    "documents:create",
    "admission:catalog",
    "admission:affair_create",
    "admission:request_list",
    "admission:request_create",
    "admission:communities",
    "orglife:compliance",
    "orglife:worklist",
    "coverage:overview",
    "coverage:gaps",
    "coverage:entity_list",
    "coverage:entity_create",
    "coverage:instructor_list",
    "coverage:instructor_create",
    "coverage:cross_list",
    "coverage:cross_create",
    "coverage:team_list",
    "coverage:team_create",
    "assessments:report_list",
    "assessments:worklist",
    "assessments:report_create",
    "assessments:inspection_list",
    "assessments:inspection_create",
    "assessments:finding_list",
    "assessments:site_meetings",
    "assessments:scheme_list",
    "assessments:scheme_create",
    "assessments:grid_extension",
    "assessments:grid_extension_compute",
    "assessments:grid_extension_export",
    "assessments:rate",
    "assessments:agency_list",
    "assessments:agency_create",
    "clock:overview",
    "privacy:mine",
    "privacy:download_xlsx",
    "privacy:download_json",
    "privacy:requests",
    "privacy:consent",
    "my-data",
    "my-consent",
    "api-root",
}

EXEMPT = {
    "portal:healthz": "public health check: no record, no personal data",
    "portal:switch_area": "POST-only switch of the user's own working area (tests/portal/test_switcher.py)",
    "accounts:login": "public sign-in page",
    "accounts:logout": "signs the client out; no record",
    "accounts:two_factor": "the sign-in's second step, for the user signing in",
    "accounts:password_reset": "public; answers the same for any address (tests/accounts)",
    "accounts:password_reset_done": "public static page",
    "accounts:password_reset_confirm": "public; guarded by the signed one-time token in its URL",
    "accounts:password_reset_complete": "public static page",
    "accounts:register": "public resident registration form",
    "accounts:register_areas": "public: the registration form's area picker lists every area by design",
    "accounts:lockout_unlock": "POST-only admin action on a username, no record (tests/accounts)",
    "workflow:notifications_read_all": "POST-only, marks the user's own notifications",
    "api-token": "public token endpoint: signs in (tests/api/test_token.py)",
    "api-schema": "the OpenAPI schema: describes routes, holds no record",
    "api-docs": "the API's documentation page: no record",
    "set_language": "Django's language switch: no record",
    "privacy:notice": "the public privacy notice: no record",
    "privacy:submit": "POST-only: files a request about the signed-in person's own data (tests/privacy)",
    "privacy:withdraw": "POST-only: withdraws the signed-in person's own consent (tests/privacy)",
    "my-consent-withdraw": "POST-only: withdraws the caller's own consent (tests/privacy)",
}

# Patterns not named by the project: Django's admin site (staff accounts of the operator only; every
# model admin checks is_staff and its model permission).
EXEMPT_PREFIXES = {"django-admin/": "Django's admin site: the operator's staff accounts only"}
