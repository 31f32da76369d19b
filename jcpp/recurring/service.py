"""Recurring concerns: the software proposes, a person confirms or splits.

`propose_recurrences` applies the rules of `jcpp.recurring.match` to one meeting's concerns
against the other stored concerns (earlier and later ones, so that re-analysing an old meeting
keeps its place), and puts each match into one recurring concern:
- when one of the two already belongs to a recurring concern, the other joins it if it is
  like that recurring concern as a whole (`match.fits`: no drifting from subject to subject
  through chains of pairs);
- when neither does, a new recurring concern is made, titled from the earliest concern;
- when both belong to different ones, nothing happens (joining them is a person's call);
- a concern a person split off a recurring concern is not proposed into it again, nor with the
  concerns it was split from.
A concern belongs to at most one recurring concern (split rows aside). Rejected concerns never
count. Proposals are the software's own, like the pipeline's: they carry no audit event. Running
it again adds only what is new (safe to run twice); a proposal stays until a person decides, its
concern is rejected or removed by a new analysis, or its recurring concern is left with fewer
than two concerns and no person's decision (then it is removed).

Minutes analysed again may remove the meeting's unreviewed concerns, so `release_proposals`
takes back their proposals first and `propose_recurrences` puts back those whose concern is
still there (`jcpp.analysis.service` calls both around storing an analysis). A person's decision
is never taken back: confirming or splitting also confirms the concern in the minutes review when
it was still only proposed (a person who says "this is the same concern" or "this is a separate
concern" has said it is a concern), and re-analysis keeps reviewed concerns.

Confirming and splitting need edit permission on the committee of the concern's meeting (its
city's liaison, or an admin); each writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from jcpp import clock
from jcpp.analysis.review import confirm_concern
from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, can_edit_committee, can_view_committee
from jcpp.errors import Conflict, NotFound, NotPermitted
from jcpp.models import (
    City,
    Committee,
    Concern,
    ConcernTopic,
    FollowUpConcern,
    Meeting,
    Notification,
    RecurringConcern,
    RecurringConcernMember,
)
from jcpp.recurring.match import (
    Match,
    RaisedConcern,
    Rules,
    content_words,
    find_matches,
    fits,
    title_from,
)

ACTIVE = ("proposed", "confirmed")  # a member that counts; "split" rows only remember a decision
STATE_LABELS = {"proposed": "Proposed", "confirmed": "Confirmed", "split": "Split off"}


@dataclass
class ProposalResult:
    """What one run of `propose_recurrences` did."""

    meeting_id: int
    proposed: int = 0  # memberships proposed (again) for the meeting's concerns
    created: list[int] = field(default_factory=list)  # recurring concerns made
    removed: list[int] = field(default_factory=list)  # recurring concerns left with nothing


# ---------------------------------------------------------------- reading concerns


def _city_of(session: Session, committee_id: int) -> int:
    committee = session.get(Committee, committee_id)
    assert committee is not None
    return committee.city_id


def _topics_of(session: Session, concern_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = list(set(concern_ids))
    topics: dict[int, set[int]] = {concern_id: set() for concern_id in ids}
    if not ids:
        return topics
    rows = session.exec(
        select(ConcernTopic.concern_id, ConcernTopic.topic_id).where(
            col(ConcernTopic.concern_id).in_(ids)
        )
    ).all()
    for concern_id, topic_id in rows:
        topics[concern_id].add(topic_id)
    return topics


# What matching needs of a concern: its id, words and meeting; of a meeting: its start,
# committee and city (two light queries rather than whole rows: this runs on every analysis).
_ConcernRow = tuple[int | None, str, str | None, int]


def _raised_rows() -> Select[int | None, str, str | None, int]:
    return (
        select(Concern.id, Concern.text, Concern.edited_text, Concern.meeting_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(col(Concern.state) != "rejected")
    )


def _raised(session: Session, rows: Sequence[_ConcernRow]) -> list[RaisedConcern]:
    topics = _topics_of(session, (row[0] or 0 for row in rows))
    meetings = {
        meeting_id: (start_at, committee_id, city_id)
        for meeting_id, start_at, committee_id, city_id in session.exec(
            select(Meeting.id, Meeting.start_at, Meeting.committee_id, Committee.city_id)
            .join(Committee, col(Committee.id) == Meeting.committee_id)
            .where(col(Meeting.id).in_({row[3] for row in rows}))
        ).all()
    }
    raised = []
    for concern_id, text, edited_text, meeting_id in rows:
        start_at, committee_id, city_id = meetings[meeting_id]
        raised.append(
            RaisedConcern.of(
                concern_id=concern_id or 0, meeting_id=meeting_id, committee_id=committee_id,
                city_id=city_id, day=clock.local_date(start_at),
                topic_ids=topics.get(concern_id or 0, ()), text=edited_text or text,
            )
        )  # fmt: skip
    return raised


def _meeting_concerns(session: Session, meeting_id: int) -> list[RaisedConcern]:
    rows = session.exec(_raised_rows().where(Concern.meeting_id == meeting_id)).all()
    return _raised(session, rows)


def _candidates(
    session: Session, meeting: Meeting, mine: Sequence[RaisedConcern], rules: Rules
) -> list[RaisedConcern]:
    """Concerns of other meetings that could be one of `mine` raised again (or the other way
    round): sharing a topic, within the wider of the windows (the rules decide the rest)."""
    topic_ids = set().union(*(c.topic_ids for c in mine))
    if not topic_ids:
        return []
    reach = dt.timedelta(days=max(rules.same_committee_days, rules.other_city_days) + 1)
    with_topic = select(ConcernTopic.concern_id).where(col(ConcernTopic.topic_id).in_(topic_ids))
    city_id = _city_of(session, meeting.committee_id)
    rows = session.exec(
        _raised_rows()
        .where(col(Concern.meeting_id) != meeting.id)
        .where(col(Concern.id).in_(with_topic))
        .where(col(Meeting.start_at) >= meeting.start_at - reach)
        .where(col(Meeting.start_at) <= meeting.start_at + reach)
        .where(
            or_(
                col(Meeting.committee_id) == meeting.committee_id,
                col(Committee.city_id) != city_id,
            )
        )
    ).all()
    return _raised(session, rows)


# ---------------------------------------------------------------- memberships


@dataclass
class _Memberships:
    """The recurring concerns of the concerns in play, kept up to date while linking."""

    active: dict[int, int]  # concern id → its recurring concern
    split_from: dict[int, set[int]]  # concern id → recurring concerns it was split off
    members: dict[int, set[int]]  # recurring id → every concern with a row in it
    words: dict[int, frozenset[str]]  # concern id → its content words (those that count)

    def split_pair(self, a: int, b: int) -> bool:
        """A person split one of the two off a recurring concern the other belongs to."""
        return any(b in self.members.get(r, ()) for r in self.split_from.get(a, ())) or any(
            a in self.members.get(r, ()) for r in self.split_from.get(b, ())
        )

    def may_join(
        self, concern: RaisedConcern, recurring_id: int, partner_id: int, rules: Rules
    ) -> bool:
        """Not split off it, nor from its partner, and like the recurring concern as a whole."""
        concern_id = concern.concern_id
        if recurring_id in self.split_from.get(concern_id, ()) or self.split_pair(
            concern_id, partner_id
        ):
            return False
        group = [
            self.words[c]
            for c, r in self.active.items()
            if r == recurring_id and c != concern_id and c in self.words
        ]
        return fits(concern.words, group, rules)

    def add(self, concern: RaisedConcern, recurring_id: int) -> None:
        self.active[concern.concern_id] = recurring_id
        self.members.setdefault(recurring_id, set()).add(concern.concern_id)
        self.words[concern.concern_id] = concern.words


def _memberships(session: Session, concern_ids: Iterable[int]) -> _Memberships:
    ids = list(set(concern_ids))
    recurring_ids = select(RecurringConcernMember.recurring_id).where(
        col(RecurringConcernMember.concern_id).in_(ids)
    )
    rows = session.exec(
        select(RecurringConcernMember, Concern)
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .where(col(RecurringConcernMember.recurring_id).in_(recurring_ids))
    ).all()
    found = _Memberships(active={}, split_from={}, members={}, words={})
    for member, concern in rows:
        found.members.setdefault(member.recurring_id, set()).add(member.concern_id)
        if member.state == "split":
            found.split_from.setdefault(member.concern_id, set()).add(member.recurring_id)
        elif concern.state != "rejected":
            found.active[member.concern_id] = member.recurring_id
            found.words[member.concern_id] = content_words(concern.shown_text)
    return found


@dataclass(frozen=True)
class Released:
    """A proposal taken back while a meeting's minutes are analysed again."""

    recurring_id: int
    concern_id: int
    similarity: float | None
    created_at: dt.datetime


