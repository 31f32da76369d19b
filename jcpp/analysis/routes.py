"""Reviewing what the analysis found in a meeting's minutes: /meetings/{id}/minutes/review/...

Every POST needs edit permission on the meeting's committee (checked here and again in the
services). An htmx request gets the review panel (#minutes-review) back, a plain form post a
redirect to the minutes page. Each form sends what its person saw (`seen`): a change against
someone else's review made since then is refused with 409 and the panel shows the finding as it
is now. A refused concern edit comes back alone (422 or 409), with the person's wording and
topics as they sent them; nothing else on the page changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from jcpp.analysis.actions import (
    confirm_action,
    convert_action_to_follow_up,
    convert_concern_to_follow_up,
    reject_action,
)
from jcpp.analysis.review import (
    FindingGone,
    ReviewChanged,
    add_topic,
    confirm_concern,
    confirm_topic,
    edit_concern,
    reject_concern,
    reject_topic,
)
from jcpp.auth.permissions import Viewer
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import DomainError, InvalidInput
from jcpp.minutes import service
from jcpp.minutes.routes import PAGE, minutes_page_context
from jcpp.models import Topic
from jcpp.topics import service as topics_service
from jcpp.web import htmx
from jcpp.web.templating import render

router = APIRouter(prefix="/meetings/{meeting_id:int}/minutes/review")

Seen = Annotated[str, Form(max_length=64)]


@dataclass(frozen=True)
class ConcernDraft:
    """A concern's edit form as the person sent it, shown again when it was refused."""

    concern_id: int
    text: str
    topic_ids: list[int]
    seen: str
    errors: dict[str, str] = field(default_factory=dict)
    conflict: str | None = None


def _panel(
    request: Request,
    session: Session,
    viewer: Viewer,
    meeting_id: int,
    *,
    message: str | None = None,
    refused: DomainError | None = None,
) -> Response:
    """The review panel after a change (or the page, for a plain post that was refused)."""
    fragment = htmx.wants_fragment(request)
    if refused is None and not fragment:
        return RedirectResponse(f"/meetings/{meeting_id}/minutes", status_code=303)
    context = minutes_page_context(
        session, viewer, meeting_id, review_message=message,
        review_error=refused.message if refused else None,
    )  # fmt: skip
    return render(
        request, PAGE, context,
        block="minutes_review" if fragment else None,
        status_code=refused.status_code if refused else 200,
    )  # fmt: skip


def _reviewed(
    request: Request,
    session: Session,
    viewer: Viewer,
    meeting_id: int,
    change: Callable[[], object],
    message: str,
) -> Response:
    """Make a change the panel's buttons ask for, and answer with the panel."""
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    try:
        change()
    except (ReviewChanged, FindingGone) as refused:
        return _panel(request, session, viewer, meeting_id, refused=refused)
    return _panel(request, session, viewer, meeting_id, message=message)


# ---------------------------------------------------------------- topics


def _topic_by_slug(session: Session, slug: str) -> Topic:
    topics_service.ensure_topic_list(session)
    return topics_service.get_topic(session, slug)


@router.post("/topics/add")
def review_add_topic(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    topic: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    if not topic:
        raise InvalidInput({"topic": "Choose a topic to add."})
    row = _topic_by_slug(session, topic)
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: add_topic(session, meeting_id, row.id or 0, by=viewer),
        f"Added the topic {row.name}.",
    )  # fmt: skip


@router.post("/topics/{slug}/confirm")
def review_confirm_topic(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    slug: str,
    seen: Seen = "",
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    row = _topic_by_slug(session, slug)
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: confirm_topic(session, meeting_id, row.id or 0, by=viewer, seen=seen),
        f"Confirmed the topic {row.name}.",
    )  # fmt: skip


@router.post("/topics/{slug}/reject")
def review_reject_topic(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    slug: str,
    seen: Seen = "",
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    row = _topic_by_slug(session, slug)
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: reject_topic(session, meeting_id, row.id or 0, by=viewer, seen=seen),
        f"Rejected the topic {row.name}.",
    )  # fmt: skip


# ---------------------------------------------------------------- concerns


