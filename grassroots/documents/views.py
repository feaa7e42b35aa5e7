"""Pages of the published documents: the standards' and the handbooks' lists, a document with its version
history, one version, the diff of two, the draft's editor (body, attachments), publishing, the handbook's
search and a reader's "I have read this chapter"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.documents import selectors, services
from grassroots.documents.body import render_text
from grassroots.documents.citing import ITEM_PANELS
from grassroots.documents.exports import document_rows
from grassroots.documents.forms import AttachmentForm, DocumentForm, DraftForm
from grassroots.documents.links import LINK_TARGETS, link_url
from grassroots.documents.models import Attachment, Kind, Section, VersionState, kind_rules
from grassroots.files.serve import serve_file
from grassroots.pages import attach_errors, paginate
from grassroots.portal.navigation import may_open


def _require_view(user) -> None:
    if not has_perm(user, "documents.view"):
        raise PermissionDenied


def _list(request, kind: str, template: str):
    _require_view(request.user)
    context = {
        "kind": kind,
        "page_obj": paginate(request, document_rows(request, kind)),
        "can_manage": has_perm(request.user, "documents.manage"),
    }
    return render(request, template, context)


@login_required
def standards(request):
    return _list(request, Kind.STANDARD, "documents/list.html")


@login_required
def handbooks(request):
    return _list(request, Kind.HANDBOOK, "documents/list.html")


@login_required
def search(request):
    _require_view(request.user)
    query = request.GET.get("q", "")
    return render(
        request,
        "documents/search.html",
        {"q": query, "results": selectors.search_handbooks(request.user, query)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not has_perm(request.user, "documents.manage"):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_document(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("文件已建立，请编写草稿。"))
            return redirect("documents:draft", pk=draft.document_id)
    return render(request, "documents/create.html", {"form": form})


def _version_context(request, document, version) -> dict:
    sections = list(selectors.body_of(version)) if version else []
    for section in sections:
        for item in section.items.all():
            # a link only for those who may follow it (the menu's rule); others read its label as text
            item.url = link_url(item.link) if item.link and may_open(request.user, item.link) else None
            item.link_label = LINK_TARGETS.get(item.link, item.link)
    return {
        "document": document,
        "version": version,
        "sections": sections,
        "attachments": version.attachments.all() if version else [],
        "versions": selectors.versions_for(request.user, document),
        "may_manage": selectors.may_manage(request.user, document),
        "read": selectors.read_by(request.user, version)
        if version and document.kind == Kind.HANDBOOK and version.state == VersionState.PUBLISHED
        else set(),
    }


@login_required
def detail(request, pk):
    document = selectors.get_document_or_404(request.user, pk)
    version = selectors.current_version(document)
    if version is None:  # only its keepers see a document that has a draft only
        version = selectors.versions_for(request.user, document).first()
    return render(request, "documents/detail.html", _version_context(request, document, version))


@login_required
def version(request, pk, number):
    document = selectors.get_document_or_404(request.user, pk)
    found = selectors.get_version_or_404(request.user, document, number)
    return render(request, "documents/detail.html", _version_context(request, document, found))


@login_required
def diff(request, pk):
    document = selectors.get_document_or_404(request.user, pk)
    versions = list(selectors.versions_for(request.user, document))
    if len(versions) < 2:
        raise Http404
    numbers = {v.number: v for v in versions}
    try:
        new = numbers[int(request.GET.get("new") or versions[0].number)]
        old = numbers[int(request.GET.get("old") or versions[1].number)]
    except (KeyError, ValueError):
        raise Http404 from None
    context = {
        "document": document,
        "old": old,
        "new": new,
        "versions": versions,
        "rows": selectors.diff(old, new),
        "only_changes": request.GET.get("all") != "1",
    }
    return render(request, "documents/diff.html", context)


def _draft_or_404(request, pk):
    document = selectors.get_document_or_404(request.user, pk)
    if not selectors.may_manage(request.user, document):
        raise PermissionDenied
    draft = document.versions.filter(state=VersionState.DRAFT).first()
    return document, draft


@login_required
@require_http_methods(["GET", "POST"])
def draft(request, pk):
    document, version = _draft_or_404(request, pk)
    if version is None:
        messages.info(request, _("该文件没有草稿；可以起草新版本。"))
        return redirect(document.get_absolute_url())
    initial = {"body": render_text(selectors.body_of(version)), "note": version.note}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(
                actor=request.user,
                version=version,
                body=form.cleaned_data["sections"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("documents:draft", pk=document.pk)
    context = {
        "document": document,
        "version": version,
        "form": form,
        "attachment_form": AttachmentForm(),
        "attachments": version.attachments.all(),
        "targets": LINK_TARGETS.items(),
        "publish_here": kind_rules(document.kind).publish_here,
    }
    return render(request, "documents/draft.html", context)


@login_required
@require_POST
def new_draft(request, pk):
    document = selectors.get_document_or_404(request.user, pk)
    try:
        services.start_draft(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(document.get_absolute_url())
    return redirect("documents:draft", pk=document.pk)


@login_required
@require_POST
def publish(request, pk):
    document, version = _draft_or_404(request, pk)
    if version is None:
        raise Http404
    try:
        services.publish(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:draft", pk=document.pk)
    messages.success(request, _("已发布第 %(n)d 版，原现行版本同时废止。") % {"n": version.number})
    return redirect(document.get_absolute_url())


@login_required
@require_POST
def attachment_add(request, pk):
    document, version = _draft_or_404(request, pk)
    if version is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            services.add_attachment(
                actor=request.user,
                version=version,
                upload=form.cleaned_data["file"],
                submission=form.cleaned_data["submission"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("documents:draft", pk=document.pk)


def _attachment_or_404(request, pk) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("version__document"), pk=pk)
    document = selectors.get_document_or_404(request.user, attachment.version.document_id)
    selectors.get_version_or_404(request.user, document, attachment.version.number)
    return attachment


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = _attachment_or_404(request, pk)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("documents:draft", pk=attachment.version.document_id)


@login_required
def attachment(request, pk):
    found = _attachment_or_404(request, pk)
    return serve_file(found.file, filename=found.name)


@login_required
@require_POST
def confirm_read(request, pk):
    section = get_object_or_404(Section.objects.select_related("version__document"), pk=pk)
    document = selectors.get_document_or_404(request.user, section.version.document_id)
    selectors.get_version_or_404(request.user, document, section.version.number)
    try:
        services.confirm_read(user=request.user, section=section)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已记下：您读过“%(title)s”。") % {"title": section.title})
    return redirect(f"{document.get_absolute_url()}#section-{section.pk}")


@login_required
def item(request, pk):
    """A standard's item: its text, and the panels of the parts that cite it (which communities meet it)."""
    found = selectors.get_item_or_404(request.user, pk)
    panels = [panel(request, found) for panel in ITEM_PANELS]
    context = {
        "item": found,
        "document": found.section.version.document,
        "version": found.section.version,
        "panels": [html for html in panels if html],  # each rendered by its part's template (safe)
    }
    return render(request, "documents/item.html", context)
