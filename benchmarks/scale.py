"""State-scale benchmark: the trends dashboard, a drill-down, search and a meeting page over HTTP,
with ~100,000 meetings, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/scale.py [--database sqlite|postgres|both] [--scale 1.0]
        [--requests 200] [--warmup 20] [--clients 8] [--workers 4] [--fresh] [--json]
        [--topic-list 2026.11.2] [--long-minutes]

Generates the synthetic state (see `benchmarks/scale_data.py`) once per parameters and database
and caches it (`benchmarks/scale_store.py`), then starts the app on that database in `--workers`
uvicorn processes, a port each, the clients dealt over them evenly (`benchmarks/scale_serve.py`;
`--server reuseport` for one shared port, `--server uvicorn` for uvicorn's own `--workers` mode,
whose sockets add ~40 ms to every response), signs in as county staff (every city: the largest
views) from `--clients` concurrent clients, and requests each endpoint
`--warmup` times, then `--requests` times, cycling through several URLs (queries, cells,
meetings). `/healthz` is the floor: the same server, network and clients doing nothing; each p95
is also given as a ratio to the floor's p95.
Each page's CPU time per request is given too, read from /proc over its timed requests: the
app's workers, PostgreSQL's processes and the clients. Routes the app does not have yet are
reported as "not built yet".
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale_data import Params, add_months  # noqa: E402
from benchmarks.scale_store import PASSWORD, USERS, Prepared, prepare  # noqa: E402
from nlp import taxonomy  # noqa: E402

SEARCHES = (
    "speeding near the school",
    "mental health crisis",
    "body cameras",
    "homeless encampment",
    "interpreter",
    "fentanyl overdose",
    "traffic stops data",
    "catalytic converter",
)
TOPIC_PAGES = ("traffic-safety", "mental-health", "human-trafficking", "youth")
TARGETS_MS = {"dashboard": 300.0, "search": 150.0}
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/jcpp_scale"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Endpoint:
    name: str
    route: str  # as the app declares it, to tell whether it is built
    target: str | None  # key of TARGETS_MS
    urls: list[str] = field(default_factory=list)


@dataclass
class Result:
    database: str
    endpoint: str
    route: str
    built: bool
    requests: int = 0
    errors: int = 0
    first_error: str | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p95_over_floor: float | None = None
    target_ms: float | None = None
    meets_target: bool | None = None
    page_kb: float | None = None  # size of the first URL's page
    # CPU time per timed request (ms), from /proc over the timed requests: the app's worker
    # processes, the PostgreSQL server's processes (None on SQLite: its work is the app's), and
    # the clients (this process). What a page costs, without the time it waited for a CPU.
    app_cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    client_cpu_ms: float | None = None


def main() -> None:
    args = _arguments()
    last_month = add_months(dt.date.today().replace(day=1), -1)
    params = Params(
        scale=args.scale,
        seed=args.seed,
        last_month=last_month,
        topic_list=args.topic_list or taxonomy.default_topics_version(),
        long_minutes=args.long_minutes,
    )
    backends = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    report: dict[str, Any] = {"params": {"key": params.key(), "cities": params.cities}}
    report["setup"] = {
        "workers": args.workers,
        "clients": args.clients,
        "requests": args.requests,
        "warmup": args.warmup,
        "cpus": os.cpu_count(),
        "as": "county staff",
        "server": args.server,
    }
    results: list[Result] = []
    for backend in backends:
        prepared = prepare(
            backend,
            params,
            fresh=args.fresh,
            rebuild_derived=args.rebuild_derived,
            postgres_url=args.postgres_url,
        )
        report[backend] = prepared.marker | {"generated_now": prepared.generated_now}
        _print_preparation(prepared)
        results += _measure_database(prepared, args)
    report["results"] = [asdict(result) for result in results]
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        _print_table(results, report["setup"])


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 850 cities")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="uvicorn worker processes")
    parser.add_argument(
        "--server",
        choices=("spread", "reuseport", "uvicorn"),
        default="spread",
        help="a port per worker process, the clients dealt over them evenly (default); worker "
        "processes sharing one port; or uvicorn --workers",
    )
    parser.add_argument("--fresh", action="store_true", help="generate even if cached")
    parser.add_argument("--rebuild-derived", action="store_true", help="re-run the rebuilds")
    parser.add_argument(
        "--topic-list",
        help="the shipped topic list's version the state was generated from (default: the "
        "current one); an older one measures a cached state without generating it again",
    )
    parser.add_argument(
        "--long-minutes",
        action="store_true",
        help="minutes of the lengths real ones have (300-1,500 words, median about 660) instead "
        "of about 300 words: another generated state",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORD",
        help="time only the endpoints whose name holds WORD (and the floor); repeatable",
    )
    return parser.parse_args()


def _print_preparation(prepared: Prepared) -> None:
    marker = prepared.marker
    counts = marker.get("counts", {})
    how = "generated now" if prepared.generated_now else "cached"
    print(
        f"[{prepared.backend}] {how}: {counts.get('city', 0):,} cities, "
        f"{counts.get('meeting', 0):,} meetings, {counts.get('topic_mention', 0):,} mentions, "
        f"{counts.get('concern', 0):,} concerns; generation {marker.get('generation_seconds')} s",
        file=sys.stderr,
    )
    for name, value in marker.get("derived", {}).items():
        shown = f"{value} s" if isinstance(value, float) else value
        print(f"[{prepared.backend}] {name}: {shown}", file=sys.stderr)


# --- the server and its clients -----------------------------------------------------------------


class Server:
    """The app in `workers` uvicorn processes (`benchmarks/scale_serve.py`). By default each
    listens on a port of its own and the clients are dealt over them evenly, as a proxy in
    front of the workers spreads its many connections: with one port shared (`reuseport`) the
    kernel hashes each of the 8 long-lived client connections to a worker, which gave one
    worker 4 clients and another 1, so that the first worker's clients waited their turn while
    a CPU stood idle, by an amount that changed from run to run. `uvicorn` is uvicorn's own
    `--workers` mode (see scale_serve.py for why its sockets add ~40 ms to every response)."""

    def __init__(self, name: str, url: str, workers: int, *, mode: str = "spread") -> None:
        ports = [_free_port() for _ in range(workers if mode == "spread" else 1)]
        env = os.environ | {
            "JCPP_DATABASE_URL": url,
            "JCPP_SECRET_KEY": secrets.token_urlsafe(48),
            "JCPP_ENVIRONMENT": "development",
            # No page measured here runs the NLP pipeline; built at start (2.5 s of CPU in each
            # worker) it took the CPU from the first pages timed, the floor and, with `--only`,
            # the one page timed.
            "JCPP_WARM_UP": "false",
        }
        serve = [sys.executable, "-m", "benchmarks.scale_serve"]
        if mode == "uvicorn":
            commands = [[
                sys.executable, "-m", "uvicorn", "jcpp.main:create_app", "--factory",
                "--host", "127.0.0.1", "--port", str(ports[0]), "--workers", str(workers),
                "--log-level", "info", "--no-access-log", "--timeout-keep-alive", "300",
            ]]  # fmt: skip
        elif mode == "reuseport":
            commands = [[*serve, str(ports[0])]] * workers
        else:
            commands = [[*serve, str(port)] for port in ports]
        self.workers = workers
        self.postgres = name == "postgres"
        self.log = ROOT / "var" / "scale" / f"server-{name}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            # our own interpreter and arguments, no shell
            self.processes = [
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
                for command in commands
            ]
        self.bases = [f"http://127.0.0.1:{port}" for port in ports]
        self.base = self.bases[0]
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                self.stop()
                raise RuntimeError(f"the app stopped while starting (see {self.log})")
            started = self.log.read_text().count("Application startup complete")
            if started >= self.workers:
                try:
                    if all(
                        httpx.get(f"{base}/healthz", timeout=2).status_code == 200
                        for base in self.bases
                    ):
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("the app did not start within 120 s")

    def cpu_seconds(self) -> tuple[float, float] | None:
        """CPU seconds used so far by the app's processes (those started here and their
        children: uvicorn's own workers) and by the PostgreSQL server's processes; None where
        there is no /proc (not Linux)."""
        ours = {process.pid for process in self.processes}
        app = database = 0.0
        try:
            entries = [entry for entry in os.listdir("/proc") if entry.isdigit()]
        except OSError:
            return None
        for entry in entries:
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # ended meanwhile
            # "pid (name) state ppid … utime stime …": the name may hold spaces and brackets.
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            if int(entry) in ours or int(fields[1]) in ours:
                app += seconds
            elif name == "postgres":
                database += seconds
        return app, database

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def signed_in_client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    page = client.get("/login")
    body = BeautifulSoup(page.text, "html.parser").find("body")
    token = body.get("data-csrf") if body is not None else None
    email = next(email for email, _name, role in USERS if role == "county_staff")
    data = {"email": email, "password": PASSWORD, "csrf_token": str(token), "next": "/"}
    response = client.post("/login", data=data)
    if response.status_code != 303:
        raise RuntimeError(f"sign-in failed: {response.status_code}")
    return client


# --- measuring ---------------------------------------------------------------------------------


def _measure_database(prepared: Prepared, args: argparse.Namespace) -> list[Result]:
    endpoints = _endpoints(prepared)
    wanted = ("floor", *args.only) if args.only else ("",)
    server = Server(prepared.backend, prepared.url, args.workers, mode=args.server)
    try:
        bases = server.bases
        clients = [signed_in_client(bases[k % len(bases)]) for k in range(args.clients)]
        built = _built_routes(clients[0], endpoints)
        _discover(clients[0], endpoints, built)
        results = []
        for endpoint in endpoints:
            if not any(word in endpoint.name for word in wanted):
                continue  # not asked for (--only); still used above to find drill-down links
            built_yet = endpoint.route in built
            result = Result(prepared.backend, endpoint.name, endpoint.route, built_yet)
            if result.built and endpoint.urls:
                _run(
                    clients, endpoint, result, warmup=args.warmup, requests=args.requests,
                    server=server,
                )  # fmt: skip
            results.append(result)
            print(_line(result), file=sys.stderr)
        for client in clients:
            client.close()
    finally:
        server.stop()
    if any(result.errors for result in results):
        print(f"[{prepared.backend}] the server's errors are in {server.log}", file=sys.stderr)
    _ratios(results)
    return results


def _endpoints(prepared: Prepared) -> list[Endpoint]:
    meetings = int(prepared.marker.get("counts", {}).get("meeting", 1))
    rng = random.Random(1)
    meeting_ids = rng.sample(range(1, meetings + 1), min(40, meetings))
    return [
        Endpoint("floor /healthz", "/healthz", None, ["/healthz"]),
        Endpoint("dashboard /trends", "/trends", "dashboard", ["/trends"]),
        Endpoint("city × topic matrix", "/trends/matrix", "dashboard", ["/trends/matrix"]),
        Endpoint(
            "topic page (per city)",
            "/trends/topics/{slug}",
            "dashboard",
            [f"/trends/topics/{slug}" for slug in TOPIC_PAGES],
        ),
        Endpoint("drill-down, county cell", "/trends/evidence", "dashboard"),
        Endpoint("drill-down, city cell", "/trends/evidence", "dashboard"),
        Endpoint(
            "search",
            "/search",
            "search",
            [str(httpx.URL("/search", params={"q": query})) for query in SEARCHES],
        ),
        Endpoint(
            "meeting page",
            "/meetings/{meeting_id}",
            None,
            [f"/meetings/{meeting_id}" for meeting_id in meeting_ids],
        ),
    ]


def _built_routes(client: httpx.Client, endpoints: list[Endpoint]) -> set[str]:
    """The routes that answer their first URL with anything but 404 (every URL names rows that
    exist, so a 404 means the app has no such route yet)."""
    built = {endpoint.route for endpoint in endpoints if endpoint.urls}
    built = {route for route in built if _status(client, _first_url(endpoints, route)) != "404"}
    if "/trends" in built:  # its cells link to the drill-down, whose URLs are found there
        built.add("/trends/evidence")
    return built


def _first_url(endpoints: list[Endpoint], route: str) -> str:
    return next(e.urls[0] for e in endpoints if e.route == route and e.urls)


def _discover(client: httpx.Client, endpoints: list[Endpoint], built: set[str]) -> None:
    """Drill-down links as the pages offer them: the dashboard's cells (county totals) and the
    topic pages' cells (one city, one month)."""
    if "/trends/evidence" not in built:
        return
    county = _evidence_links(client, ["/trends"])
    city = _evidence_links(client, [f"/trends/topics/{slug}" for slug in TOPIC_PAGES])
    city = [href for href in city if "city=" in href]
    rng = random.Random(2)
    for endpoint in endpoints:
        if endpoint.name == "drill-down, county cell":
            endpoint.urls = rng.sample(county, min(20, len(county)))
        elif endpoint.name == "drill-down, city cell":
            endpoint.urls = rng.sample(city, min(20, len(city)))


