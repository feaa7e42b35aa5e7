"""The numbers, names and proportions of the members demo (see the package's docstring)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.core.members.models import MemberTag, TagKind

SIZES = {"S": 3_000, "M": 80_000, "L": 800_000}
LOCAL_EXTRA = 60  # more members in the demo community's branches
SAMPLE = {"S": 0.15, "M": 0.03, "L": 0.005}  # share of members elsewhere with study, dues, care records
CHUNK = 500  # communities per round of writes
BATCH = 2_000

TAGS = (
    ("老党员", TagKind.TAG),
    ("在职党员", TagKind.TAG),
    ("退役军人", TagKind.TAG),
    ("困难党员", TagKind.TAG),
    ("法律", TagKind.SKILL),
    ("医疗", TagKind.SKILL),
    ("教育", TagKind.SKILL),
    ("文艺", TagKind.SKILL),
    ("家电维修", TagKind.SKILL),
    ("心理咨询", TagKind.SKILL),
    ("财会", TagKind.SKILL),
    ("独居", TagKind.CARE),
    ("患病", TagKind.CARE),
    ("生活困难", TagKind.CARE),
)
SKILLS = [name for name, kind in TAGS if kind == TagKind.SKILL]
# (lowest age, highest age, weight): ~20 % aged 70 and over
AGE_BANDS = ((20, 35, 18), (36, 50, 22), (51, 69, 40), (70, 79, 12), (80, 95, 8))
ETHNICITIES = (("汉族", 95), ("彝族", 2), ("藏族", 2), ("回族", 1))
OCCUPATIONS = (
    ("教师", "雅安市第一中学"),
    ("医生", "雅安市人民医院"),
    ("护士", "雨城区人民医院"),
    ("公务员", "雨城区人民政府"),
    ("工程师", "国网雅安供电公司"),
    ("会计", "雅安农商银行"),
    ("社区工作者", "社区居民委员会"),
    ("职员", "雅安茶厂"),
    ("技术员", "四川雅安经济开发区"),
    ("律师", "四川雅州律师事务所"),
    ("个体经营", "个体工商户"),
    ("农民", ""),
)
MOBILE_PLACES = (
    "成都市武侯区",
    "成都市高新区",
    "重庆市渝北区",
    "深圳市南山区",
    "眉山市东坡区",
    "乐山市市中区",
)
MOBILE_WORK = ("建筑公司", "物流公司", "电子厂", "餐饮企业", "软件公司", "")
STUDY_TITLES = (
    "学习贯彻党的二十大精神专题党课",
    "“三会一课”：支部党员大会",
    "主题党日：重温入党誓词",
    "党纪学习教育专题学习",
    "廉洁文化大讲堂",
    "道德讲堂：邻里守望",
    "网上党校在线课程",
)


_HOME_LEVELS = (Level.COURTYARD, Level.COMPOUND, Level.BUILDING)


def _branches():
    return PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, retired=False)


def _under(path: str, field: str) -> Q:
    return Q(**{f"{field}__range": (path, path + Area.alphabet[-1] * 20)})


def _ensure_tags() -> dict[str, int]:
    existing = dict(MemberTag.objects.filter(name__in=[n for n, _k in TAGS]).values_list("name", "id"))
    missing = [MemberTag(name=name, kind=kind) for name, kind in TAGS if name not in existing]
    MemberTag.objects.bulk_create(missing)
    return dict(MemberTag.objects.filter(name__in=[n for n, _k in TAGS]).values_list("name", "id"))


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs])[0]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
