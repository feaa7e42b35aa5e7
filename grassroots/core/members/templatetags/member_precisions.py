"""{% load member_precisions %}

{% precision_panel "find" member user as panel %}   the data of one of the member page's panels (find,
study, dues, care, transfers): see grassroots/core/members/selectors/worklist.py, PANELS.
"""

from django import template

from grassroots.core.members.selectors.worklist import PANELS

register = template.Library()


@register.simple_tag
def precision_panel(kind: str, member, user):
    return PANELS[kind](member, user)
