"""What the journeys do again and again, by what a person sees (labels, roles, link names), not by layout."""

from __future__ import annotations

import re
import time

import pytest

pytest.importorskip("playwright", reason="the playwright package is not installed (make install-dev)")

from playwright.sync_api import Page, expect


def unique(prefix: str) -> str:
    """A name no earlier run on the same server used (E2E_BASE_URL runs reuse one database)."""
    return f"{prefix}{time.time_ns() // 1_000_000 % 10**9:09d}"


def field(page: Page, label: str):
    """The form control labelled `label` (a required field's label ends in “*”)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def act(page: Page, label: str, comment: str = "") -> None:
    """Take the workflow step `label` on a record's page (its button opens the comment form), then confirm."""
    step = page.locator("details", has=page.locator("summary", has_text=label)).first
    step.locator("summary").click()
    if comment:
        step.get_by_role("textbox").first.fill(comment)
    step.get_by_role("button", name=f"确认{label}").click()
    page.wait_for_load_state()


def see(page: Page, *texts: str) -> None:
    """Each text is on the page's main part."""
    main = page.locator("main")
    for text in texts:
        expect(main).to_contain_text(text)


def switch_language(page: Page, language: str) -> None:
    """The top bar's language menu (its button is named 语言 / Language); each language in its own name."""
    page.get_by_role("button", name=re.compile("^(语言|Language)$")).click()
    page.get_by_role("button", name=language, exact=True).click()
    page.wait_for_load_state()


def menu(page: Page, href: str) -> None:
    """Follow the menu entry that leads to `href`; on a phone, the bottom bar's 更多 first when the entry is
    not among the few shown there."""
    entry = page.locator(f"nav a[href='{href}']:visible")
    if not entry.count():
        page.get_by_role("button", name="更多").click()
    entry.first.click()
    page.wait_for_load_state()


def in_english(page: Page, *labels: str, back: bool = True) -> None:
    """Read the page once in English, as a person would switch to it: the top bar's language menu, then
    each of `labels` (this page's English: its heading, a section, a button) on the page, which says
    lang="en" — a string left untranslated fails here. Then back to 中文 for the rest of the journey
    (`back=False` when the journey ends on this page). One switch per journey file (issue 13)."""
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    body = page.locator("body")
    for label in labels:
        expect(body).to_contain_text(label, use_inner_text=True)
    if back:
        switch_language(page, "简体中文")
        expect(page.locator("html")).to_have_attribute("lang", re.compile("^zh"))
