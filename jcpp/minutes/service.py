"""Minutes of a meeting: append-only revisions, and the status draft → approved → published.

Every function checks the viewer's permission itself (routes check too), changes nothing before
every check has passed (so a refusal never leaves half a change behind), flushes and never
commits, and writes one audit event per change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session, col, select

from jcpp.analysis import service as analysis_service
from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, can_edit_committee, require_edit, require_view
from jcpp.errors import Conflict, InvalidInput, NotFound
from jcpp.minutes.diff import TextDiff, count_words, diff_texts, word_changes
from jcpp.models import MAX_MINUTES_BYTES, City, Committee, Meeting, Minutes, MinutesRevision, User
from jcpp.models.base import utcnow

MAX_NOTE_CHARS = 300

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MeetingContext:
    meeting: Meeting
    committee: Committee
    city: City

    @property
    def meeting_id(self) -> int:
        assert self.meeting.id is not None
        return self.meeting.id


@dataclass(frozen=True)
class RevisionRow:
    revision: MinutesRevision
    author_name: str | None
    words: int
    words_added: int = 0
    words_removed: int = 0


@dataclass(frozen=True)
class MinutesView:
    """What the minutes page shows: the status row, the newest revision and who did what."""

    context: MeetingContext
    minutes: Minutes | None
    current: RevisionRow | None
    approved_by: str | None
    published_by: str | None
    can_edit: bool

    @property
    def status(self) -> str | None:
        return self.minutes.status if self.minutes and self.current else None

    @property
    def revision_number(self) -> int:
        return self.current.revision.number if self.current else 0

    @property
    def text(self) -> str:
        return self.current.revision.text if self.current else ""


@dataclass(frozen=True)
class SaveOutcome:
    revision: MinutesRevision
    created: bool
    status_before: str | None


@dataclass(frozen=True)
class RevisionDiff:
    old: RevisionRow
    new: RevisionRow
    diff: TextDiff


class MinutesConflict(Conflict):
    """Someone saved a newer revision than the one the text was based on."""

    def __init__(self, stored: RevisionRow) -> None:
        super().__init__(
            f"Revision {stored.revision.number} was saved by "
            f"{stored.author_name or 'someone else'} while you were editing."
        )
        self.stored = stored


class MinutesBusy(Conflict):
    """The database refused the write because another one was under way, and no newer
    revision is there to show: nothing was saved, and trying again will work."""

    def __init__(self) -> None:
        super().__init__(
            "Someone else was saving these minutes at the same moment, so nothing was saved. "
            "Your text is still in the form: press Save again."
        )


# Loading and permission


def load_meeting(
    session: Session, meeting_id: int, *, viewer: Viewer, edit: bool = False
) -> MeetingContext:
    """The meeting with its committee and city; NotFound out of scope, NotPermitted to edit.

    With `edit`, the meeting's row is locked (PostgreSQL) until the transaction ends: saves and
    status changes of its minutes take turns, the first save too, when there is no Minutes row
    to lock yet.
    """
    query = (
        select(Meeting, Committee, City)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(Meeting.id == meeting_id)
    )
    if edit:
        query = query.with_for_update(of=Meeting).execution_options(populate_existing=True)
    row = session.exec(query).first()
    if row is None:
        require_view(viewer, None)  # the same NotFound as out of scope: existence not revealed
    assert row is not None
    meeting, committee, city = row
    if edit:
        require_edit(viewer, committee)
    else:
        require_view(viewer, committee)
    return MeetingContext(meeting=meeting, committee=committee, city=city)


def _user_name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.name if user else None


def _minutes_row(session: Session, meeting_id: int, *, lock: bool = False) -> Minutes | None:
    query = select(Minutes).where(Minutes.meeting_id == meeting_id)
    if lock:
        # Two saves at once: the second waits here, then sees the first one's revision.
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.exec(query).first()


def _revision(session: Session, meeting_id: int, number: int) -> MinutesRevision | None:
    return session.exec(
        select(MinutesRevision).where(
            MinutesRevision.meeting_id == meeting_id, MinutesRevision.number == number
        )
    ).first()


def _revision_row(session: Session, revision: MinutesRevision) -> RevisionRow:
    return RevisionRow(
        revision=revision,
        author_name=_user_name(session, revision.author_id),
        words=count_words(revision.text),
    )


# Reading


def get_minutes_view(session: Session, meeting_id: int, *, viewer: Viewer) -> MinutesView:
    """The minutes page of a meeting the viewer may see (an empty view when none are saved)."""
    context = load_meeting(session, meeting_id, viewer=viewer)
    minutes = _minutes_row(session, meeting_id)
    current = None
    if minutes is not None and minutes.current_revision > 0:
        revision = _revision(session, meeting_id, minutes.current_revision)
        current = _revision_row(session, revision) if revision else None
    return MinutesView(
        context=context,
        minutes=minutes,
        current=current,
        approved_by=_user_name(session, minutes.approved_by_id) if minutes else None,
        published_by=_user_name(session, minutes.published_by_id) if minutes else None,
        can_edit=can_edit_committee(viewer, context.committee),
    )


def list_revisions(session: Session, meeting_id: int, *, viewer: Viewer) -> list[RevisionRow]:
    """Every revision, newest first, with its size and the words changed from the one before.

    The changes are counted as bags of words (see `word_changes`), in linear time: the page
    must stay fast for long minutes with many revisions, so nothing here is diffed.
    """
    load_meeting(session, meeting_id, viewer=viewer)
    rows = session.exec(
        select(MinutesRevision, User.name)
        .join(User, col(User.id) == MinutesRevision.author_id, isouter=True)
        .where(MinutesRevision.meeting_id == meeting_id)
        .order_by(col(MinutesRevision.number).asc())
    ).all()
    out: list[RevisionRow] = []
    previous_text = ""
    for revision, author_name in rows:
        added, removed = word_changes(previous_text, revision.text)
        out.append(
            RevisionRow(
                revision=revision,
                author_name=author_name,
                words=count_words(revision.text),
                words_added=added,
                words_removed=removed,
            )
        )
        previous_text = revision.text
    return out[::-1]


def get_revision(session: Session, meeting_id: int, number: int, *, viewer: Viewer) -> RevisionRow:
    load_meeting(session, meeting_id, viewer=viewer)
    revision = _revision(session, meeting_id, number)
    if revision is None:
        raise NotFound(f"These minutes have no revision {number}.")
    return _revision_row(session, revision)


def diff_revisions(old: RevisionRow, new: RevisionRow) -> RevisionDiff:
    """What changed from one revision to another (either order)."""
    return RevisionDiff(old=old, new=new, diff=diff_texts(old.revision.text, new.revision.text))


def compare_revisions(
    session: Session, meeting_id: int, *, viewer: Viewer, old: int, new: int
) -> RevisionDiff:
    return diff_revisions(
        get_revision(session, meeting_id, old, viewer=viewer),
        get_revision(session, meeting_id, new, viewer=viewer),
    )


# Writing


def clean_text(text: str) -> str:
    """Browsers send CRLF line ends from a textarea; store LF so that equal texts compare equal."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def validate_text(text: str) -> str:
    """The text as it will be stored, or InvalidInput (empty, or over MAX_MINUTES_BYTES)."""
    text = clean_text(text)
    if not text.strip():
        raise InvalidInput({"text": "The minutes are empty. Write the minutes before saving."})
    size = len(text.encode("utf-8"))
    if size > MAX_MINUTES_BYTES:
        raise InvalidInput(
            {
                "text": f"The minutes are too long: {size:,} bytes, and the limit is "
                f"{MAX_MINUTES_BYTES:,} bytes (1 MB). Nothing was saved; your text is still "
                "in the form. Remove pasted images or repeated pages and try again."
            }
        )
    return text


