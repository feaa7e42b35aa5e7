"""Every save and delete of a searchable record (and of the rows its entry reads: a dispute's parties, a
document's versions and chapters) brings its entry up to date after the commit (services.index_on_commit).
Bulk writes send no post_save: an importer sends `imports.signals.rows_written` with the ids it wrote, and
their entries are written in bulk on commit of the import (services.index_many_on_commit). A renamed area's
records are written again on commit (services.reindex_area: their `place` shows its name), and so are a
renamed or moved Party organization's (services.reindex_party_org: a member's entry shows its branch).
`manage.py rebuild_search_index` rebuilds everything."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from grassroots.imports.signals import rows_written
from grassroots.search import services
from grassroots.search.kinds import KINDS

# model → (kind, the lookup from a row of it to the searchable record's id)
RELATED = {
    "lawgov.DisputeParty": ("dispute", "dispute_id"),
    "documents.DocumentVersion": ("document", "document_id"),
    "documents.Section": ("document", "version.document_id"),
}


def _follow(instance, lookup: str):
    value = instance
    for part in lookup.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _record_changed(kind_key: str, lookup: str | None):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        object_id = instance.pk if lookup is None else _follow(instance, lookup)
        if object_id is not None:
            services.index_on_commit(kind_key, object_id)

    return receiver


def _rows_written(sender, pks, **kwargs):
    label = f"{sender._meta.app_label}.{sender._meta.object_name}"
    for kind in KINDS.values():
        if kind.model == label:
            services.index_many_on_commit(kind.key, pks)


def _area_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and "name" not in update_fields):
        return
    services.reindex_area_on_commit(instance.pk)


def _party_org_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and not {"name", "area"} & set(update_fields)):
        return
    services.reindex_party_org_on_commit(instance.pk)


_receivers = []  # kept alive: the signals hold weak references


def connect() -> None:
    pairs = [(kind.model, kind.key, None) for kind in KINDS.values()]
    pairs += [(model, key, lookup) for model, (key, lookup) in RELATED.items()]
    for model_name, key, lookup in pairs:
        model = apps.get_model(model_name)
        receiver = _record_changed(key, lookup)
        _receivers.append(receiver)
        uid = f"search.{model_name}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.delete")
    rows_written.connect(_rows_written, dispatch_uid="search.rows_written")
    post_save.connect(_area_saved, sender=apps.get_model("areas.Area"), dispatch_uid="search.area_renamed")
    post_save.connect(
        _party_org_saved, sender=apps.get_model("areas.PartyOrg"), dispatch_uid="search.party_org_renamed"
    )
