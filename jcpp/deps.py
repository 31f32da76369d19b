"""Annotated dependency aliases: handlers read like a list of what they need."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import exists
from sqlmodel import Session, col

from jcpp.auth.permissions import Viewer, find_viewer
from jcpp.config import Settings, get_settings
from jcpp.db import get_session
from jcpp.errors import NotAuthenticated
from jcpp.models import City

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def optional_viewer(request: Request, session: SessionDep) -> Viewer | None:
    """The signed-in user, if the session cookie names an active one."""
    user_id = request.session.get("uid")
    viewer, demo = None, False
    if isinstance(user_id, int):
        # The user, her scope and whether demo cities exist (the page says so), in one query.
        has_demo = exists().where(col(City.is_demo).is_(True)).label("demo")
        found = find_viewer(session, user_id, has_demo)
        if found is not None:
            viewer, (demo,) = found
    user = viewer.user if viewer is not None else None
    if user is None or not user.active or request.session.get("sv") != user.session_version:
        request.state.viewer = None
        return None
    request.state.viewer = viewer
    request.state.demo = demo
    return viewer


async def current_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    # Async as it does no I/O (no hop to a worker thread).
    if viewer is None:
        raise NotAuthenticated()
    return viewer


OptionalViewer = Annotated[Viewer | None, Depends(optional_viewer)]
CurrentViewer = Annotated[Viewer, Depends(current_viewer)]
