"""Plain dataclasses returned by :mod:`storage.repo` (never ORM objects).

Callers (handlers, questions, exports, reminders) get frozen snapshots they can keep after the database
session is gone, so no lazy loading can surprise them in another task or thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.report import Finding
from bot.review.states import CONFIRMED, DISMISSED


@dataclass(frozen=True)
class OfficeInfo:
    """A reporting office: canonical name, short name, kind, region and every alias (normalised)."""

    id: int
    name: str
    short_name: str
    kind: str
    region: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoredReport:
    """One stored report version (the numbers live in ``report_cells``/``load_report``)."""

    id: int
    workspace_chat_id: int
    office: OfficeInfo
    year: int | None
    version: int
    is_current: bool
    verdict: str
    errors: int
    warnings: int
    infos: int
    filename: str
    sha256: str
    kind: str
    format: str
    sender_id: int | None
    sender_name: str | None
    received_at: datetime
    deleted_at: datetime | None


StoreStatus = Literal["new", "new_version", "duplicate"]


@dataclass(frozen=True)
class StoreResult:
    """What ``store_report`` did: ``new``, ``new_version`` (``previous`` is the replaced one) or ``duplicate``.

    For a duplicate, ``report`` is the version already stored with the same file.
    """

    status: StoreStatus
    report: StoredReport
    previous: StoredReport | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One line of a chat's audit log."""

    id: int
    chat_id: int | None
    user_id: int | None
    action: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class Contact:
    """A person to address about a roster office in one chat: the one type for the documents, the
    reminders' mentions and the review.

    Bound via /roster 联系人 (storage/contacts.py: ``bound_by``/``bound_at`` set), or — when an office has
    nobody bound — the person who sent its report (``bound_at`` None, and ``user_id`` None when the report
    came without a sender id). ``username`` is None for users without one: they are mentioned by a text
    mention with their id.
    """

    chat_id: int
    office_id: int
    user_id: int | None
    username: str | None
    display_name: str
    bound_by: int | None = None
    bound_at: datetime | None = None

    @property
    def name(self) -> str:
        """How documents and mentions write the person: the display name, else the user id."""
        return self.display_name or (str(self.user_id) if self.user_id is not None else "")


@dataclass(frozen=True)
class SeenUser:
    """A user the bot has seen write in a chat (the Bot API cannot resolve ``@username`` itself)."""

    chat_id: int
    user_id: int
    username: str | None
    full_name: str
    is_bot: bool


@dataclass(frozen=True)
class NudgeState:
    """A contact's answer to the private nudges of one deadline."""

    deadline_id: int
    user_id: int
    chat_id: int
    acked_at: datetime | None
    promised_on: date | None
    snoozed_until: date | None


@dataclass(frozen=True)
class OfficeObligation:
    """An office's own terms for one report year in one chat (storage/obligations.py).

    ``kind`` is ``extension`` (then ``due`` is its own date) or ``exemption`` (it owes nothing that year).
    """

    office_id: int
    report_year: int
    kind: str
    due: date | None
    reason: str
    created_by: int | None
    created_at: datetime | None


@dataclass(frozen=True)
class ChatLink:
    """A child chat's link to its supervisor chat; ``supervisor_chat_id`` is None until confirmed."""

    id: int
    child_chat_id: int
    supervisor_chat_id: int | None
    code_expires_at: datetime | None
    confirmed_at: datetime | None
    unlinked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unlinked_at is None


LinkResult = Literal["ok", "unknown", "expired", "used", "same_chat", "already_linked"]


@dataclass(frozen=True)
class Ruling:
    """An admin's ruling on one finding of one report version (``storage.review``).

    ``decision`` is ``confirmed`` (确认) or ``dismissed`` (不是问题); ``carried`` says it was made on an
    earlier version and recurred with the same fingerprint.
    """

    id: int
    report_id: int
    fingerprint: str
    decision: str
    reason: str
    user_id: int | None
    user_name: str
    at: datetime
    carried: bool = False

    @property
    def dismissed(self) -> bool:
        return self.decision == DISMISSED

    @property
    def confirmed(self) -> bool:
        return self.decision == CONFIRMED


@dataclass(frozen=True)
class OfficeReview:
    """One office's current report for a year in the review loop: its 整改 state and ruling counts.

    ``state`` is a :class:`bot.review.ReviewState` (a ``str``: 待审 / 需整改 / 已整改 / 通过).
    """

    office: OfficeInfo
    report_id: int
    year: int | None
    version: int
    state: str
    confirmed: int
    dismissed: int
    unruled: int


@dataclass(frozen=True)
class ReviewedFinding:
    """A stored finding with its fingerprint and its ruling, if any (``storage.review.reviewed_findings``).

    The review list, the notice, the 通报 and the workbook all read these two properties, so what counts
    as 不是问题 and what an office must change is decided here only.
    """

    finding: Finding
    fingerprint: str
    ruling: Ruling | None = None

    @property
    def dismissed(self) -> bool:
        """An admin ruled it 不是问题: it no longer counts anywhere."""
        return self.ruling is not None and self.ruling.dismissed

    @property
    def to_fix(self) -> bool:
        """What an office is asked to change: every error not dismissed and each warning an admin confirmed."""
        if self.dismissed:
            return False
        if self.finding.severity == "error":
            return True
        return self.finding.severity == "warning" and self.ruling is not None and self.ruling.confirmed


@dataclass(frozen=True)
class ReportReview:
    """One report version with every finding, fingerprint and ruling (``storage.review.report_review``)."""

    report_id: int
    office_name: str
    short_name: str
    year: int | None
    version: int
    is_current: bool
    verdict: str
    findings: list[ReviewedFinding]
