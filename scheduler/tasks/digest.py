"""The weekly digest for county staff (and the administrators who keep it on): the trend signals
of the last months (rising, spreading, persisting, new terms), overdue follow-ups per city and
cities behind on minutes, with the figures and absolute links, as HTML with a plain-text
alternative. One e-mail per subscriber and ISO week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.boards.accountability import department_accountability
from jcpp.committees.service import meeting_activity
from jcpp.mail.preferences import DIGEST, digest_subscribers
from jcpp.models import City, Committee
from jcpp.trends.service import TrendFilters, TrendScope, add_months, first_of_month
from jcpp.trends.signals import PERIOD_MONTHS
from jcpp.trends.signals_view import SignalPanel, dashboard_signals
from jcpp.wording import plural
from scheduler.tasks.common import email, link, local_day


@dataclass(frozen=True)
class Overdue:
    city: City
    overdue: int
    open: int
    url: str


@dataclass(frozen=True)
class MissingMinutes:
    city: City
    committees: list[tuple[Committee, int, str]]  # committee, meetings missing minutes, link

    @property
    def count(self) -> int:
        return sum(n for _c, n, _u in self.committees)


@dataclass
class Digest:
    """What one week's digest says (the same for every subscriber: they all see every city)."""

    day: dt.date
    signals: SignalPanel
    overdue: list[Overdue] = field(default_factory=list)
    missing: list[MissingMinutes] = field(default_factory=list)

    @property
    def overdue_total(self) -> int:
        return sum(row.overdue for row in self.overdue)

    @property
    def missing_total(self) -> int:
        return sum(row.count for row in self.missing)

    def links(self) -> dict[str, str]:
        return {"trends": link("/trends"), "accountability": link("/accountability")}


def _signals(session: Session, today: dt.date) -> SignalPanel:
    last = first_of_month(today)
    filters = TrendFilters(first=add_months(last, 1 - PERIOD_MONTHS), last=last)
    panel = dashboard_signals(session, scope=TrendScope(None), filters=filters)
    # The panel's links are the app's paths: absolute in an e-mail.
    shown = [replace(s, href=link(s.href) if s.href else None) for s in panel.signals]
    return replace(panel, signals=shown)


def _overdue(session: Session, today: dt.date) -> list[Overdue]:
    rows = department_accountability(session, today=today, sort="overdue", descending=True)
    return [
        Overdue(row.city, row.overdue, row.open, link(f"/cities/{row.city.slug}/follow-ups"))
        for row in rows
        if row.overdue
    ]


def _missing(session: Session, now: dt.datetime) -> list[MissingMinutes]:
    activity = meeting_activity(session, now=now)
    behind = {cid: a.missing_minutes for cid, a in activity.items() if a.missing_minutes}
    rows = session.exec(
        select(Committee, City)
        .join(City, col(City.id) == Committee.city_id)
        .where(col(Committee.id).in_(sorted(behind) or [-1]))
        .order_by(col(City.name), col(Committee.name))
    ).all()
    by_city: dict[int, MissingMinutes] = {}
    for committee, city in rows:
        entry = by_city.setdefault(city.id or 0, MissingMinutes(city, []))
        url = link(f"/committees/{committee.id}?missing=1")
        entry.committees.append((committee, behind[committee.id or 0], url))
    return sorted(by_city.values(), key=lambda row: (-row.count, row.city.name))


def build_digest(session: Session, *, now: dt.datetime) -> Digest:
    """The digest as of `now`."""
    today = clock.local_date(now)
    return Digest(
        day=today,
        signals=_signals(session, today),
        overdue=_overdue(session, today),
        missing=_missing(session, now),
    )


def send_weekly_digest(session: Session, *, now: dt.datetime, period: str) -> str:
    """Queue the week's digest for each subscriber (once per subscriber and week)."""
    subscribers = digest_subscribers(session, frequency="weekly")
    if not subscribers:
        return "no subscribers"
    digest = build_digest(session, now=now)
    queued = 0
    for user in subscribers:
        queued += email(
            session,
            user=user,
            kind=DIGEST,
            key=f"digest:{period}:{user.id}",
            subject=f"JCPP weekly digest, {local_day(digest.day)}",
            name="digest",
            digest=digest,
            links=digest.links(),
        )
    return (
        f"{plural(queued, 'digest')} queued of {plural(len(subscribers), 'subscriber')}: "
        f"{plural(len(digest.signals.signals) + digest.signals.more, 'signal')}, "
        f"{plural(digest.overdue_total, 'overdue follow-up')}, "
        f"{plural(digest.missing_total, 'meeting')} without minutes"
    )
