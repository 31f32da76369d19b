"""The topic list: everyone signed in reads it; county staff and administrators change it.

GET /topics (htmx: the list alone), POST /topics (add), GET /topics/{slug} (htmx: the editor
alone), POST /topics/{slug} (edit; htmx swaps the editor), POST /topics/{slug}/retire,
/restore and /merge (plain posts that redirect back to the topic).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp.auth.permissions import Viewer
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import Conflict, InvalidInput
from jcpp.models import Topic
from jcpp.topics import merge, service
from jcpp.topics.forms import STATE_FILTERS, MergeForm, TopicForm, state_filter
from jcpp.web import htmx
from jcpp.web.templating import render, render_page_or_block
from jcpp.wording import plural

router = APIRouter(prefix="/topics")

LIST = "topics/list.html"
PAGE = "topics/topic.html"
FLASH_KEY = "topics_flash"


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def _flash(request: Request, message: str) -> None:
    request.session[FLASH_KEY] = message


def _take_flash(request: Request) -> str | None:
    message = request.session.pop(FLASH_KEY, None)
    return message if isinstance(message, str) else None


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _done(request: Request, url: str, message: str) -> Response:
    """After a change: back to `url` with the message shown once there."""
    _flash(request, message)
    if htmx.is_htmx(request) and not htmx.is_boosted(request):
        response = Response(status_code=204)
        htmx.redirect(response, url)
        return response
    return _see_other(url)


# ---------------------------------------------------------------- the list


def _list_context(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    show: str = "active",
    form: TopicForm | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    rows = service.list_topics(session, viewer=viewer)
    shown = [
        row
        for row in rows
        if show == "all" or (row.topic.active if show == "active" else not row.topic.active)
    ]
    return {
        "nav": "topics",
        "notice": _take_flash(request),
        "rows": shown,
        "total": len(rows),
        "show": show,
        "filters": STATE_FILTERS,
        "can_edit": service.can_edit_topics(viewer),
        "form": form or TopicForm(),
        "errors": errors or {},
    }


@router.get("")
def topic_list(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    show: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    context = _list_context(request, session, viewer, show=state_filter(show))
    return render_page_or_block(request, LIST, context, block="topic_list")


@router.post("")
def add_topic(
    request: Request, session: SessionDep, viewer: CurrentViewer, data: FormDep
) -> Response:
    service.require_topic_editor(viewer)
    form = TopicForm.from_data(data)
    try:
        topic = service.add_topic(session, changes=form.changes(), slug=form.slug, by=viewer)
    except InvalidInput as invalid:
        context = _list_context(request, session, viewer, form=form, errors=invalid.errors)
        return render(request, LIST, context, status_code=422)
    return _done(request, f"/topics/{topic.slug}", f"Added the topic {topic.name}.")


# ---------------------------------------------------------------- one topic


def _topic_context(
    request: Request, session: Session, viewer: Viewer, topic: Topic, **extra: Any
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav": "topics",
        "notice": _take_flash(request),
        "topic": topic,
        "merged_into": service.merged_into(session, topic),
        "merged_from": service.merged_from(session, topic),
        "meetings": service.recent_meetings(session, topic, viewer=viewer),
        "can_edit": service.can_edit_topics(viewer),
        "form": TopicForm.from_topic(topic),
        "errors": {},
        "conflict": None,
        "toast": None,
        "merge_form": MergeForm(),
        "merge_errors": {},
        "merge_targets": service.merge_targets(session, topic),
    }
    context.update(extra)
    return context


@router.get("/{slug}")
def topic_page(request: Request, session: SessionDep, viewer: CurrentViewer, slug: str) -> Response:
    topic = service.get_topic(session, slug)
    context = _topic_context(request, session, viewer, topic)
    return render_page_or_block(request, PAGE, context, block="topic_editor")


@router.post("/{slug}")
def update_topic(
    request: Request, session: SessionDep, viewer: CurrentViewer, slug: str, data: FormDep
) -> Response:
    service.require_topic_editor(viewer)
    form = TopicForm.from_data(data)
    try:
        topic = service.update_topic(
            session, slug, changes=form.changes(), version=form.version_number(), by=viewer
        )
    except InvalidInput as invalid:
        topic = service.get_topic(session, slug)
        form.version = str(topic.version)
        extra = {"form": form, "errors": invalid.errors}
        return _editor(request, session, viewer, topic, extra, status_code=422)
    except Conflict as conflict:
        topic = service.get_topic(session, slug)
        extra = {"conflict": conflict.message, "typed": form}
        return _editor(request, session, viewer, topic, extra, status_code=409)
    message = f"Saved the topic {topic.name}."
    if htmx.wants_fragment(request):
        return _editor(request, session, viewer, topic, {"toast": message})
    return _done(request, f"/topics/{topic.slug}", message)


def _editor(
    request: Request,
    session: Session,
    viewer: Viewer,
    topic: Topic,
    extra: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    """The editor card alone for htmx, else the whole topic page."""
    context = _topic_context(request, session, viewer, topic, **extra)
    return render_page_or_block(
        request, PAGE, context, block="topic_editor", status_code=status_code
    )


@router.post("/{slug}/retire")
def retire_topic(
    request: Request, session: SessionDep, viewer: CurrentViewer, slug: str
) -> Response:
    service.require_topic_editor(viewer)
    topic = service.set_topic_active(session, slug, active=False, by=viewer)
    message = f"Retired {topic.name}: it is no longer proposed, and its meetings keep it."
    return _done(request, f"/topics/{topic.slug}", message)


@router.post("/{slug}/restore")
def restore_topic(
    request: Request, session: SessionDep, viewer: CurrentViewer, slug: str
) -> Response:
    service.require_topic_editor(viewer)
    topic = service.set_topic_active(session, slug, active=True, by=viewer)
    return _done(request, f"/topics/{topic.slug}", f"{topic.name} is in use again.")


@router.post("/{slug}/merge")
def merge_topic(
    request: Request, session: SessionDep, viewer: CurrentViewer, slug: str, data: FormDep
) -> Response:
    service.require_topic_editor(viewer)
    form = MergeForm.from_data(data)
    try:
        result = merge.merge_topic(session, slug, into=form.into, by=viewer)
    except InvalidInput as invalid:
        topic = service.get_topic(session, slug)
        context = _topic_context(
            request, session, viewer, topic, merge_form=form, merge_errors=invalid.errors
        )
        return render(request, PAGE, context, status_code=422)
    message = (
        f"Merged {result.source.name} into {result.target.name}: "
        f"{plural(result.meetings_moved + result.meetings_combined, 'meeting')} and "
        f"{plural(result.mentions_moved, 'mention')} moved. Re-tag the minutes (jcpp nlp retag) so "
        "that new proposals use the merged terms."
    )
    return _done(request, f"/topics/{result.target.slug}", message)
