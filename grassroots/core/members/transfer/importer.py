"""The members importer, registered with the generic import runner (grassroots.imports)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.members.transfer.validate import Validator
from grassroots.core.members.transfer.write import write_plan
from grassroots.imports.registry import Importer, Progress, Validation, register_importer


@register_importer
class MemberImporter(Importer):
    kind = "members"
    label = gettext_lazy("党员")
    permission = "members.import"
    # The rejected rows are the uploaded data itself (full ID numbers): besides the uploader, only those who
    # may see full numbers in the job's scope download them.
    rejected_permission = "people.view_pii"
    upload_url_name = "members:import"

    def validate(self, file, progress: Progress) -> Validation:
        return Validator(actor=self.actor, progress=progress).run(file)

    def write(self, plan, progress: Progress) -> dict[str, int]:
        return write_plan(plan, progress)

    def done_message(self, counts: dict[str, int]) -> str:
        message = _("写入 %(n)s 名党员") % {"n": counts.get("members", 0)}
        if counts.get("tags_created"):
            message += _("，新建 %(n)s 个标签") % {"n": counts["tags_created"]}
        return message
