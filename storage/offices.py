"""Offices: canonical names, aliases, resolving a typed or reported name, renames and merges (撤并).

Tables ``office`` and ``office_alias``. Also here: the per-process office cache (one object for the whole
process: every module reads offices through :func:`_office_infos`), and the claim of a hand-typed roster
office by a report's fuller name (「鹿山街道」 → 「富阳区鹿山街道」), which is part of finding a report's
office in a chat — so the one-row roster insert it needs (:func:`_put_on_roster`) lives here too and
:mod:`storage.roster` uses it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage._access import RO, A, O, R, _read, _write, _ws_id, _year_is
from storage.aliases import aliases_for, core_name, guess_kind, normalise, split_region
from storage.db import Database
from storage.models import utcnow
from storage.types import OfficeInfo

#: Above this many offices, load the whole office table instead of an IN (...) list.
_BULK_OFFICES = 500
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
