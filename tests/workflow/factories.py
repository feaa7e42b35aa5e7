"""Builders for workflow tests: a verification request is the mechanism's first real process."""

from types import SimpleNamespace

from grassroots.accounts.models import ResidentVerification
from grassroots.accounts.roles import Role
from grassroots.accounts.services.verification import register_resident
from tests.factories import PASSWORD, make_user

_phones = iter(range(13800000000, 13899999999))


def register(
    area, username: str = "newcomer", full_name: str = "王小明", phone: str = ""
) -> ResidentVerification:
    """A resident registered at `area`, with their pending verification request."""
    return register_resident(
        username=username,
        password=PASSWORD,
        full_name=full_name,
        phone=phone or str(next(_phones)),
        area=area,
    )


def make_people(tree) -> SimpleNamespace:
    """Beside the cast: a grid worker of 第一网格 and a community worker of 育才社区 (street B)."""
    return SimpleNamespace(
        grid_worker=make_user("grid_worker", Role.GRID_WORKER, tree.grid_a),
        worker_b=make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b),
    )
