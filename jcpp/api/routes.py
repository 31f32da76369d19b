"""GET-only endpoints of /api/v1. Each reads through `jcpp.api.service`, which applies the token
owner's permissions; out-of-scope ids answer 404 as in the app."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

from jcpp.api import schemas as out
from jcpp.api import service
from jcpp.api.auth import ApiViewer
from jcpp.api.cursors import (
    COUNT_CURSOR,
    ID_CURSOR,
    MAX_ID,
    decode_count,
    decode_id,
    encode_count,
    encode_id,
)
from jcpp.deps import SessionDep
from jcpp.models import City, Committee, FollowUp, Topic, TopicMention, TopicMonthCount

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": out.Error, "description": "No token, or a token that is not valid"},
    422: {"model": out.ValidationError, "description": "A parameter could not be read"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": out.Error, "description": "No such thing, or not yours to see"}
}


def reject_unknown_parameters(request: Request) -> None:
    """422 for a query parameter the operation does not have: a misspelt filter
    (`?comittee=3`) must not quietly answer with everything."""
    route = request.scope.get("route")
    known = {param.alias for param in route.dependant.query_params} if route else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise RequestValidationError(
            [
                {"loc": ("query", name), "msg": "This operation has no such parameter."}
                for name in unknown
            ]
        )


router = APIRouter(responses=ERRORS, dependencies=[Depends(reject_unknown_parameters)])

Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page (1–200)")]
Cursor = Annotated[
    str | None, Query(pattern=ID_CURSOR, description="`next_cursor` of the page before")
]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    """A day is written YYYY-MM-DD: pydantic would also take a number as seconds since 1970."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]
FirstDay = Annotated[
    Day | None, Query(alias="from", description="From this day (county time), included")
]
LastDay = Annotated[
    Day | None, Query(alias="to", description="To this day (county time), included")
]


MeetingId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _window(cursor: str | None, limit: int) -> service.Window:
    return service.Window(after=decode_id(cursor), limit=limit + 1)


def _page(items: list[Any], last_ids: list[int], limit: int) -> dict[str, Any]:
    """The first `limit` items, and a cursor when one more row was found."""
    more = len(items) > limit
    return {
        "items": items[:limit],
        "next_cursor": encode_id(last_ids[limit - 1]) if more else None,
    }


def _city(city: City) -> out.CityOut:
    return out.CityOut(id=city.id or 0, name=city.name, slug=city.slug)


def _committee(committee: Committee) -> out.CommitteeOut:
    return out.CommitteeOut(
        id=committee.id or 0,
        city_id=committee.city_id,
        name=committee.name,
        slug=committee.slug,
        kind=committee.kind,
        active=committee.active,
    )


def _meeting(row: service.MeetingRow) -> out.MeetingOut:
    m = row.meeting
    return out.MeetingOut(
        id=m.id or 0,
        committee_id=m.committee_id,
        city_id=row.city_id,
        start_at=m.start_at,
        end_at=m.end_at,
        place=m.place,
        status=m.status,
        guest_count=m.guest_count,
        minutes_status=row.minutes_status,
    )


def _topic(topic: Topic) -> out.TopicOut:
    return out.TopicOut(
        id=topic.id or 0,
        slug=topic.slug,
        name=topic.name,
        description=topic.description,
        active=topic.active,
        merged_into_id=topic.merged_into_id,
    )


def _mention(mention: TopicMention, state: str) -> out.MentionOut:
    return out.MentionOut(
        id=mention.id or 0,
        meeting_id=mention.meeting_id,
        topic_id=mention.topic_id,
        state=state,
        revision_number=mention.revision_number,
        start=mention.start,
        end=mention.end,
        text=mention.text,
        sentence=mention.sentence,
        score=mention.score,
        source=mention.source,
    )


def _concern(row: service.ConcernRow) -> out.ConcernOut:
    c = row.concern
    return out.ConcernOut(
        id=c.id or 0,
        meeting_id=c.meeting_id,
        committee_id=row.committee_id,
        text=c.shown_text,
        state=c.state,
        origin=c.origin,
        revision_number=c.revision_number,
        missing_since_revision=c.missing_since_revision,
        topic_ids=row.topic_ids,
        created_at=c.created_at,
    )


