"""The signed-in user's notifications, /notifications: read them, mark them read. The header of
every page shows how many are unread (`header_count`, an app-wide dependency).

Each user reaches only her own notifications: another's answers 404. Marking read is the
user's own bookkeeping, so it is not audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp.auth.permissions import Viewer
from jcpp.deps import CurrentViewer, OptionalViewer, SessionDep
from jcpp.notify import service
from jcpp.web import htmx
from jcpp.web.forms import parse_int, text
from jcpp.web.templating import Block, render, render_fragments

router = APIRouter(prefix="/notifications")
TEMPLATE = "notify/notifications.html"
SHOW = {"all": "All", "unread": "Unread"}


async def header_count(request: Request, session: SessionDep, viewer: OptionalViewer) -> None:
    """App-wide dependency: lets base.html show the signed-in user's unread count. The count
    (one indexed query) runs only when a full page is rendered, not for fragments, in the
    thread that renders it (this function does no I/O, so it is async: no thread hop)."""
    if viewer is not None:
        user_id = viewer.id
        request.state.unread_notifications = lambda: service.unread_count(session, user_id=user_id)


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def _context(session: Session, viewer: Viewer, *, show: str, page: int) -> dict[str, Any]:
    rows, total = service.list_notifications(
        session, user_id=viewer.id, page=page, unread_only=show == "unread"
    )
    return {
        "nav": "notifications",
        "rows": rows,
        "total": total,
        "page": page,
        "per_page": service.PER_PAGE,
        "show": show,
        "shows": SHOW,
        "unread": service.unread_count(session, user_id=viewer.id),
        "newest_id": service.newest_id(session, user_id=viewer.id),
        "url_for_page": lambda n: f"/notifications?show={show}&page={n}",
    }


def _show(value: str | None) -> str:
    return value if value in SHOW else "all"


@router.get("")
def notifications_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    show = _show(request.query_params.get("show"))
    page = max(parse_int(request.query_params.get("page")) or 1, 1)
    context = _context(session, viewer, show=show, page=page)
    block = "notification_list" if htmx.wants_fragment(request) else None
    return render(request, TEMPLATE, context, block=block)


def _after_change(
    request: Request, session: Session, viewer: Viewer, data: FormData, message: str
) -> Response:
    """The list as it is now and the header's count (htmx), or back to the list."""
    show = _show(text(data, "show"))
    if not htmx.wants_fragment(request):
        return RedirectResponse(f"/notifications?show={show}", status_code=303)
    context = _context(session, viewer, show=show, page=max(parse_int(text(data, "page")) or 1, 1))
    blocks: list[Block] = ["notification_list", ("notification_header", {"oob_header": True})]
    return render_fragments(request, TEMPLATE, context, blocks, toast=("success", message))


@router.post("/{notification_id:int}/read")
def mark_read(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    notification_id: int,
    data: FormDep,
) -> Response:
    service.mark_read(session, notification_id, user_id=viewer.id)
    return _after_change(request, session, viewer, data, "Marked read.")


@router.post("/read-all")
def mark_all_read(
    request: Request, session: SessionDep, viewer: CurrentViewer, data: FormDep
) -> Response:
    count = service.mark_all_read(
        session, user_id=viewer.id, up_to_id=parse_int(text(data, "up_to"))
    )
    message = f"Marked {count} read." if count else "Nothing was unread."
    return _after_change(request, session, viewer, data, message)
