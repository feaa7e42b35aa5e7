"""{% load member_records %}

{% completeness_bar member.completeness %}   the record's data completeness as a bar and its percentage:
red below LOW_COMPLETENESS, amber below 100 %, green when complete (the member list's rows, the member page).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from grassroots.core.members.selectors.records import LOW_COMPLETENESS

register = template.Library()


@register.simple_tag
def completeness_bar(value: int):
    # Written in Python rather than included: the member list shows it on each of its 30 rows (an include
    # with three localized numbers cost ~300 function calls a row; issue 19).
    colour = "bg-danger" if value < LOW_COMPLETENESS else "bg-warning" if value < 100 else "bg-success"
    return format_html(
        '<div class="progress" role="progressbar" style="height: .5rem; min-width: 4rem" aria-label="{}"'
        ' aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar {}"'
        ' style="width: {}%"></div></div><span class="small text-body-secondary">{}%</span>',
        gettext("信息完整度"),
        value,
        colour,
        value,
        value,
    )