def _validate_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(
            {"note": f"Keep the note under {MAX_NOTE_CHARS} characters (it has {len(note)})."}
        )
    return note or None


def save_minutes(
    session: Session,
    meeting_id: int,
    *,
    text: str,
    base_revision: int,
    note: str | None,
    by: Viewer,
) -> SaveOutcome:
    """Append a revision if `base_revision` is still the newest; identical text adds none.

    Raises MinutesConflict (with the newest revision) when someone saved in between, and
    InvalidInput for empty or oversized text. Saving approved or published minutes returns
    them to draft.
    """
    context = load_meeting(session, meeting_id, viewer=by, edit=True)
    text, note = validate_text(text), _validate_note(note)
    minutes = _minutes_row(session, meeting_id, lock=True)
    current = minutes.current_revision if minutes else 0
    stored = _revision(session, meeting_id, current) if current else None
    if stored is not None and stored.text == text:
        return SaveOutcome(revision=stored, created=False, status_before=minutes_status(minutes))
    if base_revision != current and stored is not None:
        raise MinutesConflict(_revision_row(session, stored))
    status_before = minutes_status(minutes) if current else None
    try:
        if minutes is None:
            minutes = Minutes(meeting_id=meeting_id)
            session.add(minutes)
        revision = _append_revision(session, minutes, text=text, note=note, by=by)
        _record_save(session, context, minutes, revision, status_before=status_before, by=by)
    except (IntegrityError, OperationalError) as error:
        if not lost_race(error):
            raise
        raise _after_lost_race(session, meeting_id, base_revision=current) from error
    _analyse(session, meeting_id, revision)
    return SaveOutcome(revision=revision, created=True, status_before=status_before)


