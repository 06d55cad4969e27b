"""The storage facade: every query of the application under one name, ``from storage import repo``.

The queries live in one module per aggregate, so a reader finds a table's queries by its name:

* :mod:`storage.workspaces` — ``workspace``: chats, per-chat settings, chat migration
* :mod:`storage.offices` — ``office``, ``office_alias``: resolve, find, aliases, rename, merge, office cache
* :mod:`storage.reports` — ``report``, ``report_cell``, ``report_finding``: store, read, history, delete
* :mod:`storage.roster` — ``roster``: expected offices, submission status
* :mod:`storage.audit` — ``audit``: the audit log
* :mod:`storage.review` — ``ruling``: rulings on findings, the 整改 state (issue 21)
* :mod:`storage.reminders`, :mod:`storage.inbox` — reminder tables and the update inbox (imported directly)

This module only re-exports them, so ``repo.store_report(...)`` keeps working everywhere. New code may
import either; patching a function for a test must patch the module that *calls* it.

Conventions (docs/ARCHITECTURE.md "Storage"): ``db`` first, keyword arguments after; results are the
dataclasses of :mod:`storage.types`. A workspace is one chat (``chat_id``); ``chat_id=None`` in a list
function means every workspace (admin views). "Current" means the latest non-deleted version of an
office's report for a year in a chat. Every write runs in one transaction, so a failure halfway leaves
the database as it was; writes that can race (two uploads of the same office at once) are retried.
"""

from __future__ import annotations

# Private helpers and table shortcuts are re-exported too: code written against the single module
# (``from storage.repo import _write, _ws_id, R``) keeps working.
from storage._access import (  # noqa: F401
    AU,
    RO,
    WRITE_ATTEMPTS,
    A,
    C,
    F,
    O,
    R,
    W,
    _ensure_ws,
    _read,
    _write,
    _ws_id,
    _year_is,
)
from storage.audit import _audit, audit, audit_log  # noqa: F401
from storage.offices import (  # noqa: F401
    OFFICE_CACHE_SECONDS,
    _add_aliases,
    _create_office,
    _follow_merges,
    _forget_offices,
    _office_info,
    _office_infos,
    _put_on_roster,
    _resolve_alias,
    _resolve_alias_here,
    _resolve_id,
    add_alias,
    find_offices,
    merge_offices,
    rename_office,
    resolve_office,
)
from storage.reports import (  # noqa: F401
    UNNAMED,
    _cells_of,
    _current,
    _one,
    _report_query,
    _stored,
    cell_values,
    delete_report,
    get_report,
    list_reports,
    load_report,
    previous_report,
    report_cells,
    report_findings,
    report_history,
    report_sha256,
    report_with_cells,
    restore_report,
    store_report,
    store_reports,
    unnamed_office_name,
    years,
)
from storage.review import (
    dismissed_fingerprints,
    report_review,
    review_states,
    review_status,
    rule_finding,
    rulings_for_report,
    rulings_for_reports,
)
from storage.roster import roster, roster_add, roster_remove, submission_status
from storage.workspaces import (
    ensure_workspace,
    get_chat_setting,
    list_workspaces,
    migrate_chat,
    set_chat_active,
    set_chat_setting,
)

__all__ = [
    "rulings_for_reports",
    "rulings_for_report",
    "rule_finding",
    "review_status",
    "review_states",
    "report_review",
    "dismissed_fingerprints",
    "UNNAMED",
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
    "unnamed_office_name",
    "years",
]
