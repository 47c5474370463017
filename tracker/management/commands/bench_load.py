"""`manage.py bench_load`: the key pages under load on real servers, and a scale-out check.

Longer than 400 lines on purpose: a command that starts servers, loads them from another
process and always cleans up reads best as one file, top (the command) to bottom (its
pieces); the scale-out checks are shared with tests/integration.

`manage.py bench` times pages in-process with Django's test client: it sees the
application's own cost and nothing else. This command measures what a deployment
sees. It builds a throwaway PostgreSQL database (`rampup_bench_<pid>`) and fills it
with `migrate`, `load_roadmap` and `make_demo_data`, exactly as a deploy would, using
Redis db 15 as the shared cache, then:

1. starts gunicorn (two sync workers) with a production-like environment
   (`DEBUG=false`, `__Host-` cookies, static files from `collectstatic`) plus
   `BENCH_FLOOR=true`, which adds the floor page `bench` compares against;
2. logs in as `showcase` through the real login form, as a browser behind a TLS
   proxy would (`X-Forwarded-Proto: https`, CSRF token, Referer and Origin);
3. loads the same key pages as `bench` (see `bench.key_pages`) from a second
   process, `--concurrency` threads at a time, for `--duration` seconds per page,
   one page after another so each has the whole server, and prints requests per
   second, median and p95 latency, the ratio to the floor page and every non-200;
4. starts a second gunicorn on the next port against the same PostgreSQL and Redis
   and proves the app keeps no local state: a session from A works on B, a write
   on A shows on B (and the reverse), and requests alternating between A and B
   all succeed.

`--mentor-writes` measures instead what a mentee's writes cost their mentor (issue 15:
"a mentee writing continuously costs the mentor's page under 20% of its throughput"):
mentor-01's home under load for `--duration` seconds, then again while `showcase` (one
of their mentees) marks a goal done and to do again `--write-rate` times a second from
this process (until the load ends: at most `--write-rate` × (`--duration` + 15 s) writes),
all to 127.0.0.1; it prints
both throughputs and the drop, and skips the other pages and the scale-out check.

Both servers are stopped, the database dropped (unless `--keep-db`) and the Redis
database (`--redis-url`, db 15 by default) flushed whatever happens. The exit status is
non-zero if any request failed or any scale-out check did not pass.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg import sql

from ..benchstats import median, ms, p95, write_table

HOST = "127.0.0.1"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/15"  # the default of --redis-url: flushed, so its own
MENTOR = "mentor-01"  # mentors `showcase` (make_demo_data)
MENTOR_PAGE = "mentor home"
THROUGHPUT_DROP_TARGET = 0.20  # issue 15: a writing mentee costs under 20% of it
WRITER_SLACK = 15.0  # seconds the writer may run beyond --duration: the load's start-up
USERNAME = "showcase"
PASSWORD = "rampup-demo"
WORKERS = 2
# With DEBUG=false the cookies carry the __Host- prefix (see settings).
SESSION_COOKIE = "__Host-sessionid"
CSRF_COOKIE = "__Host-csrftoken"
HEALTH_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0
WARMUP_PER_THREAD = 5
ALTERNATING_GETS = 50


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str | None  # the user it is requested as (None: anonymous)


@dataclass
class Samples:
    """One page's measured requests: latencies of the 200s, and every status seen."""

    page: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed_s: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> int:
        return self.requests - self.statuses[200]


@dataclass(frozen=True)
class Targets:
    """What the load and the checks need from the bench database, read once."""

    pages: list[Page]
    phase_path: str  # a phase page where showcase tracks progress
    goal_id: int  # a goal on it that showcase has not marked done
    today: date  # showcase's today, in their time zone


# ---------------------------------------------------------------- HTTP, by hand


@dataclass
class Reply:
    status: int
    location: str
    text: str