def _evidence_links(client: httpx.Client, pages: list[str]) -> list[str]:
    found: list[str] = []
    for page in pages:
        try:
            response = client.get(page)
        except httpx.HTTPError:
            continue
        if response.status_code != 200:
            continue
        soup = BeautifulSoup(response.text, "html.parser")
        for anchor in soup.select("a[href^='/trends/evidence']"):
            href = str(anchor.get("href"))
            if href not in found:
                found.append(href)
    return found


def _run(
    clients: list[httpx.Client],
    endpoint: Endpoint,
    result: Result,
    *,
    warmup: int,
    requests: int,
    server: Server,
) -> None:
    _load(clients, endpoint.urls, warmup, result=None)
    with contextlib.suppress(httpx.HTTPError):
        result.page_kb = round(len(clients[0].get(endpoint.urls[0]).content) / 1024, 1)
    before, client_before = server.cpu_seconds(), time.process_time()
    timings = _load(clients, endpoint.urls, requests, result=result)
    after, client_after = server.cpu_seconds(), time.process_time()
    result.requests = len(timings) + result.errors
    if result.requests and before is not None and after is not None:
        per_request = 1000 / result.requests
        result.app_cpu_ms = round((after[0] - before[0]) * per_request, 1)
        if server.postgres:
            result.db_cpu_ms = round((after[1] - before[1]) * per_request, 1)
        result.client_cpu_ms = round((client_after - client_before) * per_request, 1)
    if timings:
        cuts = statistics.quantiles(timings, n=100, method="inclusive")
        result.p50_ms, result.p95_ms = round(cuts[49], 1), round(cuts[94], 1)
    if endpoint.target is not None:
        result.target_ms = TARGETS_MS[endpoint.target]
        if result.p95_ms is not None:
            result.meets_target = result.errors == 0 and result.p95_ms <= result.target_ms


