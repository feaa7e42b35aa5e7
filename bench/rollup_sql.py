"""The bare SQL aggregates bench/rollups.py compares the platform's roll-ups with: each one statement, written
by hand, grouped by the prefix of the area path (`SUBSTR(path, 1, width)`; a row on the area itself groups
under the area's own path). `figures()` pairs each with the platform's function."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def _table(model) -> str:
    return model._meta.db_table


def _under(path: str) -> tuple[str, list]:
    return "a.path >= %s AND a.path < %s", [path, path + "~"]


def compliance_sql(under: str, width: int, period, today: date) -> tuple[str, list]:
    """三会一课 compliance per prefix: the accepted reports grouped by branch first (met slots per kind, and
    whether the current slot is met), then joined to every live branch, whose judged slots follow from its
    creation time; summed per prefix."""
    from grassroots.areas.models import Area, PartyOrg
    from grassroots.core.orglife.conf import rules
    from grassroots.core.orglife.models import OrgLifeReport

    def boundary(day: date):
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))

    orgs, areas, reports = _table(PartyOrg), _table(Area), _table(OrgLifeReport)
    has_groups = (
        f"EXISTS (SELECT 1 FROM {orgs} g WHERE g.parent_id = o.id AND g.kind = 'group' AND NOT g.retired)"
    )
    met_cols, met_params, req_terms, met_terms, req_params = [], [], [], [], []
    for n, rule in enumerate(rules()):
        slots = [s for s in period.slots(rule.unit) if s.start <= today]
        if not slots:
            continue
        ended = [s for s in slots if s.end < today]
        current = slots[-1] if slots[-1].end >= today else None
        cases = []
        met_params.append(rule.kind)
        for i, s in enumerate(slots):
            cases.append(f"WHEN r.held_on <= %s THEN CASE WHEN o.created_at < %s THEN {i} END")
            met_params += [min(s.end, today), boundary(s.start)]
        met_cols.append(
            f"COUNT(DISTINCT CASE WHEN r.kind = %s THEN CASE {' '.join(cases)} END END) AS met{n}"
        )
        if current is not None:
            met_cols.append(
                "MAX(CASE WHEN r.kind = %s AND r.held_on >= %s AND o.created_at < %s THEN 1 ELSE 0 END)"
                f" AS cur{n}"
            )
            met_params += [rule.kind, current.start, boundary(current.start)]
        whens = []
        for i, s in enumerate(ended):
            whens.append(f"WHEN o.created_at < %s THEN {len(ended) - i}")
            req_params.append(boundary(s.start))
        req = f"(CASE {' '.join(whens)} ELSE 0 END)" if whens else "0"
        if current is not None:
            req += f" + COALESCE(m.cur{n}, 0)"
        met = f"COALESCE(m.met{n}, 0)"
        if rule.needs_groups:
            req, met = (f"(CASE WHEN {has_groups} THEN {x} ELSE 0 END)" for x in (req, met))
        req_terms.append(f"({req})")
        met_terms.append(met)
    where, where_params = _under(under)
    sql = f"""
WITH m AS (
  SELECT r.branch_id, {", ".join(met_cols)}
  FROM {reports} r JOIN {orgs} o ON o.id = r.branch_id
  WHERE r.state = 'accepted' AND r.held_on >= %s AND r.held_on <= %s
  GROUP BY r.branch_id
), per AS (
  SELECT SUBSTR(a.path, 1, {width}) AS prefix,
         {" + ".join(req_terms)} AS required, {" + ".join(met_terms)} AS met
  FROM {orgs} o JOIN {areas} a ON a.id = o.area_id LEFT JOIN m ON m.branch_id = o.id
  WHERE o.kind = 'branch' AND NOT o.retired AND {where}
)
SELECT prefix, COUNT(*) AS branches, SUM(CASE WHEN required > 0 THEN 1 ELSE 0 END) AS judged,
       SUM(CASE WHEN required > 0 AND required = met THEN 1 ELSE 0 END) AS compliant,
       SUM(required) AS required, SUM(met) AS met
FROM per GROUP BY prefix"""
    params = [*met_params, period.start, min(period.end, today), *req_params, *where_params]
    return sql, params


def coverage_sql(under: str, width: int) -> tuple[str, list]:
    from grassroots.areas.models import Area
    from grassroots.core.coverage.models import Entity, own_branch_threshold

    where, params = _under(under)
    sql = f"""
