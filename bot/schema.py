"""The national report format as data: table rows, columns, labels and sections.

Everything that names a row, a column or a section of the 政府信息公开工作年度报告 lives here, so that the
reader, the validator, storage, questions and exports agree on one vocabulary (FORMAT.md §1.2–§1.5,
CONTRACT.md). Keys are the stable JSON keys of CONTRACT.md; labels are the Chinese text printed in the
format.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# 表3 — 收到和处理政府信息公开申请情况 (FORMAT.md §1.4)
# ---------------------------------------------------------------------------------------------

#: The 7 data columns of 表3, in printed order.
T3_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other",
    "total",
)

T3_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_services": "法律服务机构",
    "other": "其他",
    "total": "总计",
}

T3_COLUMN_LABELS_EN: dict[str, str] = {
    "natural_person": "natural persons",
    "commercial": "businesses",
    "research": "research institutions",
    "social_welfare": "social-welfare organisations",
    "legal_services": "legal-service providers",
    "other": "other organisations",
    "total": "total",
}

#: The 25 rows of the 2021 format, in printed order: (key, verbatim label, group label or "").
T3_ROWS_2021: tuple[tuple[str, str, str], ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量", ""),
    ("carried_over", "二、上年结转政府信息公开申请数量", ""),
    ("granted", "（一）予以公开", "三、本年度办理结果"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三、本年度办理结果"),
    ("deny_state_secret", "1.属于国家秘密", "（三）不予公开"),
    ("deny_law", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("deny_3s1w", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("deny_third_party", "4.保护第三方合法权益", "（三）不予公开"),
    ("deny_internal", "5.属于三类内部事务信息", "（三）不予公开"),
    ("deny_process", "6.属于四类过程性信息", "（三）不予公开"),
    ("deny_enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    ("deny_admin_query", "8.属于行政查询事项", "（三）不予公开"),
    ("unable_not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("unable_needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("unable_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("noproc_petition", "1.信访举报投诉类申请", "（五）不予处理"),
    ("noproc_repeat", "2.重复申请", "（五）不予处理"),
    ("noproc_publication", "3.要求提供公开出版物", "（五）不予处理"),
    ("noproc_mass", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("noproc_confirm", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    (
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    ("other_other", "3.其他", "（六）其他处理"),
    ("total_processed", "（七）总计", "三、本年度办理结果"),
    ("carried_forward", "四、结转下年度继续办理", ""),
)

T3_ROW_KEYS_2021: tuple[str, ...] = tuple(key for key, _, _ in T3_ROWS_2021)

#: The 2019 trial format (60号) has a single （六）其他处理 row, stored as ``other_other``: 23 rows.
T3_ROW_KEYS_2019: tuple[str, ...] = tuple(
    key for key in T3_ROW_KEYS_2021 if key not in ("other_no_correction", "other_fee_unpaid")
)

T3_ROW_LABELS: dict[str, str] = {key: label for key, label, _ in T3_ROWS_2021}
T3_ROW_GROUPS: dict[str, str] = {key: group for key, _, group in T3_ROWS_2021}

#: Short Chinese names for chat replies ("表3 本年新收·总计").
T3_ROW_SHORT: dict[str, str] = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "granted": "予以公开",
    "partial": "部分公开",
    "deny_state_secret": "不予公开·属于国家秘密",
    "deny_law": "不予公开·其他法律行政法规禁止公开",
    "deny_3s1w": "不予公开·危及“三安全一稳定”",
    "deny_third_party": "不予公开·保护第三方合法权益",
    "deny_internal": "不予公开·属于三类内部事务信息",
    "deny_process": "不予公开·属于四类过程性信息",
    "deny_enforcement_file": "不予公开·属于行政执法案卷",
    "deny_admin_query": "不予公开·属于行政查询事项",
    "unable_not_held": "无法提供·本机关不掌握相关政府信息",
    "unable_needs_creation": "无法提供·没有现成信息需要另行制作",
    "unable_unclear": "无法提供·补正后申请内容仍不明确",
    "noproc_petition": "不予处理·信访举报投诉类申请",
    "noproc_repeat": "不予处理·重复申请",
    "noproc_publication": "不予处理·要求提供公开出版物",
    "noproc_mass": "不予处理·无正当理由大量反复申请",
    "noproc_confirm": "不予处理·要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "其他处理·逾期不补正",
    "other_fee_unpaid": "其他处理·逾期未缴纳费用",
    "other_other": "其他处理·其他",
    "total_processed": "办理结果·（七）总计",
    "carried_forward": "结转下年度继续办理",
}

T3_ROW_EN: dict[str, str] = {
    "new_received": "new applications received",
    "carried_over": "carried over from last year",
    "granted": "granted in full",
    "partial": "granted in part",
    "deny_state_secret": "refused: state secret",
    "deny_law": "refused: prohibited by other laws",
    "deny_3s1w": "refused: endangers security or stability",
    "deny_third_party": "refused: third-party rights",
    "deny_internal": "refused: internal affairs",
    "deny_process": "refused: process information",
    "deny_enforcement_file": "refused: enforcement case file",
    "deny_admin_query": "refused: administrative query",
    "unable_not_held": "unable: not held",
    "unable_needs_creation": "unable: would need creating",
    "unable_unclear": "unable: still unclear after correction",
    "noproc_petition": "not processed: petitions/complaints",
    "noproc_repeat": "not processed: repeated",
    "noproc_publication": "not processed: publications",
    "noproc_mass": "not processed: mass requests",
    "noproc_confirm": "not processed: confirm/re-issue",
    "other_no_correction": "other: no correction in time",
    "other_fee_unpaid": "other: fee unpaid",
    "other_other": "other handling",
    "total_processed": "total processed",
    "carried_forward": "carried forward to next year",
}

#: Result rows summed by identity A2 (FORMAT.md §1.6) — everything between 予以公开 and （七）总计.
T3_RESULT_ROWS_2021: tuple[str, ...] = T3_ROW_KEYS_2021[2:23]
T3_RESULT_ROWS_2019: tuple[str, ...] = T3_ROW_KEYS_2019[2:21]

#: Row groups of 办理结果, for "how many were refused" style questions and TXT-04.
T3_GROUPS: dict[str, tuple[str, ...]] = {
    "deny": tuple(k for k in T3_ROW_KEYS_2021 if k.startswith("deny_")),
    "unable": tuple(k for k in T3_ROW_KEYS_2021 if k.startswith("unable_")),
    "noproc": tuple(k for k in T3_ROW_KEYS_2021 if k.startswith("noproc_")),
    "other": tuple(k for k in T3_ROW_KEYS_2021 if k.startswith("other_")),
}
T3_GROUP_LABELS: dict[str, str] = {
    "deny": "（三）不予公开",
    "unable": "（四）无法提供",
    "noproc": "（五）不予处理",
    "other": "（六）其他处理",
}


def t3_row_keys(fmt: str) -> tuple[str, ...]:
    """Row keys of 表3 for a format version (23 rows for 2019, 25 otherwise)."""
    return T3_ROW_KEYS_2019 if fmt == "2019" else T3_ROW_KEYS_2021


def t3_result_rows(fmt: str) -> tuple[str, ...]:
    """The result rows that add up to （七）总计 in a format version."""
    return T3_RESULT_ROWS_2019 if fmt == "2019" else T3_RESULT_ROWS_2021


# ---------------------------------------------------------------------------------------------
# 表4 — 行政复议、行政诉讼 (FORMAT.md §1.5)
# ---------------------------------------------------------------------------------------------

T4_BLOCKS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

T4_BLOCK_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}
T4_BLOCK_EN: dict[str, str] = {
    "review": "administrative reviews",
    "litigation_direct": "lawsuits filed directly",
    "litigation_after_review": "lawsuits after review",
}
T4_COLUMN_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
T4_COLUMN_EN: dict[str, str] = {
    "upheld": "upheld",
    "corrected": "corrected",
    "other": "other result",
    "pending": "pending",
    "total": "total",
}

# ---------------------------------------------------------------------------------------------
# 表2 — 主动公开 (FORMAT.md §1.3)
# ---------------------------------------------------------------------------------------------

#: 第二十条第（一）项: two rows × three columns.
T2_DOC_ROWS: tuple[str, ...] = ("regulations", "normative_documents")
T2_DOC_COLUMNS: tuple[str, ...] = ("issued", "repealed", "in_force")
#: Single-value cells of 第二十条第（五）（六）（八）项.
T2_SINGLE: tuple[str, ...] = ("licensing", "penalty", "enforcement", "fees_10k_yuan")

T2_LABELS: dict[str, str] = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "enforcement": "行政强制",
    "fees_10k_yuan": "行政事业性收费（万元）",
}
T2_EN: dict[str, str] = {
    "regulations": "regulations",
    "normative_documents": "normative documents",
    "issued": "issued",
    "repealed": "repealed",
    "in_force": "in force",
    "licensing": "administrative licensing decisions",
    "penalty": "administrative penalty decisions",
    "enforcement": "administrative enforcement decisions",
    "fees_10k_yuan": "administrative fees (10k yuan)",
}

# ---------------------------------------------------------------------------------------------
# Sections (FORMAT.md §1.2)
# ---------------------------------------------------------------------------------------------

SECTIONS: tuple[str, ...] = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)

FORMATS: tuple[str, ...] = ("2021", "2019", "pre2019", "unknown")
OFFICE_KINDS: tuple[str, ...] = ("街道", "乡镇", "区县政府", "部门", "其他")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


def all_cell_keys(fmt: str = "2021") -> list[tuple[str, str, str]]:
    """Every numeric cell of a report as (table, row, column) — the storage and export grid.

    Tables are ``t2``, ``t3``, ``t4``. 表2 single cells use column ``value``.
    """
    cells: list[tuple[str, str, str]] = []
    for row in T2_DOC_ROWS:
        for col in T2_DOC_COLUMNS:
            cells.append(("t2", row, col))
    for row in T2_SINGLE:
        cells.append(("t2", row, "value"))
    for row in t3_row_keys(fmt):
        for col in T3_COLUMNS:
            cells.append(("t3", row, col))
    for block in T4_BLOCKS:
        for col in T4_COLUMNS:
            cells.append(("t4", block, col))
    return cells
