"""/account/tokens: a signed-in user's personal access tokens for the API. A new token is shown
once, in the answer to the form that made it; the list shows its first characters only. Each
user sees and revokes only her own (another's id answers 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer
from jcpp.clock import day_start, today
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import ApiToken
from jcpp.models.base import utcnow
from jcpp.tokens.service import create_token, revoke_token, tokens_of
from jcpp.web.templating import render

router = APIRouter()
PAGE = "account/tokens.html"
MAX_DAYS = 5 * 366


def _state(token: ApiToken, now: dt.datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def _page(
    request: Request, session: Session, viewer: Viewer, *, status_code: int = 200, **extra: Any
) -> Response:
    now = utcnow()
    tokens = [(t, _state(t, now)) for t in tokens_of(session, viewer.user, scope="api")]
    context = {
        "tokens": tokens,
        "errors": {},
        "typed": {},
        "today": today(),
        "revoked": request.query_params.get("revoked") == "1",
        **extra,
    }
    return render(request, PAGE, context, status_code=status_code)


@router.get("/account/tokens")
def tokens_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    return _page(request, session, viewer)


def _expiry(expires_on: str) -> dt.datetime | None:
    """The end of the chosen county day (the token works through it); empty: no expiry."""
    if not expires_on.strip():
        return None
    try:
        day = dt.date.fromisoformat(expires_on.strip())
    except ValueError:
        raise InvalidInput(
            {"expires_on": "Give the last day as a date, or leave it empty."}
        ) from None
    if day < today():
        raise InvalidInput({"expires_on": "The last day cannot be in the past."})
    if day > today() + dt.timedelta(days=MAX_DAYS):
        raise InvalidInput({"expires_on": "A token can last at most five years."})
    return day_start(day + dt.timedelta(days=1))


@router.post("/account/tokens")
def create_api_token(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    name: str = Form("", max_length=200),
    expires_on: str = Form("", max_length=20),
) -> Response:
    try:
        token, raw = create_token(
            session, user=viewer.user, name=name, expires_at=_expiry(expires_on)
        )
    except InvalidInput as error:
        typed = {"name": name, "expires_on": expires_on}
        return _page(request, session, viewer, status_code=422, errors=error.errors, typed=typed)
    audit.record(
        session,
        user_id=viewer.id,
        action="token_created",
        entity_type="api_token",
        entity_id=token.id,
        summary=f"API token “{token.name}” ({token.prefix}…)",
    )
    return _page(request, session, viewer, new_token=raw, new_name=token.name)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_api_token(session: SessionDep, viewer: CurrentViewer, token_id: int) -> Response:
    token = revoke_token(session, user=viewer.user, token_id=token_id)
    if token is None or token.scope != "api":
        raise NotFound("There is no such token of yours.")
    audit.record(
        session,
        user_id=viewer.id,
        action="token_revoked",
        entity_type="api_token",
        entity_id=token.id,
        summary=f"API token “{token.name}” ({token.prefix}…)",
    )
    return RedirectResponse("/account/tokens?revoked=1", status_code=303)
