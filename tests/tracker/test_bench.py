"""`manage.py bench --keep-db`: a dataset built once, kept, and measured again later.

SQLite only (the kept datasets are files in a temporary directory): on PostgreSQL the
command would create and drop `rampup_bench_*` databases on the server the suite uses,
where the real growth datasets live.
"""

from __future__ import annotations

import gzip
import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tracker.cache import AREAS
from tracker.management.commands import bench
from tracker.management.commands.make_demo_data import demo_setting

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="kept datasets are tested as SQLite files"
)


@pytest.fixture
def own_database(django_db_blocker):
    """The command points the default connection at a database of its own. The suite's
    in-memory database is set aside meanwhile, not closed (closing would drop it)."""
    with django_db_blocker.unblock():
        saved = connection.connection
        connection.connection = None
        try:
            yield
        finally:
            connection.close()
            connection.connection = saved


@pytest.fixture
def seen(monkeypatch):
    """Replaces the timing with a record of what each measurement ran against."""
    from tracker.models import Assessment, User

    runs = []

    def measure(self, iterations, warmup, cold, only=None, after_write=False):
        runs.append(
            {
                "database": str(connection.settings_dict["NAME"]),
                "learners": User.objects.filter(username__startswith="demo-bulk-").count(),
                "setting": demo_setting(),
                "assessments": Assessment.objects.filter(learner__username="showcase").count(),
                "sessions table": "django_session" in connection.introspection.table_names(),
            }
        )
        return [bench.Result("floor", 1, 1.0, 1.0, 1.0)]

    monkeypatch.setattr(bench.Command, "measure", measure)
    return runs


def run_bench(tmp_path, **options) -> str:
    out = StringIO()
    call_command(
        "bench",
        keep_db=True,
        db_dir=str(tmp_path),
        learners=3,
        mentors=2,
        iterations=1,
        warmup=0,
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_keep_db_builds_once_then_reuses_migrates_and_reads_the_setting(
    tmp_path, own_database, seen
):
    kept = tmp_path / "rampup_bench_3_2m.sqlite3"
    out = run_bench(tmp_path, years=1, mentees=2)
    assert "Building the dataset: 3 learners, 2 mentors" in out
    assert kept.exists()
    assert seen[-1]["database"] == str(kept) and seen[-1]["learners"] == 3
    assert seen[-1]["setting"] == (1, 2) and seen[-1]["assessments"] == 12
    assert "--learners 3 --mentors 2 --years 1 --mentees 2" in out  # the options, printed

    # A later migration the kept dataset has not seen: the reuse applies it.
    with sqlite3.connect(kept) as db:
        db.execute("DROP TABLE django_session")
        db.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
    db.close()

    # The growth matrix on the kept dataset, left with 2 mentees: its first setting
    # (50 asked) gets every mentee there is because the data says 2, where a fresh
    # build's 50 would be assumed.
    out = run_bench(tmp_path, growth=True, growth_learners="3")
    assert "Reusing the dataset" in out and "Building" not in out
    assert "--growth-learners 3 --mentors 2 --iterations 1 --warmup 0 --keep-db" in out
    assert all(run["database"] == str(kept) and run["learners"] == 3 for run in seen)
    assert seen[-1]["sessions table"]
    # Warm and cold in each of its four settings (3 learners: 3 mentees at most).
    assert [run["setting"] for run in seen[1:]] == [(1, 3)] * 2 + [(3, 3)] * 6
    assert seen[1]["assessments"] == 12 and seen[-1]["assessments"] == 36
    # The suite's own database is back in place afterwards.
    assert str(connection.settings_dict["NAME"]) != str(kept)


def test_drop_db_removes_the_kept_datasets_only(tmp_path):
    for name in ("rampup_bench_1000.sqlite3", "rampup_bench_1000.sqlite3-wal", "other.sqlite3"):
        (tmp_path / name).write_text("")
    out = StringIO()
    call_command("bench", drop_db=True, db_dir=str(tmp_path), stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]
    assert "Dropped" in out.getvalue()


@pytest.mark.django_db
def test_first_load_counts_the_page_and_its_stylesheets_and_scripts_as_sent(learner, plan):
    from django.test import Client, override_settings

    # Whitenoise serving straight from the finders: no collectstatic in the suite.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        client = Client(headers={"accept-encoding": "gzip"})
        client.force_login(learner)
        rows = bench.first_load_sizes(client, "/dashboard/")
        html = client.get("/dashboard/")
    urls = [url for url, _, _ in rows]
    assert urls[0] == "/dashboard/" and rows[0][1] == "gzip"
    # Compressed as sent (its length varies a little: the BREACH padding is random).
    assert rows[0][2] < len(gzip.decompress(html.content)) / 2
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls)
    assert len(urls) == len(set(urls)) and all(sent > 0 for _, _, sent in rows)


@pytest.mark.parametrize(
    ("options", "bumped"),
    [
        ({"cold": True}, [AREAS] * 7),
        ({"after_write": True}, [(a,) for a in AREAS] + [(a,) for a in AREAS[:2]]),
        ({}, []),
    ],
)
def test_cold_bumps_every_area_and_after_write_one_area_in_turn(
    monkeypatch, learner, plan, options, bumped
):
    """--cold: every area of the page's learner before each request; --after-write: one
    area in turn (the query count, taken once per area, is the most any area costs);
    warm: none. The floor, with no subjects, is never bumped."""
    calls = []
    monkeypatch.setattr(
        bench,
        "key_pages",
        lambda: [
            bench.Page("floor", "/healthz/", None),
            bench.Page("dashboard", "/dashboard/", "lena", ("lena",)),
        ],
    )
    monkeypatch.setattr(
        "tracker.cache.bump_learner", lambda pk, areas=AREAS: calls.append((pk, tuple(areas)))
    )
    results = bench.Command().measure(
        iterations=2 if options.get("after_write") else 6, warmup=1, **{"cold": False, **options}
    )
    assert [r.page for r in results] == ["floor", "dashboard"]
    # (Writes bump too, e.g. the floor's own user when it is made: those are not --cold's.)
    assert [areas for pk, areas in calls if pk == learner.pk] == bumped
    assert results[1].queries > 0
