"""What a question asks for: the report cells behind a word like 「新收」「予以公开」「复议纠错率」.

A :class:`Metric` is a sum of cells, or a ratio of two sums (公开率, 纠错率). It is built from the
*concepts* found in a question — a 表3 row (or row group), an applicant column, a 表4 block and result,
a 表2 item — so "企业申请", "律所的部分公开" and "诉讼纠正" all come out of the same few tables instead
of one hand-written entry per combination. Phrase tables are matched longest first and each match
masks its span, so 「复议后起诉」 is not also read as 「复议」 and 「上年结转」 not as a year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.schema import (
    T2_EN,
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMN_LABELS_EN,
    T3_COLUMNS,
    T3_GROUP_LABELS,
    T3_GROUPS,
    T3_ROW_EN,
    T3_ROW_KEYS_2021,
    T3_ROW_SHORT,
    T4_COLUMN_EN,
    T4_COLUMN_LABELS,
)

Cell = tuple[str, str, str]  # (table, row, column) as in bot.schema.all_cell_keys


@dataclass(frozen=True)
class Metric:
    """A number a question asks for: ``sum(cells)``, or ``sum(cells) / (sum(denom) - sum(denom_minus))``.

    ``where`` names the place in the report (「表3 本年新收·总计」) so an answer can say where it looked.
    """

    key: str
    zh: str
    en: str
    where: str
    where_en: str
    cells: tuple[Cell, ...]
    denom: tuple[Cell, ...] = ()
    denom_minus: tuple[Cell, ...] = ()
    unit_zh: str = "件"
    unit_en: str = ""

    @property
    def is_rate(self) -> bool:
        """True for a percentage (公开率, 纠错率)."""
        return bool(self.denom)

    @property
    def all_cells(self) -> tuple[Cell, ...]:
        """Every cell the metric reads, without repeats."""
        return tuple(dict.fromkeys(self.cells + self.denom + self.denom_minus))


# -- concepts ------------------------------------------------------------------------------------
# A concept is (kind, value). Kinds: t3row, t3col, t4block, t4col, t2row, t2col, rate.
# t3row values are row keys, group keys ("g:deny"), or derived ("received_total").

Concept = tuple[str, str]

_ZH: list[tuple[str, Concept]] = []
_EN: list[tuple[str, Concept]] = []


def _zh(kind: str, value: str, *phrases: str) -> None:
    _ZH.extend((p, (kind, value)) for p in phrases)


def _en(kind: str, value: str, *phrases: str) -> None:
    _EN.extend((p, (kind, value)) for p in phrases)


# 表3 rows (Chinese). Generic words (「申请」) are weak: used only when no other row is named.
_zh("t3row", "received_total", "受理合计", "受理总数", "受理总量", "申请总量", "受理申请总数", "收到申请总量",
    "新收和结转", "新收加结转", "新收加上年结转")
_zh("t3row", "new_received", "本年新收", "新收", "收到", "受理", "新增申请", "新申请", "接收", "收了")
_zh("t3row", "carried_over", "上年结转", "上一年结转", "上年度结转", "从上年结转", "结转过来", "上年转入",
    "去年结转", "去年转过来", "去年遗留", "上年遗留")
_zh("t3row", "carried_forward", "尚未办结", "未办结", "还在办理", "结转下年度继续办理", "结转下年度", "结转下年", "结转到下一年", "结转至下年",
    "转入下年", "结转到明年", "结转", "没办完", "未办完", "还没办完", "没有办完", "没办结")
_zh("t3row", "total_processed", "（七）总计", "办结", "办理完毕", "办理完成", "处理了", "处理完", "答复了",
    "办理结果总计", "办理总数", "办了")
_zh("t3row", "granted", "予以公开", "全部公开", "同意公开", "准予公开", "公开了")
_zh("t3row", "partial", "部分公开", "区分处理")
_zh("t3row", "g:deny", "不予公开", "不公开", "拒绝公开", "不予以公开", "被拒绝", "拒绝", "被拒")
_zh("t3row", "deny_state_secret", "国家秘密", "涉密", "国家机密")
_zh("t3row", "deny_law", "其他法律行政法规禁止公开", "法律行政法规禁止", "法律法规禁止", "禁止公开")
_zh("t3row", "deny_3s1w", "三安全一稳定", "危及三安全", "危及安全稳定", "危及稳定")
_zh("t3row", "deny_third_party", "保护第三方合法权益", "第三方合法权益", "第三方")
_zh("t3row", "deny_internal", "三类内部事务信息", "内部事务信息", "内部事务")
_zh("t3row", "deny_process", "四类过程性信息", "过程性信息", "过程性")
_zh("t3row", "deny_enforcement_file", "行政执法案卷", "执法案卷")
_zh("t3row", "deny_admin_query", "行政查询事项", "行政查询", "查询事项")
_zh("t3row", "g:unable", "无法提供")
_zh("t3row", "unable_not_held", "本机关不掌握相关政府信息", "不掌握相关政府信息", "不掌握相关信息", "不掌握", "信息不存在")
_zh("t3row", "unable_needs_creation", "没有现成信息需要另行制作", "需要另行制作", "另行制作", "没有现成信息")
_zh("t3row", "unable_unclear", "补正后申请内容仍不明确", "申请内容仍不明确", "仍不明确", "内容不明确")
_zh("t3row", "g:noproc", "不予处理")
_zh("t3row", "noproc_petition", "信访举报投诉类申请", "信访举报投诉", "信访", "举报投诉", "投诉举报")
_zh("t3row", "noproc_repeat", "重复申请")
_zh("t3row", "noproc_publication", "要求提供公开出版物", "公开出版物", "出版物")
_zh("t3row", "noproc_mass", "无正当理由大量反复申请", "大量反复申请", "大量反复")
_zh("t3row", "noproc_confirm", "要求行政机关确认或重新出具已获取信息", "确认或重新出具", "重新出具")
_zh("t3row", "g:other", "其他处理")
_zh("t3row", "other_no_correction", "逾期不补正", "不补正", "未补正")
_zh("t3row", "other_fee_unpaid", "逾期未缴纳费用", "未按收费通知要求缴纳费用", "未缴纳费用", "未缴费", "不缴费")
_zh("t3row", "other_other", "其他处理中的其他", "其他处理·其他", "其他处理里的其他")
_zh("t3row", "*apply", "申请", "依申请")
# 表3 applicant columns.
_zh("t3col", "natural_person", "自然人", "个人申请", "公民", "群众", "个人", "老百姓", "居民", "市民", "百姓")
_zh("t3col", "commercial", "商业企业", "企业", "公司")
_zh("t3col", "research", "科研机构", "科研院所", "科研")
_zh("t3col", "social_welfare", "社会公益组织", "公益组织", "社会组织", "公益")
_zh("t3col", "legal_services", "法律服务机构", "律师事务所", "律所", "律师", "法律服务")
_zh("t3col", "other", "其他组织", "其他申请人", "其他类申请人", "其他类")
_zh("t3col", "*legal_persons", "法人或其他组织", "法人和其他组织", "法人")
# 表4.
_zh("t4block", "litigation_after_review", "复议后起诉", "经复议后起诉", "复议后诉讼")
_zh("t4block", "litigation_direct", "未经复议直接起诉", "直接起诉", "未经复议")
_zh("t4block", "*litigation", "行政诉讼", "诉讼", "起诉", "被诉", "官司", "应诉", "被告", "被人告")
_zh("t4block", "review", "行政复议", "复议")
_zh("t4col", "upheld", "结果维持", "维持")
_zh("t4col", "corrected", "结果纠正", "被纠正", "纠正", "纠错")
# Weak words (value ending in "~"): they name a column only beside the table part they qualify — 「复议输了」
# is 复议·结果纠正, but 「输了」 or 「微博发了」 alone name no cell (see ``build_metric``).
_zh("t4col", "corrected~", "输了", "输掉", "被撤销")
_zh("t4col", "other", "其他结果")
_zh("t4col", "pending", "尚未审结", "未审结", "还没审结", "在审", "未结案")
# Rates.
_zh("rate", "disclosure", "公开率", "公开比例", "公开比率", "实质公开率")
_zh("rate", "correction", "纠错率", "被纠错率", "纠正率", "败诉率")
_zh("rate", "completion", "办结率", "结案率", "完成率")
_zh("rate", "*share", "比例", "占比", "百分比", "比率", "百分之几", "几成")
# 表2.
_zh("t2row", "licensing", "行政许可", "许可")
_zh("t2row", "penalty", "行政处罚", "处罚")
_zh("t2row", "enforcement", "行政强制", "强制")
_zh("t2row", "fees_10k_yuan", "行政事业性收费", "收费金额", "收费", "收了多少钱")
_zh("t2row", "regulations", "规章")
_zh("t2row", "normative_documents", "行政规范性文件", "规范性文件", "规范文件")
_zh("t2col", "issued", "本年制发", "制发", "新制定", "制定", "印发", "发布", "出台")
_zh("t2col", "issued~", "发了", "新发", "发过")
_zh("t2col", "repealed", "本年废止", "废止", "废除", "取消")
_zh("t2col", "in_force", "现行有效", "有效")

_en("t3row", "received_total", "total caseload", "caseload", "new and carried over", "received plus carried over",
    "total applications handled", "applications in hand", "total received including carried over")
_en("t3row", "carried_forward", "carried over to next year", "carried over into next year", "carried forward",
    "carried into next year", "carried to next year", "carry forward", "carry-forward", "rolled over",
    "pending at year end", "left for next year", "still open at year end")
_en("t3row", "carried_over", "carried over from last year", "carried over from the previous year", "carried over",
    "carried-over", "carry-over", "carryover", "brought forward", "left over from last year")
_en("t3row", "new_received", "new applications", "new application", "new requests", "new request",
    "applications received", "requests received", "received", "newly received", "filed", "submitted applications")
_en("t3row", "partial", "granted in part", "partially granted", "partly granted", "partial disclosure",
    "partially disclosed", "disclosed in part", "partly disclosed", "partial grant", "partial")
_en("t3row", "granted", "grant in full", "granted in full", "fully granted", "grant", "grants", "disclosed in full", "fully disclosed", "granted",
    "disclosed", "released in full", "approved")
_en("t3row", "total_processed", "total processed", "processed", "handled", "completed", "concluded", "answered",
    "dealt with", "resolved", "closed")
_en("t3row", "g:deny", "refused", "refusal", "denied", "withheld", "not disclosed", "rejected", "refused disclosure",
    "non-disclosure")
_en("t3row", "deny_state_secret", "state secret", "state secrets", "classified")
_en("t3row", "deny_law", "prohibited by law", "prohibited by other laws", "forbidden by law", "other laws")
_en("t3row", "deny_3s1w", "security or stability", "security and stability", "endangers security",
    "three securities", "stability")
_en("t3row", "deny_third_party", "third party", "third-party", "third parties")
_en("t3row", "deny_internal", "internal affairs", "internal affair", "internal matters")
_en("t3row", "deny_process", "process information", "process info", "deliberative", "process-related")
_en("t3row", "deny_enforcement_file", "enforcement case file", "enforcement case files", "case file",
    "case files", "enforcement files")
_en("t3row", "deny_admin_query", "administrative query", "administrative queries", "query matters")
_en("t3row", "g:unable", "unable to provide", "could not be provided", "cannot be provided", "couldn't provide",
    "could not provide", "unable")
_en("t3row", "unable_not_held", "not held", "does not hold", "did not hold", "not in possession")
_en("t3row", "unable_needs_creation", "would need creating", "need creating", "needs creating",
    "need to be created", "would need to be created", "not readily available", "newly created")
_en("t3row", "unable_unclear", "still unclear", "unclear", "not clear")
_en("t3row", "g:noproc", "not processed", "not handled", "declined to process", "declined")
_en("t3row", "noproc_petition", "petitions and complaints", "petition", "petitions", "complaint", "complaints")
_en("t3row", "noproc_repeat", "repeated", "repeat", "duplicate", "duplicates")
_en("t3row", "noproc_publication", "publication", "publications")
_en("t3row", "noproc_mass", "mass request", "mass requests", "excessive", "vexatious")
_en("t3row", "noproc_confirm", "confirm", "confirmation", "re-issue", "reissue")
_en("t3row", "g:other", "other handling", "otherwise handled", "handled otherwise", "other processing")
_en("t3row", "other_no_correction", "no correction", "not corrected in time", "failed to correct",
    "did not supplement", "no supplement")
_en("t3row", "other_fee_unpaid", "fee unpaid", "fees unpaid", "unpaid fee", "unpaid fees", "did not pay")
_en("t3row", "*apply", "applications", "application", "requests", "request", "apps")
_en("t3col", "natural_person", "natural persons", "natural person", "individuals", "individual", "citizens",
    "citizen", "private persons", "members of the public")
_en("t3col", "commercial", "businesses", "business", "companies", "company", "enterprises", "enterprise",
    "commercial", "firms")
_en("t3col", "research", "research institutions", "research institution", "research", "universities")
_en("t3col", "social_welfare", "social welfare organisations", "social welfare organizations", "social welfare",
    "social-welfare", "charities", "charity", "ngos", "ngo", "non-profits", "public welfare")
_en("t3col", "legal_services", "legal service providers", "legal services", "legal service", "legal-service",
    "law firms", "law firm", "lawyers", "lawyer", "legal")
_en("t3col", "other", "other organisations", "other organizations", "other applicants")
_en("t3col", "*legal_persons", "legal persons and other organisations", "legal persons", "organisations",
    "organizations")
_en("t4block", "litigation_after_review", "lawsuits after review", "after review", "after reconsideration",
    "sued after review")
_en("t4block", "litigation_direct", "filed directly", "directly", "direct lawsuits", "direct lawsuit", "direct")
_en("t4block", "*litigation", "lawsuits", "lawsuit", "litigation", "court cases", "court case", "sued", "suits",
    "court")
_en("t4block", "review", "administrative reviews", "administrative review", "reviews", "review",
    "reconsiderations", "reconsideration", "appeals", "appeal")
_en("t4col", "upheld", "upheld", "maintained", "affirmed")
_en("t4col", "corrected", "corrected", "overturned", "reversed", "revoked")
_en("t4col", "other", "other result", "other results", "other outcome", "other outcomes")
_en("t4col", "pending", "pending", "undecided", "not concluded", "not yet decided", "ongoing", "unresolved",
    "still open")
_en("rate", "disclosure", "disclosure rate", "openness rate", "grant rate", "rate of disclosure", "share granted",
    "percentage granted", "percent granted")
_en("rate", "correction", "correction rate", "rate of correction", "reversal rate", "loss rate")
_en("rate", "completion", "completion rate", "closure rate", "clearance rate")
_en("rate", "*share", "what share", "share", "proportion", "percentage", "what percent", "percent", "ratio")
_en("t2row", "licensing", "licensing decisions", "licensing", "licences", "licenses", "licence", "license",
    "permits", "permit")
_en("t2row", "penalty", "penalty decisions", "penalties", "penalty", "fines", "punishments")
_en("t2row", "enforcement", "enforcement decisions", "enforcement", "coercive measures", "coercive")
_en("t2row", "fees_10k_yuan", "administrative fees", "fees", "fee", "charges")
_en("t2row", "regulations", "regulations", "regulation")
_en("t2row", "normative_documents", "normative documents", "normative document", "normative", "policy documents")
_en("t2col", "issued", "issued", "newly issued", "enacted", "adopted")
_en("t2col", "repealed", "repealed", "abolished", "revoked documents", "repeal", "abolish")
_en("t2col", "in_force", "in force", "currently valid", "valid", "effective")

_ZH[:] = [(unicodedata.normalize("NFKC", p).lower(), c) for p, c in _ZH]
_ZH.sort(key=lambda item: -len(item[0]))
_EN.sort(key=lambda item: -len(item[0]))
_EN_RE = [
    (re.compile(r"(?<![a-z])" + re.escape(p) + r"(?:s|es)?(?![a-z])"), concept) for p, concept in _EN
]


#: Single English words of the vocabulary (≥ 6 letters), for correcting a typo like "aplications".
_EN_WORDS = sorted({p for p, _ in _EN if " " not in p and "-" not in p and len(p) >= 6})


def correct_english(text: str) -> str:
    """``text`` with near-miss English vocabulary words replaced ("aplications" → "applications")."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if len(word) < 6 or word in _EN_WORDS:
            return word
        best = process.extractOne(word, _EN_WORDS, scorer=fuzz.ratio, score_cutoff=86)
        return best[0] if best else word

    return re.sub(r"[a-z]+", fix, text)


