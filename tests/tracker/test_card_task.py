"""The progress card is drawn by a task and stored: a visit serves the stored card, a
stale one while one redraw is queued, and draws inline only the very first card (or when
the queue cannot take the task). The suite's immediate backend runs the task at once;
the tests of the queue itself switch to the database backend and run a worker here."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from PIL import Image

from roadmap.models import Phase
from tests.conftest import make_plan
from tests.tracker.test_page_query_pins import approve_first_milestone, grow
from tracker import portfolio as portfolio_module
from tracker.account_deletion import delete_account
from tracker.cache import bump_learner
from tracker.models import ProgressCard
from tracker.plans import item_set_status
from tracker.portability import export_user
from tracker.portfolio import REDRAW_PATIENCE, card_version
from tracker.tasks import draw_progress_card

pytestmark = pytest.mark.django_db

URL = "/u/lena/card.png"
TASK_PATH = "tracker.tasks.draw_progress_card"


@pytest.fixture
def shared(learner):
    learner.portfolio_public = True
    learner.save()
    make_plan(learner)
    return learner


@pytest.fixture
def queue(settings):
    """The database queue, as in production (nothing runs until a worker takes it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_DELAYS = [0, 0]


def run_worker() -> None:
    """A worker taking every queued task, here (it closes the database connection when
    done: tests that run it use the transactional database)."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def change_progress(learner) -> None:
    goal = Phase.objects.current().order_by("order").first().goals.first()
    item_set_status(learner=learner, item=goal, status="done")


def card_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at"))


def test_the_task_draws_and_stores_the_card(shared):
    assert not ProgressCard.objects.exists()
    result = draw_progress_card.enqueue(learner_id=shared.pk)
    assert result.status == "SUCCESSFUL"
    stored = ProgressCard.objects.get(learner=shared)
    assert stored.version == card_version(shared)
    assert Image.open(io.BytesIO(bytes(stored.png))).size == (1200, 630)


def test_the_first_visit_draws_inline_once_and_later_visits_read_the_stored_card(
    client, shared, queue
):
    with mock.patch.object(portfolio_module, "draw_card", wraps=portfolio_module.draw_card) as draw:
        first = client.get(URL)
        again = client.get(URL)
    assert draw.call_count == 1 and card_tasks() == []  # nothing queued for a current card
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "image/png" and first.content == again.content
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["ETag"] == f'"{card_version(shared)}"'
    # A preview that has it asks again with its ETag: not modified, no body.
    repeat = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert repeat.status_code == 304 and repeat.content == b""


def test_a_stale_card_is_served_while_one_redraw_is_queued(transactional_db, client, shared, queue):
    old = client.get(URL)  # drawn inline: the first card
    change_progress(shared)
    with mock.patch.object(portfolio_module, "draw_card") as draw:
        responses = [client.get(URL) for _ in range(3)]
    assert draw.call_count == 0  # not inside the request
    assert all(r.status_code == 200 and r.content == old.content for r in responses)
    assert all(r["Cache-Control"] == "public, max-age=60" for r in responses)
    assert all(r["ETag"] == old["ETag"] for r in responses)  # the stale card's own
    (queued,) = card_tasks()  # three visits, one task
    assert queued.args_kwargs["kwargs"] == {"learner_id": shared.pk}
    run_worker()
    (done,) = card_tasks()
    assert done.status == "SUCCESSFUL"
    fresh = client.get(URL)
    assert fresh.content != old.content and fresh["Cache-Control"] == "public, max-age=300"
    assert fresh["ETag"] == f'"{card_version(shared)}"'
    assert len(card_tasks()) == 1


def test_a_redraw_queued_long_ago_and_never_done_is_queued_again(client, shared, queue):
    client.get(URL)
    change_progress(shared)
    client.get(URL)
    client.get(URL)
    assert len(card_tasks()) == 1
    ProgressCard.objects.update(pending_since=timezone.now() - REDRAW_PATIENCE - timedelta(1))
    client.get(URL)
    assert len(card_tasks()) == 2


def test_a_failing_draw_is_retried_left_failed_in_the_admin_and_never_a_500(
    transactional_db, client, shared, queue, caplog
):
    old = client.get(URL).content
    change_progress(shared)
    with mock.patch.object(portfolio_module, "draw_card", side_effect=OSError("font gone")):
        assert client.get(URL).content == old  # queued
        run_worker()
        tries = card_tasks()
        assert [t.status for t in tries] == ["FAILED"] * 3  # three tries, each visible
        assert "font gone" in tries[0].traceback
        assert "not drawn after 3 tries" in caplog.text
        stale = client.get(URL)
    assert stale.status_code == 200 and stale.content == old
    assert len(card_tasks()) == 3  # the claim stands: no new task per visit meanwhile


def test_without_a_queue_the_card_is_drawn_inline(client, shared, queue):
    old = client.get(URL).content
    change_progress(shared)
    with mock.patch.object(
        type(draw_progress_card), "enqueue", side_effect=RuntimeError("no task backend")
    ):
        response = client.get(URL)
    assert response.status_code == 200 and response.content != old
    assert response["Cache-Control"] == "public, max-age=300"
    assert ProgressCard.objects.get().version == card_version(shared)


def test_a_card_that_cannot_be_drawn_at_all_is_the_neutral_card(client, shared):
    with mock.patch.object(portfolio_module, "draw_card", side_effect=OSError("font gone")):
        response = client.get(URL)
    assert response.status_code == 200 and response.content == portfolio_module.neutral_card()
    assert response["Cache-Control"] == "no-cache" and not response.has_header("ETag")
    assert not ProgressCard.objects.exists()
    assert client.get(URL).content != response.content  # drawn once it can be


def test_stopping_sharing_404s_the_card_and_drops_the_stored_one(client, shared):
    assert client.get(URL).status_code == 200
    assert ProgressCard.objects.filter(learner=shared).exists()
    client.force_login(shared)
    response = client.post(
        "/settings/",
        {"display_name": "", "time_zone": "UTC", "daily_new_cap": 5, "daily_review_cap": 30},
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(URL).status_code == 404
    assert not ProgressCard.objects.exists()


def test_a_queued_redraw_for_a_learner_who_stopped_sharing_drops_the_card(client, shared):
    client.get(URL)
    type(shared).objects.filter(pk=shared.pk).update(portfolio_public=False)
    draw_progress_card.enqueue(learner_id=shared.pk)
    assert not ProgressCard.objects.exists()
    assert client.get(URL).status_code == 404


def test_account_deletion_removes_the_card_and_export_leaves_it_out(client, shared):
    client.get(URL)
    data = json.dumps(export_user(shared, base_url="http://testserver"))
    assert "progress_card" not in data and "png" not in data  # derived: drawn again
    counts = delete_account(shared)
    assert counts["tracker.ProgressCard"] == 1
    assert not ProgressCard.objects.exists()


def card_counts(client, learner) -> tuple[int, int]:
    bump_learner(learner.pk)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(URL).status_code == 200
    run_worker()  # draws the queued card: the warm visit read the stale one
    return len(cold), len(warm)


def test_the_card_request_costs_the_same_at_1_and_50_items(
    transactional_db, client, shared, mentor, queue
):
    approve_first_milestone(shared, mentor)
    client.get(URL)  # the first card, drawn inline
    grow(shared, 1)
    small = card_counts(client, shared)
    grow(shared, 49)
    # cold: the learner (+their card); the claim of the redraw; the task row — warm: the
    # learner (+card), the redraw already claimed
    assert card_counts(client, shared) == small == (3, 1)
    with CaptureQueriesContext(connection) as current:
        client.get(URL)
    assert len(current) == 1  # the redrawn card, current


def test_the_task_costs_the_same_at_1_and_50_items(shared, mentor):
    approve_first_milestone(shared, mentor)
    draw_progress_card.enqueue(learner_id=shared.pk)
    sizes = []
    for n in (1, 49):
        grow(shared, n)  # new goals: the content caches fill again on the next draw
        draw_progress_card.enqueue(learner_id=shared.pk)
        bump_learner(shared.pk)
        with CaptureQueriesContext(connection) as ctx:
            draw_progress_card.enqueue(learner_id=shared.pk)
        sizes.append(len(ctx))
    # the learner (+plan); submissions; item progress; the latest scores; study days;
    # the stored card's update
    assert sizes == [6, 6]