def release_proposals(session: Session, *, meeting_id: int) -> list[Released]:
    """Before a meeting's minutes are analysed again: take back the proposals for its concerns
    that the analysis may remove (unreviewed concerns without a follow-up), so that removing
    them breaks no link. Give what it returns to `propose_recurrences` after the analysis: the
    proposals of the concerns still there are put back as they were."""
    at_risk = (
        select(Concern.id)
        .where(Concern.meeting_id == meeting_id)
        .where(Concern.state == "proposed")
        .where(col(Concern.id).not_in(select(FollowUpConcern.concern_id)))
    )
    rows = session.exec(
        select(RecurringConcernMember)
        .where(col(RecurringConcernMember.concern_id).in_(at_risk))
        .where(RecurringConcernMember.state == "proposed")
    ).all()
    released = [
        Released(row.recurring_id, row.concern_id, row.similarity, row.created_at) for row in rows
    ]
    for row in rows:
        session.delete(row)
    session.flush()
    return released


def _restore(session: Session, released: Sequence[Released]) -> None:
    """Put back the released proposals whose concerns the analysis kept (same concern, same
    words: the proposal holds as it was)."""
    for row in released:
        concern = session.get(Concern, row.concern_id)
        if concern is None or concern.state == "rejected":
            continue
        session.add(
            RecurringConcernMember(
                recurring_id=row.recurring_id, concern_id=row.concern_id, state="proposed",
                similarity=row.similarity, created_at=row.created_at,
            )
        )  # fmt: skip
    session.flush()


