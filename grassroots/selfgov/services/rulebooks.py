"""The four systems (四项制度): a community's staff start one of the four as a document of the documents
mechanism (kind `rulebook`), write its draft and publish it there (the documents' pages and API: editor,
attachments, publish, new draft, diff — their keeper for this kind is `selfgov.manage`, registered in
SelfgovConfig.ready). Publishing notifies the community's verified residents (`rulebook_published`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.documents import services as documents
from grassroots.documents.models import DocumentVersion, Kind
from grassroots.selfgov.models import Rulebook, RulebookKind
from grassroots.workflow.services import notify


@transaction.atomic
def start_rulebook(*, actor, community: Area, kind: str, note: str = "") -> Rulebook:
    """One of the community's four systems, as a document with its first (empty) draft."""
    if community.level != Level.COMMUNITY or community.retired:
        raise ValidationError({"community": _("四项制度须由社区制定，请选择一个社区。")})
    if not has_perm(actor, "selfgov.manage", community):
        raise PermissionDenied(_("您无权制定该社区的四项制度。"))
    if kind not in RulebookKind.values:
        raise ValidationError({"kind": _("制度类别无效。")})
    if Rulebook.objects.filter(community=community, kind=kind).exists():
        raise ValidationError({"kind": _("本社区已建立该项制度，请起草新版本修订。")})
    draft = documents.create_document(
        actor=actor,
        area=community,
        kind=Kind.RULEBOOK,
        title=f"{community.name}{RulebookKind(kind).label}",
        note=note,
    )
    try:
        with transaction.atomic():
            return Rulebook.objects.create(community=community, kind=kind, document=draft.document)
    except IntegrityError as exc:  # a second request at the same moment
        raise ValidationError({"kind": _("本社区已建立该项制度，请起草新版本修订。")}) from exc


def rulebook_published(version: DocumentVersion) -> None:
    """After a rulebook's version is published (on_publish): the community's residents hear of it."""
    from grassroots.selfgov.selectors import verified_residents

    rulebook = Rulebook.objects.filter(document_id=version.document_id).select_related("community").first()
    if rulebook is None:
        return
    with transaction.atomic():
        notify(
            recipients=verified_residents(rulebook.community).values_list("pk", flat=True),
            verb=_("本社区《%(title)s》第 %(n)d 版已发布")
            % {"title": version.document.title, "n": version.number},
            target=rulebook,
            url=rulebook.get_absolute_url(),
        )
