"""The demo step of the service items on the fixed cast's tree: needs published, claims in every state, a
commitment, two needs left open, ratings; run twice, it makes nothing again."""

from grassroots.cogov import services
from grassroots.cogov.demo_items import cogov_items
from grassroots.cogov.models import Claim, Rating, ServiceItem
from grassroots.demo.registry import SeedContext
from grassroots.demo.tiers import TIERS


def test_the_demo_step_fills_every_state(co, cast, tree):
    services.save_partner(actor=cast.secretary, name="桥楼社区卫生站", kind="hospital", area=tree.community_a)
    ctx = SeedContext(seed=1, tier=TIERS["S"], log=lambda line: None)
    ctx.places = {"community": tree.community_a}
    ctx.users = {
        "worker": cast.worker,
        "secretary": cast.secretary,
        "partner": co.rep,
        "resident": cast.resident,
    }
    cogov_items(ctx)
    states = set(Claim.objects.values_list("state", flat=True))
    assert states >= {"pending", "accepted", "declined", "delivered", "confirmed"}
    assert ServiceItem.objects.filter(kind="resource").count() == 1
    assert Rating.objects.count() == 2
    before = Claim.objects.count()
    cogov_items(ctx)
    assert Claim.objects.count() == before
