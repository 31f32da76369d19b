"""Minutes of a meeting: read, write with preview, history, compare, approve and publish.

Everything lives under /meetings/{id}/minutes. Reading needs view permission on the meeting's
committee, every POST needs edit permission (checked here and again in the service). Reviewing
what the analysis found (the panel's forms, .../minutes/review/...) is `jcpp.analysis.routes`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from jcpp.analysis.view import MeetingReview, get_review
from jcpp.auth.permissions import Viewer
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import Conflict, InvalidInput
from jcpp.minutes import forms, service
from jcpp.minutes.diff import diff_texts
from jcpp.minutes.highlight import highlight
from jcpp.models import Minutes, Topic
from jcpp.topics import service as topics_service
from jcpp.web import htmx
from jcpp.web.templating import render, render_fragments, render_page_or_block

router = APIRouter(prefix="/meetings/{meeting_id:int}/minutes")

PAGE = "minutes/minutes.html"
FormText = Annotated[str, Form()]

DONE_MESSAGES = {
    "approved": "Marked approved.",
    "published": "Published.",
    "unpublished": "Unpublished: the minutes are approved again, not published.",
}
# Which block an htmx GET of the page answers with, by the element it targets.
PAGE_BLOCKS = {
    "minutes-summary": "minutes_summary",
    "minutes-current": "minutes_current",
    "minutes-editor": "minutes_editor",
}


def _base_url(meeting_id: int) -> str:
    return f"/meetings/{meeting_id}/minutes"


def _page_context(view: service.MinutesView, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav": "committees",
        "view": view,
        "ctx": view.context,
        "base_url": _base_url(view.context.meeting_id),
        "form": forms.MinutesForm(text=view.text, base_revision=view.revision_number, note=""),
        "errors": {},
        "conflict": None,
        "conflict_diff": None,
        "message": None,
        "summary_message": None,
        "summary_error": None,
        "preview_text": None,
        "preview_error": None,
        "oob": (),
    }
    context.update(extra)
    return context


def _saved_message(outcome: service.SaveOutcome) -> str:
    number = outcome.revision.number
    if not outcome.created:
        return f"No changes to save: the text is the same as revision {number}."
    if outcome.status_before in ("approved", "published"):
        return (
            f"Saved as revision {number}. The minutes were {outcome.status_before} and are "
            "a draft again: the committee needs to approve this revision."
        )
    return f"Saved as revision {number}."


# Reading


def _review_context(session: Session, viewer: Viewer, view: service.MinutesView) -> dict[str, Any]:
    review = get_review(session, view.context.meeting_id, viewer=viewer)
    listed = {item.topic.id for item in review.topics if item.row.state != "rejected"}
    active: list[Topic] = []
    if review.can_edit:
        topics_service.ensure_topic_list(session)
        active = sorted(
            session.exec(select(Topic).where(col(Topic.active).is_(True))),
            key=lambda topic: topic.name,
        )
    return {
        "review": review,
        "evidence": _evidence(view, review),
        "addable_topics": [topic for topic in active if topic.id not in listed],
        "active_topics": active,
    }


def minutes_page_context(
    session: Session, viewer: Viewer, meeting_id: int, **extra: Any
) -> dict[str, Any]:
    """Everything the minutes page shows, its review panel included; `extra` on top (the
    review routes' messages and refused forms)."""
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    context = _page_context(view, **extra)
    context.update(_review_context(session, viewer, view))
    return context


def _evidence(view: service.MinutesView, review: MeetingReview) -> Any:
    """The newest text with the evidence marked, when it is the analysed revision."""
    if not view.current or review.outdated:
        return None
    return highlight(
        view.text,
        [
            (mention.start, mention.end, item.topic.name)
            for item in review.topics
            if item.row.state != "rejected"
            for mention in item.mentions
        ],
    )


@router.get("")
def minutes_page(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    done: Annotated[str | None, Query(max_length=20)] = None,
    revision: Annotated[str | None, Query(max_length=12)] = None,
) -> Response:
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    context = _page_context(view, summary_message=DONE_MESSAGES.get(done or ""))
    context.update(_review_context(session, viewer, view))
    number = forms.parse_int(revision)
    if done == "saved" and number:
        context["message"] = f"Saved as revision {number}."
    elif done == "unchanged" and number:
        context["message"] = f"No changes to save: the text is the same as revision {number}."
    block = None
    if htmx.wants_fragment(request):
        block = PAGE_BLOCKS.get(htmx.target(request) or "", "minutes_summary")
    return render(request, PAGE, context, block=block)


@router.get("/history")
def minutes_history(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int
) -> Response:
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    rows = service.list_revisions(session, meeting_id, viewer=viewer)
    context = _page_context(view, rows=rows)
    return render_page_or_block(request, "minutes/history.html", context, block="revision_list")


@router.get("/revisions/{number:int}")
def minutes_revision(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, number: int
) -> Response:
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    row = service.get_revision(session, meeting_id, number, viewer=viewer)
    context = _page_context(view, row=row, newest=view.revision_number)
    return render(request, "minutes/revision.html", context)


@router.get("/revisions/{number:int}/raw")
def minutes_revision_raw(
    session: SessionDep, viewer: CurrentViewer, meeting_id: int, number: int
) -> Response:
    row = service.get_revision(session, meeting_id, number, viewer=viewer)
    return PlainTextResponse(
        row.revision.text,
        headers={"Content-Disposition": f'inline; filename="minutes-{meeting_id}-r{number}.txt"'},
    )


@router.get("/diff")
def minutes_diff(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    old: Annotated[str | None, Query(alias="from", max_length=12)] = None,
    new: Annotated[str | None, Query(alias="to", max_length=12)] = None,
) -> Response:
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    query = forms.DiffQuery.parse(old=old, new=new, newest=view.revision_number)
    compared = service.compare_revisions(
        session, meeting_id, viewer=viewer, old=query.old, new=query.new
    )
    context = _page_context(view, compared=compared, newest=view.revision_number)
    return render_page_or_block(request, "minutes/diff.html", context, block="diff")


# Writing


@router.post("")
def save_minutes(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    form: forms.MinutesFormDep,
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    try:
        outcome = service.save_minutes(
            session,
            meeting_id,
            text=form.text,
            base_revision=form.required_base(),
            note=form.note,
            by=viewer,
        )
    except service.MinutesConflict as conflict:
        return _save_conflict(request, session, viewer, meeting_id, form, conflict)
    except (service.MinutesBusy, InvalidInput) as refused:
        view = service.get_minutes_view(session, meeting_id, viewer=viewer)
        errors = refused.errors if isinstance(refused, InvalidInput) else {"text": refused.message}
        context = _page_context(view, form=form, errors=errors)
        return _editor(request, context, status_code=refused.status_code)
    if not htmx.wants_fragment(request):
        done = "saved" if outcome.created else "unchanged"
        url = f"{_base_url(meeting_id)}?done={done}&revision={outcome.revision.number}"
        return RedirectResponse(url, status_code=303)
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    # The new revision was analysed while saving: its proposals replace the review panel.
    oob = ("summary", "current", "review")
    context = _page_context(view, message=_saved_message(outcome), oob=oob)
    context.update(_review_context(session, viewer, view))
    blocks = ["minutes_editor", "minutes_summary", "minutes_current", "minutes_review"]
    return render_fragments(request, PAGE, context, blocks)


def _save_conflict(
    request: Request,
    session: Session,
    viewer: Viewer,
    meeting_id: int,
    form: forms.MinutesForm,
    conflict: service.MinutesConflict,
) -> Response:
    """409: both texts shown, the user's still in the editor, now based on the newest revision."""
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    stored = conflict.stored.revision
    context = _page_context(
        view,
        form=forms.MinutesForm(text=form.text, base_revision=stored.number, note=form.note),
        conflict=conflict,
        conflict_diff=diff_texts(stored.text, service.clean_text(form.text)),
        oob=("summary", "current"),
    )
    if not htmx.wants_fragment(request):
        return render(request, PAGE, context, status_code=409)
    blocks = ["minutes_editor", "minutes_summary", "minutes_current"]
    return render_fragments(request, PAGE, context, blocks, status_code=409)


def _editor(request: Request, context: dict[str, Any], *, status_code: int) -> Response:
    return render_page_or_block(
        request, PAGE, context, block="minutes_editor", status_code=status_code
    )


@router.post("/preview")
def preview_minutes(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    form: forms.MinutesFormDep,
) -> Response:
    """The text rendered as it will look once saved; nothing is saved."""
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    preview: dict[str, Any] = {"preview_text": None, "preview_error": None}
    status_code = 200
    if not form.text.strip():
        preview["preview_error"] = "Nothing to preview: the text is empty."
    else:
        try:
            preview["preview_text"] = service.validate_text(form.text)
        except InvalidInput as invalid:
            preview["preview_error"], status_code = invalid.errors["text"], 422
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    context = _page_context(view, form=form, **preview)
    return render_page_or_block(
        request, PAGE, context, block="minutes_preview", status_code=status_code
    )


StatusChange = Callable[..., Minutes]


def _change_status(
    request: Request,
    session: Session,
    viewer: Viewer,
    meeting_id: int,
    revision: str,
    *,
    change: StatusChange,
    done: str,
) -> Response:
    service.load_meeting(session, meeting_id, viewer=viewer, edit=True)
    try:
        number = forms.StatusForm.parse(revision=revision).revision
        change(session, meeting_id, revision=number, by=viewer)
    except (Conflict, InvalidInput) as refused:
        view = service.get_minutes_view(session, meeting_id, viewer=viewer)
        context = _page_context(view, summary_error=refused.message)
        return render_page_or_block(
            request, PAGE, context, block="minutes_summary", status_code=refused.status_code
        )
    if not htmx.wants_fragment(request):
        return RedirectResponse(f"{_base_url(meeting_id)}?done={done}", status_code=303)
    view = service.get_minutes_view(session, meeting_id, viewer=viewer)
    context = _page_context(view, summary_message=DONE_MESSAGES[done], oob=("warning",))
    return render_fragments(request, PAGE, context, ["minutes_summary", "minutes_edit_warning"])


@router.post("/approve")
def approve_minutes(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    revision: FormText = "",
) -> Response:
    return _change_status(
        request, session, viewer, meeting_id, revision, change=service.approve, done="approved"
    )


@router.post("/publish")
def publish_minutes(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    revision: FormText = "",
) -> Response:
    return _change_status(
        request, session, viewer, meeting_id, revision, change=service.publish, done="published"
    )


@router.post("/unpublish")
def unpublish_minutes(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    revision: FormText = "",
) -> Response:
    return _change_status(
        request, session, viewer, meeting_id, revision, change=service.unpublish, done="unpublished"
    )
