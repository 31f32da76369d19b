"""Talking to the SMTP server: one connection per batch, one EmailMessage per outbox row."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from jcpp.config import Settings
from jcpp.mail.unsubscribe import unsubscribe_url
from jcpp.models import OutboxMessage


def configured(settings: Settings) -> bool:
    """Whether an SMTP server is set; without one nothing is sent and messages stay queued."""
    return bool(settings.smtp_host)


def build_message(row: OutboxMessage, *, settings: Settings) -> EmailMessage:
    """The e-mail for a row: the same bytes on every attempt (Message-ID and Date are the row's),
    the text part first, the HTML part as its alternative, a List-Unsubscribe header."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = settings.smtp_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    if row.user_id is not None:
        url = unsubscribe_url(settings, user_id=row.user_id, kind=row.kind)
        message["List-Unsubscribe"] = f"<{url}>"
    message.set_content(row.text_body)
    if row.html_body:
        message.add_alternative(row.html_body, subtype="html")
    return message


def _open(settings: Settings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout
    if settings.smtp_security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    connection = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.smtp_security == "starttls":
            connection.starttls(context=context)
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def connect(settings: Settings) -> Iterator[smtplib.SMTP]:
    """A connection to the configured server, signed in if a user name is set, closed after."""
    connection = _open(settings)
    try:
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value()
            connection.login(settings.smtp_username, password)
        yield connection
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


def deliver(connection: smtplib.SMTP, message: EmailMessage) -> None:
    """Send one message; returns once the server answered 250 to its DATA, raises otherwise."""
    connection.send_message(message)


def permanent(error: Exception) -> bool:
    """A 5xx answer: the server refuses this message for good (retrying will not help)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def describe(error: Exception) -> str:
    """The error as an admin reads it on the Outbox page."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        ]
        return "Recipient refused: " + "; ".join(parts)
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"
