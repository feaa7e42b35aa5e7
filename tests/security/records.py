"""One record of every model that has a page or an API route of its own, all in 青江街道 (street A) of the
fixed cast's tree, and the outsiders: one user of each official role of the cast (and a resident and a
Party member) placed in 东城街道 (street B).

The rows are written with the ORM (real rows, real database): what is under test is who may reach them, not
how they were made. Every text a page could show carries CANARY, so that a list or a form that leaks one of
street A's records to an outsider is caught by its text."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.accounts.models import ResidentVerification
from grassroots.accounts.roles import Role
from grassroots.accounts.services.tokens import issue_token
from grassroots.cogov.models import (
    ActionItem,
    Agreement,
    Claim,
    Commitment,
    JointBody,
    JointMeeting,
    Partner,
    Rating,
    Resource,
    ServiceItem,
    Volunteer,
)
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, FundsTransfer
from grassroots.core.assessments.models import (
    AgencyHeadReview,
    Assessment,
    AssessmentItem,
    AssessmentScheme,
    CadreScore,
    Finding,
    GridRating,
    Inspection,
    Lesson,
    SiteMeeting,
    StationedAgency,
    WorkReport,
)
from grassroots.core.coverage.models import CrossAppointment, Entity, Instructor, ServiceTeam
from grassroots.core.duties.models import DutyAssignment, DutyTask, Office, OfficeMember, TaskList
from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import (
    CareVisit,
    ContactAttempt,
    DuesPayment,
    Member,
    Registration,
    StudyRecord,
    Transfer,
)
from grassroots.core.orglife.models import (
    Appraisal,
    OrgLifeGuidance,
    OrgLifePlan,
    OrgLifeReport,
    StudyPlan,
)
from grassroots.documents.models import Attachment, Document, DocumentVersion, Item, Section
from grassroots.gatherings.models import Gathering, Guest, Photo, Series
from grassroots.gridwork.models import Visit
from grassroots.imports.models import ExportJob, ImportJob
from grassroots.lawgov.models_disputes import Dispute, DisputeParty, MediationSession
from grassroots.lawgov.models_pairings import Pairing, PairingCommitment, PairingService
from grassroots.lawgov.models_stations import Consultation, LegalSession, LegalStation, LegalWorker
from grassroots.portal.models import Notice
from grassroots.privacy.models import DataRequest
from grassroots.selfgov.models import (
    Convention,
    Evaluation,
    Matter,
    Opinion,
    OpinionPhoto,
    ProgressUpdate,
    Rulebook,
    Spending,
    SupervisionCheck,
    Supervisor,
    UpdatePhoto,
)
from grassroots.selfgov.models_negotiations import FollowUp, Negotiation, NegotiationParty
from grassroots.virtue.models import (
    Campaign,
    CultureBrand,
    EnvironmentalAction,
    Exchange,
    Nomination,
    NominationMaterial,
    Objection,
    PointsEntry,
    StockEntry,
    StoreItem,
    Venue,
    VenuePhoto,
    WarningEducation,
)
from grassroots.voting.models import (
    Electorate,
    Household,
    Majority,
    Option,
    Representative,
    RepresentativeElection,
    Vote,
    VoteStatus,
)
from grassroots.workflow.models import Notification, TransitionAttachment, TransitionLog
from tests.factories import Level, make_area, make_party_org, make_user

CANARY = "QJ机密"  # in every text of street A's records; an outsider's page must never show it
YEAR = 2025


def _id_number(serial: int) -> str:
    first17 = f"5118021980050{serial % 10}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)


def outsiders(tree) -> SimpleNamespace:
    """Each role of the fixed cast, placed in street B (东城街道) instead of street A: each holds a grant in
    another area than the records', and must get 404 for every one of them."""
    grid_b = make_area("育才第一网格", Level.GRID, tree.community_b)
    return SimpleNamespace(
        street_b=make_user("x_street", Role.STREET_OFFICIAL, tree.street_b),
        secretary_b=make_user("x_secretary", Role.COMMUNITY_SECRETARY, tree.community_b),
        worker_b=make_user("x_worker", Role.COMMUNITY_WORKER, tree.community_b),
        grid_b=make_user("x_grid", Role.GRID_WORKER, grid_b),
        member_b=make_user("x_member", Role.MEMBER, tree.community_b),
        resident_b=make_user("x_resident", Role.RESIDENT, grid_b, home_area=grid_b),
        auditor_b=make_user("x_auditor", Role.AUDITOR, tree.street_b),
        admin_b=make_user("x_admin", Role.SYSTEM_ADMIN, tree.street_b),
    )


