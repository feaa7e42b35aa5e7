"""`/api/gatherings/`: every step the gathering pages offer, through the services the pages call.

- `GET /api/gatherings/` and `…/{id}/`: the gatherings the user may see (the list page's selector and
  filter), with attendance counts and the caller's own participation;
- `POST /api/gatherings/` creates one, `PUT`/`PATCH …/{id}/` changes a planned one (gatherings.manage on the
  area it has and the area it gets);
- for the caller themselves: `POST …/{id}/sign-up/`, `…/cancel-sign-up/`, `…/check-in/`, `…/check-out/`;
- for its organizers: `GET …/{id}/participants/`, `POST …/{id}/invite/ {usernames}`,
  `POST …/{id}/attendance/ {marks: [{user, present, absence_reason?}]}` (the 考勤登记 sheet),
  `POST …/{id}/minutes/ {minutes}`, `POST …/{id}/decisions/ {text, owner?, due_on?}`,
  `POST …/{id}/photos/ {image, caption?}` (multipart); `GET` of decisions and photos for everyone who sees
  the gathering;
- the workflow steps (mark_held, cancel with the reason as `comment`) at `…/{id}/transitions/`.

Who sees a gathering is wider than the subtree rule (public gatherings of the areas above, invitations), so
the queryset is `selectors.list_for`, built on the scoping function: outside it, 404. A write needs
gatherings.manage on an area covering the gathering's area (403 naming what is missing), except the
caller's own sign-up and check-in (the services' rules) and the steps (the workflow's rule)."""

from grassroots.gatherings.api.serializers import GatheringSerializer
from grassroots.gatherings.api.series import SeriesViewSet
from grassroots.gatherings.api.viewset import GatheringViewSet

__all__ = ["GatheringSerializer", "GatheringViewSet", "register"]


def register(router) -> None:
    router.register("gatherings", GatheringViewSet, basename="gathering")
    router.register("gathering-series", SeriesViewSet, basename="gathering-series")
