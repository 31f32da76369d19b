"""Calendar files and feeds, and the page where a user makes and removes subscription links.

GET /meetings/{id}/calendar.ics         one meeting (as its page: signed in, may see it)
GET /committees/{slug}/calendar.ics     a committee's feed (signed in, or ?token=)
GET /cities/{slug}/calendar.ics         a city's feed (signed in, or ?token=)
GET /public/{slug}/calendar.ics         a committee's public feed, while its public pages are on
GET /account/calendars                  the Subscribe page: the user's calendar links
POST /account/calendars                 make a link (shown once, then only its first letters)
POST /account/calendars/{id}/revoke     remove one of them

Calendar apps cannot sign in, so a subscribed feed's address carries a calendar link token of
its user (jcpp.tokens): the feed shows what that user may see today, no more. An unknown,
removed or expired token, or one made for the API, is refused with 403.

Every feed has an ETag (a digest of its bytes) and answers If-None-Match with 304. It has no
Last-Modified: no one date tells when a feed changed (a committee renamed, a meeting deleted, the
two-year window moving on), and a date that missed a change would keep it from subscribers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp import clock
from jcpp.auth.permissions import Viewer
from jcpp.calendars import service
from jcpp.config import Settings
from jcpp.deps import CurrentViewer, OptionalViewer, SessionDep, SettingsDep
from jcpp.errors import InvalidInput, NotAuthenticated, NotFound, NotPermitted
from jcpp.models import ApiToken
from jcpp.tokens.service import create_token, revoke_token, tokens_of, viewer_for_token
from jcpp.web.templating import render

router = APIRouter()
SUBSCRIBE = "calendars/subscribe.html"
BAD_LINK = (
    "This calendar link does not work: it was removed, or it is not a calendar link. "
    "Make a new one at /account/calendars after signing in."
)
NO_LINK = "There is no such calendar link of yours."


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def _feed_viewer(session: Session, viewer: Viewer | None, token: str | None) -> Viewer:
    """The token's user when the address carries one, else the signed-in user."""
    if token is not None:
        found = viewer_for_token(session, token, scope="calendar")
        if found is None:
            raise NotPermitted(BAD_LINK)
        return found
    if viewer is None:
        raise NotAuthenticated()
    return viewer


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = (tag.strip() for tag in header.split(","))
    return any(tag.removeprefix("W/") == etag for tag in tags)


def _calendar_response(
    request: Request, feed: service.Feed, settings: Settings, *, cache: str
) -> Response:
    body = service.render_feed(feed, settings, today=clock.today())
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    filename = re.sub(r"[^A-Za-z0-9._-]", "-", feed.filename)
    headers = {
        "ETag": etag,
        "Cache-Control": cache,
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


def _since() -> dt.datetime:
    return service.window_start(clock.today())


@router.get("/meetings/{meeting_id}/calendar.ics")
def meeting_calendar(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: CurrentViewer,
    meeting_id: int,
) -> Response:
    feed = service.meeting_feed(session, meeting_id, viewer=viewer, domain=settings.calendar_domain)
    return _calendar_response(request, feed, settings, cache="private, no-cache")


@router.get("/committees/{slug}/calendar.ics")
def committee_calendar(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: OptionalViewer,
    slug: str,
    token: str | None = None,
) -> Response:
    who = _feed_viewer(session, viewer, token)
    feed = service.committee_feed(
        session, slug, viewer=who, domain=settings.calendar_domain, since=_since()
    )
    return _calendar_response(request, feed, settings, cache="private, no-cache")


@router.get("/cities/{slug}/calendar.ics")
def city_calendar(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: OptionalViewer,
    slug: str,
    token: str | None = None,
) -> Response:
    who = _feed_viewer(session, viewer, token)
    feed = service.city_feed(
        session, slug, viewer=who, domain=settings.calendar_domain, since=_since()
    )
    return _calendar_response(request, feed, settings, cache="private, no-cache")


@router.get("/public/{slug}/calendar.ics")
def public_calendar(
    request: Request, session: SessionDep, settings: SettingsDep, slug: str
) -> Response:
    feed = service.public_feed(session, slug, domain=settings.calendar_domain, since=_since())
    return _calendar_response(request, feed, settings, cache="public, no-cache")


# --- the Subscribe page -------------------------------------------------------------------------


def _subscribe_context(
    session: Session, viewer: Viewer, *, chosen: str = "", **extra: Any
) -> dict[str, Any]:
    choices = service.feed_choices(session, viewer)
    keys = {choice.key for choice in choices}
    context: dict[str, Any] = {
        "nav": "account",
        "choices": choices,
        "chosen": chosen if chosen in keys else (choices[0].key if choices else ""),
        "links": tokens_of(session, viewer.user, scope="calendar"),
        "name": "",
        "errors": {},
        "made": None,
        "removed": False,
    }
    context.update(extra)
    return context


@router.get("/account/calendars")
def subscribe_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    context = _subscribe_context(
        session,
        viewer,
        chosen=request.query_params.get("feed", ""),
        removed=request.query_params.get("removed") == "1",
    )
    return render(request, SUBSCRIBE, context)


@router.post("/account/calendars")
def make_link(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: CurrentViewer,
    data: FormDep,
) -> Response:
    """Make a calendar link and show its addresses, once: only the token's digest is kept."""
    chosen = str(data.get("feed", ""))
    name = str(data.get("name", ""))
    choice = next((c for c in service.feed_choices(session, viewer) if c.key == chosen), None)
    try:
        if choice is None:
            raise InvalidInput({"feed": "Choose one of the calendars in the list."})
        token, raw = create_token(session, user=viewer.user, name=name, scope="calendar")
    except InvalidInput as invalid:
        context = _subscribe_context(
            session, viewer, chosen=chosen, name=name, errors=invalid.errors
        )
        return render(request, SUBSCRIBE, context, status_code=422)
    address = f"{settings.base_url.rstrip('/')}{choice.path}?token={raw}"
    made = {
        "choice": choice,
        "token": token,
        "https": address,
        "webcal": re.sub(r"^https?://", "webcal://", address),
    }
    context = _subscribe_context(session, viewer, chosen=chosen, made=made)
    return render(request, SUBSCRIBE, context)


@router.post("/account/calendars/{token_id}/revoke")
def remove_link(session: SessionDep, viewer: CurrentViewer, token_id: int) -> Response:
    token = session.get(ApiToken, token_id)
    if token is None or token.scope != "calendar":
        raise NotFound(NO_LINK)
    if revoke_token(session, user=viewer.user, token_id=token_id) is None:
        raise NotFound(NO_LINK)
    return RedirectResponse("/account/calendars?removed=1", status_code=303)
