"""The trend counts checked against a rebuild from the source rows.

The counts (`TopicMonthCount`, `KeywordMonthCount`) are kept current on every write; this job
makes sure they are. In a savepoint it copies the kept rows into temporary tables, rebuilds the
counts (`jcpp.trends.rollup.rebuild`) and compares the two with EXCEPT queries (in the
database: no table is read into memory). Nothing differs: the savepoint is rolled back and
nothing was written. Something differs: the rebuilt counts are kept (the repair) and the
outcome names the cells that differed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from jcpp.models import City, KeywordMonthCount, Topic, TopicMonthCount
from jcpp.trends.rollup import COUNT_FIELDS, rebuild
from jcpp.wording import plural

SHOWN = 5


@dataclass(frozen=True)
class Counted:
    """A table of counts: its key columns and its count columns."""

    table: sa.Table
    keys: tuple[str, ...]
    values: tuple[str, ...]

    def copy(self) -> sa.Table:
        """A temporary table of the same columns (no keys: it holds what was kept)."""
        columns = [sa.Column(c.name, c.type) for c in self.table.columns]
        return sa.Table(f"kept_{self.table.name}", sa.MetaData(), *columns, prefixes=["TEMPORARY"])


TOPICS = Counted(TopicMonthCount.__table__, ("city_id", "topic_id", "month"), COUNT_FIELDS)  # type: ignore[attr-defined]
KEYWORDS = Counted(KeywordMonthCount.__table__, ("term", "month"), ("meetings",))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Difference:
    key: tuple[object, ...]
    kept: tuple[object, ...] | None  # the values kept; None: no row kept
    rebuilt: tuple[object, ...] | None  # the values rebuilt; None: no row should exist


def _copy(session: Session, counted: Counted) -> sa.Table:
    kept = counted.copy()
    connection = session.connection()
    kept.drop(connection, checkfirst=True)
    kept.create(connection)
    names = [c.name for c in counted.table.columns]
    session.execute(sa.insert(kept).from_select(names, sa.select(counted.table)))
    return kept


def _columns(table: sa.Table, names: tuple[str, ...]) -> list[sa.ColumnClause[Any]]:
    return [table.c[name] for name in names]


def _differences(
    session: Session, counted: Counted, kept: sa.Table
) -> tuple[int, list[Difference]]:
    """How many keys differ between the kept copy and the rebuilt table, and the first few."""
    everything = (*counted.keys, *counted.values)
    gone = sa.except_(
        sa.select(*_columns(kept, everything)), sa.select(*_columns(counted.table, everything))
    ).subquery("gone")
    new = sa.except_(
        sa.select(*_columns(counted.table, everything)), sa.select(*_columns(kept, everything))
    ).subquery("new")
    either = sa.union(
        sa.select(*_columns(gone, counted.keys)),  # type: ignore[arg-type]
        sa.select(*_columns(new, counted.keys)),  # type: ignore[arg-type]
    ).subquery("differing")
    total = session.execute(sa.select(sa.func.count()).select_from(either)).scalar_one()
    keys = _columns(either, counted.keys)  # type: ignore[arg-type]
    shown = session.execute(sa.select(*keys).order_by(*keys).limit(SHOWN)).all()
    return int(total), [_difference(session, counted, kept, tuple(key)) for key in shown]


def _difference(
    session: Session, counted: Counted, kept: sa.Table, key: tuple[object, ...]
) -> Difference:
    def read(table: sa.Table) -> tuple[object, ...] | None:
        matches = [table.c[name] == value for name, value in zip(counted.keys, key, strict=True)]
        query = sa.select(*_columns(table, counted.values)).where(*matches)
        row = session.execute(query).first()
        return tuple(row) if row is not None else None

    return Difference(key, read(kept), read(counted.table))


def _describe(session: Session, counted: Counted, difference: Difference) -> str:
    key = list(difference.key)
    if counted is TOPICS:
        city, topic = session.get(City, key[0]), session.get(Topic, key[1])
        key[:2] = [city.name if city else key[0], topic.slug if topic else key[1]]
    month = key[-1]
    key[-1] = month.strftime("%Y-%m") if isinstance(month, dt.date) else str(month)[:7]
    before = difference.kept or (0,) * len(counted.values)
    after = difference.rebuilt or (0,) * len(counted.values)
    changes = [
        f"{name} {old} → {new}"
        for name, old, new in zip(counted.values, before, after, strict=True)
        if old != new
    ]
    return f"{' · '.join(str(part) for part in key)}: {', '.join(changes)}"


def check_trend_counts(session: Session, *, now: dt.datetime, period: str) -> str:
    """Compare the kept trend counts with a rebuild; repair and report any difference."""
    savepoint = session.begin_nested()
    kept = {counted: _copy(session, counted) for counted in (TOPICS, KEYWORDS)}
    summary = rebuild(session)
    found = {counted: _differences(session, counted, kept[counted]) for counted in kept}
    for table in kept.values():
        table.drop(session.connection())
    if not any(total for total, _shown in found.values()):
        savepoint.rollback()
        return (
            f"trend counts consistent: {plural(summary.topic_rows, 'topic row')}, "
            f"{plural(summary.keyword_rows, 'keyword row')}"
        )
    savepoint.commit()
    parts = []
    for counted, (total, shown) in found.items():
        if total:
            examples = "; ".join(_describe(session, counted, d) for d in shown)
            more = f" and {total - len(shown)} more" if total > len(shown) else ""
            parts.append(f"{plural(total, counted.table.name + ' cell')} ({examples}{more})")
    return "trend counts repaired, rebuilt from the source rows: " + "; ".join(parts)
