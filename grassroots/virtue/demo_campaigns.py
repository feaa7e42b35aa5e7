"""Demo step `virtue_campaigns`: selection campaigns (评选) of the demo community, one at each stage a
newcomer should see — 廉洁模范之星 awarded last month to the demo resident (the award's points are in their
我的积分; an objection raised in its publicity and answered before the award; its history stays public),
文明家庭 in its publicity with an objection waiting for its answer, 最美志愿者 voting now, 好邻居 at
qualification review (one nomination qualified, two waiting), and 廉洁示范社区 of the street taking
nominations, each by a community's Party organization — the demo community's by its own secretary (one
community's withdrawn); 最美楼栋长, cancelled with its reason. Every nomination carries materials: a small
PDF recommendation form and a photo, stored through the files mechanism (checked by content, random names)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under, under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.virtue import selectors_campaigns
from grassroots.virtue import services_campaign_changes as changes
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue.demo import photo
from grassroots.virtue.models_campaigns import Campaign

NAMES = ("张秀英", "李建国", "王桂兰", "刘志强")


def pdf(name: str, *lines: str) -> SimpleUploadedFile:
    """A small real PDF (one A4 page of text, Helvetica: ASCII lines) for a nomination's materials."""
    text = " ".join(
        f"({line.replace(chr(92), '').replace('(', '').replace(')', '')}) Tj 0 -18 Td" for line in lines
    )
    stream = f"BT /F1 12 Tf 72 770 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def materials(nominee: str, serial: int) -> list[SimpleUploadedFile]:
    """A nomination's materials: its recommendation form and a photo of the deed."""
    return [
        pdf("推荐表.pdf", "Recommendation form", f"Nomination {serial}", "Verified by the residents' group."),
        photo("事迹照片.jpg", (60 + 40 * serial % 160, 120, 90)),
    ]


def _walk(
    officer,
    community,
    residents,
    *,
    title,
    kind,
    start,
    stop: str,
    votes_per_voter=1,
    places=1,
    winner=None,
    answered=False,
):
    """A campaign started at `start`, walked with the times of its steps up to `stop`. `winner`: the
    resident nominated first (the most voted: the award earns their points). `answered`: an objection
    raised in the publicity and answered before the award."""
    campaign = campaigns.create_campaign(
        actor=officer,
        area=community,
        kind=kind,
        title=title,
        description="由社区党委组织，居民提名、资格审查、群众投票、公示后评定。",
        places=places,
        votes_per_voter=votes_per_voter,
        nominations_close_at=start + timedelta(days=7),
        now=start,
    )
    nominations = []
    for i, name in enumerate(NAMES[:3]):
        by = residents[i % len(residents)]
        person = winner if i == 0 else None
        nominations.append(
            campaigns.nominate(
                actor=by,
                campaign=campaign,
                nominee="" if person else (f"{name}家庭" if "家庭" in title else name),
                nominee_user=person,
                reason="热心邻里互助，多年参与社区志愿服务，事迹经居民小组核实。",
                materials=materials(name, i + 1),
                now=start + timedelta(days=1),
            )
        )
    if stop == "nominating":
        return campaign
    campaigns.close_nominations(actor=officer, campaign=campaign, now=start + timedelta(days=7))
    for nomination in nominations[:1] if stop == "review" else nominations:
        campaigns.review_nomination(actor=officer, nomination=nomination, qualified=True)
    if stop == "review":
        return campaign
    opens = start + timedelta(days=8)
    closes = opens + timedelta(days=5)
    now = min(timezone.now(), opens + timedelta(hours=1))
    campaigns.open_vote(actor=officer, campaign=campaign, opens_at=opens, closes_at=closes, now=now)
    for i, voter in enumerate(residents):
        pick = [nominations[0] if i % 3 else nominations[1]]
        campaigns.cast_vote(voter=voter, campaign=campaign, nominations=pick, now=opens + timedelta(hours=2))
    if stop == "voting":
        return campaign
    campaign = campaigns.start_publicity(actor=officer, campaign=campaign, now=closes + timedelta(hours=1))
    if stop == "publicity":
        campaigns.raise_objection(
            actor=residents[-1],
            campaign=campaign,
            nomination=nominations[0],
            text="建议核实其志愿服务时长记录。",
            now=closes + timedelta(days=1),
        )
        return campaign
    if answered:
        objection = campaigns.raise_objection(
            actor=residents[-1],
            campaign=campaign,
            nomination=nominations[0],
            text="听说其家中曾有违规操办宴席的情况，请核实。",
            now=closes + timedelta(days=1),
        )
        campaigns.answer_objection(
            actor=officer,
            objection=objection,
            answer="经社区党委走访核实，所反映情况不属实，维持公示结果。",
            now=closes + timedelta(days=2),
        )
    campaigns.award(actor=officer, campaign=campaign, now=campaign.publicity_ends_at + timedelta(hours=1))
    return campaign


