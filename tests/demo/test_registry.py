"""The registry of seed steps that later parts extend from their own `demo.py`."""

import pytest

from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.demo import registry
from grassroots.demo.registry import SeedContext, autodiscover, registered_steps, run_steps, seed_step
from grassroots.demo.tiers import TIERS


@pytest.fixture
def extra_step():
    """Register steps for one test only (the foundation's are imported first, so they are kept)."""
    autodiscover()
    before = dict(registry._STEPS)
    yield
    registry._STEPS.clear()
    registry._STEPS.update(before)


def test_foundation_steps_run_in_order():
    autodiscover()
    names = [s.name for s in registered_steps()]
    assert names[:4] == ["areas", "party_orgs", "users", "residents"]


def test_a_registered_step_runs_after_the_foundation_with_the_context(seed_demo, extra_step):
    seen = {}

    @seed_step(order=500)
    def test_extension(ctx: SeedContext) -> None:
        seen["city"] = ctx.city.code
        seen["communities"] = len(ctx.communities)
        seen["users"] = sorted(ctx.users)
        seen["places"] = {k: a.level for k, a in ctx.places.items()}
        seen["draw"] = ctx.rng.random()
        if not Area.objects.filter(name="扩展网格").exists():  # idempotent like every step
            Area.objects.add_child(ctx.places["community"], {"name": "扩展网格", "level": Level.GRID})

    output = seed_demo()
    assert "test_extension" in output
    assert seen["city"] == "511800"
    assert seen["communities"] == 659
    assert {"city", "admin", "resident", "secretary"} <= set(seen["users"])
    assert seen["places"] == {
        "city": Level.CITY,
        "county": Level.COUNTY,
        "street": Level.STREET,
        "community": Level.COMMUNITY,
        "grid": Level.GRID,
        "home": Level.BUILDING,
    }
    first_draw = seen["draw"]
    seed_demo()  # a second run: the context is loaded again, the step's rng starts again
    assert seen["communities"] == 659
    assert seen["draw"] == first_draw
    assert Area.objects.filter(name="扩展网格").count() == 1


def test_each_step_has_its_own_random_stream():
    ctx = SeedContext(seed=7, tier=TIERS["S"])
    assert ctx.rng_for("areas").random() == ctx.rng_for("areas").random()
    assert ctx.rng_for("areas").random() != ctx.rng_for("gatherings").random()
    assert SeedContext(seed=8, tier=TIERS["S"]).rng_for("areas").random() != ctx.rng_for("areas").random()


def test_two_functions_cannot_take_the_same_step_name(extra_step):
    @seed_step(order=900, name="duplicate")
    def one(ctx):
        pass

    with pytest.raises(ValueError, match="registered twice"):

        @seed_step(order=901, name="duplicate")
        def two(ctx):
            pass


def test_a_failing_step_leaves_nothing_behind(seed_demo, extra_step):
    """All or nothing: `make run` (--if-empty) must find an empty database again after a failure."""

    @seed_step(order=600)
    def breaks(ctx):
        Area.objects.add_child(ctx.places["community"], {"name": "半途网格", "level": Level.GRID})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        seed_demo(if_empty=True)
    assert not Area.objects.exists()
    assert not User.objects.filter(is_demo=True).exists()


def test_run_steps_keeps_the_steps_before_a_failing_one(db, extra_step):
    """Each step is its own transaction inside the run (what a caller without the command's outer
    transaction gets)."""

    @seed_step(order=1, name="first")
    def first(ctx):
        Area.objects.add_root({"name": "甲市", "level": Level.CITY})

    @seed_step(order=2, name="second")
    def second(ctx):
        Area.objects.add_root({"name": "乙市", "level": Level.CITY})
        raise RuntimeError("boom")

    ctx = SeedContext(seed=1, tier=TIERS["S"], log=lambda _msg: None)
    with pytest.raises(RuntimeError):
        run_steps(ctx, [s for s in registered_steps() if s.name in {"first", "second"}])
    assert list(Area.objects.values_list("name", flat=True)) == ["甲市"]