def find_concepts(text: str) -> tuple[list[tuple[Concept, tuple[int, int]]], str]:
    """All metric concepts in ``text`` (lower-cased), longest phrase first, and the text with them masked.

    Masking keeps later parsing (years, offices, aggregate words) from re-reading a phrase:
    「上年结转」 is a row, not a year; "carried over from last year" is not a comparison.
    """
    found: list[tuple[Concept, tuple[int, int]]] = []
    chars = list(text)
    masked = text
    for phrase, concept in _ZH:
        start = masked.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            found.append((concept, (start, end)))
            for i in range(start, end):
                chars[i] = " "
            masked = "".join(chars)
            start = masked.find(phrase, end)
    english = re.search(r"[a-z]{2}", masked) is not None
    for pattern, concept in _EN_RE if english else ():
        for m in pattern.finditer(masked):
            found.append((concept, m.span()))
            for i in range(*m.span()):
                chars[i] = " "
        masked = "".join(chars)
    found.sort(key=lambda item: item[1][0])
    return found, masked


# -- building a metric ---------------------------------------------------------------------------

_APPLICANTS = T3_COLUMNS[:6]
_LEGAL_PERSON_COLS = T3_COLUMNS[1:6]


def _t3_cells(rows: tuple[str, ...], cols: tuple[str, ...]) -> tuple[Cell, ...]:
    return tuple(("t3", r, c) for r in rows for c in cols)


