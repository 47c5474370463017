"""`manage.py bench`: how fast each key page is, relative to a floor page, on realistic data.

It builds a throwaway database (Django's test-database machinery: a file for SQLite,
`test_<name>` on PostgreSQL), loads the roadmap and `make_demo_data`, warms up, then
requests every key page round-robin through the full middleware stack with Django's
test client, logged in as the right user. Timings are compared with a floor page
measured in the same run (same middleware and base.html, no queries of its own), so
the ratio means the same on a fast laptop and a busy CI machine.

Targets: median ≤ 3× the floor, ≤ 10 queries per page.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ..benchstats import median, ms, p95, write_table

RATIO_TARGET = 3.0
QUERY_TARGET = 10


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


def key_pages() -> list[tuple[str, str, str | None]]:
    """(name, url, username or None for anonymous), the floor first."""
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
    _job_search(showcase)
    offer = "base=9000&period=month&currency=USD&level=senior&region=Singapore"
    return [
        ("floor", "/__bench__/floor/", "bench-floor"),
        ("home", "/", None),
        ("roadmap", "/roadmap/", None),
        ("phase", f"/roadmap/{phase.key}/", None),
        ("skills", "/skills/", None),
        ("rubric", "/rubric/", None),
        ("questions", "/questions/", None),
        ("questions filtered", "/questions/?level=advanced", None),
        ("question", f"/questions/{question.key}/", None),
        ("career", "/career/", None),
        ("dashboard", "/dashboard/", "showcase"),
        ("phase with progress", f"/roadmap/{progress_phase.key}/", "showcase"),
        ("milestone (long thread)", f"/milestones/{submission.pk}/", "showcase"),
        ("study log", "/log/", "showcase"),
        ("plan", "/plan/", "showcase"),
        ("practice queue", "/practice/", "showcase"),
        ("practice answer", f"/practice/{question.key}/", "showcase"),
        ("practice stats", "/practice/stats/", "showcase"),
        ("mock interviews", "/interview/", "showcase"),
        ("assessment", "/assessment/", "showcase"),
        ("mentor home (51 mentees)", "/mentor/", "mentor-01"),
        ("mentee view", "/mentor/showcase/", "mentor-01"),
        ("public portfolio", "/u/showcase/", None),
        ("progress card", "/u/showcase/card.png", None),
        ("job board (200 applications)", "/jobs/", "showcase"),
        ("job funnel", "/jobs/funnel/", "showcase"),
        ("offer check", f"/jobs/offer/?{offer}", "showcase"),
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


class Command(BaseCommand):
    help = "Measure every key page against a floor page on a throwaway database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--iterations", type=int, default=200)
        parser.add_argument("--warmup", type=int, default=20)
        parser.add_argument("--learners", type=int, default=1000)
        parser.add_argument("--mentors", type=int, default=20)
        parser.add_argument("--json", dest="json_path", help="also write the figures here")
        parser.add_argument(
            "--cold",
            action="store_true",
            help="forget the learner's cached fragments before every request: the cost of "
            "the first view after a change",
        )

    def handle(
        self,
        *args,
        iterations: int,
        warmup: int,
        learners: int,
        mentors: int,
        json_path: str | None,
        cold: bool = False,
        **options,
    ) -> None:
        if iterations < 1:
            raise CommandError("--iterations must be at least 1")
        self.cold = cold
        db = settings.DATABASES["default"]
        tmp = tempfile.TemporaryDirectory(prefix="rampup-bench-")
        if db["ENGINE"].endswith("sqlite3"):
            # A file, like production SQLite, not the in-memory default.
            db.setdefault("TEST", {})["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
        creation = connection.creation
        old_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            self.stdout.write(f"Building the dataset: {learners} learners, {mentors} mentors…")
            started = time.perf_counter()
            call_command("load_roadmap", stdout=_Null())
            call_command("make_demo_data", learners=learners, mentors=mentors, stdout=_Null())
            self.stdout.write(f"  built in {time.perf_counter() - started:.1f} s")
            with override_settings(ROOT_URLCONF="tracker.bench_urls", DEBUG=False):
                results = self.measure(iterations, warmup, cold)
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
            tmp.cleanup()
        self.print_table(results, iterations)
        if json_path:
            Path(json_path).write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
            self.stdout.write(f"Figures written to {json_path}")

    def measure(self, iterations: int, warmup: int, cold: bool) -> list[Result]:
        from tracker.cache import bump_learner
        from tracker.models import User

        # The floor has a user of its own, whom no other page touches (nor --cold).
        User.objects.get_or_create(username="bench-floor")
        pages = key_pages()
        clients: dict[str | None, Client] = {None: Client()}
        for _, _, username in pages:
            if username and username not in clients:
                clients[username] = Client()
                clients[username].force_login(User.objects.get(username=username))
        for _ in range(warmup):
            for name, url, who in pages:
                response = clients[who].get(url)
                if response.status_code != 200:
                    raise CommandError(f"{name} ({url}) answered {response.status_code}")
        queries = {}
        ids = {who: User.objects.get(username=who).pk for _, _, who in pages if who}
        for name, url, who in pages:
            if cold and who and name != "floor":
                bump_learner(ids[who])
            with CaptureQueriesContext(connection) as ctx:
                clients[who].get(url)
            queries[name] = len(ctx)
        # Round-robin, so a noisy second on the machine hits every page alike.
        samples: dict[str, list[float]] = {name: [] for name, _, _ in pages}
        for _ in range(iterations):
            for name, url, who in pages:
                if cold and who and name != "floor":  # the floor stays the floor
                    bump_learner(ids[who])
                start = time.perf_counter_ns()
                clients[who].get(url)
                samples[name].append((time.perf_counter_ns() - start) / 1e6)
        results = [
            Result(
                name, queries[name], round(median(samples[name]), 3), round(p95(samples[name]), 3)
            )
            for name, _, _ in pages
        ]
        floor = results[0].median_ms
        for r in results:
            r.ratio = round(r.median_ms / floor, 2)
        return results

    def print_table(self, results: list[Result], iterations: int) -> None:
        db = connection.vendor
        state = "cold learner fragments" if self.cold else "warm caches"
        self.stdout.write(
            f"\n{iterations} requests per page on {db}, {state}; targets: ratio ≤ "
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


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
