"""Status answers: who has (not) submitted, how many reported, which reports failed and why."""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

from bot.deadlines import obligations
from bot.deadlines.filing import DuePlan, due_plan, office_due
from bot.deadlines.ladder import filing_year
from bot.deadlines.texts import when_phrase
from bot.questions import replies as R
from bot.questions.numbers import LIST_LIMIT, latest_year, no_report
from bot.questions.query import Query
from storage import repo

_TZ = ZoneInfo("Asia/Shanghai")


def due_year(query: Query, today: date) -> int:
    """The report year for submission questions: the one asked, else the one being filed now."""
    return query.year or filing_year(today)


async def _plan(db: object, chat_id: int, query: Query, today: date) -> DuePlan:
    """Year and dates as /deadline, /roster and the reminders see them (bot.deadlines.filing)."""
    return await due_plan(db, chat_id=chat_id, today=today, year=query.year)


async def answer_count(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = query.year or await latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    status = await repo.submission_status(db, chat_id=chat_id, year=year)
    done = [o for o, s in status if s is not None]
    missing = [o for o, s in status if s is None]
    if lang == "en":
        text = f"{len(done)} office(s) have reported for {year}."
        if missing:
            text += f"\n{len(missing)} on the roster have not: {R.join_names([o.name for o in missing], lang, 8)}"
        return text
    text = f"{len(done)}个单位已提交{year}年度报告。"
    if missing:
        text += f"\n名册上还有{len(missing)}个未交：{R.join_names([o.name for o in missing], lang, 8)}"
    return text


async def answer_missing(db: object, chat_id: int, query: Query, today: date) -> str:
    """「谁还没交」: roster offices that owe a report and sent none (bot.deadlines.obligations decides:
    an exempt office owes nothing, an extended one is named with its own date)."""
    lang = query.lang
    plan = await _plan(db, chat_id, query, today)
    year = plan.report_year
    rows = await obligations.owed(db, chat_id=chat_id, plan=plan)
    if rows is None:  # without a roster nobody can be "missing": say what arrived and how to add one
        status = await repo.submission_status(db, chat_id=chat_id, year=year)
        got = sum(1 for _, s in status if s is not None)
        if lang == "en":
            return (f"No roster yet ({got} office(s) sent a {year} report). Add the offices expected to report "
                    "with /roster add, then I can tell who has not.")
        return (f"还没有应交单位名册（已收到{got}个单位的{year}年度报告）。"
                "用 /roster add 名称… 添加应交单位后，我才能说谁还没交。")
    exempt = [r for r in rows if r.exempt]
    owing = [r for r in rows if not r.exempt]
    missing = [r for r in owing if r.missing]
    done = len(owing) - len(missing)
    extra = (f"（另有{len(exempt)}个免报）" if lang == "zh" else f" ({len(exempt)} exempt)") if exempt else ""
    if not missing:
        return (f"{year}年度：名册上的{len(owing)}个单位都已提交 ✅{extra}" if lang == "zh"
                else f"{year}: all {len(owing)} offices on the roster have submitted ✅{extra}")
    if lang == "en":
        names = [r.office.name + (f" (extended to {r.due:%Y-%m-%d})" if r.extended else "") for r in missing]
    else:
        names = [r.office.name + (f"（{r.note(today)}）" if r.extended else "") for r in missing]  # 逾期 once late
    from storage.contacts import contacts_for  # 「谁还没交」 names each office's contacts (issue 20)

    people = await contacts_for(db, chat_id=chat_id, office_ids=[r.office.id for r in missing])
    names = [n + (f"（{_contact_names(people[r.office.id])}）" if people.get(r.office.id) else "")
             for n, r in zip(names, missing, strict=True)]
    dues = sorted({r.chat_due for r in missing})
    recent = [d for d in dues if (d - today).days > -60]  # months after the date it is history, not news
    if lang == "en":
        when = "".join(f"; due {d:%Y-%m-%d}, {(d - today).days} day(s) left" if d >= today
                       else f"; {(today - d).days} day(s) past {d:%Y-%m-%d}" for d in recent)
        return (f"{len(missing)} office(s) have not submitted the {year} report:\n"
                f"{R.join_names(names, lang)}\n({done} of {len(owing)} submitted{when}){extra}")
    when = "".join(f"；{d.month}月{d.day}日截止，{when_phrase(d, today)}" for d in recent)
    return (f"{year}年度还有{len(missing)}个单位未交：\n{R.join_names(names, lang)}\n"
            f"（名册共{len(owing)}个，已交{done}个{when}）{extra}")


def _contact_names(contacts: list) -> str:
    """Contacts as text beside an office (no mention entity: an answer does not ping anyone)."""
    return "、".join(f"@{c.username}" if c.username else c.display_name for c in contacts)


async def answer_submitted(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = (await _plan(db, chat_id, query, today)).report_year
    status = await repo.submission_status(db, chat_id=chat_id, year=year)
    done = [o.name for o, s in status if s is not None]
    if not done:
        return f"还没有收到{year}年度报告。" if lang == "zh" else f"No {year} reports received yet."
    if lang == "en":
        return f"{len(done)} office(s) submitted the {year} report:\n{R.join_names(done, lang)}"
    return f"{year}年度已交{len(done)}个：\n{R.join_names(done, lang)}"


def _finding_text(finding: object, lang: str) -> str:
    message = (finding.message_en or finding.message) if lang == "en" else finding.message
    if len(message) > 60:
        message = message[:58] + "…"
    return f"{message}（{finding.code}）" if lang == "zh" else f"{message} ({finding.code})"


async def _standing(db: object, chat_id: int, report_id: int) -> list:
    """The report's findings without those an admin dismissed as 不是问题 (issue 21: they no longer count)."""
    from storage import review

    reviewed = await review.reviewed_findings(db, chat_id=chat_id, report_id=report_id)
    if reviewed is None:
        return await repo.report_findings(db, report_id=report_id)
    return [r.finding for r in reviewed if not r.dismissed]


async def answer_errors(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = query.year or await latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    reports = await repo.list_reports(db, chat_id=chat_id, year=year)
    bad = [s for s in reports if (s.errors or 0) > 0]
    warned = [s for s in reports if not s.errors and s.warnings]
    if not reports:
        return f"未收到任何{year}年度报告。" if lang == "zh" else f"No reports for {year} have been received."
    if query.aggregate == "passed":
        ok = [R.office_label(s.office, lang) for s in reports if not s.errors]
        if lang == "en":
            return f"{len(ok)} of {len(reports)} reports for {year} have no errors ✅:\n{R.join_names(ok, lang)}"
        return f"{year}年度{len(reports)}份报告中{len(ok)}份没有错误 ✅：\n{R.join_names(ok, lang)}"
    if query.aggregate == "warnings":
        if not warned:
            return (f"{year}年度没有只带警告的报告。" if lang == "zh"
                    else f"No report for {year} has warnings only.")
        names = R.join_names([R.office_label(s.office, lang) for s in warned], lang)
        return (f"{year}年度有{len(warned)}份报告有警告（无错误）：\n{names}" if lang == "zh"
                else f"{len(warned)} report(s) for {year} have warnings (no errors):\n{names}")
    if not bad:
        if lang == "en":
            text = f"None of the {len(reports)} reports for {year} has errors ✅"
            return text + (f" ({len(warned)} with warnings)" if warned else "")
        text = f"{year}年度的{len(reports)}份报告都没有错误 ✅"
        return text + (f"（{len(warned)}份有警告）" if warned else "")
    lines = [f"{year}年度有{len(bad)}份报告有错误：" if lang == "zh" else f"{len(bad)} report(s) for {year} have errors:"]
    for stored in bad[:LIST_LIMIT]:
        findings = await _standing(db, chat_id, stored.id)
        first = next((f for f in findings if f.severity == "error"), None)
        why = _finding_text(first, lang) if first else ""
        count = f"{stored.errors}处错误" if lang == "zh" else f"{stored.errors} error(s)"
        lines.append(f"• {R.office_label(stored.office, lang)}（{count}）：{why}" if lang == "zh"
                     else f"• {R.office_label(stored.office, lang)} ({count}): {why}")
    if len(bad) > LIST_LIMIT:
        lines.append(f"…另有{len(bad) - LIST_LIMIT}份" if lang == "zh" else f"… and {len(bad) - LIST_LIMIT} more")
    return "\n".join(lines)


async def answer_findings(db: object, chat_id: int, query: Query, today: date) -> str:
    office, lang = query.offices[0], query.lang
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=query.year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return no_report(office, query.year, lang, latest.year if latest else None)
    findings = [f for f in await _standing(db, chat_id, stored.id) if f.severity != "info"]
    name = R.office_label(office, lang)
    first = yes_no_line(query.yes_no, stored.errors or 0, stored.warnings or 0, lang)
    if not findings:
        text = (f"{name} {stored.year}年度报告：✅ 校验通过，没有发现问题。" if lang == "zh"
                else f"{name} {stored.year} report: ✅ passed, no problems found.")
        return f"{first}\n{text}" if first else text
    if lang == "en":
        head = f"{name} {stored.year} report: {stored.errors} error(s), {stored.warnings} warning(s)"
    else:
        mark = "❌" if stored.errors else "⚠️"
        head = f"{name} {stored.year}年度报告：{mark} 错误{stored.errors}处，警告{stored.warnings}处"
    lines = [first, head] if first else [head]
    for finding in findings[:3]:
        where = f" @{finding.where}" if finding.where and lang == "zh" and len(finding.where) < 20 else ""
        lines.append(f"• {_finding_text(finding, lang)}{where}")
    if len(findings) > 3:
        lines.append(f"…另有{len(findings) - 3}条" if lang == "zh" else f"… and {len(findings) - 3} more")
    return "\n".join(lines)


def yes_no_line(shape: str, errors: int, warnings: int, lang: str) -> str:
    """The first line of a yes/no answer about a report (「合格吗」 → 通过/未通过, 「有错误吗」 → 是/否), or ''.

    A report with only warnings passes: the verdict 有警告 is not a failure (RULES.md §2)."""
    if not shape:
        return ""
    warned = (f"（有{warnings}处警告，建议修改）" if lang == "zh" else f" ({warnings} warning(s) worth fixing)") if warnings else ""
    if shape == "pass":
        if lang == "en":
            return f"No — it did not pass: {errors} error(s)." if errors else f"Yes — it passed: no errors{warned}."
        return f"未通过：有{errors}处错误，原因如下。" if errors else f"通过：没有错误{warned}。"
    if lang == "en":
        return f"Yes — {errors} error(s)." if errors else f"No errors{warned}."
    return f"是，有{errors}处错误：" if errors else f"否，没有错误{warned}。"


def statutory_due(office: object, year: int, township_deadline: str | None = "01-31") -> date:
    """The 条例 第四十九条 date an office's report for ``year`` is due (bot.deadlines.filing decides)."""
    return office_due(getattr(office, "kind", "") or "其他", year, township_deadline)


async def answer_submitted_one(db: object, chat_id: int, query: Query, today: date) -> str:
    office, lang = query.offices[0], query.lang
    plan = await _plan(db, chat_id, query, today)
    year = plan.report_year
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=year)
    term = next((r for r in await obligations.owed(db, chat_id=chat_id, plan=plan) or []
                 if r.office.id == office.id), None)
    if stored is None:
        if term is not None and term.exempt:  # owes nothing this year: neither ⏳ nor ❌
            return (f"{R.office_label(office, lang)}: exempt from the {year} report ({term.reason})." if lang == "en"
                    else f"{office.name}：{term.note()}，无需提交。")
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        text = no_report(office, year, lang, latest.year if latest else None)
        due = term.due if term is not None else plan.due_for(getattr(office, "kind", "") or "其他")
        if today <= due:  # not late yet: a reminder of the date, not a red cross
            if term is not None and term.extended:
                return (f"⏳ {text} Extended to {due:%Y-%m-%d}." if lang == "en"
                        else f"⏳ {text}{term.note()}。")
            return (f"⏳ {text} Due {due:%Y-%m-%d}." if lang == "en"
                    else f"⏳ {text}截止日期：{due.year}年{due.month}月{due.day}日。")
        return "❌ " + text + (f"（{term.note()}，已过期）" if term is not None and term.extended and lang == "zh"
                              else "")
    received = stored.received_at
    if received is not None and received.tzinfo is None:  # stored as naive UTC
        received = received.replace(tzinfo=UTC)
    when = received.astimezone(_TZ).strftime("%Y-%m-%d") if received else ""
    verdict = {"通过": "✅ 通过", "有警告": "⚠️ 有警告", "有错误": "❌ 有错误"}.get(stored.verdict, stored.verdict)
    if lang == "en":
        verdict = {"通过": "✅ passed", "有警告": "⚠️ warnings", "有错误": "❌ errors"}.get(stored.verdict, "")
        return f"Yes: {R.office_label(office, lang)} submitted the {year} report ({when}; {verdict})."
    return f"已交：{office.name}的{year}年度报告已收到（{when}，{verdict}）。"


async def answer_offices(db: object, chat_id: int, query: Query, today: date) -> str:
    """The chat's offices (with reports or on the roster) and how many are on the roster."""
    lang = query.lang
    offices = await repo.find_offices(db, chat_id=chat_id)
    if not offices:
        return "本群还没有单位（没有报告，也没有名册）。" if lang == "zh" else "No offices in this chat yet."
    kind = query.office_kind
    if kind and any(o.kind == kind for o in offices):  # 「有哪些乡镇」: only those
        of_kind = [o for o in offices if o.kind == kind]
        names = R.join_names([o.name for o in of_kind], lang, 20)
        if lang == "en":
            return f"{len(of_kind)} {_KIND_EN.get(kind, kind)} of {len(offices)} offices here:\n{names}"
        return f"本群{len(offices)}个单位中有{len(of_kind)}个{kind}：\n{names}"
    on_roster = len(await repo.roster(db, chat_id=chat_id))
    names = R.join_names([o.name for o in offices], lang, 20)
    if lang == "en":
        return f"{len(offices)} office(s) here ({on_roster} on the roster):\n{names}"
    return f"本群共{len(offices)}个单位（名册上{on_roster}个）：\n{names}"


_KIND_EN = {"街道": "subdistrict(s)", "乡镇": "township(s)", "部门": "department(s)"}
