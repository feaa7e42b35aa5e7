"""Keep the message files complete: the source strings are Chinese, so zh_Hans translates each string to
itself and en carries the English translation.

    python scripts/i18n.py update              # makemessages for en and zh_Hans, fill zh_Hans, drop obsolete
    python scripts/i18n.py todo OUT.json [N]   # untranslated en entries, in chunks of N, for translating
    python scripts/i18n.py apply IN.json...    # write translations ([{"msgid", "msgid_plural"?, "en": ..}])
    python scripts/i18n.py check               # exit 1 when an entry is untranslated or fuzzy
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "grassroots" / "locale"
EN = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
HEADER = {
    "Project-Id-Version": "grassroots",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def _key(entry) -> str:
    return (entry.msgctxt or "") + "\x04" + entry.msgid + "\x00" + (entry.msgid_plural or "")


def update() -> None:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "-l",
            "zh_Hans",
            "--no-location",
            "--ignore=.venv/*",
            "--ignore=node_modules/*",
            "--ignore=tests/*",
            "--ignore=bench/*",
            "-v",
            "0",
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DEBUG": os.environ.get("DEBUG", "1")},  # development settings: no keys needed
    )
    for path, language, plural in (
        (EN, "en", "nplurals=2; plural=(n != 1);"),
        (ZH, "zh_Hans", "nplurals=1; plural=0;"),
    ):
        po = polib.pofile(str(path), wrapwidth=0)
        po.metadata.update(HEADER | {"Language": language, "Plural-Forms": plural})
        for volatile in (
            "POT-Creation-Date",
            "PO-Revision-Date",
            "Report-Msgid-Bugs-To",
            "Last-Translator",
            "Language-Team",
        ):
            po.metadata.pop(volatile, None)
        for entry in po.obsolete_entries():
            po.remove(entry)
        for entry in po:
            if language == "zh_Hans":
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid}
                else:
                    entry.msgstr = entry.msgid
            if language == "zh_Hans" and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if "fuzzy" not in entry.flags:  # msgmerge drops these on its next run: drop them now (idempotent)
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        po.metadata_is_fuzzy = False
        po.header = "Grassroots message file. Source strings are Simplified Chinese; see scripts/i18n.py."
        po.save(str(path))


def _untranslated(po):
    forms = 1 if "nplurals=1" in po.metadata.get("Plural-Forms", "") else 2
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            yield entry
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.get(i) for i in range(forms)):
                yield entry
        elif not entry.msgstr:
            yield entry


def todo(out: str, size: int = 0) -> None:
    po = polib.pofile(str(EN), wrapwidth=0)
    items = [
        {"msgctxt": e.msgctxt, "msgid": e.msgid, "msgid_plural": e.msgid_plural or None, "en": ""}
        for e in _untranslated(po)
    ]
    chunks = [items] if not size else [items[i : i + size] for i in range(0, len(items), size)]
    for number, chunk in enumerate(chunks):
        target = Path(out if len(chunks) == 1 else out.replace(".json", f"-{number}.json"))
        target.write_text(json.dumps(chunk, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{target}: {len(chunk)} entries")


def apply(paths: list[str]) -> None:
    po = polib.pofile(str(EN), wrapwidth=0)
    by_key = {_key(e): e for e in po}
    done = 0
    for path in paths:
        for item in json.loads(Path(path).read_text(encoding="utf-8")):
            entry = by_key.get(
                (item.get("msgctxt") or "")
                + "\x04"
                + item["msgid"]
                + "\x00"
                + (item.get("msgid_plural") or "")
            )
            english = item.get("en")
            if entry is None or not english:
                continue
            if entry.msgid_plural:
                forms = english if isinstance(english, list) else [english, english]
                entry.msgstr_plural = {0: forms[0], 1: forms[-1]}
            else:
                entry.msgstr = english if isinstance(english, str) else english[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            done += 1
    po.save(str(EN))
    print(f"applied {done} translations")


def check() -> int:
    missing = 0
    for path in (EN, ZH):
        bad = list(_untranslated(polib.pofile(str(path), wrapwidth=0)))
        for entry in bad[:20]:
            print(f"{path.relative_to(ROOT)}: untranslated {entry.msgid!r}")
        missing += len(bad)
    print("message files complete" if not missing else f"{missing} untranslated entries")
    return 1 if missing else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["check"]
    if command == "update":
        update()
    elif command == "todo":
        todo(args[0], int(args[1]) if len(args) > 1 else 0)
    elif command == "apply":
        apply(args)
    else:
        sys.exit(check())
