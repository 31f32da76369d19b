"""The state-scale pages timed in-process (no HTTP server, no other clients): where a request's
time goes, apart from the network and the machine's other work.

    .venv/bin/python benchmarks/scale_profile.py [--database sqlite|postgres] [--repeat 20]
        [--as county_staff|liaison] [--profile /trends] [--statements /search?q=…] [URL ...]

Uses the database `benchmarks/scale.py` generated and cached (it never generates one: run
scale.py first). Runs the app in this process and thread (httpx's ASGI transport; the blocking
work of endpoints runs in the event loop's thread), signs in through the app's own login form,
requests each URL once to warm up, then `--repeat` times one after the other, and prints the
median and the 95th percentile in milliseconds, the median CPU time of this process (the app,
and SQLite, which runs in it; not the PostgreSQL server's: on a loaded machine the wall time
is mostly waiting), and the page's size. `--profile URL` runs
cProfile over `--repeat` requests of that URL and prints the 45 functions with the most
cumulative time (`--filter REGEX`: of those whose path matches; `--sort tottime`: by their own
time; `--callers REGEX`: and who called those matching). `--statements URL` prints
the SQL statements one request of that URL runs, each with its time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URLS = (
    "/healthz",
    "/trends",
    "/trends/matrix",
    "/trends/matrix?page=2",
    "/trends/topics/traffic-safety",
    "/trends/topics/human-trafficking",
    "/trends/matrix?format=csv",
)
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/jcpp_scale"


def _database_url(database: str) -> str:
    if database == "postgres":
        return os.environ.get("JCPP_SCALE_POSTGRES_URL", DEFAULT_POSTGRES)
    files = sorted((ROOT / "var" / "scale").glob("jcpp-scale-v*-x1-*.sqlite3"))
    if not files:
        raise SystemExit("no cached state-scale SQLite database: run benchmarks/scale.py first")
    newest = max(files, key=lambda path: path.stat().st_mtime)
    return f"sqlite:///{newest}"


def _in_this_thread() -> None:
    """Run the app's blocking work (sync endpoints and dependencies) in the event loop's own
    thread: one thread, so that cProfile sees all of it and no thread hop is timed."""
    import anyio.to_thread

    async def run_sync(func: Callable[..., Any], *args: Any, **_options: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


async def _sign_in(client: httpx.AsyncClient, role: str) -> None:
    from benchmarks.scale_store import PASSWORD, USERS

    page = await client.get("/login")
    body = BeautifulSoup(page.text, "html.parser").find("body")
    token = body.get("data-csrf") if body is not None else None
    email = next(email for email, _name, who in USERS if who == role)
    data = {"email": email, "password": PASSWORD, "csrf_token": str(token), "next": "/"}
    if (await client.post("/login", data=data)).status_code != 303:
        raise SystemExit("sign-in failed")


async def _measure(args: argparse.Namespace) -> None:
    from jcpp.main import create_app

    _in_this_thread()
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await _sign_in(client, args.role)
        print(f"{args.database}, as {args.role}, {args.repeat} requests each, one at a time (ms)")
        for url in args.urls or DEFAULT_URLS:
            started = time.perf_counter()
            first = await client.get(url)
            first_ms = (time.perf_counter() - started) * 1000
            times, cpu = [], []
            for _ in range(args.repeat):
                started, used = time.perf_counter(), time.process_time()
                response = await client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: {response.status_code}")
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(
                f"{url:44} first {first_ms:6.0f}  p50 {statistics.median(times):6.1f}  "
                f"p95 {p95:6.1f}  cpu p50 {statistics.median(cpu):6.1f}  "
                f"{len(first.content) / 1024:5.0f} KB"
            )
        if args.statements:
            await _print_statements(client, args.statements)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                await client.get(args.profile)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats(args.sort).print_stats(args.filter, 45)
            if args.callers:
                stats.print_callers(args.callers)


async def _print_statements(client: httpx.AsyncClient, url: str) -> None:
    """The SQL statements one request of `url` runs, each with its time (ms, from the
    driver's call to its return: the round trip and the database's work)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    timings: list[tuple[float, str]] = []
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        timings.append(((time.perf_counter() - started.pop()) * 1000, statement))

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        begun = time.perf_counter()
        await client.get(url)
        total = (time.perf_counter() - begun) * 1000
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)
    print(f"{url}: {len(timings)} statements, {sum(t for t, _ in timings):.1f} of {total:.1f} ms")
    for took, statement in timings:
        print(f"{took:7.2f}  {' '.join(statement.split())[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--as", dest="role", default="county_staff")
    parser.add_argument("--profile", help="a URL to run cProfile on")
    parser.add_argument("--filter", default="", help="only functions whose path matches")
    parser.add_argument("--sort", default="cumulative", help="cumulative, tottime, …")
    parser.add_argument("--callers", help="also who called the functions matching this")
    parser.add_argument("--statements", help="a URL whose SQL statements to time, one by one")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args()
    os.environ["JCPP_DATABASE_URL"] = _database_url(args.database)
    os.environ.setdefault("JCPP_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("JCPP_ENVIRONMENT", "development")
    asyncio.run(_measure(args))


if __name__ == "__main__":
    main()
