"""Build members row by row and write them, with their tags and a sample of the five precisions' records,
in batches (bulk inserts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grassroots.core.members.demo.data import (
    AGE_BANDS,
    BATCH,
    ETHNICITIES,
    MOBILE_PLACES,
    MOBILE_WORK,
    OCCUPATIONS,
    SAMPLE,
    SKILLS,
    STUDY_TITLES,
    _weighted,
    _years_before,
)
from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import (
    CareVisit,
    CareVisitKind,
    ContactAttempt,
    ContactMethod,
    DuesPayment,
    Education,
    Member,
    MemberStatus,
    StudyRecord,
    StudySource,
)
from grassroots.demo import names
from grassroots.demo.registry import SeedContext, local_today

PROBATIONARY_MAX_AGE = 35  # a probationary member joined within the year: drawn from the younger bands


class _Writer:
    """Builds members row by row and writes them, with their tags and related records, in batches."""

    def __init__(self, ctx: SeedContext, tags: dict[str, int]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.tags = tags
        self.today = local_today()
        self.now = timezone.now()
        self.counties = {c.path: c.code for c in ctx.counties}
        self.county_len = len(ctx.counties[0].path) if ctx.counties else 0
        self.serials: dict[tuple, int] = defaultdict(int)
        self.pending: list[tuple[Member, list[str], bool]] = []
        users = ctx.users
        self.keeper = users.get("worker") or users.get("secretary") or next(iter(users.values()), None)
        self.secretary = users.get("secretary") or self.keeper
        self.count = 0
        self.related = 0

    # --- one member -----------------------------------------------------------------------------------
    def add(
        self,
        branch_id: int,
        area_path: str,
        homes: list[int],
        is_local: bool,
        probationary: bool | None = None,
    ) -> None:
        """`probationary`: the member's standing, when the caller decides it (else drawn, about 1 in 10)."""
        rng = self.rng
        male = rng.random() < 0.6
        if probationary is None:
            probationary = rng.random() < 0.10
        # A probationary member joined in the last year, so is young (never a 95-year-old joining this year).
        bands = [b for b in AGE_BANDS if b[0] <= PROBATIONARY_MAX_AGE] if probationary else AGE_BANDS
        low, high, _w = rng.choices(bands, weights=[b[2] for b in bands])[0]
        age = rng.randint(low, min(high, PROBATIONARY_MAX_AGE) if probationary else high)
        birth = _years_before(self.today, age) - timedelta(days=rng.randint(1, 364))
        region = self.counties.get(area_path[: self.county_len], "511802")
        number = self._id_number(region, birth, male)
        adult = _years_before(birth, -18)  # the 18th birthday: nobody joins before it
        if probationary:
            joined = max(adult, self.today - timedelta(days=rng.randint(10, 360)))
            full = None
        else:
            # The join year is drawn between the 18th birthday and (a year of probation before) today,
            # mostly young: the join age 18–45 as far as the member's life allows.
            latest = self.today - timedelta(days=400)
            join_age = rng.randint(18, min(45, max(18, age - 2)))
            joined = _years_before(birth, -join_age) + timedelta(days=rng.randint(0, 300))
            joined = max(adult, min(joined, latest))
            full = min(joined + timedelta(days=365 + rng.randint(0, 30)), self.today)
        in_service = age < 60 and rng.random() < 0.5
        occupation, work_unit = (
            rng.choice(OCCUPATIONS[:-1]) if in_service else (("退休", "") if age >= 55 else OCCUPATIONS[-1])
        )
        status = _weighted(
            rng,
            (
                (MemberStatus.NORMAL, 962),
                (MemberStatus.MOBILE, 30),
                (MemberStatus.LOST_CONTACT, 6),
                (MemberStatus.TRANSFERRED_OUT, 1),
                (MemberStatus.DECEASED, 1),
            ),
        )
        member = Member(
            name=names.person_name(rng),
            gender="male" if male else "female",
            ethnicity=_weighted(rng, ETHNICITIES),
            birth_date=birth,
            id_number=number,
            phone=names.phone_number(rng) if rng.random() < 0.85 else "",
            education=self._education(age),
            occupation=occupation,
            work_unit=work_unit,
            in_service=in_service,
            home_area_id=rng.choice(homes) if homes and rng.random() < 0.92 else None,
            branch_id=branch_id,
            joined_probationary_on=joined,
            joined_full_on=full,
            status=status,
            status_changed_at=self.now - timedelta(days=rng.randint(1, 900)),
            dues_monthly=self._dues(in_service, age),
        )
        if status == MemberStatus.MOBILE:
            member.mobile_location = rng.choice(MOBILE_PLACES)
            member.mobile_work = rng.choice(MOBILE_WORK)
        member.fill_derived()
        self.pending.append((member, self._tags_of(age, joined, in_service), is_local))
        if len(self.pending) >= BATCH:
            self.flush()

    def _id_number(self, region: str, birth: date, male: bool) -> str:
        key = (region, birth, male)
        n = self.serials[key]
        self.serials[key] = n + 1
        serial = (2 * (n % 500) + (1 if male else 0)) % 1000
        first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
        return first17 + id_check_digit(first17)

    def _education(self, age: int) -> str:
        if age >= 70:
            pairs = (
                (Education.PRIMARY, 35),
                (Education.JUNIOR, 35),
                (Education.SENIOR, 22),
                (Education.COLLEGE, 8),
            )
        elif age >= 50:
            pairs = (
                (Education.JUNIOR, 25),
                (Education.SENIOR, 35),
                (Education.COLLEGE, 25),
                (Education.BACHELOR, 15),
            )
        else:
            pairs = (
                (Education.SENIOR, 15),
                (Education.COLLEGE, 30),
                (Education.BACHELOR, 45),
                (Education.MASTER, 9),
                (Education.DOCTOR, 1),
            )
        return "" if self.rng.random() < 0.05 else _weighted(self.rng, pairs)

    def _dues(self, in_service: bool, age: int) -> Decimal:
        if in_service:
            return Decimal(self.rng.choice(("15.00", "25.00", "40.00", "60.00", "90.00")))
        if age >= 55:
            return Decimal(self.rng.choice(("6.00", "8.00", "10.00", "15.00")))
        return Decimal("0.20")

    def _tags_of(self, age: int, joined: date, in_service: bool) -> list[str]:
        rng = self.rng
        tags = []
        if (self.today - joined).days >= 50 * 365:
            tags.append("老党员")
        if in_service:
            tags.append("在职党员")
        if rng.random() < 0.05:
            tags.append("退役军人")
        if rng.random() < 0.02:
            tags.append("困难党员")
        if rng.random() < 0.15:
            tags.append(rng.choice(SKILLS))
        if age >= 70 and rng.random() < 0.15:
            tags.append("独居")
        if age >= 60 and rng.random() < 0.10:
            tags.append("患病")
        if rng.random() < 0.01:
            tags.append("生活困难")
        return tags

    # --- writing ------------------------------------------------------------------------------------------
    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        members = [member for member, _tags, _local in batch]
        Member.objects.bulk_create(members, batch_size=500)
        Through = Member.tags.through
        Through.objects.bulk_create(
            [
                Through(member_id=member.pk, membertag_id=self.tags[name])
                for member, tags, _local in batch
                for name in tags
            ],
            batch_size=2_000,
        )
        self.count += len(members)
        if self.keeper is not None:
            sample = SAMPLE[self.ctx.tier.name]
            chosen = [(m, tags) for m, tags, local in batch if local or self.rng.random() < sample]
            self._related(chosen)

    def _related(self, chosen: list[tuple[Member, list[str]]]) -> None:
        rng, today = self.rng, self.today
        attempts, studies, payments, visits = [], [], [], []
        for member, tags in chosen:
            if member.status in (MemberStatus.MOBILE, MemberStatus.LOST_CONTACT):
                lost = member.status == MemberStatus.LOST_CONTACT
                for _ in range(rng.randint(1, 3)):
                    attempts.append(
                        ContactAttempt(
                            member=member,
                            attempted_on=today - timedelta(days=rng.randint(5, 300)),
                            method=rng.choice(ContactMethod.values),
                            by=self.keeper,
                            reached=not lost and rng.random() < 0.8,
                            result="电话无人接听，已请亲属转告"
                            if lost
                            else "已联系，本人在外务工，按时参加线上学习",
                        )
                    )
            if member.status not in (MemberStatus.NORMAL, MemberStatus.MOBILE):
                continue
            seen: set[tuple] = set()  # one record by hand per course and day (a unique constraint)
            for _ in range(rng.randint(2, 8)):
                title, day = rng.choice(STUDY_TITLES), today - timedelta(days=rng.randint(0, 400))
                hours = Decimal(rng.choice(("1.0", "1.5", "2.0", "3.0", "4.0")))
                if (title, day) in seen:
                    continue
                seen.add((title, day))
                studies.append(
                    StudyRecord(
                        member=member,
                        title=title,
                        studied_on=day,
                        hours=hours,
                        source=StudySource.MANUAL,
                        recorded_by=self.secretary,
                    )
                )
            payments.extend(self._payments(member))
            needs_care = member.age_on(today) >= 80 or any(t in ("独居", "患病", "生活困难") for t in tags)
            if needs_care and rng.random() < 0.6:
                for _ in range(rng.randint(1, 2)):
                    kind = rng.choice((CareVisitKind.HOLIDAY, CareVisitKind.ILLNESS, CareVisitKind.HARDSHIP))
                    visits.append(
                        CareVisit(
                            member=member,
                            visited_on=today
                            - timedelta(days=rng.randint(0, min(300, today.timetuple().tm_yday))),
                            visitor=self.secretary,
                            kind=kind,
                            help_given={
                                "holiday": "送去慰问金和米油",
                                "illness": "看望并协助联系家庭医生",
                            }.get(kind, "帮助申请临时救助"),
                        )
                    )
        for model, rows in (
            (ContactAttempt, attempts),
            (StudyRecord, studies),
            (DuesPayment, payments),
            (CareVisit, visits),
        ):
            model.objects.bulk_create(rows, batch_size=2_000)
        self.related += len(attempts) + len(studies) + len(payments) + len(visits)

    def _payments(self, member: Member) -> list[DuesPayment]:
        """Every month of last year and of this year until last month, unless in arrears (about 10 % stop
        paying two to five months before now)."""
        rng, today = self.rng, self.today
        months = [(today.year - 1, m) for m in range(1, 13)] + [
            (today.year, m) for m in range(1, today.month)
        ]
        joined = member.joined_probationary_on
        months = [(y, m) for y, m in months if (y, m) >= (joined.year, joined.month)]
        if rng.random() < 0.10:
            months = months[: max(0, len(months) - rng.randint(2, 5))]
        amount = member.dues_monthly or Decimal("0.20")
        return [
            DuesPayment(
                member=member,
                year=y,
                month=m,
                amount=amount,
                paid_on=min(date(y, m, min(28, rng.randint(1, 28))), today),
                recorded_by=self.secretary,
            )
            for y, m in months
        ]
