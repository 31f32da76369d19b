"""Persisting topics: raised at each of a committee's latest held meetings in a row.

Read from the meetings themselves (a committee's run of meetings is finer than a city's
months): the committees' held meetings with analysed minutes in the window are ranked newest
first in SQL, and only topics raised at each of the latest `min_meetings` are looked at further.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from jcpp.models import Committee, Meeting, MeetingTopic, MinutesAnalysis
from jcpp.trends import stats
from jcpp.trends.rollup import COUNTED_STATES, month_of
from jcpp.trends.signal_types import Drill, Names, Signal, Window

MIN_MEETINGS = 6  # half a year of monthly meetings


def _ranked(window: Window, city_ids: frozenset[int] | None) -> sa.Subquery:
    newest_first = col(Meeting.start_at).desc()
    return (
        sa.select(
            col(Meeting.id).label("meeting_id"),
            col(Meeting.committee_id).label("committee_id"),
            col(Meeting.start_at).label("start_at"),
            func.row_number()
            .over(partition_by=col(Meeting.committee_id), order_by=newest_first)
            .label("rank"),
            func.max(col(Meeting.start_at))
            .over(partition_by=col(Meeting.committee_id))
            .label("latest"),
        )
        .join(MinutesAnalysis, col(MinutesAnalysis.meeting_id) == Meeting.id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(
            col(Meeting.status) != "cancelled",
            col(Meeting.start_at) >= window.start(window.baseline_first),
            col(Meeting.start_at) < window.end(),
            *([] if city_ids is None else [col(Committee.city_id).in_(sorted(city_ids))]),
        )
        .subquery()
    )


def _states(confirmed_only: bool) -> tuple[str, ...]:
    return ("confirmed",) if confirmed_only else COUNTED_STATES


def find(
    session: Session, window: Window, names: Names, *, city_ids: frozenset[int] | None,
    topic_ids: set[int] | None, confirmed_only: bool, min_meetings: int = MIN_MEETINGS,
) -> list[Signal]:  # fmt: skip
    """Topics raised at each of at least `min_meetings` of a committee's latest held meetings
    (the latest of them in the period), with how long the run is within the window."""
    ranked = _ranked(window, city_ids)
    topic_filter = [] if topic_ids is None else [col(MeetingTopic.topic_id).in_(topic_ids)]
    candidates = (
        session.connection()
        .execute(
            sa.select(ranked.c.committee_id, col(MeetingTopic.topic_id))
            .join(MeetingTopic, col(MeetingTopic.meeting_id) == ranked.c.meeting_id)
            .where(
                ranked.c.rank <= min_meetings,
                ranked.c.latest >= window.start(window.period_first),
                col(MeetingTopic.state).in_(_states(confirmed_only)),
                *topic_filter,
            )
            .group_by(ranked.c.committee_id, col(MeetingTopic.topic_id))
            .having(func.count() >= min_meetings)
        )
        .all()
    )
    if not candidates:
        return []
    pairs = [(int(committee_id), int(topic_id)) for committee_id, topic_id in candidates]
    runs = _runs(session, ranked, pairs, confirmed_only)
    return _signals(session, window, names, runs)


def _runs(
    session: Session, ranked: sa.Subquery, candidates: list[tuple[int, int]],
    confirmed_only: bool,
) -> dict[tuple[int, int], list[tuple[int, object]]]:  # fmt: skip
    """Per (committee, topic): the meetings of its run, newest first, as (meeting id, start)."""
    committees = sorted({c for c, _t in candidates})
    meetings = (
        session.connection()
        .execute(
            sa.select(ranked.c.committee_id, ranked.c.meeting_id, ranked.c.start_at)
            .where(ranked.c.committee_id.in_(committees))
            .order_by(ranked.c.committee_id, ranked.c.rank)
        )
        .all()
    )
    raised = set(
        session.exec(
            select(MeetingTopic.meeting_id, MeetingTopic.topic_id).where(
                col(MeetingTopic.meeting_id).in_([m for _c, m, _s in meetings]),
                col(MeetingTopic.topic_id).in_(sorted({t for _c, t in candidates})),
                col(MeetingTopic.state).in_(_states(confirmed_only)),
            )
        ).all()
    )
    by_committee: defaultdict[int, list[tuple[int, object]]] = defaultdict(list)
    for committee_id, meeting_id, start in meetings:
        by_committee[committee_id].append((meeting_id, start))
    runs = {}
    for committee_id, topic_id in candidates:
        newest_first = by_committee[committee_id]
        flags = [(m, topic_id) in raised for m, _s in reversed(newest_first)]
        runs[(committee_id, topic_id)] = newest_first[: stats.latest_streak(flags)]
    return runs


def _signals(
    session: Session, window: Window, names: Names,
    runs: dict[tuple[int, int], list[tuple[int, object]]],
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
        first = month_of(run[-1][1], window.zone)  # type: ignore[arg-type]
        last = month_of(run[0][1], window.zone)  # type: ignore[arg-type]
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
