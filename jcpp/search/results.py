"""What a page of search results shows: for each hit its title, where it comes from, a link
near the match and a snippet, read from the original rows of that page only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup
from sqlalchemy import and_
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, can_view_committee
from jcpp.followups.lifecycle import status_label
from jcpp.models import (
    AgendaItem,
    City,
    Committee,
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
Row = TypeVar("Row", AgendaItem, City, Committee, Concern, FollowUp)


@dataclass(frozen=True)
class Result:
    hit: Hit
    title: str
    url: str
    snippet: Markup
    city: City
    committee: Committee

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


def _by_id(session: Session, model: type[Row], ids: Collection[int]) -> dict[int, Row]:
    if not ids:
        return {}
    rows = session.exec(select(model).where(col(model.id).in_(ids))).all()
    return {row.id: row for row in rows if row.id is not None}


def _minutes_texts(session: Session, meeting_ids: Collection[int]) -> dict[int, str]:
    if not meeting_ids:
        return {}
    rows = session.exec(
        select(MinutesRevision.meeting_id, MinutesRevision.text)
        .join(
            Minutes,
            and_(
                col(Minutes.meeting_id) == MinutesRevision.meeting_id,
                col(Minutes.current_revision) == MinutesRevision.number,
            ),
        )
        .where(col(MinutesRevision.meeting_id).in_(meeting_ids))
    ).all()
    return dict(rows)


def _ids(hits: list[Hit], kind: str) -> set[int]:
    return {hit.source_id for hit in hits if hit.kind == kind}


class _Sources:
    """The original rows of one page of hits, read in one query per kind."""

    def __init__(self, session: Session, hits: list[Hit]) -> None:
        self.minutes = _minutes_texts(session, _ids(hits, "minutes"))
        self.agenda = _by_id(session, AgendaItem, _ids(hits, "agenda_item"))
        self.concerns = _by_id(session, Concern, _ids(hits, "concern"))
        self.follow_ups = _by_id(session, FollowUp, _ids(hits, "follow_up"))

    def title_text_url(self, hit: Hit) -> tuple[str, str, str] | None:
        """(title, text, link) of the hit's source row; None when it is gone."""
        meeting = f"/meetings/{hit.meeting_id}"
        if hit.kind == "minutes" and hit.source_id in self.minutes:
            return "Minutes", self.minutes[hit.source_id], f"{meeting}/minutes#minutes-current"
        if hit.kind == "agenda_item" and hit.source_id in self.agenda:
            item = self.agenda[hit.source_id]
            text = f"{item.title}\n{item.notes or ''}"
            return item.title, text, f"{meeting}#agenda-item-{item.id}"
        if hit.kind == "concern" and hit.source_id in self.concerns:
            concern = self.concerns[hit.source_id]
            return "Concern raised", concern.shown_text, f"{meeting}/minutes#minutes-review"
        if hit.kind == "follow_up" and hit.source_id in self.follow_ups:
            follow_up = self.follow_ups[hit.source_id]
            text = f"{follow_up.title}\n{follow_up.description}"
            return follow_up.title, text, f"/follow-ups/{follow_up.id}"
        return None


def _link(url: str, snippet: Snippet) -> str:
    """The link, made to scroll to the match where the page shows the text (minutes)."""
    if "#minutes-" in url:
        return url + snippet.text_fragment
    return url


def result_page(session: Session, hits: HitPage, *, viewer: Viewer) -> ResultPage:
    """The results of a page of hits; a hit whose committee the viewer may not see (never, as
    the search is scoped) or whose source row is gone is left out."""
    committees = _by_id(session, Committee, {hit.committee_id for hit in hits.hits})
    cities = _by_id(session, City, {c.city_id for c in committees.values()})
    sources = _Sources(session, hits.hits)
    results: list[Result] = []
    for hit in hits.hits:
        committee = committees.get(hit.committee_id)
        if committee is None or not can_view_committee(viewer, committee):
            continue
        found = sources.title_text_url(hit)
        if found is None:
            continue
        title, text, url = found
        snippet = make_snippet(text, hits.terms)
        results.append(
            Result(
                hit=hit, title=title, url=_link(url, snippet), snippet=snippet.html,
                city=cities[committee.city_id], committee=committee,
            )
        )  # fmt: skip
    return ResultPage(hits=hits, results=results)
