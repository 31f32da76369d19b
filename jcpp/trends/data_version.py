"""The trend data's version: a random token in `signal_snapshot` (the row `DATA_VERSION_KEY`),
written anew by `touch` in the transaction of every change the trend counts see (the rollup's
refresh on commit, every rebuild) and of every change to a city, committee or topic row (the
names trends are shown with: `refresh`, on commit), and read by `jcpp.trends.snapshots`, the
count cache and the kept trend pages to tell whether what they keep is of the data now.

Random, not a counter: a restored backup or another process never hands out a value that once
meant other data. One row, updated in place: two transactions that change trend data take
turns on it, so a reader never sees a token older than the counts it reads after it.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from jcpp import clock
from jcpp.models import SignalSnapshot

if TYPE_CHECKING:
    from jcpp.derived import Changes

DATA_VERSION_KEY = "data-version"


def upsert_snapshot(session: Session, values: dict[str, Any]) -> None:
    """Insert the row of `values["scope_key"]`, or replace its generation, payload and time."""
    table = SignalSnapshot.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    statement = insert.values(**values).on_conflict_do_update(
        index_elements=[table.c.scope_key],
        set_={
            "generation": insert.excluded.generation,
            "payload": insert.excluded.payload,
            "computed_at": insert.excluded.computed_at,
        },
    )
    session.exec(statement)


def touch(session: Session) -> None:
    """A new data version: every stored snapshot is out of date (once this transaction
    commits)."""
    upsert_snapshot(
        session,
        {
            "scope_key": DATA_VERSION_KEY,
            "generation": secrets.token_hex(16),
            "payload": "",
            "computed_at": clock.now(),
        },
    )


def current(session: Session) -> str:
    """The data version now ("none" before the first change)."""
    token = session.exec(
        select(SignalSnapshot.generation).where(SignalSnapshot.scope_key == DATA_VERSION_KEY)
    ).first()
    return token or "none"


def refresh(session: Session, changes: Changes) -> None:
    """A new data version when a city, committee or topic was added, renamed, moved or removed
    (called just before every commit; the rollup touches it for changed counts)."""
    if changes.names:
        touch(session)