SELECT SUBSTR(a.path, 1, {width}) AS prefix, COUNT(*) AS total,
       SUM(CASE WHEN e.status IN ('own', 'joint', 'instructor') THEN 1 ELSE 0 END) AS covered,
       SUM(CASE WHEN e.status = 'own' THEN 1 ELSE 0 END) AS own,
       SUM(CASE WHEN e.status = 'joint' THEN 1 ELSE 0 END) AS joint,
       SUM(CASE WHEN e.status = 'instructor' THEN 1 ELSE 0 END) AS instructor,
       SUM(CASE WHEN e.full_members >= %s AND e.status <> 'own' THEN 1 ELSE 0 END) AS flagged
FROM {_table(Entity)} e JOIN {_table(Area)} a ON a.id = e.area_id
WHERE {where} GROUP BY 1"""
    return sql, [own_branch_threshold(), *params]


def duties_sql(under: str, width: int, year: int, today: date) -> tuple[str, list]:
    from grassroots.areas.models import Area
    from grassroots.core.duties.models import DutyAssignment, DutyTask, TaskList

    where, params = _under(under)
    not_done = "('issued', 'accepted', 'in_progress', 'returned', 'submitted')"
    sql = f"""
SELECT SUBSTR(a.path, 1, {width}) AS prefix, COUNT(*) AS total,
       SUM(CASE WHEN d.state = 'approved' THEN 1 ELSE 0 END) AS approved,
       SUM(CASE WHEN d.state = 'approved' AND d.completed_on <= t.deadline THEN 1 ELSE 0 END) AS on_time,
       SUM(CASE WHEN t.deadline < %s AND d.state IN {not_done} THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN d.state = 'submitted' THEN 1 ELSE 0 END) AS submitted,
       SUM(CASE WHEN d.state IN ('issued', 'accepted', 'in_progress', 'returned') THEN 1 ELSE 0 END) AS open
FROM {_table(DutyAssignment)} d JOIN {_table(DutyTask)} t ON t.id = d.task_id
  JOIN {_table(TaskList)} l ON l.id = t.task_list_id JOIN {_table(Area)} a ON a.id = d.area_id
WHERE l.year = %s AND {where} GROUP BY 1"""
    return sql, [today, year, *params]


def duty_counts_sql(under: str, width: int, year: int) -> tuple[str, list]:
    """What assessments reads of the duties per target: total, approved, on time."""
    from grassroots.areas.models import Area
    from grassroots.core.duties.models import DutyAssignment, DutyTask, TaskList

    where, params = _under(under)
    sql = f"""
SELECT SUBSTR(a.path, 1, {width}) AS prefix, COUNT(*) AS total,
       SUM(CASE WHEN d.state = 'approved' THEN 1 ELSE 0 END) AS approved,
       SUM(CASE WHEN d.state = 'approved' AND d.completed_on <= t.deadline THEN 1 ELSE 0 END) AS on_time
FROM {_table(DutyAssignment)} d JOIN {_table(DutyTask)} t ON t.id = d.task_id
  JOIN {_table(TaskList)} l ON l.id = t.task_list_id JOIN {_table(Area)} a ON a.id = d.area_id
WHERE l.year = %s AND {where} GROUP BY 1"""
    return sql, [year, *params]


def members_sql(under: str, width: int) -> tuple[str, list]:
    from grassroots.areas.models import Area, PartyOrg
    from grassroots.core.members.models import Member

    where, params = _under(under)
    sql = f"""
SELECT SUBSTR(a.path, 1, {width}) AS prefix,
       SUM(CASE WHEN m.status = 'mobile' THEN 1 ELSE 0 END) AS mobile,
       SUM(CASE WHEN m.status = 'lost_contact' THEN 1 ELSE 0 END) AS lost
FROM {_table(Member)} m JOIN {_table(PartyOrg)} o ON o.id = m.branch_id
  JOIN {_table(Area)} a ON a.id = o.area_id
