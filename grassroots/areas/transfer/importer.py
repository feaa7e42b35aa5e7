"""The areas and Party organizations importer, registered with the generic import runner
(grassroots.imports): the upload page, the job, its progress, report and rejected rows are the runner's;
reading, checking and writing the two sheets are this app's (reading.py, validate.py, write.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.accounts.services.grants import claim_new_root
from grassroots.areas.transfer.reading import read_workbook
from grassroots.areas.transfer.validate import Validator
from grassroots.areas.transfer.write import ImportConflict as TreeChanged
from grassroots.areas.transfer.write import write_plan
from grassroots.imports.registry import ImportConflict, Importer, Progress, Validation, register_importer
from grassroots.imports.xlsx import RowError


@register_importer
class AreaImporter(Importer):
    kind = "areas"
    label = gettext_lazy("区域与党组织")
    permission = "areas.import"
    upload_url_name = "areas:import"

    def __init__(self, *, actor) -> None:
        super().__init__(actor=actor)
        self.sheets: dict = {}  # the rows read, for callers that want them (import_workbook's report)

    def validate(self, file, progress: Progress) -> Validation:
        sheets, errors = read_workbook(file)
        self.sheets = sheets
        total = sum(len(s.rows) for s in sheets.values())
        if errors:
            return Validation(total_rows=total, errors=errors)
        if total == 0:
            return Validation(errors=[RowError("", 0, "", _("文件中没有数据行"))])
        progress(0, total)
        plan = Validator(actor=self.actor, progress=lambda done: progress(done, total)).run(sheets)
        return Validation(total_rows=total, errors=plan.errors, plan=None if plan.errors else plan)

    def write(self, plan, progress: Progress) -> dict[str, int]:
        try:
            areas, orgs = write_plan(plan)
        except TreeChanged as exc:
            raise ImportConflict(str(exc)) from exc
        if self.actor is not None:  # a new city enters its creator's (the operator's) scope
            for root in plan.new_roots:
                claim_new_root(operator=self.actor, area=root)
        total = len(plan.areas) + len(plan.orgs)
        progress(total, total)
        return {"areas": areas, "orgs": orgs}

    def done_message(self, counts: dict[str, int]) -> str:
        return _("新建 %(areas)s 个区域、%(orgs)s 个党组织") % {
            "areas": counts.get("areas", 0),
            "orgs": counts.get("orgs", 0),
        }
