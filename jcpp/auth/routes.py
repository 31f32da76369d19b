"""Sign in, sign out, change password."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from jcpp.auth import service
from jcpp.deps import CurrentViewer, OptionalViewer, SessionDep, SettingsDep
from jcpp.errors import InvalidInput
from jcpp.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, viewer: OptionalViewer, next: str | None = None) -> Response:
    if viewer is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        user = service.sign_in(
            session,
            email=email,
            password=password,
            max_failures=settings.login_max_failures,
            lockout=dt.timedelta(minutes=settings.login_lockout_minutes),
        )
    except service.SignInRefused as refused:
        context = {"next": _safe_next(next), "email": email, "error": refused.message}
        return render(request, "auth/login.html", context, status_code=422)
    request.session.clear()
    request.session.update(
        {"uid": user.id, "sv": user.session_version, "csrf": secrets.token_urlsafe(32)}
    )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password")
def password_page(request: Request, viewer: CurrentViewer) -> Response:
    return render(request, "auth/password.html", {"errors": {}})


@router.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: CurrentViewer,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    confirm: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        user = service.change_password(
            session,
            user=viewer.user,
            current=current,
            new=new,
            confirm=confirm,
            max_failures=settings.login_max_failures,
            lockout=dt.timedelta(minutes=settings.login_lockout_minutes),
        )
    except InvalidInput as invalid:
        # A wrong current password was counted toward the lock-out: this answer commits it.
        return render(request, "auth/password.html", {"errors": invalid.errors}, status_code=422)
    # Stay signed in here (other sessions end), with a new CSRF token: forms and pages opened
    # before the change can no longer post.
    request.session["sv"] = user.session_version
    request.session["csrf"] = secrets.token_urlsafe(32)
    return render(request, "auth/password.html", {"errors": {}, "changed": True})
