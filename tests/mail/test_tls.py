"""Sending over STARTTLS and TLS with a user name, against a real server with a certificate made
for the test (trusted through SSL_CERT_FILE, as an operator would trust a private CA); never
in clear text when TLS was asked for; a refused sign-in is a retry, not a failure."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import Session

from jcpp.config import Settings
from jcpp.mail import preferences
from jcpp.mail.outbox import enqueue, send_pending
from jcpp.models import OutboxMessage, User
from tests.mail.conftest import NOW
from tests.mail.smtp_server import SmtpServer

Factory = Callable[[], Session]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def server_context(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> ssl.SSLContext:
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts it, as a private CA
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


LOGINS: list[bytes] = []


def accept_jcpp(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult

    ok = data.login == b"jcpp" and data.password == b"s3cret passphrase"
    if ok:
        LOGINS.append(data.login)
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_server(
    server_context: ssl.SSLContext, request: pytest.FixtureRequest
) -> Iterator[SmtpServer]:
    LOGINS.clear()
    options: dict[str, Any] = {"authenticator": accept_jcpp}
    if request.param == "starttls":
        options |= {"tls_context": server_context, "require_starttls": True, "auth_required": True}
    else:  # aiosmtpd offers AUTH over implicit TLS only when told TLS is not required for it
        options |= {"ssl_context": server_context, "auth_require_tls": False}
    with SmtpServer(**options) as server:
        yield server


def queue(session: Session, user: User, settings: Settings) -> OutboxMessage:
    row = enqueue(
        session,
        user=user,
        to=user.email,
        kind=preferences.MEETING_REMINDER,
        subject="Reminder",
        text="Thursday.",
        html=None,
        dedupe_key="tls:1",
        settings=settings,
    )
    assert row is not None
    return row


def settings_for(server: SmtpServer, base: Settings, security: str, password: str) -> Settings:
    return base.model_copy(
        update={
            "smtp_port": server.port,
            "smtp_security": security,
            "smtp_username": "jcpp",
            "smtp_password": SecretStr(password),
        }
    )


@pytest.mark.parametrize("tls_server", ["starttls", "ssl"], indirect=True)
def test_sent_over_tls_after_signing_in(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    tls_server: SmtpServer,
    liaison: User,
    request: pytest.FixtureRequest,
) -> None:
    security = request.node.callspec.params["tls_server"]
    settings = settings_for(tls_server, mail_settings, security, "s3cret passphrase")
    row = queue(session, liaison, settings)

    summary = send_pending(session_factory, now=NOW, settings=settings)

    assert summary.sent == 1, summary.error
    assert tls_server.recorder.message_ids() == [row.message_id]
    assert tls_server.recorder.over_tls == [True]
    assert LOGINS == [b"jcpp"]


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_a_refused_sign_in_is_tried_again_later(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    tls_server: SmtpServer,
    liaison: User,
) -> None:
    settings = settings_for(tls_server, mail_settings, "starttls", "wrong")
    row = queue(session, liaison, settings)

    summary = send_pending(session_factory, now=NOW, settings=settings)

    assert summary.retrying == 1 and "535" in (summary.error or "")
    session.refresh(row)
    assert (row.status, row.attempts) == ("queued", 1)
    assert tls_server.recorder.accepted == []


def test_no_clear_text_when_starttls_was_asked_for(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    smtp_server: SmtpServer,
    liaison: User,
) -> None:
    settings = mail_settings.model_copy(update={"smtp_security": "starttls"})
    row = queue(session, liaison, settings)

    summary = send_pending(session_factory, now=NOW, settings=settings)

    assert summary.retrying == 1
    session.refresh(row)
    assert row.status == "queued" and "STARTTLS" in (row.last_error or "")
    assert smtp_server.recorder.accepted == []
