"""Who a request acts as: `Authorization: Bearer <token>`, a personal access token of scope
"api". Nothing else signs in here (no session cookie), so a page on another site cannot make a
signed-in browser call the API, and the API needs no CSRF token; it only reads anyway."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from jcpp.auth.permissions import Viewer
from jcpp.deps import SessionDep
from jcpp.tokens.service import viewer_for_token

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="PersonalAccessToken",
    description="A personal access token made on the app's page /account/tokens.",
)


class Unauthorized(Exception):
    """401: no token, or one that is unknown, revoked, expired or its owner's no longer."""

    def __init__(self, detail: str, *, invalid: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.invalid = invalid

    @property
    def challenge(self) -> str:
        if self.invalid:
            return 'Bearer realm="jcpp", error="invalid_token"'
        return 'Bearer realm="jcpp"'


def api_viewer(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Viewer:
    if credentials is None:
        raise Unauthorized(
            "Send a personal access token: Authorization: Bearer <token>.", invalid=False
        )
    viewer = viewer_for_token(session, credentials.credentials, scope="api")
    if viewer is None:
        raise Unauthorized(
            "This token is not valid: unknown, revoked or expired, or its owner can no longer "
            "sign in.",
            invalid=True,
        )
    return viewer


ApiViewer = Annotated[Viewer, Depends(api_viewer)]
