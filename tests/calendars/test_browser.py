"""A member subscribes to his committee's meetings in Chromium: from the committee page to the
Subscribe page, makes a link, and a calendar app (here: a plain HTTP client, no cookies) reads
the feed with it; then he removes the link and the feed refuses it. axe-core checks each page.

The app runs under uvicorn on a small database of its own (one city, one committee, a member,
three meetings), quicker to make than the demo data the other browser tests share.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlmodel import Session

from jcpp.db import make_engine
from tests.browser.conftest import (  # noqa: F401  (fixture)
    browser_type_launch_args,
    check_accessibility,
    screenshot,
)
from tests.factories import PASSWORD, create_city, create_committee, create_meeting, create_user

ROOT = Path(__file__).resolve().parents[2]
MEMBER = "calendar.member@example.org"


def _seed(url: str) -> str:
    """One committee with a member and meetings around today; returns the committee's slug."""
    engine = make_engine(url)
    now = dt.datetime.now(dt.UTC).replace(minute=30, second=0, microsecond=0)
    with Session(engine) as session:
        city = create_city(session, name="Richfield", slug="richfield")
        committee = create_committee(
            session,
            city=city,
            name="Richfield Multicultural Advisory Committee",
            slug="richfield-mac",
        )
        create_user(session, role="member", email=MEMBER, name="Meg Member", committees=[committee])
        for days, status in ((-30, "held"), (5, "cancelled"), (35, "scheduled")):
            create_meeting(
                session, committee=committee, start_at=now + dt.timedelta(days=days), status=status
            )
        session.commit()
        slug = committee.slug
    engine.dispose()
    return slug


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def calendar_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(the app's address, the committee's slug)."""
    port = _free_port()
    url = f"sqlite:///{tmp_path_factory.mktemp('calendars')}/jcpp.sqlite3"
    env = {**os.environ, "JCPP_DATABASE_URL": url, "JCPP_BASE_URL": f"http://127.0.0.1:{port}"}
    subprocess.run(
        [sys.executable, "-m", "jcpp", "db", "upgrade"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    slug = _seed(url)
    command = [sys.executable, "-m", "uvicorn", "jcpp.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the app did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", slug
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def base_url(calendar_server: tuple[str, str]) -> str:
    return calendar_server[0]


@pytest.fixture(scope="session")
def browser_context_args(calendar_server: tuple[str, str]) -> dict[str, Any]:
    return {
        "base_url": calendar_server[0],
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-US",
        "timezone_id": "America/Chicago",
    }


def _calendar_app_get(address: str) -> tuple[int, bytes]:
    """What a calendar app gets: no cookies, just the address."""
    try:
        with urllib.request.urlopen(address, timeout=30) as response:  # noqa: S310 (our server)
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), b""


def test_member_subscribes_to_his_committee_and_removes_the_link(
    page: Page, calendar_server: tuple[str, str]
) -> None:
    _, slug = calendar_server
    page.goto("/login")
    page.get_by_label("E-mail").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.goto("/committees")
    page.get_by_role("link", name="Richfield Multicultural Advisory Committee").first.click()
    page.get_by_role("link", name="Subscribe to this committee's meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar subscriptions")
    expect(page.get_by_label("Meetings of")).to_have_value(f"committee/{slug}")
    check_accessibility(page)

    page.get_by_label("Name of the link").fill("Work phone")
    page.get_by_role("button", name="Make link").click()
    expect(page.get_by_role("heading", level=2, name="Your link for")).to_be_visible()
    address = page.get_by_label("Or copy this address").input_value()
    assert address.startswith(f"{calendar_server[0]}/committees/{slug}/calendar.ics?token=")
    webcal = page.get_by_role("link", name="Open in my calendar app").get_attribute("href")
    assert webcal == address.replace("http://", "webcal://", 1)
    expect(page.get_by_role("cell", name="Work phone", exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "calendar-subscribe")

    status, body = _calendar_app_get(address)
    assert status == 200
    events = Calendar.from_ical(body).events
    assert sorted(str(e["STATUS"]) for e in events) == ["CANCELLED", "CONFIRMED", "CONFIRMED"]

    page.goto("/account/calendars")
    expect(page.get_by_label("Or copy this address")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Remove Work phone").click()
    expect(page.get_by_role("status").filter(has_text="is removed")).to_be_visible()
    check_accessibility(page)
    assert _calendar_app_get(address)[0] == 403
