"""A version's body: chapters holding numbered items, as data (a list of dicts, what the API sends) and as the
plain text the edit page shows. The rules are `check_body`'s; the services call it for pages and API alike.

The text form, one line per chapter or item (an item may go on over several lines):

    # 3 组织生活
    3.1 每月固定一天为主题党日。
    3.2 “三会一课”按规定频次召开，会前备案、会后报告。 => orglife:compliance

`=> url_name` at the end of an item names the page that carries it out (one of links.LINK_TARGETS)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grassroots.documents.links import LINK_TARGETS

NUMBER = re.compile(r"^\d+(\.\d+)*$")
_CHAPTER = re.compile(r"^#\s*(\S+)\s+(.+)$")
_ITEM = re.compile(r"^(\d+(?:\.\d+)+)\s+(.+)$")
_LINK = re.compile(r"\s*=>\s*([a-z_]+:[a-z_]+)\s*$")
MAX_ITEMS = 500


def _error(message: str) -> ValidationError:
    return ValidationError({"body": ValidationError(message, code="invalid")})


def parse_text(text: str) -> list[dict]:
    """The text form → body data; a line that is neither a chapter nor an item before the first item is
    refused with its line number."""
    sections: list[dict] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        chapter = _CHAPTER.match(line)
        if chapter:
            sections.append({"number": chapter[1], "title": chapter[2].strip(), "items": []})
            continue
        item = _ITEM.match(line)
        if item and sections:
            sections[-1]["items"].append({"number": item[1], "text": item[2], "link": ""})
            continue
        if sections and sections[-1]["items"]:
            last = sections[-1]["items"][-1]
            last["text"] = f"{last['text']}\n{line}"
            continue
        raise _error(
            _("第 %(line)d 行无法识别：章以“# 章号 章名”开头，条目以“章号.序号 内容”开头。")
            % {"line": lineno}
        )
    for section in sections:
        for item in section["items"]:  # "=> url_name" ends an item (on its last line)
            found = _LINK.search(item["text"])
            if found:
                item["text"], item["link"] = item["text"][: found.start()].strip(), found[1]
    return sections


def render_text(sections) -> str:
    """Sections (with their items prefetched) → the text form."""
    lines = []
    for section in sections:
        lines.append(f"# {section.number} {section.title}")
        for item in section.items.all():
            lines.append(f"{item.number} {item.text}" + (f" => {item.link}" if item.link else ""))
        lines.append("")
    return "\n".join(lines).strip()


def check_body(sections: list[dict]) -> None:
    """The rules of a body: chapter numbers are numbers and unique; every item's number is its chapter's
    number followed by its own (“3.2” in chapter 3), unique in the version; items have text; links are pages
    of the fixed list. Raises a ValidationError on "body" naming the first fault."""
    seen_sections, seen_items = set(), set()
    count = 0
    for section in sections:
        number, title = str(section.get("number", "")).strip(), str(section.get("title", "")).strip()
        if not NUMBER.match(number) or not title:
            raise _error(_("章“%(number)s”须有数字章号和章名。") % {"number": number})
        if number in seen_sections:
            raise _error(_("章号 %(number)s 重复。") % {"number": number})
        seen_sections.add(number)
        for item in section.get("items", []):
            count += 1
            inumber = str(item.get("number", "")).strip()
            if not NUMBER.match(inumber) or not inumber.startswith(number + "."):
                raise _error(
                    _("条目“%(item)s”的编号须以所在章号 %(number)s 开头，如 %(number)s.1。")
                    % {"item": inumber, "number": number}
                )
            if inumber in seen_items:
                raise _error(_("条目编号 %(number)s 重复。") % {"number": inumber})
            seen_items.add(inumber)
            if not str(item.get("text", "")).strip():
                raise _error(_("条目 %(number)s 没有内容。") % {"number": inumber})
            link = item.get("link") or ""
            if link and link not in LINK_TARGETS:
                raise _error(
                    _("条目 %(number)s 的办理页面“%(link)s”不在可链接的页面之列。")
                    % {"number": inumber, "link": link}
                )
    if count > MAX_ITEMS:
        raise _error(_("条目不能超过 %(max)d 条。") % {"max": MAX_ITEMS})