def street_a_records(tree, cast) -> SimpleNamespace:
    """One record of each model with a page or API route, inside street A's subtree."""
    now = timezone.now()
    today = timezone.localdate()
    street_org = make_party_org(f"青江街道党工委{CANARY}", tree.street_a, kind="committee")
    community_org = make_party_org(
        f"桥楼社区党委{CANARY}", tree.community_a, kind="committee", parent=street_org
    )
    community_org.secretary = cast.secretary
    community_org.save()
    branch = make_party_org(f"第一网格党支部{CANARY}", tree.grid_a, parent=community_org)
    branch_2 = make_party_org(f"第二党支部{CANARY}", tree.community_a, parent=community_org)
    member = Member.objects.create(
        name=f"张{CANARY}",
        gender="male",
        birth_date=date(1980, 5, 1),
        id_number=_id_number(1),
        branch=branch,
        joined_probationary_on=date(2005, 7, 1),
        joined_full_on=date(2006, 7, 1),
        occupation=CANARY,
    )
    r = SimpleNamespace(street_org=street_org, party_org=community_org, branch=branch, member=member)
    r.area = tree.community_a
    r.community = tree.community_a
    r.user = cast.worker
    r.grant = cast.worker.grants.get()
    r.token = issue_token(user=cast.street_a, name=CANARY)[0]
    r.notice = Notice.objects.create(
        area=tree.community_a, title=f"通知{CANARY}", body=CANARY, author=cast.worker, published_at=now
    )
    newcomer = make_user("a_newcomer", home_area=tree.courtyard_a, full_name=f"新{CANARY}")
    r.verification = ResidentVerification.objects.create(
        user=newcomer, area=tree.courtyard_a, full_name=f"新{CANARY}", phone="13800000001"
    )
    r.notification = Notification.objects.create(recipient=cast.street_a, verb=CANARY, url="/")
    log = TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(ResidentVerification),
        object_id=r.verification.pk,
        transition="submit",
        to_state="pending",
        comment=CANARY,
    )
    r.attachment = TransitionAttachment.objects.create(log=log, file="workflow/x.pdf", name=f"{CANARY}.pdf")
    gathering_fields = {
        "area": tree.community_a,
        "organizer": cast.worker,
        "starts_at": now + timedelta(days=2),
        "ends_at": now + timedelta(days=2, hours=2),
        "visibility": "invited",
    }
    r.gathering = Gathering.objects.create(kind="meeting", title=f"会议{CANARY}", **gathering_fields)
    r.photo = Photo.objects.create(gathering=r.gathering, image="gatherings/x.jpg", caption=CANARY)
    r.activity = Gathering.objects.create(
        kind="volunteer_service", title=f"志愿活动{CANARY}", **gathering_fields
    )
    r.guest = Guest.objects.create(gathering=r.gathering, name=f"物业公司{CANARY}", role=CANARY)
    r.series = Series.objects.create(
        kind="legal_session",
        title=f"法律咨询日{CANARY}",
        area=tree.community_a,
        organizer=cast.worker,
        created_by=cast.worker,
        start_time=time(9, 0),
        duration_minutes=60,
        frequency="weekly",
        weekday=1,
        starts_on=now.date(),
        count=4,
    )
    r.meeting = Gathering.objects.create(
        kind="orglife_general", title=f"党员大会{CANARY}", **gathering_fields
    )
    r.registration = Registration.objects.create(
        community=tree.community_a, member=member, registered_by=cast.worker, services_offered=CANARY
    )
    r.transfer = Transfer.objects.create(
        member=member, from_branch=branch, to_branch=branch_2, requested_by=cast.secretary, reason=CANARY
    )
    r.study_record = StudyRecord.objects.create(
        member=member, title=f"学习{CANARY}", studied_on=today, hours=Decimal("2.0")
    )
    r.contact_attempt = ContactAttempt.objects.create(
        member=member, method="phone", by=cast.worker, result=CANARY
    )
    r.dues_payment = DuesPayment.objects.create(
        member=member, year=YEAR, month=1, amount=Decimal("10.00"), recorded_by=cast.worker
    )
    r.care_visit = CareVisit.objects.create(member=member, visitor=cast.worker, kind="holiday", notes=CANARY)
    r.affair = AdmittedAffair.objects.create(
        area=tree.street_a,
        name=f"事项{CANARY}",
        legal_basis=CANARY,
        department="民政局",
        valid_from=date(2025, 1, 1),
    )
    r.admission_request = AdmissionRequest.objects.create(
        area=tree.street_a,
        department="民政局",
        filed_by=cast.street_a,
        name=f"申请{CANARY}",
        legal_basis=CANARY,
        justification=CANARY,
        powers=CANARY,
        funds_per_community=Decimal("1000.00"),
        valid_from=date(2025, 1, 1),
    )
    r.funds_transfer = FundsTransfer.objects.create(
        affair=r.affair,
        area=tree.community_a,
        year=YEAR,
        amount=Decimal("1000.00"),
        department=f"部门{CANARY}",
        allotted_by=cast.street_a,
        allotted_on=date(2025, 1, 1),
        allot_document=f"文号{CANARY}",
    )
    r.office = Office.objects.create(area=tree.street_a, kind="services", name=f"办{CANARY}")
    r.office_member = OfficeMember.objects.create(office=r.office, user=cast.street_a)
    task_list = TaskList.objects.create(area=tree.street_a, year=YEAR)
    r.duty_task = DutyTask.objects.create(
        task_list=task_list,
        area=tree.street_a,
        title=f"任务{CANARY}",
        description=CANARY,
        deadline=today + timedelta(days=30),
        target_level=Level.COMMUNITY,
    )
    r.assignment = DutyAssignment.objects.create(task=r.duty_task, area=tree.community_a, evidence=CANARY)
    r.plan = OrgLifePlan.objects.create(
        branch=branch, period_unit="month", period_start=date(YEAR, 1, 1), note=CANARY, created_by=cast.worker
    )
    r.guidance = OrgLifeGuidance.objects.create(
        plan=r.plan, decision="return", comments=CANARY, author=cast.street_a
    )
    r.report = OrgLifeReport.objects.create(
        branch=branch,
        gathering=r.meeting,
        kind="orglife_general",
        held_on=today,
        minutes=CANARY,
        created_by=cast.worker,
    )
    r.study_plan = StudyPlan.objects.create(
        branch=branch, year=YEAR, title=f"学习计划{CANARY}", content=CANARY, created_by=cast.worker
    )
    r.appraisal = Appraisal.objects.create(
        member=member,
        branch=branch,
        year=YEAR,
        grade="excellent",
        note=CANARY,
        report=r.report,
        recorded_by=cast.worker,
        recorded_at=now,
    )
    r.entity = Entity.objects.create(
        name=f"企业{CANARY}", kind="enterprise", area=tree.community_a, note=CANARY
    )
    r.instructor = Instructor.objects.create(
        name=f"指导员{CANARY}", sent_by=street_org, area=tree.community_a
    )
    r.cross_appointment = CrossAppointment.objects.create(
        person_name=f"交叉{CANARY}",
        org=community_org,
        position="委员",
        other_position="主任",
        starts_on=date(2025, 1, 1),
    )
    r.team = ServiceTeam.objects.create(name=f"服务队{CANARY}", area=tree.community_a, description=CANARY)
    r.work_report = WorkReport.objects.create(
        party_org=community_org,
        area=tree.community_a,
        reviewing_area=tree.street_a,
        year=YEAR,
        reporter=cast.secretary,
        title=f"述职{CANARY}",
        content=CANARY,
    )
    r.inspection = Inspection.objects.create(
        title=f"督察{CANARY}",
        area=tree.community_a,
        by_area=tree.street_a,
        inspected_on=today - timedelta(days=10),
        led_by=cast.street_a,
        summary=CANARY,
    )
    r.finding = Finding.objects.create(
        inspection=r.inspection,
        area=tree.community_a,
        description=CANARY,
        owner=cast.secretary,
        deadline=today + timedelta(days=30),
    )
    site_gathering = Gathering.objects.create(
        kind="site_meeting", title=f"现场会{CANARY}", **{**gathering_fields, "area": tree.street_a}
    )
    r.site_meeting = SiteMeeting.objects.create(
        gathering=site_gathering,
        shows="practice",
        practice_area=tree.community_a,
        practice=CANARY,
        host_area=tree.community_a,
    )
    r.lesson = Lesson.objects.create(meeting=r.site_meeting, text=CANARY)
    r.scheme = AssessmentScheme.objects.create(
        name=f"考核{CANARY}", year=YEAR, area=tree.street_a, level=Level.COMMUNITY, created_by=cast.street_a
    )
    r.item = AssessmentItem.objects.create(
        scheme=r.scheme, name=f"指标{CANARY}", weight=Decimal("100"), method="manual"
    )
    r.assessment = Assessment.objects.create(scheme=r.scheme, area=tree.community_a, peer_group="")
    r.agency = StationedAgency.objects.create(street=tree.street_a, name=f"派出所{CANARY}", department="公安")
    r.agency_review = AgencyHeadReview.objects.create(
        agency=r.agency,
        head=cast.worker,
        year=YEAR,
        score=Decimal("90"),
        comments=CANARY,
        reviewed_by=cast.street_a,
        reviewed_at=now,
    )
    r.grid_rating = GridRating.objects.create(
        resident=cast.resident, worker=cast.worker, grid=tree.grid_a, year=YEAR, score=5, comment=CANARY
    )
    r.cadre_score = CadreScore.objects.create(
        person=cast.worker, year=YEAR, street=tree.street_a, score=Decimal("88.0"), computed_at=now
    )
    r.cadre_score.grids.add(tree.grid_a)
    r.import_job = ImportJob.objects.create(
        kind="members",
        created_by=cast.street_a,
        file="imports/x.xlsx",
        original_name=f"{CANARY}.xlsx",
        area_path=tree.street_a.path,
    )
    r.export_job = ExportJob.objects.create(
        kind="members", created_by=cast.street_a, file="exports/x.xlsx", filename=f"{CANARY}.xlsx"
    )
    r.document = Document.objects.create(area=tree.street_a, kind="handbook", title=f"手册{CANARY}")
    published = DocumentVersion.objects.create(document=r.document, number=1, state="published", note=CANARY)
    r.doc_section = Section.objects.create(version=published, number="1", title=f"章{CANARY}")
    Item.objects.create(section=r.doc_section, number="1.1", text=CANARY)
    draft = DocumentVersion.objects.create(document=r.document, number=2, note=CANARY)
    r.doc_attachment = Attachment.objects.create(version=draft, file="documents/x.pdf", name=f"{CANARY}.pdf")
    standard = Document.objects.create(area=tree.street_a, kind="standard", title=f"标准{CANARY}")
    in_force = DocumentVersion.objects.create(document=standard, number=1, state="published")
    section = Section.objects.create(version=in_force, number="1", title=f"章{CANARY}")
    r.doc_item = Item.objects.create(section=section, number="1.1", text=CANARY)
    r.verification_ct = ContentType.objects.get_for_model(ResidentVerification)
    r.data_request = DataRequest.objects.create(
        user=newcomer, kind="correction", area=tree.courtyard_a, details=f"手机号有误{CANARY}"
    )
    r.vote = Vote.objects.create(
        area=tree.community_a,
        title=f"投票{CANARY}",
        electorate=Electorate.RESIDENTS,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=2),
        majority=Majority.SIMPLE,
        status=VoteStatus.PUBLISHED,
    )
    Option.objects.create(vote=r.vote, label=f"同意{CANARY}")
    r.hearing = Gathering.objects.create(kind="hearing", title=f"听证会{CANARY}", **gathering_fields)
    Guest.objects.create(gathering=r.hearing, name=f"物业公司{CANARY}")
    r.matter = Matter.objects.create(
        community=tree.community_a,
        area=tree.courtyard_a,
        title=f"事项{CANARY}",
        category="parking",
        collection_ends_at=now + timedelta(days=7),
        created_by=cast.worker,
        hearing=r.hearing,
    )
    r.opinion = Opinion.objects.create(
        community=tree.community_a,
        area=tree.courtyard_a,
        author=cast.resident,
        category="parking",
        text=CANARY,
    )
    _execution(r, cast, tree, now)
    r.opinion_photo = OpinionPhoto.objects.create(opinion=r.opinion, image="selfgov/x.jpg")
    rules = Document.objects.create(area=tree.community_a, kind="rulebook", title=f"议事制度{CANARY}")
    DocumentVersion.objects.create(document=rules, number=1, state="published", note=CANARY)
    r.rulebook = Rulebook.objects.create(community=tree.community_a, kind="decision", document=rules)
    r.courtyard = tree.courtyard_a  # a courtyard without a convention (create routes' control)
    other_yard = make_area("二号院落", Level.COURTYARD, tree.grid_a)
    pact = Document.objects.create(area=other_yard, kind="convention", title=f"公约{CANARY}")
    DocumentVersion.objects.create(document=pact, number=1, state="published", note=CANARY)
    r.convention = Convention.objects.create(
        courtyard=other_yard, community=tree.community_a, document=pact, state="published", in_force_since=now
    )
    r.resident = cast.resident
    r.household = Household.objects.create(area=tree.grid_a, name=f"1栋101{CANARY}")
    r.visit = Visit.objects.create(
        worker=cast.worker,
        area=tree.grid_a,
        resident=cast.resident,
        household=r.household,
        visited_on=today,
        heard=f"民情{CANARY}",
    )
    r.election = RepresentativeElection.objects.create(
        community=tree.community_a,
        held_on=today - timedelta(days=30),
        term_ends_on=today + timedelta(days=1800),
        gathering=r.gathering,
        document="voting/x.pdf",
        document_name=f"{CANARY}.pdf",
        note=CANARY,
    )
    r.representative = Representative.objects.create(
        community=tree.community_a, user=newcomer, since=today, election=r.election
    )
    r.partner = Partner.objects.create(
        name=f"驻区单位{CANARY}", kind="school", area=tree.community_a, contact_name=CANARY
    )
    r.resource = Resource.objects.create(partner=r.partner, kind="venue", name=f"礼堂{CANARY}", quantity=1)
    r.agreement = Agreement.objects.create(
        party_org=community_org,
        partner=r.partner,
        title=f"共建协议{CANARY}",
        starts_on=today,
        ends_on=today + timedelta(days=365),
        signed_on=today,
        file="cogov/x.pdf",
        file_name=f"{CANARY}.pdf",
    )
    Commitment.objects.create(agreement=r.agreement, side="org", text=CANARY)
    r.negotiation = Negotiation.objects.create(
        community=tree.community_a,
        area=tree.courtyard_a,
        party_org=community_org,
        subject=f"协商{CANARY}",
        description=CANARY,
        created_by=cast.worker,
        state="agreed",
        agreed_at=now,
        agreement_text=CANARY,
        agreement_file="selfgov/x.pdf",
        agreement_file_name=f"{CANARY}.pdf",
    )
    party = NegotiationParty.objects.create(negotiation=r.negotiation, kind="residents", name=f"王{CANARY}")
    FollowUp.objects.create(negotiation=r.negotiation, text=CANARY, owner=party, due_on=today)
    r.dispute = Dispute.objects.create(
        number=f"纠纷-{today.year}-9999",
        year=today.year,
        serial=9999,
        community=tree.community_a,
        area=tree.courtyard_a,
        title=f"纠纷{CANARY}",
        category="neighbours",
        description=CANARY,
        channel="grid",
        handler=tree.community_a,
        due_on=today,
        filed_by=cast.worker,
        state="settled",
        settled_at=now,
        agreement_text=CANARY,
        agreement_file="lawgov/x.pdf",
        agreement_file_name=f"{CANARY}.pdf",
    )
    DisputeParty.objects.create(dispute=r.dispute, role="applicant", name=f"李{CANARY}", phone="13900001234")
    r.mediation_session = MediationSession.objects.create(
        dispute=r.dispute,
        level=4,
        kind="peoples",
        held_at=now,
        place=CANARY,
        mediator_names=CANARY,
        record=CANARY,
        created_by=cast.worker,
    )
    r.legal_station = LegalStation.objects.create(
        area=tree.community_a, name=f"法律服务站{CANARY}", place=CANARY
    )
    r.legal_worker = LegalWorker.objects.create(station=r.legal_station, name=CANARY, role="lawyer")
    legal_series = Series.objects.create(
        area=tree.community_a,
        kind="legal_session",
        title=f"法律服务{CANARY}",
        place=CANARY,
        visibility="public",
        capacity=3,
        signup_open=True,
        organizer=cast.worker,
        created_by=cast.worker,
        start_time=time(9, 30),
        duration_minutes=60,
        frequency="weekly",
        weekday=1,
        starts_on=today,
    )
    r.legal_session = LegalSession.objects.create(
        station=r.legal_station, series=legal_series, provider="bar"
    )
    r.legal_occurrence = Gathering.objects.create(
        kind="legal_session",
        title=f"法律服务{CANARY}",
        series=legal_series,
        occurrence_on=today + timedelta(days=2),
        capacity=3,
        signup_open=True,
        **{**gathering_fields, "visibility": "public"},
    )
    r.consultation = Consultation.objects.create(
        station=r.legal_station, topic="other", question=CANARY, answer=CANARY, recorded_by=cast.worker
    )
    r.pairing = Pairing.objects.create(
        kind="org",
        community=tree.community_a,
        partner=r.partner,
        department="court",
        community_org=community_org,
        started_on=today,
        created_by=cast.worker,
    )
    PairingCommitment.objects.create(pairing=r.pairing, text=f"承诺{CANARY}")
    PairingService.objects.create(
        pairing=r.pairing, done_on=today, content=f"服务{CANARY}", hours=1, recorded_by=cast.worker
    )
    helper = make_user("helper", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    r.volunteer = Volunteer.objects.create(user=helper, area=tree.community_a, skills=[CANARY])
    r.service_item = ServiceItem.objects.create(
        community=tree.community_a,
        year=today.year,
        kind="need",
        title=f"需求{CANARY}",
        category="goods",
        shares=2,
        taken=1,
        published=True,
    )
    r.claim = Claim.objects.create(
        item=r.service_item,
        partner=r.partner,
        planned_on=today,
        note=CANARY,
        state="confirmed",
        delivered_on=today,
        beneficiaries=3,
        evidence="cogov/e.pdf",
        evidence_name=f"{CANARY}.pdf",
    )
    Rating.objects.create(
        claim=r.claim, rater=cast.worker, rater_kind="community", score=4, verdict="satisfied", comment=CANARY
    )
    r.joint_body = JointBody.objects.create(
        area=tree.community_a, host=community_org, name=f"联席会议{CANARY}"
    )
    r.joint_body.members.add(r.partner)
    r.joint_meeting = JointMeeting.objects.create(
        body=r.joint_body,
        gathering=Gathering.objects.create(
            kind="joint_meeting",
            title=f"联席会议{CANARY}",
            area=tree.community_a,
            organizer=cast.worker,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
            description=CANARY,
        ),
    )
    r.action_item = ActionItem.objects.create(
        meeting=r.joint_meeting,
        area=tree.community_a,
        text=f"督办{CANARY}",
        owner_partner=r.partner,
        due_on=today - timedelta(days=1),
    )
    _virtue(r, cast, tree, now)
    return r


def _virtue(r, cast, tree, now) -> None:
    """Cultivation by virtue: a warning education session of the community's team, a venue and its photo."""
    session = Gathering.objects.create(
        kind="virtue_warning",
        title=f"警示教育{CANARY}",
        area=tree.community_a,
        organizer=cast.worker,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        visibility="invited",
    )
    r.warning_education = WarningEducation.objects.create(
        gathering=session, team=tree.community_a, mode="case", case_summary=CANARY, created_by=cast.worker
    )
    r.venue = Venue.objects.create(
        kind="reading_room", name=f"廉政书屋{CANARY}", area=tree.community_a, address=CANARY
    )
    r.venue_photo = VenuePhoto.objects.create(venue=r.venue, image="virtue/x.jpg", caption=CANARY)
    # points: a line of the resident's ledger, a store item of the community, an exchange waiting for pick-up
    r.points_entry = PointsEntry(
        person=cast.resident,
        area=tree.community_a,
        rule="award",
        points=50,
        source_type="areas.area",
        source_id=tree.community_a.pk,
        reason=f"奖励{CANARY}",
        created_at=now,
    )
    r.points_entry.save()
    r.store_item = StoreItem.objects.create(area=tree.community_a, name=f"洗衣液{CANARY}", price=10, stock=5)
    r.exchange = Exchange.objects.create(
        item=r.store_item, area=tree.community_a, person=cast.resident, points=10, created_at=now
    )
    r.stock_entry = StockEntry(item=r.store_item, area=tree.community_a, kind="opening", change=5, at=now)
    r.stock_entry.save()
    PointsEntry(
        person=cast.resident,
        area=tree.community_a,
        rule="exchange",
        points=-10,
        source_type="virtue.exchange",
        source_id=r.exchange.pk,
        reason=f"兑换{CANARY}",
        created_at=now,
    ).save()
    r.campaign = Campaign.objects.create(
        area=tree.community_a,
        kind="integrity_star",
        title=f"廉洁模范之星{CANARY}",
        places=1,
        nominations_close_at=now + timedelta(days=7),
        created_by=cast.worker,
    )
    r.nomination = Nomination.objects.create(
        campaign=r.campaign, nominee=f"张大姐{CANARY}", reason=CANARY, nominated_by=cast.worker
    )
    r.nomination_material = NominationMaterial.objects.create(
        nomination=r.nomination, file="virtue/n.pdf", name=f"{CANARY}.pdf"
    )
    r.objection = Objection.objects.create(
        campaign=r.campaign, nomination=r.nomination, text=CANARY, raised_by=cast.resident
    )
    r.brand = CultureBrand.objects.create(area=tree.community_a, kind="red", name=f"红色{CANARY}")
    r.env_action = Gathering.objects.create(
        kind="virtue_env_cleanup",
        title=f"清洁{CANARY}",
        area=tree.community_a,
        organizer=cast.worker,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        signup_open=True,
    )
    EnvironmentalAction.objects.create(gathering=r.env_action, check_in_code="123456")


def _execution(r, cast, tree, now) -> None:
    """Steps 4-5 of street A's matter: an update's photo, a spending's evidence, a check's photo, a member of
    the supervision committee, an evaluation round."""
    update = ProgressUpdate.objects.create(matter=r.matter, author=cast.worker, text=f"进展{CANARY}")
    r.update_photo = UpdatePhoto.objects.create(update=update, image="selfgov/u.jpg")
    r.spending = Spending.objects.create(
        matter=r.matter,
        amount=Decimal("10"),
        spent_on=now.date(),
        note=f"支出{CANARY}",
        evidence="selfgov/e.pdf",
        recorded_by=cast.worker,
    )
    r.supervision_check = SupervisionCheck.objects.create(
        matter=r.matter, supervisor=cast.resident, finding=f"检查{CANARY}", photo="selfgov/c.jpg"
    )
    r.supervisor = Supervisor.objects.create(
        community=tree.community_a, user=cast.secretary, added_by=cast.worker
    )
    r.evaluation = Evaluation.objects.create(
        matter=r.matter, round=1, opens_at=now, closes_at=now + timedelta(days=7), threshold=Decimal("60")
    )
