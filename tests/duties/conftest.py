"""Fixtures of the duties tests: an admitted affair of 雨城区, a helper issuing tasks through the real
service, stepping assignments through the real workflow service, and many communities written in bulk."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.areas.models import Area, Level
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.duties.services import issue_task
from grassroots.workflow.services import transition


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def affair(tree, today):
    """社区网格化服务管理 admitted for every community of 雨城区, valid this year and next."""
    return AdmittedAffair.objects.create(
        area=tree.county,
        name="社区网格化服务管理",
        legal_basis="《四川省城乡社区治理条例》",
        department="雨城区委政法委",
        powers="网格事项采集、上报、督办权",
        funds_per_community=Decimal("20000.00"),
        valid_from=date(today.year - 1, 1, 1),
        valid_to=date(today.year + 1, 12, 31),
    )


@pytest.fixture
def issue(cast, today):
    """issue(**fields) → a task issued through `services.issue_task` (by the city to its streets, due in 30
    days, unless told otherwise)."""

    def make(*, actor=None, area=None, **fields):
        values = {
            "title": "基层党建重点任务",
            "deadline": today + timedelta(days=30),
            "target_level": Level.STREET,
            "description": "按要求完成并上传佐证材料。",
            "evidence_required": "工作方案、会议记录、照片",
        }
        values.update(fields)
        if "parent" not in values and area is None:
            area = cast.city.grants.get().area
        return issue_task(actor=actor or cast.city, area=area, **values)

    return make


@pytest.fixture
def step():
    """step(assignment, name, actor, comment="", files=()) → take a workflow step and reload the row."""

    def take(assignment, name, actor, comment="", files=()):
        transition(assignment, name, actor=actor, comment=comment, attachments=files)
        assignment.refresh_from_db()
        return assignment

    return take


@pytest.fixture
def finish(step):
    """finish(assignment, doer, checker) → accepted, in progress, submitted and approved."""

    def run(assignment, doer, checker, evidence="已完成"):
        step(assignment, "accept", doer)
        step(assignment, "begin", doer)
        step(assignment, "submit", doer, evidence)
        return step(assignment, "approve", checker)

    return run


def pdf(name="佐证材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% evidence\n", content_type="application/pdf")


def add_children(parent: Area, n: int, level: int, prefix: str = "社区") -> list[Area]:
    """`n` children of `parent` written in bulk with treebeard's paths (as the demo loader does)."""
    start = parent.numchild
    rows = [
        Area(
            name=f"{prefix}{start + i + 1}",
            level=level,
            path=Area._get_path(parent.path, parent.depth + 1, start + i + 1),
            depth=parent.depth + 1,
            numchild=0,
        )
        for i in range(n)
    ]
    Area.objects.bulk_create(rows, batch_size=1000)
    Area.objects.filter(pk=parent.pk).update(numchild=start + n)
    parent.refresh_from_db()
    return list(Area.objects.filter(path__in=[r.path for r in rows]).order_by("path"))
