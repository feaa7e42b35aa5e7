"""From text to the words of the index, and from a query to the words it asks for.

Both sides go the same way: Traditional characters to Simplified (OpenCC `t2s`), lower case, then jieba
(`cut_for_search` for records: the long words and the shorter ones inside them; `cut` for queries: the
words a person meant), keeping only runs of letters and digits. A name also gets its full form, its pinyin
and its pinyin initials as words ("张三明" → 张三明 zhangsanming zsm), so that "zsm" or "张三" (a prefix)
finds it. Personal numbers never reach the index: any run of 6 or more digits is dropped from what is
indexed and from the stored summary (an ID or phone number typed into a description stays out of it).
"""

from __future__ import annotations

import functools
import logging
import re

from grassroots import pinyin
from grassroots.portal.search import holds_number

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d{6,}")
MAX_QUERY_WORDS = 8
MAX_TEXT = 20000
CACHED = 16_384  # texts and names whose words are kept (index_words, name_words)
CACHED_TEXT = 200  # up to this length


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def simplified(text: str) -> str:
    """`text` in Simplified characters (OpenCC t2s), lower case."""
    return _converter().convert(text or "").lower()


def without_numbers(text: str) -> str:
    return _NUMBER.sub("", text or "")


def _words(pieces) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        out.extend(_WORD.findall(piece))
    return out


def index_words(text: str) -> list[str]:
    """The words of a record's text for the index (numbers of 6+ digits dropped)."""
    if len(text) <= CACHED_TEXT:
        return list(_short_index_words(text))
    return _index_words(text)


def _index_words(text: str) -> list[str]:
    clean = simplified(without_numbers(text))[:MAX_TEXT]
    return _words(_jieba().cut_for_search(clean))


@functools.lru_cache(maxsize=CACHED)
def _short_index_words(text: str) -> tuple[str, ...]:
    """A short text's words, kept: an import indexes the same branch, unit or place names again and again
    (a 100,000-row members import: a few hundred branches)."""
    return tuple(_index_words(text))


def name_words(name: str) -> list[str]:
    """A name as words: itself, its jieba words, its full pinyin and its pinyin initials."""
    words = _name_words(name) if len(name) <= CACHED_TEXT else _name_words.__wrapped__(name)
    return list(words)


@functools.lru_cache(maxsize=CACHED)
def _name_words(name: str) -> tuple[str, ...]:
    clean = simplified(without_numbers(name)).strip()
    if not clean:
        return ()
    whole = "".join(_WORD.findall(clean))
    return (whole, *index_words(clean), pinyin.full(whole), pinyin.initials(whole))


def index_text(*, names=(), texts=()) -> str:
    """The index's text of a record: its names' words and its texts' words, one space between words."""
    words: list[str] = []
    for name in names:
        words.extend(name_words(name or ""))
    for text in texts:
        words.extend(index_words(text or ""))
    seen: dict[str, None] = dict.fromkeys(w for w in words if w)
    return " ".join(seen)


def query_words(query: str) -> list[str]:
    """The words a query asks for (each matched as a prefix): at most MAX_QUERY_WORDS, none a number."""
    if holds_number(query):
        return []
    clean = simplified(query)[:200]
    words = _words(_jieba().cut(clean))
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def summary(text: str, limit: int = 160) -> str:
    """A short plain summary to show in the results (numbers of 6+ digits shown as …)."""
    flat = " ".join(_NUMBER.sub("…", text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
