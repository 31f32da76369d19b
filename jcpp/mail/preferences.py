"""Which notices each user gets by e-mail, and how often the digest comes.

A user without a row for a kind gets that kind's default (every kind by e-mail; the digest
weekly). Changing one's own choices is one's own bookkeeping, so it is not audited (as reading
notifications is not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from jcpp.models import NoticePreference, User

MEETING_REMINDER = "meeting_reminder"
MINUTES_MISSING = "minutes_missing"
FOLLOW_UP_DUE = "follow_up_due"
CADENCE_ALERT = "cadence_alert"
DIGEST = "digest"

ALL_ROLES = ("admin", "county_staff", "liaison", "member")
DIGEST_FREQUENCIES = {"weekly": "Every week", "never": "Never"}
DEFAULT_DIGEST_FREQUENCY = "weekly"


@dataclass(frozen=True)
class NoticeKind:
    key: str
    label: str
    description: str
    roles: tuple[str, ...]  # whose preferences page offers it (those the jobs send it to)
    about: str = ""  # "Stop e-mails about <about>"; the label in lower case if not given

    @property
    def about_words(self) -> str:
        return self.about or self.label.lower()


KINDS: dict[str, NoticeKind] = {
    kind.key: kind
    for kind in (
        NoticeKind(
            MEETING_REMINDER,
            "Meeting reminders",
            "Two days before a meeting of a committee you are on.",
            ALL_ROLES,
        ),
        NoticeKind(
            MINUTES_MISSING,
            "Minutes still missing",
            "3 and 7 days after a held meeting whose minutes are not written yet.",
            ("admin", "liaison"),
        ),
        NoticeKind(
            FOLLOW_UP_DUE,
            "Follow-ups due and overdue",
            "Follow-ups you own or look after, 3 days before they are due and once overdue.",
            ALL_ROLES,
        ),
        NoticeKind(
            CADENCE_ALERT,
            "Cities without a meeting",
            "A member city that has held no meeting in 35 days.",
            ("admin", "county_staff"),
            "cities without a meeting in 35 days",
        ),
        NoticeKind(
            DIGEST,
            "Digest",
            "Rising, spreading and persisting topics, overdue follow-ups, cities behind on "
            "minutes.",
            ("admin", "county_staff"),
            "the digest",
        ),
    )
}


@dataclass(frozen=True)
class Choice:
    kind: NoticeKind
    by_email: bool
    frequency: str | None  # the digest's; None for other kinds


def kinds_for(role: str) -> list[NoticeKind]:
    """The kinds of notice a user of `role` can receive, in the page's order."""
    return [kind for kind in KINDS.values() if role in kind.roles]


def _rows(session: Session, user_id: int) -> dict[str, NoticePreference]:
    rows = session.exec(select(NoticePreference).where(NoticePreference.user_id == user_id))
    return {row.kind: row for row in rows}


def _choice(kind: NoticeKind, row: NoticePreference | None) -> Choice:
    frequency = None
    if kind.key == DIGEST:
        frequency = (row.frequency if row else None) or DEFAULT_DIGEST_FREQUENCY
        if row is not None and not row.by_email:
            frequency = "never"
    return Choice(kind, row.by_email if row else True, frequency)


def choices(session: Session, *, user: User) -> list[Choice]:
    """The user's choice for every kind offered to her role."""
    assert user.id is not None
    rows = _rows(session, user.id)
    return [_choice(kind, rows.get(kind.key)) for kind in kinds_for(user.role)]


def wants_email(session: Session, *, user_id: int, kind: str) -> bool:
    """Whether the user gets `kind` by e-mail (no row: yes)."""
    row = session.get(NoticePreference, (user_id, kind))
    return True if row is None else row.by_email


def _set(
    session: Session, *, user_id: int, kind: str, by_email: bool, frequency: str | None = None
) -> None:
    row = session.get(NoticePreference, (user_id, kind))
    if row is None:
        row = NoticePreference(user_id=user_id, kind=kind)
    row.by_email = by_email
    row.frequency = frequency
    session.add(row)


def save_choices(
    session: Session, *, user: User, by_email: Mapping[str, bool], digest: str | None
) -> list[Choice]:
    """Store the user's choices for the kinds offered to her role (others are left alone).

    `by_email` maps a kind to on/off (a missing kind is off: an unticked box sends nothing);
    `digest` is one of DIGEST_FREQUENCIES ("never" turns the digest off).
    """
    assert user.id is not None
    for kind in kinds_for(user.role):
        if kind.key == DIGEST:
            frequency = digest if digest in DIGEST_FREQUENCIES else DEFAULT_DIGEST_FREQUENCY
            _set(
                session,
                user_id=user.id,
                kind=DIGEST,
                by_email=frequency != "never",
                frequency=frequency,
            )
        else:
            _set(session, user_id=user.id, kind=kind.key, by_email=by_email.get(kind.key, False))
    session.flush()
    return choices(session, user=user)


def turn_off(session: Session, *, user_id: int, kind: str) -> None:
    """No more e-mail of `kind` for the user (what an unsubscribe link does)."""
    frequency = "never" if kind == DIGEST else None
    _set(session, user_id=user_id, kind=kind, by_email=False, frequency=frequency)
    session.flush()


def digest_subscribers(session: Session, *, frequency: str = "weekly") -> list[User]:
    """Active admins and county staff whose digest comes at `frequency` (no row: weekly)."""
    chosen = select(NoticePreference.user_id).where(NoticePreference.kind == DIGEST)
    at_frequency = chosen.where(
        col(NoticePreference.by_email).is_(True), NoticePreference.frequency == frequency
    )
    query = select(User).where(col(User.active).is_(True), col(User.role).in_(KINDS[DIGEST].roles))
    if frequency == DEFAULT_DIGEST_FREQUENCY:
        query = query.where(col(User.id).in_(at_frequency) | col(User.id).not_in(chosen))
    else:
        query = query.where(col(User.id).in_(at_frequency))
    return list(session.exec(query.order_by(col(User.id))))
