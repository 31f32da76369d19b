"""What a page of search results shows: for each hit its title, where it comes from, a link
near the match and a snippet, read from the original rows of that page only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import BindParameter, and_, bindparam
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from jcpp.auth.permissions import Viewer, can_view_committee
from jcpp.followups.lifecycle import status_label
from jcpp.models import (
    AgendaItem,
    Concern,
    FollowUp,
    Minutes,
    MinutesRevision,
)
from jcpp.models.search import DOCUMENT_KINDS
from jcpp.search.service import Hit, HitPage
from jcpp.search.snippets import Snippet, make_snippet

KIND_NAMES = {
    "minutes": "Minutes",
    "agenda_item": "Agenda item",
    "concern": "Concern",
    "follow_up": "Follow-up",
}
# The statuses each kind of document can be filtered by, in order.
STATUSES: dict[str, dict[str, str]] = {
    "minutes": {"draft": "Draft", "approved": "Approved", "published": "Published"},
    "concern": {"proposed": "Proposed", "confirmed": "Confirmed"},
    "follow_up": {
        status: status_label(status)
        for status in (
            "open",
            "acknowledged",
            "declined",
            "in_progress",
            "reported_done",
            "verified_done",
        )
    },  # fmt: skip
}
assert set(KIND_NAMES) == set(DOCUMENT_KINDS)
# Each kind's source rows of a page of hits, by id: statements built once, the ids bound.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


def _by_ids(*columns: Any) -> Any:
    """The rows whose first column (an id) is one of `ids`."""
    return select_columns(*columns).where(columns[0].in_(_IDS))


_AGENDA = _by_ids(col(AgendaItem.id), col(AgendaItem.title), col(AgendaItem.notes))
_CONCERN = _by_ids(col(Concern.id), col(Concern.text), col(Concern.edited_text))
_FOLLOW_UP = _by_ids(col(FollowUp.id), col(FollowUp.title), col(FollowUp.description))
_MINUTES = _by_ids(col(MinutesRevision.meeting_id), col(MinutesRevision.text)).join(
    Minutes,
    and_(
        col(Minutes.meeting_id) == MinutesRevision.meeting_id,
        col(Minutes.current_revision) == MinutesRevision.number,
    ),
)


@dataclass(frozen=True)
class CityName:
    """A result's city as it names it (read as columns, not as a model)."""

    id: int
    name: str


@dataclass(frozen=True)
class CommitteeName:
    """A result's committee as it names it, and its city (for the viewer's scope)."""

    id: int
    name: str
    city_id: int


@dataclass(frozen=True)
class Result:
    hit: Hit
    title: str
    url: str
    snippet: Markup
    city: CityName
    committee: CommitteeName

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.hit.kind]

    @property
    def status_name(self) -> str:
        return STATUSES.get(self.hit.kind, {}).get(self.hit.status, "")

    @property
    def meeting_date(self) -> dt.date:
        return self.hit.meeting_date


@dataclass(frozen=True)
class ResultPage:
    hits: HitPage
    results: list[Result]


def _rows(session: Session, statement: Any, ids: Collection[int]) -> dict[int, tuple[Any, ...]]:
    """The columns after the first (the id) of the rows of `ids`, by id."""
    if not ids:
        return {}
    rows = session.execute(statement, {"ids": list(ids)}).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _ids(hits: list[Hit], kind: str) -> set[int]:
    return {hit.source_id for hit in hits if hit.kind == kind}


class _Sources:
    """The original text of one page of hits, read in one query per kind."""

    def __init__(self, session: Session, hits: list[Hit]) -> None:
        self.minutes = _rows(session, _MINUTES, _ids(hits, "minutes"))
        self.agenda = _rows(session, _AGENDA, _ids(hits, "agenda_item"))
        self.concerns = _rows(session, _CONCERN, _ids(hits, "concern"))
        self.follow_ups = _rows(session, _FOLLOW_UP, _ids(hits, "follow_up"))

    def title_text_url(self, hit: Hit) -> tuple[str, str, str] | None:
        """(title, text, link) of the hit's source row; None when it is gone."""
        meeting = f"/meetings/{hit.meeting_id}"
        source = hit.source_id
        if hit.kind == "minutes" and source in self.minutes:
            (text,) = self.minutes[source]
            return "Minutes", text, f"{meeting}/minutes#minutes-current"
        if hit.kind == "agenda_item" and source in self.agenda:
            title, notes = self.agenda[source]
            return title, f"{title}\n{notes or ''}", f"{meeting}#agenda-item-{source}"
        if hit.kind == "concern" and source in self.concerns:
            text, edited_text = self.concerns[source]
            shown = edited_text or text  # as Concern.shown_text
            return "Concern raised", shown, f"{meeting}/minutes#minutes-review"
        if hit.kind == "follow_up" and source in self.follow_ups:
            title, description = self.follow_ups[source]
            return title, f"{title}\n{description}", f"/follow-ups/{source}"
        return None


def _link(url: str, snippet: Snippet) -> str:
    """The link, made to scroll to the match where the page shows the text (minutes)."""
    if "#minutes-" in url:
        return url + snippet.text_fragment
    return url


def result_page(session: Session, hits: HitPage, *, viewer: Viewer) -> ResultPage:
    """The results of a page of hits; a hit whose committee the viewer may not see (never, as
    the search is scoped) or whose source row is gone is left out."""
    sources = _Sources(session, hits.hits)
    results: list[Result] = []
    for hit in hits.hits:
        committee = CommitteeName(hit.committee_id, hit.committee_name, hit.committee_city_id)
        if not can_view_committee(viewer, committee):
            continue
        city = CityName(hit.committee_city_id, hit.city_name)
        found = sources.title_text_url(hit)
        if found is None:
            continue
        title, text, url = found
        snippet = make_snippet(text, hits.terms)
        results.append(
            Result(
                hit=hit, title=title, url=_link(url, snippet), snippet=snippet.html,
                city=city, committee=committee,
            )
        )  # fmt: skip
    return ResultPage(hits=hits, results=results)
