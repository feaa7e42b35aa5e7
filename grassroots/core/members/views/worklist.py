"""The secretary's worklist (书记工作台): lost contact to follow up, conversions due, care visits due,
arrears — counts and the first items, each linking to its list. Eight queries whatever the data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grassroots.core.members.selectors.worklist import worklist_for
from grassroots.core.members.views._precisions import require_view


@login_required
def worklist(request):
    require_view(request)
    return render(request, "members/worklist.html", {"sections": worklist_for(request.user)})
