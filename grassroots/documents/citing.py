"""What the parts use to cite a standard's items: the items a record of an area may cite, and the panels a
part adds to an item's page (documents imports no part: the parts register here, from their apps' ready()).

A standard's item keeps its identity across versions by its number: "standard 3.2" is (document, "3.2"), so
that a finding citing 3.2 of version 1 still counts for 3.2 once version 2 is in force (`same_item_q`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from grassroots.areas.models import Area
from grassroots.areas.subtree import ancestor_paths
from grassroots.documents.models import Item, Kind, VersionState

# Panels of an item's page: f(request, item) -> rendered HTML (a str) or "" (nothing to show).
ITEM_PANELS: list[Callable] = []


def register_item_panel(panel: Callable) -> None:
    if panel not in ITEM_PANELS:
        ITEM_PANELS.append(panel)


def citable_for(area: Area, level: int | None = None) -> QuerySet[Item]:
    """Items of the standards in force that apply to `area`: set by it or an area above it, for `level`
    (default: the area's own; a document without levels applies to every level). One query for the few
    documents' levels, then the items' queryset."""
    level = level or area.level
    items = Item.objects.filter(
        section__version__state=VersionState.PUBLISHED,
        section__version__document__kind=Kind.STANDARD,
        section__version__document__area__path__in=ancestor_paths(area.path),
    ).select_related("section__version__document")
    documents = {item.section.version.document for item in items}
    wrong_level = [d.pk for d in documents if d.applies_to and level not in d.applies_to]
    return items.exclude(section__version__document__in=wrong_level).order_by(
        "section__version__document__title", "section__position", "position"
    )


def same_item_q(item: Item, prefix: str = "") -> Q:
    """Rows citing `item` or the item of the same number in another version of its document."""
    return Q(
        **{
            f"{prefix}section__version__document_id": item.section.version.document_id,
            f"{prefix}number": item.number,
        }
    )
