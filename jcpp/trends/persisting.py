"""Persisting topics: raised at each of a committee's latest held meetings in a row.

Read from the meetings themselves (a committee's run of meetings is finer than a city's
months): the committees' held meetings with analysed minutes in the window, newest first; only
topics raised at each of a committee's latest `min_meetings` are followed further back. (Window
functions in SQL cost SQLite two sorts of every meeting in the window; ids sorted once and
walked in Python cost less than half.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from jcpp.models import Committee, Meeting, MeetingTopic, MinutesAnalysis
from jcpp.trends import stats
from jcpp.trends.rollup import COUNTED_STATES, month_of
from jcpp.trends.signal_types import Drill, Names, Signal, Window

MIN_MEETINGS = 6  # half a year of monthly meetings
ID_BATCH = 900  # ids per IN (…): well under every database's limit on parameters

Run = list[int]  # meeting ids, newest first


def _newest_first(
    session: Session, window: Window, city_ids: frozenset[int] | None
) -> dict[int, list[int]]:
    """Per committee whose latest held meeting with analysed minutes is in the period, those
    meetings in the window, newest first."""
    in_period = sa.case((col(Meeting.start_at) >= window.start(window.period_first), 1), else_=0)
    query = (
        sa.select(col(Meeting.committee_id), col(Meeting.id), in_period)
        .join(MinutesAnalysis, col(MinutesAnalysis.meeting_id) == Meeting.id)
        .where(
            col(Meeting.status) != "cancelled",
            col(Meeting.start_at) >= window.start(window.baseline_first),
            col(Meeting.start_at) < window.end(),
        )
        .order_by(col(Meeting.committee_id), col(Meeting.start_at).desc())
    )
    if city_ids is not None:
        query = query.join(Committee, col(Committee.id) == Meeting.committee_id).where(
            col(Committee.city_id).in_(sorted(city_ids))
        )
    meetings: defaultdict[int, list[int]] = defaultdict(list)
    for committee_id, meeting_id, in_period in session.connection().execute(query).all():
        if meetings[committee_id] or in_period:
            meetings[committee_id].append(meeting_id or 0)
    return {committee_id: ids for committee_id, ids in meetings.items() if ids}


def _raised(
    session: Session, meeting_ids: Iterable[int], *, confirmed_only: bool,
    topic_ids: Iterable[int] | None,
) -> set[tuple[int, int]]:  # fmt: skip
    """(meeting, topic) pairs of these meetings where the topic was raised."""
    ids = sorted(set(meeting_ids))
    states = ("confirmed",) if confirmed_only else COUNTED_STATES
    topics = None if topic_ids is None else sorted(topic_ids)
    found: set[tuple[int, int]] = set()
    for start in range(0, len(ids), ID_BATCH):
        query = sa.select(col(MeetingTopic.meeting_id), col(MeetingTopic.topic_id)).where(
            col(MeetingTopic.meeting_id).in_(ids[start : start + ID_BATCH]),
            col(MeetingTopic.state).in_(states),
        )
        if topics is not None:
            query = query.where(col(MeetingTopic.topic_id).in_(topics))
        found.update((m, t) for m, t in session.connection().execute(query).all())
    return found


def _runs(
    session: Session, meetings: dict[int, list[int]], *, min_meetings: int,
    confirmed_only: bool, topic_ids: set[int] | None,
) -> dict[tuple[int, int], Run]:  # fmt: skip
    """Per (committee, topic) raised at each of the committee's latest `min_meetings` or more:
    the meetings of the run, newest first. Walks back one meeting at a time, asking only
    about the topics still in a run (few after the first steps)."""
    alive: dict[int, set[int] | None] = {
        c: None for c, ids in meetings.items() if len(ids) >= min_meetings
    }  # topics still in a run per committee (None: any, before the first step)
    lengths: dict[tuple[int, int], int] = {}
    depth = 0
    while alive:
        step = {meetings[c][depth]: c for c in alive}
        asked = topic_ids if depth == 0 else set().union(*(t or set() for t in alive.values()))
        still: defaultdict[int, set[int]] = defaultdict(set)
        for meeting_id, topic_id in _raised(session, step, confirmed_only=confirmed_only,
                                            topic_ids=asked):  # fmt: skip
            topics = alive[step[meeting_id]]
            if topics is None or topic_id in topics:
                still[step[meeting_id]].add(topic_id)
        for committee_id, topics in alive.items():
            for topic_id in (topics or set()) - still[committee_id]:
                lengths[(committee_id, topic_id)] = depth
        depth += 1
        alive = {c: topics for c, topics in still.items() if topics}
        for committee_id in [c for c in alive if depth >= len(meetings[c])]:
            for topic_id in alive.pop(committee_id) or set():
                lengths[(committee_id, topic_id)] = depth  # a run as long as the window
    return {
        (c, t): meetings[c][:length] for (c, t), length in lengths.items() if length >= min_meetings
    }


def find(
    session: Session, window: Window, names: Names, *, city_ids: frozenset[int] | None,
    topic_ids: set[int] | None, confirmed_only: bool, min_meetings: int = MIN_MEETINGS,
) -> list[Signal]:  # fmt: skip
    """Topics raised at each of at least `min_meetings` of a committee's latest held meetings
    (the latest of them in the period), with how long the run is within the window."""
    meetings = _newest_first(session, window, city_ids)
    runs = _runs(session, meetings, min_meetings=min_meetings, confirmed_only=confirmed_only,
                 topic_ids=topic_ids)  # fmt: skip
    if not runs:
        return []
    starts = _starts(session, {m for run in runs.values() for m in (run[0], run[-1])})
    recent = window.start(window.period_first)
    runs = {pair: run for pair, run in runs.items() if starts[run[0]] >= recent}
    return _signals(session, window, names, runs, starts)


def _starts(session: Session, meeting_ids: set[int]) -> dict[int, dt.datetime]:
    rows = session.exec(
        select(Meeting.id, Meeting.start_at).where(col(Meeting.id).in_(sorted(meeting_ids)))
    ).all()
    return {meeting_id: start for meeting_id, start in rows if meeting_id is not None}


def _signals(
    session: Session, window: Window, names: Names, runs: dict[tuple[int, int], Run],
    starts: dict[int, dt.datetime],
) -> list[Signal]:  # fmt: skip
    committees = {
        committee_id: (name, city_id)
        for committee_id, name, city_id in session.exec(
            select(Committee.id, Committee.name, Committee.city_id).where(
                col(Committee.id).in_(sorted({c for c, _t in runs}))
            )
        ).all()
    }
    found = []
    for (committee_id, topic_id), run in runs.items():
        first = month_of(starts[run[-1]], window.zone)
        last = month_of(starts[run[0]], window.zone)
        topic, (committee, city_id) = names.topics[topic_id], committees[committee_id]
        back = "" if first > window.baseline_first else " (and perhaps before: counted from "
        back += "" if not back else f"{stats.month_name(first, year=True)})"
        explanation = (
            f"Raised at each of the last {len(run)} meetings of the {committee}, "
            f"{stats.month_span(first, last)}{back}."
        )
        drill = Drill(topic_id, (city_id,), first, last, committee_id=committee_id)
        title = f"{topic} raised at {len(run)} meetings in a row: {committee}"
        found.append(Signal("persisting", title, explanation, drill, topic, committee,
                            {"meetings": len(run)}))  # fmt: skip
    return sorted(found, key=lambda s: (-s.numbers["meetings"], s.title))
