"""Office names people type: 鹿山, 鹿山街道, 鹿山街道办事处, lushan … all mean 富阳区鹿山街道.

Pure functions (no database) so the alias rules are easy to test and reuse by the questions parser.
"""

from __future__ import annotations

import re
import unicodedata

from bot.pinyin import syllables as pinyin_syllables

# A leading administrative region: 浙江省 杭州市 富阳区 … (each part 2–8 characters).
_REGION_PART_RE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:省|自治区|自治州|地区|盟|市|区|县|旗)")
# Suffixes of a 街道 / 乡镇 name, longest first.
_STREET_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "街")
_TOWN_SUFFIXES = ("镇人民政府", "乡人民政府", "镇政府", "乡政府", "镇", "乡")
_GENERIC = {"人民政府", "政府", "办公室", "街道", "街道办事处", "办事处"}
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def normalise(name: str) -> str:
    """The form aliases are stored and looked up in: NFKC, lower case, single spaces, trimmed."""
    text = unicodedata.normalize("NFKC", name or "").lower().strip()
    return re.sub(r"\s+", " ", text)


def split_region(name: str) -> tuple[str, str]:
    """(region, rest): 「富阳区鹿山街道」 → (「富阳区」, 「鹿山街道」); no region → ("", name).

    The rest must stay a real name (≥2 characters, not just 「街道」 or 「人民政府」), so 「富阳区鹿山新区街道」
    splits after 「富阳区」, not after 「鹿山新区」.
    """
    name = normalise(name).replace(" ", "")
    cuts: list[int] = []
    pos = 0
    while (m := _REGION_PART_RE.match(name, pos)) is not None:
        pos = m.end()
        cuts.append(pos)
    for cut in reversed(cuts):
        rest = name[cut:]
        if len(rest) >= 2 and rest not in _GENERIC and not rest.startswith(("人民政府", "政府")):
            return name[:cut], rest
    return "", name


def guess_kind(name: str) -> str:
    """An office kind (OFFICE_KINDS) from the name alone, for roster entries typed by hand."""
    n = normalise(name).replace(" ", "")
    if n.endswith(_STREET_SUFFIXES):
        return "街道"
    if n.endswith(_TOWN_SUFFIXES):
        return "乡镇"
    if n.endswith(("区人民政府", "县人民政府", "市人民政府", "区政府", "县政府", "旗人民政府")):
        return "区县政府"
    if re.search(r"(局|委员会|委|办公室|办|中心|厅|院|所|队)$", n):
        return "部门"
    return "其他"


def core_name(name: str, kind: str = "") -> str:
    """The bare place name: 「鹿山街道办事处」 → 「鹿山」, 「新登镇」 → 「新登」 ('' when unsure)."""
    _, rest = split_region(name)
    suffixes: tuple[str, ...] = ()
    if kind == "街道" or rest.endswith(_STREET_SUFFIXES):
        suffixes = _STREET_SUFFIXES
    elif kind == "乡镇" or rest.endswith(_TOWN_SUFFIXES):
        suffixes = _TOWN_SUFFIXES
    for suffix in suffixes:
        if rest.endswith(suffix) and len(rest) - len(suffix) >= 2:
            return rest[: -len(suffix)]
    return ""


def pinyin_of(text: str) -> list[str]:
    """「鹿山」 → ["lushan", "lu shan"] (only for pure Chinese text)."""
    if not text or not _CJK.match(text):
        return []
    syllables = pinyin_syllables(text)
    return ["".join(syllables), " ".join(syllables)]


def aliases_for(name: str, short_name: str = "", kind: str = "") -> list[str]:
    """Every normalised alias of an office, the full name first, without duplicates."""
    full = normalise(name)
    out: list[str] = [full, full.replace(" ", "")]
    region, rest = split_region(full)
    if region:
        out.append(rest)
    core = core_name(full, kind)
    if core:
        if rest.endswith(("乡", "乡人民政府", "乡政府")):
            variants = [core + s for s in ("乡", "乡人民政府", "乡政府")]
        elif kind == "乡镇" or rest.endswith(_TOWN_SUFFIXES):
            variants = [core + s for s in ("镇", "镇人民政府", "镇政府")]
        else:
            variants = [core + s for s in ("街道办事处", "办事处", "街道", "街")]
        out.extend(variants)
        out.append(core)
        if region:
            out.append(region + core)
        out.extend(pinyin_of(core))
    gov = re.match(r"^(.*?([\u4e00-\u9fff]{2,8}?)(区|县|市|旗))(?:人民)?政府$", full)
    if gov:  # 富阳区人民政府 → 富阳区, 富阳区政府, 富阳
        out.extend([gov.group(1), gov.group(1) + "政府", gov.group(2)])
        out.extend(pinyin_of(gov.group(2)))
    short = normalise(short_name)
    if short and short not in _GENERIC:
        out.append(short)
        out.extend(pinyin_of(short.replace(" ", "")))
    seen: set[str] = set()
    result = []
    for alias in out:
        if alias and alias not in seen:
            seen.add(alias)
            result.append(alias)
    return result
