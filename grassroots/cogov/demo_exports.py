"""Demo step `list_exports`: the city official has exported the 共建单位 list once (through `/api/exports/`'s
path, kept as a done export job), so `/api/exports/` and the export page have a record in the demo."""

from __future__ import annotations

from grassroots.demo.registry import SeedContext, seed_step
from grassroots.imports.models import ExportJob
from grassroots.imports.runner import start_export

KIND = "cogov-partners"


@seed_step(order=900)
def list_exports(ctx: SeedContext) -> None:
    city = ctx.users.get("city")
    if city is None or ExportJob.objects.filter(created_by=city, kind=KIND).exists():
        return
    start_export(kind=KIND, user=city, params={}, keep=True)
    ctx.log("  1 list export (共建单位)")
