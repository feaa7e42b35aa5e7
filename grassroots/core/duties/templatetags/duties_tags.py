"""{% load duties_tags %}: rates as percentages, state badges, the progress bar of a set of figures."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

STATE_STYLES = {
    "issued": "secondary",
    "accepted": "info",
    "in_progress": "primary",
    "submitted": "warning",
    "approved": "success",
    "returned": "danger",
}


@register.filter
def percent(rate) -> str:
    """0.756 → "75.6%"; None (nothing to divide) → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"


@register.filter
def ratio(part, whole) -> str:
    """Two counts as a percentage, for annotated rows (`fig_approved|ratio:fig_total`)."""
    if not whole:
        return "—"
    return f"{100 * (part or 0) / whole:.1f}%"


@register.filter
def state_style(state: str) -> str:
    return STATE_STYLES.get(state, "secondary")


@register.inclusion_tag("duties/_bar.html")
def progress_bar(approved, total, overdue=0):
    """A thin bar: approved share in green, overdue share in red."""
    total = total or 0
    done = round(100 * (approved or 0) / total, 1) if total else 0
    late = round(100 * (overdue or 0) / total, 1) if total else 0
    return {"done": done, "late": late, "total": total, "label": _("完成 %(done)s%%") % {"done": done}}