def _load(
    clients: list[httpx.Client], urls: list[str], total: int, *, result: Result | None
) -> list[float]:
    """`total` requests from all clients at once, each client in its own thread; milliseconds
    of the successful ones."""
    timings: list[float] = []
    lock = threading.Lock()

    def work(index: int, client: httpx.Client) -> None:
        for n in range(index, total, len(clients)):
            url = urls[n % len(urls)]
            started = time.perf_counter()
            status = _status(client, url)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == "200":
                    timings.append(elapsed)
                elif result is not None:
                    result.errors += 1
                    result.first_error = result.first_error or f"{status} {url}"

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def _status(client: httpx.Client, url: str) -> str:
    """The response's status code, or the name of the transport error."""
    try:
        return str(client.get(url).status_code)
    except httpx.HTTPError as error:
        return type(error).__name__


def _ratios(results: list[Result]) -> None:
    floor = next((r.p95_ms for r in results if r.route == "/healthz"), None)
    for result in results:
        if floor and result.p95_ms is not None:
            result.p95_over_floor = round(result.p95_ms / floor, 1)


# --- output ------------------------------------------------------------------------------------


def _line(result: Result) -> str:
    if not result.built:
        return f"[{result.database}] {result.endpoint}: not built yet ({result.route})"
    if result.p95_ms is None:
        why = result.first_error or "no URL found to request"
        return f"[{result.database}] {result.endpoint}: not measured ({why})"
    return (
        f"[{result.database}] {result.endpoint}: p50 {result.p50_ms} ms, p95 {result.p95_ms} ms"
        f" ({result.requests} requests, {result.errors} errors)"
    )