def _col_labels(col: str) -> tuple[tuple[str, ...], str, str]:
    """Columns and labels for an applicant concept (``*legal_persons`` = the five organisation columns)."""
    if col == "*legal_persons":
        return _LEGAL_PERSON_COLS, "法人或其他组织", "legal persons and other organisations"
    return (col,), T3_COLUMN_LABELS[col], T3_COLUMN_LABELS_EN[col]


def _t3_row_spec(row: str) -> tuple[tuple[str, ...], str, str, str, str]:
    """(rows, zh name, en name, where zh, where en) for a 表3 row concept."""
    if row == "received_total":
        return (("new_received", "carried_over"), "受理申请合计（新收+上年结转）",
                "applications in hand (new + carried over)", "表3 本年新收+上年结转", "Table 3 new + carried over")
    if row.startswith("g:"):
        group = row[2:]
        label = T3_GROUP_LABELS[group]
        name = label.split("）")[-1]
        en = {"deny": "refused (all reasons)", "unable": "unable to provide (all reasons)",
              "noproc": "not processed (all reasons)", "other": "other handling (all)"}[group]
        return T3_GROUPS[group], name, en, f"表3 {label}各项合计", f"Table 3 {en}"
    return ((row,), T3_ROW_SHORT[row], T3_ROW_EN[row], f"表3 {T3_ROW_SHORT[row]}", f"Table 3 {T3_ROW_EN[row]}")


