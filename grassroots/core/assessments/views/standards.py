"""The panel an assessments adds to a standard item's page (documents:item): which communities of the
viewer's subtree meet the item in a year (selectors/standards.py has the definition), rolled up per child
area, with the open findings of those that do not and the communities not inspected that year."""

from __future__ import annotations

from django.template.loader import render_to_string

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.core.assessments.rules import VIEW
from grassroots.core.assessments.selectors.standards import compliance, figure_area
from grassroots.documents.models import Kind
from grassroots.pages import year_param


def standard_item_panel(request, item) -> str:
    document = item.section.version.document
    if document.kind != Kind.STANDARD or not has_perm(request.user, VIEW):
        return ""
    area = figure_area(request.user, item, area_from_request(request, VIEW, required=True))
    year = year_param(request)
    context = {"item": item, "figure": compliance(request.user, item, area, year), "year": year}
    return render_to_string("assessments/_standard_item.html", context, request=request)
