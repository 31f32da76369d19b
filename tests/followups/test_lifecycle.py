"""The follow-up lifecycle: every transition allowed or refused, per role; reasons, stale
versions, history rows, closing times and who is told."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlmodel import Session, col, select

from jcpp.errors import Conflict, InvalidInput, NotFound, NotPermitted
from jcpp.followups import lifecycle
from jcpp.followups.lifecycle import (
    TRANSITIONS,
    add_comment,
    allowed_transitions,
    change_status,
    is_overdue,
    visible_follow_ups,
)
from jcpp.models import (
    FOLLOW_UP_STATUSES,
    AuditEvent,
    Committee,
    FollowUp,
    FollowUpComment,
    Meeting,
)
from tests.followups.helpers import NOW, FakeClock, Loop, events, make_follow_up, notifications

REASON = "The department has no budget for it this year."


def set_status(session: Session, follow_up: FollowUp, status: str) -> None:
    """Put the follow-up in a status without the lifecycle (to test what may follow it)."""
    follow_up.status = status
    session.add(follow_up)
    session.flush()


def move(session: Session, loop: Loop, to: str, role: str = "liaison", **kw: object) -> FollowUp:
    comment = kw.pop("comment", REASON if to in ("declined", "open") else "")
    return change_status(
        session, loop.id, to=to, by=loop.viewer(session, role), comment=str(comment),
        version=loop.follow_up.version, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def last_audit_id(session: Session) -> int | None:
    return session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first()


PAIRS = list(itertools.product(FOLLOW_UP_STATUSES, FOLLOW_UP_STATUSES))


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_the_liaison_may_make_exactly_the_transitions_of_the_lifecycle(
    session: Session, loop: Loop, start: str, to: str
) -> None:
    set_status(session, loop.follow_up, start)
    allowed = {
        ("open", "acknowledged"), ("open", "declined"), ("acknowledged", "declined"),
        ("open", "in_progress"), ("acknowledged", "in_progress"), ("reported_done", "in_progress"),
        ("open", "reported_done"), ("acknowledged", "reported_done"),
        ("in_progress", "reported_done"), ("reported_done", "verified_done"),
        ("declined", "open"), ("reported_done", "open"), ("verified_done", "open"),
    }  # fmt: skip
    version = loop.follow_up.version
    if (start, to) in allowed:
        follow_up = move(session, loop, to)
        assert (follow_up.status, follow_up.version) == (to, version + 1)
    else:
        with pytest.raises(InvalidInput):
            move(session, loop, to)
        assert (loop.follow_up.status, loop.follow_up.version) == (start, version)


# Who may move an open (or, for verification, reported-done) follow-up where. The member is the
# owner user of the `loop` follow-up; "member_2" is another member of the same committee.
EXPECTED: dict[str, dict[str, type[Exception] | None]] = {
    "admin": dict.fromkeys(TRANSITIONS),
    "liaison": dict.fromkeys(TRANSITIONS),
    "member": {
        "acknowledged": NotPermitted,
        "declined": NotPermitted,
        "in_progress": None,
        "reported_done": None,
        "verified_done": NotPermitted,
        "open": NotPermitted,
    },  # fmt: skip
    "member_2": dict.fromkeys(TRANSITIONS, NotPermitted),
    "county_staff": dict.fromkeys(TRANSITIONS, NotPermitted),
    "liaison_other": dict.fromkeys(TRANSITIONS, NotFound),
    "member_other": dict.fromkeys(TRANSITIONS, NotFound),
}
FROM = {"verified_done": "reported_done", "open": "declined"}
CASES = [(role, to) for role in EXPECTED for to in TRANSITIONS]


@pytest.mark.parametrize(("role", "to"), CASES, ids=[f"{r}-{t}" for r, t in CASES])
def test_who_may_change_the_status(session: Session, loop: Loop, role: str, to: str) -> None:
    from tests.factories import create_user

    loop.world.users["member_2"] = create_user(
        session, role="member", committees=[loop.world.committee]
    )
    set_status(session, loop.follow_up, FROM.get(to, "open"))
    before = (loop.follow_up.status, loop.follow_up.version, last_audit_id(session))
    error = EXPECTED[role][to]
    if error is None:
        assert move(session, loop, to, role).status == to
    else:
        with pytest.raises(error):
            move(session, loop, to, role)
        after = (loop.follow_up.status, loop.follow_up.version, last_audit_id(session))
        assert after == before, "a refusal changes nothing and records nothing"


@pytest.mark.parametrize("role", ["admin", "liaison"])
def test_verified_done_never_by_the_owner_user_even_an_editor(
    session: Session, loop: Loop, role: str
) -> None:
    loop.follow_up.owner_user_id = loop.world.users[role].id
    set_status(session, loop.follow_up, "reported_done")
    with pytest.raises(NotPermitted, match="someone else must verify"):
        move(session, loop, "verified_done", role)
    viewer = loop.viewer(session, role)
    allowed = allowed_transitions(loop.follow_up, by=viewer, committee=loop.world.committee)
    assert allowed == ["in_progress", "open"]


def test_the_owner_is_offered_in_progress_and_reported_done_only(
    session: Session, loop: Loop
) -> None:
    committee = loop.world.committee
    fu = loop.follow_up
    assert allowed_transitions(fu, by=loop.viewer(session, "member"), committee=committee) == [
        "in_progress",
        "reported_done",
    ]
    assert allowed_transitions(fu, by=loop.viewer(session, "liaison"), committee=committee) == [
        "acknowledged",
        "declined",
        "in_progress",
        "reported_done",
    ]
    staff = loop.viewer(session, "county_staff")
    assert allowed_transitions(fu, by=staff, committee=committee) == []
    set_status(session, fu, "reported_done")
    assert allowed_transitions(fu, by=loop.viewer(session, "member"), committee=committee) == [
        "in_progress"
    ]


def test_a_member_it_is_not_assigned_to_may_not_report_it_done(
    session: Session, loop: Loop
) -> None:
    loop.follow_up.owner_user_id = None
    session.add(loop.follow_up)
    with pytest.raises(NotPermitted, match="Only the city's liaison"):
        move(session, loop, "reported_done", "member")


NEEDS_WORDS = [
    ("open", "declined"),
    ("acknowledged", "declined"),
    ("declined", "open"),
    ("verified_done", "open"),
]


@pytest.mark.parametrize(("start", "to"), NEEDS_WORDS)
def test_declining_needs_a_reason_and_reopening_a_comment(
    session: Session, loop: Loop, start: str, to: str
) -> None:
    set_status(session, loop.follow_up, start)
    version, history = loop.follow_up.version, len(events(session, loop.id))
    for blank in ("", "   \n "):
        with pytest.raises(InvalidInput) as refused:
            move(session, loop, to, comment=blank)
        assert set(refused.value.errors) == {"comment"}
    assert (loop.follow_up.status, loop.follow_up.version) == (start, version)
    assert len(events(session, loop.id)) == history
    assert move(session, loop, to, comment="  Asked again by residents.  ").status == to
    assert events(session, loop.id)[-1].comment == "Asked again by residents."


def test_a_change_from_a_stale_version_is_refused_and_names_who_changed_it(
    session: Session, loop: Loop
) -> None:
    seen = loop.follow_up.version
    liaison = loop.viewer(session, "liaison")
    change_status(session, loop.id, to="acknowledged", by=liaison, version=seen)
    admin = loop.viewer(session, "admin")
    with pytest.raises(Conflict, match="Lia Liaison changed this follow-up") as refused:
        change_status(session, loop.id, to="declined", by=admin, comment=REASON, version=seen)
    assert "it is now Acknowledged" in refused.value.message
    assert loop.follow_up.status == "acknowledged"
    with pytest.raises(Conflict, match="You \\(in another window\\)"):
        change_status(session, loop.id, to="in_progress", by=liaison, version=seen)


def test_every_change_is_a_history_row_with_who_when_from_to_and_comment(
    session: Session, loop: Loop, fake_clock: FakeClock
) -> None:
    created = events(session, loop.id)
    assert [(e.kind, e.from_status, e.to_status) for e in created] == [("created", None, "open")]
    assert (created[0].user_id, created[0].at) == (loop.world.users["liaison"].id, NOW)

    steps = [
        ("liaison", "acknowledged", ""),
        ("member", "in_progress", "Pulling the numbers."),
        ("member", "reported_done", "Shared at the May meeting."),
        ("liaison", "verified_done", "Seen at the meeting."),
    ]
    for role, to, comment in steps:
        fake_clock.advance(days=2)
        move(session, loop, to, role, comment=comment)

    rows = events(session, loop.id)[1:]
    assert [(e.kind, e.from_status, e.to_status, e.comment) for e in rows] == [
        ("status", "open", "acknowledged", ""),
        ("status", "acknowledged", "in_progress", "Pulling the numbers."),
        ("status", "in_progress", "reported_done", "Shared at the May meeting."),
        ("status", "reported_done", "verified_done", "Seen at the meeting."),
    ]
    users = loop.world.users
    assert [e.user_id for e in rows] == [
        users["liaison"].id, users["member"].id, users["member"].id, users["liaison"].id,
    ]  # fmt: skip
    assert [e.at for e in rows] == [NOW + dt.timedelta(days=2 * n) for n in range(1, 5)]
    assert loop.follow_up.version == 5


def test_closed_at_is_set_when_verified_and_cleared_on_reopen(
    session: Session, loop: Loop, fake_clock: FakeClock
) -> None:
    move(session, loop, "reported_done", "member")
    assert loop.follow_up.closed_at is None
    verified_at = fake_clock.advance(days=3)
    move(session, loop, "verified_done")
    assert loop.follow_up.closed_at == verified_at
    fake_clock.advance(days=30)
    move(session, loop, "open", comment="Raised again: the data was never shared.")
    assert (loop.follow_up.status, loop.follow_up.closed_at) == ("open", None)


def test_progress_is_kept_and_must_be_a_percentage(session: Session, loop: Loop) -> None:
    assert move(session, loop, "in_progress", "member", progress=40).progress == 40
    for wrong in (-1, 101):
        with pytest.raises(InvalidInput) as refused:
            move(session, loop, "reported_done", "member", progress=wrong)
        assert set(refused.value.errors) == {"progress"}
    assert (loop.follow_up.status, loop.follow_up.progress) == ("in_progress", 40)
    assert move(session, loop, "reported_done", "member").progress == 40


def test_an_unknown_status_is_refused(session: Session, loop: Loop) -> None:
    with pytest.raises(InvalidInput) as refused:
        move(session, loop, "closed")
    assert set(refused.value.errors) == {"to"}


def test_every_change_is_audited_in_the_citys_log(session: Session, loop: Loop) -> None:
    move(session, loop, "declined", comment=REASON)
    event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None
    assert (event.action, event.entity_type, event.entity_id) == (
        "change_follow_up_status",
        "follow_up",
        loop.id,
    )
    assert (event.user_id, event.city_id) == (loop.world.users["liaison"].id, loop.world.city.id)
    assert event.before == {"status": "open", "progress": None}
    assert event.after == {"status": "declined", "progress": None, "comment": REASON}


def _told(session: Session, loop: Loop, kind: str) -> list[int]:
    return [n.user_id for n in notifications(session, loop.id) if n.kind == kind]


def test_the_owner_and_the_creator_are_told_never_the_one_who_acted(
    session: Session, loop: Loop
) -> None:
    users = loop.world.users
    assert _told(session, loop, "assigned") == [users["member"].id]

    move(session, loop, "acknowledged", "liaison")  # the creator acted: only the owner is told
    assert _told(session, loop, "status_changed") == [users["member"].id]
    move(session, loop, "reported_done", "member")  # the owner acted: only the creator is told
    assert _told(session, loop, "status_changed")[1:] == [users["liaison"].id]
    move(session, loop, "verified_done", "admin")  # a third person: both are told
    assert sorted(_told(session, loop, "status_changed")[2:]) == sorted(
        [users["member"].id, users["liaison"].id]
    )
    last = notifications(session, loop.id)[-1]
    assert last.message == "Ada Admin marked “Bring stop data to the next meeting” verified done."
    assert last.read_at is None


def test_no_one_is_told_who_could_no_longer_open_the_follow_up(
    session: Session, loop: Loop
) -> None:
    users = loop.world.users
    users["member"].active = False
    session.add(users["member"])
    session.flush()
    move(session, loop, "acknowledged", "admin")
    assert _told(session, loop, "status_changed") == [users["liaison"].id]


def test_comments_by_anyone_who_sees_it_threaded_and_told_to_the_others(
    session: Session, loop: Loop, fake_clock: FakeClock
) -> None:
    users = loop.world.users
    staff = loop.viewer(session, "county_staff")
    question = add_comment(session, loop.id, by=staff, body="  Which precincts?  ")
    assert (question.body, question.user_id, question.created_at) == (
        "Which precincts?",
        users["county_staff"].id,
        NOW,
    )
    member = loop.viewer(session, "member")
    reply = add_comment(session, loop.id, by=member, body="All three.", parent_id=question.id)
    assert reply.parent_id == question.id
    told = [(n.user_id, n.kind) for n in notifications(session, loop.id) if n.kind == "commented"]
    # The question: owner and creator. The reply: creator and the question's author.
    assert told[:2] == [(users["liaison"].id, "commented"), (users["member"].id, "commented")]
    assert sorted(uid for uid, _ in told[2:]) == sorted(
        [users["liaison"].id, users["county_staff"].id]
    )
    assert loop.follow_up.version == 1, "a comment is not a change of the follow-up"


def test_a_comment_must_say_something_and_reply_on_the_same_follow_up(
    session: Session, loop: Loop
) -> None:
    member = loop.viewer(session, "member")
    with pytest.raises(InvalidInput) as refused:
        add_comment(session, loop.id, by=member, body="  ")
    assert set(refused.value.errors) == {"body"}
    other = make_follow_up(session, loop.world, meeting=loop.meeting, title="Another")
    elsewhere = add_comment(session, other.id or 0, by=member, body="Here.")
    with pytest.raises(InvalidInput) as refused:
        add_comment(session, loop.id, by=member, body="Reply", parent_id=elsewhere.id)
    assert set(refused.value.errors) == {"parent_id"}
    count = session.exec(
        select(FollowUpComment).where(FollowUpComment.follow_up_id == loop.id)
    ).all()
    assert count == []


@pytest.mark.parametrize("role", ["liaison_other", "member_other"])
def test_people_of_another_city_cannot_see_or_comment(
    session: Session, loop: Loop, role: str
) -> None:
    viewer = loop.viewer(session, role)
    with pytest.raises(NotFound):
        add_comment(session, loop.id, by=viewer, body="Hello")
    with pytest.raises(NotFound):
        lifecycle.load_follow_up(session, loop.id, viewer=viewer)


def test_visible_follow_ups_is_the_viewers_scope(session: Session, loop: Loop) -> None:
    other_meeting = Meeting(
        committee_id=loop.world.other_committee.id or 0, start_at=NOW, status="held"
    )
    session.add(other_meeting)
    session.flush()
    other = FollowUp(meeting_id=other_meeting.id or 0, title="Elsewhere")
    session.add(other)
    session.flush()
    mine = {loop.id, other.id}

    def seen_by(role: str) -> set[int | None]:
        rows = session.exec(
            select(FollowUp.id)
            .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
            .join(Committee, col(Committee.id) == Meeting.committee_id)
            .where(visible_follow_ups(loop.viewer(session, role)))
        ).all()
        return set(rows) & mine

    assert seen_by("admin") == seen_by("county_staff") == {loop.id, other.id}
    assert seen_by("liaison") == seen_by("member") == {loop.id}
    assert seen_by("liaison_other") == seen_by("member_other") == {other.id}


def test_overdue_is_past_due_while_someone_still_has_to_act(session: Session, loop: Loop) -> None:
    fu = loop.follow_up
    due = dt.date(2026, 5, 1)
    assert fu.due_date == due
    assert not is_overdue(fu, today=due)
    assert is_overdue(fu, today=due + dt.timedelta(days=1))
    for status, overdue in [("acknowledged", True), ("in_progress", True),
                            ("reported_done", False), ("verified_done", False),
                            ("declined", False)]:  # fmt: skip
        fu.status = status
        assert is_overdue(fu, today=due + dt.timedelta(days=1)) is overdue
    fu.status, fu.due_date = "open", None
    assert not is_overdue(fu, today=due + dt.timedelta(days=1))
