"""The packages stand in layers and no module imports upward (docs/architecture.md, "Layers"):

    tree        the area tree and the role catalog     grassroots.areas.models, areas.subtree, accounts.roles
    access      the scoping function and the rules     grassroots.access
    mechanisms  workflow and imports                   grassroots.workflow, grassroots.imports
    apps        accounts' and areas' pages, the parts  grassroots.accounts, .areas, .core …

A module belongs to the layer of its longest listed prefix. Every import counts, also one inside a function
(a deferred import is still a dependency). Packages outside the ladder (files, clock, audit, operations,
settings) are not ranked."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LADDER = [
    ("tree", ("grassroots.areas.models", "grassroots.areas.subtree", "grassroots.accounts.roles")),
    ("access", ("grassroots.access",)),
    ("mechanisms", ("grassroots.workflow", "grassroots.imports")),
    (
        "apps",
        (
            "grassroots.accounts",
            "grassroots.areas",
            "grassroots.core",
            "grassroots.gatherings",
            "grassroots.documents",
            "grassroots.privacy",
            "grassroots.portal",
            "grassroots.api",
            "grassroots.demo",
        ),
    ),
]
RANKED = [(prefix, rank) for rank, (_name, prefixes) in enumerate(LADDER) for prefix in prefixes]


def rank_of(module: str) -> int | None:
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


def test_no_package_imports_upward():
    assert upward_imports() == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("grassroots.areas.models", "tree"),
        ("grassroots.accounts.roles", "tree"),
        ("grassroots.access.scoping", "access"),
        ("grassroots.access.rules", "access"),
        ("grassroots.workflow.models", "mechanisms"),
        ("grassroots.imports.runner", "mechanisms"),
        ("grassroots.accounts.models", "apps"),
        ("grassroots.areas.views.tree", "apps"),
        ("grassroots.core.members.models", "apps"),
    ],
)
def test_the_ladder_places_modules_by_their_longest_prefix(module, layer):
    assert LADDER[rank_of(module)][0] == layer


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The check itself: a module of the access layer importing workflow is reported."""
    package = tmp_path / "grassroots" / "access"
    package.mkdir(parents=True)
    (package / "bad.py").write_text("def f():\n    from grassroots.workflow.models import WorkflowModel\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert upward_imports() == [
        "grassroots/access/bad.py:2 (access) imports grassroots.workflow.models (mechanisms)"
    ]
