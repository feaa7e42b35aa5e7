"""The secretary's worklist (书记工作台): lost contact to follow up, conversions due, care visits due,
arrears — counts and the first items, each linking to its list. Eight queries whatever the data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from grassroots.access.scoping import has_perm, secretary_orgs
from grassroots.core.members.selectors.worklist import worklist_for


@login_required
def worklist(request):
    # The secretaries' page: the permission its menu entry names (members.worklist: community secretaries),
    # and the secretaries of Party organizations on their organizations (asked here only, not in every menu).
    if not (has_perm(request.user, "members.worklist") or secretary_orgs(request.user)):
        raise PermissionDenied
    return render(request, "members/worklist.html", {"sections": worklist_for(request.user)})
