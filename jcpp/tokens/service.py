"""Create, find and revoke personal access tokens.

A token is shown once, when it is created; only its SHA-256 is stored. A token acts with its
owner's permissions as they are when it is used (a deactivated owner's tokens stop working), and
only for its scope: an "api" token does not open calendar feeds, nor the other way round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.errors import InvalidInput
from jcpp.models import TOKEN_SCOPES, ApiToken, User
from jcpp.models.base import utcnow

PREFIX = "jcpp_"
MAX_NAME = 100


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    *,
    user: User,
    name: str,
    scope: str = "api",
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Add a token for `user`; returns the row and the token itself (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise InvalidInput({"name": "Give the token a name, so that you can tell it from others."})
    if len(name) > MAX_NAME:
        raise InvalidInput({"name": f"A token's name can be at most {MAX_NAME} characters."})
    if scope not in TOKEN_SCOPES:
        raise InvalidInput({"scope": "Unknown kind of token."})
    raw = PREFIX + secrets.token_urlsafe(32)
    assert user.id is not None
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        token_hash=_digest(raw),
        prefix=raw[: len(PREFIX) + 6],
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return token, raw


def viewer_for_token(
    session: Session, raw: str, *, scope: str, now: dt.datetime | None = None
) -> Viewer | None:
    """The viewer a token acts as, or None when it is unknown, revoked, expired, of another
    scope, or its owner can no longer sign in. Records when the token was last used."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(raw))).first()
    now = now or utcnow()
    if token is None or token.scope != scope or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        token.last_used_at = now  # at most one write per token every five minutes
        session.add(token)
    return load_viewer(session, user)


def tokens_of(session: Session, user: User, *, scope: str | None = None) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    if scope is not None:
        query = query.where(ApiToken.scope == scope)
    return list(session.exec(query.order_by(col(ApiToken.created_at).desc())))


def revoke_token(session: Session, *, user: User, token_id: int) -> ApiToken | None:
    """Revoke one of `user`'s own tokens; None when it is not theirs (or does not exist)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
    return token
