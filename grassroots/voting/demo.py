"""Demo step `voting`: households in the demo home area, three standing resident representatives elected at a
居民会议 four years and ten months ago (the election record: its term ends within the reminder's 90 days;
one correction of its note, 更正, with the reason),
a closed vote of the demo community's residents with its result (one ballot witnessed at the hearing, one
cast with a paper code signed for), and an open vote by household that the demo resident can still take
part in."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.gatherings import services as gatherings
from grassroots.imports.xlsx import SafeWorkbook
from grassroots.voting.models import Electorate, Household, Majority, Vote
from grassroots.voting.services import ballots, elections, households, votes


@seed_step(order=210)
def voting(ctx: SeedContext) -> None:
    community, home = ctx.places.get("community"), ctx.places.get("home")
    officer = ctx.users.get("secretary")
    if community is None or home is None or officer is None:
        return
    if Vote.objects.filter(under_q(community.path)).exists():
        return  # idempotent
    rng = ctx.rng_for("voting")
    residents = list(
        User.objects.filter(under_q(community.path, "home_area__path"), verified_at__isnull=False)
        .exclude(household_membership__isnull=False)
        .select_related("home_area")
        .order_by("username")[:24]
    )
    in_home = [u for u in residents if u.home_area_id == home.pk]
    if not Household.objects.filter(area=home).exists():
        for i in range(0, len(in_home), 2):
            house = households.create_household(actor=officer, area=home, name=f"{i // 2 + 1}栋{101 + i % 4}")
            for user in in_home[i : i + 2]:
                if user.username != "resident":
                    households.add_member(actor=officer, household=house, user=user)
    held_on = timezone.localdate() - timedelta(days=365 * 5 - 60)
    starts = timezone.make_aware(datetime.combine(held_on, time(9)))
    meeting = gatherings.create_gathering(
        actor=officer,
        kind="meeting",
        title="居民会议：推选第三届居民代表",
        area=community,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="社区党群服务中心",
        visibility="public",
    )
    gatherings.mark_held(actor=officer, gathering=meeting)
    election = elections.record_election(
        actor=officer,
        community=community,
        held_on=held_on,
        gathering=meeting,
        elected=residents[:3],
        note="居民会议以举手表决方式推选，结果在社区公示栏公示七日。",
    )
    # 更正: the record said 举手表决; the meeting's minutes say a secret ballot — the history keeps both
    elections.correct_election(
        actor=officer,
        election=election,
        reason="据居民会议记录，推选方式为无记名投票，原记录误写为举手表决。",
        note="居民会议以无记名投票方式推选，结果在社区公示栏公示七日。",
    )
    now = timezone.now()
    closed = votes.create_vote(
        actor=officer,
        area=community,
        title="老旧小区加装电梯方案表决",
        description="按照议事协商会形成的方案，由本社区已实名核验的居民表决。",
        options=["同意", "不同意"],
        electorate=Electorate.RESIDENTS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        majority=Majority.SIMPLE,
        quorum_percent=20,
    )
    closed = votes.publish_vote(actor=officer, vote=closed)  # the published row: ballots check its state
    yes, no = list(closed.options.values_list("pk", flat=True))
    voting_residents = [u for u in residents if u.username != "resident"]
    for i, user in enumerate(voting_residents):
        choice = [yes if rng.random() < 0.7 else no]
        if i == 0:  # given in person at the hearing, witnessed by the supervision committee's head
            ballots.cast_witnessed(
                actor=officer, vote=closed, voter=user, option_ids=choice, witness="居务监督委员会主任"
            )
        elif i == 1:  # no smartphone: a paper code, received by a daughter and signed for
            [(_voter, code)] = ballots.issue_paper_codes(
                actor=officer, vote=closed, voters=[user], received_by=f"{user.display_name}的女儿"
            )
            ballots.cast_with_code(code=code, option_ids=choice)
        else:
            ballots.cast_ballot(voter=user, vote=closed, option_ids=choice)
    votes.close_vote(actor=officer, vote=closed)
    open_vote = votes.create_vote(
        actor=officer,
        area=community,
        title="小区停车位划线方案（每户一票）",
        options=["方案一：沿路单侧划线", "方案二：集中停放区"],
        electorate=Electorate.HOUSEHOLDS,
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(days=7),
        majority=Majority.MOST,
        quorum_percent=50,
        secret=False,
    )
    open_vote = votes.publish_vote(actor=officer, vote=open_vote)
    # a households workbook through the import runner, as 导入住户 takes it (a household, no residents yet)
    book = SafeWorkbook()
    sheet = book.active
    sheet.title = "住户"
    sheet.append(["住址", "户名", "居民姓名", "居民账号"])
    sheet.append([str(home.pk), "9栋901", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    households.start_import(file=SimpleUploadedFile("住户导入.xlsx", buffer.getvalue()), actor=officer)
    ctx.log(f"  2 votes, {closed.ballots.count()} ballots")
