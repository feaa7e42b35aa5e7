"""The worklists' filters are built once per process for the same filter (grassroots.workflow.models.filtered,
docs/performance.md): the to-do on every home page no longer turns ~20 permission filters into SQL terms on
each view. The key is what the filter says, so a changed grant is another filter at once: nothing stale."""

from django.db.models.sql.query import Query

from grassroots.accounts.models import ResidentVerification, RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.workflow import models as workflow
from grassroots.workflow.selectors import pending_for


def builds(monkeypatch):
    """Count Django's `build_filter` calls (one per term of a filter turned into SQL)."""
    calls = []
    original = Query.build_filter

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Query, "build_filter", counting)
    return calls


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # a new request: nothing cached on the user object


def worklist(user) -> list[int]:
    return rows(fresh(user))


def rows(user) -> list[int]:
    return list(ResidentVerification.pending_for(user).values_list("pk", flat=True))


def test_the_same_filter_is_built_once_and_gives_the_same_rows(application, cast, monkeypatch):
    workflow._FILTERS.clear()
    calls = builds(monkeypatch)
    first = worklist(cast.worker)
    built_first = len(calls)
    assert first == [application.pk]
    assert built_first > 0

    user = fresh(cast.worker)
    user.grants_cached()  # (its grants are read once per request, before the to-do)
    calls.clear()
    assert rows(user) == first
    assert calls == []  # the filter was not built again (values_list adds no filter term)


def test_a_grant_given_or_taken_changes_the_worklist_at_once(application, cast, people, tree):
    workflow._FILTERS.clear()
    assert worklist(people.worker_b) == []  # 育才社区 (street B): not theirs
    grant = RoleGrant.objects.create(user=people.worker_b, role=Role.COMMUNITY_WORKER, area=tree.community_a)
    assert worklist(people.worker_b) == [application.pk]
    grant.delete()
    assert worklist(people.worker_b) == []
    assert [i.url for i in pending_for(fresh(cast.worker))] == [application.get_absolute_url()]


def test_what_a_caller_adds_does_not_change_the_kept_filter(application, cast):
    workflow._FILTERS.clear()
    assert list(ResidentVerification.pending_for(fresh(cast.worker)).filter(pk=-1)) == []
    assert worklist(cast.worker) == [application.pk]


def test_the_kept_filters_are_bounded_least_recently_used_first(application, cast, people, monkeypatch):
    workflow._FILTERS.clear()
    monkeypatch.setattr(workflow, "_FILTERS_MAX", 2)
    worklist(cast.worker)
    worklist(people.worker_b)
    worklist(cast.worker)  # used again: now the most recent
    worklist(people.grid_worker)  # a third: people.worker_b's goes
    assert len(workflow._FILTERS) == 2
    user = fresh(cast.worker)
    user.grants_cached()
    calls = builds(monkeypatch)
    rows(user)
    assert calls == []