def t3_metric(row: str, col: str = "total") -> Metric:
    """A 表3 metric: a row (or group/derived row) in an applicant column (default 总计)."""
    rows, zh, en, where, where_en = _t3_row_spec(row)
    cols, col_zh, col_en = _col_labels(col) if col != "total" else (("total",), "总计", "total")
    key = f"t3.{row}.{col}"
    if col == "total":
        return Metric(key, zh, en, f"{where}·总计", f"{where_en} · total", _t3_cells(rows, cols))
    return Metric(key, f"{col_zh}{zh}", f"{en} ({col_en})", f"{where}·{col_zh}", f"{where_en} · {col_en}",
                  _t3_cells(rows, cols))


def disclosure_rate(col: str = "total") -> Metric:
    """公开率 = (予以公开 + 部分公开) / 办结 (（七）总计)."""
    cols, col_zh, col_en = _col_labels(col) if col != "total" else (("total",), "", "")
    zh = f"{col_zh}公开率" if col_zh else "公开率"
    en = f"disclosure rate ({col_en})" if col_en else "disclosure rate"
    return Metric(f"rate.disclosure.{col}", zh, en, f"表3 {zh}=(予以公开+部分公开)÷办结总计",
                  f"Table 3 {en} = (granted + partial) ÷ total processed",
                  _t3_cells(("granted", "partial"), cols), denom=_t3_cells(("total_processed",), cols),
                  unit_zh="%", unit_en="%")


