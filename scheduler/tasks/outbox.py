"""The outbox's housekeeping: sent messages are deleted after a while (their bodies hold
people's names and the committees' business; the outbox is not an archive)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from jcpp.mail.service import purge_sent

KEEP_SENT = dt.timedelta(days=90)


def purge_sent_messages(session: Session, *, now: dt.datetime, period: str) -> str:
    """Delete e-mails sent more than 90 days ago; queued and failed ones stay."""
    deleted = purge_sent(session, before=now - KEEP_SENT)
    return f"{deleted} sent message{'' if deleted == 1 else 's'} older than 90 days deleted"
