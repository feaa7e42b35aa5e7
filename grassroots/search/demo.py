"""Demo step `search`: the search index of everything the other steps wrote (it runs last: some steps
bulk-create, which sends no signal)."""

from __future__ import annotations

from grassroots.demo.registry import SeedContext, seed_step
from grassroots.search import services


@seed_step(order=990, name="search")
def seed_search(ctx: SeedContext) -> None:
    done = services.rebuild()
    ctx.log(f"  search index: {sum(done.values())} entries")