class Agent:
    """A browser behind a TLS-terminating proxy, talking to servers on several ports.

    Cookies are kept by hand (both servers are 127.0.0.1, so a browser would send
    the same cookies to both), Secure ones included, and every request says
    `X-Forwarded-Proto: https`, as the proxy would.
    """

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def get(self, port: int, path: str) -> Reply:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, form: dict[str, str], referer: str) -> Reply:
        # CSRF accepts an Origin equal to https://<Host>, port included, so the servers
        # need no CSRF_TRUSTED_ORIGINS.
        origin = f"https://{HOST}:{port}"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + referer,
            "X-CSRFToken": self.cookies.get(CSRF_COOKIE, ""),
        }
        return self.request(port, "POST", path, urlencode(form), headers)

    def request(
        self,
        port: int,
        method: str,
        path: str,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                self._store(raw)
            return Reply(response.status, response.getheader("Location", ""), text)
        finally:
            conn.close()

    def _store(self, raw: str) -> None:
        for name, morsel in SimpleCookie(raw).items():
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)

    def log_in(self, port: int, username: str = USERNAME) -> None:
        """Log in through the form, as a person would; raise if it does not work."""
        form = self.get(port, "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status != 200 or token is None or CSRF_COOKIE not in self.cookies:
            raise CommandError(
                f"GET /accounts/login/ on :{port} answered {form.status} "
                f"without a CSRF cookie and token"
            )
        reply = self.post(
            port,
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token[1],
            },
            referer="/accounts/login/",
        )
        if reply.status != 302 or SESSION_COOKIE not in self.cookies:
            raise CommandError(
                f"logging in as {USERNAME} on :{port} answered {reply.status}, "
                f"not a redirect with a session cookie"
            )


# ------------------------------------------------------- the load, in a child process


def run_load(
    port: int, pages: list[Page], sessions: dict[str, str], duration: float, concurrency: int
) -> list[Samples]:
    """Each page in turn, for `duration` seconds; runs in a process of its own.

    The client's work thus never shares an interpreter (or its GIL) with the command.
    """
    results = []
    for page in pages:
        headers = {"X-Forwarded-Proto": "https"}
        if page.who:
            headers["Cookie"] = sessions[page.who]
        results.append(_measure(port, page, headers, duration, concurrency))
    return results


def _load_child(sender: Connection, *args: object) -> None:
    """The child process's entry point: `run_load`, its result sent back through a pipe."""
    try:
        sender.send(("ok", run_load(*args)))
    except BaseException:  # the parent reports it; nothing must be lost silently
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def _measure(
    port: int, page: Page, headers: dict[str, str], duration: float, concurrency: int
) -> Samples:
    """`concurrency` threads request one page until the time is up.

    Each thread keeps one http.client connection (gunicorn's sync workers close it
    after every response; http.client then reconnects), sends a few unmeasured
    requests, and waits for the others, so all start the clock together.
    """
    samples = Samples(page.name)
    lock = threading.Lock()
    start_line = threading.Barrier(concurrency, timeout=REQUEST_TIMEOUT * (WARMUP_PER_THREAD + 1))
    clock: dict[str, float] = {}

    def hammer(_: int) -> float:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        try:
            for _ in range(WARMUP_PER_THREAD):
                _fetch(conn, page.path, headers)
            if start_line.wait() == 0:  # exactly one thread starts the clock
                clock["start"] = time.perf_counter()
            start_line.wait()  # and every thread sees it
            deadline = clock["start"] + duration
            while time.perf_counter() < deadline:
                started = time.perf_counter_ns()
                status = _fetch(conn, page.path, headers)
                elapsed_ms = (time.perf_counter_ns() - started) / 1e6
                statuses[status] += 1
                if status == 200:
                    latencies.append(elapsed_ms)
            return time.perf_counter()
        finally:
            conn.close()
            with lock:
                samples.latencies_ms.extend(latencies)
                samples.statuses.update(statuses)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        ends = list(pool.map(hammer, range(concurrency)))
    samples.elapsed_s = max(ends) - clock["start"]
    return samples


