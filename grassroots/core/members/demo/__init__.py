"""Demo step `members` (order 100): Party members in the branches the foundation loader created, with
realistic proportions, and a sample of the five precisions' records around them.

- size: tier S 3,000, M 80,000, L 800,000 members, spread over every live 党支部 under the city (grid
  branches, village branches), about 60 more in the demo community (东大街社区) so that its secretary's
  lists look lived in;
- ages: about a fifth aged 70 and over (8 % 80 and over), a fifth under 36; about 10 % probationary
  (joined in the last twelve months); status: about 3 % mobile (with where they now live and work), 0.6 %
  lost contact, a few transferred out or deceased;
- ID numbers valid (GB 11643, region = the branch's county, unique by construction), phones in the
  unassigned 100 block; tags: 老党员 (fifty years a member), 在职党员, 退役军人, 困难党员, skills (法律, 医疗,
  教育 …) and care tags (独居, 患病, 生活困难) mostly among the old;
- demo accounts `member` (周国庆), `secretary` (张秀英) and `branch` (郑文华, the grid branch's secretary)
  have their own records (我的);
- for the demo community and a sample elsewhere: contact attempts for mobile and lost members, study
  records, dues payments (with some arrears), care visits for members who need care.

Everything is drawn from the step's own random stream (reproducible from --seed; dates relative to the day
of loading) and written with bulk inserts, one community chunk at a time, so tier L stays within a few
hundred megabytes. Idempotent: when members exist under the city nothing is generated again (only missing
demo-account links are made). See docs/members.md ("演示数据").
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.members.demo import flows  # noqa: F401  (registers the step member_flows)
from grassroots.core.members.demo.data import (
    _HOME_LEVELS,
    CHUNK,
    LOCAL_EXTRA,
    SIZES,
    _branches,
    _ensure_tags,
    _under,
    _years_before,
)
from grassroots.core.members.demo.writer import _Writer
from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import Education, Member
from grassroots.demo.registry import SeedContext, local_today, seed_step

__all__ = ["_Writer", "_branches", "_ensure_tags", "members"]


@seed_step(order=100)
def members(ctx: SeedContext) -> None:
    tags = _ensure_tags()
    if Member.objects.filter(under_q(ctx.city.path, "branch__area__path")).exists():
        _link_demo_accounts(ctx, tags)
        return
    total = SIZES[ctx.tier.name]
    branch_count = _branches().count()
    if not branch_count:
        return
    writer = _Writer(ctx, tags)
    per_branch = total / branch_count
    local = ctx.places.get("community")
    local_branches = (
        max(1, _branches().filter(_under(local.path, "area__path")).count()) if local is not None else 1
    )
    for start in range(0, len(ctx.communities), CHUNK):
        chunk = ctx.communities[start : start + CHUNK]
        lower, upper = chunk[0].path, chunk[-1].path + Area.alphabet[-1] * 20
        homes = defaultdict(list)  # community path → home ids; grid path → home ids
        for pk, path in (
            Area.objects.filter(path__range=(lower, upper), level__in=_HOME_LEVELS, retired=False)
            .order_by("path")
            .values_list("id", "path")
        ):
            community = path[: len(chunk[0].path)]
            homes[community].append(pk)
            homes[path[: len(community) + Area.steplen]].append(pk)
        branches = (
            _branches()
            .filter(area__path__range=(lower, upper))
            .order_by("area__path", "pk")
            .values_list("id", "area__path")
        )
        for branch_id, area_path in branches:
            is_local = local is not None and lies_under(area_path, local.path)
            mean = per_branch + (LOCAL_EXTRA / local_branches if is_local else 0)
            count = max(0, round(ctx.rng.uniform(0.5, 1.5) * mean))
            pool = homes.get(area_path) or homes.get(area_path[: len(chunk[0].path)]) or []
            for _ in range(count):
                writer.add(branch_id, area_path, pool, is_local)
        writer.flush()
    _link_demo_accounts(ctx, tags)
    ctx.log(f"  {writer.count} members, {writer.related} records of the five precisions")


def _link_demo_accounts(ctx: SeedContext, tags: dict[str, int]) -> None:
    """The demo `member`, `secretary` and `branch` accounts have their own records (我的), in a branch of the
    demo community, living at the demo home; `branch` is that branch's secretary. Made only when missing."""
    community, home = ctx.places.get("community"), ctx.places.get("home")
    if community is None:
        return
    grid = ctx.places.get("grid")
    branches = _branches().filter(_under(community.path, "area__path")).order_by("area__path", "pk")
    branch = (branches.filter(area=grid).first() if grid is not None else None) or branches.first()
    if branch is None:
        return
    today = local_today()
    people = (
        ("member", date(1968, 10, 1), True, ("在职党员", "法律")),
        ("secretary", date(1975, 3, 8), False, ("在职党员",)),
        ("branch", date(1979, 6, 16), True, ("在职党员",)),
    )
    leader = ctx.users.get("branch")
    if leader is not None:
        PartyOrg.objects.filter(pk=branch.pk, secretary=None).update(secretary=leader)
    for username, birth, male, tag_names in people:
        user = ctx.users.get(username)
        if user is None or Member.objects.filter(user=user).exists():
            continue
        region = (community.code or "511802001001")[:6]
        serial = 1 if male else 2
        while True:  # the first serial not yet taken for that birth date
            first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
            number = first17 + id_check_digit(first17)
            member = Member(
                name=user.full_name or user.username,
                gender="male" if male else "female",
                birth_date=birth,
                id_number=number,
                phone=user.phone or "",
                education=Education.BACHELOR,
                occupation="社区工作者" if username == "secretary" else "工程师",
                work_unit="东大街社区居民委员会" if username == "secretary" else "国网雅安供电公司",
                in_service=True,
                home_area=home,
                branch=branch,
                joined_probationary_on=_years_before(today, 25 if male else 20),
                joined_full_on=_years_before(today, 24 if male else 19),
                dues_monthly=Decimal("40.00"),
                user=user,
            )
            member.fill_derived()
            if not Member.objects.filter(id_hash=member.id_hash).exists():
                break
            serial += 2
        Member.objects.bulk_create([member])
        Member.tags.through.objects.bulk_create(
            [Member.tags.through(member_id=member.pk, membertag_id=tags[name]) for name in tag_names]
        )
