"""Template helpers of the shell: `{% load portal %}`."""

from django import template
from django.urls import NoReverseMatch, reverse

from grassroots.access.scoping import has_perm

register = template.Library()


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current page, with "…" (Paginator.ELLIPSIS) for the gaps."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.simple_tag
def optional_url(name, *args):
    """Like {% url %}, but "" when the URL name does not exist (a part that is not built yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def may(user, permission: str) -> bool:
    """`{% if user|may:"orglife.review" %}`: does the user hold the permission anywhere (scoping.has_perm)?
    For links to pages that answer only those who do: show the link only to them."""
    return has_perm(user, permission)