def _add_member(
    session: Session, recurring_id: int, concern_id: int, similarity: float
) -> RecurringConcernMember:
    row = RecurringConcernMember(
        recurring_id=recurring_id, concern_id=concern_id, state="proposed", similarity=similarity
    )
    session.add(row)
    return row


def _link(
    session: Session, match: Match, known: _Memberships, result: ProposalResult, rules: Rules
) -> int | None:
    """Put the two concerns into one recurring concern; returns it, or None when nothing
    changed (already together, or refused)."""
    a, b = match.earlier, match.later
    ra, rb = known.active.get(a.concern_id), known.active.get(b.concern_id)
    if ra is not None and rb is not None:
        return None
    if ra is not None or rb is not None:
        recurring_id, joining, partner = (ra, b, a) if ra is not None else (rb, a, b)
        assert recurring_id is not None
        if not known.may_join(joining, recurring_id, partner.concern_id, rules):
            return None
        _add_member(session, recurring_id, joining.concern_id, match.similarity)
        known.add(joining, recurring_id)
        result.proposed += 1
        return recurring_id
    if known.split_pair(a.concern_id, b.concern_id):
        return None
    earliest = session.get(Concern, a.concern_id)
    assert earliest is not None
    recurring = RecurringConcern(title=title_from(earliest.shown_text))
    session.add(recurring)
    session.flush()
    assert recurring.id is not None
    for concern in (a, b):
        _add_member(session, recurring.id, concern.concern_id, match.similarity)
        known.add(concern, recurring.id)
    result.created.append(recurring.id)
    result.proposed += 2
    return recurring.id


# ---------------------------------------------------------------- keeping recurring concerns tidy


MemberRow = tuple[RecurringConcernMember, Concern, Meeting]


def _member_rows(session: Session, recurring_id: int) -> list[MemberRow]:
    return list(
        session.exec(
            select(RecurringConcernMember, Concern, Meeting)
            .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
            .join(Meeting, col(Meeting.id) == Concern.meeting_id)
            .where(RecurringConcernMember.recurring_id == recurring_id)
            .order_by(col(Meeting.start_at), col(Concern.id))
        ).all()
    )


def _counts(rows: Sequence[MemberRow]) -> list[Concern]:
    """The concerns that count, earliest first: active members whose concern is not rejected."""
    return [c for m, c, _ in rows if m.state in ACTIVE and c.state != "rejected"]


def refresh_title(session: Session, recurring: RecurringConcern) -> None:
    """Title from the earliest concern that counts (they may have changed)."""
    counting = _counts(_member_rows(session, recurring.id or 0))
    if counting:
        title = title_from(counting[0].shown_text)
        if title and title != recurring.title:
            recurring.title = title
            recurring.updated_at = clock.now()
            session.add(recurring)


