"""A name's pinyin and pinyin initials ("张三明" → "zhangsanming", "zsm"), for the members' stored initials
and the search index's words. pypinyin costs tens of microseconds a name; a 100,000-row import asked for
each name three times (the record's initials, the index's initials and full pinyin), so both are kept for
the most recent names (bounded: a few megabytes). Every layer may import it."""

from __future__ import annotations

import functools

CACHED = 65_536


@functools.lru_cache(maxsize=CACHED)
def initials(text: str) -> str:
    """The pinyin initials of `text`, lower case (letters and digits that are not Han stay as they are)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


@functools.lru_cache(maxsize=CACHED)
def full(text: str) -> str:
    """The full pinyin of `text` without tones or spaces, lower case."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower()
