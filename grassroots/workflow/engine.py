"""Reading the transitions a workflow model declares with django-fsm, and deciding whether one may be taken
now, by whom. No writes here: `services.transition` calls `check` before it changes anything."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from grassroots.workflow.models import WorkflowModel, state_label


class TransitionRefused(Exception):
    """A transition the actor may not take now. `message` is shown to the user as is (Chinese);
    `code` says why: unknown, state, permission, condition, comment_required, attachment, concurrent."""

    def __init__(self, message, *, code: str = "permission") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


@dataclass(frozen=True)
class TransitionInfo:
    """One button on a record's page."""

    name: str
    label: str
    target: str
    target_label: str
    style: str = "primary"
    icon: str = ""
    comment_required: bool = False
    comment_label: str = ""
    attachments: bool = True
    form_url: str = ""


def workflow_models() -> list[type[WorkflowModel]]:
    """Every concrete model built on the mechanism, in app order."""
    return [model for model in apps.get_models() if issubclass(model, WorkflowModel)]


def workflow_model_for(content_type_id: int) -> type[WorkflowModel] | None:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None or not issubclass(model, WorkflowModel):
        return None
    return model


_NAMES: dict[type, list[str]] = {}


def transition_names(model: type[WorkflowModel]) -> list[str]:
    """The model's transition methods in the order they are declared."""
    if model not in _NAMES:
        declared = model._meta.get_field(model.state_field).transitions.get(model, {})
        ordered: list[str] = []
        for klass in reversed(model.__mro__):
            ordered += [name for name in vars(klass) if name in declared and name not in ordered]
        _NAMES[model] = ordered
    return _NAMES[model]


def _meta(model: type[WorkflowModel], name: str):
    if name not in transition_names(model):
        return None
    return getattr(model, name)._django_fsm


def transition_label(model: type[WorkflowModel], name: str) -> str:
    """The label a transition declared with `step(...)`; "start" is the record's creation."""
    if name == "start":
        return str(model.start_label)
    meta = _meta(model, name)
    if meta is None:
        return name
    for declared in meta.transitions.values():
        if declared.custom.get("label"):
            return str(declared.custom["label"])
    return name


def waiting_q(model: type[WorkflowModel], names, user) -> Q:
    """The records awaiting `user` for the transitions `names`, read from their declarations: in a source
    state of a transition whose permission admits the user (its rule's `q(user)`). Transitions sharing a
    permission share one clause."""
    clauses: dict[int, tuple[object, set[str]]] = {}
    for name in names:
        meta = _meta(model, name)
        if meta is None:
            raise ValueError(f"{model.__name__} has no transition {name!r}")
        for source, declared in meta.transitions.items():
            if not hasattr(declared.permission, "q"):
                raise TypeError(f"{model.__name__}.{name}: its permission gives no q(user) for a worklist")
            clauses.setdefault(id(declared.permission), (declared.permission, set()))[1].add(source)
    q = Q(pk__in=[])
    for permission, sources in clauses.values():
        in_state = Q() if "*" in sources else Q(**{f"{model.state_field}__in": sorted(sources)})
        q |= in_state & permission.q(user)
    return q


def _info(record: WorkflowModel, name: str, declared) -> TransitionInfo:
    custom = declared.custom
    form_url = custom.get("form_url")
    return TransitionInfo(
        name=name,
        label=str(custom.get("label") or name),
        target=declared.target or "",
        target_label=state_label(type(record), declared.target or ""),
        style=custom.get("style", "primary"),
        icon=custom.get("icon", ""),
        comment_required=bool(custom.get("comment_required")),
        comment_label=str(custom.get("comment_label") or _("说明")),
        attachments=custom.get("attachments", True),
        form_url=form_url(record) if form_url else "",
    )


def check(
    record: WorkflowModel, name: str, *, actor, comment: str = "", authorized: bool = False
) -> TransitionInfo:
    """Raise TransitionRefused unless `actor` may take transition `name` on `record` now. `authorized`: the
    caller has decided by its own rules that `actor` may (see services.transition); the transition's
    permission is then not asked, every other check is. `actor=None` with `authorized` is the platform itself
    (a clock task closing a window): logged without an actor."""
    model = type(record)
    meta = _meta(model, name)
    if meta is None:
        raise TransitionRefused(_("没有“%(name)s”这项操作。") % {"name": name}, code="unknown")
    label = transition_label(model, name)
    state = record.state_value
    declared = meta.get_transition(state) if meta.has_transition(state) else None
    if declared is None:
        raise TransitionRefused(
            _("该记录当前为“%(state)s”，不能执行“%(label)s”。")
            % {"state": record.state_label, "label": label},
            code="state",
        )
    system = authorized and actor is None  # the platform itself (a clock task), by the caller's own rules
    if not system and (actor is None or not actor.is_authenticated or not actor.is_active):
        raise TransitionRefused(_("请先登录。"), code="permission")
    if not authorized and not declared.has_perm(record, actor):
        raise TransitionRefused(_("您没有权限对该记录执行“%(label)s”。") % {"label": label})
    for condition in declared.conditions:
        if not condition(record):
            message = getattr(condition, "message", None) or _("不满足执行“%(label)s”的条件。") % {
                "label": label
            }
            raise TransitionRefused(message, code="condition")
    info = _info(record, name, declared)
    if info.comment_required and not (comment or "").strip():
        raise TransitionRefused(_("请填写%(what)s。") % {"what": info.comment_label}, code="comment_required")
    return info


def available(record: WorkflowModel, user) -> list[TransitionInfo]:
    """The transitions `user` may take on `record` now (state, role and conditions all met), in declared
    order. Costs no query when the permission's area is select_related and conditions read no rows."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    model = type(record)
    state = record.state_value
    result: list[TransitionInfo] = []
    for name in transition_names(model):
        meta = _meta(model, name)
        if not meta.has_transition(state):
            continue
        declared = meta.get_transition(state)
        if declared.has_perm(record, user) and all(condition(record) for condition in declared.conditions):
            result.append(_info(record, name, declared))
    return result