def _tidy(session: Session, recurring_ids: Iterable[int], result: ProposalResult) -> None:
    """A recurring concern with fewer than two concerns that count and no person's decision is
    no recurring concern: removed (unless a notification names it). Others get their title from
    their earliest concern."""
    for recurring_id in sorted(set(recurring_ids)):
        recurring = session.get(RecurringConcern, recurring_id)
        if recurring is None:
            continue
        rows = _member_rows(session, recurring_id)
        decided = any(m.state != "proposed" for m, _, _ in rows)
        if len(_counts(rows)) >= 2 or decided:
            refresh_title(session, recurring)
            continue
        named = session.exec(
            select(Notification.id).where(Notification.recurring_id == recurring_id)
        ).first()
        if named is not None:
            continue
        for member, _, _ in rows:
            session.delete(member)
        session.flush()
        session.delete(recurring)
        result.removed.append(recurring_id)
    session.flush()


def _dwindled(session: Session) -> set[int]:
    """Recurring concerns without a person's decision and with fewer than two concerns that
    count (after re-analysis removed a concern, or a review rejected one)."""
    counting = (
        select(RecurringConcernMember.recurring_id, func.count().label("n"))
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .where(col(RecurringConcernMember.state).in_(ACTIVE))
        .where(col(Concern.state) != "rejected")
        .group_by(col(RecurringConcernMember.recurring_id))
        .subquery()
    )
    decided = select(RecurringConcernMember.recurring_id).where(
        col(RecurringConcernMember.state) != "proposed"
    )
    rows = session.exec(
        select(RecurringConcern.id)
        .join(counting, counting.c.recurring_id == RecurringConcern.id, isouter=True)
        .where(func.coalesce(counting.c.n, 0) < 2)
        .where(col(RecurringConcern.id).not_in(decided))
    ).all()
    return {recurring_id for recurring_id in rows if recurring_id is not None}


def propose_recurrences(
    session: Session,
    *,
    meeting_id: int,
    released: Sequence[Released] = (),
    rules: Rules = Rules(),
) -> ProposalResult:
    """Propose the meeting's concerns as concerns raised again (or raised before) into recurring
    concerns, by the rules of `jcpp.recurring.match`; `released` are the proposals
    `release_proposals` took back before the meeting's minutes were analysed again. Safe to run
    twice; checks no permission (it runs when minutes are analysed). Flushes, never commits."""
    result = ProposalResult(meeting_id=meeting_id)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("There is no such meeting.")
    _restore(session, released)
    touched = {row.recurring_id for row in released}
    mine = _meeting_concerns(session, meeting_id)
    matches = find_matches(mine, _candidates(session, meeting, mine, rules), rules)
    known = _memberships(session, {c.concern_id for m in matches for c in (m.earlier, m.later)})
    for match in matches:
        recurring_id = _link(session, match, known, result, rules)
        if recurring_id is not None:
            touched.add(recurring_id)
    session.flush()
    _tidy(session, touched | _dwindled(session), result)
    return result


# ---------------------------------------------------------------- a person's decision


@dataclass(frozen=True)
class MemberScope:
    recurring: RecurringConcern
    member: RecurringConcernMember
    concern: Concern
    meeting: Meeting
    committee: Committee
    city: City


def visible_recurring(session: Session, recurring_id: int, *, viewer: Viewer) -> RecurringConcern:
    """The recurring concern, when one of its concerns (even one split off) was raised in a
    committee the viewer may see; NotFound otherwise."""
    recurring = session.get(RecurringConcern, recurring_id)
    committees = session.exec(
        select(Committee)
        .join(Meeting, col(Meeting.committee_id) == Committee.id)
        .join(Concern, col(Concern.meeting_id) == Meeting.id)
        .join(RecurringConcernMember, col(RecurringConcernMember.concern_id) == Concern.id)
        .where(RecurringConcernMember.recurring_id == recurring_id)
    ).all()
    if recurring is None or not any(can_view_committee(viewer, c) for c in committees):
        raise NotFound("There is no such recurring concern, or it is not yours to see.")
    return recurring


def member_scope(
    session: Session, recurring_id: int, concern_id: int, *, viewer: Viewer
) -> MemberScope:
    """One concern of a recurring concern the viewer may see, and where it was raised."""
    recurring = visible_recurring(session, recurring_id, viewer=viewer)
    row = session.exec(
        select(RecurringConcernMember, Concern, Meeting, Committee)
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(RecurringConcernMember.recurring_id == recurring_id)
        .where(RecurringConcernMember.concern_id == concern_id)
    ).first()
    if row is None:
        raise NotFound(
            "That concern is not (or no longer) part of this recurring concern: its minutes may "
            "have been analysed again since the page was loaded. Reload the page."
        )
    city = session.get(City, row[3].city_id)
    assert city is not None
    return MemberScope(recurring, *row, city)


