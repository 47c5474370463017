"""Two task workers against one PostgreSQL never run the same task twice.

A throwaway database (as `make bench-load` builds one) gets TASKS emails queued; two
`manage.py db_worker --batch` processes start together and drain the queue, each
printing the emails it sends (console backend). Every task must have run exactly once:
each message appears once across both outputs, every task row succeeded with one
worker id, and both workers took a share. Needs the local PostgreSQL (127.0.0.1).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections import Counter

import psycopg
import pytest
from django.conf import settings

from tracker.management.commands.bench_load import (
    POSTGRES_URL,
    _create_database,
    _drop_database,
    _manage,
)

pytestmark = pytest.mark.integration

TASKS = 400

ENQUEUE = f"""
from tracker.mail import send_email
for i in range({TASKS}):
    send_email(to=f"learner{{i}}@example.com", subject=f"Reminder {{i}}", body="Study today")
"""


def test_two_workers_never_run_the_same_task_twice():
    db_name = f"rampup_workers_{os.getpid()}_{secrets.token_hex(3)}"
    database_url = f"{POSTGRES_URL}/{db_name}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASK_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
    }
    _create_database(db_name)
    try:
        _manage(["migrate", "--no-input"], env)
        _manage(["shell", "-c", ENQUEUE], env)
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
                + ["--no-startup-delay", "--interval", "0", "--worker-id", name],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for name in ("worker-a", "worker-b")
        ]
        outputs = [w.communicate(timeout=300)[0] for w in workers]
        elapsed = time.perf_counter() - started
        assert [w.returncode for w in workers] == [0, 0], outputs
        sent = Counter(
            to for out in outputs for to in re.findall(r"^To: (\S+)$", out, re.MULTILINE)
        )
        per_worker = [len(re.findall(r"^To: ", out, re.MULTILINE)) for out in outputs]
        with psycopg.connect(database_url) as conn:
            rows = conn.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
            ).fetchall()
    finally:
        _drop_database(db_name)
    print(
        f"\n{TASKS} email tasks, 2 workers, {elapsed:.1f} s: worker-a sent {per_worker[0]}, "
        f"worker-b sent {per_worker[1]}; {len(sent)} distinct recipients, "
        f"most sends to one recipient: {max(sent.values())}; task rows: "
        f"{dict(Counter(status for status, _ in rows))}, rows claimed more than once: "
        f"{sum(len(ids) != 1 for _, ids in rows)}"
    )
    assert len(rows) == TASKS
    assert all(status == "SUCCESSFUL" and len(ids) == 1 for status, ids in rows)
    assert sent == Counter({f"learner{i}@example.com": 1 for i in range(TASKS)})
    assert all(per_worker), f"one worker did everything: {per_worker}"
