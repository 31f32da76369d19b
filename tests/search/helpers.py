"""A small county with something to find in every kind of document, in two cities.

Every text holds the world's own `marker` word (the test database may keep rows of other
tests), so that a search for it finds only this world's documents.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

import pytest
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.derived import refresh_now
from jcpp.models import (
    AgendaItem,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpTopic,
    Meeting,
    MeetingTopic,
    SearchDocument,
    SearchDocumentTopic,
    Topic,
)
from jcpp.search import service
from jcpp.search.service import HitPage, SearchFilters
from tests.factories import create_meeting, create_minutes
from tests.meetings.helpers import World, build_world


def topic(session: Session, slug: str) -> Topic:
    found = session.exec(select(Topic).where(Topic.slug == slug)).first()
    if found is None:
        found = Topic(slug=slug, name=slug.replace("-", " ").title(), terms=[slug])
        session.add(found)
        session.flush()
    return found


@dataclass
class SearchWorld:
    world: World
    marker: str
    meetings: dict[str, Meeting] = field(default_factory=dict)
    agenda_item: AgendaItem | None = None
    concern: Concern | None = None
    follow_up: FollowUp | None = None

    def viewer(self, session: Session, role: str) -> Viewer:
        return load_viewer(session, self.world.users[role])

    def find(
        self,
        session: Session,
        words: str,
        *,
        role: str = "admin",
        filters: SearchFilters | None = None,
        sort: str = "relevance",
        page: int = 1,
    ) -> HitPage:
        """A search for `words` with the marker added (this world's documents only)."""
        return service.search(
            session,
            f"{words} {self.marker}",
            viewer=self.viewer(session, role),
            filters=filters or SearchFilters(),
            sort=sort,
            page=page,
        )

    def kinds(self, page: HitPage) -> list[tuple[str, int]]:
        return [(hit.kind, hit.source_id) for hit in page.hits]


def meeting_with_minutes(
    session: Session, world: World, text: str, *, other: bool = False, day: int = 1,
    status: str = "draft", hour: int = 23, year: int = 2026,
) -> Meeting:  # fmt: skip
    committee = world.other_committee if other else world.committee
    start = dt.datetime(year, 3, day, hour, 30, tzinfo=dt.UTC)
    meeting = create_meeting(session, committee=committee, start_at=start, status="held")
    create_minutes(session, meeting=meeting, texts=[text], status=status)
    return meeting


def build_search_world(session: Session) -> SearchWorld:
    world = build_world(session)
    marker = f"zq{secrets.token_hex(4)}"
    found = SearchWorld(world=world, marker=marker)
    traffic, housing = topic(session, "traffic-safety"), topic(session, "housing")
    here = meeting_with_minutes(
        session, world, f"# Minutes\n\nResidents asked about traffic stops on Lyndale. {marker}",
        day=3,
    )  # fmt: skip
    there = meeting_with_minutes(
        session, world, f"Crystal residents asked about traffic stops downtown. {marker}",
        other=True, day=4, status="published",
    )  # fmt: skip
    found.meetings = {"here": here, "there": there}
    session.add(MeetingTopic(meeting_id=here.id or 0, topic_id=traffic.id or 0, state="confirmed"))
    session.add(MeetingTopic(meeting_id=there.id or 0, topic_id=traffic.id or 0))
    found.agenda_item = AgendaItem(
        meeting_id=here.id or 0, position=1, title=f"Housing inspections {marker}",
        notes="Rental licensing update from the city.",
    )  # fmt: skip
    found.concern = Concern(
        meeting_id=here.id or 0, revision_number=1, start=0, end=10, state="confirmed",
        text=f"Tenants worry about evictions {marker}",
    )  # fmt: skip
    session.add_all([found.agenda_item, found.concern])
    session.flush()
    session.add(ConcernTopic(concern_id=found.concern.id or 0, topic_id=housing.id or 0))
    found.follow_up = FollowUp(
        meeting_id=here.id or 0, title=f"Report eviction numbers {marker}",
        description="The housing office reports the eviction filings.",
    )  # fmt: skip
    session.add(found.follow_up)
    session.flush()
    session.add(FollowUpTopic(follow_up_id=found.follow_up.id or 0, topic_id=housing.id or 0))
    refresh_now(session)
    return found


@pytest.fixture
def search_world(session: Session) -> SearchWorld:
    return build_search_world(session)


def index_rows(
    session: Session, meeting_ids: list[int]
) -> tuple[set[tuple[object, ...]], set[tuple[int, int]]]:
    """The index's rows for these meetings: documents and their topics."""
    documents = session.exec(
        select(SearchDocument).where(col(SearchDocument.meeting_id).in_(meeting_ids))
    ).all()
    rows = {
        (d.id, d.kind, d.source_id, d.city_id, d.committee_id, d.meeting_id, d.meeting_date,
         d.status, d.terms)
        for d in documents
    }  # fmt: skip
    topics = session.exec(
        select(SearchDocumentTopic.topic_id, SearchDocumentTopic.document_id).where(
            col(SearchDocumentTopic.document_id).in_([d.id for d in documents])
        )
    ).all()
    return rows, set(topics)
