"""A scheduler started again after a kill frees the leases its dead predecessor on this host
held, instead of waiting out their expiry; other leases still wait for theirs."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp.models import JobLease
from scheduler.runner import release_dead_leases


def a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_only_leases_of_dead_processes_of_this_host_are_freed(db: Engine) -> None:
    host, until = socket.gethostname(), dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    holders = {
        "dead-here": f"{host}:{a_dead_pid()}/ab12",
        "alive-here": f"{host}:{os.getpid()}/cd34",
        "other-host": f"another-{host}:{a_dead_pid()}/ef56",
    }
    with Session(db) as session:
        for job_id, holder in holders.items():
            session.add(JobLease(job_id=job_id, holder=holder, expires_at=until))
        session.commit()

    assert release_dead_leases(db) == ["dead-here"]

    with Session(db) as session:
        left = session.exec(select(JobLease.job_id).order_by(col(JobLease.job_id))).all()
    assert left == ["alive-here", "other-host"]
