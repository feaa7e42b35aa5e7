"""Plausible Chinese names for generated places and people. Every function takes the caller's
`random.Random`, so the same seed gives the same names."""

from __future__ import annotations

import random

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1 ≤ n ≤ 99)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def ordinal(n: int) -> str:
    """第一, 第十二, … and plain numbers past 99 (第105)."""
    return f"第{cn_number(n)}" if n <= 99 else f"第{n}"


def grid_name(n: int) -> str:
    return f"{ordinal(n)}网格"


def building_name(n: int) -> str:
    return f"{n}栋"


# Courtyards (院落) in town: named after trees, flowers and good wishes, as Ya'an's courtyards often are.
_COURTYARD_WORDS = [
    "桂花",
    "银杏",
    "香樟",
    "玉兰",
    "海棠",
    "芙蓉",
    "紫薇",
    "腊梅",
    "翠竹",
    "松柏",
    "石榴",
    "茶花",
    "兰草",
    "梧桐",
    "杏林",
    "桃李",
    "和睦",
    "和谐",
    "邻里",
    "幸福",
    "安康",
    "同心",
    "如意",
    "长乐",
    "惠民",
    "清风",
    "明月",
    "春晖",
    "朝阳",
    "书香",
    "红叶",
    "雅韵",
    "善德",
    "孝廉",
    "知足",
    "康乐",
    "怡心",
    "勤俭",
    "向阳",
    "友爱",
]
# Villages: courtyards named after the family that lives there.
_SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "肖",
    "田",
    "董",
    "袁",
    "潘",
    "蒋",
    "蔡",
    "余",
    "杜",
    "叶",
    "程",
    "苏",
    "魏",
    "吕",
    "丁",
    "任",
    "沈",
    "姚",
    "卢",
    "姜",
    "崔",
    "钟",
    "谭",
    "陆",
    "汪",
    "范",
    "廖",
    "石",
    "金",
    "贾",
    "夏",
    "付",
    "方",
    "邹",
    "熊",
    "白",
    "孟",
    "秦",
    "邱",
    "侯",
    "江",
    "尹",
    "薛",
    "闫",
    "段",
    "雷",
    "龙",
    "黎",
    "史",
    "陶",
    "贺",
    "毛",
    "郝",
    "顾",
    "龚",
    "邵",
    "万",
    "覃",
    "严",
    "赖",
    "洪",
    "武",
    "莫",
    "孔",
    "汤",
    "向",
    "常",
    "温",
    "康",
    "施",
    "文",
    "牛",
    "樊",
    "葛",
    "邢",
    "安",
    "齐",
    "易",
    "乔",
    "伍",
    "庞",
    "颜",
    "倪",
    "庄",
    "聂",
    "章",
    "鲁",
    "岳",
    "翟",
    "殷",
    "詹",
    "申",
    "欧",
    "耿",
    "关",
    "兰",
    "焦",
    "俞",
    "左",
    "柳",
    "甘",
    "祝",
    "包",
    "宁",
    "尚",
    "符",
    "舒",
    "阮",
    "柯",
    "纪",
    "梅",
    "童",
    "凌",
    "毕",
    "单",
    "季",
    "裴",
]
# Residential compounds (小区): a two-character name and a suffix.
_COMPOUND_HEADS = [
    "滨江",
    "雅州",
    "羌江",
    "青衣",
    "熊猫",
    "蒙顶",
    "碧峰",
    "锦城",
    "金鸡",
    "凤凰",
    "翠苑",
    "名都",
    "龙溪",
    "紫荆",
    "阳光",
    "水岸",
    "江湾",
    "书院",
    "润园",
    "嘉园",
    "香榭",
    "御景",
    "锦绣",
    "康城",
    "宏福",
    "华府",
    "望江",
    "天韵",
    "雨城",
    "廊桥",
    "南郊",
    "北郊",
    "东岳",
    "西城",
    "新城",
    "茶都",
    "花溪",
    "清源",
    "周公",
    "汉碑",
    "姚桥",
    "大兴",
    "草坝",
    "明珠",
    "翡翠",
    "银河",
    "星河",
    "桃源",
    "兰亭",
    "雅居",
    "瑞景",
    "鑫城",
    "博雅",
]
_COMPOUND_TAILS = ("小区", "小区", "小区", "花园", "苑", "家园", "新村", "雅居", "公寓")
# Generated streets and communities in the benchmark tiers.
_PLACE_HEADS = list("东西南北中新金玉锦龙凤青白紫华文兴安和平康福瑞嘉丰永长宝富盛泰明光清秀桂竹梅兰松柏")
_PLACE_TAILS = list("江城河山湖林园苑桥坪坝湾岭溪塘场坡洲亭门街路台岗泉阳华兴新和")
_GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "华",
    "建华",
    "建国",
    "志强",
    "玉兰",
    "淑珍",
    "海燕",
    "红梅",
    "小红",
    "丽华",
    "国庆",
    "永红",
    "德明",
    "文静",
    "晓东",
    "雪梅",
    "春花",
    "少华",
    "宇",
    "浩",
    "欣怡",
    "子涵",
    "梓萱",
    "思远",
    "雨桐",
    "俊杰",
    "佳怡",
    "一鸣",
    "嘉琪",
    "天佑",
    "晨曦",
    "雅婷",
    "婷",
    "鑫",
    "斌",
    "林",
    "蓉",
    "莉",
    "琴",
    "兵",
    "波",
    "辉",
    "鹏",
]


def courtyard_name(rng: random.Random, taken: set[str], village: bool = False) -> str:
    if village:
        return _unique(taken, lambda: (f"{rng.choice(_SURNAMES)}家", "院落"))
    return _unique(taken, lambda: (rng.choice(_COURTYARD_WORDS), "院落"))


def compound_name(rng: random.Random, taken: set[str]) -> str:
    return _unique(taken, lambda: (rng.choice(_COMPOUND_HEADS), rng.choice(_COMPOUND_TAILS)))


def with_suffix(name: str, suffix: str) -> str:
    """`name` followed by `suffix`, unless it already ends with it: 双墙村 + 村 → 双墙村, not 双墙村村."""
    return name if name.endswith(suffix) else name + suffix


def place_name(rng: random.Random, taken: set[str], suffix: str) -> str:
    """A generated street (suffix 街道) or community (suffix 社区) name, unique among `taken`."""
    return _unique(taken, lambda: (rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS), suffix))


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def phone_number(rng: random.Random) -> str:
    """An 11-digit number in the 100 block, which is not assigned to mobile subscribers: demo data reaches
    nobody."""
    return f"100{rng.randrange(10**8):08d}"


def _unique(taken: set[str], make) -> str:
    """`make()` → (head, suffix); a few draws, then a numbered head when the pool is used up."""
    for _ in range(20):
        head, suffix = make()
        name = with_suffix(head, suffix)
        if name not in taken:
            taken.add(name)
            return name
    n = 2
    while f"{head}{n}{suffix}" in taken:
        n += 1
    name = f"{head}{n}{suffix}"
    taken.add(name)
    return name
