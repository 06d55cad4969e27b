"""Repository: every query of the application, as async functions returning plain dataclasses.

Conventions (docs/ARCHITECTURE.md "Storage"): ``db`` first, keyword arguments after; results are the
dataclasses of :mod:`storage.types`. A workspace is one chat (``chat_id``); ``chat_id=None`` in a list
function means every workspace (admin views). "Current" means the latest non-deleted version of an
office's report for a year in a chat. Every write runs in one transaction, so a failure halfway leaves
the database as it was; writes that can race (two uploads of the same office at once) are retried.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.report import Finding, Report
from storage.aliases import aliases_for, core_name, guess_kind, normalise, split_region
from storage.db import Database
from storage.models import (
    AuditRow,
    OfficeAlias,
    OfficeRow,
    ReportCell,
    ReportFinding,
    ReportRow,
    RosterRow,
    RulingRow,
    Workspace,
    utcnow,
)
from storage.types import AuditEntry, OfficeInfo, StoredReport, StoreResult

log = logging.getLogger(__name__)

T = TypeVar("T")

W = Workspace.__table__
O = OfficeRow.__table__  # noqa: E741
A = OfficeAlias.__table__
RO = RosterRow.__table__
R = ReportRow.__table__
C = ReportCell.__table__
F = ReportFinding.__table__
AU = AuditRow.__table__

#: How often a write that lost a race (unique index) is tried again.
WRITE_ATTEMPTS = 6
#: Above this many offices, load the whole office table instead of an IN (...) list.
_BULK_OFFICES = 500


# -- transaction helpers ---------------------------------------------------------------------------


async def _write(db: Database, fn: Callable[[Connection], T], *, bulk: bool = False) -> T:
    """Run ``fn`` in one write transaction, retrying when a concurrent writer won a unique index.

    ``bulk`` runs it on the sync engine in a worker thread (many statements, no per-statement hop).
    """
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            if bulk:
                return await db.run_in_thread(fn, write=True)
            return await db.run(fn, write=True)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS:
                raise
            log.info("write lost a race, retrying (attempt %d)", attempt)
            await asyncio.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


async def _read(db: Database, fn: Callable[[Connection], T]) -> T:
    return await db.run(fn)


# -- workspaces ------------------------------------------------------------------------------------


def _ws_id(conn: Connection, chat_id: int) -> int | None:
    return (conn.execute(select(W.c.id).where(W.c.chat_id == chat_id))).scalar_one_or_none()


def _ensure_ws(conn: Connection, chat_id: int, title: str | None = None, kind: str = "group") -> int:
    ws = _ws_id(conn, chat_id)
    if ws is not None:
        if title:
            conn.execute(update(W).where(W.c.id == ws).values(title=title))
        return ws
    result = conn.execute(
        insert(W).values(
            chat_id=chat_id, title=title, kind=kind, active=True, settings={}, created_at=utcnow()
        )
    )
    return int(result.inserted_primary_key[0])


async def ensure_workspace(
    db: Database, *, chat_id: int, title: str | None = None, kind: str = "group"
) -> None:
    """Create the chat's workspace if needed (and update its title when one is given)."""

    def up_to_date(conn: Connection) -> bool:
        row = conn.execute(select(W.c.title).where(W.c.chat_id == chat_id)).first()
        return row is not None and (not title or row.title == title)

    def run(conn: Connection) -> None:
        _ensure_ws(conn, chat_id, title, kind)

    if await _read(db, up_to_date):  # the usual case: no write transaction (no write lock) at all
        return
    await _write(db, run)


