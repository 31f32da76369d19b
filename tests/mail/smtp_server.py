"""A real SMTP server for the tests (aiosmtpd), recording what it accepted."""

from __future__ import annotations

import email
import socket
from collections.abc import Awaitable, Callable
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd's Controller cannot be given port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Recorder:
    """Accepts every message (250) and keeps it, unless `refuse` names its recipient or
    `before_reply` (called with the message before the server answers) returns a reply."""

    def __init__(self) -> None:
        self.accepted: list[EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.before_reply: Callable[[EmailMessage], str | None] | None = None
        # Awaited before answering, without blocking the server's other connections.
        self.hold: Callable[[EmailMessage], Awaitable[None]] | None = None
        self.over_tls: list[bool] = []  # for each accepted message: did it come over TLS?

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        for recipient in envelope.rcpt_tos:
            if recipient in self.refuse:
                return self.refuse[recipient]
        if self.hold is not None:
            await self.hold(message)
        if self.before_reply is not None:
            reply = self.before_reply(message)
            if reply is not None:
                return reply
        self.accepted.append(message)
        self.over_tls.append(server.transport.get_extra_info("ssl_object") is not None)
        return "250 2.0.0 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.accepted]


class SmtpServer:
    """The server on a free port of 127.0.0.1; `options` go to aiosmtpd's Controller (TLS,
    STARTTLS, authentication)."""

    def __init__(self, **options: Any) -> None:
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
