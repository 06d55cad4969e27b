"""bot.pinyin: pypinyin without its phrase table gives the same toneless readings as with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot import pinyin

_FULL = """
import json, sys
from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
words = sorted(phrases_dict) + json.loads(sys.stdin.read())
print(json.dumps({w: "".join(lazy_pinyin(w, style=Style.NORMAL)) for w in words}, ensure_ascii=False))
"""

PLACES = ["鹿山", "长安", "重庆", "厦门", "六安", "乐清", "蚌埠", "朝阳", "银湖", "富阳区", "长河", "行政", "东阿"]


def _full_pypinyin(words: list[str]) -> dict[str, str]:
    """Readings from pypinyin with its whole phrase table, in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k != "PYPINYIN_NO_PHRASES"}
    out = subprocess.run([sys.executable, "-c", _FULL], input=json.dumps(words), env=env, capture_output=True,
                         text=True, encoding="utf-8", check=True).stdout
    return json.loads(out)


def test_readings_match_full_pypinyin_for_every_phrase_and_place() -> None:
    full = _full_pypinyin(PLACES)
    assert len(full) > 40_000
    differ = [w for w, spelled in full.items() if pinyin.spell(w) != spelled]
    # a few phrases read inside a longer phrase of the full table may segment differently
    assert len(differ) <= len(full) // 1000, differ[:20]
    assert not [w for w in PLACES if pinyin.spell(w) != full[w]]


def test_polyphonic_place_names_read_as_people_say_them() -> None:
    assert pinyin.spell("长安") == "changan"
    assert pinyin.spell("重庆") == "chongqing"
    assert pinyin.spell("厦门") == "xiamen"
    assert pinyin.syllables("鹿山") == ["lu", "shan"]
    assert pinyin.spell("abc") == "abc"


def test_phrase_table_is_loaded_without_pypinyins_own() -> None:
    from pypinyin import constants

    assert os.environ.get("PYPINYIN_NO_PHRASES") or "pypinyin" in sys.modules
    assert len(constants.PHRASES_DICT) < 10_000  # ours (3,400), not pypinyin's 47,000
    assert "长安" in constants.PHRASES_DICT


def test_table_lines_are_phrase_then_one_syllable_per_character() -> None:
    lines = pinyin.TABLE.read_text(encoding="utf-8").splitlines()
    assert 1_000 < len(lines) < 10_000
    for line in lines:
        phrase, *syllables = line.split()
        assert len(syllables) == len(phrase), line


def test_split_pinyin_reads_names_not_english():
    from bot.pinyin import split_pinyin

    assert split_pinyin("lushan") == ["lu", "shan"]
    assert split_pinyin("qingshishan") == ["qing", "shi", "shan"]
    assert split_pinyin("xian") == ["xian"]  # fewest syllables: 西安 typed together reads as one
    for english in ("applications", "received", "since", "maximum", "litigation", "total"):
        assert split_pinyin(english) is None, english
