"""The registry of figure providers: how an assessment item computed "from what the platform holds" gets
its figure. A provider is registered under a name by the part that holds the data:

    from grassroots.core.assessments.figures import Figure, register_provider

    def disputes_settled(targets, year):
        # one aggregate query over the targets' subtrees → {area id: Figure(rate, detail, url)}
        ...

    register_provider("lawgov.disputes_settled", disputes_settled)   # from LawgovConfig.ready()

`targets` are the target areas of one scheme (same level); the provider answers for each target area id a
`Figure`: `rate` in 0–1 (None: no data for that target), a line of evidence (`detail`, e.g. "按期完成 12 / 15
项") and a link to the records behind it (`url`). A target missing from the answer has no data. An item
whose provider is not registered (its part is not built yet) scores "暂无数据" for every target; the scheme
still computes.

The catalog below names the providers the issue foresees, so schemes can be written before their parts
exist; a part may register other names too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    rate: Decimal | float | None
    detail: str = ""
    url: str = ""

    @property
    def normalized_rate(self) -> Decimal | None:
        """The rate as a Decimal clamped to 0–1 (4 places), or None."""
        if self.rate is None:
            return None
        value = Decimal(str(self.rate))
        return min(max(value, Decimal(0)), Decimal(1)).quantize(Decimal("0.0001"))


ProviderFunc = Callable[[Sequence, int], Mapping[int, Figure]]


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    func: ProviderFunc
    description: str = ""


# name → (label, what it measures). Parts built later register the function under these names.
CATALOG: dict[str, tuple] = {
    "duties.completion": (_("任务完成率"), _("下达给考核对象（含下级）的任务中已审核通过的比例")),
    "duties.timeliness": (_("任务按期完成率"), _("已完成的任务中在期限内提交的比例")),
    "orglife.compliance": (_("组织生活合规率"), _("三会一课等组织生活按规定频次开展的比例")),
    "coverage.rate": (_("党组织覆盖率"), _("新兴领域单位中已建立或覆盖党组织的比例")),
    "lawgov.disputes_settled": (_("矛盾纠纷化解率"), _("受理的纠纷中调解成功的比例")),
    "selfgov.matters_evaluated": (_("民生事项群众满意率"), _("完成公开评议的民生事项中评价满意的比例")),
    "assessments.report_score": (_("党建述职评议得分"), _("已公布的述职评议平均分（百分制）")),
    "assessments.rectification": (_("督察问题整改销号率"), _("整改期限在本年度的督察问题中已验收销号的比例")),
    "assessments.grid_cadre": (
        _("网格干部考察得分"),
        _("网格任务的完成率与按期完成率，结合实名居民对网格干部的评价（百分制）"),
    ),
}

_REGISTRY: dict[str, Provider] = {}


def register_provider(name: str, func: ProviderFunc, *, label=None, description="") -> Provider:
    """Register (or replace) the provider `name`. The label defaults to the catalog's."""
    known = CATALOG.get(name)
    if label is None and known is None:
        raise ValueError(f"provider {name!r} is not in the catalog: give it a label")
    provider = Provider(
        name=name,
        label=label if label is not None else known[0],
        func=func,
        description=description or (known[1] if known else ""),
    )
    _REGISTRY[name] = provider
    return provider


def unregister_provider(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_provider(name: str) -> Provider | None:
    return _REGISTRY.get(name)


def is_registered(name: str) -> bool:
    return name in _REGISTRY


def provider_label(name: str) -> str:
    if name in _REGISTRY:
        return str(_REGISTRY[name].label)
    if name in CATALOG:
        return str(CATALOG[name][0])
    return name


def provider_choices() -> list[tuple[str, str]]:
    """(name, label) of every provider a scheme may name: the catalog first, then other registered ones.
    Those not registered yet are marked (their items score "暂无数据" until the part is built)."""
    names = list(CATALOG) + [name for name in _REGISTRY if name not in CATALOG]
    pending = _("（暂无数据）")
    return [(name, provider_label(name) + ("" if name in _REGISTRY else str(pending))) for name in names]


def figures_for(name: str, targets: Sequence, year: int) -> dict[int, Figure] | None:
    """The provider's figures for the targets ({area id: Figure}), or None when no provider is registered
    under `name`."""
    provider = _REGISTRY.get(name)
    if provider is None:
        return None
    if not targets:
        return {}
    return dict(provider.func(targets, year))
