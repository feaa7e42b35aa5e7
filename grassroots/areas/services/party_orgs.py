"""Create, edit and retire Party organizations (committee, general branch, branch, group)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, is_operator
from grassroots.areas import rules, selectors
from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.areas.services._common import UNSET, raise_if, require
from grassroots.areas.subtree import lies_under, under_q

__all__ = ["create_party_org", "retire_party_org", "update_party_org"]

# Organizations nest a few levels deep; a longer chain means the data is already broken.
_MAX_CHAIN = 50


def _is_descendant_or_self(candidate: PartyOrg, org: PartyOrg) -> bool:
    """Does walking up from `candidate` reach `org`? (a parent chain is a handful of rows)"""
    node, steps = candidate, 0
    while node is not None and steps < _MAX_CHAIN:
        if node.pk == org.pk:
            return True
        node = PartyOrg.objects.filter(pk=node.parent_id).first() if node.parent_id else None
        steps += 1
    return False


def _validate(*, actor, instance: PartyOrg | None, name, kind, area: Area, parent, code, secretary) -> None:
    errors: dict[str, list[str]] = {
        "name": [],
        "kind": [],
        "area": [],
        "parent": [],
        "code": [],
        "secretary": [],
    }
    name = (name or "").strip()
    if not name:
        errors["name"].append(_("请填写名称"))
    elif len(name) > rules.ORG_NAME_MAX:
        errors["name"].append(_("名称不能超过%(max)d个字") % {"max": rules.ORG_NAME_MAX})
    if kind not in PartyOrgKind.values:
        errors["kind"].append(_("请选择组织类型"))
    if area.retired and (instance is None or instance.area_id != area.pk):
        errors["area"].append(_("区域“%(name)s”已撤销") % {"name": area.name})
    if code is not None:
        if len(code) > rules.ORG_CODE_MAX:
            errors["code"].append(_("组织编码不能超过%(max)d个字符") % {"max": rules.ORG_CODE_MAX})
        else:
            taken = PartyOrg.objects.filter(code=code)
            if instance is not None:
                taken = taken.exclude(pk=instance.pk)
            if taken.exists():
                errors["code"].append(_("组织编码“%(code)s”已被其他党组织使用") % {"code": code})
    if kind in PartyOrgKind.values:
        if parent is not None:
            parent_changed = instance is None or instance.parent_id != parent.pk
            if parent_changed and actor is not None and not has_perm(actor, "party_orgs.view", parent.area):
                errors["parent"].append(_("上级组织不在您的管辖范围内"))
            elif parent_changed and parent.retired:
                errors["parent"].append(_("上级组织“%(name)s”已撤销") % {"name": parent.name})
            elif instance is not None and _is_descendant_or_self(parent, instance):
                errors["parent"].append(_("上级组织不能是本组织或其下级组织"))
            elif not lies_under(area.path, parent.area.path):
                errors["parent"].append(
                    _("上级组织所在区域“%(parent_area)s”必须包含本组织所在区域“%(area)s”")
                    % {"parent_area": parent.area.name, "area": area.name}
                )
        if message := rules.kind_error(kind, parent.kind if parent is not None else None):
            errors["parent" if parent is not None else "kind"].append(message)
        if instance is not None:
            child_kinds = set(instance.children.filter(retired=False).values_list("kind", flat=True))
            if any(rules.kind_error(child, kind) for child in child_kinds):
                errors["kind"].append(_("本组织下还有下级组织，改成这个类型后它们将不再符合隶属关系"))
            if instance.area_id != area.pk and (
                instance.children.filter(retired=False).exclude(under_q(area.path)).exists()
            ):
                errors["area"].append(_("下级组织所在区域必须在本组织所在区域之内"))
    if secretary is not None and actor is not None:
        unchanged = instance is not None and instance.secretary_id == secretary.pk
        if not unchanged and not selectors.people_in_scope(actor).filter(pk=secretary.pk).exists():
            errors["secretary"].append(_("书记必须是您管辖范围内的用户"))
    raise_if(errors)


def _check_parent_change(*, actor, org: PartyOrg | None, new_parent: PartyOrg | None) -> None:
    """Attaching, moving or detaching an organization in the organization tree. Creating one needs the
    right ("party_orgs.change") on its parent; moving one needs it on the old parent as on the new one, so
    nobody takes an organization away from the body it belongs to, nor hangs one under a body they do not
    keep (reading that body is not enough). An organization without a parent
    is a root of the tree, outside every secretary's reach from above: only the operator
    (`scoping.is_operator`, a system admin on a root area) or the system (`actor=None`) makes one.
    `org=None`: a new organization."""
    if actor is None:
        return
    old_parent = org.parent if org is not None else None
    if org is not None and old_parent is not None:
        require(actor, "party_orgs.change", old_parent)
    if new_parent is not None:  # creating under it, or moving there
        require(actor, "party_orgs.change", new_parent)
    elif not is_operator(actor):
        if org is None:
            message = _(
                "新建的党组织须有上级组织；设立不隶属于任何上级组织的党组织（根组织）须由系统管理员办理。"
            )
        else:
            message = _(
                "不能使“%(name)s”脱离上级组织：不隶属于任何上级组织的党组织（根组织）只能由系统管理员设立。"
            ) % {"name": org.name}
        raise PermissionDenied(message)


def create_party_org(
    *,
    area: Area,
    name: str,
    kind: str,
    actor,
    parent: PartyOrg | None = None,
    code: str | None = None,
    secretary=None,
) -> PartyOrg:
    """Attach a new Party organization to `area`. Needs "party_orgs.change" on the area and on the parent.
    The parent must be of a kind that may hold this kind and lie on an area covering `area`. Without a
    parent the organization is a root of the organization tree: the operator's only."""
    require(actor, "party_orgs.change", area)
    code = rules.clean_code(code)
    _validate(
        actor=actor,
        instance=None,
        name=name,
        kind=kind,
        area=area,
        parent=parent,
        code=code,
        secretary=secretary,
    )
    _check_parent_change(actor=actor, org=None, new_parent=parent)
    with transaction.atomic():
        return PartyOrg.objects.create(
            name=name.strip(), kind=kind, area=area, parent=parent, code=code, secretary=secretary
        )


