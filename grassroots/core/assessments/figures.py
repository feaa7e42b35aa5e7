"""The assessments' figure providers: how an assessment item computed "from what the platform holds" gets its
figure. They live in the one figure registry (grassroots/figures/registry.py, docs/figures.md); this module
names what the assessments read from it.

A provider is registered under a name by the part that holds the data:

    from grassroots.figures.registry import register_provider

    def disputes_settled(targets, year):
        # one aggregate query over the targets' subtrees → {area id: Figure(rate, detail, url)}
        ...

    register_provider("lawgov.disputes_settled", disputes_settled)   # from LawgovConfig.ready()

`targets` are the target areas of one scheme (same level); the provider answers for each target area id a
`Figure`: `rate` in 0–1 (None: no data for that target), a line of evidence (`detail`, e.g. "按期完成 12 / 15
项") and a link to the records behind it (`url`). A target missing from the answer has no data. An item
whose provider is not registered (its part is not built yet) scores "暂无数据" for every target; the scheme
still computes.
"""

from grassroots.figures.registry import (
    CATALOG,
    PROVIDERS,
    Figure,
    Provider,
    ProviderFunc,
    figures_for,
    get_provider,
    is_registered,
    provider_choices,
    provider_label,
    register_provider,
    unregister_provider,
)

_REGISTRY = PROVIDERS  # the same dict (tests save and restore it)

__all__ = [
    "CATALOG",
    "Figure",
    "Provider",
    "ProviderFunc",
    "figures_for",
    "get_provider",
    "is_registered",
    "provider_choices",
    "provider_label",
    "register_provider",
    "unregister_provider",
]