def completion_rate(col: str = "total") -> Metric:
    """办结率 = （七）总计 / (本年新收 + 上年结转): the share of the year's caseload that was closed."""
    cols = _col_labels(col)[0] if col != "total" else ("total",)
    return Metric(f"rate.completion.{col}", "办结率", "completion rate", "表3 办结率=办结总计÷(新收+上年结转)",
                  "Table 3 completion rate = processed ÷ (new + carried over)",
                  _t3_cells(("total_processed",), cols), denom=_t3_cells(("new_received", "carried_over"), cols),
                  unit_zh="%", unit_en="%")


def share_metric(row: str, col: str = "total") -> Metric:
    """A share: one applicant column of a row (``col``), or one result row of all processed (办结)."""
    rows, zh, en, _, _ = _t3_row_spec(row)
    if col != "total":
        cols, col_zh, col_en = _col_labels(col)
        return Metric(f"share.{row}.{col}", f"{col_zh}占{zh}比例", f"{col_en} share of {en}",
                      f"表3 {zh}·{col_zh}÷总计", f"Table 3 {en} · {col_en} ÷ total",
                      _t3_cells(rows, cols), denom=_t3_cells(rows, ("total",)), unit_zh="%", unit_en="%")
    return Metric(f"share.{row}", f"{zh}占办结比例", f"{en} share of processed", f"表3 {zh}÷办结总计",
                  f"Table 3 {en} ÷ total processed", _t3_cells(rows, ("total",)),
                  denom=_t3_cells(("total_processed",), ("total",)), unit_zh="%", unit_en="%")


