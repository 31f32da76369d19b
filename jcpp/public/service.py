"""Public pages: the per-committee switch, and the liaison's review of the names in minutes.

- The switch (`set_public_pages`) is an administrator's: showing a committee's records to
  everyone is a county decision, made once per committee, not part of a liaison's daily work.
- The review (`review_view`, `save_review`) is for whoever may edit the committee's minutes
  (the city's liaison, an admin), on approved or published minutes of a committee with public
  pages on. It keeps the redacted text of exactly the reviewed revision: minutes saved again
  are a new revision, and the public page shows nothing for them until they are published and
  reviewed again.

Functions flush and never commit; each change writes one audit event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from sqlmodel import Session

from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, require_admin, require_edit
from jcpp.errors import Conflict, InvalidInput, NotFound
from jcpp.minutes.service import MeetingContext, load_meeting
from jcpp.models import Committee, Minutes, PublicMinutes, User
from jcpp.models.base import utcnow
from jcpp.public import names as names_service
from jcpp.public.redaction import Name, Segment, added_name, merge, redact, segments

MAX_ADDED_NAMES = 50
MAX_NAME_CHARS = 120
REVIEWABLE = ("approved", "published")


# ---------------------------------------------------------------- the switch


def set_public_pages(session: Session, committee_id: int, *, on: bool, by: Viewer) -> Committee:
    """Turn a committee's public pages on or off (administrators only)."""
    require_admin(by)
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFound("There is no such committee.")
    if committee.public_pages == on:
        return committee
    committee.public_pages = on
    session.add(committee)
    session.flush()
    record(
        session,
        user_id=by.id,
        action="public_pages_on" if on else "public_pages_off",
        entity_type="committee",
        entity_id=committee.id,
        city_id=committee.city_id,
        summary=f"Public pages of {committee.name} turned {'on' if on else 'off'}",
        before={"public_pages": not on},
        after={"public_pages": on},
    )
    return committee


# ---------------------------------------------------------------- the review


@dataclass(frozen=True)
class ReviewView:
    """The review page: the newest minutes with the names marked, each name's decision."""

    context: MeetingContext
    minutes: Minutes | None
    revision: int
    text: str
    names: list[Name]
    marked: list[Segment]
    public: PublicMinutes | None
    reviewed_by: str | None

    @property
    def status(self) -> str | None:
        return self.minutes.status if self.minutes and self.revision else None

    @property
    def public_pages(self) -> bool:
        return self.context.committee.public_pages

    @property
    def reviewable(self) -> bool:
        return self.public_pages and self.status in REVIEWABLE

    @property
    def reviewed(self) -> bool:
        """The newest revision has been reviewed."""
        return self.public is not None and self.public.revision == self.revision

    @property
    def shown(self) -> bool:
        """Residents see these minutes now."""
        return self.public_pages and self.reviewed and self.status == "published"

    @property
    def found(self) -> list[Name]:
        return [name for name in self.names if not name.added]

    @property
    def added(self) -> list[Name]:
        return [name for name in self.names if name.added]


def _newest(session: Session, meeting_id: int) -> tuple[Minutes | None, int, str]:
    minutes = names_service.minutes_row(session, meeting_id)
    if minutes is None or minutes.current_revision == 0:
        return minutes, 0, ""
    revision = names_service.revision(session, meeting_id, minutes.current_revision)
    return minutes, minutes.current_revision, revision.text if revision else ""


def _names(session: Session, context: MeetingContext, text: str, decided: list[Name]) -> list[Name]:
    """The names in the minutes and the meeting's follow-ups; the last review's decisions for
    those it saw, and every name it added."""
    items = names_service.follow_ups(session, context.meeting_id)
    texts = [text, *names_service.follow_up_texts(items)]
    people = names_service.roster(session, context.meeting)
    found = names_service.found_names(session, texts, people)
    found_keys = {name.key for name in found}
    kept = [name for name in decided if name.added or name.key in found_keys]
    counted = {name.key: name.count for name in found}
    merged = merge(found, kept)
    return [replace(name, count=counted.get(name.key, name.count)) for name in merged]


