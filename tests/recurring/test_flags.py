"""The flags of a concern raised again, from follow-up histories (jcpp.recurring.flags)."""

from __future__ import annotations

import datetime as dt

from jcpp.recurring.flags import DONE, OPEN, FollowUpHistory, raised_again_flags

JAN = dt.datetime(2031, 1, 16, 0, 30, tzinfo=dt.UTC)  # the earlier meeting
FEB = dt.datetime(2031, 2, 20, 0, 30, tzinfo=dt.UTC)  # raised again here


def history(*changes: tuple[dt.datetime, str], since: dt.datetime = JAN) -> FollowUpHistory:
    return FollowUpHistory.of(
        follow_up_id=1, since=since, status=changes[-1][1] if changes else "open",
        changes=list(changes),
    )  # fmt: skip


def day(month: int, d: int) -> dt.datetime:
    return dt.datetime(2031, month, d, 15, tzinfo=dt.UTC)


def test_status_at_follows_the_changes() -> None:
    h = history((day(1, 20), "acknowledged"), (day(2, 1), "reported_done"))
    assert h.status_at(JAN - dt.timedelta(minutes=1)) is None
    assert h.status_at(JAN) == "open"
    assert h.status_at(day(1, 25)) == "acknowledged"
    assert h.status_at(FEB) == "reported_done"


def test_open_acknowledged_in_progress_and_reported_done_are_open() -> None:
    for status in ("open", "acknowledged", "in_progress", "reported_done"):
        h = history((day(1, 20), status)) if status != "open" else history()
        assert raised_again_flags(FEB, [h]) == {OPEN}, status


def test_verified_done_before_is_done_and_not_open() -> None:
    h = history((day(1, 20), "reported_done"), (day(2, 10), "verified_done"))
    assert raised_again_flags(FEB, [h]) == {DONE}


def test_verified_then_reopened_before_is_both() -> None:
    h = history((day(1, 25), "reported_done"), (day(2, 1), "verified_done"), (day(2, 12), "open"))
    assert raised_again_flags(FEB, [h]) == {OPEN, DONE}


def test_declined_is_closed_but_not_done() -> None:
    assert raised_again_flags(FEB, [history((day(1, 20), "declined"))]) == frozenset()


def test_verified_after_the_meeting_does_not_count_as_done() -> None:
    h = history((day(2, 1), "reported_done"), (day(3, 1), "verified_done"))
    assert raised_again_flags(FEB, [h]) == {OPEN}


def test_a_follow_up_of_a_later_meeting_did_not_exist_yet() -> None:
    assert raised_again_flags(FEB, [history(since=day(3, 1))]) == frozenset()


def test_without_history_rows_the_current_status_dates_from_closed_or_updated() -> None:
    verified = FollowUpHistory.of(
        follow_up_id=1, since=JAN, status="verified_done", changes=[],
        closed_at=day(2, 5), updated_at=day(3, 1),
    )  # fmt: skip
    assert raised_again_flags(FEB, [verified]) == {DONE}
    in_progress = FollowUpHistory.of(
        follow_up_id=2, since=JAN, status="in_progress", changes=[], updated_at=day(3, 1)
    )
    assert in_progress.status_at(FEB) == "open"
    assert raised_again_flags(FEB, [in_progress]) == {OPEN}


def test_no_follow_ups_no_flags() -> None:
    assert raised_again_flags(FEB, []) == frozenset()
