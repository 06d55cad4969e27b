"""The rule engine: a registry of small named rules and the ``validate`` entry point.

Each rule is a function over a :class:`Context` that yields :class:`Hit` objects; the ``@rule`` decorator
gives it its stable code (RULES.md §6) and default severity, so adding a rule touches one place. A rule
that crashes on odd input is logged and skipped — a civil servant must get the other findings, never a
stack trace.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from bot.report import Finding, Number, Report
from bot.schema import T2_LABELS, T3_ROW_LABELS, T3_ROW_SHORT, t3_result_rows, t3_row_keys
from bot.validation import uncertain
from bot.validation.advice import with_advice
from bot.validation.versions import RULE_FORMATS, required_version

log = logging.getLogger(__name__)

_QUOTED_ROW_RE = re.compile(r"表[23]\s*[“\"]([^”\"]+)[”\"]行")
_ROW_BY_LABEL: dict[str, str] = {
    **{label: key for key, label in T2_LABELS.items()},
    **{label: key for key, label in T3_ROW_LABELS.items()},
    **{label: key for key, label in T3_ROW_SHORT.items()},
    "其他处理": "other_other",
}

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

#: Rule modules, imported once by :func:`load_rules` (each registers its rules on import).
RULE_MODULES: tuple[str, ...] = (
    "bot.validation.fmt",
    "bot.validation.structure",
    "bot.validation.t2",
    "bot.validation.t3",
    "bot.validation.t4",
    "bot.validation.text",
    "bot.validation.meta",
    "bot.validation.cross_year",
    "bot.validation.deadline",
    "bot.validation.ingest",
)


@dataclass
class Hit:
    """What a rule found; the engine turns it into a :class:`Finding` with the rule's code."""

    message: str
    message_en: str = ""
    where: str = ""
    left: Number | None = None
    right: Number | None = None
    delta: Number | None = None
    severity: str | None = None  # overrides the rule's default (e.g. T3-05 W → E in the 总计 column)


@dataclass
class Rule:
    """One registered check: code, default severity, one-line title and the function."""

    code: str
    severity: str
    title: str
    check: Callable[[Context], Iterable[Hit]] = field(repr=False)
    #: Format versions the rule holds for (versions.RULE_FORMATS); the engine skips it on others.
    formats: frozenset[str] = field(default=frozenset({"2021", "2019", "pre2019"}))

    def holds_for(self, version: str | None) -> bool:
        """True when the rule applies to a report that had to follow ``version`` (None: unknown → yes)."""
        return version is None or version in self.formats

    def run(self, ctx: Context) -> list[Finding]:
        """Run the check and wrap its hits as findings (with what to change, advice.py)."""
        return [
            Finding(
                code=self.code,
                severity=h.severity or self.severity,
                message=(texts := with_advice(self.code, h.message, h.message_en))[0],
                where=h.where,
                message_en=texts[1],
                left=h.left,
                right=h.right,
                delta=h.delta,
            )
            for h in self.check(ctx)
        ]


RULES: list[Rule] = []


def rule(code: str, severity: str, title: str = "") -> Callable[[Callable], Callable]:
    """Register ``func`` as the rule ``code`` with default ``severity`` (error | warning | info).

    The formats it holds for come from :data:`bot.validation.versions.RULE_FORMATS`; a code missing
    there is refused, so every rule says where it applies."""
    if severity not in SEVERITY_ORDER:
        raise ValueError(f"bad severity {severity!r} for {code}")
    if code not in RULE_FORMATS:
        raise ValueError(f"rule {code} does not declare its format versions (bot/validation/versions.py)")

    def decorate(func: Callable[[Context], Iterable[Hit]]) -> Callable[[Context], Iterable[Hit]]:
        if any(r.code == code for r in RULES):
            raise ValueError(f"rule {code} registered twice")
        RULES.append(
            Rule(code, severity, title or (func.__doc__ or "").strip().splitlines()[0], func, RULE_FORMATS[code])
        )
        return func

    return decorate


_loaded = False


def load_rules() -> list[Rule]:
    """Import every rule module once; returns the registry."""
    global _loaded
    if not _loaded:
        for name in RULE_MODULES:
            importlib.import_module(name)
        _loaded = True
    return RULES


def get_rule(code: str) -> Rule:
    """The registered rule with this code (KeyError when unknown)."""
    load_rules()
    for r in RULES:
        if r.code == code:
            return r
    raise KeyError(code)