def _t4_blocks(block: str) -> tuple[tuple[str, ...], str, str]:
    if block == "*litigation":
        return ("litigation_direct", "litigation_after_review"), "行政诉讼（直接起诉+复议后起诉）", "lawsuits (direct + after review)"
    zh = {"review": "行政复议", "litigation_direct": "行政诉讼·直接起诉",
          "litigation_after_review": "行政诉讼·复议后起诉"}[block]
    en = {"review": "administrative reviews", "litigation_direct": "lawsuits filed directly",
          "litigation_after_review": "lawsuits after review"}[block]
    return (block,), zh, en


def t4_metric(block: str, col: str = "total") -> Metric:
    """A 表4 metric: 行政复议 / 行政诉讼 (either or both blocks) by result."""
    blocks, zh, en = _t4_blocks(block)
    cells = tuple(("t4", b, col) for b in blocks)
    col_zh = T4_COLUMN_LABELS[col]
    return Metric(f"t4.{block}.{col}", f"{zh}{'' if col == 'total' else col_zh}",
                  en if col == "total" else f"{en} {T4_COLUMN_EN[col]}",
                  f"表4 {zh}·{col_zh}", f"Table 4 {en} · {T4_COLUMN_EN[col]}", cells)


def correction_rate(block: str = "review") -> Metric:
    """纠错率 = 结果纠正 / (总计 − 尚未审结) — the share of decided cases that went against the office."""
    blocks, zh, en = _t4_blocks(block)
    name_zh = "复议纠错率" if block == "review" else f"{zh}纠错率"
    return Metric(f"rate.correction.{block}", name_zh, f"{en} correction rate",
                  f"表4 {name_zh}=结果纠正÷(总计−尚未审结)", f"Table 4 {en} correction rate = corrected ÷ (total − pending)",
                  tuple(("t4", b, "corrected") for b in blocks),
                  denom=tuple(("t4", b, "total") for b in blocks),
                  denom_minus=tuple(("t4", b, "pending") for b in blocks), unit_zh="%", unit_en="%")


def t2_metric(row: str, col: str | None = None) -> Metric:
    """A 表2 metric: 规章/规范性文件 by 制发/废止/现行有效, or 许可/处罚/强制/收费."""
    if row in ("regulations", "normative_documents"):
        col = col or "in_force"
        return Metric(f"t2.{row}.{col}", f"{T2_LABELS[row]}{T2_LABELS[col]}", f"{T2_EN[row]} {T2_EN[col]}",
                      f"表2 {T2_LABELS[row]}·{T2_LABELS[col]}", f"Table 2 {T2_EN[row]} · {T2_EN[col]}",
                      (("t2", row, col),))
    unit_zh, unit_en = ("万元", " ×10k yuan") if row == "fees_10k_yuan" else ("件", "")
    zh = "行政事业性收费" if row == "fees_10k_yuan" else f"{T2_LABELS[row]}决定"
    return Metric(f"t2.{row}", zh, T2_EN[row], f"表2 {T2_LABELS[row]}", f"Table 2 {T2_EN[row]}",
                  (("t2", row, "value"),), unit_zh=unit_zh, unit_en=unit_en)


