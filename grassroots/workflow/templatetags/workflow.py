"""{% load workflow %}

{% timeline record %}            the record's transition log (2 queries, whatever its length)
{% transition_buttons record %}  the transitions the current user may take, as forms to the generic view
{% unread_badge %}               the unread-notifications badge for the header (refreshes itself by htmx)
"""

from django import template
from django.contrib.contenttypes.models import ContentType

from grassroots.workflow import selectors

register = template.Library()


@register.inclusion_tag("workflow/timeline.html")
def timeline(record):
    return {"record": record, "entries": selectors.timeline(record)}


@register.inclusion_tag("workflow/transition_buttons.html", takes_context=True)
def transition_buttons(context, record, next_url=""):
    request = context["request"]
    return {
        "record": record,
        "content_type_id": ContentType.objects.get_for_model(record).pk,
        "transitions": selectors.available_transitions(record, request.user),
        "next": next_url or request.get_full_path(),
    }


@register.inclusion_tag("workflow/unread_badge.html", takes_context=True)
def unread_badge(context):
    return {"unread": selectors.unread_count(context["request"].user)}