@dataclass
class Context:
    """Everything a rule may look at, with cached derived views (computed once per validation)."""

    report: Report
    previous: Report | None = None
    received: date | None = None
    today: date | None = None
    #: Scratch space for values several rules share (e.g. the statistics periods found in the text).
    memo: dict[str, object] = field(default_factory=dict)

    @cached_property
    def fmt(self) -> str:
        """The table schema to check against: ``2019`` uses 23 rows; anything else 25."""
        fmt = self.report.format
        if fmt in ("2019", "2021"):
            return fmt
        apps = self.report.applications
        if apps is not None and "other_other" in apps and "other_no_correction" not in apps:
            return "2019"
        return "2021"

    @cached_property
    def version(self) -> str | None:
        """The format version the report had to follow (by its year; else as detected): rules that do
        not hold for it are not run (versions.py)."""
        return required_version(self.report.year, self.report.format)

    @cached_property
    def row_keys(self) -> tuple[str, ...]:
        return t3_row_keys(self.fmt)

    @cached_property
    def result_rows(self) -> tuple[str, ...]:
        return t3_result_rows(self.fmt)

    @cached_property
    def text(self) -> str:
        """The report's body (the page furniture of a saved web page left out: Report.body), or the
        section texts joined when the reader gave no text.

        Not normalised (that costs more than all the rules on a long report): the regexes accept
        full-width digits/brackets and blanks such as 「2021 年」 themselves."""
        r = self.report
        return r.body or "\n".join([r.title, *r.section_text.values()])

    @cached_property
    def t3_rows(self) -> dict[str, list]:
        """表3 rows that have exactly 7 cells (others are ING-04 and not checked arithmetically)."""
        apps = self.report.applications or {}
        return {row: values for row, values in apps.items() if len(values) == 7}

    @cached_property
    def year(self) -> int | None:
        return self.report.year

    @cached_property
    def unreadable(self) -> frozenset[str]:
        """Table rows (表3 and 表2 keys) the reader already reported as unreadable (ING-04/05 errors):
        their cells are not reported again as blank or bad."""
        keys: set[str] = set()
        for f in self.report.ingest_findings:
            if f.code not in ("ING-04", "ING-05") or f.severity != "error":
                continue
            for label in _QUOTED_ROW_RE.findall(f.message):
                key = _ROW_BY_LABEL.get(label.strip())
                if key:
                    keys.add(key)
        return frozenset(keys)

    @cached_property
    def cut_off(self):  # -> extent.CutOff | None
        """Where a document that stops part-way ends (extent.py), ``None`` for a whole one."""
        from bot.validation.extent import cut_off

        return cut_off(self)

    @cached_property
    def cut_rows(self) -> frozenset[str]:
        """The 表3 row a cut-off document ends in: its blank or missing cells are the cut, not the office's."""
        cut = self.cut_off
        return frozenset({cut.t3_row}) if cut is not None and cut.t3_row else frozenset()

    def section(self, canonical: str) -> str | None:
        """A section's text by canonical name (schema.SECTIONS), ``None`` when absent."""
        return self.report.section_text.get(canonical)


def validate(
    report: Report,
    previous: Report | None = None,
    *,
    received: date | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Run every rule, merge the reader's findings, sort error → warning → info, set ``report.findings``.

    ``previous`` is the same office's report for year − 1 (XY rules, T2-08); ``received`` the date the
    file arrived (DL-01); ``today`` the date DL-03 judges the year against (falls back to ``received``;
    with neither, DL-03 is not checked so results stay deterministic).
    """
    if previous is not None and previous.year and report.year and previous.year != report.year - 1:
        log.debug("ignoring previous report of %s for %s", previous.year, report.year)
        previous = None  # the XY rules compare consecutive years only
    ctx = Context(report, previous, received, today)
    # cells read by OCR that no identity confirms are marked in doubt here, so every rule skips them
    findings: list[Finding] = uncertain.mark(report, ctx.fmt)
    findings += [_as_judged(f) for f in report.ingest_findings if not _cut_row_finding(ctx, f)]
    seen = {(f.code, f.where) for f in findings}
    for r in load_rules():
        if not r.holds_for(ctx.version):
            continue
        try:
            produced = r.run(ctx)
        except Exception:  # a broken rule must not hide the other findings
            log.exception("rule %s failed on %s", r.code, report.source.filename)
            continue
        for f in produced:
            key = (f.code, f.where)
            if key in seen and f.code in _READER_CODES:
                continue
            seen.add(key)
            findings.append(f)
    findings = uncertain.settle(report, findings)  # a photo of one table: only the table's own checks
    findings.sort(key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    report.findings = findings
    return findings


#: Reader findings that say "we could not read this", not "this is wrong": never an error against the
#: office (RULES_STATUS.md, severity principle). Digits glued together in the text we were given and
#: that no split makes consistent, a 表3 row read with 6 numbers, a 表4 read with 14: the reader cannot
#: tell a merged cell from a cell it failed to see, so it asks (warning); the cells stay unknown and no
#: arithmetic rule judges them.
_READING_GAPS = frozenset({"ING-04", "ING-05", "ING-07"})


def _as_judged(f: Finding) -> Finding:
    if f.code in _READING_GAPS and f.severity == "error":
        return replace(f, severity="warning")
    return f


_TABLE_OF_SECTION = {1: "表2", 2: "表3", 3: "表4"}


def _cut_row_finding(ctx: Context, f: Finding) -> bool:
    """The reader's "row has 6 numbers" for the row a cut-off document ends in: the cut (STR-01 says the
    file ends there), not a short row the office typed."""
    if f.code == "ING-08" and ctx.cut_off is not None:
        # "could not read this table" for the table a cut-off file ends in: the cut (STR-01 says where)
        return f.where.startswith(_TABLE_OF_SECTION.get(ctx.cut_off.last, "-"))
    if f.code != "ING-04" or not ctx.cut_rows:
        return False
    keys = {_ROW_BY_LABEL.get(label.strip()) for label in _QUOTED_ROW_RE.findall(f.message)}
    return bool(keys & ctx.cut_rows)


#: Codes the reader may already have reported (so a rule re-finding them does not duplicate).
_READER_CODES = frozenset({"ING-04", "ING-05", "ING-06", "ING-07", "FMT-05", "STR-05", "STR-06"})
