"""Pages of points and the community points store: 我的积分 (balance and history, on a phone), the store
(browse, exchange, one's own exchanges), the worker's store admin and pick-up list. Thin: services decide,
selectors read through the scoping function."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import area_from_request, get_scoped_or_404, has_perm
from grassroots.files.serve import serve_file
from grassroots.pages import attach_errors, paginate
from grassroots.portal.submissions import new_token
from grassroots.virtue import selectors_points as selectors
from grassroots.virtue import services_points as services
from grassroots.virtue.exports import ledger_rows, store_rows
from grassroots.virtue.forms_points import CancelForm, RestockForm, ReverseForm, StoreItemForm
from grassroots.virtue.models_points import Exchange, StoreItem


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def my_points(request):
    """我的积分: the balance and the lines, newest first."""
    rows = selectors.own_ledger(request.user)
    return render(
        request,
        "virtue/points_mine.html",
        {"balance": selectors.balance(request.user), "page_obj": paginate(request, rows)},
    )


@login_required
def store(request):
    """积分商城: the items of the community the user lives in (and, for officials, of their areas), with
    the user's balance and their own exchanges."""
    area = area_from_request(request, selectors.VIEW) if has_perm(request.user, selectors.VIEW) else None
    items = selectors.store_items(request.user).filter(active=True)
    if area is not None:
        items = items.filter(area__path__startswith=area.path)
    mine = selectors.exchanges(request.user).filter(person=request.user).order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "virtue/store.html",
        {
            "items": items[:200],
            "balance": selectors.balance(request.user),
            "mine": mine,
            "home": selectors.community_of(request.user),
            "may_manage": has_perm(request.user, selectors.MANAGE),
        },
    )


@login_required
@require_POST
def exchange(request, pk):
    item = _visible_item(request, pk)
    try:
        services.exchange(person=request.user, item=item)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("兑换成功，请凭此记录到社区领取。"))
    return redirect("virtue:store")


@login_required
def ledger(request):
    """积分台账: the lines of the official's areas, newest first; on each line they may still reverse (their
    `virtue.manage` area), 冲销 with its reason."""
    page_obj = paginate(request, ledger_rows(request)[1])  # as its export (virtue/exports.py)
    for entry in page_obj:
        entry.reversible = selectors.reversible(entry)
    return render(request, "virtue/points_ledger.html", {"page_obj": page_obj, "reverse_form": ReverseForm()})


@login_required
@require_POST
def reverse_line(request, pk):
    """冲销 one line with the reason, through the API's service (`reverse_entry`: `virtue.manage` on the
    line's area, else 403); a line outside the user's `virtue.view` scope answers 404."""
    entry = selectors.ledger(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    form = ReverseForm(request.POST)
    if not form.is_valid():
        _refused(request, ValidationError([e for errors in form.errors.values() for e in errors]))
    else:
        try:
            services.reverse_entry(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已冲销：台账中新增一条冲销记录，原记录不变。"))
    back, ledger_url = request.POST.get("next", ""), reverse("virtue:points_ledger")
    return redirect(back if back.startswith(ledger_url) else ledger_url)  # the page the line was on


def _visible_item(request, pk) -> StoreItem:
    """An item of the user's community or scope; any other answers 404."""
    item = selectors.store_items(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
@require_http_methods(["GET", "POST"])
def store_admin(request):
    """The community worker's store: the items of their communities (add, edit) and the pick-up list."""
    if not has_perm(request.user, selectors.MANAGE):
        raise PermissionDenied
    form = StoreItemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_item(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("商品已上架。"))
            return redirect("virtue:store_admin")
    area, items, pickups = store_rows(request)  # as its exports (exports.py)
    items = list(items[:200])
    for item in items:  # each row's 入库 form its own token: a double click on one row adds once
        item.restock_token = new_token()
    return render(
        request,
        "virtue/store_admin.html",
        {
            "form": form,
            "area": area,
            "items": items,
            "page_obj": paginate(request, pickups),
            "cancel_form": CancelForm(),
            "restock_form": RestockForm(auto_id=False),
        },
    )


def _managed_item(request, pk) -> StoreItem:
    """An item the user may manage: outside their `virtue.view` scope 404, without `virtue.manage` 403."""
    item = get_scoped_or_404(StoreItem.objects.select_related("area"), request.user, selectors.VIEW, pk=pk)
    if not has_perm(request.user, selectors.MANAGE, item):
        raise PermissionDenied
    return item


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    """The good's fields; the stock is shown, not edited (入库 adds to it: item_restock)."""
    item = _managed_item(request, pk)
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = StoreItemForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        user=request.user,
        editing=True,
        has_photo=bool(item.photo),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("商品已保存。"))
            return redirect("virtue:store_admin")
    return _item_page(request, item, form, RestockForm())


def _item_page(request, item: StoreItem, form, restock_form):
    """The good's page: its fields, 入库, and its stock history (库存记录, newest first, paged)."""
    history = paginate(request, selectors.stock_history(request.user, item))
    return render(
        request,
        "virtue/store_item_edit.html",
        {"form": form, "item": item, "restock_form": restock_form, "history": history},
    )


@login_required
@require_POST
def item_restock(request, pk):
    """入库: add the posted quantity to the good's stock (`restock_item`: added in the database, so an
    exchange made meanwhile is kept; the form's token makes a double click add once). Back to the page it
    was posted from (the list or the good's page); a refused quantity shows the good's page with the error
    at the field."""
    item = _managed_item(request, pk)
    form = RestockForm(request.POST)
    if form.is_valid():
        try:
            item = services.restock_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("已入库 %(quantity)d 件，现有库存 %(stock)d。")
                % {"quantity": form.cleaned_data["quantity"], "stock": item.stock},
            )
            edit_url = reverse("virtue:store_item_edit", args=[item.pk])
            return redirect(edit_url if request.POST.get("next") == edit_url else "virtue:store_admin")
    edit = StoreItemForm(
        initial={name: getattr(item, name) for name in services.ITEM_FIELDS},
        user=request.user,
        editing=True,
        has_photo=bool(item.photo),
    )
    return _item_page(request, item, edit, form)


@login_required
def item_photo(request, pk):
    """Serve an item's photo to those who may see the item (its community's residents, officials over it):
    media files are never linked directly; another area's user gets 404."""
    item = _visible_item(request, pk)
    return serve_file(item.photo, filename=item.photo.name.rsplit("/", 1)[-1] if item.photo else "")


@login_required
@require_POST
def pick_up(request, pk):
    record = get_scoped_or_404(Exchange.objects.all(), request.user, selectors.VIEW, pk=pk)
    try:
        services.pick_up(actor=request.user, exchange=record)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已登记领取。"))
    return redirect("virtue:store_admin")


@login_required
@require_POST
def cancel(request, pk):
    record = get_scoped_or_404(Exchange.objects.all(), request.user, selectors.VIEW, pk=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_exchange(actor=request.user, exchange=record, reason=reason)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("兑换已取消，积分已退回。"))
    return redirect("virtue:store" if record.person_id == request.user.pk else "virtue:store_admin")
