"""The packages stand in layers and no module imports upward (docs/architecture.md, "Layers"):

    values      ids read from a request, names' pinyin  grassroots.ids, pinyin
    tree        the area tree and the role catalog     grassroots.areas.models, areas.subtree, accounts.roles
    access      the scoping function and the rules     grassroots.access
    shared      project-level helpers                  grassroots.settings, pages, forms, admin_readonly,
                                                       workbooks, accounts.addresses, replica
    clock       the scheduler                          grassroots.clock
    files       stored files                           grassroots.files
    workflow    the state machine, notifications       grassroots.workflow
    audit       the audit trail                        grassroots.audit
    imports     xlsx imports and exports               grassroots.imports
    apps        accounts' and areas' pages, the parts  grassroots.accounts, .areas, .core, operations, urls …

A module belongs to the layer of its longest listed prefix, and every module of grassroots/ belongs to one
(a new package must be placed). Every import counts, also one inside a function (a deferred import is still
a dependency); a module may import its own layer and those below."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LADDER = [
    ("values", ("grassroots.ids", "grassroots.pinyin")),
    ("tree", ("grassroots.areas.models", "grassroots.areas.subtree", "grassroots.accounts.roles")),
    ("access", ("grassroots.access",)),
    (
        "shared",
        (
            "grassroots.settings",
            "grassroots.pages",
            "grassroots.forms",
            "grassroots.admin_readonly",
            "grassroots.workbooks",
            "grassroots.accounts.addresses",
            "grassroots.replica",
        ),
    ),
    ("clock", ("grassroots.clock",)),
    ("files", ("grassroots.files",)),
    ("workflow", ("grassroots.workflow",)),
    ("audit", ("grassroots.audit",)),
    ("imports", ("grassroots.imports",)),
    (
        "apps",
        (
            "grassroots.accounts",
            "grassroots.areas",
            "grassroots.core",
            "grassroots.gatherings",
            "grassroots.documents",
            "grassroots.voting",
            "grassroots.selfgov",
            "grassroots.gridwork",
            "grassroots.cogov",
            "grassroots.lawgov",
            "grassroots.virtue",
            "grassroots.privacy",
            "grassroots.portal",
            "grassroots.figures",
            "grassroots.api",
            "grassroots.demo",
            "grassroots.operations",
            "grassroots.search",
            "grassroots.urls",
            "grassroots.asgi",
            "grassroots.wsgi",
        ),
    ),
]
# the root package itself (grassroots/__init__.py, empty) — ranked by its exact name, not as a prefix
EXACT = {"grassroots": "shared"}
RANKED = [(prefix, rank) for rank, (_name, prefixes) in enumerate(LADDER) for prefix in prefixes]


def rank_of(module: str) -> int | None:
    if module in EXACT:
        return [name for name, _prefixes in LADDER].index(EXACT[module])
    matches = [(len(p), rank) for p, rank in RANKED if module == p or module.startswith(p + ".")]
    return max(matches)[1] if matches else None


def _modules():
    for path in sorted((ROOT / "grassroots").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from grassroots.access import rules` imports the module grassroots.access.rules
            submodules = [
                f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")
            ]
            for name in submodules or [node.module]:
                yield name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def upward_imports() -> list[str]:
    found = []
    for module, path in _modules():
        own = rank_of(module)
        if own is None or own == len(LADDER) - 1:
            continue
        for target, line in _imports(path):
            other = rank_of(target)
            if other is not None and other > own:
                where = f"{path.relative_to(ROOT)}:{line} ({LADDER[own][0]})"
                found.append(f"{where} imports {target} ({LADDER[other][0]})")
    return sorted(set(found))


def unranked() -> list[str]:
    return [str(path.relative_to(ROOT)) for module, path in _modules() if rank_of(module) is None]


def test_no_package_imports_upward():
    assert upward_imports() == []


def test_every_module_has_a_layer():
    assert unranked() == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("grassroots.areas.models", "tree"),
        ("grassroots.accounts.roles", "tree"),
        ("grassroots.access.scoping", "access"),
        ("grassroots.access.rules", "access"),
        ("grassroots.accounts.addresses", "shared"),
        ("grassroots.workbooks", "shared"),
        ("grassroots", "shared"),
        ("grassroots.clock.registry", "clock"),
        ("grassroots.files.services", "files"),
        ("grassroots.workflow.models", "workflow"),
        ("grassroots.audit.services", "audit"),
        ("grassroots.imports.runner", "imports"),
        ("grassroots.operations.tasks", "apps"),
        ("grassroots.accounts.models", "apps"),
        ("grassroots.areas.views.tree", "apps"),
        ("grassroots.core.members.models", "apps"),
    ],
)
def test_the_ladder_places_modules_by_their_longest_prefix(module, layer):
    assert LADDER[rank_of(module)][0] == layer


def _craft(tmp_path, monkeypatch, relative: str, text: str) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)


@pytest.mark.parametrize(
    ("relative", "text", "reported"),
    [
        (
            "grassroots/access/bad.py",
            "def f():\n    from grassroots.workflow.models import WorkflowModel\n",
            "grassroots/access/bad.py:2 (access) imports grassroots.workflow.models (workflow)",
        ),
        (  # the cycle that was broken: the audit trail may not use imports' helpers
            "grassroots/audit/views.py",
            "from grassroots.imports.xlsx import SafeWorkbook\n",
            "grassroots/audit/views.py:1 (audit) imports grassroots.imports.xlsx (imports)",
        ),
        (
            "grassroots/clock/apps.py",
            "from grassroots.portal.navigation import register\n",
            "grassroots/clock/apps.py:1 (clock) imports grassroots.portal.navigation (apps)",
        ),
        (
            "grassroots/files/services.py",
            "def purge():\n    from grassroots.imports.models import ImportJob\n",
            "grassroots/files/services.py:2 (files) imports grassroots.imports.models (imports)",
        ),
        (
            "grassroots/workbooks.py",
            "import grassroots.accounts.models\n",
            "grassroots/workbooks.py:1 (shared) imports grassroots.accounts.models (apps)",
        ),
    ],
)
def test_the_check_sees_an_upward_import(tmp_path, monkeypatch, relative, text, reported):
    """The check itself, on crafted modules: each upward import is reported."""
    _craft(tmp_path, monkeypatch, relative, text)
    assert upward_imports() == [reported]


def test_the_check_sees_a_module_of_no_layer(tmp_path, monkeypatch):
    _craft(tmp_path, monkeypatch, "grassroots/newpart/models.py", "")
    _craft(tmp_path, monkeypatch, "grassroots/audit/models.py", "")
    assert unranked() == ["grassroots/newpart/models.py"]
