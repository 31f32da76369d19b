"""The topic list: the shipped list, county staff's edits, retiring and merging."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, delete, func, select, update

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.errors import Conflict, InvalidInput, NotPermitted
from jcpp.models import (
    AuditEvent,
    Concern,
    ConcernTopic,
    MeetingTopic,
    Topic,
    TopicMention,
)
from jcpp.topics import merge, service
from jcpp.topics.service import TopicChanges
from nlp import taxonomy
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

# The default topic list of the domain document (shared/design/domain.md), exactly.
DOMAIN_SLUGS = {
    "traffic-safety", "traffic-stops", "youth", "mental-health", "use-of-force",
    "body-cameras", "surveillance-tech", "complaints-oversight", "bias-policing",
    "hate-bias-incidents", "immigration", "language-access", "recruitment-staffing",
    "training", "community-education", "community-events", "crime-trends", "gun-violence",
    "domestic-sexual-violence", "human-trafficking", "drugs-alcohol", "housing-homelessness",
    "protests-public-order", "committee-business", "policy-reform", "community-trust",
}  # fmt: skip


def empty_topic_table(session: Session) -> None:
    """Start from no topics (inside the test's transaction, rolled back afterwards)."""
    session.exec(delete(ConcernTopic))
    session.exec(delete(TopicMention))
    session.exec(delete(MeetingTopic))
    session.exec(update(Topic).values(merged_into_id=None))
    session.exec(delete(Topic))


@pytest.fixture
def world(session: Session) -> World:
    service.ensure_default_topics(session)
    return build_world(session)


@pytest.fixture
def staff(session: Session, world: World) -> Viewer:
    return load_viewer(session, world.users["county_staff"])


def slug_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(Topic.slug, func.count()).group_by(col(Topic.slug))).all()
    return dict(rows)


def topic(session: Session, slug: str) -> Topic:
    return session.exec(select(Topic).where(Topic.slug == slug)).one()