def review_view(session: Session, meeting_id: int, *, viewer: Viewer) -> ReviewView:
    """The review page of a meeting whose minutes the viewer may edit."""
    context = load_meeting(session, meeting_id, viewer=viewer)
    require_edit(viewer, context.committee)
    minutes, number, text = _newest(session, meeting_id)
    public = names_service.public_row(session, meeting_id)
    names = _names(session, context, text, names_service.decisions(public)) if number else []
    reviewer = (
        session.get(User, public.reviewed_by_id) if public and public.reviewed_by_id else None
    )
    return ReviewView(
        context=context,
        minutes=minutes,
        revision=number,
        text=text,
        names=names,
        marked=segments(text, names),
        public=public,
        reviewed_by=reviewer.name if reviewer else None,
    )


def parse_added_names(text: str) -> list[str]:
    """The names typed in "also hide", one a line; InvalidInput when too many or too long."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    first: dict[str, str] = {}  # one entry per name whatever its case, as first written
    for line in lines:
        if line:
            first.setdefault(line.casefold(), line)
    added = list(first.values())
    if len(added) > MAX_ADDED_NAMES:
        raise InvalidInput(
            {"added": f"Add at most {MAX_ADDED_NAMES} names at a time (there are {len(added)})."}
        )
    too_long = [name for name in added if len(name) > MAX_NAME_CHARS]
    if too_long:
        raise InvalidInput(
            {
                "added": f"Write one name a line: “{too_long[0][:40]}…” is longer than "
                f"{MAX_NAME_CHARS} characters."
            }
        )
    return added


def save_review(
    session: Session,
    meeting_id: int,
    *,
    revision: int,
    hidden: set[str],
    added: str,
    by: Viewer,
) -> PublicMinutes:
    """Save the reviewer's choices for the newest revision: each name found is hidden when its
    key is in `hidden`, every name in `added` (one a line) is hidden too. The redacted text is
    what residents see once the minutes are published."""
    context = load_meeting(session, meeting_id, viewer=by, edit=True)
    extra = parse_added_names(added)
    if not context.committee.public_pages:
        raise Conflict(
            "Public pages are off for this committee: an administrator turns them on "
            "(Admin → Committees). Nothing was saved."
        )
    minutes, number, text = _newest(session, meeting_id)
    if minutes is None or number == 0 or minutes.status not in REVIEWABLE:
        raise Conflict("Only approved or published minutes can be reviewed for the public page.")
    if revision != number:
        raise Conflict(
            f"The minutes changed while you were reviewing them: revision {number} is now the "
            "newest. Review it again; nothing was saved."
        )
    found = [name for name in _names(session, context, text, []) if not name.added]
    chosen = [replace(name, hide=name.key in hidden) for name in found]
    chosen += [added_name(name) for name in extra]
    public = _store(
        session, meeting_id, number=number, text=redact(text, chosen), names=chosen, by=by
    )
    _record_review(session, context, public, chosen, by=by)
    return public


def _store(
    session: Session, meeting_id: int, *, number: int, text: str, names: list[Name], by: Viewer
) -> PublicMinutes:
    public = names_service.public_row(session, meeting_id) or PublicMinutes(
        meeting_id=meeting_id, revision=number, text=""
    )
    public.revision = number
    public.text = text
    public.redactions = json.dumps([name.as_json() for name in names], ensure_ascii=False)
    public.reviewed_by_id = by.id
    public.reviewed_at = utcnow()
    session.add(public)
    session.flush()
    return public


def _record_review(
    session: Session,
    context: MeetingContext,
    public: PublicMinutes,
    names: list[Name],
    *,
    by: Viewer,
) -> None:
    hidden = sum(1 for name in names if name.hide)
    record(
        session,
        user_id=by.id,
        action="public_minutes_reviewed",
        entity_type="public_minutes",
        entity_id=public.id,
        city_id=context.city.id,
        summary=f"Names reviewed for the public page: {context.committee.name}, meeting "
        f"#{context.meeting_id}, revision {public.revision} ({hidden} hidden, "
        f"{len(names) - hidden} kept)",
        # Counts only: the audit log must not become a list of residents' names.
        after={"revision": public.revision, "hidden": hidden, "kept": len(names) - hidden},
    )
