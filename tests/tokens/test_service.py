"""Personal access tokens: shown once, stored hashed, only for their scope and their owner."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from jcpp.errors import InvalidInput
from jcpp.models import ApiToken
from jcpp.tokens.service import create_token, revoke_token, tokens_of, viewer_for_token
from tests.factories import create_city, create_user

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def test_a_token_acts_as_its_owner_and_only_its_hash_is_kept(session: Session) -> None:
    city = create_city(session)
    user = create_user(session, role="liaison", cities=[city])
    token, raw = create_token(session, user=user, name="Data warehouse")

    stored = session.exec(select(ApiToken)).one()
    assert raw not in (stored.token_hash, stored.prefix) and raw.startswith(stored.prefix)
    viewer = viewer_for_token(session, raw, scope="api", now=NOW)
    assert viewer is not None and viewer.id == user.id and viewer.city_ids == {city.id}
    assert token.last_used_at == NOW


@pytest.mark.parametrize("case", ["wrong scope", "revoked", "expired", "inactive owner", "unknown"])
def test_a_token_that_may_not_be_used_opens_nothing(session: Session, case: str) -> None:
    user = create_user(session, role="county_staff")
    expires = NOW - dt.timedelta(seconds=1) if case == "expired" else None
    token, raw = create_token(session, user=user, name="feed", scope="calendar", expires_at=expires)
    scope = "api" if case == "wrong scope" else "calendar"
    if case == "revoked":
        assert revoke_token(session, user=user, token_id=token.id or 0) is token
    if case == "inactive owner":
        user.active = False
    if case == "unknown":
        raw = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert viewer_for_token(session, raw, scope=scope, now=NOW) is None


def test_only_the_owner_revokes_and_lists_a_token(session: Session) -> None:
    owner = create_user(session, role="county_staff")
    other = create_user(session, role="county_staff")
    token, _ = create_token(session, user=owner, name="mine")
    assert revoke_token(session, user=other, token_id=token.id or 0) is None
    assert token.revoked_at is None
    assert [t.id for t in tokens_of(session, owner)] == [token.id]
    assert tokens_of(session, other) == []


def test_a_token_needs_a_name(session: Session) -> None:
    user = create_user(session, role="admin")
    with pytest.raises(InvalidInput, match="name"):
        create_token(session, user=user, name="   ")