@seed_step(order=465)
def virtue_campaigns(ctx: SeedContext) -> None:
    officer, street_user = ctx.users.get("secretary"), ctx.users.get("street")
    community, street = ctx.places.get("community"), ctx.places.get("street")
    if None in (officer, street_user, community, street) or Campaign.objects.exists():
        return
    residents = list(
        User.objects.filter(
            under_q(community.path, "home_area__path"), verified_at__isnull=False, is_active=True
        )
        .exclude(username="resident")  # the demo resident keeps their vote and objection for a tour
        .order_by("username")[:9]
    )
    if len(residents) < 3:
        return
    star = ctx.users.get("resident")  # the demo resident, if they live here: the award is in their points
    if star is None or star.home_area is None or not lies_under(star.home_area.path, community.path):
        star = None
    now = timezone.now()
    _walk(
        officer,
        community,
        residents,
        title="2026年度廉洁模范之星评选",
        kind="integrity_star",
        start=now - timedelta(days=40),
        stop="awarded",
        winner=star,
        answered=True,
    )
    _walk(
        officer,
        community,
        residents,
        title="文明家庭评选",
        kind="other",
        start=now - timedelta(days=15),
        stop="publicity",
    )
    _walk(
        officer,
        community,
        residents,
        title="最美志愿者评选",
        kind="other",
        start=now - timedelta(days=8, hours=2),
        stop="voting",
        votes_per_voter=2,
        places=2,
    )
    _walk(
        officer,
        community,
        residents,
        title="好邻居评选",
        kind="other",
        start=now - timedelta(days=9),
        stop="review",
    )
    communities = Area.objects.filter(under_q(street.path, "path"), level=Level.COMMUNITY, retired=False)
    campaign = campaigns.create_campaign(
        actor=street_user,
        area=street,
        kind="integrity_community",
        title="廉洁示范社区评选",
        places=2,
        nominations_close_at=now + timedelta(days=10),
    )
    # each community nominated by its own Party organization: the demo community's by its secretary
    # (who acts for it), the others' by the street's official (who acts for every one of the street's)
    chosen = [community, *communities.exclude(pk=community.pk).order_by("path")[:2]]
    nominated = []
    for i, area in enumerate(chosen):
        actor = officer if area == community else street_user
        org = selectors_campaigns.nominating_orgs(actor, campaign).filter(area=area).first()
        org = org or selectors_campaigns.nominating_orgs(street_user, campaign).filter(area=street).first()
        if org is None:
            continue
        nominated.append(
            campaigns.nominate(
                actor=actor if org.area == area else street_user,
                campaign=campaign,
                nominee_area=area,
                reason="廉洁文化阵地齐全，警示教育常态化开展。",
                nominating_org=org,
                materials=materials(area.name, i + 4),
            )
        )
    if len(nominated) == 3:
        changes.withdraw_nomination(actor=street_user, nomination=nominated[-1])
    cancelled = campaigns.create_campaign(
        actor=officer,
        area=community,
        kind="other",
        title="最美楼栋长评选",
        places=1,
        nominations_close_at=now + timedelta(days=5),
    )
    changes.cancel_campaign(
        actor=officer, campaign=cancelled, reason="与街道“最美网格员”评选合并，另行组织。"
    )
    ctx.log("  6 selection campaigns (awarded, in publicity, voting, at review, nominating, cancelled)")