def _follow_up(follow_up: FollowUp, committee_id: int) -> out.FollowUpOut:
    f = follow_up
    return out.FollowUpOut(
        id=f.id or 0,
        meeting_id=f.meeting_id,
        committee_id=committee_id,
        title=f.title,
        description=f.description,
        owner=f.owner_text,
        due_date=f.due_date,
        status=f.status,
        progress=f.progress,
        created_at=f.created_at,
        updated_at=f.updated_at,
        closed_at=f.closed_at,
    )


def _count(row: TopicMonthCount) -> out.TrendCountOut:
    return out.TrendCountOut(
        city_id=row.city_id,
        topic_id=row.topic_id,
        month=f"{row.month:%Y-%m}",
        meetings_all=row.meetings_all,
        meetings_confirmed=row.meetings_confirmed,
        mentions_all=row.mentions_all,
        mentions_confirmed=row.mentions_confirmed,
        concerns_all=row.concerns_all,
        concerns_confirmed=row.concerns_confirmed,
    )


@router.get("/cities", summary="Cities you see", operation_id="listCities")
def list_cities(
    session: SessionDep, viewer: ApiViewer, limit: Limit = 50, cursor: Cursor = None
) -> out.Page[out.CityOut]:
    rows = service.cities(session, viewer, window=_window(cursor, limit))
    return out.Page[out.CityOut](
        **_page([_city(c) for c in rows], [c.id or 0 for c in rows], limit)
    )


