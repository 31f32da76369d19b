"""Error pages as production serves them: each request in its own session, rolled back and
closed when the request fails, before the error page is drawn."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from jcpp.db import request_engine
from jcpp.models import AuditEvent, User
from tests.factories import create_user
from tests.web import WebClient, soup


@pytest.fixture
def real_app(engine: Engine) -> Any:
    """The app with jcpp.db.get_session as in production (not the test's shared session)."""
    from jcpp.main import create_app

    application = create_app()
    application.dependency_overrides[request_engine] = lambda: engine
    return application


@pytest.fixture
def liaison(engine: Engine) -> Iterator[User]:
    n = secrets.token_hex(4)
    with Session(engine, expire_on_commit=False) as session:
        user = create_user(session, role="liaison", name=f"Lia Err {n}", email=f"err-{n}@x.org")
        session.commit()
    yield user
    with Session(engine) as session:
        session.exec(delete(AuditEvent).where(col(AuditEvent.user_id) == user.id))  # type: ignore[call-overload]
        session.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
        session.commit()


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/admin/users", 403, "Not permitted"),
        ("/meetings/987654321", 404, "Not found"),
        ("/trends/topics/no-such-topic", 404, "Not found"),
    ],
)
def test_a_signed_in_user_gets_the_error_page_with_her_header(
    real_app: Any, liaison: User, url: str, status: int, title: str
) -> None:
    with WebClient(real_app) as client:
        client.sign_in(liaison)
        response = client.get(url)

    assert response.status_code == status, response.text[:200]
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == title
    assert liaison.name in page.select_one(".user-menu__who").get_text()
