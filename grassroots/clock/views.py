"""The clock page: what runs when, and how the last run went (system admins)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm
from grassroots.clock import selectors


@require_GET
@login_required
def overview(request):
    if not has_perm(request.user, selectors.PERMISSION):
        raise PermissionDenied
    now = timezone.now()
    beats, alive = selectors.schedulers(now)
    rows = selectors.tasks(now)
    labels = {row.entry.name: row.entry.label for row in rows}
    context = {
        "rows": rows,
        "history": [(run, labels.get(run.name, run.name)) for run in selectors.history()],
        "beats": beats,
        "alive": alive,
    }
    return render(request, "clock/overview.html", context)