def _fetch(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> int:
    """One GET, read to the end; the status, or 0 when the connection failed."""
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()  # the next request reconnects
        return 0


class Writer:
    """A mentee writing continuously: their goal marked done, then to do again, `rate`
    times a second through the real form, until `stop` is set (the load's end), and at
    most `duration` + `WRITER_SLACK` seconds and `rate` times that many writes."""

    def __init__(
        self, agent: Agent, port: int, targets: Targets, rate: float, duration: float
    ) -> None:
        self.agent, self.port, self.targets = agent, port, targets
        self.interval, self.duration = 1 / rate, duration
        self.limit = max(1, int(rate * (duration + WRITER_SLACK)))
        self.stop = threading.Event()
        self.done = self.failed = 0
        self.elapsed = 0.0

    def run(self) -> None:
        goal, path = self.targets.goal_id, self.targets.phase_path
        started = time.perf_counter()
        deadline = started + self.duration + WRITER_SLACK
        while not self.stop.is_set() and self.done < self.limit and time.perf_counter() < deadline:
            status = "done" if self.done % 2 == 0 else "todo"
            try:
                reply = self.agent.post(
                    self.port, f"/progress/goal/{goal}/status/", {"status": status}, path
                )
                ok = reply.status == 302
            except (OSError, http.client.HTTPException):
                ok = False
            self.done += 1
            self.failed += not ok
            self.stop.wait(max(0.0, started + self.done * self.interval - time.perf_counter()))
        self.elapsed = time.perf_counter() - started


# ------------------------------------------------------------------ the command


class Command(BaseCommand):
    help = "Key pages under load on gunicorn + PostgreSQL + Redis, and a two-server check."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--duration", type=float, default=10.0, help="seconds per page (10)")
        parser.add_argument("--concurrency", type=int, default=4, help="client threads (4)")
        parser.add_argument("--learners", type=int, default=1000, help="bulk learners (1000)")
        parser.add_argument(
            "--port",
            type=int,
            default=8100,
            help="server A's port; server B uses the next one (8100)",
        )
        parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
        parser.add_argument(
            "--redis-url",
            default=REDIS_URL,
            help=f"the cache's Redis database, flushed before and after ({REDIS_URL})",
        )
        parser.add_argument(
            "--mentor-writes",
            action="store_true",
            help="only the mentor's home, without and then with a mentee writing",
        )
        parser.add_argument(
            "--write-rate",
            type=float,
            default=4.0,
            help="the mentee's writes a second with --mentor-writes (4)",
        )

    def handle(
        self,
        *args,
        duration: float,
        concurrency: int,
        learners: int,
        port: int,
        keep_db: bool,
        redis_url: str = REDIS_URL,
        mentor_writes: bool = False,
        write_rate: float = 4.0,
        **options,
    ) -> None:
        if duration <= 0 or concurrency < 1 or learners < 0:
            raise CommandError(
                "--duration and --concurrency must be positive, --learners not negative"
            )
        if not 0 < write_rate <= 50:
            raise CommandError("--write-rate: more than 0 and at most 50 writes a second")
        ports = (port, port + 1)
        for p in ports:
            _check_port_free(p)
        began = time.perf_counter()
        with deployment(
            learners=learners, keep_db=keep_db, write=self.stdout.write, redis_url=redis_url
        ) as deploy:
            if mentor_writes:
                deploy.start(ports[0], "a")
                drop = self.mentor_under_writes(
                    ports[0], deploy.targets, duration, concurrency, write_rate
                )
                self.stdout.write(f"\nDone in {time.perf_counter() - began:.0f} s.")
                if drop >= THROUGHPUT_DROP_TARGET:
                    raise CommandError(
                        f"the mentee's writes cost the mentor's page {drop:.0%} of its "
                        f"throughput (target: under {THROUGHPUT_DROP_TARGET:.0%})"
                    )
                return
            deploy.start(ports[0], "a")
            agent = Agent()
            agent.log_in(ports[0])
            samples = self.load(ports[0], deploy.targets, agent, duration, concurrency)
            self.print_table(samples, duration, concurrency)
            deploy.start(ports[1], "b")
            checks = scale_out(ports, deploy.targets, self.stdout.write)
            for check in checks:
                self.stdout.write(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")

        self.stdout.write(f"\nDone in {time.perf_counter() - began:.0f} s.")
        failed = [s.page for s in samples if s.errors]
        failed += [check.name for check in checks if not check.ok]
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")

    def load(
        self,
        port: int,
        targets: Targets,
        agent: Agent,
        duration: float,
        concurrency: int,
        pages: list[Page] | None = None,
    ) -> list[Samples]:
        pages = targets.pages if pages is None else pages
        self.stdout.write(f"Loading {len(pages)} pages on :{port}, {duration:g} s each…")
        # One session per user the pages are requested as (the learner, a mentor, …).
        sessions = {USERNAME: f"{SESSION_COOKIE}={agent.cookies[SESSION_COOKIE]}"}
        for who in {p.who for p in pages if p.who and p.who != USERNAME}:
            other = Agent()
            other.log_in(port, who)
            sessions[who] = f"{SESSION_COOKIE}={other.cookies[SESSION_COOKIE]}"
        # Generous: every page's duration and warm-up, plus a slow start of the child.
        budget = len(pages) * (duration + REQUEST_TIMEOUT) + 60
        # A fresh interpreter (spawn, not fork): nothing of this process's Django state.
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_load_child,
            args=(sender, port, pages, sessions, duration, concurrency),
            name="bench-load-client",
        )
        child.start()
        sender.close()  # so a child that dies shows as end-of-file, not as silence
        try:
            if not receiver.poll(budget):
                raise CommandError(f"the load did not finish in {budget:.0f} s")
            try:
                outcome, payload = receiver.recv()
            except EOFError:
                child.join(timeout=5)
                raise CommandError(f"the load process died (exit code {child.exitcode})") from None
            if outcome != "ok":
                raise CommandError(f"the load process failed:\n{payload}")
            return payload
        finally:
            if child.is_alive():
                child.terminate()
            child.join()
            receiver.close()

    def mentor_under_writes(
        self, port: int, targets: Targets, duration: float, concurrency: int, rate: float
    ) -> float:
        """The mentor's home under load, alone and then while their mentee writes; prints
        both and returns the share of throughput lost."""
        pages = [p for p in targets.pages if p.name in ("floor", MENTOR_PAGE)]
        mentee = Agent()
        mentee.log_in(port, USERNAME)
        quiet = self.load(port, targets, mentee, duration, concurrency, pages=pages)
        writer = Writer(mentee, port, targets, rate, duration)
        thread = threading.Thread(target=writer.run, name="bench-load-writer", daemon=True)
        # The writer covers the whole load (warm-ups included), stopped at its end.
        thread.start()
        try:
            busy = self.load(port, targets, mentee, duration, concurrency, pages=pages[1:])
        finally:
            writer.stop.set()
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        self.print_table([*quiet, *busy], duration, concurrency)
        alone, written = quiet[1], busy[0]
        before = alone.requests / alone.elapsed_s
        after = written.requests / written.elapsed_s
        drop = 1 - after / before if before else 0.0
        self.stdout.write(
            f"{MENTOR_PAGE} ({MENTOR}): {before:.1f} req/s alone, {after:.1f} req/s while "
            f"{USERNAME} wrote {writer.done} times ({writer.done / max(writer.elapsed, 1e-9):.1f}"
            f"/s, {writer.failed} failed): "
            f"{f'{drop:.0%} less' if drop > 0 else 'no loss'} (target: under "
            f"{THROUGHPUT_DROP_TARGET:.0%})"
        )
        if writer.failed:
            raise CommandError(f"{writer.failed} of the mentee's writes failed")
        return drop

    def print_table(self, samples: list[Samples], duration: float, concurrency: int) -> None:
        self.stdout.write(
            f"\n{duration:g} s per page, {concurrency} client threads, gunicorn with {WORKERS} "
            f"sync workers, PostgreSQL + Redis, DEBUG=false\n"
        )
        floor = median(samples[0].latencies_ms)

        def ratio(values: list[float]) -> float | None:
            mid = median(values)
            return mid / floor if mid and floor else None

        write_table(
            self.stdout.write,
            [
                ("page", 26),
                ("requests/s", 10),
                ("median ms", 9),
                ("p95 ms", 8),
                ("ratio", 5),
                ("errors", 6),
            ],
            [
                (
                    s.page,
                    f"{s.requests / s.elapsed_s:.1f}",
                    ms(median(s.latencies_ms)),
                    ms(p95(s.latencies_ms)),
                    ms(ratio(s.latencies_ms)),
                    s.errors,
                )
                for s in samples
            ],
        )
        errors = [s for s in samples if s.errors]
        if errors:
            self.stdout.write("\nNon-200 answers (0 = connection failed):")
            for s in errors:
                seen = ", ".join(
                    f"{n}× {status}" for status, n in sorted(s.statuses.items()) if status != 200
                )
                self.stdout.write(f"  {s.page}: {seen}")
        else:
            total = sum(s.requests for s in samples)
            self.stdout.write(f"\nAll {total} requests answered 200.")
        self.stdout.write("")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Deployment:
    """A database built as a deploy builds it, and the gunicorn servers started on it."""

    env: dict[str, str]
    logs: Path
    targets: Targets | None = None
    servers: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, port: int, label: str) -> None:
        """A server on `port`, once its /healthz/ answers."""
        self.servers.append((label, _start_server(port, self.env, self.logs / f"{label}.log")))


