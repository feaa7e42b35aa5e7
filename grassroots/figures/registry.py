"""The one figure registry (docs/figures.md): every figure of the platform, defined once, read by the
dashboard, the API (/api/figures/), the officials' home and the assessments (a rate per target area and year).

A part registers its figures from its `AppConfig.ready()`:

    from grassroots.figures.registry import Definition, register

    register(Definition(
        name="lawgov.disputes_settled", label=_("矛盾纠纷化解率"), unit="%", part="lawgov",
        definition=_("本年度受理的纠纷中调解成功的比例"), permission="lawgov.view",
        rows=lambda year, today: Dispute.objects.filter(...),       # the rows, unscoped
        counts=lambda year, today: {"received": Count("pk"), "settled": Count("pk", filter=...)},
        value=rate("settled", "received"),                           # the figure from the summed counts
        month_field="created_at",                                    # the monthly trend groups by it
    ))

The counts are additive aggregates (`Count`, `Sum`): the one roll-up (grassroots/areas/rollup.py) sums them
for a subtree and per child area by aggregate queries over the path prefix, so that a line's value is computed
from its counts and the children's counts add up to the parent's (grassroots/figures/compute.py). A figure
that is not additive (a median) names the column whose value distribution is counted (`median_of`).

An assessment provider (`register_provider`, below) is a function (targets, year) → {area id: Figure(rate,
detail, url)}; it is attached to the figure of the same name (or registered as a figure of its own, with its
label and description): the assessments' schemes and the officials' home read the same entries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

# --- the figure definitions -----------------------------------------------------------------------------


def rate(part: str, whole: str) -> Callable[[dict], Decimal | None]:
    """The value `part / whole` in percent (one decimal), None when `whole` is 0."""

    def value(counts: dict) -> Decimal | None:
        if not counts.get(whole):
            return None
        return (Decimal(100) * (counts.get(part) or 0) / counts[whole]).quantize(Decimal("0.1"))

    value.parts = (part, whole)
    return value


def count(key: str) -> Callable[[dict], Any]:
    """The value: the count `key` itself."""

    def value(counts: dict):
        return counts.get(key) or 0

    return value


@dataclass
class Definition:
    """One figure: what it is called and means, who may see it, how it is computed.

    - `rows(year, today)`: the rows counted (unscoped; the area's subtree is cut by `path_field`): a
      queryset, or `grassroots.areas.rollup.Rows` (the part's own SQL, summed as it is; a figure with a
      `month_field`, a median or a distinct count needs a queryset),
    - `counts(year, today)`: {key: Count/Sum} over the rows (additive, see the module's docstring; or
      `Count(column, distinct=True)`, people counted once per line: `distinct`),
    - `value(counts)`: the figure from the summed counts (`rate`, `count`, or any function),
    - `parts`: ((key, label), …) counts shown beside the value (e.g. members by status),
    - `month_field`: the monthly trend counts the rows by the month of this column within the year;
      `month_rows(year, month, today)` instead gives a month's rows (a figure judged per period),
    - `month_counts(year, month, today)`: the counts of `month_rows` when they differ from `counts` (a
      threshold that grows with the months, a state as of the month's end),
    - `median_of`: the value is the median of this column over the rows (not additive: its distribution is
      counted per line and merged), `rows` then being the rows whose column counts,
    - `behind`: "low" when a low value is behind (rates), "high" when a high one is (overdue, lost contact),
    - `public`: published to everyone holding `permission` (residents too, where the part's view permission
      is public); any other figure also needs the officials' permission DASHBOARD over the area.
    """

    name: str
    label: Any
    unit: str
    definition: Any
    permission: str
    part: str = ""
    rows: Callable | None = None
    counts: Callable | None = None
    value: Callable | None = None
    path_field: str = "area__path"
    parts: tuple = ()
    month_field: str | None = None
    month_rows: Callable | None = None
    month_counts: Callable | None = None
    median_of: str | None = None
    behind: str = "low"
    url: str = ""  # the url name of the records behind the figure (given ?area=)
    public: bool = False
    provider: Callable | None = field(default=None, repr=False)  # the assessments' rate per target and year

    @property
    def computed(self) -> bool:
        """Does the dashboard compute it (rows and counts), or is it only an assessments' provider?"""
        return self.rows is not None and (self.counts is not None or self.median_of is not None)

    @property
    def distinct(self) -> bool:
        """Does a count of it count distinct values (people with rows in several areas)? Then each line counts
        a value once, and the own line and the children need not add up to the subtree (grassroots/areas/
        rollup.py)."""
        from django.db.models import Count
        from django.utils import timezone

        if not self.computed or self.counts is None:
            return False
        today = timezone.localdate()
        counts = self.counts(today.year, today).values()
        return any(isinstance(aggregate, Count) and aggregate.distinct for aggregate in counts)

    @property
    def has_trend(self) -> bool:
        return self.computed and (self.month_field is not None or self.month_rows is not None)


_DEFINITIONS: dict[str, Definition] = {}


def register(definition: Definition) -> Definition:
    """Register (or replace) a figure. A provider registered already under its name is kept."""
    known = _DEFINITIONS.get(definition.name)
    if known is not None and definition.provider is None:
        definition.provider = known.provider
    _DEFINITIONS[definition.name] = definition
    return definition


def get(name: str) -> Definition | None:
    return _DEFINITIONS.get(name)


def definitions() -> list[Definition]:
    """Every figure the dashboard computes, by part and name."""
    return sorted((d for d in _DEFINITIONS.values() if d.computed), key=lambda d: (d.part, d.name))


# The officials' permission over the figures (figures/apps.py): the dashboard, its export and every figure not
# marked `public`.
DASHBOARD = "figures.dashboard"


def visible(user) -> list[Definition]:
    """The computed figures the user may see: they hold the figure's permission somewhere, and the officials'
    DASHBOARD too unless the figure is public."""
    from grassroots.access.scoping import has_perm

    official = has_perm(user, DASHBOARD)
    return [d for d in definitions() if (d.public or official) and has_perm(user, d.permission)]


def scope_of(user, definition: Definition) -> list[str]:
    """The area paths under which the user may see the figure: the scope of its permission, narrowed to the
    scope of DASHBOARD unless the figure is public (the subtrees both cover)."""
    from grassroots.access.scoping import scope_paths
    from grassroots.areas.subtree import lies_under

    paths = list(scope_paths(user, definition.permission))
    if definition.public:
        return paths
    official = list(scope_paths(user, DASHBOARD))
    both = [p for p in paths if lies_under(p, official)] + [p for p in official if lies_under(p, paths)]
    return sorted(set(both))


# The points (积分, grassroots/virtue/figures_points.py) register here like every part: "virtue.points_earned"
# (Sum of the ledger's points by the line's area, trend by the day written) and "virtue.points_participation"
# (verified residents and those who earned, by their address; the assessments' provider of the same name).


# --- the assessments' providers: a rate per target area and year ------------------------------------------


@dataclass(frozen=True)
class Figure:
    """An assessment provider's answer for one target: `rate` in 0–1 (None: no data), a line of evidence
    (`detail`) and a link to the records behind it (`url`)."""

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


# name → (label, what it measures): the providers the assessments foresee, so that schemes can be written
# before their parts exist; a part may register other names too.
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

# The registered providers (name → Provider); the same entries as the definitions' `provider`.
PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, func: ProviderFunc, *, label=None, description="") -> Provider:
    """Register (or replace) the provider `name`. The label defaults to the figure's, then the catalog's."""
    known = CATALOG.get(name)
    definition = _DEFINITIONS.get(name)
    if label is None and known is None and definition is None:
        raise ValueError(f"provider {name!r} is not in the catalog: give it a label")
    if label is None:
        label = known[0] if known else definition.label
    if not description:
        description = known[1] if known else (definition.definition if definition else "")
    provider = Provider(name=name, label=label, func=func, description=description)
    PROVIDERS[name] = provider
    if definition is not None:
        definition.provider = func
    return provider


def unregister_provider(name: str) -> None:
    PROVIDERS.pop(name, None)


def get_provider(name: str) -> Provider | None:
    return PROVIDERS.get(name)


def is_registered(name: str) -> bool:
    return name in PROVIDERS


def provider_label(name: str) -> str:
    if name in PROVIDERS:
        return str(PROVIDERS[name].label)
    if name in CATALOG:
        return str(CATALOG[name][0])
    return name


def provider_choices() -> list[tuple[str, str]]:
    """(name, label) of every provider a scheme may name: the catalog first, then other registered ones.
    Those not registered yet are marked (their items score "暂无数据" until the part is built)."""
    names = list(CATALOG) + [name for name in PROVIDERS if name not in CATALOG]
    pending = _("（暂无数据）")
    return [(name, provider_label(name) + ("" if name in PROVIDERS else str(pending))) for name in names]


def figures_for(name: str, targets: Sequence, year: int) -> dict[int, Figure] | None:
    """The provider's figures for the targets ({area id: Figure}), or None when no provider is registered
    under `name`."""
    provider = PROVIDERS.get(name)
    if provider is None:
        return None
    if not targets:
        return {}
    return dict(provider.func(targets, year))


# --- the officials' home: key figures (a provider's rate, children behind first) ---------------------------

# (provider name, the permission that shows it), in order. A part adds its own with `register_home_figure`.
HOME_FIGURES: list[tuple[str, str]] = [
    ("duties.completion", "duties.view"),
    ("orglife.compliance", "orglife.view"),
    ("coverage.rate", "coverage.view"),
    ("assessments.rectification", "assessments.view"),
]


def register_home_figure(provider: str, permission: str) -> None:
    """Show figure `provider` on the officials' home to those holding `permission` (once)."""
    if (provider, permission) not in HOME_FIGURES:
        HOME_FIGURES.append((provider, permission))


def parts_of(definition: Definition) -> tuple:
    """((key, label), …) of the counts shown beside the value (`parts` may be a function: labels read
    late)."""
    parts = definition.parts
    return tuple(parts() if callable(parts) else parts)
