"""The index's words of names and short texts are kept once computed (an import indexes the same branch and
unit names again and again): the kept words are the computed ones, and a caller changing the list it got
does not change what the next caller gets."""

from __future__ import annotations

from grassroots import pinyin
from grassroots.search import text


def test_a_names_words_are_the_same_kept_or_computed_afresh():
    for name in ("张三明", "歐陽娜娜", "李 4", "Tom张", "", "王" * 250):
        first = text.name_words(name)
        first.append("changed by the caller")
        assert text.name_words(name) == list(text._name_words.__wrapped__(name))
    assert text.name_words("张三明")[0] == "张三明"
    assert text.name_words("张三明")[-2:] == ["zhangsanming", "zsm"]


def test_a_short_texts_words_are_the_same_kept_or_computed_afresh():
    for value in ("桥楼社区第一党支部", "雅安市人民医院", "电话 13812345678", "长" * 300):
        first = text.index_words(value)
        first.clear()
        assert text.index_words(value) == text._index_words(value)
    assert "13812345678" not in text.index_words("电话 13812345678")


def test_pinyin_of_a_name():
    assert (pinyin.initials("张三明"), pinyin.full("张三明")) == ("zsm", "zhangsanming")
    assert pinyin.initials("李梅") == "lm" and pinyin.initials("") == ""
