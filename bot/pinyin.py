"""Pinyin of Chinese names (鹿山 → lushan, 长安 → chang'an), without pypinyin's 42 MB phrase table.

pypinyin resolves polyphonic characters (长, 重, 厦 …) from a table of 47,000 phrases that costs about
42 MB in every process. Only phrases whose toneless reading differs from their characters' most
common readings change a result here (the bot never shows tones), so the bot loads pypinyin with
its documented ``PYPINYIN_NO_PHRASES`` switch and adds just those from ``data/pinyin_phrases.txt``
(3,400 phrases, 90 KB). Toneless readings match full pypinyin's (tests/bot/test_pinyin.py checks every
phrase). Regenerate the file after upgrading pypinyin: ``python -m bot.pinyin``.

Import pypinyin through this module only, so the switch is set before pypinyin first loads.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

from pypinyin import Style, lazy_pinyin, load_phrases_dict  # noqa: E402  (after the switch above)

TABLE = Path(__file__).with_name("data") / "pinyin_phrases.txt"


def _load(path: Path = TABLE) -> dict[str, list[list[str]]]:
    """The phrase table: one phrase per line, then its toned syllables («长安 cháng ān»)."""
    table: dict[str, list[list[str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        phrase, *syllables = line.split()
        if phrase and len(syllables) == len(phrase):
            table[phrase] = [[s] for s in syllables]
    return table


if TABLE.exists():  # missing only while it is being built
    load_phrases_dict(_load())


def syllables(text: str) -> list[str]:
    """「鹿山」 → ["lu", "shan"], toneless; text that is not Chinese comes back as it is."""
    return lazy_pinyin(text, style=Style.NORMAL)


def spell(text: str) -> str:
    """「鹿山」 → "lushan"."""
    return "".join(syllables(text))


#: Syllables of interjections (嗯 n, 呒 m …): never part of a place name, and they would let "since"
#: or "maximum" pass for pinyin.
_NOT_IN_NAMES = frozenset({"n", "m", "ng", "hm", "hng"})


@functools.cache
def _syllable_set() -> frozenset[str]:
    """Every toneless syllable (about 410), read once from pypinyin's own character readings."""
    readings = syllables("".join(chr(c) for c in range(0x4E00, 0x9FA6)))
    return frozenset(s for s in readings if s.isascii() and s.isalpha()) - _NOT_IN_NAMES


def split_pinyin(word: str) -> list[str] | None:
    """"lushan" → ["lu", "shan"]: ``word`` as the fewest toneless syllables, or None when it is no pinyin."""
    known = _syllable_set()
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for i in range(len(word)):
        here = best[i]
        if here is None:
            continue
        for j in range(min(len(word), i + 6), i, -1):  # no syllable is longer than 6 letters
            there = best[j]
            if word[i:j] in known and (there is None or len(here) + 1 < len(there)):
                best[j] = [*here, word[i:j]]
    return best[-1]


# Run in fresh interpreters: this one has pypinyin loaded without phrases.
_FULL = """
import json
from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
print(json.dumps({w: [[r[0] for r in p], "".join(lazy_pinyin(w, style=Style.NORMAL))]
                  for w, p in phrases_dict.items() if len(p) == len(w)}, ensure_ascii=False))
"""
_CHECK = """
import json, sys
from bot.pinyin import spell
print(json.dumps([w for w, want in json.loads(sys.stdin.read()).items() if spell(w) != want]))
"""


def _python(code: str, *, phrases: bool, stdin: str = "") -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYPINYIN_NO_PHRASES"}
    if not phrases:
        env["PYPINYIN_NO_PHRASES"] = "1"
    return subprocess.run([sys.executable, "-c", code], input=stdin, env=env, capture_output=True, text=True,
                          encoding="utf-8", check=True, cwd=Path(__file__).resolve().parent.parent).stdout


def build_table(path: Path = TABLE) -> int:
    """Write the smallest table that reads every pypinyin phrase as full pypinyin does; its size.

    Start with the phrases that differ from their characters' first readings, then add any phrase
    still read differently (a shorter phrase can capture part of a longer one) until none is left.
    """
    full = json.loads(_python(_FULL, phrases=True))
    wanted = {w: spelled for w, (_, spelled) in full.items()}
    path.write_text("", encoding="utf-8")
    table: set[str] = set(json.loads(_python(_CHECK, phrases=False, stdin=json.dumps(wanted))))
    for _ in range(5):
        path.write_text("".join(f"{w} {' '.join(full[w][0])}\n" for w in sorted(table)), encoding="utf-8")
        wrong = set(json.loads(_python(_CHECK, phrases=False, stdin=json.dumps(wanted)))) - table
        if not wrong:
            break
        table |= wrong
    return len(table)


if __name__ == "__main__":
    print(f"{build_table()} phrases written to {TABLE}")