def update_party_org(
    *,
    org: PartyOrg,
    actor,
    name: str | object = UNSET,
    kind: str | object = UNSET,
    area: Area | object = UNSET,
    parent: PartyOrg | object | None = UNSET,
    code: str | object | None = UNSET,
    secretary=UNSET,
) -> PartyOrg:
    """Change any of the given fields. Needs "party_orgs.change" on the organization's area (and on the
    new area when it moves). A new parent needs "party_orgs.change" on the old parent and on the new one;
    detaching (parent=None) is the operator's only. A retired organization is frozen."""
    require(actor, "party_orgs.change", org.area)
    if area is not UNSET and area.pk != org.area_id:
        require(actor, "party_orgs.change", area)
    if org.retired:
        raise_if({"__all__": [_("已撤销的党组织不能修改")]})
    values = {
        "name": org.name if name is UNSET else name,
        "kind": org.kind if kind is UNSET else kind,
        "area": org.area if area is UNSET else area,
        "parent": org.parent if parent is UNSET else parent,
        "code": org.code if code is UNSET else rules.clean_code(code),
        "secretary": org.secretary if secretary is UNSET else secretary,
    }
    _validate(actor=actor, instance=org, **values)
    if parent is not UNSET and (parent.pk if parent is not None else None) != org.parent_id:
        _check_parent_change(actor=actor, org=org, new_parent=parent)
    values["name"] = values["name"].strip()
    for field, value in values.items():
        setattr(org, field, value)
    with transaction.atomic():
        org.save()
    return org


def retire_party_org(*, org: PartyOrg, actor) -> PartyOrg:
    """Retire an organization (kept for its records). Refused while it has live child organizations:
    retire or re-attach them first."""
    require(actor, "party_orgs.change", org.area)
    if org.retired:
        raise_if({"__all__": [_("该党组织已撤销")]})
    with transaction.atomic():
        live_children = org.children.filter(retired=False).count()
        if live_children:
            raise_if(
                {
                    "__all__": [
                        _("该组织下还有 %(n)d 个未撤销的下级组织，请先撤销或调整它们的上级组织")
                        % {"n": live_children}
                    ]
                }
            )
        org.retired = True
        org.save(update_fields=["retired"])
    return org
