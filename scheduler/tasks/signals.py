"""Trend signals found ahead of the dashboard (`jcpp.trends.snapshots`).

Every few minutes: the signals of every scope people look at without choosing anything — the
county (county staff, admins and the weekly digest; all, and confirmed only) and each active
liaison's and member's cities — are found again where the data changed since they were
stored, so that the dashboard reads them instead of finding them in the request. A scope still
out of date when the run's time is up waits for the next run (the dashboard finds it itself
meanwhile: it is never shown out of date). Snapshots of an earlier month's window, or not
stored again for two days, are deleted.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.models import Committee, User, UserCity, UserCommittee
from jcpp.trends import snapshots
from jcpp.wording import plural

SECONDS = 30.0  # of finding signals per run, at most (a state-scale county: about half a second)
KEEP = dt.timedelta(days=2)


def viewer_city_sets(session: Session) -> list[frozenset[int]]:
    """The cities of each active liaison and member (a member's: his committees'), each set
    once, largest first."""
    cities: defaultdict[int, set[int]] = defaultdict(set)
    for user_id, city_id in session.exec(
        select(UserCity.user_id, UserCity.city_id)
        .join(User, col(User.id) == UserCity.user_id)
        .where(col(User.active), User.role == "liaison")
    ).all():
        cities[user_id].add(city_id)
    for user_id, city_id in session.exec(
        select(UserCommittee.user_id, Committee.city_id)
        .join(User, col(User.id) == UserCommittee.user_id)
        .join(Committee, col(Committee.id) == UserCommittee.committee_id)
        .where(col(User.active), User.role == "member")
    ).all():
        cities[user_id].add(city_id)
    unique = {frozenset(ids) for ids in cities.values() if ids}
    return sorted(unique, key=lambda ids: (-len(ids), sorted(ids)))


def scopes_to_keep(session: Session, today: dt.date) -> list[snapshots.Scope]:
    county = [
        snapshots.scope_of(city_ids=None, topic_ids=None, confirmed_only=confirmed, today=today)
        for confirmed in (False, True)
    ]
    viewers = [
        snapshots.scope_of(city_ids=ids, topic_ids=None, confirmed_only=False, today=today)
        for ids in viewer_city_sets(session)
    ]
    return county + viewers


def refresh_signals(
    session: Session, *, now: dt.datetime, period: str, seconds: float = SECONDS
) -> str:
    """Find again the signals of the scopes out of date (for about `seconds` at most) and
    delete old snapshots."""
    today = clock.today(now)
    scopes = scopes_to_keep(session, today)
    started = time.monotonic()
    found = done = 0
    for scope in scopes:
        found += snapshots.refresh(session, [scope], today=today)
        done += 1
        if time.monotonic() - started > seconds:
            break
    pruned = snapshots.prune(session, today=today, older_than=KEEP)
    outcome = f"signals found again for {found} of {plural(len(scopes), 'scope')}"
    if done < len(scopes):
        outcome += f", {len(scopes) - done} left for the next run"
    return outcome + f"; {plural(pruned, 'old snapshot')} deleted"
