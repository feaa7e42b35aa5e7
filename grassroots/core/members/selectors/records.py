"""Reads of members' records shared by the pages, the API and the exports: the scoped list with its one
filter (`MemberFilter`, used by the list page and `/api/members/` alike), a record for its page, whether the
viewer may see it unmasked, data completeness per record and per branch, and the member of a user (我的)."""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django.db import connection
from django.db.models import Avg, BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from grassroots.access.scoping import (
    get_scoped_or_404,
    has_perm,
    holds_every_row,
    scope_paths,
    scope_q,
    scoped,
)
from grassroots.api.filters import IdFilter, IntegerFilter, OrderingFilter
from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import under_q
from grassroots.core.members import name_index
from grassroots.core.members.identity import lookup_hash, normalize_id_number
from grassroots.core.members.models import Education, Gender, Member, MemberStatus, MemberTag
from grassroots.forms import BoundedModelMultipleChoiceField

VIEW = "members.view"
CHANGE = "members.change"
VIEW_PII = "people.view_pii"
LOW_COMPLETENESS = 60  # a record below this percentage counts as incomplete on the branch overview
MAX_OPTIONS = 300  # options rendered in a select

_ID_LIKE = re.compile(r"^\d{17}[\dX]$")
_INITIALS = re.compile(r"^[a-z]+$")


# --- the list -------------------------------------------------------------------------------------------
def members_for(user, permission: str = VIEW) -> QuerySet[Member]:
    """The records the user may reach for `permission` (area grants and the branch secretary's clause)."""
    return scoped(Member.objects.all(), user, permission)


def with_pii_flag(queryset: QuerySet[Member], user) -> QuerySet[Member]:
    """Annotate `pii_visible`: may the user see this row's ID number and phone unmasked (people.view_pii
    on the row)? Part of the same query."""
    if not has_perm(user, VIEW_PII):
        return queryset.annotate(pii_visible=Value(False, output_field=BooleanField()))
    if holds_every_row(user, VIEW_PII, Member):  # every record there is (a city's officials, one city)
        return queryset.annotate(pii_visible=Value(True, output_field=BooleanField()))
    allowed = Member.objects.filter(pk=OuterRef("pk")).filter(
        scope_q(user, VIEW_PII, Member.scope_path, org_field=Member.scope_org)
    )
    return queryset.annotate(pii_visible=Exists(allowed))


