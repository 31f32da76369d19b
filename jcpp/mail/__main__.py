"""`python -m jcpp.mail [--now ISO-TIME]`: send the outbox's due messages once and print what
happened. The scheduler's job does the same every minute; this entry point serves operators
(and the test that kills a sender with SIGKILL in the middle of a batch)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlmodel import Session

from jcpp import clock
from jcpp.config import get_settings
from jcpp.db import get_engine, writing
from jcpp.mail.outbox import send_pending


def _moment(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jcpp.mail", description=__doc__)
    parser.add_argument("--now", type=_moment, help="send as of this moment (UTC if no zone)")
    args = parser.parse_args(argv)
    engine = writing(get_engine())
    summary = send_pending(
        lambda: Session(engine), now=args.now or clock.now(), settings=get_settings()
    )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
