"""Which office a question is about: full name, short name, alias, pinyin, or a small typo.

Matching is in two passes. The exact pass finds every name/alias (Chinese, or pinyin written with or
without spaces) in the text; a longer match beats a shorter one it contains (「示范区红旗街道」 beats
「红旗」). The fuzzy pass runs only on what is left after the metric, year and question words are masked,
and compares jieba words by pinyin (so the homophone typo 「鹿善」 is 鹿山) and by rapidfuzz ratio. When one
place in the text fits two offices equally, the match is *ambiguous* and the bot asks back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz, process

from bot.pinyin import spell, split_pinyin
from bot.questions import segment

try:  # storage is a sibling package; its alias rules are pure functions
    from storage.aliases import aliases_for, normalise, split_region
except ImportError:  # pragma: no cover - only while storage is being built
    def aliases_for(name: str, short_name: str = "", kind: str = "") -> list[str]:  # type: ignore[misc]
        return [name, short_name]

    def normalise(name: str) -> str:  # type: ignore[misc]
        return (name or "").lower().strip()

    def split_region(name: str) -> tuple[str, str]:  # type: ignore[misc]
        return "", name


class OfficeLike(Protocol):
    """The fields of ``storage.types.OfficeInfo`` the parser reads."""

    id: int
    name: str
    short_name: str
    kind: str
    aliases: list[str]


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_LATIN_TOKEN = re.compile(r"[a-z]+")
_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "人民政府", "政府", "乡", "镇", "街")
EN_STOP = {
    "what", "which", "who", "whom", "how", "many", "much", "the", "and", "for", "with", "from", "that", "this",
    "year", "last", "report", "reports", "office", "offices", "street", "subdistrict", "district", "town",
    "township", "have", "has", "had", "did", "does", "were", "was", "are", "is", "its", "their", "there",
    "been", "more", "less", "than", "most", "least", "total", "compare", "compared", "versus", "show", "tell",
    "please", "give", "list", "about", "average", "number", "count", "rank", "ranking", "into", "next", "each",
    "all", "every", "yet", "not", "still", "wrong", "error", "errors", "problem", "problems", "issues", "issue",
    "what's", "whats", "between", "change", "changed", "increase", "decrease", "top", "highest", "lowest",
    "fewest", "biggest", "largest", "smallest", "submitted", "submit", "filed", "missing", "failed", "validation",
    "rate", "percent", "percentage", "value", "ones", "them", "they", "some", "any", "get", "got",
}


#: Words of a question that are never an office name, however close their pinyin is to one.
ZH_STOP = set(segment.DOMAIN_WORDS) | {
    "年报", "报告", "年度报告", "单位", "街道", "哪个", "哪些", "哪家", "多少", "什么", "怎么", "怎么样", "一共", "所有",
    "全部", "今年", "去年", "前年", "数据", "情况", "请问", "帮我", "一下", "查询", "查一下", "告诉", "还没", "没交",
    "提交", "报送", "上报", "谁", "各个", "各单位", "全区", "全县", "全市", "排名", "平均", "合计", "总数", "申请",
    "数量", "几个", "几件", "问题", "错误", "校验", "通过", "结果", "比较", "对比", "年度", "本年", "上年", "是否",
    "有没有", "信息", "政府", "公开", "工作", "办事处", "乡镇", "部门", "机关", "你好", "谢谢", "天气",
}


@dataclass
class OfficeMatch:
    """Offices found in a question, in the order mentioned; ``ambiguous`` holds tied candidates."""

    offices: list[OfficeLike] = field(default_factory=list)
    ambiguous: list[OfficeLike] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _strip_suffix(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


class OfficeIndex:
    """Name keys of a chat's offices, built once per office list (see :func:`index_for`)."""

    def __init__(self, offices: list[OfficeLike]) -> None:
        self.offices = list(offices)
        self.cjk: dict[str, list[int]] = {}  # Chinese key → office positions
        self.latin: dict[str, list[int]] = {}  # compact pinyin key → office positions
        self.pinyin_core: list[tuple[str, int]] = []  # (compact pinyin of a Chinese key, position)
        for pos, office in enumerate(self.offices):
            keys = {normalise(k) for k in aliases_for(office.name, office.short_name, office.kind)}
            keys |= {normalise(a) for a in office.aliases}
            keys |= {normalise(office.name), normalise(office.short_name)}
            for key in keys:
                key = key.replace(" ", "") if _CJK_RE.search(key) else key
                if not key:
                    continue
                if _CJK_RE.search(key):
                    if len(key) >= 2 and key not in ("街道", "办事处", "政府", "人民政府"):
                        self._add(self.cjk, key, pos)
                        pinyin = spell(key)
                        self.pinyin_core.append((pinyin, pos))
                else:
                    compact = _compact(key)
                    if len(compact) >= 3:
                        self._add(self.latin, compact, pos)
        self.cjk_keys = sorted(self.cjk, key=len, reverse=True)
        usable = [(p, pos) for p, pos in self.pinyin_core if len(p) >= 4]
        self.pinyin_keys = [p for p, _ in usable]
        self.pinyin_pos = [pos for _, pos in usable]
        self.long_keys = [k for k in self.cjk_keys if len(k) >= 3]
        self.by_first: dict[str, list[str]] = {}  # first character → keys, longest first (fast scan)
        for key in self.cjk_keys:
            self.by_first.setdefault(key[0], []).append(key)
        segment.add_words([k for k in self.cjk_keys if len(k) <= 12])

    @staticmethod
    def _add(table: dict[str, list[int]], key: str, pos: int) -> None:
        bucket = table.setdefault(key, [])
        if pos not in bucket:
            bucket.append(pos)

    # -- exact ----------------------------------------------------------------------------------

    def exact(self, text: str, blocked: list[tuple[int, int]]) -> list[tuple[tuple[int, int], list[int]]]:
        """Exact name hits as (span, office positions), longest first, non-overlapping."""
        hits: list[tuple[tuple[int, int], list[int]]] = []
        for start, char in enumerate(text):
            for key in self.by_first.get(char, ()):
                if text.startswith(key, start):
                    hits.append(((start, start + len(key)), self.cjk[key]))
        if self.latin:
            tokens = [(m.group(), m.span()) for m in _LATIN_TOKEN.finditer(text)]
            for i in range(len(tokens)):
                joined = ""
                for j in range(i, min(i + 4, len(tokens))):
                    joined += tokens[j][0]
                    if joined in self.latin:
                        hits.append(((tokens[i][1][0], tokens[j][1][1]), self.latin[joined]))
        hits.sort(key=lambda h: -(h[0][1] - h[0][0]))
        chosen: list[tuple[tuple[int, int], list[int]]] = []
        for span, positions in hits:
            if _straddles(span, blocked) or any(span[0] < s[1] and s[0] < span[1] for s, _ in chosen):
                continue
            chosen.append((span, positions))
        chosen.sort(key=lambda h: h[0][0])
        return chosen

    # -- fuzzy ----------------------------------------------------------------------------------

    def fuzzy(self, text: str) -> list[tuple[float, int]]:
        """Best fuzzy candidates (score, office position) for the leftover words of a question."""
        scores: dict[int, float] = {}
        words = [w for w in segment.cut(text) if _CJK_RE.search(w)]
        candidates: set[str] = set()
        for i, word in enumerate(words):
            candidates.add(word)
            if i + 1 < len(words):
                candidates.add(word + words[i + 1])
        for cand in candidates:
            core = _strip_suffix(cand)
            if len(core) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", core):
                continue
            if core in ZH_STOP or cand in ZH_STOP or any(w in ZH_STOP for w in segment.cut(cand)[:1]):
                continue  # 「年报」 is not 南堡 (nanbao ≈ nianbao)
            pinyin = spell(core)
            # homophone or near-homophone (鹿善 = lushan): pinyin ratio, scaled so an exact sound wins
            for _, ratio, i in process.extract(pinyin, self.pinyin_keys, scorer=fuzz.ratio, score_cutoff=82 / 0.95,
                                               limit=20):
                score = 97.0 if ratio == 100 else ratio * 0.95
                pos = self.pinyin_pos[i]
                scores[pos] = max(scores.get(pos, 0), score)
            # one character off in a name of three or more (青石川 ≈ 青石山)
            for key, ratio, _ in process.extract(core, self.long_keys, scorer=fuzz.ratio, score_cutoff=66, limit=20):
                if abs(len(key) - len(core)) <= 1:
                    for pos in self.cjk[key]:
                        scores[pos] = max(scores.get(pos, 0), 80 + ratio / 10)
        tokens = [t for t in _LATIN_TOKEN.findall(text.lower()) if t not in EN_STOP]
        latin_cands = set()
        for i in range(len(tokens)):
            joined = ""
            for j in range(i, min(i + 3, len(tokens))):
                joined += tokens[j]
                latin_cands.add(joined)
        for cand in latin_cands:
            if len(cand) < 4:
                continue
            for key, positions in self.latin.items():
                if abs(len(key) - len(cand)) > 2:
                    continue
                score = fuzz.ratio(cand, key)
                threshold = 80 if len(key) >= 6 else 86
                if score >= threshold:
                    for pos in positions:
                        scores[pos] = max(scores.get(pos, 0), score)
        return sorted(((s, p) for p, s in scores.items()), reverse=True)