def for_listing(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """What a list row shows: branch, home, tags (one more query for the tags of the page)."""
    return queryset.select_related("branch", "home_area").prefetch_related(
        Prefetch("tags", queryset=MemberTag.objects.order_by("kind", "name"))
    )


def for_list_page(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """`for_listing` for the member list's page, without the ID number and the phone: the page shows their
    masks, and every value of those two is decrypted as the row is read (two Fernet decryptions a row)."""
    return for_listing(queryset).defer("id_number", "phone")


def org_and_below(org_id: int) -> list[int]:
    """The organization and every organization below it (`PartyOrg.parent`), in one recursive query."""
    table = PartyOrg._meta.db_table
    sql = (
        f"WITH RECURSIVE sub(id) AS (SELECT id FROM {table} WHERE id = %s"
        f" UNION SELECT c.id FROM {table} c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id])
        return [row[0] for row in cursor.fetchall()]


def search_q(text: str) -> Q:
    """Name (part of it), pinyin initials ("zs" finds 张三) or a full ID number (through its keyed hash:
    the number itself is stored encrypted). A name with Chinese characters is looked for among the members
    whose name holds each of them (`name_index`, read from its table) instead of in every member's name."""
    text = (text or "").strip()
    if not text:
        return Q()
    number = normalize_id_number(text)
    if _ID_LIKE.match(number):
        return Q(id_hash=lookup_hash(number))
    lowered = text.lower()
    if _INITIALS.match(lowered):
        return Q(pinyin_initials__startswith=lowered) | Q(name__icontains=text)
    holding = name_index.holding(text)
    return Q(name__icontains=text) if holding is None else holding & Q(name__icontains=text)


def _born_on_or_before(years: int, today: date) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


YES_NO = [("", _("不限")), ("true", _("是")), ("false", _("否"))]


@extend_schema_field(OpenApiTypes.INT)
class TagFilter(django_filters.ModelMultipleChoiceFilter):
    """`?tag=<id>&tag=<id>`: members carrying any of these tags (ids past 64 bits a 400, not a 500)."""

    field_class = BoundedModelMultipleChoiceField


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.TypedChoiceFilter):
    """`?probationary=true|false`."""


class MemberFilter(django_filters.FilterSet):
    """Every filter of the member list, for the page and the API alike. The rows given are already scoped;
    a branch or area outside the scope therefore filters to nothing it should not."""

    q = django_filters.CharFilter(label=_("搜索（姓名、拼音首字母或身份证号）"), method="filter_q")
    # distinct=False: django-filter's default DISTINCT guards against joins to many rows, and these filter the
    # member's own column; at tier M it made the count a COUNT over SELECT DISTINCT of every column of
    # 80,000 rows and the page a sort of whole rows (docs/performance.md).
    status = django_filters.MultipleChoiceFilter(
        label=_("状态"), choices=MemberStatus.choices, distinct=False
    )
    branch = IdFilter(label=_("党组织（含下级组织）"), method="filter_branch")
    area = IdFilter(label=_("区域（含下级）"), method="filter_area")
    tag = TagFilter(label=_("标签或技能（任一）"), queryset=MemberTag.objects.all(), method="filter_tags")
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices, empty_label=_("不限"))
    education = django_filters.MultipleChoiceFilter(
        label=_("学历"), choices=Education.choices, distinct=False
    )
    # Whole years 0-150: an age like 2025 made the birth date before year 1 (OverflowError, a 500).
    age_min = IntegerFilter(label=_("年龄不小于"), method="filter_age_min", min_value=0, max_value=150)
    age_max = IntegerFilter(label=_("年龄不大于"), method="filter_age_max", min_value=0, max_value=150)
    in_service = django_filters.TypedChoiceFilter(
        label=_("在职党员"),
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    probationary = YesNoFilter(
        label=_("预备党员"),
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
        method="filter_probationary",
    )
    completeness_below = django_filters.NumberFilter(
        label=_("信息完整度低于（%）"),
        field_name="completeness",
        lookup_expr="lt",
        min_value=1,
        max_value=101,
    )
    order = OrderingFilter(
        label=_("排序"),
        fields=(("name", "name"), ("completeness", "completeness"), ("joined_probationary_on", "joined")),
        field_labels={
            "name": _("姓名"),
            "completeness": _("信息完整度"),
            "joined_probationary_on": _("入党时间"),
        },
        empty_label=_("默认排序"),
    )

    class Meta:
        model = Member
        fields = ["q", "status", "branch", "area", "tag", "gender", "education", "in_service"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_branch(self, queryset, name, value):
        return queryset.filter(branch_id__in=org_and_below(int(value)))

    def filter_area(self, queryset, name, value):
        path = Area.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(under_q(path, "branch__area__path"))

    def filter_tags(self, queryset, name, value):
        if not value:
            return queryset
        tagged = Member.tags.through.objects.filter(membertag__in=value).values("member_id")
        return queryset.filter(pk__in=tagged)

    def filter_age_min(self, queryset, name, value):
        return queryset.filter(birth_date__lte=_born_on_or_before(int(value), timezone.localdate()))

    def filter_age_max(self, queryset, name, value):
        # age <= n: born after the day n + 1 years ago
        return queryset.filter(birth_date__gt=_born_on_or_before(int(value) + 1, timezone.localdate()))

    def filter_probationary(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(joined_full_on__isnull=value)

    @property
    def qs(self):
        rows = super().qs
        if not rows.query.order_by:
            rows = rows.order_by("branch_id", "name", "pk")
        else:
            rows = rows.order_by(*rows.query.order_by, "pk")
        return rows


# --- choices for the filters and forms ------------------------------------------------------------------
def orgs_for(user, permission: str = VIEW) -> QuerySet[PartyOrg]:
    """Live Party organizations on whose members the user holds `permission`: in an area they cover, or led
    by them (or below one they lead)."""
    return PartyOrg.objects.filter(retired=False).filter(
        scope_q(user, permission, "area__path", org_field="pk")
    )


def workplace_choices(user) -> QuerySet:
    """The emerging-sector entities (coverage) a member's record may name as their workplace: those in the
    user's areas.view scope."""
    from django.apps import apps

    entity = apps.get_model("coverage", "Entity")
    return scoped(entity.objects.all(), user, "areas.view").order_by("area__path", "name")


def branch_choices(user, permission: str = VIEW) -> list[tuple[int, str]]:
    """(id, name) of the organizations that hold members (not groups), at most MAX_OPTIONS, in tree order."""
    orgs = orgs_for(user, permission).exclude(kind=PartyOrgKind.GROUP).order_by("area__path", "name")
    return list(orgs.values_list("pk", "name")[:MAX_OPTIONS])


def area_choices(user) -> list[Area]:
    """The streets and communities under the user's grants for members.view (for the area filter)."""
    return list(_filter_areas(user))


def area_options(user) -> list[tuple[int, str]]:
    """`area_choices` as the list filter's options, (id, "name（level）") as `pages.area_option` writes them,
    read as values: at the city 300 areas, without building a record of each (issue 19)."""
    labels = {level: str(label) for level, label in Level.choices}
    rows = _filter_areas(user).values_list("pk", "name", "level")
    return [(pk, f"{name}（{labels[level]}）") for pk, name, level in rows]


def _filter_areas(user) -> QuerySet[Area]:
    paths = scope_paths(user, VIEW)
    if not paths:
        return Area.objects.none()
    return Area.objects.filter(under_q(paths, "path"), retired=False, level__lte=Level.COMMUNITY).order_by(
        "path"
    )[:MAX_OPTIONS]


# --- one record ------------------------------------------------------------------------------------------
def get_member_or_404(user, pk, permission: str = VIEW) -> Member:
    try:
        return get_scoped_or_404(
            Member.objects.select_related("branch__area", "home_area", "user"), user, permission, pk=pk
        )
    except (ValueError, TypeError) as exc:
        raise Http404 from exc


def field_label(name: str) -> str:
    return str(Member._meta.get_field(name.removesuffix("_id")).verbose_name)


def missing_labels(member: Member) -> list[str]:
    """What the record lacks, in Chinese (identify: data completeness)."""
    return [field_label(name) for name in member.missing_fields()]


def member_of(user) -> Member | None:
    """The record linked to a signed-in user (我的), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Member.objects.select_related("branch__area", "home_area").filter(user=user).first()


# --- completeness per branch ---------------------------------------------------------------------------
# (field label, condition of a record missing it) — the same fields as Member.COMPLETENESS_FIELDS; a
# missing "joined_full_on" never counts (it is missing exactly when the member is still probationary).
MISSING_CONDITIONS = (
    ("phone", Q(phone_masked="")),
    ("education", Q(education="")),
    ("occupation", Q(occupation="")),
    ("work_unit", Q(work_unit="")),
    ("home_area", Q(home_area__isnull=True)),
    ("ethnicity", Q(ethnicity="")),
)


def completeness_by_branch(user, branches: list[int] | None = None) -> QuerySet:
    """Per branch in the user's scope: members, average completeness, records below 60 %, and how many lack
    each counted field. One aggregate query (grouped by branch), in tree order; `branches`: only those
    (the page's, from `branches_with_members`)."""
    missing = {f"missing_{name}": Count("pk", filter=condition) for name, condition in MISSING_CONDITIONS}
    members = members_for(user)
    if branches is not None:
        members = members.filter(branch_id__in=branches)
    return (
        members.values("branch_id", "branch__name", "branch__area__name")
        .annotate(
            total=Count("pk"),
            average=Avg("completeness"),
            below=Count("pk", filter=Q(completeness__lt=LOW_COMPLETENESS)),
            **missing,
        )
        .order_by("branch__area__path", "branch__name", "branch_id")
    )


def branches_with_members(user) -> QuerySet:
    """The keys of the branches `completeness_by_branch` lists, in its order, without its aggregates: the
    overview counts and pages these, then aggregates the members of its page's branches only. At tier M the
    city's page grouped and summed all 80,000 members (a dozen filtered counts each) to show 30 branches
    (docs/performance.md)."""
    return (
        PartyOrg.objects.filter(pk__in=members_for(user).order_by().values("branch_id"))
        .order_by("area__path", "name", "pk")
        .values_list("pk", flat=True)
    )


def missing_columns() -> list[tuple[str, str]]:
    return [(f"missing_{name}", field_label(name)) for name, _condition in MISSING_CONDITIONS]
