"""Browser tests: the app served by uvicorn on a fresh SQLite database with demo data, driven
through Playwright in Debian's Chromium; axe-core checks every page a test visits."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
DEMO_PASSWORD = "demo password 2026"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it).")
    return {
        "executable_path": chromium,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(live_server: str) -> dict[str, Any]:
    return {
        "base_url": live_server,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-US",
        "timezone_id": "America/Chicago",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _jcpp(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "jcpp", *args],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on a free port, with the demo data loaded; stopped at the end."""
    port = _free_port()
    workdir = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "JCPP_DATABASE_URL": f"sqlite:///{workdir}/jcpp.sqlite3",
        "JCPP_BASE_URL": f"http://127.0.0.1:{port}",
        "JCPP_WARM_UP": "true",  # as deployed: the first save does not wait for the pipeline
    }
    _jcpp(env, "db", "upgrade")
    _jcpp(env, "demo", "--password", DEMO_PASSWORD)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "jcpp.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the app did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


def check_accessibility(page: Page) -> None:
    """Fail on any WCAG 2.2 A/AA violation axe-core finds on the page as it is now."""
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:5]
        )
        for v in result["violations"]
    ]
    assert problems == [], f"axe-core on {page.url}:\n" + "\n".join(problems)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    check_accessibility(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
