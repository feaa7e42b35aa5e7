"""What a transition declares beside its source, target and who may take it (`permission`: a rule of
`grassroots.access.rules`): the checks it needs (`Check`) and how it shows on the record's page (`step`).

    @transition(
        field=state, source=State.PENDING, target=State.VERIFIED,
        permission=roles_on("area__path", *VERIFIERS),
        conditions=[Check(lambda r: not r.area.retired, _("地址已撤销"))],
        custom=step(_("核验通过"), style="success"),
    )
    def verify(self, *, actor, comment=""): ...

A permission is the callable django-fsm expects, `permission(record, user) -> bool`; the rules also give
`q(user)`, from which the model's worklist is derived (`WorkflowModel.pending_steps`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Check:
    """A condition with the message shown when it fails. django-fsm calls it with the record."""

    def __init__(self, test: Callable[[Any], bool], message) -> None:
        self.test = test
        self.message = message

    def __call__(self, record) -> bool:
        return bool(self.test(record))


def step(
    label,
    *,
    style: str = "primary",
    icon: str = "",
    comment_required: bool = False,
    comment_label=None,
    attachments: bool = True,
    form_url: Callable[[Any], str] | None = None,
) -> dict[str, Any]:
    """How a transition shows on the record's page; pass as `custom=` to `@transition`.

    label             the button and timeline text, e.g. _("核验通过")
    style             Bootstrap colour of the button (primary, success, danger, secondary…)
    icon              bootstrap-icons name without the "bi-" prefix
    comment_required  the transition refuses an empty comment (e.g. a rejection needs its reason)
    comment_label     what the comment box asks for (default "说明")
    attachments       whether the button's form offers file attachments
    form_url          record → URL of a page of its own, for a transition that needs more than a comment
                      (the buttons then link there instead of posting)
    """
    return {
        "label": label,
        "style": style,
        "icon": icon,
        "comment_required": comment_required,
        "comment_label": comment_label,
        "attachments": attachments,
        "form_url": form_url,
    }
