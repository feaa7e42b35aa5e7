"""Create, edit, move and retire areas of the tree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import is_operator
from grassroots.accounts.services.grants import claim_new_root
from grassroots.areas import rules
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.services._common import UNSET, forget_grants, raise_if, require
from grassroots.areas.subtree import lies_under, under_q
from grassroots.audit.services import record_change

__all__ = ["UNSET", "create_area", "move_area", "retire_area", "update_area"]


def _name_errors(name) -> list[str]:
    name = (name or "").strip()
    if not name:
        return [_("请填写名称")]
    if len(name) > rules.AREA_NAME_MAX:
        return [_("名称不能超过%(max)d个字") % {"max": rules.AREA_NAME_MAX}]
    return []


def _code_errors(code: str | None, *, exclude_pk: int | None = None) -> list[str]:
    if code is None:
        return []
    if message := rules.area_code_error(code):
        return [message]
    taken = Area.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return [_("区划代码“%(code)s”已被其他区域使用") % {"code": code}]
    return []


def create_area(*, parent: Area | None, name: str, level: int, code: str | None = None, actor) -> Area:
    """Add an area under `parent` (the last child). A root area (parent=None, a new city) only by the
    system or the operator (`scoping.is_operator`), who then holds the system admin role on it.
    Needs "areas.change" on `parent`; the level must be below the parent's; the code unique."""
    if parent is None and actor is not None and not is_operator(actor):
        raise PermissionDenied(_("只有系统管理员可以新建最上级区域（新的市）"))
    if parent is not None:
        require(actor, "areas.change", parent)
    code = rules.clean_code(code)
    errors: dict[str, list[str]] = {"name": _name_errors(name), "code": _code_errors(code), "level": []}
    if level not in Level.values:
        errors["level"].append(_("请选择层级"))
    elif parent is not None and (message := rules.level_error(level, parent.level)):
        errors["level"].append(message)
    if parent is not None and parent.retired:
        errors["__all__"] = [_("上级区域“%(name)s”已撤销，不能在其下新建区域") % {"name": parent.name}]
    raise_if(errors)
    fields = {"name": name.strip(), "level": level, "code": code}
    with transaction.atomic():
        if parent is None:
            area = Area.objects.add_root(fields)
            if actor is not None:
                claim_new_root(operator=actor, area=area)
            return area
        return Area.objects.add_child(parent, fields)


def update_area(*, area: Area, actor, name: str | object = UNSET, code: str | object | None = UNSET) -> Area:
    """Rename an area or change its code. Needs "areas.change" on the area. A retired area is frozen."""
    require(actor, "areas.change", area)
    errors: dict[str, list[str]] = {}
    if area.retired:
        errors["__all__"] = [_("已撤销的区域不能修改")]
    changed = []
    if name is not UNSET:
        errors["name"] = _name_errors(name)
        area.name = (name or "").strip()
        changed.append("name")
    if code is not UNSET:
        code = rules.clean_code(code)
        errors["code"] = _code_errors(code, exclude_pk=area.pk)
        area.code = code
        changed.append("code")
    raise_if(errors)
    if changed:
        with transaction.atomic():
            area.save(update_fields=changed)
    return area


def move_area(*, area: Area, new_parent: Area, actor) -> Area:
    """Move `area` and its whole subtree under `new_parent` (as its last child), with treebeard's move:
    the paths of the subtree are rewritten in a few UPDATEs. Needs "areas.change" on the old parent and on
    the new parent. Refused: under itself or its own subtree, a level not below the new parent's, a
    retired area or parent. Moving under the current parent changes nothing."""
    with transaction.atomic():
        # Lock both rows and read their current paths: a concurrent move may have rewritten them.
        locked = {a.pk: a for a in Area.objects.select_for_update().filter(pk__in=[area.pk, new_parent.pk])}
        current, target = locked[area.pk], locked[new_parent.pk]
        old_parent_path = current.path[: (current.depth - 1) * current.steplen]
        old_parent = Area.objects.filter(path=old_parent_path).first() if old_parent_path else None
        require(actor, "areas.change", old_parent)
        require(actor, "areas.change", target)
        errors: dict[str, list[str]] = {"new_parent": []}
        if current.retired:
            errors["__all__"] = [_("已撤销的区域不能移动")]
        if lies_under(target.path, current.path):
            errors["new_parent"].append(_("不能把区域移到它自己或它的下级区域之下"))
        elif target.retired:
            errors["new_parent"].append(_("不能移到已撤销的区域之下"))
        elif message := rules.level_error(current.level, target.level):
            errors["new_parent"].append(message)
        raise_if(errors)
        if old_parent is not None and old_parent.pk == target.pk:
            return current
        old_path = current.path
        Area.objects.move(current, target, "last-child")
        # treebeard rewrites paths with queryset UPDATEs, which model signals (and so the audit trail) miss.
        current.refresh_from_db()
        record_change(
            instance=current,
            changes={
                "path": (old_path, current.path),
                "parent": (old_parent.name if old_parent else "", target.name),
            },
            actor=actor,
        )
    forget_grants(actor)
    area.refresh_from_db()
    new_parent.refresh_from_db()
    return area


def retire_area(*, area: Area, actor, cascade: bool = False) -> int:
    """Retire an area (areas are never deleted: records keep pointing at them). Needs "areas.change" on
    the area's parent, so that nobody retires the root of their own scope. While the area still has live
    child areas or live Party organizations in its subtree the call is refused, unless `cascade=True`,
    which retires the whole subtree and its organizations with it; a retired area therefore never has a
    live area below it. Returns how many areas were retired."""
    area.refresh_from_db(fields=["path", "depth", "retired"])  # a move may have changed the path
    parent_path = area.path[: (area.depth - 1) * area.steplen]
    parent = Area.objects.filter(path=parent_path).first() if parent_path else None
    require(actor, "areas.change", parent)
    if area.retired:
        raise_if({"__all__": [_("该区域已撤销")]})
    with transaction.atomic():
        subtree = Area.objects.filter(under_q(area.path, "path"), retired=False)
        orgs = PartyOrg.objects.filter(under_q(area.path), retired=False)
        live_areas = subtree.exclude(pk=area.pk).count()
        live_orgs = orgs.count()
        if (live_areas or live_orgs) and not cascade:
            raise_if(
                {
                    "cascade": [
                        _(
                            "该区域下还有 %(areas)d 个未撤销的下级区域和 %(orgs)d 个党组织。"
                            "请先撤销或移走它们，或选择“同时撤销整个下级区域树”。"
                        )
                        % {"areas": live_areas, "orgs": live_orgs}
                    ]
                }
            )
        retired_orgs = orgs.update(retired=True)
        descendants = subtree.exclude(pk=area.pk).update(retired=True)
        area.retired = True
        area.save(update_fields=["retired"])
        if descendants or retired_orgs:
            # The subtree was retired with queryset UPDATEs, which the audit trail does not see by itself.
            record_change(
                instance=area,
                changes={"retired_descendants": (0, descendants), "retired_party_orgs": (0, retired_orgs)},
                actor=actor,
            )
    forget_grants(actor)
    return descendants + 1
