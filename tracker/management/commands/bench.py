"""`manage.py bench`: how fast each key page is, relative to a floor page, on realistic data.

It builds a throwaway database (Django's test-database machinery: a file for SQLite,
`test_<name>` on PostgreSQL), loads the roadmap and `make_demo_data`, warms up, then
requests every key page round-robin through the full middleware stack with Django's
test client, logged in as the right user. Timings are compared with a floor page
measured in the same run (same middleware and base.html, no queries of its own), so
the ratio means the same on a fast laptop and a busy CI machine.

Targets: median ≤ 3× the floor, ≤ 10 queries per page.

Scale: `--learners`, `--years` (the showcase's history, the heaviest learner),
`--mentees` (mentor-01's mentees) and `--cold` (each learner's data version bumped
before every timed request: the first view after a change). `--growth` runs the matrix
of issue 15 and prints one table, every page cold and warm: for each learner count
(`--growth-learners`, 1,000, 10,000 and 50,000 by default) one dataset is built, then
measured with a 1-year and a 3-year showcase (50 mentees), and the mentor pages with
5 and 200 mentees; only the showcase and mentor-01's mentorships change between
settings, so the matrix costs one build per learner count. At the default 20 requests
a page (3 warm-up rounds), on PostgreSQL with two cores shared by eight jobs, 1,000
learners took 3.5 minutes and 10,000 took 12 (8 of them the build); building 50,000
takes 6 CPU-minutes (28 minutes of wall time on that busy machine). Pass
`--growth-learners 1000,10000` to stop there.

Kept datasets: with `--keep-db` each dataset is built into a database named after its
size, `rampup_bench_<learners>` on PostgreSQL (`rampup_bench_<learners>_<mentors>m` for
other than 20 mentors; a file of that name in `--db-dir` on SQLite), and kept. A later
run with `--keep-db` finds it, migrates it (so later migrations apply), empties the
cache and measures without rebuilding: the growth table of the
final code costs minutes, not the 40 a 50,000-learner build takes. The showcase's years
and mentor-01's mentees are read from the data, since a kept dataset stays in the
setting its last run measured. `--drop-db` drops every kept dataset (on PostgreSQL
`dropdb rampup_bench_50000` drops one).

`--first-load` measures bytes, not time: the showcase's dashboard, its stylesheets and
scripts as a first visit receives them in the production setup (target ≤ 30 KB).
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ..benchstats import median, ms, p95, write_table

RATIO_TARGET = 3.0
QUERY_TARGET = 10
FIRST_LOAD_TARGET = 30 * 1024  # the dashboard's HTML, CSS and JS as transferred
DATASET_PREFIX = "rampup_bench_"  # kept datasets: rampup_bench_<learners>[_<mentors>m]
DEFAULT_MENTORS = 20


@dataclass
class Result:
    page: str
    queries: int
    median_ms: float
    p95_ms: float
    ratio: float = 0.0

    @property
    def ok(self) -> bool:
        return self.ratio <= RATIO_TARGET and self.queries <= QUERY_TARGET


@dataclass
class Growth:
    """One row of the growth table: a page in one setting, cold and warm."""

    page: str
    learners: int
    years: int
    mentees: int
    cold: Result
    warm: Result

    @property
    def ok(self) -> bool:
        return self.cold.ok and self.warm.ok


@dataclass
class Page:
    name: str
    url: str
    who: str | None  # logged in as, None for anonymous
    # Whose data version --cold bumps before each request: the users whose change the
    # page shows (a mentee's for the mentor's pages, the owner's for public ones).
    subjects: tuple[str, ...] = ()


# The pages whose cost depends on mentor-01's mentees: all the mentees settings measure.
MENTOR_PAGES = ("floor", "mentor home", "mentee view")


def key_pages() -> list[Page]:
    """Every key page, the floor first."""
    from roadmap.models import Phase, Question
    from tracker.models import Submission, User

    showcase = User.objects.get(username="showcase")
    phase = Phase.objects.current().order_by("order")[2]
    question = Question.objects.current().order_by("order").first()
    submission = (
        Submission.objects.filter(learner=showcase).order_by("-pk").first()
        if not Submission.objects.filter(learner=showcase).exists()
        else max(Submission.objects.filter(learner=showcase), key=lambda s: s.events.count())
    )
    progress_phase = Phase.objects.current().order_by("order")[1]
    from labs.bench import showcase_attempt

    lab = showcase_attempt(showcase)
    _job_search(showcase)
    offer = "base=9000&period=month&currency=USD&level=senior&region=Singapore"
    sam = ("showcase",)
    return [
        Page("floor", "/__bench__/floor/", "bench-floor"),
        Page("home", "/", None),
        Page("roadmap", "/roadmap/", None),
        Page("phase", f"/roadmap/{phase.key}/", None),
        Page("skills", "/skills/", None),
        Page("rubric", "/rubric/", None),
        Page("questions", "/questions/", None),
        Page("questions filtered", "/questions/?level=advanced", None),
        Page("question", f"/questions/{question.key}/", None),
        Page("career", "/career/", None),
        Page("dashboard", "/dashboard/", "showcase", sam),
        Page("phase with progress", f"/roadmap/{progress_phase.key}/", "showcase", sam),
        Page("milestone (long thread)", f"/milestones/{submission.pk}/", "showcase", sam),
        Page("study log", "/log/", "showcase", sam),
        Page("plan", "/plan/", "showcase", sam),
        Page("practice queue", "/practice/", "showcase", sam),
        Page("practice answer", f"/practice/{question.key}/", "showcase", sam),
        Page("practice stats", "/practice/stats/", "showcase", sam),
        Page("mock interviews", "/interview/", "showcase", sam),
        Page("assessment", "/assessment/", "showcase", sam),
        # Cold: the mentor's own version and one mentee's, as after that mentee's write.
        Page("mentor home", "/mentor/", "mentor-01", ("mentor-01", *sam)),
        Page("mentee view", "/mentor/showcase/", "mentor-01", ("mentor-01", *sam)),
        Page("public portfolio", "/u/showcase/", None, sam),
        Page("progress card", "/u/showcase/card.png", None, sam),
        Page("lab attempt (30 commands)", lab.get_absolute_url(), "showcase", sam),
        Page("job board (200 applications)", "/jobs/", "showcase", sam),
        Page("job funnel", "/jobs/funnel/", "showcase", sam),
        Page("offer check", f"/jobs/offer/?{offer}", "showcase", sam),
        *_hiring_pages(showcase),
    ]


def _hiring_pages(showcase) -> list[Page]:
    """The hiring path and the take-home worksheet (a worksheet made if none exists)."""
    from django.apps import apps

    if not apps.is_installed("hiring"):
        return []
    from hiring.models import Attempt
    from hiring.rounds import TAKE_HOME
    from hiring.services import attempt_start
    from roadmap.models import HiringRound

    sheet = Attempt.objects.filter(learner=showcase, round__key=TAKE_HOME).first()
    if sheet is None:
        sheet = attempt_start(
            learner=showcase, round=HiringRound.objects.current().get(key=TAKE_HOME)
        )
    return [
        Page("hiring rounds", "/hiring/", None),
        Page("hiring rounds (learner)", "/hiring/", "showcase", ("showcase",)),
        Page("take-home worksheet", sheet.get_absolute_url(), "showcase", ("showcase",)),
    ]


def _job_search(showcase) -> None:
    """200 applications across the stages for the showcase learner (once)."""
    from jobs.models import Application, Stage

    if Application.objects.filter(learner=showcase).exists():
        return
    stages = list(Stage)
    Application.objects.bulk_create(
        Application(
            learner=showcase,
            company=f"Company {i}",
            stage=stages[i % len(stages)],
            furthest=stages[min(i % len(stages), 7)],
        )
        for i in range(200)
    )


def analyze() -> None:
    """Fresh planner statistics after bulk writes, as autovacuum gives a production
    database in time: without them PostgreSQL chose a sequential scan of 65,000
    submissions for the mentor's review queue at 50k learners (86 ms, not 0.6)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Measure every key page against a floor page on a throwaway database."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--iterations", type=int, help="requests per page (200; 20 with --growth)"
        )
        parser.add_argument(
            "--warmup", type=int, help="untimed rounds before timing (20; 3 with --growth)"
        )
        parser.add_argument("--learners", type=int, default=1000)
        parser.add_argument("--mentors", type=int, default=DEFAULT_MENTORS)
        parser.add_argument(
            "--years", type=int, default=1, help="years of the heaviest learner's history (1)"
        )
        parser.add_argument(
            "--mentees", type=int, default=50, help="mentees of the measured mentor (50)"
        )
        parser.add_argument("--json", dest="json_path", help="also write the figures here")
        parser.add_argument(
            "--cold",
            action="store_true",
            help="bump the learner's data version before every request: the cost of "
            "the first view after a change",
        )
        parser.add_argument(
            "--after-write",
            action="store_true",
            help="bump one area of the learner's data before every request, each area in "
            "turn (progress, practice, log, assessment, profile, notifications): the first "
            "view after one write, which rebuilds only that area's fragments; queries are "
            "the most any one area costs",
        )
        parser.add_argument(
            "--growth",
            action="store_true",
            help="the growth matrix: every learner count of --growth-learners, 1 and 3 "
            "years, 5, 50 and 200 mentees, cold and warm, in one table",
        )
        parser.add_argument(
            "--growth-learners",
            default="1000,10000,50000",
            help="learner counts of the growth matrix (1000,10000,50000)",
        )
        parser.add_argument(
            "--keep-db",
            action="store_true",
            help=f"build each dataset into a database named {DATASET_PREFIX}<learners> and "
            "keep it; reuse it (migrated, cache emptied) when it exists",
        )
        parser.add_argument(
            "--db-dir",
            default=tempfile.gettempdir(),
            help="SQLite only: where --keep-db keeps its database files (the temp directory)",
        )
        parser.add_argument(
            "--first-load",
            action="store_true",
            help="instead of timing: the showcase's dashboard as a first visit transfers "
            "it in the production setup (collectstatic, whitenoise, Accept-Encoding: br, "
            "gzip), HTML + CSS + JS bytes against 30 KB",
        )
        parser.add_argument(
            "--drop-db",
            action="store_true",
            help=f"drop every kept dataset ({DATASET_PREFIX}*) and stop",
        )

    def handle(
        self,
        *args,
        iterations: int | None,
        warmup: int | None,
        learners: int,
        mentors: int,
        json_path: str | None,
        cold: bool = False,
        after_write: bool = False,
        years: int = 1,
        mentees: int = 50,
        growth: bool = False,
        growth_learners: str = "1000,10000,50000",
        keep_db: bool = False,
        db_dir: str | None = None,
        drop_db: bool = False,
        first_load: bool = False,
        **options,
    ) -> None:
        self.keep_db = keep_db
        self.db_dir = Path(db_dir or tempfile.gettempdir())
        if drop_db:
            self.drop_datasets()
            return
        if iterations is None:
            iterations = 20 if growth else 200
        if warmup is None:
            warmup = 3 if growth else 20
        if iterations < 1:
            raise CommandError("--iterations must be at least 1")
        if growth:
            try:
                counts = [int(n) for n in growth_learners.split(",")]
            except ValueError:
                raise CommandError("--growth-learners: numbers separated by commas") from None
            self.stdout.write(
                f"manage.py bench --growth --growth-learners {','.join(map(str, counts))} "
                f"--mentors {mentors} --iterations {iterations} --warmup {warmup}"
                + (" --keep-db" if keep_db else "")
            )
            rows = []
            for n in counts:
                rows += self.on_dataset(n, mentors, lambda n=n: self.growth(n, iterations, warmup))
                self.print_growth(rows, iterations)  # so far: a long run shows as it goes
            if json_path:
                figures = [asdict(r) for r in rows]
                Path(json_path).write_text(json.dumps(figures, indent=2) + "\n")
                self.stdout.write(f"Figures written to {json_path}")
            return
        if first_load:
            self.on_dataset(learners, mentors, self.first_load)
            return
        if cold and after_write:
            raise CommandError("--cold or --after-write, not both")
        self.cold = "everything" if cold else "one area" if after_write else None
        self.options = (
            f"--learners {learners} --mentors {mentors} --years {years} --mentees {mentees}"
            f"{' --cold' if cold else ''}{' --after-write' if after_write else ''}"
            f" --iterations {iterations} --warmup {warmup}"
            f"{' --keep-db' if keep_db else ''}"
        )

        def run() -> list[Result]:
            self.settle(years, mentees)
            return self.measure(iterations, warmup, cold, after_write=after_write)

        results = self.on_dataset(learners, mentors, run)
        self.print_table(results, iterations)
        if json_path:
            Path(json_path).write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
            self.stdout.write(f"Figures written to {json_path}")

    def dataset_name(self, learners: int, mentors: int) -> str:
        name = f"{DATASET_PREFIX}{learners}"
        return name if mentors == DEFAULT_MENTORS else f"{name}_{mentors}m"

    def on_dataset(self, learners: int, mentors: int, run):
        """`run()` on a database holding the roadmap and the demo data: a throwaway one,
        or with --keep-db the kept dataset of that size (built first if missing)."""
        db = settings.DATABASES["default"]
        sqlite = db["ENGINE"].endswith("sqlite3")
        test = db.setdefault("TEST", {})
        saved = test.get("NAME")
        tmp = None
        if self.keep_db:
            name = self.dataset_name(learners, mentors)
            if sqlite:
                self.db_dir.mkdir(parents=True, exist_ok=True)
                name = str(self.db_dir / f"{name}.sqlite3")
            else:
                self.refuse_busy(name)
            test["NAME"] = name
        elif sqlite:
            # A file, like production SQLite, not the in-memory default.
            tmp = tempfile.TemporaryDirectory(prefix="rampup-bench-")
            test["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
        creation = connection.creation
        started = time.perf_counter()
        old_name = connection.settings_dict["NAME"]  # (create_test_db returns the new one)
        # keepdb: an existing kept database is migrated, not dropped.
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=self.keep_db)
        try:
            from tracker.models import User

            if User.objects.filter(username="showcase").exists():  # kept, complete
                self.stdout.write(
                    f"Reusing the dataset {connection.settings_dict['NAME']}: {learners} "
                    f"learners, {mentors} mentors (migrated, the cache emptied)…"
                )
            else:
                self.stdout.write(f"Building the dataset: {learners} learners, {mentors} mentors…")
                call_command("load_roadmap", stdout=_Null())
                call_command("make_demo_data", learners=learners, mentors=mentors, stdout=_Null())
                if self.keep_db:
                    self.stdout.write(f"  kept as {connection.settings_dict['NAME']}")
            analyze()
            self.stdout.write(f"  ready in {time.perf_counter() - started:.1f} s")
            cache.clear()
            with override_settings(ROOT_URLCONF="tracker.bench_urls", DEBUG=False):
                return run()
        finally:
            cache.clear()
            creation.destroy_test_db(old_name, verbosity=0, keepdb=self.keep_db)
            if saved is None:
                test.pop("NAME", None)
            else:
                test["NAME"] = saved
            if tmp is not None:
                tmp.cleanup()

    def refuse_busy(self, name: str) -> None:
        """A kept PostgreSQL dataset another session is using (a build still running, or
        another bench) is not ours to migrate, fill or measure."""
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                [name],
            )
            (others,) = cursor.fetchone()
        if others:
            raise CommandError(
                f"The dataset {name} is in use by {others} other session(s): a build still "
                "running? Wait for it, or drop it (--drop-db) and build again."
            )

    def drop_datasets(self) -> None:
        """Drop every kept dataset: rampup_bench_* databases, or files in --db-dir."""
        if connection.vendor == "sqlite":
            for path in sorted(self.db_dir.glob(f"{DATASET_PREFIX}*.sqlite3")):
                for part in (path, *(Path(f"{path}{end}") for end in ("-wal", "-shm"))):
                    part.unlink(missing_ok=True)
                self.stdout.write(f"Dropped {path}")
            return
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database ORDER BY datname")
            names = [n for (n,) in cursor.fetchall() if re.fullmatch(r"rampup_bench_\w+", n)]
            for name in names:
                cursor.execute(f"DROP DATABASE {connection.ops.quote_name(name)}")
                self.stdout.write(f"Dropped {name}")

    def settle(self, years: int, mentees: int) -> None:
        """The showcase with `years` of history and mentor-01 with `mentees`, caches
        emptied so that no setting reads another's fragments. The current setting is
        read from the data: a kept dataset is left as its last run measured it."""
        from .make_demo_data import demo_setting, replace_showcase, set_mentees

        have_years, have_mentees = demo_setting()
        if years != have_years:
            replace_showcase(years=years)
        if mentees != have_mentees:
            set_mentees(mentees)
        if (years, mentees) != (have_years, have_mentees):
            analyze()
        cache.clear()

    def first_load(self) -> None:
        """The dashboard's first visit as production serves it: static files collected
        (hashed, with .br and .gz copies) and served by whitenoise, HTML through the
        gzip middleware; every byte of the page and of its stylesheets and scripts."""
        from tracker.models import User

        with tempfile.TemporaryDirectory(prefix="rampup-static-") as root:
            production = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
            with override_settings(
                STATIC_ROOT=root,
                STORAGES={**settings.STORAGES, "staticfiles": production},
                WHITENOISE_USE_FINDERS=False,
                WHITENOISE_AUTOREFRESH=False,
            ):
                call_command("collectstatic", interactive=False, verbosity=0)
                cache.clear()  # no fragment rendered with unhashed static URLs
                client = Client(secure=True, headers={"accept-encoding": "br, gzip"})
                client.force_login(User.objects.get(username="showcase"))
                rows = first_load_sizes(client, "/dashboard/")
        total = sum(sent for _, _, sent in rows)
        self.stdout.write(
            "\nmanage.py bench --first-load: the dashboard's first load, production "
            "setup, Accept-Encoding: br, gzip\n"
        )
        write_table(
            self.stdout.write,
            [("url", 58), ("encoding", 8), ("bytes", 7)],
            [*rows, ("total", "", total)],
        )
        ok = total <= FIRST_LOAD_TARGET
        self.stdout.write(
            f"\n{total / 1024:.1f} KB, target ≤ {FIRST_LOAD_TARGET // 1024} KB: "
            + ("ok" if ok else "MISS")
        )

    def growth(self, learners: int, iterations: int, warmup: int) -> list[Growth]:
        """One learner count: the whole site at 1 and at 3 years (50 mentees), then the
        mentor's pages at 5 and at 200 mentees."""
        rows = []
        matrix = [(1, 50, None), (3, 50, None), (3, 5, MENTOR_PAGES), (3, 200, MENTOR_PAGES)]
        for years, mentees, only in matrix:
            started = time.perf_counter()
            self.settle(years, mentees)
            measured = {}
            for cold in (False, True):
                measured[cold] = self.measure(iterations, warmup, cold, only=only)
            for warm, cold_ in zip(measured[False], measured[True], strict=True):
                rows.append(Growth(warm.page, learners, years, mentees, cold_, warm))
            self.stdout.write(
                f"  {learners} learners, {years} year(s), {mentees} mentees: measured in "
                f"{time.perf_counter() - started:.1f} s"
            )
        return rows

    def measure(
        self,
        iterations: int,
        warmup: int,
        cold: bool,
        only: Sequence[str] | None = None,
        after_write: bool = False,
    ) -> list[Result]:
        from tracker.cache import AREAS, bump_learner
        from tracker.models import User

        # The floor has a user of its own, whom no other page touches (nor --cold).
        User.objects.get_or_create(username="bench-floor")
        pages = [p for p in key_pages() if only is None or p.name in only]
        clients: dict[str | None, Client] = {None: Client()}
        for page in pages:
            if page.who and page.who not in clients:
                clients[page.who] = Client()
                clients[page.who].force_login(User.objects.get(username=page.who))
        names = {name for page in pages for name in page.subjects}
        ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))

        turns = {page.name: itertools.cycle(AREAS) for page in pages}  # each page's own

        def chill(page: Page, area: str | None = None) -> None:
            if cold or after_write:
                areas = AREAS if cold else (area or next(turns[page.name]),)
                for name in page.subjects:
                    bump_learner(ids[name], areas)

        for _ in range(warmup):
            for page in pages:
                response = clients[page.who].get(page.url)
                if response.status_code != 200:
                    raise CommandError(f"{page.name} ({page.url}) answered {response.status_code}")
        queries = {}
        for page in pages:
            counts = []
            for area in AREAS if after_write else (None,):
                chill(page, area)
                with CaptureQueriesContext(connection) as ctx:
                    clients[page.who].get(page.url)
                counts.append(len(ctx))
            queries[page.name] = max(counts)
        # Round-robin, so a noisy second on the machine hits every page alike.
        samples: dict[str, list[float]] = {page.name: [] for page in pages}
        for _ in range(iterations):
            for page in pages:
                chill(page)  # the floor has no subjects: it stays the floor
                start = time.perf_counter_ns()
                clients[page.who].get(page.url)
                samples[page.name].append((time.perf_counter_ns() - start) / 1e6)
        results = [
            Result(
                page.name,
                queries[page.name],
                round(median(samples[page.name]), 3),
                round(p95(samples[page.name]), 3),
            )
            for page in pages
        ]
        floor = results[0].median_ms
        for r in results:
            r.ratio = round(r.median_ms / floor, 2)
        return results

    def print_table(self, results: list[Result], iterations: int) -> None:
        db = connection.vendor
        state = {
            "everything": "cold learner fragments (every area bumped)",
            "one area": "after one write (one area bumped, each in turn)",
        }.get(self.cold, "warm caches")
        self.stdout.write(
            f"\nmanage.py bench {self.options}\n"
            f"{iterations} requests per page on {db}, {state}; targets: ratio ≤ "
            f"{RATIO_TARGET:g}, queries ≤ {QUERY_TARGET}\n"
        )
        write_table(
            self.stdout.write,
            [("page", 26), ("queries", 7), ("median ms", 9), ("p95 ms", 8), ("ratio", 5), ("", 4)],
            [
                (
                    r.page,
                    r.queries,
                    ms(r.median_ms),
                    ms(r.p95_ms),
                    f"{r.ratio:.2f}",
                    " ok " if r.ok else "MISS",
                )
                for r in results
            ],
        )
        missed = [r.page for r in results if not r.ok]
        self.stdout.write(
            "\nAll pages meet the targets."
            if not missed
            else f"\nMissing the targets: {', '.join(missed)}"
        )

    def print_growth(self, rows: list[Growth], iterations: int) -> None:
        """The growth table, page by page so a page's growth reads down one block."""
        self.stdout.write(
            f"\nGrowth on {connection.vendor}, {iterations} requests per page and state; "
            f"ratio to the floor page of the same setting; targets: ratio ≤ "
            f"{RATIO_TARGET:g}, queries ≤ {QUERY_TARGET}, cold and warm\n"
        )
        order = {name: i for i, name in enumerate(dict.fromkeys(r.page for r in rows))}
        write_table(
            self.stdout.write,
            [
                ("page", 24),
                ("learners", 8),
                ("years", 5),
                ("mentees", 7),
                ("cold ×", 6),
                ("warm ×", 6),
                ("cold ms", 7),
                ("queries cold/warm", 17),
                ("", 4),
            ],
            [
                (
                    r.page,
                    f"{r.learners:,}",
                    r.years,
                    r.mentees,
                    f"{r.cold.ratio:.2f}",
                    f"{r.warm.ratio:.2f}",
                    ms(r.cold.median_ms),
                    f"{r.cold.queries}/{r.warm.queries}",
                    " ok " if r.ok else "MISS",
                )
                for r in sorted(rows, key=lambda r: order[r.page])
                if r.page != "floor"
            ],
        )
        missed = sorted({r.page for r in rows if not r.ok}, key=order.get)
        self.stdout.write(
            "\nEvery page meets the targets in every setting."
            if not missed
            else f"\nMissing the targets somewhere: {', '.join(missed)}"
        )


def first_load_sizes(client: Client, url: str) -> list[tuple[str, str, int]]:
    """(url, content encoding, bytes transferred) for the page at `url` and each
    stylesheet and script it links to under /static/."""

    def fetch(path: str) -> tuple[bytes, str]:
        response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body, response.get("Content-Encoding", "")

    html, encoding = fetch(url)
    text = (gzip.decompress(html) if encoding == "gzip" else html).decode()
    rows = [(url, encoding or "-", len(html))]
    pattern = r'(?:href|src)="(/static/[^"?#]+\.(?:css|js))"'
    for asset in dict.fromkeys(re.findall(pattern, text)):
        body, encoding = fetch(asset)
        rows.append((asset, encoding or "-", len(body)))
    return rows


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
