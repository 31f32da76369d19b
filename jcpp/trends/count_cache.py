"""Sums over the trend counts kept between requests, for as long as the counts stay the same.

At state scale (850 cities, ten years) one sum over `topic_month_count` for the county
dashboard reads 100,000–300,000 rows: 25–60 ms of the database's time for every view, and
several times that when many people look at once. The counts change only with the data version
(`jcpp.trends.data_version`, written anew in the transaction of every change the counts see),
so `rows` keeps the result of a query in a row of `signal_snapshot` under a key made of the
query's SQL and parameters, with the data version it was read at as its generation, and gives it
back while that is still the data version. The version is read before the query, so a kept
result is never older than its generation says; a change makes every kept result out of date
at once. Keeping is done in a savepoint: a reading request that cannot write now (on SQLite,
because another process is writing) loses only the keeping. `snapshots.prune` deletes those not
kept again for a while.

Only queries that read nothing but `topic_month_count` may be kept here: their result depends
on the counts and on the parameters in the key, nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select

from jcpp import clock
from jcpp.models import SignalSnapshot
from jcpp.trends import data_version
from jcpp.trends.data_version import upsert_snapshot

log = logging.getLogger(__name__)

PREFIX = "counts"
FORMAT = "2"  # of the payload; a new format starts new keys


def _key_of(session: Session, query: Select[*tuple[Any, ...]]) -> str:
    """The query's SQL and parameters as this database sees them, hashed."""
    compiled = query.compile(dialect=session.get_bind().dialect)
    text = f"{compiled}\n{sorted(compiled.params.items())!r}"
    return f"{PREFIX}:{FORMAT}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The query's rows: kept ones if they were read at the data version now, else read now
    (and kept)."""
    version = data_version.current(session)
    key = _key_of(session, query)
    kept = session.exec(
        select(SignalSnapshot.generation, SignalSnapshot.payload).where(
            SignalSnapshot.scope_key == key
        )
    ).first()
    if kept is not None and kept[0] == version:
        return _loads(kept[1])
    found = [tuple(row) for row in session.exec(query).all()]
    _keep(session, key, version, found)
    return found


def _keep(session: Session, key: str, version: str, found: list[tuple[Any, ...]]) -> None:
    payload = _dumps(found)
    try:
        with session.begin_nested():
            upsert_snapshot(
                session,
                {
                    "scope_key": key,
                    "generation": version,
                    "payload": payload,
                    "computed_at": clock.now(),
                },
            )
    except DBAPIError as error:
        log.info("trend counts %s not kept: %s", key, error.orig)


def _dumps(found: list[tuple[Any, ...]]) -> str:
    """Rows as JSON: dates as day numbers, the columns holding them named once."""
    dates = sorted({k for row in found for k, v in enumerate(row) if isinstance(v, dt.date)})
    rows = [
        [v.toordinal() if isinstance(v, dt.date) else v if v is None else int(v) for v in row]
        for row in found
    ]  # sums come back as Decimal on some databases
    return json.dumps({"dates": dates, "rows": rows})


def _loads(payload: str) -> list[tuple[Any, ...]]:
    data = json.loads(payload)
    rows: list[list[Any]] = data["rows"]
    for k in data["dates"]:
        for row in rows:
            row[k] = dt.date.fromordinal(row[k])
    return [tuple(row) for row in rows]
