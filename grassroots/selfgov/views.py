"""The self-governance pages: the resident's view of their community (matters, opinions, what awaits them),
the workers' board of matters by step, a matter's page with its five steps and timeline, opinions with their
support bar. Thin: the services decide; everything is read through the selectors (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm, scoped
from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.files.serve import serve_file
from grassroots.forms import submitted
from grassroots.pages import area_map, paginate
from grassroots.selfgov import (
    charts,
    selectors,
    selectors_awaiting,
    selectors_reports,
)
from grassroots.selfgov.exports import matter_rows, opinion_rows, quick_report_rows
from grassroots.selfgov.forms import (
    CommentForm,
    DecisionForm,
    GroupForm,
    HearingForm,
    MatterForm,
    OpinionForm,
    RecordForm,
)
from grassroots.selfgov.models import STEPS, Category, MatterState, OpinionState, community_staff
from grassroots.selfgov.selectors_negotiations import visible_negotiations
from grassroots.selfgov.services import matters, opinions
from grassroots.selfgov.views_execution import execution_context
from grassroots.voting.models import VoteStatus
from grassroots.voting.selectors import visible_votes


# --- the resident's view and the board ------------------------------------------------------------------
@login_required
def home(request):
    """Phone first: what awaits me (votes to cast, hearings taking comments), my community's matters by
    step, its opinions with most support."""
    user = request.user
    awaiting = selectors_awaiting.awaiting_me(user)  # the same read as GET /api/awaiting-me/
    community = selectors.home_community(user)
    top = (
        selectors.visible_opinions(user)
        .filter(state=OpinionState.SUBMITTED)
        .select_related("area")
        .order_by("-support_count", "-created_at")[:5]
    )
    return render(
        request,
        "selfgov/home.html",
        {
            "community": community,
            "matters": awaiting.matters,
            "awaiting": awaiting,
            "to_vote": awaiting.to_vote,
            "to_comment": awaiting.to_comment,
            "to_rate": awaiting.to_rate,
            "conventions_to_vote": awaiting.conventions_to_vote,
            "to_sign": awaiting.to_sign,
            "opinions": top,
            "can_submit": user.identity_verified and community is not None,
            "can_manage": has_perm(user, "selfgov.manage"),
            "can_record": has_perm(user, "selfgov.record"),
        },
    )


@login_required
def board(request):
    """The workers' board: the matters of their scope (or ?area=) by step, how long each has waited."""
    area, queryset = matter_rows(request)
    now = timezone.now()
    columns = {state: [] for state in STEPS}
    finished = []
    for matter in queryset[:500]:
        matter.waited_days = (now - matter.step_since).days
        (columns.get(matter.state, finished)).append(matter)
    return render(
        request,
        "selfgov/board.html",
        {
            "columns": [(MatterState(state).label, items) for state, items in columns.items()],
            "finished": finished[-20:],
            "area": area,
            "can_create": has_perm(request.user, "selfgov.manage"),
        },
    )


@login_required
def quick_reports(request):
    """随手拍统计: the residents' quick reports per child area of the working area (per community for a street
    official), by category and by state, ranked most first (`selectors_reports`, the one roll-up); ?area= to
    go down, ?year= (this year by default; 0 = all years)."""
    area, year, table = quick_report_rows(request)  # as its export (exports.py)
    context = {
        "area": area,
        "year": year,
        "table": table,
        "categories": Category.labels,
        "states": OpinionState.labels,
        "chart": charts.reports_chart(selectors_reports.by_category_and_state(area, year or None)),
        "map": charts.reports_map(selectors_reports.map_points(area, year or None)),
        "map_limit": selectors_reports.MAP_POINTS,
    }
    return render(request, "selfgov/quick_reports.html", context)


