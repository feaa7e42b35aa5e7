"""Step `residents`: generated resident accounts (res00001, res00002, …) living in courtyards and
buildings all over the city, a fifth of them in the demo community and a quarter in two more communities of
the demo street (`NEARBY`: so that self-governance has residents to involve beyond the demo community);
about 60 % real-name verified.
Each holds the resident role on their community. They are demo accounts like the others (same
password, refused when DEBUG is off)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.pii import phone_hash
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.demo import names
from grassroots.demo.registry import SeedContext, seed_step

PREFIX = "res"
VERIFIED_SHARE = 0.6
LOCAL_SHARE = 0.2  # share of residents living in the demo community
NEARBY_SHARE = 0.25  # share living in the `NEARBY` next communities of the demo street
NEARBY = 2


def username(n: int) -> str:
    return f"{PREFIX}{n:05d}"


@seed_step(order=40)
def residents(ctx: SeedContext) -> None:
    total = ctx.tier.residents
    if total == 0 or not ctx.communities:
        return
    rng = ctx.rng
    wanted = [username(n) for n in range(1, total + 1)]
    existing = set(
        User.objects.filter(username__startswith=PREFIX, is_demo=True).values_list("username", flat=True)
    )
    if existing.issuperset(wanted):
        return
    homes_local, homes_nearby, homes_all = _homes(ctx, rng, total)
    if not homes_all:
        return
    community_by_path = {c.path: c for c in ctx.communities}
    community_len = len(ctx.communities[0].path)
    now = timezone.now()
    people: list[tuple[User, Area]] = []
    for name in wanted:
        draw = rng.random()
        pool = homes_all
        if homes_local and draw < LOCAL_SHARE:
            pool = homes_local
        elif homes_nearby and draw < LOCAL_SHARE + NEARBY_SHARE:
            pool = homes_nearby
        home_id, home_path = rng.choice(pool)
        phone = names.phone_number(rng)
        user = User(
            username=name,
            full_name=names.person_name(rng),
            phone=phone,
            phone_hash=phone_hash(phone),  # bulk_create skips User.save, which fills it
            password=ctx.password_hash,
            password_changed_at=now,  # bulk_create skips User.save, which stamps it
            is_demo=True,
            home_area_id=home_id,
        )
        if rng.random() < VERIFIED_SHARE:
            user.verified_at = now - timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1439))
        if name not in existing:
            people.append((user, community_by_path[home_path[:community_len]]))
    User.objects.bulk_create([user for user, _ in people], batch_size=1_000)
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=Role.RESIDENT, area=community) for user, community in people],
        batch_size=1_000,
    )
    ctx.log(f"  {len(people)} residents")


def nearby_communities(ctx: SeedContext) -> list[Area]:
    """The `NEARBY` first communities (path order) of the demo street besides the demo community: where a
    quarter of the residents live, and where the parts' demos involve residents beyond the demo community."""
    community, street = ctx.places.get("community"), ctx.places.get("street")
    if community is None or street is None:
        return []
    return [
        c
        for c in ctx.communities
        if c.pk != community.pk and c.path.startswith(street.path) and c.path != street.path
    ][:NEARBY]


def _homes(ctx: SeedContext, rng, total: int) -> tuple[list, list, list]:
    """(homes in the demo community, homes in the nearby communities, a sample of homes in the whole city)
    as (id, path) pairs."""
    levels = [Level.COURTYARD, Level.BUILDING]
    local: list[tuple[int, str]] = []
    community = ctx.places.get("community")
    if community is not None:
        local = list(
            Area.objects.filter(under_q(community.path, "path"), level__in=levels)
            .order_by("path")
            .values_list("id", "path")
        )
    nearby = [c.path for c in nearby_communities(ctx)]
    homes_nearby = (
        list(
            Area.objects.filter(under_q(nearby, "path"), level__in=levels)
            .order_by("path")
            .values_list("id", "path")
        )
        if nearby
        else []
    )
    everywhere = Area.objects.filter(under_q(ctx.city.path, "path"), level__in=levels).order_by("path")
    count = everywhere.count()
    wanted = set(rng.sample(range(count), min(count, max(50, total // 2))))
    sample = [
        pair
        for i, pair in enumerate(everywhere.values_list("id", "path").iterator(chunk_size=5_000))
        if i in wanted
    ]
    return local, homes_nearby, sample
