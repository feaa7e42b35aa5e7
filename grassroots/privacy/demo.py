"""Demo step `data_requests` (order 60): two residents of the demo community ask for a correction of their
data; the community secretary has completed one, the other waits in the handlers' list
(`/privacy/requests/`, `/api/data-requests/`). Idempotent: nothing is made when any request exists."""

from __future__ import annotations

from grassroots.accounts.models import User
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.privacy.models import DataRequest
from grassroots.privacy.services import submit_request
from grassroots.workflow.services import transition


@seed_step(order=60)
def data_requests(ctx: SeedContext) -> None:
    community, secretary = ctx.places.get("community"), ctx.users.get("secretary")
    if community is None or secretary is None or DataRequest.objects.exists():
        return
    people = list(
        User.objects.filter(under_q(community.path, "home_area__path"), is_demo=True)
        .exclude(grants__role__in=["community_secretary"])
        .order_by("username")[:2]
    )
    for n, person in enumerate(people):
        record = submit_request(user=person, kind="correction", details="手机号已更换，请更正为新号码。")
        if n == 0:
            transition(record, "complete", actor=secretary, comment="已更正手机号。")
    ctx.log(f"  {len(people)} personal data requests")
