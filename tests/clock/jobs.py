"""Tasks the clock tests declare periodic (module-level, so that a worker can import them by path)."""

from django_tasks import task


@task()
def tally() -> dict:
    return {"ran": True}


@task()
def broken() -> None:
    raise RuntimeError("boom")