_REGION_PART = re.compile(r"[\u4e00-\u9fff]+?(?:自治区|自治州|省|市|区|县|旗|州|盟)")


def _region_named(text: str, name: str) -> bool:
    """True when ``text`` names a piece of the region in ``name`` (「铁岭」 of 「铁岭市银州区红旗街」)."""
    region, _ = split_region(name)
    for part in _REGION_PART.findall(region):
        for piece in (part, part[:-1]):
            if len(piece) >= 2 and piece in text:
                return True
    return False


_CACHE: dict[tuple, OfficeIndex] = {}


def index_for(offices: list[OfficeLike]) -> OfficeIndex:
    """The (cached) index of an office list; rebuilt only when the list changes."""
    key = tuple((o.id, o.name, o.short_name, tuple(o.aliases)) for o in offices)
    index = _CACHE.get(key)
    if index is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        index = OfficeIndex(offices)
        _CACHE[key] = index
    return index


def _straddles(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    """True when ``span`` cuts through a blocked span (neither contains the other)."""
    s, e = span
    for bs, be in blocked:
        if s < be and bs < e and not (bs <= s and e <= be) and not (s <= bs and be <= e):
            return True
    return False


def match_exact(text: str, offices: list[OfficeLike], *, blocked: list[tuple[int, int]] | None = None) -> OfficeMatch:
    """Offices named exactly in ``text`` (normalised lower case).

    ``blocked`` are spans of metric phrases: a name that cuts through one (alias 「鹿山办」 in
    「鹿山办结」) is not taken, so the shorter name 「鹿山」 and the phrase 「办结」 both survive.
    """
    index = index_for(offices)
    match = OfficeMatch()
    hits = index.exact(text, blocked or [])
    unique = {positions[0] for _, positions in hits if len(positions) == 1}
    for span, positions in hits:
        if len(positions) > 1:
            # 「示范区红旗街道 红旗…」 (a button re-ask): the full name already settles the short one
            if unique & set(positions):
                match.spans.append(span)
                continue
            # 「铁岭红旗街」: a piece of one candidate's region settles it
            by_region = [p for p in positions if _region_named(text, index.offices[p].name)]
            if len(by_region) == 1:
                positions = by_region
            else:
                if not match.ambiguous:
                    match.ambiguous = [index.offices[p] for p in positions]
                match.spans.append(span)
                continue
        office = index.offices[positions[0]]
        if all(o.id != office.id for o in match.offices):
            match.offices.append(office)
        match.spans.append(span)
    return match


def match_fuzzy(text: str, offices: list[OfficeLike]) -> OfficeMatch:
    """One office by a near miss (typo, homophone), or the tied candidates when two fit equally."""
    index = index_for(offices)
    ranked = index.fuzzy(text)
    if not ranked:
        return OfficeMatch()
    best = ranked[0][0]
    tied = [index.offices[p] for s, p in ranked if best - s < 2.5]
    if len(tied) > 1:
        return OfficeMatch(ambiguous=tied[:5])
    return OfficeMatch(offices=[tied[0]])


#: Pieces of a name too generic to pick an office by (「办公厅」 alone is every city's).
_GENERIC_PARTS = {"人民", "政府", "人民政府", "办公", "办公室", "办公厅", "委员会", "管理", "街道", "办事处", "社区", "中心",
                  "区政府", "市政府", "县政府", "公开", "信息", "工作", "部门", "单位", "乡镇", "农业", "服务", "综合"}


_RUN_FILLER = "的了在和与及里中是有个"
#: Words that end a name's run in a question (「上海的报告」 → 「上海」).
_NOT_NAME_WORDS = re.compile(r"[的了和与及跟吗呢谁]|年度报告|年报|报告|年度|情况|数据|一共|总共|多少|几个|几件|哪个|哪些|哪家|什么|怎么|是否|有没有")


def _inside(core: str, key: str) -> bool:
    """``core`` is a part of the name ``key``: a substring, or (four characters or more, same first
    character) its characters in order — 「上海办公厅」 in 上海市人民政府办公厅."""
    if core in key:
        return True
    if len(core) < 4 or core[0] != key[0]:
        return False
    rest = iter(key)
    return all(ch in rest for ch in core)


def match_partial(text: str, offices: list[OfficeLike]) -> OfficeMatch:
    """Offices whose name *contains* a word of the question (「上海」 → 上海市人民政府办公厅).

    Runs on what is left after the exact pass found nothing. Each word is a whole run of Chinese
    characters left in the question (so 「清石山」 is no part-name 「石山」 of 青石山: that is a typo, for the
    fuzzy pass, which says it guessed). A word inside exactly one office's name picks it (「上海和杭州」
    picks two); a word inside several (「示范区」) is ambiguous and the bot asks back. Pinyin counts when
    the name continues at a syllable boundary ("shanghai" + "shi…"; "wuxin" + "g" is a typo of wuxing,
    not a part). Generic words (「办公厅」) never count."""
    index = index_for(offices)
    found: list[int] = []
    ambiguous: list[int] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", _NOT_NAME_WORDS.sub(" ", text)):
        core = run.strip(_RUN_FILLER)
        if len(core) < 2 or core in ZH_STOP or core in _GENERIC_PARTS or _strip_suffix(core) in _GENERIC_PARTS:
            continue
        hits = sorted({pos for key, positions in index.cjk.items() if _inside(core, key) for pos in positions})
        ids = {index.offices[p].id for p in hits}
        if len(ids) == 1:
            found.append(hits[0])
        elif hits and not ambiguous:
            ambiguous = hits
    if not found and not ambiguous:
        spelled = [(key, [pos]) for key, pos in index.pinyin_core] + list(index.latin.items())
        for token in _LATIN_TOKEN.findall(text.lower().replace("'", "")):  # "Lin'an" = linan
            if token in EN_STOP or len(token) < 5 or split_pinyin(token) is None:
                continue
            hits = sorted({pos for key, positions in spelled
                           if key.startswith(token) and len(key) > len(token) and split_pinyin(key[len(token):])
                           for pos in positions})
            ids = {index.offices[p].id for p in hits}
            if len(ids) == 1:
                found.append(hits[0])
            elif hits and not ambiguous:
                ambiguous = hits
    if found:
        return OfficeMatch(offices=list({index.offices[p].id: index.offices[p] for p in found}.values()))
    if ambiguous:
        return OfficeMatch(ambiguous=list({index.offices[p].id: index.offices[p] for p in ambiguous}.values())[:8])
    return OfficeMatch()
