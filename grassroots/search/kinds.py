"""What the search box finds: one `Kind` per kind of record, in the order the results show them.

Each kind says
- `visible(user)`: the records the user may see — the very selector the kind's list page and API use (the
  one scoping function behind it), so a result is shown exactly when the list would show the record;
- `entry(record)`: what the index keeps of a record (title, summary, place, the names and texts whose
  words find it) — never an ID or phone number (text.py drops digit runs, and no number field is read);
- `rows()`: the records to index, with what `entry` reads joined in (the rebuild);
- `url_name`: the record's page;
- `area_path`: the lookup from a record to the area shown as its place (a renamed area's records are
  indexed again: services.reindex_area);
- `party_org_path`: the lookup from a record to the Party organization whose name starts its summary
  ("<name> · …") and whose area is its place, if any (a renamed or moved organization's records are indexed
  again: services.reindex_party_org).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    title: str
    summary: str = ""
    place: str = ""
    names: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    icon: str
    model: str  # "app_label.ModelName"
    url_name: str
    visible: Callable[[object], QuerySet]
    entry: Callable[[object], Entry]
    rows: Callable[[], QuerySet]
    area_path: str = "area"  # the lookup from a record to the area whose name its entry shows (`place`)
    party_org_path: str = ""  # the lookup to the organization whose name starts its summary, if any

    def url(self, object_id: int) -> str:
        return reverse(self.url_name, args=[object_id])

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


def _area_name(area) -> str:
    return getattr(area, "name", "") or ""


# --- members (officials: members.view) -------------------------------------------------------------------
def _members_visible(user):
    from grassroots.core.members.selectors._precisions import members_in_scope

    return members_in_scope(user)


def _member_entry(m) -> Entry:
    from grassroots.core.members.models import MemberStatus

    branch = m.branch
    # The status's label as get_status_display() gives it, without Django rebuilding a dict of every
    # choice (each label translated) per record: a fifth of the time to index an imported member.
    try:
        status = MemberStatus(m.status).label
    except ValueError:
        status = m.status
    return Entry(
        title=m.name,
        summary=f"{branch.name if branch else ''} · {status}",
        place=_area_name(branch.area if branch else None),
        names=(m.name,),
        texts=(branch.name if branch else "", m.work_unit or ""),
    )


def _member_rows():
    from grassroots.core.members.models import Member

    # Only what _member_entry reads: the encrypted ID number and phone are not decrypted, and a loaded
    # member is 5 values, not 35 (indexing a 100,000-row import read each record whole).
    return Member.objects.select_related("branch", "branch__area").only(
        "name", "status", "work_unit", "branch__name", "branch__area__name"
    )


# --- opinions and matters (selfgov) ----------------------------------------------------------------------
def _opinions_visible(user):
    from grassroots.selfgov.selectors import visible_opinions

    return visible_opinions(user)


def _opinion_entry(o) -> Entry:
    return Entry(
        title=" ".join(o.text.split())[:60],
        summary=f"{o.get_category_display()} · {o.get_state_display()}",
        place=_area_name(o.area),
        texts=(o.text, o.place, o.get_category_display()),
    )


def _opinion_rows():
    from grassroots.selfgov.models import Opinion

    return Opinion.objects.select_related("area")


def _matters_visible(user):
    from grassroots.selfgov.selectors import visible_matters

    return visible_matters(user)


def _matter_entry(m) -> Entry:
    return Entry(
        title=m.title,
        summary=f"{m.get_state_display()} · {m.description}",
        place=_area_name(m.area),
        texts=(m.title, m.description, m.owner_unit, m.get_category_display()),
    )


def _matter_rows():
    from grassroots.selfgov.models import Matter

    return Matter.objects.select_related("area")


# --- disputes (lawgov: mediators, officials, the parties themselves) -------------------------------------
def _disputes_visible(user):
    from grassroots.lawgov.selectors_disputes import readable_disputes

    return readable_disputes(user)  # found by its text: only by those who read the case's file


def _dispute_entry(d) -> Entry:
    parties = [p.name for p in d.parties.all()]
    return Entry(
        title=f"{d.number} {d.title}",
        summary=f"{d.get_category_display()} · {d.get_state_display()} · {d.description}",
        place=_area_name(d.area),
        names=tuple(parties),
        texts=(d.number, d.title, d.description, d.request, d.get_category_display()),
    )


def _dispute_rows():
    from grassroots.lawgov.models import Dispute, DisputeParty

    return Dispute.objects.select_related("area").prefetch_related(
        Prefetch("parties", queryset=DisputeParty.objects.only("id", "dispute_id", "name"))
    )


# --- partners (cogov) ------------------------------------------------------------------------------------
def _partners_visible(user):
    from grassroots.cogov.selectors import visible_partners

    return visible_partners(user)


def _partner_entry(p) -> Entry:
    return Entry(
        title=p.name,
        summary=f"{p.get_kind_display()} · {p.address}",
        place=_area_name(p.area),
        names=(p.name,),
        texts=(p.get_kind_display(), p.address, p.note),
    )


def _partner_rows():
    from grassroots.cogov.models import Partner

    return Partner.objects.select_related("area")


# --- events (gatherings) ---------------------------------------------------------------------------------
def _events_visible(user):
    from grassroots.gatherings.selectors import visible_to

    return visible_to(user)


def _event_entry(g) -> Entry:
    return Entry(
        title=g.title,
        summary=f"{g.get_kind_display()} · {g.place} · {g.description}",
        place=_area_name(g.area),
        texts=(g.title, g.get_kind_display(), g.place, g.description),
    )


def _event_rows():
    from grassroots.gatherings.models import Gathering

    return Gathering.objects.select_related("area")


# --- documents (standards, handbooks, rulebooks, conventions) --------------------------------------------
def _documents_visible(user):
    from grassroots.documents.models import Document

    return Document.visible_to(user)


def _document_entry(d) -> Entry:
    from grassroots.documents.models import VersionState

    # the version in force (readers must not read a draft's chapters); a document without one is seen only
    # by its keepers, who see its draft
    versions = sorted(d.versions.all(), key=lambda v: (v.state == VersionState.PUBLISHED, v.number))
    latest = versions[-1] if versions else None
    sections = [s.title for s in latest.sections.all()] if latest is not None else []
    return Entry(
        title=d.title,
        summary=f"{d.get_kind_display()} · {'、'.join(sections)}",
        place=_area_name(d.area),
        texts=(d.title, d.get_kind_display(), *sections),
    )


def _document_rows():
    from grassroots.documents.models import Document, DocumentVersion, Section

    return Document.objects.select_related("area").prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.only("id", "document_id", "number", "state").prefetch_related(
                Prefetch("sections", queryset=Section.objects.only("id", "version_id", "title", "position"))
            ),
        )
    )


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("member", _("党员"), "bi-person-badge", "members.Member", "members:detail",
             _members_visible, _member_entry, _member_rows, area_path="branch__area",
             party_org_path="branch"),
        Kind("opinion", _("居民意见"), "bi-chat-left-text", "selfgov.Opinion", "selfgov:opinion_detail",
             _opinions_visible, _opinion_entry, _opinion_rows),
        Kind("matter", _("议事事项"), "bi-chat-square-text", "selfgov.Matter", "selfgov:matter_detail",
             _matters_visible, _matter_entry, _matter_rows),
        Kind("dispute", _("矛盾纠纷"), "bi-shield-check", "lawgov.Dispute", "lawgov:dispute_detail",
             _disputes_visible, _dispute_entry, _dispute_rows),
        Kind("partner", _("共建单位"), "bi-building", "cogov.Partner", "cogov:partner_detail",
             _partners_visible, _partner_entry, _partner_rows),
        Kind("event", _("活动"), "bi-calendar-event", "gatherings.Gathering", "gatherings:detail",
             _events_visible, _event_entry, _event_rows),
        Kind("document", _("制度文件"), "bi-journal-text", "documents.Document", "documents:detail",
             _documents_visible, _document_entry, _document_rows),
    )
}  # fmt: skip
KIND_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]