def build_metric(concepts: list[Concept]) -> Metric | None:
    """Combine the concepts of one question into the metric it asks for (``None`` when none is named).

    Precedence: a rate, then 表4, then a named 表3 row, then 表2, then the generic 「申请」 (new
    applications). A lone applicant column ("律所有几件") means new applications from that column.
    """
    kinds = {kind for kind, _ in concepts}
    partner = {"t2col": "t2row", "t4col": "t4block"}  # what a weak word needs beside it
    concepts = [(kind, value.rstrip("~")) for kind, value in concepts
                if not value.endswith("~") or partner.get(kind) in kinds]
    by_kind: dict[str, list[str]] = {}
    for kind, value in concepts:
        by_kind.setdefault(kind, []).append(value)
    t3rows = [r for r in by_kind.get("t3row", []) if r != "*apply"]
    generic = "*apply" in by_kind.get("t3row", [])
    col = by_kind.get("t3col", ["total"])[0]
    blocks = by_kind.get("t4block", [])
    t4col = by_kind.get("t4col", [None])[0]
    block = _pick_block(blocks)
    if "rate" in by_kind:
        rates = [r for r in by_kind["rate"] if r != "*share"]
        if not rates:  # 「予以公开的比例」 / "what share were granted": the rate that fits the row
            if blocks or t4col == "corrected":
                return correction_rate(block or "review")
            if col != "total":  # 「自然人申请占比」: that column's share of the row
                return share_metric(_pick_row(t3rows) if t3rows else "new_received", col)
            if not t3rows or set(t3rows) == {"granted", "partial"}:
                return disclosure_rate(col)
            row = _pick_row(t3rows)
            if row in ("new_received", "carried_over", "received_total", "carried_forward", "total_processed"):
                return None
            return share_metric(row)  # 「不予公开占比」: share of all processed applications
        rate = rates[0]
        if rate == "completion":
            return completion_rate(col)
        if rate == "correction" or (rate == "disclosure" and blocks and not t3rows):
            return correction_rate(block or "review")
        return disclosure_rate(col)
    if block:
        return t4_metric(block, t4col or "total")
    if t3rows:
        return t3_metric(_pick_row(t3rows), col)
    if "t2row" in by_kind:
        return t2_metric(by_kind["t2row"][0], by_kind.get("t2col", [None])[0])
    if t4col == "pending" and (generic or "t3col" in by_kind):  # "applications still pending" = 结转下年度
        return t3_metric("carried_forward", col)
    if generic or "t3col" in by_kind:
        return t3_metric("new_received", col)
    if "t2col" in by_kind:
        return t2_metric("normative_documents", by_kind["t2col"][0])
    if t4col in ("corrected", "upheld", "pending"):
        return t4_metric("review", t4col)
    return None


def _pick_block(blocks: list[str]) -> str | None:
    for candidate in ("litigation_after_review", "litigation_direct", "*litigation", "review"):
        if candidate in blocks:
            return candidate
    return None


def _pick_row(rows: list[str]) -> str:
    """The most specific 表3 row named: a single reason beats its group, a group beats 新收/办结."""
    specific = [r for r in rows if r in T3_ROW_KEYS_2021 and r not in ("new_received", "total_processed")]
    if specific:
        return specific[0]
    groups = [r for r in rows if r.startswith("g:")]
    if groups:
        return groups[0]
    return rows[0]


def sum_metric(metrics: list[Metric]) -> Metric:
    """Several counts added up (「予以公开和部分公开一共」「行政许可加行政处罚」)."""
    cells = tuple(dict.fromkeys(c for m in metrics for c in m.cells))
    table = metrics[0].cells[0][0][1]  # "t3" → "3"
    zh = "+".join(m.zh for m in metrics)
    en = " + ".join(m.en for m in metrics)
    return Metric("+".join(m.key for m in metrics), zh, en, f"表{table} {zh}", f"Table {table} {en}", cells,
                  unit_zh=metrics[0].unit_zh, unit_en=metrics[0].unit_en)


def cell_label(cell: Cell) -> str:
    """「表3 予以公开·总计」 for one cell, for blank-cell notes."""
    table, row, col = cell
    if table == "t3":
        return f"表3 {T3_ROW_SHORT.get(row, row)}·{T3_COLUMN_LABELS.get(col, col)}"
    if table == "t4":
        return f"表4 {_t4_blocks(row)[1]}·{T4_COLUMN_LABELS.get(col, col)}"
    if col == "value":
        return f"表2 {T2_LABELS.get(row, row)}"
    return f"表2 {T2_LABELS.get(row, row)}·{T2_LABELS.get(col, col)}"


APPLICANT_COLUMNS = _APPLICANTS