@router.post("/concerns/{concern_id:int}/confirm")
def review_confirm_concern(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    concern_id: int,
    seen: Seen = "",
) -> Response:
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: confirm_concern(session, meeting_id, concern_id, by=viewer, seen=seen),
        "Confirmed the concern.",
    )  # fmt: skip


@router.post("/concerns/{concern_id:int}/reject")
def review_reject_concern(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    concern_id: int,
    seen: Seen = "",
) -> Response:
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: reject_concern(session, meeting_id, concern_id, by=viewer, seen=seen),
        "Rejected the concern.",
    )  # fmt: skip


@router.post("/concerns/{concern_id:int}/follow-up")
def review_concern_follow_up(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    concern_id: int,
    seen: Seen = "",
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    try:
        follow_up = convert_concern_to_follow_up(
            session, meeting_id, concern_id, by=viewer, seen=seen
        )
    except (ReviewChanged, FindingGone) as refused:
        return _panel(request, session, viewer, meeting_id, refused=refused)
    message = f"Follow-up created: {follow_up.title}"
    return _panel(request, session, viewer, meeting_id, message=message)


@router.post("/concerns/{concern_id:int}/edit")
def review_edit_concern(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    concern_id: int,
    text: Annotated[str, Form(max_length=5000)] = "",
    topics: Annotated[list[int] | None, Form()] = None,
    seen: Seen = "",
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    draft = ConcernDraft(concern_id, text, list(topics or []), seen)
    try:
        edit_concern(
            session, meeting_id, concern_id, text=text, topic_ids=draft.topic_ids, by=viewer,
            seen=seen,
        )  # fmt: skip
    except InvalidInput as invalid:
        draft = ConcernDraft(concern_id, text, draft.topic_ids, seen, errors=invalid.errors)
        return _concern_form_again(request, session, viewer, meeting_id, draft, invalid)
    except ReviewChanged as changed:
        # The person has now seen the other change: saving again replaces it on purpose.
        draft = ConcernDraft(
            concern_id, text, draft.topic_ids, changed.seen_now, conflict=changed.message
        )
        return _concern_form_again(request, session, viewer, meeting_id, draft, changed)
    return _panel(request, session, viewer, meeting_id, message="Saved the concern.")


def _concern_form_again(
    request: Request,
    session: Session,
    viewer: Viewer,
    meeting_id: int,
    draft: ConcernDraft,
    refused: DomainError,
) -> Response:
    """The refused edit form alone, in place of the one sent (htmx), else the whole page."""
    context = minutes_page_context(session, viewer, meeting_id, concern_form=draft)
    if not htmx.wants_fragment(request):
        return render(request, PAGE, context, status_code=refused.status_code)
    concerns = context["review"].concerns
    number, item = next(
        (n, item) for n, item in enumerate(concerns, 1) if item.row.id == draft.concern_id
    )
    context.update(item=item, number=number)
    response = render(request, PAGE, context, block="concern_edit", status_code=refused.status_code)
    htmx.retarget(response, f"#concern-{draft.concern_id}-edit")
    htmx.reswap(response, "outerHTML")
    return response


# ---------------------------------------------------------------- action items


@router.post("/actions/{action_id:int}/confirm")
def review_confirm_action(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    action_id: int,
    seen: Seen = "",
) -> Response:
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: confirm_action(session, meeting_id, action_id, by=viewer, seen=seen),
        "Confirmed the action item.",
    )  # fmt: skip


@router.post("/actions/{action_id:int}/reject")
def review_reject_action(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    action_id: int,
    seen: Seen = "",
) -> Response:
    return _reviewed(
        request, session, viewer, meeting_id,
        lambda: reject_action(session, meeting_id, action_id, by=viewer, seen=seen),
        "Rejected the action item.",
    )  # fmt: skip


@router.post("/actions/{action_id:int}/follow-up")
def review_action_follow_up(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    action_id: int,
    seen: Seen = "",
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    try:
        follow_up = convert_action_to_follow_up(
            session, meeting_id, action_id, by=viewer, seen=seen
        )
    except (ReviewChanged, FindingGone) as refused:
        return _panel(request, session, viewer, meeting_id, refused=refused)
    message = f"Follow-up created: {follow_up.title}"
    return _panel(request, session, viewer, meeting_id, message=message)
