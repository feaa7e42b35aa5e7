import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from grassroots.access.scoping import has_perm
from grassroots.accounts.middleware import SESSION_AREA_KEY
from grassroots.operations.middleware import database_unavailable, is_database_error
from grassroots.pages import paginate
from grassroots.portal import homes, navigation, selectors, services
from grassroots.portal.exports import notice_rows
from grassroots.portal.forms import NoticeForm
from grassroots.portal.models import Notice
from grassroots.workflow import selectors as workflow_selectors


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon base.html links."""
    return redirect(static("grassroots/favicon.svg"))


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness: 200 with {"database": "ok"} when the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point is to report any failure, whatever it is
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


# --- home -------------------------------------------------------------------------------------------------


@login_required
def home(request):
    """Each person's home is made of the blocks registered for it (portal/homes.py): officials open on what
    waits for them and their area's key figures, field workers on their grid, residents on their
    community's notices, what awaits them and the gatherings coming up."""
    user = request.user
    kind = homes.home_of(user)
    blocks = homes.blocks_for(request, kind)
    if kind != homes.RESIDENT:
        context = {"home": kind, "blocks": blocks, "may_manage_notices": has_perm(user, "notices.manage")}
        return render(request, "portal/home_console.html", context)
    trail = selectors.home_trail(user)
    context = {
        "home": kind,
        "blocks": blocks,
        "trail": trail,
        "community": selectors.community_of(trail),
        "notices": list(selectors.visible_notices(user, trail)[:10]),
        "pending": selectors.pending_for(user),
        "gatherings": selectors.upcoming_gatherings(user, limit=5),
    }
    return render(request, "portal/home_resident.html", context)


@require_GET
def home_block(request, name):
    """One block of the user's home (`homes.block_for`): the fragment the home page's placeholder loads
    (an htmx request), empty when the block has nothing to show; asked for by the browser itself (no
    JavaScript), the block as a page of its own. Signed out meanwhile: the whole page goes to the sign-in
    (not the sign-in form inside the block)."""
    if not request.user.is_authenticated:
        to_login = redirect_to_login(reverse("portal:home"))
        return HttpResponse(headers={"HX-Redirect": to_login.url}) if request.htmx else to_login
    shown = homes.block_for(request, name)
    if request.htmx:
        if shown is None:
            return HttpResponse("")
        return render(request, shown.template, {"data": shown.data})
    return render(request, "portal/home_block.html", {"shown": shown})


@login_required
def todo(request):
    """Everything waiting for the user, by kind; `?kind=app_label.model` pages through one kind."""
    kind = request.GET.get("kind", "")
    model = workflow_selectors.pending_model(kind) if kind else None
    if model is not None:
        queryset = model.pending_for(request.user)
        if queryset is not None:
            page = paginate(request, queryset)
            page.object_list = [record.as_pending_item() for record in page.object_list]
            context = {"page_obj": page, "kind_label": model._meta.verbose_name}
            return render(request, "portal/todo.html", context)
    groups = selectors.todo_groups(request.user, limit=50)
    return render(request, "portal/todo.html", {"todo": {"groups": groups}})


@require_GET
@login_required
def part_root(request, part: str):
    """A part's bare prefix (/lawgov/, /virtue/ …) has no page of its own: send the user to the first page of
    that part their menu shows them; a part they have no page in is not found."""
    prefix = f"/{part}/"
    for section in navigation.nav_for(request.user, request.path):
        for link in section.links:
            if link.url.startswith(prefix):
                return redirect(link.url)
    raise Http404("no page of this part in the user's menu")


def _back(request) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
@login_required
def switch_area(request):
    """Pick the working area (one of the user's grant areas, or none = all); the scoping function narrows
    every page to it."""
    area_id = request.POST.get("area", "")
    if not area_id:
        request.session.pop(SESSION_AREA_KEY, None)
        messages.info(request, _("已切换到全部区域。"))
        return redirect(_back(request))
    grant = next((g for g in request.user.grants_cached() if str(g.area_id) == area_id), None)
    if grant is None:
        raise Http404
    request.session[SESSION_AREA_KEY] = grant.area.path
    messages.info(request, _("已切换工作区域：%(area)s") % {"area": grant.area.name})
    return redirect(_back(request))


# --- notices ----------------------------------------------------------------------------------------------


@login_required
def notice_list(request):
    page = paginate(request, notice_rows(request))
    context = {"page_obj": page, "may_manage": has_perm(request.user, "notices.manage")}
    return render(request, "portal/notice_list.html", context)


def _readable_notice(request, pk: int) -> Notice:
    """A notice the user may read (or, as a manager, a scheduled one they may edit); others answer 404."""
    return get_object_or_404(selectors.notices_for_list(request.user), pk=pk)


@login_required
def notice_detail(request, pk: int):
    notice = _readable_notice(request, pk)
    may_edit = has_perm(request.user, "notices.manage", notice.area)
    return render(request, "portal/notice_detail.html", {"notice": notice, "may_edit": may_edit})


@login_required
def notice_create(request):
    if not has_perm(request.user, "notices.manage"):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notice = services.create_notice(author=request.user, **form.cleaned_data)
        messages.success(request, _("通知已发布。"))
        return redirect(notice)
    return render(request, "portal/notice_form.html", {"form": form})


@login_required
def notice_edit(request, pk: int):
    notice = _readable_notice(request, pk)
    if not has_perm(request.user, "notices.manage", notice.area):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, notice=notice, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_notice(notice=notice, editor=request.user, **form.cleaned_data)
        messages.success(request, _("通知已保存。"))
        return redirect(notice)
    return render(request, "portal/notice_form.html", {"form": form, "notice": notice})


@require_POST
@login_required
def notice_delete(request, pk: int):
    notice = _readable_notice(request, pk)
    if not has_perm(request.user, "notices.manage", notice.area):
        raise PermissionDenied
    services.delete_notice(notice=notice, user=request.user)
    messages.success(request, _("通知已删除。"))
    return redirect("portal:notice_list")


# --- error pages ------------------------------------------------------------------------------------------


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without a request context: no context processor, no database, no session. The database being
    away is a 503 (operations/middleware.py), also when a middleware met it first."""
    if is_database_error(sys.exc_info()[1]):
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())
