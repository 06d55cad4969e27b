"""Wording of answers, Chinese and English: short lines for phone screens, the number first."""

from __future__ import annotations

from bot.pinyin import spell
from bot.questions.metrics import Metric

EXAMPLES_ZH = ("{a}{y}年收到多少申请？", "哪个街道申请最多？", "今年谁还没交年报？")
EXAMPLES_EN = ("How many applications did {a} receive in {y}?", "Which office had the most applications?",
               "Who has not submitted yet?")


def chatter(lang: str) -> str:
    """The reply to 「收到」「好的谢谢」 in a private chat (a group reply to the bot gets none): one line."""
    if lang == "en":
        return "👌 Ask me about the reports any time, e.g. “Which office had the most applications?”"
    return "👌 有问题随时问，例如：哪个街道申请最多？"


def same_as_shown(value: float, number: float, metric: Metric) -> bool:
    """Whether ``value`` equals what was asked at the precision the bot prints: 14.38% is 「14.4%」, so
    「公开率是不是14.4%」 is 是 — a user can only type back what the bot showed."""
    if metric.is_rate:
        return pct(value) == pct(number)
    return abs(value - number) < 1e-9


def num(value: float | int | None) -> str:
    """3 → "3", 2.5 → "2.5", 1.23456 → "1.2346" (fees have 4 decimals)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def pct(value: float) -> str:
    """0.8333 → "83.3%"."""
    return f"{value * 100:.1f}%".replace(".0%", "%")


def amount(value: float | None, metric: Metric, lang: str) -> str:
    """A metric value with its unit: "3件", "83.3%", "3", "1.5 ×10k yuan"."""
    if value is None:
        return "—"
    if metric.is_rate:
        return pct(value)
    if lang == "en":
        return f"{num(value)}{metric.unit_en}"
    return f"{num(value)}{metric.unit_zh}"


def pinyin_title(text: str) -> str:
    """「鹿山」 → "Lushan" (for English replies)."""
    return spell(text).title()


def office_label(office: object, lang: str) -> str:
    """The full name; in English followed by the pinyin of the short name: 「富阳区鹿山街道 (Lushan)」."""
    name = getattr(office, "name", "")
    if lang != "en":
        return name
    short = getattr(office, "short_name", "") or ""
    return f"{name} ({pinyin_title(short)})" if short and not short.isascii() else name


def year_label(year: int | None, lang: str) -> str:
    """2021 → 「2021年度」 / "2021"."""
    if year is None:
        return "年份不明" if lang == "zh" else "year unknown"
    return f"{year}年度" if lang == "zh" else str(year)


def where(metric: Metric, lang: str) -> str:
    """「表3 本年新收·总计」 / "Table 3 new applications received · total"."""
    return metric.where if lang == "zh" else metric.where_en


def not_understood(lang: str, short_name: str = "", year: int = 2021, *, nearest: str = "", unread: str = "") -> str:
    """The reply to a question the bot cannot read: which words it could not place, the nearest
    question that works (``nearest``), and example questions."""
    if lang == "en":
        a = pinyin_title(short_name) if short_name else "Lushan"
        why = f" (I can't look up “{unread}”)" if unread else ""
        lines = [f"Sorry, I didn't understand that{why}."]
        if nearest:
            lines.append(f"Nearest question that works: {nearest}")
        lines.append("Or try for example:" if nearest else "Try for example:")
        lines += [f"• {q.format(a=a, y=year)}" for q in EXAMPLES_EN if q.format(a=a, y=year) != nearest]
        return "\n".join(lines)
    a = short_name or "鹿山"
    why = f"（“{unread}”不是年报表格里能查到的项目）" if unread else ""
    lines = [f"没看懂这个问题{why}。"]
    if nearest:
        lines.append(f"最接近的问法：{nearest}")
    lines.append("也可以这样问：" if nearest else "可以这样问：")
    lines += [f"• {q.format(a=a, y=year)}" for q in EXAMPLES_ZH if q.format(a=a, y=year) != nearest]
    return "\n".join(lines)


def nearest(lang: str, short_name: str, year: int, metric: Metric | None) -> str:
    """A working question built from what was read: the office, the year and the number (or applications)."""
    if lang == "en":
        a = pinyin_title(short_name) if short_name and not short_name.isascii() else (short_name or "Lushan")
        if metric is None:
            return f"How many applications did {a} receive in {year}?"
        return f"What was {a}'s {metric.en} in {year}?"
    a = short_name or "鹿山"
    if metric is None:
        return f"{a}{year}年收到多少申请？"
    what = metric.zh.split("·")[0]
    return f"{a}{year}年{what}是多少？" if metric.is_rate else f"{a}{year}年{what}多少？"


def guessed(office: object, lang: str) -> str:
    """The first line of an answer for an office found by a near miss: whom it is for."""
    name = getattr(office, "name", "")
    if lang == "en":
        return f"(Taking this as {office_label(office, lang)}.)"
    return f"按“{name}”回答："


def hello(lang: str, short_name: str = "", year: int = 2021) -> str:
    """The reply to 「你好」 or "help": what the bot does, in two lines, and questions that work here."""
    if lang == "en":
        a = pinyin_title(short_name) if short_name else "Lushan"
        lines = ["Hello! I'm nianbao (年报助手). Send me an annual report file (docx/pdf/txt/html or a zip) "
                 "and I check it within seconds; or ask me, for example:"]
        lines += [f"• {q.format(a=a, y=year)}" for q in EXAMPLES_EN]
        lines.append("All commands: /help")
        return "\n".join(lines)
    a = short_name or "鹿山"
    lines = ["您好！我是年报助手：把年报文件（docx/pdf/txt/网页，或打包成zip）发给我，几秒内给出校验结论；"
             "也可以直接提问，例如："]
    lines += [f"• {q.format(a=a, y=year)}" for q in EXAMPLES_ZH]
    lines.append("全部命令：/help")
    return "\n".join(lines)


def join_names(names: list[str], lang: str, limit: int = 12) -> str:
    """「A、B、C等15个」 / "A, B, C and 12 more"."""
    shown = names[:limit]
    rest = len(names) - len(shown)
    if lang == "en":
        text = ", ".join(shown)
        return text + (f" and {rest} more" if rest else "")
    text = "、".join(shown)
    return text + (f"等{len(names)}个" if rest else "")
