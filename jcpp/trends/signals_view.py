"""The signals panel of the dashboard: `find_signals` in the viewer's scope, each with its
words and a link to its evidence (the drill-down of its topic, cities and months; a new term
opens a search for it).

A liaison or a member gets the signals of her cities only (a signal names cities, so the county
total's rule, numbers only, does not stretch to them); county staff and admins those of every
city, and new terms. The panel shows the first few of each kind and says how many more there are.

The signals come from `jcpp.trends.snapshots` (stored ahead, found again when the data changed);
a signal naming a city outside the viewer's is dropped here too, whatever was stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from jcpp.models import City, Topic
from jcpp.trends.service import TrendFilters, TrendScope, month_key
from jcpp.trends.signal_types import Signal, Signals
from jcpp.trends.snapshots import current_signals

KIND_LABELS = {
    "rising": "Rising",
    "spreading": "Spreading",
    "persisting": "Persisting",
    "new_term": "New term",
}
SHOWN_PER_KIND = 4


@dataclass(frozen=True)
class SignalView:
    kind: str
    kind_label: str
    title: str
    words: str
    href: str | None
    link_text: str


@dataclass(frozen=True)
class SignalPanel:
    period: str
    signals: list[SignalView]
    more: int  # signals found but not listed

    def __bool__(self) -> bool:
        return bool(self.signals)


def _slugs(session: Session, found: list[Signal]) -> tuple[dict[int, str], dict[int, str]]:
    topic_ids = {s.drill.topic_id for s in found if s.drill.topic_id is not None}
    city_ids = {c for s in found for c in s.drill.city_ids}
    topics = session.exec(select(Topic.id, Topic.slug).where(col(Topic.id).in_(topic_ids or {-1})))
    cities = session.exec(select(City.id, City.slug).where(col(City.id).in_(city_ids or {-1})))
    return (
        {t: slug for t, slug in topics.all() if t is not None},
        {c: slug for c, slug in cities.all() if c is not None},
    )


def _href(
    signal: Signal, topics: dict[int, str], cities: dict[int, str], *, confirmed_only: bool
) -> str | None:
    drill = signal.drill
    if drill.term is not None:
        return "/search?" + urlencode({"q": drill.term})
    if drill.topic_id is None or drill.topic_id not in topics:
        return None
    params = [("topic", topics[drill.topic_id])]
    params += [("city", cities[c]) for c in drill.city_ids if c in cities]
    params += [("from", month_key(drill.first_month)), ("to", month_key(drill.last_month))]
    if confirmed_only:
        params.append(("confirmed", "1"))
    return "/trends/evidence?" + urlencode(params)


def _kinds(signals: Signals, scope: TrendScope) -> list[list[Signal]]:
    """The signals of each kind the viewer may see: none naming a city outside her scope, and
    new terms (county-wide) only for those who see every city."""
    kinds = [signals.rising, signals.spreading, signals.persisting, signals.new_terms]
    if scope.city_ids is None:
        return kinds
    allowed = scope.city_ids
    return [
        [s for s in kind if s.kind != "new_term" and set(s.drill.city_ids) <= allowed]
        for kind in kinds
    ]


def _shown(kinds: list[list[Signal]]) -> list[Signal]:
    return [signal for kind in kinds for signal in kind[:SHOWN_PER_KIND]]


def dashboard_signals(session: Session, *, scope: TrendScope, filters: TrendFilters) -> SignalPanel:
    """The signals of the last months up to today, for the chosen cities (else the viewer's)
    and topics, counting what the filters count (all, or confirmed only)."""
    chosen = frozenset(filters.city_ids)
    signals = current_signals(
        session,
        city_ids=chosen or scope.city_ids,
        confirmed_only=filters.confirmed_only,
        topic_ids={t.id for t in filters.topics if t.id is not None} or None,
    ).signals
    kinds = _kinds(signals, scope)
    shown = _shown(kinds)
    topics, cities = _slugs(session, shown)
    views = [
        SignalView(
            kind=signal.kind,
            kind_label=KIND_LABELS.get(signal.kind, signal.kind),
            title=signal.title,
            words=signal.explanation,
            href=_href(signal, topics, cities, confirmed_only=filters.confirmed_only),
            link_text="Search the minutes" if signal.drill.term else "See the evidence",
        )
        for signal in shown
    ]
    first, last = signals.period_first, signals.period_last
    period = f"{first:%b %Y} – {last:%b %Y}" if first != last else f"{first:%b %Y}"
    return SignalPanel(period, views, sum(len(kind) for kind in kinds) - len(shown))