# --- matters --------------------------------------------------------------------------------------------
def _managed_areas(user):
    return scoped(
        Area.objects.filter(retired=False, level__gte=Level.COMMUNITY), user, "selfgov.manage"
    ).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def matter_create(request):
    if not has_perm(request.user, "selfgov.manage"):
        raise PermissionDenied
    form = MatterForm(request.POST or None, areas=_managed_areas(request.user))
    if request.method == "POST":
        done = submitted(form, lambda data: matters.create_matter(actor=request.user, **data))
        if done:
            return done
    return render(request, "selfgov/matter_form.html", {"form": form})


def _matter_context(request, matter, **extra) -> dict:
    user = request.user
    manage = has_perm(user, "selfgov.manage", matter.area)
    runs = community_staff(matter, user)  # the steps (and their forms) are the community staff's
    now = timezone.now()
    context = {
        "matter": matter,
        "steps": [(MatterState(s).label, i) for i, s in enumerate(STEPS)],
        "opinions": matter.opinions.select_related("area").order_by("-support_count", "pk"),
        "comments": matter.hearing_comments.select_related("author"),
        "guests": matter.hearing.guests.all() if matter.hearing else [],
        "can_manage": manage,
        "comments_open": matters.hearing_open_for_comments(matter, now),
        "may_comment": selectors.may_take_part(user, matter) or manage,
        "comment_form": CommentForm(),
        "result": matter.vote.result if matter.vote and matter.vote.status == VoteStatus.CLOSED else None,
        "vote_open": matter.vote is not None and matter.vote.is_open_at(now),
        # the vote's page only for those who may open it (its electorate and its officials)
        "vote_visible": matter.vote_id is not None and visible_votes(user).filter(pk=matter.vote_id).exists(),
    }
    # negotiations started from the matter, for those who see negotiations
    context["negotiations"] = list(
        visible_negotiations(user).filter(matter=matter).order_by("created_at", "pk")
    )
    context["may_negotiate"] = manage
    if runs and matter.state == MatterState.COLLECTION:
        context["hearing_form"] = HearingForm()
    if runs and matter.state == MatterState.HEARING and matter.vote_id is None:
        context["decision_form"] = DecisionForm(matter=matter, initial={"secret": True, "quorum_percent": 50})
    context.update(execution_context(request, matter))
    context.update(extra)
    return context


