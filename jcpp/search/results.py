"""What a page of search results shows: for each hit its title, where it comes from, a link
near the match and a snippet, read from the original rows of that page only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import BindParameter, String, Text, and_, bindparam, literal, null, union_all
from sqlalchemy import cast as cast_as
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


# The source rows of a page of hits, every kind in one statement (built once, each kind's ids
# bound): (kind, id, two text columns).
def _kind(kind: str, *columns: Any) -> Any:
    """The rows of `kind` whose id (the first column) is one of the page's ids of that kind."""
    ids: BindParameter[list[int]] = bindparam(kind, expanding=True)
    texts = [cast_as(column, Text) for column in columns[1:]]
    return select_columns(literal(kind, String), columns[0], *texts).where(columns[0].in_(ids))


_SOURCES = union_all(
    _kind("minutes", col(MinutesRevision.meeting_id), col(MinutesRevision.text), null()).join(
        Minutes,
        and_(
            col(Minutes.meeting_id) == MinutesRevision.meeting_id,
            col(Minutes.current_revision) == MinutesRevision.number,
        ),
    ),
    _kind("agenda_item", col(AgendaItem.id), col(AgendaItem.title), col(AgendaItem.notes)),
    _kind("concern", col(Concern.id), col(Concern.text), col(Concern.edited_text)),
    _kind("follow_up", col(FollowUp.id), col(FollowUp.title), col(FollowUp.description)),
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


def _ids(hits: list[Hit], kind: str) -> set[int]:
    return {hit.source_id for hit in hits if hit.kind == kind}


class _Sources:
    """The original text of one page of hits, read in one query."""

    def __init__(self, session: Session, hits: list[Hit]) -> None:
        self.rows: dict[tuple[str, int], tuple[str, str | None]] = {}
        if hits:
            ids = {kind: sorted(_ids(hits, kind)) for kind in KIND_NAMES}
            for kind, source_id, first, second in session.execute(_SOURCES, ids):
                self.rows[kind, source_id] = (first, second)

    def title_text_url(self, hit: Hit) -> tuple[str, str, str] | None:
        """(title, text, link) of the hit's source row; None when it is gone."""
        meeting = f"/meetings/{hit.meeting_id}"
        source = hit.source_id
        found = self.rows.get((hit.kind, source))
        if found is None:
            return None
        first, second = found
        if hit.kind == "minutes":
            return "Minutes", first, f"{meeting}/minutes#minutes-current"
        if hit.kind == "agenda_item":
            return first, f"{first}\n{second or ''}", f"{meeting}#agenda-item-{source}"
        if hit.kind == "concern":
            shown = second or first  # as Concern.shown_text
            return "Concern raised", shown, f"{meeting}/minutes#minutes-review"
        return first, f"{first}\n{second or ''}", f"/follow-ups/{source}"


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
