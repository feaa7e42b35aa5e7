"""Demo step `selfgov_charters`: the four systems (四项制度) of the demo community, all in force (the
deliberation rules amended once: two versions), and of two more communities of the demo street only some of
them (one a draft), so that the workers' list shows missing ones and the coverage figure is not 100 %.
Step `selfgov_conventions`: the demo resident's courtyard has its convention in force (discussed,
adopted by the residents' vote, signed by some), another courtyard's draft is under discussion, a third
courtyard's is in force signed once per household (adopted by its households' vote with the rule 每户签署一次;
some households signed, by one member each), the others have none. Texts are written for the demo
(“（演示文本）”), not official ones."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.documents import services as documents
from grassroots.selfgov.models import Convention, Rulebook, RulebookKind
from grassroots.selfgov.services import conventions, rulebooks
from grassroots.voting.models import Electorate, HouseholdMember
from grassroots.voting.services import ballots, households, votes

RULES = {
    RulebookKind.DELIBERATION: [
        ("1", "议事范围（演示文本）", ["涉及本社区居民切身利益的公共事务，纳入居民议事。"]),
        ("2", "议事程序", ["议题由居民提出或社区“两委”提出，提前三日公告。", "议事会由社区党组织书记主持。"]),
    ],
    RulebookKind.DECISION: [
        ("1", "决策事项（演示文本）", ["民生事项经公开听证后，由居民或居民代表表决。"]),
        ("2", "表决规则", ["表决须过半数居民参加；同意票过半数为通过。"]),
    ],
    RulebookKind.MANAGEMENT: [
        ("1", "居务管理（演示文本）", ["社区公共设施由社区居委会会同物业服务企业管理。"]),
    ],
    RulebookKind.SUPERVISION: [
        ("1", "监督主体（演示文本）", ["居务监督委员会对居务公开和事项执行进行监督。"]),
        ("2", "监督方式", ["每季度检查一次，结果在公示栏和平台公开。"]),
    ],
}


def _body(kind):
    return [
        {
            "number": number,
            "title": title,
            "items": [{"number": f"{number}.{i}", "text": text} for i, text in enumerate(items, 1)],
        }
        for number, title, items in RULES[kind]
    ]


def _adopt(actor, community, kind, *, publish=True):
    rulebook = rulebooks.start_rulebook(actor=actor, community=community, kind=kind)
    draft = rulebook.document.versions.get()
    documents.save_draft(actor=actor, version=draft, body=_body(kind), note="经居民代表会议讨论通过（演示）")
    if publish:
        documents.publish(actor=actor, version=draft)
    return rulebook


@seed_step(order=225)
def selfgov_charters(ctx: SeedContext) -> None:
    community, worker = ctx.places.get("community"), ctx.users.get("worker")
    street_area, street = ctx.places.get("street"), ctx.users.get("street")
    if community is None or worker is None or Rulebook.objects.filter(community=community).exists():
        return
    for kind in RulebookKind.values:
        _adopt(worker, community, kind)
    amended = Rulebook.objects.get(community=community, kind=RulebookKind.DELIBERATION)
    draft = documents.start_draft(actor=worker, document=amended.document, note="增加线上议事（演示）")
    body = _body(RulebookKind.DELIBERATION)
    body[1]["items"].append({"number": "2.3", "text": "居民可在平台“议事协商”在线发表意见。"})
    documents.save_draft(actor=worker, version=draft, body=body)
    documents.publish(actor=worker, version=draft)
    if street is None or street_area is None:
        return
    others = [c for c in ctx.communities if c.pk != community.pk and lies_under(c.path, street_area.path)]
    for n, other in enumerate(others[:2]):
        _adopt(street, other, RulebookKind.DELIBERATION)
        _adopt(street, other, RulebookKind.DECISION, publish=n == 0)
    ctx.log(f"  {Rulebook.objects.count()} rulebooks")


CONVENTION = [
    {
        "number": "1",
        "title": "环境卫生（演示文本）",
        "items": [
            {"number": "1.1", "text": "垃圾分类投放，不乱扔杂物，不高空抛物。"},
            {"number": "1.2", "text": "爱护院内绿化，不私自种菜、圈占绿地。"},
        ],
    },
    {
        "number": "2",
        "title": "邻里和睦",
        "items": [
            {"number": "2.1", "text": "晚上十点后不在院内大声喧哗。"},
            {"number": "2.2", "text": "文明养犬，出门牵绳，及时清理粪便。"},
        ],
    },
    {"number": "3", "title": "安全", "items": [{"number": "3.1", "text": "不占用消防通道停放车辆。"}]},
]


def _residents_of(courtyard, limit=12):
    return list(
        User.objects.filter(
            under_q(courtyard.path, "home_area__path"), verified_at__isnull=False, is_active=True
        ).order_by("username")[:limit]
    )


def _draft(worker, courtyard):
    convention = conventions.start_convention(actor=worker, courtyard=courtyard)
    documents.save_draft(actor=worker, version=convention.document.versions.get(), body=CONVENTION)
    return convention


@seed_step(order=226)
def selfgov_conventions(ctx: SeedContext) -> None:
    community, worker, home = ctx.places.get("community"), ctx.users.get("worker"), ctx.places.get("home")
    if community is None or worker is None or Convention.objects.filter(community=community).exists():
        return
    courtyards = list(
        Area.objects.filter(under_q(community.path, "path"), level=Level.COURTYARD, retired=False).order_by(
            "path"
        )
    )
    own = None
    if home is not None:
        own = Area.objects.filter(path__in=ancestor_paths([home.path]), level=Level.COURTYARD).first()
    first = own or (courtyards[0] if courtyards else None)
    if first is None:
        return
    now = timezone.now()
    convention = _draft(worker, first)
    convention = conventions.open_discussion(
        actor=worker, convention=convention, ends_at=now + timedelta(days=3)
    )
    people = _residents_of(first)
    if people:
        conventions.comment(user=people[0], convention=convention, text="建议增加电动车不进楼道充电的条款。")
    conventions.call_vote(
        actor=worker,
        convention=convention,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=2),
    )
    convention.refresh_from_db()
    yes, no = list(convention.vote.options.order_by("position").values_list("pk", flat=True))
    resident = ctx.users.get("resident")
    voters = [p for p in people if resident is None or p.pk != resident.pk]
    for n, person in enumerate(voters):
        ballots.cast_ballot(voter=person, vote=convention.vote, option_ids=[no if n % 5 == 4 else yes])
    votes.close_vote(actor=worker, vote=convention.vote)
    convention = conventions.settle_vote(actor=worker, convention=convention)
    if convention.state == "published":
        for person in voters[: len(voters) // 2]:
            conventions.sign(user=person, convention=convention)
    others = [c for c in courtyards if c.pk != first.pk]
    if others:
        pending = _draft(worker, others[0])
        conventions.open_discussion(actor=worker, convention=pending, ends_at=now + timedelta(days=10))
    for courtyard in others[1:]:
        if _per_household(worker, courtyard, now):
            break
    ctx.log(f"  {Convention.objects.count()} conventions")


def _per_household(worker, courtyard, now) -> bool:
    """The courtyard's convention adopted by its households' vote with the rule 每户签署一次: its verified
    residents in no household yet, two by two (the last alone when odd) in households of their home; one
    ballot each household, and one member signs for the first two thirds of them. False (nothing made) with
    fewer than four such residents."""
    free = [
        p for p in _residents_of(courtyard, limit=16) if not HouseholdMember.objects.filter(user=p).exists()
    ]
    if len(free) < 4:
        return False
    homes = []
    for n in range(0, len(free), 2):
        home = households.create_household(
            actor=worker, area=free[n].home_area, name=f"{n // 2 + 1}号楼{n + 101}"
        )
        for person in free[n : n + 2]:
            households.add_member(actor=worker, household=home, user=person)
        homes.append(free[n : n + 2])
    convention = conventions.open_discussion(
        actor=worker, convention=_draft(worker, courtyard), ends_at=now + timedelta(days=1)
    )
    conventions.call_vote(
        actor=worker,
        convention=convention,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=2),
        electorate=Electorate.HOUSEHOLDS,
        per_household=True,
    )
    convention.refresh_from_db()
    yes = convention.vote.options.get(position=0).pk
    for members in homes:
        ballots.cast_ballot(voter=members[0], vote=convention.vote, option_ids=[yes])
    votes.close_vote(actor=worker, vote=convention.vote)
    convention = conventions.settle_vote(actor=worker, convention=convention)
    for members in homes[: len(homes) * 2 // 3]:
        conventions.sign(user=members[-1], convention=convention)
    return True