def can_review(viewer: Viewer, committee: Committee) -> bool:
    """May confirm or split a concern raised in this committee: its city's liaison, an admin."""
    return can_edit_committee(viewer, committee)


def _decide(
    session: Session, recurring_id: int, concern_id: int, *, state: str, by: Viewer, seen: str
) -> RecurringConcernMember:
    scope = member_scope(session, recurring_id, concern_id, viewer=by)
    member = scope.member
    if not can_review(by, scope.committee):
        raise NotPermitted(
            f"Only {scope.city.name}'s liaison or an administrator can confirm or split a "
            "concern raised there."
        )
    if member.state == state:
        return member  # already so: a second click, or someone else did the same
    _check_decidable(session, scope, state=state, seen=seen, by=by)
    if scope.concern.state == "proposed":
        confirm_concern(session, scope.meeting.id or 0, concern_id, by=by)
    before = member.state
    member.state = state
    member.reviewed_by_id = by.id
    member.reviewed_at = clock.now()
    session.add(member)
    session.flush()
    refresh_title(session, scope.recurring)
    _audit(session, scope, by, before=before)
    return member


def _check_decidable(
    session: Session, scope: MemberScope, *, state: str, seen: str, by: Viewer
) -> None:
    member, concern = scope.member, scope.concern
    if seen and seen != member.state:
        who = "Someone else"
        if member.reviewed_by_id is not None and member.reviewed_by_id == by.id:
            who = "You (in another window)"
        raise Conflict(
            f"{who} marked this concern “{STATE_LABELS[member.state].lower()}” after the page "
            "was loaded, so nothing was changed. It is shown as it is now: do it again if you "
            "still want to."
        )
    if concern.state == "rejected":
        raise Conflict(
            "This concern was rejected in its meeting's minutes review, so it no longer counts."
        )
    if state == "confirmed":
        elsewhere = session.exec(
            select(RecurringConcernMember.recurring_id)
            .where(RecurringConcernMember.concern_id == concern.id)
            .where(col(RecurringConcernMember.recurring_id) != scope.recurring.id)
            .where(col(RecurringConcernMember.state).in_(ACTIVE))
        ).first()
        if elsewhere is not None:
            raise Conflict(
                f"This concern is now part of recurring concern #{elsewhere}: split it off "
                "there first."
            )


def _audit(session: Session, scope: MemberScope, by: Viewer, *, before: str) -> None:
    state = scope.member.state
    day = clock.local_date(scope.meeting.start_at)
    verb = "Confirmed" if state == "confirmed" else "Split off"
    record(
        session,
        user_id=by.id,
        action="confirm_recurrence" if state == "confirmed" else "split_recurrence",
        entity_type="recurring_concern",
        entity_id=scope.recurring.id,
        city_id=scope.committee.city_id,
        summary=(
            f"{verb} the concern of {scope.committee.name} on {day:%b} {day.day}, {day:%Y} "
            f"{'as' if state == 'confirmed' else 'from'} “{scope.recurring.title[:120]}”"
        ),
        before={"state": before, "concern_id": scope.concern.id},
        after={"state": state, "concern_id": scope.concern.id},
    )


def confirm_member(
    session: Session, recurring_id: int, concern_id: int, *, by: Viewer, seen: str = ""
) -> RecurringConcernMember:
    """A person confirms that the concern is this recurring concern raised (again)."""
    return _decide(session, recurring_id, concern_id, state="confirmed", by=by, seen=seen)


def split_member(
    session: Session, recurring_id: int, concern_id: int, *, by: Viewer, seen: str = ""
) -> RecurringConcernMember:
    """A person says the concern is a separate one: it leaves the recurring concern and is not
    proposed into it (nor with its concerns) again. It stays a concern of its meeting."""
    return _decide(session, recurring_id, concern_id, state="split", by=by, seen=seen)


__all__ = [
    "ACTIVE",
    "STATE_LABELS",
    "MemberScope",
    "ProposalResult",
    "can_review",
    "confirm_member",
    "member_scope",
    "propose_recurrences",
    "Released",
    "release_proposals",
    "split_member",
    "visible_recurring",
]
