"""The follow-up page, /follow-ups/{id}: details, status, links, history and comments, each
changed in place with htmx.

Every swappable part is a named block of followups/follow_up.html. A change answers an htmx
request with the changed block (and the blocks it affects, out of band), a plain form post with
a redirect back to the page. A refused change answers with its block as the person left it:
what they typed is still in the form, with the reason it was refused (422 for what they typed,
409 when someone else changed the follow-up first, and then the block shows it as it is now).

Forms carry the version of the follow-up the page showed. After a change made from the page,
one out-of-band element (block `follow_up_version`) moves every form loaded at the version
before it to the new one: the change between the two was the person's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp import clock
from jcpp.auth.permissions import Viewer, require_edit
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import DomainError, InvalidInput, NotFound
from jcpp.followups import edits, lifecycle, service
from jcpp.followups.forms import CommentForm, DetailsForm, StatusForm
from jcpp.notify.service import mark_follow_up_read, unread_count
from jcpp.topics import service as topics_service
from jcpp.web import htmx
from jcpp.web.forms import parse_int, text
from jcpp.web.templating import Block, render, render_fragments

router = APIRouter(prefix="/follow-ups/{follow_up_id:int}")
TEMPLATE = "followups/follow_up.html"
DONE = {
    "acknowledged": "Acknowledged.",
    "declined": "Declined.",
    "in_progress": "Marked in progress.",
    "reported_done": "Reported done.",
    "verified_done": "Verified done: the loop is closed.",
    "open": "Reopened.",
}


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def _context(session: Session, viewer: Viewer, follow_up_id: int, **extra: Any) -> dict[str, Any]:
    """Everything the page shows; `extra` holds what a refused change sends back."""
    page = service.follow_up_page(session, follow_up_id, viewer=viewer)
    context: dict[str, Any] = {
        "page": page,
        "fu": page.follow_up,
        "labels": lifecycle.STATUS_LABELS,
        "comment_required": lifecycle.COMMENT_REQUIRED,
        "today": clock.today(),
        "details_form": DetailsForm.from_follow_up(page.follow_up),
        "details_errors": {},
        "details_open": False,
        "details_conflict": None,
        "details_message": None,
        "status_form": StatusForm(),
        "status_errors": {},
        "status_conflict": None,
        "comment_form": CommentForm(),
        "comment_errors": {},
        "links_errors": {},
        "links_conflict": None,
        "oob": False,
        "version_before": None,
    }
    if page.can_edit:
        context.update(
            owner_choices=service.owner_user_choices(session, page.scope.committee),
            concern_choices=service.concern_choices(session, page.scope),
            topic_choices=service.topic_choices(session, follow_up_id),
        )
    context.update(extra)
    return context


def _refused(
    request: Request,
    session: Session,
    viewer: Viewer,
    follow_up_id: int,
    block: str,
    error: DomainError,
    *,
    also: tuple[str, ...] = (),
    **extra: Any,
) -> Response:
    """The block of a refused change as the person left it (the whole page for a plain post);
    `also` blocks come along out of band (a 409 shows what changed)."""
    context = _context(session, viewer, follow_up_id, **extra)
    if not htmx.wants_fragment(request):
        return render(request, TEMPLATE, context, status_code=error.status_code)
    blocks: list[Block] = [block, *((name, {"oob": True}) for name in also)]
    return render_fragments(request, TEMPLATE, context, blocks, status_code=error.status_code)


def _changed(
    request: Request,
    session: Session,
    viewer: Viewer,
    follow_up_id: int,
    *,
    block: str,
    anchor: str,
    before: int,
    sent: int | None,
    also: tuple[str, ...] = (),
    message: str | None = None,
    read: int = 0,
    **extra: Any,
) -> Response:
    """After a change: the changed block, `also` out of band and the version move (htmx), or
    back to the page (a plain form post). `before` is the version before the change, `sent`
    the one the person's page had; `read`, how many of the person's notifications the change
    marked read (the header's count is then sent again)."""
    if not htmx.wants_fragment(request):
        return RedirectResponse(f"/follow-ups/{follow_up_id}#{anchor}", status_code=303)
    context = _context(session, viewer, follow_up_id, **extra)
    blocks: list[Block] = [block, *((name, {"oob": True}) for name in also)]
    if context["fu"].version != before and sent == before:
        blocks.append(("follow_up_version", {"version_before": before}))
    if read:
        unread = unread_count(session, user_id=viewer.id)
        blocks.append(("follow_up_notifications", {"oob_header": True, "unread": unread}))
    toast = ("success", message) if message else None
    return render_fragments(request, TEMPLATE, context, blocks, toast=toast)


# ---------------------------------------------------------------- the page


@router.get("")
def follow_up_page(
    request: Request, session: SessionDep, viewer: CurrentViewer, follow_up_id: int
) -> Response:
    return render(request, TEMPLATE, _context(session, viewer, follow_up_id))


# ---------------------------------------------------------------- status


@router.post("/status")
def change_status(
    request: Request, session: SessionDep, viewer: CurrentViewer, follow_up_id: int, data: FormDep
) -> Response:
    scope = lifecycle.load_follow_up(session, follow_up_id, viewer=viewer)
    before, form = scope.follow_up.version, StatusForm.from_data(data)
    try:
        version, progress = form.parse()
        lifecycle.change_status(
            session, follow_up_id, to=form.to, by=viewer, comment=form.comment,
            version=version, progress=progress,
        )  # fmt: skip
    except lifecycle.StaleFollowUp as stale:
        return _refused(
            request, session, viewer, follow_up_id, "follow_up_status", stale,
            also=("follow_up_head", "follow_up_facts", "follow_up_history"),
            status_form=form, status_conflict=stale.message,
        )  # fmt: skip
    except InvalidInput as invalid:
        return _refused(
            request, session, viewer, follow_up_id, "follow_up_status", invalid,
            status_form=form, status_errors=invalid.errors,
        )  # fmt: skip
    read = mark_follow_up_read(session, user_id=viewer.id, follow_up_id=follow_up_id)
    return _changed(
        request, session, viewer, follow_up_id, block="follow_up_status", anchor="follow-up-status",
        before=before, sent=version, message=DONE[form.to], read=read,
        also=("follow_up_head", "follow_up_facts", "follow_up_history"),
    )  # fmt: skip


# ---------------------------------------------------------------- details


@router.post("")
def edit_details(
    request: Request, session: SessionDep, viewer: CurrentViewer, follow_up_id: int, data: FormDep
) -> Response:
    scope = lifecycle.load_follow_up(session, follow_up_id, viewer=viewer)
    require_edit(viewer, scope.committee)
    fu = scope.follow_up
    before, owner_before = fu.version, fu.owner_user_id
    form, sent = DetailsForm.from_data(data), parse_int(text(data, "version"))
    try:
        _, changed = edits.edit_follow_up(
            session, follow_up_id, by=viewer, changes=form.parse(), seen=form.seen
        )
    except edits.DetailsChanged as stale:
        stored = DetailsForm.from_follow_up(stale.follow_up)
        submitted = replace(form)
        form.seen = stored.seen  # saving again now replaces theirs, on purpose
        return _refused(
            request, session, viewer, follow_up_id, "follow_up_edit", stale,
            also=("follow_up_head", "follow_up_facts"), details_form=form, details_open=True,
            details_conflict={"stored": stored, "submitted": submitted},
        )  # fmt: skip
    except InvalidInput as invalid:
        return _refused(
            request, session, viewer, follow_up_id, "follow_up_edit", invalid,
            details_form=form, details_errors=invalid.errors, details_open=True,
        )  # fmt: skip
    also: tuple[str, ...] = ("follow_up_head", "follow_up_facts", "follow_up_history")
    if fu.owner_user_id != owner_before:  # who may report it done has changed
        also += ("follow_up_status",)
    message = "Saved." if changed else "Nothing to save: the details are unchanged."
    return _changed(
        request, session, viewer, follow_up_id, block="follow_up_edit", anchor="follow-up-facts",
        before=before, sent=sent, also=also, message=message, details_message=message,
    )  # fmt: skip


# ---------------------------------------------------------------- comments


@router.post("/comments")
def add_comment(
    request: Request, session: SessionDep, viewer: CurrentViewer, follow_up_id: int, data: FormDep
) -> Response:
    lifecycle.load_follow_up(session, follow_up_id, viewer=viewer)
    form = CommentForm.from_data(data)
    try:
        comment = lifecycle.add_comment(
            session, follow_up_id, by=viewer, body=form.body, parent_id=form.parent
        )
    except InvalidInput as invalid:
        return _refused(
            request, session, viewer, follow_up_id, "follow_up_comments", invalid,
            comment_form=form, comment_errors=invalid.errors,
        )  # fmt: skip
    read = mark_follow_up_read(session, user_id=viewer.id, follow_up_id=follow_up_id)
    message = "Reply added." if form.parent else "Comment added."
    return _changed(
        request, session, viewer, follow_up_id, block="follow_up_comments",
        anchor=f"comment-{comment.id}", before=0, sent=None, message=message, read=read,
    )  # fmt: skip


# ---------------------------------------------------------------- links


def _linked(
    request: Request,
    session: Session,
    viewer: Viewer,
    follow_up_id: int,
    data: FormData,
    change: Callable[[], bool],
    done: str,
) -> Response:
    """Make a link change (`change()` returns whether anything changed) and answer with the
    links block; a refused one comes back with its error."""
    scope = lifecycle.load_follow_up(session, follow_up_id, viewer=viewer)
    require_edit(viewer, scope.committee)
    before, sent = scope.follow_up.version, parse_int(text(data, "version"))
    try:
        changed = change()
    except InvalidInput as invalid:
        return _refused(
            request, session, viewer, follow_up_id, "follow_up_links", invalid,
            links_errors=invalid.errors,
        )  # fmt: skip
    return _changed(
        request, session, viewer, follow_up_id, block="follow_up_links", anchor="follow-up-links",
        before=before, sent=sent, also=("follow_up_history",) if changed else (),
        message=done if changed else "Nothing changed: it was so already.",
    )  # fmt: skip


def _topic_id(session: Session, slug: str) -> int:
    try:
        topic = topics_service.get_topic(session, slug)
    except NotFound:
        raise InvalidInput({"topic": "Choose a topic of the current list."}) from None
    return topic.id or 0


@router.post("/concerns")
def link_concern(
    request: Request, session: SessionDep, viewer: CurrentViewer, follow_up_id: int, data: FormDep
) -> Response:
    concern_id = parse_int(text(data, "concern_id")) or 0
    return _linked(
        request, session, viewer, follow_up_id, data,
        lambda: edits.link_concern(session, follow_up_id, concern_id, by=viewer),
        "Concern linked.",
    )  # fmt: skip


@router.post("/concerns/{concern_id:int}/unlink")
def unlink_concern(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    follow_up_id: int,
    concern_id: int,
    data: FormDep,
) -> Response:
    return _linked(
        request, session, viewer, follow_up_id, data,
        lambda: edits.unlink_concern(session, follow_up_id, concern_id, by=viewer),
        "Concern unlinked.",
    )  # fmt: skip


@router.post("/topics")
def link_topic(
    request: Request, session: SessionDep, viewer: CurrentViewer, follow_up_id: int, data: FormDep
) -> Response:
    slug = text(data, "topic")
    return _linked(
        request, session, viewer, follow_up_id, data,
        lambda: edits.link_topic(session, follow_up_id, _topic_id(session, slug), by=viewer),
        "Topic linked.",
    )  # fmt: skip


@router.post("/topics/{slug}/unlink")
def unlink_topic(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    follow_up_id: int,
    slug: str,
    data: FormDep,
) -> Response:
    return _linked(
        request, session, viewer, follow_up_id, data,
        lambda: edits.unlink_topic(session, follow_up_id, _topic_id(session, slug), by=viewer),
        "Topic unlinked.",
    )  # fmt: skip
