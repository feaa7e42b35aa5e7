"""The interface is Chinese first and English second: both message files are complete, and an English
reader gets the English page (the .mo files are compiled by `make test` before pytest runs)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "grassroots" / "locale"


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_every_message_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    forms = 1 if language == "zh_Hans" else 2
    missing = [
        e.msgid
        for e in po
        if "fuzzy" in e.flags
        or (e.msgid_plural and not all(e.msgstr_plural.get(i) for i in range(forms)))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert missing == []
    assert len(po) > 500


def test_an_english_reader_gets_the_english_login_page(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/accounts/login/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get("/accounts/login/").content.decode()
    assert "Log in" in english and "登录" not in english
    assert "登录" in chinese