def _print_table(results: list[Result], setup: dict[str, Any]) -> None:
    print(
        f"\n{setup['clients']} concurrent clients, {setup['workers']} uvicorn workers "
        f"({setup['server']}), "
        f"{setup['cpus']} CPUs; signed in as {setup['as']}; "
        f"{setup['requests']} timed requests per endpoint after {setup['warmup']} warm-up"
    )
    header = (
        f"{'database':<9} {'endpoint':<26} {'p50 ms':>8} {'p95 ms':>8} {'×floor':>7} "
        f"{'target':>7} {'KB':>6} {'CPU ms: app':>11} {'db':>5} {'clients':>7}  {'':<6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        if not r.built or r.p95_ms is None:
            note = "not built yet" if not r.built else f"not measured: {r.first_error or 'no URL'}"
            print(f"{r.database:<9} {r.endpoint:<26} {note}")
            continue
        target = f"{r.target_ms:.0f}" if r.target_ms else ""
        verdict = "" if r.meets_target is None else "ok" if r.meets_target else "MISSED"
        errors = f" ({r.errors} errors: {r.first_error})" if r.errors else ""
        ratio = f"{r.p95_over_floor}" if r.p95_over_floor is not None else ""
        size = f"{r.page_kb:.0f}" if r.page_kb is not None else ""
        app, db, client = (
            "" if value is None else f"{value:.1f}"
            for value in (r.app_cpu_ms, r.db_cpu_ms, r.client_cpu_ms)
        )
        print(
            f"{r.database:<9} {r.endpoint:<26} {r.p50_ms:>8} {r.p95_ms:>8} {ratio:>7} "
            f"{target:>7} {size:>6} {app:>11} {db:>5} {client:>7}  {verdict}{errors}"
        )


if __name__ == "__main__":
    main()
