"""jieba, initialised once and quietly, with the domain words and office names as user words.

jieba builds its prefix dictionary lazily (about a second) and logs to stderr when it does; doing that
once per process, under a lock, keeps questions fast and the console clean.

Questions need jieba's common words and its place names, not its 73,000 personal names, 25,000 idioms
and long tail of rare words, so jieba is given a trimmed copy of its own dictionary (written once to
the temp directory): about 60 MB less memory for the bot, with the same answers.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import jieba

_LOCK = threading.Lock()
_READY = False
_ADDED: set[str] = set()

#: Words of the trade that must stay whole when a question is cut into words.
DOMAIN_WORDS = (
    "政府信息公开", "年度报告", "年报", "新收", "上年结转", "结转下年度", "予以公开", "部分公开", "不予公开",
    "无法提供", "不予处理", "其他处理", "办结", "行政复议", "行政诉讼", "复议", "诉讼", "维持", "纠正",
    "尚未审结", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "规范性文件", "规章", "公开率",
    "纠错率", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "街道", "办事处", "乡镇",
    "没交", "未交", "未提交", "哪个", "哪些", "多少", "最多", "最少", "平均", "比去年", "去年", "前年", "今年",
)


#: Dictionary tags questions never need: personal names (nr, nrt), idioms (i), set phrases (l),
#: morphemes (zg) and other proper nouns (nz). Place names (ns) are always kept, whatever their
#: frequency; any other word is kept when jieba has seen it at least ``_MIN_FREQ`` times.
_DROP_TAGS = frozenset({"nr", "nrt", "i", "l", "zg", "nz"})
_MIN_FREQ = 10


def _keep(line: bytes) -> bool:
    parts = line.split()
    if len(parts) != 3:
        return bool(parts)
    _, freq, tag = parts
    name = tag.decode("ascii", "replace")
    return name == "ns" or (name not in _DROP_TAGS and int(freq) >= _MIN_FREQ)


def trimmed_dictionary(source: Path | None = None, directory: Path | None = None) -> Path:
    """A copy of jieba's dictionary without what questions never need, written once and reused.

    The file is named by a hash of the source and the rule, so an upgraded jieba or a changed rule
    gets a fresh copy; it is written to a temporary name and renamed, so processes starting
    together never read half a file.
    """
    src = source or Path(jieba.__file__).with_name("dict.txt")
    data = src.read_bytes()
    key = hashlib.sha1(data + repr((sorted(_DROP_TAGS), _MIN_FREQ)).encode()).hexdigest()[:12]
    target = (directory or Path(tempfile.gettempdir())) / f"nianbao-jieba-{key}.txt"
    if not target.exists():
        kept = b"".join(line for line in data.splitlines(keepends=True) if _keep(line))
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            f.write(kept)
        os.replace(tmp, target)
    return target


def _init() -> None:
    global _READY
    jieba.setLogLevel(logging.WARNING)
    try:
        jieba.set_dictionary(str(trimmed_dictionary()))
    except OSError:  # a read-only temp directory: the full dictionary still answers, with more memory
        logging.getLogger(__name__).warning("jieba: using the full dictionary", exc_info=True)
    jieba.initialize()
    for word in DOMAIN_WORDS:
        jieba.add_word(word, freq=200000)
    posseg = _import_tagger()
    list(posseg.cut("西湖街道"))  # load the part-of-speech tags (place names) now, not mid-question
    _READY = True


# posseg's word → tag table is read from the same dictionary file as jieba's own word table, so its
# 350,000 words and tags would be a second copy of every string (~45 MB at its peak). The tagger is
# given a table with exactly the same entries that reuses jieba's word strings and one string per tag.


def _import_tagger() -> ModuleType:
    """``jieba.posseg``, imported without its private copy of the dictionary's strings."""
    if "jieba.posseg" in sys.modules:  # imported already (e.g. a question before warm-up): share now
        from jieba import posseg

        _share_tag_words(posseg)
        return posseg
    tokenizer = jieba.dt
    if not isinstance(getattr(tokenizer, "FREQ", None), dict):
        from jieba import posseg

        return posseg
    dict_file = tokenizer.get_dict_file
    tokenizer.get_dict_file = lambda: io.BytesIO(b"")  # posseg reads an empty table on import …
    try:
        from jieba import posseg
    finally:
        del tokenizer.get_dict_file
    table = _tag_table(dict_file(), list(tokenizer.FREQ))  # … and gets the shared one here
    table.update(posseg.dt.word_tag_tab)  # (entries the empty read added, if any: none expected)
    posseg.dt.word_tag_tab = table
    return posseg


def _tag_table(dict_file: Any, words: list[str]) -> dict[str, str]:
    """What ``POSTokenizer.load_word_tag`` builds, but keyed by jieba's own word strings.

    jieba's word table lists the dictionary's words in file order (each followed by its new
    prefixes), so the matching string is found a few steps ahead; a word not found keeps its own.
    """
    table: dict[str, str] = {}
    tags: dict[str, str] = {}
    at = 0
    with dict_file as f:
        for line in f:
            text = line.strip().decode("utf-8")
            if not text:
                continue
            word, _, tag = text.split(" ")
            key = word
            for i in range(at, min(at + 64, len(words))):
                if words[i] == word:
                    key, at = words[i], i + 1
                    break
            table[key] = tags.setdefault(tag, tag)
    return table


def _share_tag_words(posseg: Any) -> None:
    """Swap an already loaded tag table for one sharing jieba's word strings (same entries)."""
    tagger = getattr(posseg, "dt", None)
    table = getattr(tagger, "word_tag_tab", None)
    words = getattr(jieba.dt, "FREQ", None)
    if not isinstance(table, dict) or not isinstance(words, dict):
        return
    shared: dict[str, str] = {}
    for word in words:
        tag = table.get(word)
        if tag is not None:
            shared[word] = sys.intern(tag)
    if len(shared) != len(table):  # words only the tagger knows keep their own strings
        for word, tag in table.items():
            shared.setdefault(word, sys.intern(tag))
    tagger.word_tag_tab = shared


def add_words(words: list[str]) -> None:
    """Teach jieba office names and aliases (each only once per process)."""
    new = [w for w in words if w and w not in _ADDED]
    if not new and _READY:
        return
    with _LOCK:
        if not _READY:
            _init()
        for word in new:
            if word not in _ADDED:
                jieba.add_word(word, freq=100000)
                _ADDED.add(word)


def cut(text: str) -> list[str]:
    """Words of ``text`` (precise mode), without blanks."""
    if not _READY:
        add_words([])
    return [w for w in jieba.lcut(text) if w.strip()]


def known(word: str) -> bool:
    """True when ``word`` is a common word of jieba's dictionary or of the trade.

    False for a word jieba's finder had to guess and for an office name taught by :func:`add_words`
    (the process serves many chats: 鹿山 learnt from one is still a name, not a word, in another).
    """
    if not _READY:
        add_words([])
    return word not in _ADDED and bool(jieba.dt.FREQ.get(word))


def warm_up() -> None:
    """Load jieba's dictionary and tagger now (about two seconds) instead of on the first question, and
    the pinyin syllables English questions are checked against (a third of a second)."""
    add_words([])
    from bot.pinyin import split_pinyin

    split_pinyin("lushan")
