"""The partner made from an emerging-sector entity follows that entity's name and place: the entity is the
one record of the body (coverage keeps it), the partner its co-governance role (docs/decisions.md)."""

from __future__ import annotations


def follow_entity(sender, instance, created, **kwargs) -> None:
    from grassroots.cogov.models import Partner

    if created:
        return
    Partner.objects.filter(entity=instance).exclude(name=instance.name, area_id=instance.area_id).update(
        name=instance.name, area_id=instance.area_id
    )
