"""Demo step `lawgov` (after 自治's negotiations, which hand one case over to mediation): the demo community's
legal service station with its lawyer and adviser, two recurring sessions (the bar association's free advice
on the first Tuesday of each month, the human resources and social security bureau's on Thursdays every two
weeks) with the resident booked on the next one, three consultations (one answered, one referred to another
body, one referred to mediation, which becomes a case), and cases of the dispute platform at each step: one
received, one in mediation after a session, one settled with its agreement and follow-up visit due, and one
escalated from the community to the street's committee, where the street's mediator has held a session; and
one received directly at the street as administrative mediation."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.gatherings.models import Gathering
from grassroots.gatherings.recurrence import Frequency
from grassroots.lawgov import services_disputes as disputes
from grassroots.lawgov import services_stations as stations
from grassroots.lawgov.models_stations import LegalStation, Provider, Referral, Topic, WorkerRole


def _next(session) -> Gathering | None:
    return Gathering.objects.filter(series=session.series).order_by("starts_at").first()


def _case(worker, area, title, category, description, respondent, *, at_risk=False, **assignment):
    return disputes.file_dispute(
        actor=worker,
        area=area,
        title=title,
        category=category,
        description=description,
        channel="station",
        at_risk=at_risk,
        **assignment,
        parties=[
            {"role": "applicant", "name": "居民甲（演示）", "phone": "13800000001"},
            {"role": "respondent", "name": respondent},
        ],
    )


def _session(actor, dispute, now, days_ago, names, record):
    disputes.record_session(
        actor=actor,
        dispute=dispute,
        held_at=now - timedelta(days=days_ago),
        place="社区人民调解室",
        mediator_names=names,
        record=record,
    )


@seed_step(order=340)
def lawgov(ctx: SeedContext) -> None:
    community, worker = ctx.places.get("community"), ctx.users.get("worker")
    if community is None or worker is None or LegalStation.objects.filter(area=community).exists():
        return
    now, today = timezone.now(), local_today()
    station = stations.create_station(
        actor=worker,
        area=community,
        name=f"{community.name}法律服务站",
        place="社区党群服务中心一楼",
        opening_hours="周一至周五 9:00—17:00",
        phone="0835-2220000",
    )
    lawyer = ctx.users.get("lawyer")
    stations.add_worker(
        actor=worker,
        station=station,
        name=lawyer.full_name if lawyer else "孙文静",
        role=WorkerRole.LAWYER,
        organization="雅州律师事务所（演示）",
        user=lawyer,
    )
    stations.add_worker(
        actor=worker, station=station, name="何志强", role=WorkerRole.ADVISER, organization="区司法局（演示）"
    )
    bar = stations.schedule_session(
        actor=worker,
        station=station,
        provider=Provider.BAR,
        title="律师协会公益法律咨询",
        start_time=time(9, 30),
        duration_minutes=120,
        capacity=8,
        frequency=Frequency.MONTHLY_WEEKDAY,
        starts_on=today,
        weekday=1,
        week_of_month=1,
    )
    stations.schedule_session(
        actor=worker,
        station=station,
        provider=Provider.HRSS,
        title="劳动就业与社保政策咨询",
        start_time=time(14, 30),
        duration_minutes=90,
        capacity=6,
        frequency=Frequency.WEEKLY,
        starts_on=today,
        weekday=3,
        interval=2,
    )
    stations.schedule_session(
        actor=worker,
        station=station,
        provider=Provider.PETITIONS,
        title="信访局领导接访日",
        start_time=time(9, 0),
        duration_minutes=180,
        capacity=10,
        frequency=Frequency.MONTHLY_WEEKDAY,
        starts_on=today,
        weekday=1,
        week_of_month=3,
    )
    # A legal education event (法治宣传教育) in ten days, the resident signed up.
    education_day = datetime.combine(
        today + timedelta(days=10), time(9, 30), tzinfo=timezone.get_default_timezone()
    )
    education = stations.schedule_education(
        actor=worker,
        station=station,
        title="民法典进社区宣讲",
        starts_at=education_day,
        ends_at=education_day + timedelta(hours=2),
        description="婚姻家庭编、继承编要点与案例。",
        capacity=60,
    )
    resident = ctx.users.get("resident")
    if resident is not None:
        stations.book(user=resident, occurrence=education)
    occurrence = _next(bar)
    if resident is not None and occurrence is not None:
        stations.book(user=resident, occurrence=occurrence)

    stations.record_consultation(
        actor=worker,
        station=station,
        topic=Topic.FAMILY,
        question="老人去世后房屋继承如何办理？",
        answer="告知法定继承顺序及公证、不动产登记所需材料。",
        resident=resident,
    )
    stations.record_consultation(
        actor=worker,
        station=station,
        topic=Topic.SOCIAL,
        question="灵活就业人员如何续缴养老保险？",
        answer="已说明缴费渠道。",
        referral=Referral.OTHER_BODY,
        referred_to="区社会保险事业管理局",
    )
    wages = stations.record_consultation(
        actor=worker,
        station=station,
        topic=Topic.LABOUR,
        question="装修公司拖欠三个月工资，多次催要无果。",
        answer="建议先行调解，并保留考勤与转账记录。",
        resident=resident,
    )
    stations.refer_to_mediation(actor=worker, consultation=wages, respondent="某装修公司（演示）")

    _case(
        worker,
        community,
        "楼上漏水损坏天花板",
        "neighbours",
        "5栋住户反映楼上卫生间漏水。",
        "5栋某住户（演示）",
    )
    mediating = _case(
        worker,
        community,
        "物业费与服务质量争议",
        "property_management",
        "业主以电梯常坏为由拒缴物业费。",
        "某物业公司（演示）",
    )
    _session(worker, mediating, now, 2, "刘洋、孙文静", "双方陈述，物业承诺一周内检修电梯（演示）。")
    disputes.start_mediation(actor=worker, dispute=mediating)
    settled = _case(
        worker, community, "宠物犬伤人赔偿", "neighbours", "邻居家犬只咬伤儿童。", "邻居某（演示）"
    )
    _session(worker, settled, now, 6, "刘洋", "双方同意协商赔偿数额（演示）。")
    disputes.start_mediation(actor=worker, dispute=settled)
    disputes.settle(
        actor=worker, dispute=settled, text="被申请人一次性赔偿医药费等共计 2,000 元，双方再无争议。"
    )
    escalated = _case(
        worker,
        community,
        "临街商铺噪音扰民",
        "neighbours",
        "商铺夜间营业噪音，社区调解未果。",
        "某商铺（演示）",
        at_risk=True,
    )
    _session(worker, escalated, now, 5, "刘洋", "商户不同意调整营业时间（演示）。")
    disputes.start_mediation(actor=worker, dispute=escalated)
    disputes.escalate(
        actor=worker, dispute=escalated, reason="社区调解未果，双方同意提交街道人民调解委员会。"
    )
    mediator = ctx.users.get("mediator")
    if mediator is not None:
        _session(
            mediator, escalated, now, 1, mediator.full_name or "街道调解员", "街道调委会首次调解（演示）。"
        )
        # received directly at the street as administrative mediation (no escalation in the figures)
        _case(
            mediator,
            community,
            "征地补偿款分配争议",
            "land_housing",
            "村民小组与住户就征地补偿款分配发生争议，直接到街道申请调解。",
            "某村民小组（演示）",
            level=3,
            kind="administrative",
        )


# The step `lawgov_pairings` (345) lives beside this one.
from grassroots.lawgov import demo_pairings  # noqa: E402, F401
