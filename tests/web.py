"""A TestClient that behaves like a browser: keeps the session, sends the CSRF token."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from fastapi import FastAPI
from starlette.testclient import TestClient

from jcpp.models import User
from tests.factories import PASSWORD


class WebClient(TestClient):
    def __init__(self, app: FastAPI) -> None:
        super().__init__(app, base_url="http://testserver", follow_redirects=False)
        self._csrf: str | None = None
        self.signed_in = False

    def csrf(self) -> str:
        """The session's CSRF token, as the pages carry it."""
        if self._csrf is None:
            page = self.get("/account/password" if self.signed_in else "/login")
            soup = BeautifulSoup(page.text, "html.parser")
            body = soup.find("body")
            token = body.get("data-csrf") if body else None
            assert isinstance(token, str), "no CSRF token on the sign-in page"
            self._csrf = token
        return self._csrf

    def sign_in(self, user: User, password: str = PASSWORD) -> WebClient:
        response = self.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 303, response.text
        self._csrf = None  # a new session gets a new token
        self.signed_in = True
        return self

    def post(
        self,
        url: str,
        *,
        data: dict[str, Any] | None = None,
        csrf: bool = True,
        htmx: bool = False,
        **kwargs: Any,
    ) -> Any:
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf())
        headers = dict(kwargs.pop("headers", {}) or {})
        if htmx:
            headers["HX-Request"] = "true"
        return super().post(url, data=data, headers=headers, **kwargs)

    def htmx_get(self, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        headers["HX-Request"] = "true"
        return self.get(url, headers=headers, **kwargs)


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")