@contextmanager
def deployment(
    *,
    learners: int,
    write: Callable[[str], None],
    keep_db: bool = False,
    redis_url: str = REDIS_URL,
) -> Iterator[Deployment]:
    """A throwaway PostgreSQL database filled with `migrate`, `load_roadmap` and
    `make_demo_data`, Redis db 15 as the shared cache, and production settings.

    Whatever happens, the servers are stopped, what they logged beyond start and stop
    is shown, the database is dropped (unless `keep_db`) and Redis db 15 flushed.
    """
    db_name = f"rampup_bench_{os.getpid()}_{secrets.token_hex(3)}"
    database_url = f"{POSTGRES_URL}/{db_name}"
    with ExitStack() as cleanup:
        # Cleanups run last registered, first: servers, database, Redis, files.
        cleanup.enter_context(_cleanup_on_sigterm())
        tmp = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="rampup-bench-")))
        deploy = Deployment(server_env(database_url, tmp / "static", redis_url), tmp)
        cleanup.callback(_flush_redis, redis_url)
        _flush_redis(redis_url)
        _create_database(db_name)
        if keep_db:
            cleanup.callback(write, f"Kept the database: DATABASE_URL={database_url}")
        else:
            cleanup.callback(_drop_database, db_name)
        cleanup.callback(lambda: _stop_all([server for _, server in deploy.servers]))

        write(f"Building {db_name}: {learners} learners…")
        started = time.perf_counter()
        for step in (
            ["migrate", "--no-input"],
            ["load_roadmap"],
            ["make_demo_data", "--learners", str(learners)],
            ["collectstatic", "--no-input"],
        ):
            _manage(step, deploy.env)
        write(f"  built in {time.perf_counter() - started:.1f} s")
        deploy.targets = _read_targets(database_url)
        try:
            yield deploy
        finally:
            for label, _ in deploy.servers:
                _report_server_log(write, label, tmp / f"{label}.log")


