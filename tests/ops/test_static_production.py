"""Production static files: collectstatic with the storage production uses (WhiteNoise's compressed manifest)
must succeed on the front-end files scripts/build_assets.py copies, or every page answers 500."""

import importlib.util
import re
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def load_build_assets():
    spec = importlib.util.spec_from_file_location("build_assets", ROOT / "scripts" / "build_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_source_map_reference_resolves(tmp_path):
    vendor = tmp_path / "vendor"
    load_build_assets().build(dest=vendor)
    referenced = 0
    for path in vendor.rglob("*"):
        if path.suffix in {".js", ".css"}:
            for name in re.findall(rb"sourceMappingURL=([^\s*]+)", path.read_bytes()):
                referenced += 1
                assert (path.parent / name.decode()).is_file(), f"{path.name} points at a missing {name}"
    # bootstrap ships its maps: they are copied along, not stripped.
    assert referenced >= 2
    assert (vendor / "bootstrap" / "bootstrap.min.css.map").is_file()


def test_build_strips_a_reference_to_a_map_the_package_lacks(tmp_path):
    module = load_build_assets()
    node = tmp_path / "node_modules"
    for src in module.FILES:
        source = node / src
        if (module.NODE / src).is_dir():
            source.mkdir(parents=True, exist_ok=True)
            (source / "font.woff2").write_bytes(b"wOF2")
        else:
            source.parent.mkdir(parents=True, exist_ok=True)
            css = src.endswith(".css")
            comment = "/*# sourceMappingURL=x.css.map */" if css else "//# sourceMappingURL=x.js.map"
            source.write_text("a{}\n" + comment + "\n")
    module.build(dest=tmp_path / "vendor", node=node)
    for path in (tmp_path / "vendor").rglob("*.*s"):
        assert b"sourceMappingURL" not in path.read_bytes()
        assert path.read_bytes().startswith(b"a{}")


def test_collectstatic_with_the_production_storage(tmp_path, settings):
    vendor = tmp_path / "vendor"
    load_build_assets().build(dest=vendor)
    settings.STATICFILES_DIRS = [
        ("grassroots", ROOT / "grassroots" / "static" / "grassroots"),
        ("vendor", vendor),
    ]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest
