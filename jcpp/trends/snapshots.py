"""Signals stored ahead of the request that shows them (`SignalSnapshot`), never shown stale.

Finding the signals reads sixteen months of counts, the meetings of every committee and the
keywords of the county: at state scale (850 cities) 300–600 ms, too slow for every view of the
dashboard. So `current_signals` keeps what `find_signals` found for a scope (the window's last
month, the cities, the topics, confirmed only) in a row of `signal_snapshot`, and gives it back
as long as its `generation` is the generation of the data now; otherwise it finds them again
(the numbers shown are always those of the data now) and stores them for the next request.
The scheduler's `refresh-signals` job (scheduler/tasks/signals.py) finds them again for the
county and every liaison soon after a change, so that people rarely wait for it.

The generation is a SHA-256 of everything the signals read that the scope key does not name:
- the data version (`jcpp.trends.data_version`): a random token written anew in the
  transaction of every change the trend counts see (the rollup's refresh on commit: meetings,
  minutes, analyses, topics raised, mentions, concerns, topic merges; every rebuild and repair)
  and of every change to a city, committee or topic row, whose names the signals are written
  with or matched against (a rename needs no recount, and shows at once);
- the county's time zone.
The scope key names the code of the rules (their modules' source and thresholds) and the
window's last month, so a new version of the rules or the month rolling over with the clock
starts new snapshots. A snapshot is for exactly the cities it names (checked when read), so a
liaison's signals come only from a snapshot of her cities.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.config import get_settings
from jcpp.models import SignalSnapshot
from jcpp.trends import (
    count_cache,
    data_version,
    new_terms,
    persisting,
    signal_types,
    signals,
    stats,
)
from jcpp.trends.data_version import DATA_VERSION_KEY, upsert_snapshot
from jcpp.trends.signal_types import Drill, Signal, Signals

log = logging.getLogger(__name__)

SCOPE_PREFIX = "signals"
ALL = "all"
KINDS = ("rising", "spreading", "persisting", "new_terms")


def _rules_version() -> str:
    """The source of the modules that find and word the signals, and their thresholds."""
    digest = hashlib.sha256()
    for module in (signals, new_terms, persisting, stats, signal_types):
        digest.update(Path(str(module.__file__)).read_bytes())
    thresholds = (
        signals.PERIOD_MONTHS, signals.BASELINE_MONTHS, signals.RISE_MIN_MEETINGS,
        signals.MAX_CHANCE, signals.SPREAD_MIN_CITIES, signals.HISTORY_MIN_MEETINGS,
        signals.PERSIST_MIN_MEETINGS, signals.TERM_MIN_MEETINGS,
    )  # fmt: skip
    digest.update(repr(thresholds).encode())
    return digest.hexdigest()[:12]


RULES_VERSION = _rules_version()


# ---------------------------------------------------------------- scope and generation


@dataclass(frozen=True)
class Scope:
    """What signals are found for: the cities (None: every city), the topics (None: all),
    confirmed only, and the window's last month."""

    city_ids: frozenset[int] | None
    topic_ids: frozenset[int] | None
    confirmed_only: bool
    month: dt.date

    @property
    def key(self) -> str:
        return ":".join(
            (
                SCOPE_PREFIX,
                RULES_VERSION,
                f"{self.month:%Y-%m}",
                "confirmed" if self.confirmed_only else "all-states",
                "c=" + _ids_key(self.city_ids),
                "t=" + _ids_key(self.topic_ids),
            )
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "city_ids": None if self.city_ids is None else sorted(self.city_ids),
            "topic_ids": None if self.topic_ids is None else sorted(self.topic_ids),
            "confirmed_only": self.confirmed_only,
            "month": f"{self.month:%Y-%m}",
        }


def _ids_key(ids: frozenset[int] | None) -> str:
    if ids is None:
        return ALL
    listed = ",".join(str(i) for i in sorted(ids))
    return listed if len(listed) <= 40 else hashlib.sha256(listed.encode()).hexdigest()[:32]