def server_env(database_url: str, static_root: Path, redis_url: str = REDIS_URL) -> dict[str, str]:
    """Production settings, the bench database and cache, and the floor page."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_FLOOR": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"rampup-bench-{os.getpid()}-{secrets.token_hex(4)}",
        "STATIC_ROOT": str(static_root),
        "PYTHONUNBUFFERED": "1",
    }


def scale_out(
    ports: tuple[int, int], targets: Targets, write: Callable[[str], None]
) -> list[Check]:
    """Two servers, one database and cache: nothing may depend on which one answers.

    (a) a session from A is valid on B; (b) a write on A shows on B; (c) the reverse;
    (d) requests alternating between A and B all succeed."""
    a, b = ports
    write(f"Scale-out: server A on :{a}, server B on :{b}")
    agent = Agent()
    agent.log_in(a)
    checks: list[Check] = []

    reply = agent.get(b, "/dashboard/")
    checks.append(
        Check(
            "(a) a session from A is valid on B",
            reply.status == 200,
            f"GET /dashboard/ on B answered {reply.status} {reply.location}".strip(),
        )
    )

    # Read on B first, so B (and the shared cache) hold the old row when A writes.
    goal, path = targets.goal_id, targets.phase_path
    before = _goal_row(agent.get(b, path).text, goal)
    write = agent.post(a, f"/progress/goal/{goal}/status/", {"status": "done"}, referer=path)
    after = _goal_row(agent.get(b, path).text, goal)
    checks.append(
        Check(
            "(b) a write on A shows on B",
            before is not None and not _done(before) and write.status == 302 and _done(after),
            f"goal {goal}: on B before, {_describe(before)}; POST status=done on A, "
            f"{write.status}; on B after, {_describe(after)}",
        )
    )

    what = f"scale-out check {secrets.token_hex(6)}"
    seen_before = what in agent.get(a, "/log/").text
    write = agent.post(
        b,
        "/log/",
        {"date": targets.today.isoformat(), "minutes": "30", "phase": "", "what": what},
        referer="/log/",
    )
    seen_after = what in agent.get(a, "/log/").text
    checks.append(
        Check(
            "(c) a write on B shows on A",
            not seen_before and write.status == 302 and seen_after,
            f"POST /log/ on B {write.status}, the entry on A's /log/: {seen_after}",
        )
    )

    statuses = Counter(
        agent.get(ports[i % 2], "/dashboard/").status for i in range(ALTERNATING_GETS)
    )
    checks.append(
        Check(
            f"(d) {ALTERNATING_GETS} GETs of /dashboard/ alternating A and B",
            statuses == Counter({200: ALTERNATING_GETS}),
            ", ".join(f"{n}× {s}" for s, n in sorted(statuses.items())),
        )
    )
    return checks


# ------------------------------------------------------------------ the pieces


def _read_targets(database_url: str) -> Targets:
    """The key pages and the checks' goal, read with the ORM from the bench database."""
    from roadmap.models import Goal
    from tracker import schedule
    from tracker.models import ItemProgress, ItemStatus, User

    from .bench import key_pages

    with _using_database(database_url):
        # The floor page's own user (bench.py makes it in-process; here it logs in).
        floor, _ = User.objects.get_or_create(username="bench-floor")
        floor.set_password(PASSWORD)
        floor.save()
        pages = [Page(p.name, p.url, p.who) for p in key_pages()]
        showcase = User.objects.get(username=USERNAME)
        done = ItemProgress.objects.filter(
            learner=showcase,
            goal__isnull=False,
            status__in=[ItemStatus.DONE, ItemStatus.CREDITED],
        ).values("goal_id")
        goal = (
            Goal.objects.current()
            .exclude(pk__in=done)
            .select_related("phase")
            .order_by("phase__order", "order", "pk")
            .first()
        )
        if goal is None:
            raise CommandError("showcase has done every goal: none left to mark done")
        today = schedule.today_for(showcase.time_zone)
        return Targets(pages, goal.phase.get_absolute_url(), goal.pk, today)