async def migrate_chat(db: Database, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup (ChatMigrated): move the workspace to the new chat id, data intact.

    If the new id already has a workspace (a message arrived there first), its reports, roster and
    audit lines are moved into the old workspace before it is dropped.
    """

    def run(conn: Connection) -> None:
        old = _ws_id(conn, old_chat_id)
        new = _ws_id(conn, new_chat_id)
        if old is None:
            if new is None:
                _ensure_ws(conn, new_chat_id)
            return
        if new is not None and new != old:
            conn.execute(update(R).where(R.c.workspace_id == new).values(workspace_id=old))
            conn.execute(update(AU).where(AU.c.workspace_id == new).values(workspace_id=old))
            conn.execute(update(RulingRow.__table__).where(RulingRow.__table__.c.workspace_id == new)
                         .values(workspace_id=old))  # rulings (storage.review) follow their reports
            have = set((conn.execute(select(RO.c.office_id).where(RO.c.workspace_id == old))).scalars())
            conn.execute(
                update(RO)
                .where(RO.c.workspace_id == new, RO.c.office_id.notin_(have or {-1}))
                .values(workspace_id=old)
            )
            conn.execute(delete(RO).where(RO.c.workspace_id == new))
            conn.execute(delete(W).where(W.c.id == new))
        conn.execute(update(W).where(W.c.id == old).values(chat_id=new_chat_id))

    await _write(db, run)


async def set_chat_active(db: Database, *, chat_id: int, active: bool) -> None:
    """Mark a chat active/inactive (the bot was removed → no reminders there)."""

    def run(conn: Connection) -> None:
        ws = _ensure_ws(conn, chat_id)
        conn.execute(update(W).where(W.c.id == ws).values(active=active))

    await _write(db, run)


async def get_chat_setting(db: Database, *, chat_id: int, key: str, default: Any = None) -> Any:
    """One per-chat setting (JSON value), ``default`` when unset or the chat is unknown."""

    def run(conn: Connection) -> Any:
        settings = (conn.execute(select(W.c.settings).where(W.c.chat_id == chat_id))).scalar_one_or_none()
        return (settings or {}).get(key, default)

    return await _read(db, run)


async def set_chat_setting(db: Database, *, chat_id: int, key: str, value: Any) -> None:
    """Set one per-chat setting; ``value`` must be JSON-serialisable (``None`` removes it)."""

    def run(conn: Connection) -> None:
        ws = _ensure_ws(conn, chat_id)
        settings = dict((conn.execute(select(W.c.settings).where(W.c.id == ws))).scalar_one() or {})
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
        conn.execute(update(W).where(W.c.id == ws).values(settings=settings))

    await _write(db, run)


async def list_workspaces(db: Database, *, active_only: bool = True) -> list[int]:
    """Chat ids of every workspace (only active ones by default), ascending."""

    def run(conn: Connection) -> list[int]:
        q = select(W.c.chat_id).order_by(W.c.chat_id)
        if active_only:
            q = q.where(W.c.active.is_(True))
        return [int(x) for x in (conn.execute(q)).scalars()]

    return await _read(db, run)


# -- offices ---------------------------------------------------------------------------------------


#: Seconds an office (name, aliases) read by this process is reused without asking the database.
#: Writes in this process drop it at once; another process's rename shows here within this time.
OFFICE_CACHE_SECONDS = 30.0
_office_cache: dict[str, dict[int, tuple[float, OfficeInfo]]] = {}


def _cache_for(conn: Connection) -> dict[int, tuple[float, OfficeInfo]] | None:
    if conn.get_execution_options().get("nianbao_write"):
        return None  # a write may roll back: never cache (or trust) what it reads
    url = conn.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None  # several in-memory databases would share one key
    key = url.set(drivername=url.get_backend_name()).render_as_string(hide_password=False)
    return _office_cache.setdefault(key, {})


def _forget_offices(conn: Connection, *office_ids: int) -> None:
    url = conn.engine.url
    cache = _office_cache.get(
        url.set(drivername=url.get_backend_name()).render_as_string(hide_password=False)
    )
    if cache is not None:
        for office_id in office_ids:
            cache.pop(office_id, None)


def _office_infos(conn: Connection, ids: Iterable[int]) -> dict[int, OfficeInfo]:
    """Offices with their aliases; answered from a short-lived per-process cache when possible
    (a question over hundreds of reports would otherwise load thousands of alias rows)."""
    wanted = set(ids)
    if not wanted:
        return {}
    cache = _cache_for(conn)
    now = time.monotonic()
    found: dict[int, OfficeInfo] = {}
    if cache is not None:
        for office_id in wanted:
            hit = cache.get(office_id)
            if hit is not None and now - hit[0] < OFFICE_CACHE_SECONDS:
                found[office_id] = hit[1]
    missing = wanted - set(found)
    if missing:
        oq = select(O.c.id, O.c.name, O.c.short_name, O.c.kind, O.c.region)
        aq = select(A.c.office_id, A.c.alias).order_by(A.c.id)
        if len(missing) <= _BULK_OFFICES:
            oq = oq.where(O.c.id.in_(missing))
            aq = aq.where(A.c.office_id.in_(missing))
        aliases: dict[int, list[str]] = {}
        for office_id, alias in conn.execute(aq):
            aliases.setdefault(office_id, []).append(alias)
        for row in conn.execute(oq):
            info = OfficeInfo(row.id, row.name, row.short_name, row.kind, row.region, aliases.get(row.id, []))
            if cache is not None:
                cache[row.id] = (now, info)
            if row.id in missing:
                found[row.id] = info
    return found


def _office_info(conn: Connection, office_id: int) -> OfficeInfo:
    info = (_office_infos(conn, [office_id])).get(office_id)
    if info is None:
        raise LookupError(f"office {office_id} not found")
    return info


def _follow_merges(conn: Connection, office_id: int) -> int:
    seen = {office_id}
    while True:
        nxt = (conn.execute(select(O.c.merged_into).where(O.c.id == office_id))).scalar_one_or_none()
        if nxt is None or nxt in seen:
            return office_id
        seen.add(nxt)
        office_id = nxt


def _resolve_id(conn: Connection, name: str) -> int | None:
    """Canonical name, else a unique alias; merged offices resolve to the office that kept them."""
    name = (name or "").strip()
    if not name:
        return None
    row = (conn.execute(select(O.c.id, O.c.merged_into).where(O.c.name == name))).first()
    if row is not None:
        return row.id if row.merged_into is None else _follow_merges(conn, row.id)
    return _resolve_alias(conn, name)


def _resolve_alias(conn: Connection, name: str) -> int | None:
    """The office whose alias is ``name`` when exactly one (after merges) has it."""
    ids = set((conn.execute(select(A.c.office_id).where(A.c.alias == normalise(name)))).scalars())
    if len(ids) == 1:
        return _follow_merges(conn, ids.pop())
    kept = {_follow_merges(conn, i) for i in ids}
    return kept.pop() if len(kept) == 1 else None


def _add_aliases(conn: Connection, office_id: int, aliases: Iterable[str]) -> None:
    _forget_offices(conn, office_id)
    have = set((conn.execute(select(A.c.alias).where(A.c.office_id == office_id))).scalars())
    new = [a for a in dict.fromkeys(normalise(x)[:255] for x in aliases) if a and a not in have]
    if new:
        conn.execute(insert(A), [{"office_id": office_id, "alias": a} for a in new])


def _create_office(conn: Connection, name: str, short_name: str = "", kind: str | None = None) -> OfficeInfo:
    name = name.strip()[:255]
    if not kind or kind == "其他" or len(kind) > 32:
        kind = guess_kind(name)
    region, _ = split_region(name)
    short = (short_name.strip() or core_name(name, kind))[:255]
    region = region[:255]
    result = conn.execute(
        insert(O).values(name=name, short_name=short, kind=kind, region=region, created_at=utcnow())
    )
    office_id = int(result.inserted_primary_key[0])
    aliases = [a for a in dict.fromkeys(normalise(x)[:255] for x in aliases_for(name, short, kind)) if a]
    if aliases:
        conn.execute(insert(A), [{"office_id": office_id, "alias": a} for a in aliases])
    return OfficeInfo(office_id, name, short, kind, region, aliases)


def _resolve_alias_here(conn: Connection, ws: int, name: str) -> int | None:
    """An alias shared by several offices (two cities' 鹿山街道), settled by the one this chat holds."""
    ids = {_follow_merges(conn, i) for i in conn.execute(select(A.c.office_id).where(A.c.alias == normalise(name)))
           .scalars()}
    if len(ids) < 2:
        return None
    here = set(conn.execute(select(R.c.office_id).where(R.c.workspace_id == ws, R.c.office_id.in_(ids),
                                                        R.c.deleted_at.is_(None))).scalars())
    here |= set(conn.execute(select(RO.c.office_id).where(RO.c.workspace_id == ws, RO.c.office_id.in_(ids)))
                .scalars())
    return here.pop() if len(here) == 1 else None


def _loose_roster(conn: Connection, ws: int) -> dict[str, int]:
    """This chat's roster offices typed without a region (「鹿山街道」), by normalised name."""
    rows = conn.execute(
        select(O.c.id, O.c.name).select_from(RO.join(O, O.c.id == RO.c.office_id))
        .where(RO.c.workspace_id == ws, O.c.merged_into.is_(None), O.c.region == "")
    ).all()
    return {normalise(row.name): row.id for row in rows}


def _claim_roster_office(conn: Connection, loose: dict[str, int], name: str, short_name: str,
                         kind: str) -> int | None:
    """The roster office of this chat that a report's fuller name belongs to, renamed to that name.

    A roster typed by hand says 「鹿山街道」; the report says 「富阳区鹿山街道」. Aliases link the short form
    to the long one, not back, so without this the report would start a second office and 鹿山 would
    stay 未交. Only this chat's roster is searched (another city has its own 鹿山街道), only offices
    without a region of their own are claimed, and only when exactly one fits.
    """
    name = name.strip()
    region, _ = split_region(name)
    if not region or not loose:
        return None
    forms = set(aliases_for(name, short_name, kind)) - {normalise(name), normalise(name).replace(" ", "")}
    fits = {loose[form] for form in forms if form in loose}
    if len(fits) != 1:
        return None
    office_id = fits.pop()
    short = (short_name.strip() or core_name(name, kind))[:255]
    values: dict[str, Any] = {"name": name[:255], "region": region[:255]}
    if short:
        values["short_name"] = short
    conn.execute(update(O).where(O.c.id == office_id).values(**values))
    _add_aliases(conn, office_id, aliases_for(name, short, kind))
    _forget_loose(loose, office_id)
    return office_id


def _repoint_roster(conn: Connection, ws: int, loose: dict[str, int], office: OfficeInfo) -> None:
    """The report's office exists already (another chat stored it first): this chat's hand-typed
    roster entry for it (「鹿山街道」) now points at it, so it counts as submitted. Only this chat's roster
    row changes; the typed office stays for any other chat that uses it."""
    fits = {loose[a] for a in office.aliases if a in loose} - {office.id}
    if len(fits) != 1:
        return
    typed = fits.pop()
    conn.execute(delete(RO).where(RO.c.workspace_id == ws, RO.c.office_id == typed))
    _put_on_roster(conn, ws, office.id)
    _forget_loose(loose, typed)


def _forget_loose(loose: dict[str, int], office_id: int) -> None:
    """The office is settled: none of its typed names may claim another report."""
    for key in [k for k, v in loose.items() if v == office_id]:
        del loose[key]


def _put_on_roster(conn: Connection, ws: int, office_id: int, user_id: int | None = None) -> bool:
    """Put the office on the chat's roster; False when it was there already."""
    exists = conn.execute(
        select(RO.c.id).where(RO.c.workspace_id == ws, RO.c.office_id == office_id)).scalar_one_or_none()
    if exists is not None:
        return False
    conn.execute(insert(RO).values(workspace_id=ws, office_id=office_id, added_by=user_id, added_at=utcnow()))
    return True


async def resolve_office(db: Database, *, name: str) -> OfficeInfo | None:
    """The office called ``name`` (exact canonical name or an unambiguous alias), else ``None``."""

    def run(conn: Connection) -> OfficeInfo | None:
        office_id = _resolve_id(conn, name)
        return None if office_id is None else _office_info(conn, office_id)

    return await _read(db, run)


async def find_offices(db: Database, *, chat_id: int | None) -> list[OfficeInfo]:
    """Offices with reports in the chat or on its roster (``None``: every office not merged away)."""

    def run(conn: Connection) -> list[OfficeInfo]:
        if chat_id is None:
            ids = set((conn.execute(select(O.c.id).where(O.c.merged_into.is_(None)))).scalars())
        else:
            ws = _ws_id(conn, chat_id)
            if ws is None:
                return []
            ids = set(
                (
                    conn.execute(
                        select(R.c.office_id)
                        .where(R.c.workspace_id == ws, R.c.deleted_at.is_(None))
                        .distinct()
                    )
                ).scalars()
            )
            ids |= set((conn.execute(select(RO.c.office_id).where(RO.c.workspace_id == ws))).scalars())
        infos = _office_infos(conn, ids)
        return sorted(infos.values(), key=lambda o: o.name)

    return await _read(db, run)


async def add_alias(db: Database, *, office_id: int, alias: str) -> None:
    """Teach another name for an office (stored normalised; adding an existing alias is a no-op)."""

    def run(conn: Connection) -> None:
        _office_info(conn, office_id)
        _add_aliases(conn, office_id, [alias])

    await _write(db, run)


async def rename_office(db: Database, *, office_id: int, new_name: str, short_name: str | None = None,
                        kind: str | None = None) -> None:
    """Give an office a new canonical name; the old name stays an alias, reports stay attached.

    ``short_name``/``kind`` replace the office's own when given (an unnamed report's placeholder office
    takes the name, short name and kind its sender gave). Raises ``ValueError`` when another office
    already has that name (merge them instead).
    """
    new_name = new_name.strip()

    def run(conn: Connection) -> None:
        _forget_offices(conn, office_id)
        info = _office_info(conn, office_id)
        other = (conn.execute(select(O.c.id).where(O.c.name == new_name))).scalar_one_or_none()
        if other is not None and other != office_id:
            raise ValueError(f"已有单位名为「{new_name}」，请改用合并")
        region, _ = split_region(new_name)
        values: dict[str, Any] = {"name": new_name, "region": region}
        if short_name is not None:
            values["short_name"] = short_name.strip()[:255]
        if kind:
            values["kind"] = kind[:32]
        conn.execute(update(O).where(O.c.id == office_id).values(**values))
        _add_aliases(conn, office_id, [*aliases_for(info.name, "", info.kind), info.name])
        _add_aliases(conn, office_id, aliases_for(new_name, values.get("short_name", info.short_name),
                                                  values.get("kind", info.kind)))

    await _write(db, run)


async def merge_offices(db: Database, *, keep_id: int, merge_id: int, merged_is_newer: bool = False) -> None:
    """Fold office ``merge_id`` into ``keep_id`` (撤并): its reports, roster places and aliases move.

    Reports keep their versions; where both offices have a current report for the same chat and year,
    the kept office's stays current and the merged one's becomes history. The merged office remains
    (history) with ``merged_into`` pointing at the kept one, so its old name still resolves.
    ``merged_is_newer``: the merged office's current reports are the newer ones and stay current (an
    unnamed upload its sender has just named), the kept office's of the same chat and year become history.
    """
    if keep_id == merge_id:
        raise ValueError("cannot merge an office into itself")

    def run(conn: Connection) -> None:
        _forget_offices(conn, keep_id, merge_id)
        _office_info(conn, keep_id)
        merged = _office_info(conn, merge_id)
        kept_current = {
            (ws, yr)
            for ws, yr in conn.execute(
                select(R.c.workspace_id, R.c.year).where(R.c.office_id == keep_id, R.c.is_current.is_(True))
            )
        }
        for rid, ws, yr in conn.execute(
            select(R.c.id, R.c.workspace_id, R.c.year).where(
                R.c.office_id == merge_id, R.c.is_current.is_(True)
            )
        ):
            if (ws, yr) in kept_current and merged_is_newer:
                conn.execute(update(R).where(R.c.office_id == keep_id, R.c.workspace_id == ws, _year_is(yr),
                                             R.c.is_current.is_(True)).values(is_current=False))
            elif (ws, yr) in kept_current:
                conn.execute(update(R).where(R.c.id == rid).values(is_current=False))
        # the moved versions continue the kept office's numbering (one version number per office/year)
        top = {
            (ws, yr): v
            for ws, yr, v in conn.execute(
                select(R.c.workspace_id, R.c.year, func.max(R.c.version))
                .where(R.c.office_id == keep_id)
                .group_by(R.c.workspace_id, R.c.year)
            )
        }
        moved = conn.execute(
            select(R.c.id, R.c.workspace_id, R.c.year).where(R.c.office_id == merge_id).order_by(R.c.version, R.c.id)
        ).all()
        for rid, ws, yr in moved:
            top[(ws, yr)] = top.get((ws, yr), 0) + 1
            conn.execute(update(R).where(R.c.id == rid).values(office_id=keep_id, version=top[(ws, yr)]))
        kept_ws = set((conn.execute(select(RO.c.workspace_id).where(RO.c.office_id == keep_id))).scalars())
        conn.execute(
            update(RO)
            .where(RO.c.office_id == merge_id, RO.c.workspace_id.notin_(kept_ws or {-1}))
            .values(office_id=keep_id)
        )
        conn.execute(delete(RO).where(RO.c.office_id == merge_id))
        _add_aliases(conn, keep_id, [*merged.aliases, merged.name])
        conn.execute(delete(A).where(A.c.office_id == merge_id))
        conn.execute(update(O).where(O.c.id == merge_id).values(merged_into=keep_id))
        _forget_offices(conn, keep_id, merge_id)

    await _write(db, run)


# -- reports ---------------------------------------------------------------------------------------

_REPORT_COLS = [c for c in R.c if c.name != "report_json"]


def _report_query() -> Any:
    return select(*_REPORT_COLS, W.c.chat_id).join(W, W.c.id == R.c.workspace_id)


def _current() -> Any:
    return and_(R.c.is_current.is_(True), R.c.deleted_at.is_(None))


def _year_is(year: int | None) -> Any:
    return R.c.year.is_(None) if year is None else R.c.year == year


def _stored(
    conn: Connection, rows: list[Any], offices: dict[int, OfficeInfo] | None = None
) -> list[StoredReport]:
    known = offices if offices is not None else {}
    missing = {r.office_id for r in rows} - set(known)
    if missing:
        known.update(_office_infos(conn, missing))
    return [
        StoredReport(
            id=r.id,
            workspace_chat_id=int(r.chat_id),
            office=known[r.office_id],
            year=r.year,
            version=r.version,
            is_current=bool(r.is_current),
            verdict=r.verdict,
            errors=r.errors,
            warnings=r.warnings,
            infos=r.infos,
            filename=r.filename,
            sha256=r.sha256,
            kind=r.kind,
            format=r.format,
            sender_id=r.sender_id,
            sender_name=r.sender_name,
            received_at=r.received_at,
            deleted_at=r.deleted_at,
        )
        for r in rows
    ]


def _one(conn: Connection, query: Any) -> StoredReport | None:
    row = (conn.execute(query.limit(1))).first()
    return None if row is None else (_stored(conn, [row]))[0]


def report_sha256(report: Report) -> str:
    """The file's SHA-256 as the reader recorded it, else a digest of the report JSON."""
    if report.source.sha256:
        return report.source.sha256
    blob = json.dumps(report.to_json(), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


#: The office of a report that names none, until its sender says which (never the file name: two offices'
#: 001.txt would become versions of one office). One per document: the file name and its digest.
UNNAMED = "未注明单位"


def unnamed_office_name(report: Report) -> str:
    """「未注明单位（037.txt·3fa2c1）」."""
    return f"{UNNAMED}（{Path(report.source.filename).name}·{report_sha256(report)[:6]}）"


def _office_name(report: Report) -> str:
    name = (report.office.name or "").strip() or unnamed_office_name(report)
    return name[:255]  # the column's size; a garbled "name" must not fail the upload


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


@dataclass
class _Prepared:
    """Everything about one report computed before the transaction (no database needed)."""

    report: Report
    sha: str
    office_name: str
    payload: dict[str, Any]
    cells: list[tuple[str, str, str, float | None, str]]
    findings: list[dict[str, Any]]
    counts: dict[str, int]


def _prepare(report: Report) -> _Prepared:
    cells = [
        (t, r, c, None if v.value is None else float(v.value), v.raw or "") for t, r, c, v in report.cells()
    ]
    findings = [
        {
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "where": f.where,
            "message_en": f.message_en,
            "left": _num(f.left),
            "right": _num(f.right),
            "delta": _num(f.delta),
        }
        for f in report.findings
    ]
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    return _Prepared(
        report,
        report_sha256(report),
        _office_name(report),
        report.to_json(detail=True),
        cells,
        findings,
        counts,
    )


@dataclass
class _Batch:
    """Per-transaction state of a store: caches, and the cell/finding rows written at the end."""

    chat_id: int
    ws: int
    offices: dict[int, OfficeInfo] = field(default_factory=dict)
    office_ids: dict[str, int] = field(default_factory=dict)
    by_sha: dict[str, StoredReport] = field(default_factory=dict)
    cells: list[tuple[int, str, str, str, float | None, str]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    #: After ``prefetch``: SHA-256s already stored in the workspace, and names known not to be canonical.
    stored_shas: set[str] | None = None
    not_canonical: set[str] = field(default_factory=set)
    #: This chat's roster offices typed without a region, by normalised name (loaded on first use).
    loose: dict[str, int] | None = None

    def prefetch(self, conn: Connection, preps: list[_Prepared]) -> None:
        """Look up a whole chunk's duplicates and offices in a few queries instead of a few each."""
        shas = sorted({p.sha for p in preps})
        self.stored_shas = set(
            conn.execute(
                select(R.c.sha256).where(
                    R.c.workspace_id == self.ws, R.c.deleted_at.is_(None), R.c.sha256.in_(shas)
                )
            ).scalars()
        )
        names = sorted({p.office_name.strip() for p in preps})
        for row in conn.execute(select(O.c.id, O.c.name, O.c.merged_into).where(O.c.name.in_(names))):
            self.office_ids[row.name] = row.id if row.merged_into is None else _follow_merges(conn, row.id)
        self.not_canonical = set(names) - set(self.office_ids)
        missing = set(self.office_ids.values()) - set(self.offices)
        if missing:
            self.offices.update(_office_infos(conn, missing))

    def office(self, conn: Connection, prep: _Prepared) -> OfficeInfo:
        office_id = self.office_ids.get(prep.office_name)
        if office_id is None:
            if prep.office_name.strip() in self.not_canonical:
                office_id = _resolve_alias(conn, prep.office_name.strip())
            else:
                office_id = _resolve_id(conn, prep.office_name)
        if office_id is None:  # 「鹿山街道办事处」 when two cities have one: the one this chat holds
            office_id = _resolve_alias_here(conn, self.ws, prep.office_name.strip())
        if self.loose is None:
            self.loose = _loose_roster(conn, self.ws)
        if office_id is None:
            office_id = _claim_roster_office(conn, self.loose, prep.office_name, prep.report.office.short_name,
                                             prep.report.office.kind)
            if office_id is not None:
                self.offices.pop(office_id, None)
        if office_id is None:
            office = prep.report.office
            info = _create_office(conn, prep.office_name, office.short_name, office.kind)
            self.offices[info.id] = info
            office_id = info.id
        self.office_ids[prep.office_name] = office_id
        if office_id not in self.offices:
            self.offices[office_id] = _office_info(conn, office_id)
        if self.loose:
            _repoint_roster(conn, self.ws, self.loose, self.offices[office_id])
        return self.offices[office_id]

    def flush(self, conn: Connection) -> None:
        if self.cells and not _copy_cells(conn, self.cells):
            # Thousands of rows per import: hand plain tuples to the driver's executemany, skipping
            # SQLAlchemy's per-row parameter processing (the slowest part of a bulk import).
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            sql = f'INSERT INTO report_cell (report_id, tbl, "row", col, value, raw) VALUES ({", ".join([mark] * 6)})'
            conn.exec_driver_sql(sql, self.cells)
        if self.findings:
            conn.execute(insert(F), self.findings)
        self.cells, self.findings = [], []


def _versions_query(null_year: bool) -> Any:
    year = R.c.year.is_(None) if null_year else R.c.year == bindparam("year")
    return (
        _report_query()
        .where(R.c.workspace_id == bindparam("ws"), R.c.office_id == bindparam("office"), year)
        .order_by(R.c.version)
    )


# Built once: a bulk import runs these thousands of times (statement building showed in profiles).
_VERSIONS = {False: _versions_query(False), True: _versions_query(True)}
_INSERT_REPORT = insert(R)


def _copy_cells(conn: Connection, rows: list[tuple[int, str, str, str, float | None, str]]) -> bool:
    """PostgreSQL on a sync connection (bulk import): COPY the cells, ~10× faster than executemany.

    Returns False when COPY is not available (SQLite, or the async driver inside ``run_sync``).
    """
    if conn.dialect.name != "postgresql":
        return False
    import psycopg

    raw = conn.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        return False
    with raw.cursor() as cur:
        with cur.copy('COPY report_cell (report_id, tbl, "row", col, value, raw) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    return True


def _store_one(
    conn: Connection,
    batch: _Batch,
    prep: _Prepared,
    sender_id: int | None,
    sender_name: str | None,
    file_unique_id: str | None,
) -> StoreResult:
    """Store one prepared report inside the caller's transaction (cells/findings queued on ``batch``)."""
    if prep.sha in batch.by_sha:
        return StoreResult("duplicate", batch.by_sha[prep.sha], None)
    if batch.stored_shas is None or prep.sha in batch.stored_shas:
        dup = _one(
            conn,
            _report_query().where(
                R.c.workspace_id == batch.ws, R.c.sha256 == prep.sha, R.c.deleted_at.is_(None)
            ),
        )
        if dup is not None:
            return StoreResult("duplicate", dup, None)
    office = batch.office(conn, prep)
    report = prep.report
    same = and_(R.c.workspace_id == batch.ws, R.c.office_id == office.id, _year_is(report.year))
    key = {"ws": batch.ws, "office": office.id, "year": report.year}
    versions = list(conn.execute(_VERSIONS[report.year is None], key))
    last = max((r.version for r in versions), default=0)
    current = [r for r in versions if r.is_current]
    previous = None
    live = [r for r in current if r.deleted_at is None]
    if live:
        previous = (_stored(conn, live[-1:], batch.offices))[0]
    if current:
        conn.execute(update(R).where(same, R.c.is_current.is_(True)).values(is_current=False))
    values = {
        "workspace_id": batch.ws,
        "office_id": office.id,
        "year": report.year,
        "version": last + 1,
        "is_current": True,
        "sha256": prep.sha,
        "filename": report.source.filename[:512],
        "kind": (report.source.kind or "")[:16],
        "format": (report.format or "unknown")[:16],
        "verdict": report.verdict,
        "errors": prep.counts["error"],
        "warnings": prep.counts["warning"],
        "infos": prep.counts["info"],
        "sender_id": sender_id,
        "sender_name": sender_name[:255] if sender_name else sender_name,
        "file_unique_id": file_unique_id[:255] if file_unique_id else file_unique_id,
        "received_at": utcnow(),
        "deleted_at": None,
    }
    result = conn.execute(_INSERT_REPORT, {**values, "report_json": prep.payload})
    report_id = int(result.inserted_primary_key[0])
    batch.cells.extend((report_id, *c) for c in prep.cells)
    batch.findings.extend({"report_id": report_id, **f} for f in prep.findings)
    if versions:  # rulings on an earlier version carry over where the same finding recurs (storage.review)
        from storage.review import carry_rulings

        carried = carry_rulings(conn, report_id=report_id, findings=report.findings,
                                earlier_ids=[r.id for r in versions])
        if carried is not None:
            values["verdict"], values["errors"], values["warnings"], values["infos"] = carried
    stored = StoredReport(
        id=report_id,
        workspace_chat_id=batch.chat_id,
        office=office,
        year=values["year"],
        version=values["version"],
        is_current=True,
        verdict=values["verdict"],
        errors=values["errors"],
        warnings=values["warnings"],
        infos=values["infos"],
        filename=values["filename"],
        sha256=prep.sha,
        kind=values["kind"],
        format=values["format"],
        sender_id=sender_id,
        sender_name=values["sender_name"],
        received_at=values["received_at"],
        deleted_at=None,
    )
    batch.by_sha[prep.sha] = stored
    return StoreResult("new_version" if previous else "new", stored, previous)


async def store_report(
    db: Database,
    *,
    chat_id: int,
    report: Report,
    sender_id: int | None = None,
    sender_name: str | None = None,
    file_unique_id: str | None = None,
) -> StoreResult:
    """Store a validated report in the chat's workspace.

    The same file again (same SHA-256 in this chat) → ``duplicate``, nothing written. Another file for
    an office and year that already has a current report → ``new_version`` (the old one is kept as
    history). Otherwise ``new``. Cells and findings go to their own indexed tables in one transaction.
    """
    prep = _prepare(report)

    def run(conn: Connection) -> StoreResult:
        batch = _Batch(chat_id, _ensure_ws(conn, chat_id))
        result = _store_one(conn, batch, prep, sender_id, sender_name, file_unique_id)
        batch.flush(conn)
        return result

    return await _write(db, run)


async def store_reports(
    db: Database,
    *,
    chat_id: int,
    reports: Iterable[Report],
    sender_id: int | None = None,
    sender_name: str | None = None,
    chunk: int = 200,
) -> list[StoreResult]:
    """Bulk import (``nianbao import``, benchmarks): like ``store_report`` for each report, in order.

    Reports are stored ``chunk`` at a time, one transaction per chunk with one batched insert of all
    their cells, so a large import needs few round trips. Duplicates and versions behave exactly as in
    ``store_report``, also between reports of the same call.
    """
    prepared = [_prepare(r) for r in reports]
    results: list[StoreResult] = []
    for start in range(0, len(prepared), max(chunk, 1)):
        part = prepared[start : start + max(chunk, 1)]

        def run(conn: Connection, part: list[_Prepared] = part) -> list[StoreResult]:
            batch = _Batch(chat_id, _ensure_ws(conn, chat_id))
            batch.prefetch(conn, part)
            out = [_store_one(conn, batch, p, sender_id, sender_name, None) for p in part]
            batch.flush(conn)
            return out

        results.extend(await _write(db, run, bulk=True))
    if not db.is_sqlite and len(prepared) >= _ANALYZE_AFTER:
        await db.run_in_thread(_analyze, write=False)
    return results


#: After a bulk import of at least this many reports, refresh PostgreSQL's planner statistics.
_ANALYZE_AFTER = 100


def _analyze(conn: Connection) -> None:
    """ANALYZE the big tables: right after a bulk load PostgreSQL's statistics still say "empty"
    and it would join cells through the (tbl, row, col) index — 50 ms instead of 1 ms per question."""
    for table in ("workspace", "office", "office_alias", "report", "report_cell"):
        conn.exec_driver_sql(f"ANALYZE {table}")


async def previous_report(db: Database, *, chat_id: int, office_name: str, year: int | None) -> Report | None:
    """The current report of ``year - 1`` for the office called ``office_name`` in this chat (XY rules).

    ``year`` is the year of the report being checked; ``None`` when unknown or nothing was stored.
    """
    if year is None:
        return None

    def run(conn: Connection) -> Report | None:
        ws = _ws_id(conn, chat_id)
        office_id = _resolve_id(conn, office_name)
        if ws is None or office_id is None:
            return None
        payload = (
            conn.execute(
                select(R.c.report_json)
                .where(R.c.workspace_id == ws, R.c.office_id == office_id, R.c.year == year - 1, _current())
                .limit(1)
            )
        ).scalar_one_or_none()
        return None if payload is None else Report.from_json(payload)

    return await _read(db, run)


async def get_report(
    db: Database, *, chat_id: int, office_id: int, year: int | None = None
) -> StoredReport | None:
    """The office's current report in this chat for ``year`` (``None``: the latest year)."""

    def run(conn: Connection) -> StoredReport | None:
        q = _report_query().where(W.c.chat_id == chat_id, R.c.office_id == office_id, _current())
        if year is not None:
            q = q.where(R.c.year == year)
        return _one(conn, q.order_by(R.c.year.desc().nulls_last(), R.c.version.desc()))

    return await _read(db, run)


async def report_with_cells(
    db: Database, *, chat_id: int, office_id: int, year: int | None = None
) -> tuple[StoredReport | None, dict[tuple[str, str, str], float | None]]:
    """:func:`get_report` and that report's :func:`report_cells` in one read transaction
    (a question about one office's number needs both; ``(None, {})`` when there is no report)."""

    def run(conn: Connection) -> tuple[StoredReport | None, dict[tuple[str, str, str], float | None]]:
        q = _report_query().where(W.c.chat_id == chat_id, R.c.office_id == office_id, _current())
        if year is not None:
            q = q.where(R.c.year == year)
        stored = _one(conn, q.order_by(R.c.year.desc().nulls_last(), R.c.version.desc()))
        if stored is None:
            return None, {}
        return stored, _cells_of(conn, stored.id)

    return await _read(db, run)


async def load_report(db: Database, *, report_id: int) -> Report:
    """The full stored report (cells with locations, prose, findings). ``LookupError`` when unknown."""

    def run(conn: Connection) -> Report:
        payload = (conn.execute(select(R.c.report_json).where(R.c.id == report_id))).scalar_one_or_none()
        if payload is None:
            raise LookupError(f"report {report_id} not found")
        return Report.from_json(payload)

    return await _read(db, run)


def _order() -> list[Any]:
    return [O.c.name, R.c.year, R.c.version]


async def list_reports(
    db: Database, *, chat_id: int | None, year: int | None = None, include_history: bool = False
) -> list[StoredReport]:
    """Non-deleted reports of the chat (``None``: all chats), current versions only unless asked.

    Sorted by office name, year, version.
    """

    def run(conn: Connection) -> list[StoredReport]:
        q = _report_query().join(O, O.c.id == R.c.office_id).where(R.c.deleted_at.is_(None))
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        if year is not None:
            q = q.where(R.c.year == year)
        if not include_history:
            q = q.where(R.c.is_current.is_(True))
        rows = list(conn.execute(q.order_by(*_order(), W.c.chat_id)))
        return _stored(conn, rows)

    return await _read(db, run)


async def report_history(
    db: Database, *, chat_id: int, office_id: int, year: int | None
) -> list[StoredReport]:
    """Every version of the office's report for ``year`` in this chat, oldest first (deleted ones too,
    with ``deleted_at`` set)."""

    def run(conn: Connection) -> list[StoredReport]:
        q = _report_query().where(W.c.chat_id == chat_id, R.c.office_id == office_id, _year_is(year))
        rows = list(conn.execute(q.order_by(R.c.version, R.c.id)))
        return _stored(conn, rows)

    return await _read(db, run)


async def report_findings(db: Database, *, report_id: int) -> list[Finding]:
    """The stored findings of one report, errors first, in stored order within a severity."""
    rank = {"error": 0, "warning": 1, "info": 2}

    def run(conn: Connection) -> list[Finding]:
        rows = conn.execute(select(F).where(F.c.report_id == report_id).order_by(F.c.id))
        out = [
            Finding(
                code=r.code,
                severity=r.severity,
                message=r.message,
                where=r.where,
                message_en=r.message_en,
                left=_int_if_whole(r.left),
                right=_int_if_whole(r.right),
                delta=_int_if_whole(r.delta),
            )
            for r in rows
        ]
        return sorted(out, key=lambda f: rank.get(f.severity, 3))

    return await _read(db, run)


def _int_if_whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


async def cell_values(
    db: Database, *, chat_id: int | None, year: int, table: str, row: str, col: str
) -> list[tuple[StoredReport, float | None]]:
    """One cell across the current reports of ``year`` in the chat (``None``: all chats).

    Every current report appears; the value is ``None`` when that cell is blank or its table absent.
    Sorted by office name.
    """

    def run(conn: Connection) -> list[tuple[StoredReport, float | None]]:
        cell = C.alias("c")
        q = (
            select(*_REPORT_COLS, W.c.chat_id, cell.c.value)
            .join(W, W.c.id == R.c.workspace_id)
            .join(O, O.c.id == R.c.office_id)
            .outerjoin(
                cell,
                and_(cell.c.report_id == R.c.id, cell.c.tbl == table, cell.c.row == row, cell.c.col == col),
            )
            .where(R.c.year == year, _current())
            .order_by(O.c.name, W.c.chat_id)
        )
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        rows = list(conn.execute(q))
        stored = _stored(conn, rows)
        return [(s, r.value) for s, r in zip(stored, rows, strict=True)]

    return await _read(db, run)


async def report_cells(db: Database, *, report_id: int) -> dict[tuple[str, str, str], float | None]:
    """Every cell of one report: ``{(table, row, col): value}`` (``None`` = blank)."""

    def run(conn: Connection) -> dict[tuple[str, str, str], float | None]:
        return _cells_of(conn, report_id)

    return await _read(db, run)


def _cells_of(conn: Connection, report_id: int) -> dict[tuple[str, str, str], float | None]:
    rows = conn.execute(
        select(C.c.tbl, C.c.row, C.c.col, C.c.value).where(C.c.report_id == report_id).order_by(C.c.id)
    )
    return {(t, r, c): v for t, r, c, v in rows}


async def years(db: Database, *, chat_id: int | None) -> list[int]:
    """Years with at least one current report in the chat (``None``: any chat), ascending."""

    def run(conn: Connection) -> list[int]:
        q = select(R.c.year).join(W, W.c.id == R.c.workspace_id).where(_current(), R.c.year.is_not(None))
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        return sorted({int(y) for y in (conn.execute(q.distinct())).scalars()})

    return await _read(db, run)


async def delete_report(
    db: Database, *, chat_id: int, office_id: int, year: int | None, user_id: int | None,
    unknown_year: bool = False,
) -> int:
    """Soft-delete the office's current report for ``year`` (``None``: every year; ``unknown_year``: the
    ones without a year); returns how many.

    Older versions stay as history; ``restore_report`` undoes it.
    """

    def run(conn: Connection) -> int:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return 0
        cond = [R.c.workspace_id == ws, R.c.office_id == office_id, _current()]
        if year is not None or unknown_year:  # unknown_year: only the reports whose year could not be read
            cond.append(_year_is(None if unknown_year else year))
        result = conn.execute(update(R).where(*cond).values(deleted_at=utcnow(), deleted_by=user_id))
        count = result.rowcount or 0
        if count:
            _audit(conn, ws, user_id, "delete_report", f"office={office_id} year={year} count={count}")
        return count

    return await _write(db, run)


async def restore_report(
    db: Database, *, chat_id: int, office_id: int, year: int | None, user_id: int | None,
    unknown_year: bool = False,
) -> int:
    """Undo soft deletes of the office's reports for ``year`` (``None``: every year); returns how many.

    If no version is current afterwards, the newest restored one becomes current again. A deleted
    file that was sent again meanwhile is left deleted (the new copy already stands for it).
    """

    def run(conn: Connection) -> int:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return 0
        cond = [R.c.workspace_id == ws, R.c.office_id == office_id, R.c.deleted_at.is_not(None)]
        if year is not None or unknown_year:  # unknown_year: only the reports whose year could not be read
            cond.append(_year_is(None if unknown_year else year))
        rows = list(conn.execute(select(R.c.id, R.c.year, R.c.sha256).where(*cond).order_by(R.c.version)))
        live = set(
            (
                conn.execute(select(R.c.sha256).where(R.c.workspace_id == ws, R.c.deleted_at.is_(None)))
            ).scalars()
        )
        restored = [r for r in rows if r.sha256 not in live]
        if not restored:
            return 0
        conn.execute(
            update(R).where(R.c.id.in_([r.id for r in restored])).values(deleted_at=None, deleted_by=None)
        )
        for yr in {r.year for r in restored}:
            same = and_(R.c.workspace_id == ws, R.c.office_id == office_id, _year_is(yr))
            currents = list((conn.execute(select(R.c.id).where(same, R.c.is_current.is_(True)))).scalars())
            if not currents:
                newest = (
                    conn.execute(
                        select(R.c.id)
                        .where(same, R.c.deleted_at.is_(None))
                        .order_by(R.c.version.desc())
                        .limit(1)
                    )
                ).scalar_one()
                conn.execute(update(R).where(R.c.id == newest).values(is_current=True))
        _audit(conn, ws, user_id, "restore_report", f"office={office_id} year={year} count={len(restored)}")
        return len(restored)

    return await _write(db, run)


# -- roster ----------------------------------------------------------------------------------------


async def roster(db: Database, *, chat_id: int) -> list[OfficeInfo]:
    """The offices expected to report in this chat, by name."""

    def run(conn: Connection) -> list[OfficeInfo]:
        q = select(RO.c.office_id).join(W, W.c.id == RO.c.workspace_id).where(W.c.chat_id == chat_id)
        infos = _office_infos(conn, set((conn.execute(q)).scalars()))
        return sorted(infos.values(), key=lambda o: o.name)

    return await _read(db, run)


async def roster_add(
    db: Database, *, chat_id: int, name: str, kind: str | None = None, user_id: int | None = None
) -> OfficeInfo:
    """Put an office on the chat's roster (found by name or alias, created when new); idempotent."""

    def run(conn: Connection) -> OfficeInfo:
        ws = _ensure_ws(conn, chat_id)
        office_id = _resolve_id(conn, name) or _resolve_alias_here(conn, ws, name)
        if office_id is None:
            office_id = (_create_office(conn, name, "", kind)).id
        if _put_on_roster(conn, ws, office_id, user_id):
            _audit(conn, ws, user_id, "roster_add", name)
        return _office_info(conn, office_id)

    return await _write(db, run)


async def roster_remove(db: Database, *, chat_id: int, office_id: int, user_id: int | None = None) -> bool:
    """Take an office off the chat's roster; ``False`` when it was not on it."""

    def run(conn: Connection) -> bool:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return False
        result = conn.execute(delete(RO).where(RO.c.workspace_id == ws, RO.c.office_id == office_id))
        if result.rowcount:
            _audit(conn, ws, user_id, "roster_remove", f"office={office_id}")
        return bool(result.rowcount)

    return await _write(db, run)


async def submission_status(
    db: Database, *, chat_id: int, year: int
) -> list[tuple[OfficeInfo, StoredReport | None]]:
    """Roster ∪ offices that reported for ``year``: each with its current report or ``None`` (未交).

    Sorted: missing first, then by office name.
    """

    def run(conn: Connection) -> list[tuple[OfficeInfo, StoredReport | None]]:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return []
        rows = list(conn.execute(_report_query().where(R.c.workspace_id == ws, R.c.year == year, _current())))
        reports = {s.office.id: s for s in _stored(conn, rows)}
        on_roster = set((conn.execute(select(RO.c.office_id).where(RO.c.workspace_id == ws))).scalars())
        infos = _office_infos(conn, on_roster | set(reports))
        out = [(info, reports.get(oid)) for oid, info in infos.items()]
        return sorted(out, key=lambda pair: (pair[1] is not None, pair[0].name))

    return await _read(db, run)


# -- audit and updates -----------------------------------------------------------------------------


def _audit(conn: Connection, ws: int | None, user_id: int | None, action: str, detail: str) -> None:
    conn.execute(
        insert(AU).values(workspace_id=ws, user_id=user_id, action=action, detail=detail or "", at=utcnow())
    )


async def audit(
    db: Database, *, chat_id: int | None, user_id: int | None, action: str, detail: str = ""
) -> None:
    """Record an action in the chat's audit log (``chat_id=None``: a global admin action)."""

    def run(conn: Connection) -> None:
        ws = None if chat_id is None else _ensure_ws(conn, chat_id)
        _audit(conn, ws, user_id, action, detail)

    await _write(db, run)


async def audit_log(db: Database, *, chat_id: int | None, limit: int = 50) -> list[AuditEntry]:
    """The newest audit entries of the chat (``None``: every chat), newest first."""

    def run(conn: Connection) -> list[AuditEntry]:
        q = select(AU, W.c.chat_id).outerjoin(W, W.c.id == AU.c.workspace_id)
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        rows = conn.execute(q.order_by(AU.c.at.desc(), AU.c.id.desc()).limit(limit))
        return [
            AuditEntry(
                r.id, None if r.chat_id is None else int(r.chat_id), r.user_id, r.action, r.detail, r.at
            )
            for r in rows
        ]

    return await _read(db, run)


__all__ = [
    "add_alias",
    "audit",
    "audit_log",
    "cell_values",
    "delete_report",
    "ensure_workspace",
    "find_offices",
    "get_chat_setting",
    "get_report",
    "list_reports",
    "list_workspaces",
    "load_report",
    "merge_offices",
    "migrate_chat",
    "previous_report",
    "rename_office",
    "report_cells",
    "report_findings",
    "report_history",
    "report_with_cells",
    "report_sha256",
    "resolve_office",
    "restore_report",
    "roster",
    "roster_add",
    "roster_remove",
    "set_chat_active",
    "set_chat_setting",
    "store_report",
    "store_reports",
    "submission_status",
    "years",
]