WHERE m.status IN ('mobile', 'lost_contact') AND {where} GROUP BY 1"""
    return sql, params


def figures(city, counties):
    """(figure, where, platform function → {prefix: figures}, (bare SQL, params)) for every roll-up."""
    from django.contrib.auth import get_user_model

    from grassroots.core.assessments.providers import duty_counts
    from grassroots.core.coverage import selectors as coverage
    from grassroots.core.coverage.models import Entity
    from grassroots.core.duties.selectors import FIGURE_KEYS, figures_by_child
    from grassroots.core.members.selectors.find import find_counts
    from grassroots.core.orglife.periods import QUARTER, YEAR, Period
    from grassroots.core.orglife.selectors import compliance

    today = timezone.localdate()
    width = len(city.path) + city.steplen
    county_width = len(counties[0].path)

    def lines(rows, keyed):
        return {(area.path if area else city.path): keyed(values) for area, values in rows}

    def rollup_of(period):
        def run():
            result = compliance.rollup(city, period, today)
            keys = ("branches", "judged", "compliant", "required", "met")
            return {
                (c.area.path if c.area else city.path): {k: getattr(c, k) for k in keys}
                for c in result.children
            }

        return run

    for label, period in (
        ("year", Period.of(YEAR, today)),
        ("last quarter", Period.of(QUARTER, today).previous()),
    ):
        yield (
            f"orglife compliance, {label}: rollup",
            "city, per county",
            rollup_of(period),
            compliance_sql(city.path, width, period, today),
        )
    year = Period.of(YEAR, today)
    keys = ("branches", "judged", "compliant", "required", "met")
    official = get_user_model().objects.filter(username="city").first()
    if official is not None:
        yield (
            "orglife compliance page, year: its queries",
            "city, per county",
            lambda: compliance_page_queries(official, city, year, keys),
            compliance_sql(city.path, width, year, today),
        )
    yield (
        "orglife compliance, year: per_area",
        "every county",
        lambda: {
            t.path: {k: getattr(r, k) for k in keys}
            for t, r in zip(counties, compliance.per_area(counties, year, today).values(), strict=True)
        },
        compliance_sql(city.path, county_width, year, today),
    )
    coverage_keys = ("total", "covered", "own", "joint", "instructor", "flagged")
    yield (
        "coverage: by_child_area",
        "city, per county",
        lambda: {
            (c.area.path if c.area else city.path): {k: getattr(c, k) for k in coverage_keys}
            for c in coverage.by_child_area(Entity.objects.all(), city)
        },
        coverage_sql(city.path, width),
    )
    yield (
        "duties: figures_by_child",
        "city, per county",
        lambda: lines(figures_by_child(city, today.year), lambda f: {k: f[k] for k in FIGURE_KEYS}),
        duties_sql(city.path, width, today.year, today),
    )
    yield (
        "duties for assessments: duty_counts",
        "every county",
        lambda: {
            t.path: {k: f[k] for k in ("total", "approved", "on_time")}
            for t, f in _by_target(counties, duty_counts(counties, today.year))
        },
        duty_counts_sql(city.path, county_width, today.year),
    )
    if official is not None:
        yield (
            "members: find_counts",
            "city, per county",
            lambda: {
                (c.area.path if c.area else city.path): {"mobile": c.mobile, "lost": c.lost_contact}
                for c in find_counts(official, city)
            },
            members_sql(city.path, width),
        )


def compliance_page_queries(user, area, period, keys) -> dict:
    """What the compliance page (grassroots/core/orglife/views/pages.py) asks of the database for `user` at
    `area`, but the session, the shell and the default area: the visible branches' figures (one aggregate),
    the first page of 50 with its branches, and the roll-up per child summed from the same rows (the
    children). Returns the roll-up's lines, to compare with the bare aggregate."""
    from django.core.paginator import Paginator

    from grassroots.areas.subtree import under_q
    from grassroots.core.orglife.selectors import compliance
    from grassroots.core.orglife.selectors.forms import visible_branches

    figures = compliance.figures(visible_branches(user).filter(under_q(area.path)), period)
    page = Paginator(figures, 50).get_page(1)
    assert len(compliance.with_branches(page.object_list)) == min(50, len(figures))
    result = compliance.rollup_of(area, figures)
    return {(c.area.path if c.area else area.path): {k: getattr(c, k) for k in keys} for c in result.children}


def _by_target(targets, by_pk):
    return [(t, by_pk[t.pk]) for t in targets]