def _analyse(session: Session, meeting_id: int, revision: MinutesRevision) -> None:
    """Propose topics, concerns and action items for the new revision, in the same
    transaction. The analysis runs in a savepoint: when it fails, everything it wrote is
    undone, the failure is logged and the minutes are saved all the same."""
    try:
        with session.begin_nested():
            analysis_service.analyse_minutes(
                session, meeting_id=meeting_id, revision_number=revision.number, text=revision.text
            )
    except Exception:
        logger.exception(
            "Analysing revision %s of the minutes of meeting %s failed; the minutes are saved",
            revision.number,
            meeting_id,
        )


# SQLite: SQLITE_BUSY and SQLITE_LOCKED (extended codes keep them in the low byte).
_SQLITE_BUSY_CODES = {5, 6}
# PostgreSQL: serialization failure, deadlock, lock not available.
_POSTGRES_RACE_STATES = {"40001", "40P01", "55P03"}


def lost_race(error: DBAPIError) -> bool:
    """Whether a failed write lost a race with another transaction: a unique key taken in
    the meantime, or a database that was locked (SQLite takes its write lock only at the first
    write, and a transaction that read before another one committed cannot write at all)."""
    if isinstance(error, IntegrityError):
        return True
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_BUSY_CODES
    return getattr(error.orig, "sqlstate", None) in _POSTGRES_RACE_STATES


def _after_lost_race(session: Session, meeting_id: int, *, base_revision: int) -> Conflict:
    """Start again from what is stored: the revision that won, or 'try again'."""
    session.rollback()
    # A transaction that writes first waits for the other writer to commit (SQLite's busy
    # timeout, PostgreSQL's row lock); one that reads first would not wait on SQLite.
    session.exec(
        update(Meeting).where(col(Meeting.id) == meeting_id).values(version=Meeting.version)
    )
    minutes = _minutes_row(session, meeting_id)
    newest = minutes.current_revision if minutes else 0
    stored = _revision(session, meeting_id, newest) if newest != base_revision else None
    return MinutesConflict(_revision_row(session, stored)) if stored else MinutesBusy()


def minutes_status(minutes: Minutes | None) -> str | None:
    return minutes.status if minutes else None


def _append_revision(
    session: Session, minutes: Minutes, *, text: str, note: str | None, by: Viewer
) -> MinutesRevision:
    revision = MinutesRevision(
        meeting_id=minutes.meeting_id,
        number=minutes.current_revision + 1,
        text=text,
        author_id=by.id,
        note=note,
    )
    session.add(revision)
    minutes.current_revision = revision.number
    if minutes.status != "draft":
        # Changed minutes are no longer what the committee approved; the record of the last
        # approval stays (approved_revision/by/at) and the audit event keeps the rest.
        minutes.status = "draft"
        minutes.published_by_id = None
        minutes.published_at = None
    session.add(minutes)
    session.flush()
    return revision