def changes_of(row: Topic, **kw: object) -> TopicChanges:
    values: dict[str, object] = {
        "name": row.name,
        "description": row.description,
        "terms": tuple(row.terms),
        "exclusions": tuple(row.exclusions),
    }
    values.update(kw)
    return TopicChanges(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the shipped list


def test_default_list_loads_the_26_slugs_exactly_once(session: Session) -> None:
    empty_topic_table(session)

    first = service.ensure_default_topics(session)
    second = service.ensure_default_topics(session)

    assert set(first.added) == DOMAIN_SLUGS and len(first.added) == 26
    assert slug_counts(session) == dict.fromkeys(DOMAIN_SLUGS, 1)
    assert not second.changed
    loads = session.exec(select(AuditEvent).where(AuditEvent.action == "load_topics")).all()
    assert loads[-1].after == {"added": first.added, "refreshed": []}


def test_an_empty_topic_table_is_filled_on_first_use(session: Session, world: World) -> None:
    empty_topic_table(session)
    staff = load_viewer(session, world.users["county_staff"])
    rows = service.list_topics(session, viewer=staff)
    assert {row.topic.slug for row in rows} == DOMAIN_SLUGS


def test_edits_by_county_staff_survive_reloading(
    session: Session, world: World, staff: Viewer
) -> None:
    youth = topic(session, "youth")
    edited = changes_of(
        youth, name="Youth and schools", terms=("teenagers", "school resource officer")
    )
    service.update_topic(session, "youth", changes=edited, version=youth.version, by=staff)
    service.set_topic_active(session, "gun-violence", active=False, by=staff)

    result = service.ensure_default_topics(session)

    youth = topic(session, "youth")
    assert (youth.name, youth.terms) == (
        "Youth and schools",
        ["teenagers", "school resource officer"],
    )
    assert not topic(session, "gun-violence").active
    assert {"youth", "gun-violence"} <= set(result.kept)
    assert "youth" not in result.refreshed


def test_shipped_topics_nobody_edited_follow_the_shipped_list(
    session: Session, world: World
) -> None:
    stale = topic(session, "immigration")
    stale.terms = ["immigrant"]  # as an older release shipped it
    session.add(stale)
    result = service.ensure_default_topics(session)
    shipped = {d.slug: d for d in taxonomy.default_topics()}["immigration"]
    assert result.refreshed == ["immigration"]
    assert topic(session, "immigration").terms == list(shipped.terms)


def test_every_shipped_topic_passes_the_editors_checks(session: Session, world: World) -> None:
    for definition in taxonomy.default_topics():
        row = topic(session, definition.slug)
        service.validate_changes(session, changes_of(row), topic_id=row.id)


# ---------------------------------------------------------------- editing


def test_update_records_what_changed_and_bumps_the_version(
    session: Session, world: World, staff: Viewer
) -> None:
    youth = topic(session, "youth")
    version = youth.version
    changed = changes_of(youth, description="Young people and schools")
    service.update_topic(session, "youth", changes=changed, version=version, by=staff)
    assert (youth.version, youth.edited) == (version + 1, True)
    event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None and event.action == "update_topic"
    assert event.after == {"description": "Young people and schools"}

    with pytest.raises(Conflict):
        service.update_topic(
            session, "youth", changes=changes_of(youth, name="Kids"), version=version, by=staff
        )
    assert topic(session, "youth").name == "Youth"


def test_invalid_edits_say_which_field(session: Session, world: World, staff: Viewer) -> None:
    youth = topic(session, "youth")
    bad = TopicChanges(
        name="Traffic safety", description="x" * 1001, terms=("curfew|strong",),
        exclusions=("|0.5",),
    )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        service.update_topic(session, "youth", changes=bad, version=youth.version, by=staff)
    assert set(error.value.errors) == {"name", "description", "terms", "exclusions"}
    with pytest.raises(InvalidInput) as error:
        service.update_topic(
            session, "youth", changes=changes_of(youth, terms=()), version=youth.version, by=staff
        )
    assert set(error.value.errors) == {"terms"}


def test_add_topic_makes_a_slug_and_refuses_a_taken_one(
    session: Session, world: World, staff: Viewer
) -> None:
    added = service.add_topic(
        session, changes=TopicChanges(name="School Safety!", terms=("school safety",)), by=staff
    )
    assert (added.slug, added.active, added.edited) == ("school-safety", True, True)
    with pytest.raises(InvalidInput) as error:
        service.add_topic(
            session, changes=TopicChanges(name="Another", terms=("x",)), slug="youth", by=staff
        )
    assert set(error.value.errors) == {"slug"}


@pytest.mark.parametrize("role", ["liaison", "member"])
def test_only_county_staff_and_admins_change_the_list(
    session: Session, world: World, role: str
) -> None:
    viewer = load_viewer(session, world.users[role])
    youth = topic(session, "youth")
    with pytest.raises(NotPermitted):
        service.update_topic(session, "youth", changes=changes_of(youth), version=1, by=viewer)
    with pytest.raises(NotPermitted):
        service.add_topic(session, changes=TopicChanges(name="X", terms=("x",)), by=viewer)
    with pytest.raises(NotPermitted):
        service.set_topic_active(session, "youth", active=False, by=viewer)
    with pytest.raises(NotPermitted):
        merge.merge_topic(session, "youth", into="training", by=viewer)


def test_retired_topics_leave_the_pipeline_and_come_back(
    session: Session, world: World, staff: Viewer
) -> None:
    before = service.topic_list_version(session)
    service.set_topic_active(session, "gun-violence", active=False, by=staff)
    assert "gun-violence" not in {d.slug for d in service.topics_for_pipeline(session)}
    assert service.topic_list_version(session) != before
    service.set_topic_active(session, "gun-violence", active=True, by=staff)
    assert service.topic_list_version(session) == before


# ---------------------------------------------------------------- merging


def test_merge_moves_meetings_evidence_and_concern_links(
    session: Session, world: World, staff: Viewer
) -> None:
    source, target = topic(session, "community-events"), topic(session, "community-trust")
    both, only_source = (create_meeting(session, committee=world.committee) for _ in range(2))
    session.add_all(
        [
            MeetingTopic(meeting_id=both.id or 0, topic_id=source.id or 0, state="confirmed",
                         origin="person", matched=["night out"]),
            MeetingTopic(meeting_id=both.id or 0, topic_id=target.id or 0, state="proposed",
                         matched=["trust"]),
            MeetingTopic(meeting_id=only_source.id or 0, topic_id=source.id or 0, state="rejected"),
            TopicMention(meeting_id=both.id or 0, revision_number=1, topic_id=source.id or 0,
                         start=0, end=9, text="Night Out", sentence_start=0, sentence_end=10,
                         sentence="Night Out.", score=1.0, matched="night out",
                         pipeline_version="t"),
        ]
    )  # fmt: skip
    concern = Concern(meeting_id=both.id or 0, revision_number=1, start=0, end=3, text="abc")
    session.add(concern)
    session.flush()
    session.add(ConcernTopic(concern_id=concern.id or 0, topic_id=source.id or 0))
    session.flush()

    result = merge.merge_topic(session, source.slug, into=target.slug, by=staff)

    assert (result.meetings_moved, result.meetings_combined) == (1, 1)
    rows = session.exec(
        select(MeetingTopic.meeting_id, MeetingTopic.state, MeetingTopic.origin).where(
            col(MeetingTopic.topic_id).in_([source.id, target.id])
        )
    ).all()
    assert sorted(rows) == sorted(
        [(both.id, "confirmed", "person"), (only_source.id, "rejected", "nlp")]
    ), "a person's confirmation wins over a proposal; the rejection moves with its meeting"
    assert all(
        row.topic_id == target.id
        for row in session.exec(select(MeetingTopic).where(MeetingTopic.meeting_id == both.id))
    )
    mention = session.exec(select(TopicMention).where(TopicMention.meeting_id == both.id)).one()
    assert mention.topic_id == target.id
    links = session.exec(select(ConcernTopic).where(ConcernTopic.concern_id == concern.id)).all()
    assert [link.topic_id for link in links] == [target.id]
    assert (source.active, source.merged_into_id) == (False, target.id)
    definitions = {d.slug: d for d in service.topics_for_pipeline(session)}
    assert "community-events" not in definitions
    assert set(source.terms) <= set(definitions["community-trust"].terms)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "merge_topic")).all()[-1]
    assert event.after["merged_into"] == "community-trust"  # type: ignore[index]

    with pytest.raises(Conflict):
        service.set_topic_active(session, source.slug, active=True, by=staff)