@contextmanager
def _using_database(database_url: str) -> Iterator[None]:
    """Point this process's default connection at another database for a while.

    manage.py has already set Django up with the caller's settings, so the bench
    database is swapped in for the `default` alias and the original put back after.
    """
    from tracker.settings import database_from_url

    saved = connections.settings["default"]
    bench = connections.configure_settings({"default": database_from_url(database_url)})
    _drop_connection()
    connections.settings["default"] = bench["default"]
    try:
        yield
    finally:
        _drop_connection()
        connections.settings["default"] = saved


@contextmanager
def _cleanup_on_sigterm() -> Iterator[None]:
    """Make SIGTERM (a CI timeout, say) unwind like Ctrl-C, so the cleanups still run."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _drop_connection() -> None:
    connections["default"].close()
    del connections["default"]


def _manage(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        tail = (done.stdout + done.stderr).strip()[-2000:]
        raise CommandError(f"manage.py {' '.join(args)} failed:\n{tail}")


def _start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """gunicorn on `port`, once /healthz/ answers 200; its output goes to `log`."""
    gunicorn = Path(sys.executable).with_name("gunicorn")  # the virtualenv's
    if not gunicorn.exists():
        raise CommandError(f"no {gunicorn}: run `make install` first")
    command = [
        str(gunicorn),
        "tracker.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--access-logfile",
        "/dev/null",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn on :{port} exited:\n{_tail(log)}")
        try:
            if Agent().get(port, "/healthz/").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    _stop(server)
    raise CommandError(
        f"gunicorn on :{port}: no 200 from /healthz/ in {HEALTH_TIMEOUT:g} s\n{_tail(log)}"
    )


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # gunicorn stops its workers gracefully on SIGTERM
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _stop_all(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        _stop(server)


def _report_server_log(write: Callable[[str], None], label: str, log: Path) -> None:
    """Show what a server logged beyond start and stop: with LOG_LEVEL=WARNING, only trouble."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if "[INFO]" not in line]
    if lines:
        write(f"\nServer {label.upper()} logged:\n" + "\n".join(lines[-40:]))


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:])


def _check_port_free(port: int) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            sock.bind((HOST, port))
        except OSError:
            raise CommandError(f"port {port} is in use; pass another --port") from None


def _create_database(name: str) -> None:
    _drop_database(name)  # a leftover of an earlier run with the same pid
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(name: str) -> None:
    """Drop it even if a connection lingers (PostgreSQL 13+)."""
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _flush_redis(url: str = REDIS_URL) -> None:
    with redis.Redis.from_url(url) as client:
        client.flushdb()


def _goal_row(html: str, goal_id: int) -> str | None:
    """The goal's row on a phase page, up to the end of its status buttons."""
    start = html.find(f'id="goal-{goal_id}"')
    if start < 0:
        return None
    end = html.find("</fieldset>", start)
    return html[start : end if end > 0 else len(html)]


def _done(row: str | None) -> bool:
    return row is not None and 'aria-pressed="true">Done' in row


def _describe(row: str | None) -> str:
    return "no such row" if row is None else "done" if _done(row) else "not done"
