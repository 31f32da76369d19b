"""Editors' changes to a follow-up's details and links, at the service: who is told, what the
history keeps, what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.errors import InvalidInput, NotFound, NotPermitted
from jcpp.followups import edits
from jcpp.followups.edits import FollowUpChanges
from jcpp.followups.service import details_fingerprint
from jcpp.topics.service import ensure_default_topics
from tests.followups.helpers import Loop, events, notifications


def changes(loop: Loop, **kw: object) -> FollowUpChanges:
    fu = loop.follow_up
    values: dict[str, object] = {
        "title": fu.title, "description": fu.description, "owner_text": fu.owner_text or "",
        "owner_user_id": fu.owner_user_id, "due_date": fu.due_date, "progress": fu.progress,
        **kw,
    }  # fmt: skip
    return FollowUpChanges(**values)  # type: ignore[arg-type]


def told(session: Session, loop: Loop) -> list[tuple[int, str]]:
    return [(n.user_id, n.kind) for n in notifications(session, loop.id)]


def test_a_new_due_date_is_told_to_the_owner_with_what_changed(
    session: Session, loop: Loop
) -> None:
    admin = loop.viewer(session, "admin")
    before = told(session, loop)
    _, changed = edits.edit_follow_up(
        session, loop.id, by=admin, changes=changes(loop, due_date=dt.date(2026, 6, 3))
    )
    assert changed and loop.follow_up.version == 2
    users = loop.world.users
    new = told(session, loop)[len(before) :]
    assert sorted(new) == sorted([(users["member"].id, "edited"), (users["liaison"].id, "edited")])
    assert events(session, loop.id)[-1].comment == "Due date: May 1, 2026 → Jun 3, 2026"
    message = notifications(session, loop.id)[-1].message
    assert message.startswith("Ada Admin changed “Bring stop data to the next meeting”: Due date")


def test_a_new_owner_user_is_told_it_is_hers_and_the_previous_one_that_it_changed(
    session: Session, loop: Loop
) -> None:
    liaison = loop.viewer(session, "liaison")
    staff = loop.world.users["county_staff"]
    before = len(told(session, loop))
    edits.edit_follow_up(
        session, loop.id, by=liaison, changes=changes(loop, owner_user_id=staff.id)
    )
    new = told(session, loop)[before:]
    member = loop.world.users["member"]
    assert sorted(new) == sorted([(staff.id, "assigned"), (member.id, "edited")])
    assert loop.follow_up.owner_user_id == staff.id


def test_an_owner_user_must_be_able_to_see_the_follow_up(session: Session, loop: Loop) -> None:
    liaison = loop.viewer(session, "liaison")
    outsider = loop.world.users["member_other"]
    with pytest.raises(InvalidInput) as refused:
        edits.edit_follow_up(
            session, loop.id, by=liaison, changes=changes(loop, owner_user_id=outsider.id)
        )
    assert set(refused.value.errors) == {"owner_user_id"}


def test_a_stale_form_is_refused_unless_it_asks_for_what_is_already_stored(
    session: Session, loop: Loop
) -> None:
    liaison = loop.viewer(session, "liaison")
    seen = details_fingerprint(loop.follow_up)
    edits.edit_follow_up(session, loop.id, by=liaison, changes=changes(loop, progress=20))
    with pytest.raises(edits.DetailsChanged):
        edits.edit_follow_up(
            session, loop.id, by=liaison, changes=changes(loop, progress=50), seen=seen
        )
    _, changed = edits.edit_follow_up(
        session, loop.id, by=liaison, changes=changes(loop, progress=20), seen=seen
    )
    assert not changed and loop.follow_up.progress == 20


@pytest.mark.parametrize(
    ("role", "error"),
    [("member", NotPermitted), ("county_staff", NotPermitted), ("liaison_other", NotFound)],
)
def test_only_editors_change_details_and_links(
    session: Session, loop: Loop, role: str, error: type[Exception]
) -> None:
    ensure_default_topics(session)
    viewer = loop.viewer(session, role)
    with pytest.raises(error):
        edits.edit_follow_up(session, loop.id, by=viewer, changes=changes(loop, title="Mine"))
    with pytest.raises(error):
        edits.link_topic(session, loop.id, 1, by=viewer)
    with pytest.raises(error):
        edits.unlink_concern(session, loop.id, 1, by=viewer)
    assert loop.follow_up.version == 1 and len(events(session, loop.id)) == 1


def test_unlinking_what_is_not_linked_changes_nothing(session: Session, loop: Loop) -> None:
    ensure_default_topics(session)
    liaison = loop.viewer(session, "liaison")
    assert not edits.unlink_topic(session, loop.id, 1, by=liaison)
    assert not edits.unlink_concern(session, loop.id, 1, by=liaison)
    assert loop.follow_up.version == 1 and len(events(session, loop.id)) == 1
