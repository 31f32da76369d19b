"""The two flags of a concern raised again, from the history of the follow-ups of the concerns
raised before it. Pure functions, no database.

- "open": raised again while a follow-up of an earlier concern was not closed: at the moment of
  the meeting it was raised at, the follow-up existed and was neither verified done nor declined
  (`jcpp.followups.lifecycle.CLOSED_STATUSES`); "reported done" is not closed, it waits for
  verification;
- "done": raised again after a follow-up of an earlier concern was marked (verified) done: that
  follow-up was verified done at some moment before the meeting, even if it was reopened since.

A follow-up exists from the start of its meeting of origin (the commitment was made there, even
when it was typed into the app days later) and is open until its first status change. Its
status at a moment is the status its last change before that moment moved it to. A follow-up
moved without history rows (e.g. loaded data) is taken to have moved at `closed_at` (verified
done) or `updated_at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jcpp.followups.lifecycle import CLOSED_STATUSES

OPEN = "open"
DONE = "done"
FLAG_LABELS = {
    OPEN: "Raised again while a follow-up was open",
    DONE: "Raised again after a follow-up was marked done",
}


@dataclass(frozen=True)
class FollowUpHistory:
    follow_up_id: int
    since: dt.datetime  # its meeting of origin's start
    changes: tuple[tuple[dt.datetime, str], ...]  # (when, to which status), oldest first

    @classmethod
    def of(
        cls,
        *,
        follow_up_id: int,
        since: dt.datetime,
        status: str,
        changes: Sequence[tuple[dt.datetime, str]],
        closed_at: dt.datetime | None = None,
        updated_at: dt.datetime | None = None,
    ) -> FollowUpHistory:
        """From the follow-up's status change rows; without any, from its current status."""
        moves = tuple(sorted(changes, key=lambda change: change[0]))
        if not moves and status != "open":
            moved = closed_at if status == "verified_done" and closed_at else updated_at
            moves = ((moved or since, status),)
        return cls(follow_up_id, since, moves)

    def status_at(self, moment: dt.datetime) -> str | None:
        """Its status at `moment`; None before it existed."""
        if moment < self.since:
            return None
        status = "open"
        for at, to in self.changes:
            if at > moment:
                break
            status = to
        return status

    def verified_by(self, moment: dt.datetime) -> bool:
        """Verified done at some moment before `moment`."""
        return any(to == "verified_done" and at <= moment for at, to in self.changes)


def raised_again_flags(
    raised_at: dt.datetime, earlier_follow_ups: Iterable[FollowUpHistory]
) -> frozenset[str]:
    """The flags of a concern raised at `raised_at`, given the follow-ups of the concerns of its
    recurring concern raised before it."""
    flags: set[str] = set()
    for history in earlier_follow_ups:
        status = history.status_at(raised_at)
        if status is not None and status not in CLOSED_STATUSES:
            flags.add(OPEN)
        if history.verified_by(raised_at):
            flags.add(DONE)
    return frozenset(flags)