def generation(session: Session) -> str:
    """The generation of the data every scope's signals read (see the module)."""
    digest = hashlib.sha256()
    digest.update(data_version.current(session).encode())
    digest.update(str(get_settings().zone).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- payload


def _signal_json(signal: Signal) -> dict[str, Any]:
    drill = signal.drill
    return {
        "kind": signal.kind,
        "title": signal.title,
        "explanation": signal.explanation,
        "topic_name": signal.topic_name,
        "place": signal.place,
        "numbers": signal.numbers,
        "drill": {
            "topic_id": drill.topic_id,
            "city_ids": list(drill.city_ids),
            "first_month": drill.first_month.isoformat(),
            "last_month": drill.last_month.isoformat(),
            "committee_id": drill.committee_id,
            "term": drill.term,
        },
    }


def _signal(data: dict[str, Any]) -> Signal:
    drill = data["drill"]
    return Signal(
        kind=data["kind"],
        title=data["title"],
        explanation=data["explanation"],
        drill=Drill(
            topic_id=drill["topic_id"],
            city_ids=tuple(drill["city_ids"]),
            first_month=dt.date.fromisoformat(drill["first_month"]),
            last_month=dt.date.fromisoformat(drill["last_month"]),
            committee_id=drill["committee_id"],
            term=drill["term"],
        ),
        topic_name=data["topic_name"],
        place=data["place"],
        numbers=data["numbers"],
    )


def dumps(scope: Scope, found: Signals) -> str:
    return json.dumps(
        {
            "scope": scope.as_json(),
            "period_first": found.period_first.isoformat(),
            "period_last": found.period_last.isoformat(),
            **{kind: [_signal_json(s) for s in getattr(found, kind)] for kind in KINDS},
        }
    )


def loads(payload: str, scope: Scope) -> Signals | None:
    """The signals of a stored payload, if it was stored for exactly `scope`."""
    data = json.loads(payload)
    if data.get("scope") != scope.as_json():
        return None
    return Signals(
        period_first=dt.date.fromisoformat(data["period_first"]),
        period_last=dt.date.fromisoformat(data["period_last"]),
        **{kind: [_signal(s) for s in data[kind]] for kind in KINDS},
    )


# ---------------------------------------------------------------- reading and storing


@dataclass(frozen=True)
class StoredSignals:
    signals: Signals
    computed_at: dt.datetime
    found_now: bool  # none stored of the data now: found in this call


def scope_of(
    *,
    city_ids: Iterable[int] | None,
    topic_ids: Iterable[int] | None,
    confirmed_only: bool,
    today: dt.date,
) -> Scope:
    return Scope(
        city_ids=None if city_ids is None else frozenset(city_ids),
        topic_ids=None if topic_ids is None else frozenset(topic_ids),
        confirmed_only=confirmed_only,
        month=today.replace(day=1),
    )


def _find(session: Session, scope: Scope, today: dt.date) -> Signals:
    return signals.find_signals(
        session,
        city_ids=scope.city_ids,
        today=today,
        confirmed_only=scope.confirmed_only,
        topic_ids=None if scope.topic_ids is None else set(scope.topic_ids),
    )


def store(session: Session, scope: Scope, found: Signals, generation_of: str) -> bool:
    """Keep `found` for `scope`, in a savepoint: a reading request that cannot write now (on
    SQLite, because another process wrote since it began) loses only the keeping."""
    try:
        with session.begin_nested():
            upsert_snapshot(
                session,
                {
                    "scope_key": scope.key,
                    "generation": generation_of,
                    "payload": dumps(scope, found),
                    "computed_at": clock.now(),
                },
            )
    except DBAPIError as error:
        log.info("signals for %s not stored: %s", scope.key, error.orig)
        return False
    return True


def _stored(session: Session, scope: Scope, generation_of: str) -> StoredSignals | None:
    row = session.exec(select(SignalSnapshot).where(SignalSnapshot.scope_key == scope.key)).first()
    if row is None or row.generation != generation_of:
        return None
    kept = loads(row.payload, scope)
    return None if kept is None else StoredSignals(kept, row.computed_at, found_now=False)


def current_signals(
    session: Session,
    *,
    city_ids: Iterable[int] | None,
    topic_ids: Iterable[int] | None,
    confirmed_only: bool,
    today: dt.date | None = None,
) -> StoredSignals:
    """The signals of the period ending with `today`'s month (default: the county's today) for
    these cities (None: all) and topics (None: all): the stored ones if they are of the data
    now, else found now and stored."""
    day = today or clock.today()
    scope = scope_of(
        city_ids=city_ids, topic_ids=topic_ids, confirmed_only=confirmed_only, today=day
    )
    now_generation = generation(session)
    kept = _stored(session, scope, now_generation)
    if kept is not None:
        return kept
    found = _find(session, scope, day)
    store(session, scope, found, now_generation)
    return StoredSignals(found, clock.now(), found_now=True)


def refresh(session: Session, scopes: Iterable[Scope], *, today: dt.date) -> int:
    """Find and store the signals of each scope whose snapshot is missing or out of date;
    returns how many were found again."""
    found = 0
    now_generation = generation(session)
    for scope in scopes:
        if _stored(session, scope, now_generation) is None:
            store(session, scope, _find(session, scope, today), now_generation)
            found += 1
    return found


def prune(session: Session, *, today: dt.date, older_than: dt.timedelta) -> int:
    """Delete the snapshots of another month's window or of other rules, and those not stored
    again for `older_than` (out of date, or a scope nobody looked at since); trend counts kept
    by `count_cache` too."""
    current = f"{SCOPE_PREFIX}:{RULES_VERSION}:{today:%Y-%m}:"
    cutoff = clock.now() - older_than
    rows = session.exec(
        select(SignalSnapshot.id, SignalSnapshot.scope_key, SignalSnapshot.computed_at).where(
            col(SignalSnapshot.scope_key) != DATA_VERSION_KEY
        )
    ).all()
    kept_counts = f"{count_cache.PREFIX}:{count_cache.FORMAT}:"
    gone = [
        row_id
        for row_id, key, computed_at in rows
        if not key.startswith((current, kept_counts)) or computed_at < cutoff
    ]
    if gone:
        session.exec(delete(SignalSnapshot).where(col(SignalSnapshot.id).in_(gone)))
    return len(gone)