@router.get("/committees", summary="Committees you see", operation_id="listCommittees")
def list_committees(
    session: SessionDep,
    viewer: ApiViewer,
    city: IdFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> out.Page[out.CommitteeOut]:
    rows = service.committees(session, viewer, city_id=city, window=_window(cursor, limit))
    items = [_committee(c) for c in rows]
    return out.Page[out.CommitteeOut](**_page(items, [c.id for c in items], limit))


@router.get(
    "/committees/{committee_id}",
    summary="One committee",
    operation_id="getCommittee",
    responses=NOT_FOUND,
)
def get_committee(session: SessionDep, viewer: ApiViewer, committee_id: ItemId) -> out.CommitteeOut:
    return _committee(service.committee(session, viewer, committee_id))


@router.get("/meetings", summary="Meetings of the committees you see", operation_id="listMeetings")
def list_meetings(
    session: SessionDep,
    viewer: ApiViewer,
    committee: IdFilter = None,
    city: IdFilter = None,
    first: FirstDay = None,
    last: LastDay = None,
    status: out.MeetingStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> out.Page[out.MeetingOut]:
    filters = service.MeetingFilters(committee, city, first, last, status)
    rows = service.meetings(session, viewer, filters=filters, window=_window(cursor, limit))
    items = [_meeting(row) for row in rows]
    return out.Page[out.MeetingOut](**_page(items, [m.id for m in items], limit))


@router.get(
    "/meetings/{meeting_id}", summary="One meeting", operation_id="getMeeting", responses=NOT_FOUND
)
def get_meeting(session: SessionDep, viewer: ApiViewer, meeting_id: MeetingId) -> out.MeetingOut:
    return _meeting(service.meeting(session, viewer, meeting_id))


@router.get(
    "/meetings/{meeting_id}/minutes",
    summary="A meeting's minutes: the current text, status and revisions",
    operation_id="getMinutes",
    responses=NOT_FOUND,
)
def get_minutes(session: SessionDep, viewer: ApiViewer, meeting_id: MeetingId) -> out.MinutesOut:
    view = service.minutes(session, viewer, meeting_id)
    m = view.minutes
    return out.MinutesOut(
        meeting_id=m.meeting_id,
        status=m.status,
        current_revision=m.current_revision,
        text=view.text,
        approved_revision=m.approved_revision,
        approved_at=m.approved_at,
        published_at=m.published_at,
        revisions=[
            out.RevisionOut(number=r.number, created_at=r.created_at, note=r.note)
            for r in view.revisions
        ],
    )


@router.get("/topics", summary="The county's topic list", operation_id="listTopics")
def list_topics(
    session: SessionDep, viewer: ApiViewer, limit: Limit = 50, cursor: Cursor = None
) -> out.Page[out.TopicOut]:
    rows = service.topics(session, window=_window(cursor, limit))
    items = [_topic(t) for t in rows]
    return out.Page[out.TopicOut](**_page(items, [t.id for t in items], limit))


@router.get(
    "/mentions",
    summary="Evidence: where topics come up in the minutes you see",
    operation_id="listMentions",
)
def list_mentions(
    session: SessionDep,
    viewer: ApiViewer,
    topic: IdFilter = None,
    meeting: IdFilter = None,
    state: out.ReviewState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> out.Page[out.MentionOut]:
    filters = service.MentionFilters(topic, meeting, state)
    rows = service.mentions(session, viewer, filters=filters, window=_window(cursor, limit))
    items = [_mention(mention, state) for mention, state in rows]
    return out.Page[out.MentionOut](**_page(items, [m.id for m in items], limit))


@router.get("/concerns", summary="Concerns raised at meetings you see", operation_id="listConcerns")
def list_concerns(
    session: SessionDep,
    viewer: ApiViewer,
    meeting: IdFilter = None,
    committee: IdFilter = None,
    city: IdFilter = None,
    topic: IdFilter = None,
    state: out.ReviewState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> out.Page[out.ConcernOut]:
    filters = service.ConcernFilters(meeting, committee, city, state, topic)
    rows = service.concerns(session, viewer, filters=filters, window=_window(cursor, limit))
    items = [_concern(row) for row in rows]
    return out.Page[out.ConcernOut](**_page(items, [c.id for c in items], limit))


@router.get(
    "/concerns/{concern_id}", summary="One concern", operation_id="getConcern", responses=NOT_FOUND
)
def get_concern(session: SessionDep, viewer: ApiViewer, concern_id: ItemId) -> out.ConcernOut:
    return _concern(service.concern(session, viewer, concern_id))


@router.get("/follow-ups", summary="Follow-ups of meetings you see", operation_id="listFollowUps")
def list_follow_ups(
    session: SessionDep,
    viewer: ApiViewer,
    committee: IdFilter = None,
    city: IdFilter = None,
    status: out.FollowUpStatus | None = None,
    due_from: Annotated[Day | None, Query(description="Due on or after this day")] = None,
    due_to: Annotated[Day | None, Query(description="Due on or before this day")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> out.Page[out.FollowUpOut]:
    filters = service.FollowUpFilters(committee, city, status, due_from, due_to)
    rows = service.follow_ups(session, viewer, filters=filters, window=_window(cursor, limit))
    items = [_follow_up(f, committee_id) for f, committee_id in rows]
    return out.Page[out.FollowUpOut](**_page(items, [f.id for f in items], limit))


@router.get(
    "/follow-ups/{follow_up_id}",
    summary="One follow-up",
    operation_id="getFollowUp",
    responses=NOT_FOUND,
)
def get_follow_up(session: SessionDep, viewer: ApiViewer, follow_up_id: ItemId) -> out.FollowUpOut:
    return _follow_up(*service.follow_up(session, viewer, follow_up_id))


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    year, month = value.split("-")
    return dt.date(max(int(year), 1), int(month), 1)


@router.get(
    "/trends/counts",
    summary="Topic × city × month counts of the cities you see",
    operation_id="listTrendCounts",
)
def list_trend_counts(
    session: SessionDep,
    viewer: ApiViewer,
    topic: IdFilter = None,
    city: IdFilter = None,
    first: Annotated[
        str | None, Query(alias="from", pattern=MONTH, description="First month, YYYY-MM")
    ] = None,
    last: Annotated[
        str | None, Query(alias="to", pattern=MONTH, description="Last month, YYYY-MM")
    ] = None,
    limit: Limit = 50,
    cursor: Annotated[
        str | None,
        Query(pattern=COUNT_CURSOR, description="`next_cursor` of the page before"),
    ] = None,
) -> out.Page[out.TrendCountOut]:
    filters = service.CountFilters(topic, city, _month(first), _month(last))
    rows = service.trend_counts(
        session, viewer, filters=filters, after=decode_count(cursor), limit=limit + 1
    )
    more = len(rows) > limit
    last_row = rows[limit - 1] if more else None
    return out.Page[out.TrendCountOut](
        items=[_count(row) for row in rows[:limit]],
        next_cursor=(
            encode_count(last_row.month, last_row.city_id, last_row.topic_id) if last_row else None
        ),
    )