def test_merge_refuses_itself_and_retired_targets(
    session: Session, world: World, staff: Viewer
) -> None:
    with pytest.raises(InvalidInput):
        merge.merge_topic(session, "youth", into="youth", by=staff)
    service.set_topic_active(session, "training", active=False, by=staff)
    with pytest.raises(InvalidInput):
        merge.merge_topic(session, "youth", into="training", by=staff)
    with pytest.raises(InvalidInput):
        merge.merge_topic(session, "youth", into="no-such-topic", by=staff)
    assert topic(session, "youth").active


def test_merged_chains_give_their_terms_to_the_last_active_topic(
    session: Session, world: World, staff: Viewer
) -> None:
    merge.merge_topic(session, "human-trafficking", into="domestic-sexual-violence", by=staff)
    merge.merge_topic(session, "domestic-sexual-violence", into="crime-trends", by=staff)
    definitions = {d.slug: d for d in service.topics_for_pipeline(session)}
    trafficking = topic(session, "human-trafficking").terms
    assert set(trafficking) <= set(definitions["crime-trends"].terms)
    assert not {"human-trafficking", "domestic-sexual-violence"} & set(definitions)


def test_list_counts_only_meetings_the_viewer_may_see(session: Session, world: World) -> None:
    youth = topic(session, "youth")
    mine = create_meeting(session, committee=world.committee)
    theirs = create_meeting(session, committee=world.other_committee)
    for meeting in (mine, theirs):
        session.add(
            MeetingTopic(meeting_id=meeting.id or 0, topic_id=youth.id or 0, state="confirmed")
        )
    session.flush()

    def youth_meetings(role: str) -> int:
        rows = service.list_topics(session, viewer=load_viewer(session, world.users[role]))
        return next(r.meetings for r in rows if r.topic.slug == "youth")

    assert youth_meetings("member") == 1
    assert youth_meetings("county_staff") - youth_meetings("liaison") >= 1
