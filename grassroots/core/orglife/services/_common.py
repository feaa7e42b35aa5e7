from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from grassroots.areas.models import PartyOrgKind
from grassroots.core.orglife import rules


def require_branch(branch) -> None:
    if branch.kind != PartyOrgKind.BRANCH or branch.retired:
        raise ValidationError({"branch": _("请选择一个现有的党支部。")})


def require_branch_side(actor, branch) -> None:
    if not rules.may_act_for(actor, branch):
        raise PermissionDenied(_("只有本支部书记或社区工作人员可以填报该支部的组织生活。"))


def require_reviewer(actor, branch) -> None:
    if not rules.may_review_for(actor, branch):
        raise PermissionDenied(_("只有上级党组织可以审核该支部的组织生活。"))