def _record_save(
    session: Session,
    context: MeetingContext,
    minutes: Minutes,
    revision: MinutesRevision,
    *,
    status_before: str | None,
    by: Viewer,
) -> None:
    summary = (
        f"Minutes of {context.committee.name}, meeting #{context.meeting_id}: "
        f"revision {revision.number}"
    )
    if status_before in ("approved", "published"):
        summary += f" (were {status_before}, now a draft again)"
    record(
        session,
        user_id=by.id,
        action="minutes_saved",
        entity_type="minutes",
        entity_id=minutes.id,
        city_id=context.city.id,
        summary=summary,
        before={"status": status_before, "revision": revision.number - 1},
        after={
            "status": minutes.status,
            "revision": revision.number,
            "words": count_words(revision.text),
            "note": revision.note,
        },
    )


# Status: draft → approved → published (and back from published to approved)


def approve(session: Session, meeting_id: int, *, revision: int, by: Viewer) -> Minutes:
    """Record that the committee approved the newest revision (the one the user was shown)."""
    return _change_status(
        session, meeting_id, revision=revision, by=by, from_status="draft", to_status="approved"
    )


def publish(session: Session, meeting_id: int, *, revision: int, by: Viewer) -> Minutes:
    """Publish approved minutes; drafts must be approved first."""
    return _change_status(
        session, meeting_id, revision=revision, by=by, from_status="approved", to_status="published"
    )


def unpublish(session: Session, meeting_id: int, *, revision: int, by: Viewer) -> Minutes:
    """Take published minutes back to approved (no longer public)."""
    return _change_status(
        session, meeting_id, revision=revision, by=by, from_status="published", to_status="approved"
    )


# (status the change needs, status the minutes have) -> why the change is refused
_REFUSALS = {
    ("draft", "approved"): "These minutes are already approved.",
    ("draft", "published"): "These minutes are already published (and so approved).",
    ("approved", "draft"): "Draft minutes cannot be published. Approve them first.",
    ("approved", "published"): "These minutes are already published.",
    ("published", "draft"): "These minutes are not published.",
    ("published", "approved"): "These minutes are not published.",
}


def _change_status(
    session: Session,
    meeting_id: int,
    *,
    revision: int,
    by: Viewer,
    from_status: str,
    to_status: str,
) -> Minutes:
    context = load_meeting(session, meeting_id, viewer=by, edit=True)
    minutes = _minutes_row(session, meeting_id, lock=True)
    if minutes is None or minutes.current_revision == 0:
        raise Conflict("There are no minutes yet: write and save them first.")
    if minutes.status != from_status:
        raise Conflict(_REFUSALS[(from_status, minutes.status)])
    if revision != minutes.current_revision:
        raise Conflict(
            f"The minutes changed while you were reading them: revision "
            f"{minutes.current_revision} is now the newest. Read it, then try again."
        )
    before = _status_fields(minutes)
    _apply_status(minutes, from_status=from_status, to_status=to_status, by=by)
    session.add(minutes)
    try:
        session.flush()
    except OperationalError as error:
        if not lost_race(error):
            raise
        session.rollback()
        raise Conflict(
            "Someone else changed these minutes at the same moment, so nothing was changed. "
            "Read them again, then try again."
        ) from error
    record(
        session,
        user_id=by.id,
        action=f"minutes_{_ACTION_NAMES[(from_status, to_status)]}",
        entity_type="minutes",
        entity_id=minutes.id,
        city_id=context.city.id,
        summary=f"Minutes of {context.committee.name}, meeting #{context.meeting_id}: "
        f"{from_status} → {to_status} (revision {minutes.current_revision})",
        before=before,
        after=_status_fields(minutes),
    )
    return minutes


_ACTION_NAMES = {
    ("draft", "approved"): "approved",
    ("approved", "published"): "published",
    ("published", "approved"): "unpublished",
}


def _apply_status(minutes: Minutes, *, from_status: str, to_status: str, by: Viewer) -> None:
    now = utcnow()
    minutes.status = to_status
    if to_status == "approved" and from_status == "draft":
        minutes.approved_revision = minutes.current_revision
        minutes.approved_by_id, minutes.approved_at = by.id, now
    elif to_status == "published":
        minutes.published_by_id, minutes.published_at = by.id, now
    else:  # unpublished: back to approved, no longer public
        minutes.published_by_id, minutes.published_at = None, None


def _status_fields(minutes: Minutes) -> dict[str, object]:
    return {
        "status": minutes.status,
        "revision": minutes.current_revision,
        "approved_revision": minutes.approved_revision,
        "approved_at": minutes.approved_at,
        "published_at": minutes.published_at,
    }