@login_required
def matter_detail(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    return render(request, "selfgov/matter_detail.html", _matter_context(request, matter))


@login_required
@require_POST
def matter_hearing(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = HearingForm(request.POST)
    done = submitted(
        form,
        lambda data: matters.schedule_hearing(
            actor=request.user,
            matter=matter,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            description=data["description"],
            guests=matters.parse_guests(data["guests"]),
        ),
        matter,
    )
    if done:
        return done
    matter.refresh_from_db()
    return render(
        request, "selfgov/matter_detail.html", _matter_context(request, matter, hearing_form=form), status=400
    )


@login_required
@require_POST
def matter_decision(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = DecisionForm(request.POST, matter=matter)
    done = submitted(form, lambda data: matters.call_vote(actor=request.user, matter=matter, **data), matter)
    return done or render(
        request,
        "selfgov/matter_detail.html",
        _matter_context(request, matter, decision_form=form),
        status=400,
    )


@login_required
@require_POST
def matter_comment(request, pk):
    matter = selectors.get_matter_or_404(request.user, pk)
    form = CommentForm(request.POST)
    done = submitted(
        form,
        lambda data: matters.comment_on_hearing(user=request.user, matter=matter, text=data["text"]),
        matter.get_absolute_url() + "#comments",
    )
    return done or render(
        request, "selfgov/matter_detail.html", _matter_context(request, matter, comment_form=form), status=400
    )


# --- opinions -------------------------------------------------------------------------------------------
@login_required
def opinion_list(request):
    state, filterset, rows = opinion_rows(request)  # as its export (exports.py)
    return render(
        request,
        "selfgov/opinion_list.html",
        {
            "page_obj": paginate(request, rows),
            "form": filterset.form,
            "channel": filterset.form.cleaned_data.get("channel", "") if filterset.is_valid() else "",
            "mine": bool(request.GET.get("mine")),
            "state": state,
            "states": OpinionState.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_create(request):
    quick = bool(request.GET.get("quick") or request.POST.get("quick"))
    community = selectors.home_community(request.user)
    form = OpinionForm(request.POST or None, request.FILES or None, community=community, quick=quick)
    if request.method == "POST":
        done = submitted(
            form,
            lambda data: opinions.submit_opinion(
                author=request.user,
                category=data["category"],
                text=data["text"],
                area=data["area"],
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                photos=[data["photo"]] if data["photo"] else [],
                quick=quick,
                submission=data["submission"],
            ),
        )
        if done:
            return done
    # 随手拍: a map to place the report on (no online tiles: the county boundaries, docs/decisions.md)
    place_map = area_map() if quick else None
    return render(
        request, "selfgov/opinion_form.html", {"form": form, "quick": quick, "place_map": place_map}
    )


def _recordable_residents(user):
    return User.objects.filter(
        home_area__in=opinions.recordable_areas(user), is_active=True, verified_at__isnull=False
    ).order_by("full_name", "pk")


@login_required
@require_http_methods(["GET", "POST"])
def opinion_record(request):
    if not has_perm(request.user, "selfgov.record"):
        raise PermissionDenied
    form = RecordForm(
        request.POST or None, request.FILES or None, residents=_recordable_residents(request.user)
    )
    if request.method == "POST":
        done = submitted(
            form,
            lambda data: opinions.record_opinion(
                actor=request.user,
                resident=data["resident"],
                category=data["category"],
                text=data["text"],
                place=data["place"],
                photos=[data["photo"]] if data["photo"] else [],
                submission=data["submission"],
            ),
        )
        if done:
            return done
    return render(request, "selfgov/record_form.html", {"form": form})


def _opinion_context(request, opinion, **extra) -> dict:
    user = request.user
    threshold = selectors.support_threshold(opinion.community)
    manage = has_perm(user, "selfgov.manage", opinion.area)
    context = {
        "opinion": opinion,
        "threshold": threshold,
        "percent": min(100, round(opinion.support_count * 100 / threshold)),
        "supported": opinion.supports.filter(user=user).exists(),
        "may_support": (
            opinion.state == OpinionState.SUBMITTED
            and opinion.author_id != user.pk
            and user.identity_verified
            and getattr(selectors.home_community(user), "pk", None) == opinion.community_id
        ),
        "photos": opinion.photos.all(),
        "can_manage": manage,
        "show_author": manage
        or opinion.author_id == user.pk
        or has_perm(user, "selfgov.record", opinion.area),
    }
    if manage and opinion.state == OpinionState.SUBMITTED:
        context["group_form"] = GroupForm(opinion=opinion)
    context.update(extra)
    return context


@login_required
def opinion_detail(request, pk):
    opinion = selectors.get_opinion_or_404(request.user, pk)
    return render(request, "selfgov/opinion_detail.html", _opinion_context(request, opinion))


@login_required
@require_POST
def opinion_support(request, pk):
    opinion = selectors.get_opinion_or_404(request.user, pk)
    try:
        opinions.support_opinion(user=request.user, opinion=opinion)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect(opinion)


@login_required
@require_POST
def opinion_group(request, pk):
    opinion = selectors.get_opinion_or_404(request.user, pk)
    form = GroupForm(request.POST, opinion=opinion)
    done = submitted(
        form,
        lambda data: opinions.group_opinions(actor=request.user, opinions=[opinion], matter=data["matter"]),
        opinion,
    )
    return done or render(
        request,
        "selfgov/opinion_detail.html",
        _opinion_context(request, opinion, group_form=form),
        status=400,
    )


@login_required
def opinion_photo(request, pk, photo_pk):
    opinion = selectors.get_opinion_or_404(request.user, pk)
    item = get_object_or_404(opinion.photos, pk=photo_pk)
    return serve_file(item.image, filename=item.image.name.rsplit("/", 1)[-1])
