"""The study log and the dashboard: entries, weekly totals, streak, query counts, access."""

from __future__ import annotations

from datetime import timedelta

import pytest

from roadmap.models import Goal, Phase
from tracker import schedule
from tracker.cache import bump_learner
from tracker.models import StudyLog
from tracker.services import item_set_status, studylog_add

pytestmark = pytest.mark.django_db


def today_of(user):
    return schedule.today_for(user.time_zone)


def test_logging_study_shows_in_totals_and_streak(learner_client, learner, plan):
    today = today_of(learner)
    for d in range(3):
        learner_client.post("/log/", {"date": (today - timedelta(days=d)).isoformat(),
                                      "minutes": 90, "what": "NCCL tutorial"})  # fmt: skip
    assert StudyLog.objects.filter(learner=learner).count() == 3
    body = learner_client.get("/log/").content.decode()
    assert "Streak: <strong>3 days</strong>" in body
    assert "NCCL tutorial" in body


@pytest.mark.parametrize(("data", "message"), [
    ({"minutes": 0}, "Log at least 1 minute."),
    ({"minutes": 2000}, "A day has 1,440 minutes."),
    ({"date": "2999-01-01"}, "hasn&#x27;t happened yet"),
    ({"what": ""}, "This field is required."),
])  # fmt: skip
def test_bad_log_input_gets_a_message(learner_client, learner, data, message):
    base = {"date": today_of(learner).isoformat(), "minutes": 30, "what": "x"}
    response = learner_client.post("/log/", {**base, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StudyLog.objects.exists()


def test_another_learner_cannot_delete_my_entry_or_see_it(client, learner, other_learner):
    entry = studylog_add(learner=learner, day=today_of(learner), minutes=30, phase=None,
                         what="secret study")  # fmt: skip
    client.force_login(other_learner)
    assert client.post(f"/log/{entry.pk}/delete/").status_code == 404
    assert "secret study" not in client.get("/log/").content.decode()
    assert StudyLog.objects.filter(pk=entry.pk).exists()
    client.force_login(learner)
    client.post(f"/log/{entry.pk}/delete/")
    assert not StudyLog.objects.filter(pk=entry.pk).exists()


def test_streak_counts_completed_items_in_the_learners_time_zone(learner_client, learner, plan):
    learner.time_zone = "Pacific/Tongatapu"
    learner.save()
    item_set_status(learner=learner, item=Goal.objects.current().first(), status="done")
    body = learner_client.get("/dashboard/").content.decode()
    assert "1 day</p>" in body


def test_dashboard_without_a_plan_invites_to_create_one(learner_client):
    body = learner_client.get("/dashboard/").content.decode()
    assert "Create your plan" in body


def test_logged_in_home_goes_to_the_dashboard(learner_client):
    assert learner_client.get("/")["Location"] == "/dashboard/"


def test_dashboard_shows_status_next_actions_and_chart(learner_client, learner, plan):
    first = Phase.objects.current().first()
    goals = list(first.goals.all())
    item_set_status(learner=learner, item=goals[0], status="done")
    body = learner_client.get("/dashboard/").content.decode()
    assert "Behind by" in body
    assert goals[1].title in body and f"#goal-{goals[1].pk}" in body
    assert '<polyline class="chart-actual"' in body
    assert "Done: " + goals[0].title in body


def test_anonymous_dashboard_and_log_redirect_to_login(client):
    for url in ("/dashboard/", "/log/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _grow(learner, n: int) -> None:
    today = today_of(learner)
    phase = Phase.objects.current().first()
    for i in range(n):
        g = Goal.objects.create(phase=phase, key=f"bulk-{n}-{i}", order=100 + i, title=f"G{i}")
        item_set_status(learner=learner, item=g, status="done")
        studylog_add(learner=learner, day=today - timedelta(days=i % 300), minutes=20,
                     phase=phase, what=f"w{i}")  # fmt: skip


@pytest.mark.parametrize(("url", "queries"), [
    # session; user (+plan); item progress; submissions; study log of the last 400 days;
    # practice: the first due card, then (none due) the first new question; the latest
    # self-assessment (none, so no scores); unread notifications (the badge)
    ("/dashboard/", 9),
    # session; user (+plan); minutes by day; streak: log days, completed items; recent logs;
    # unread notifications (the badge)
    ("/log/", 7),
])  # fmt: skip
def test_query_counts_do_not_grow_with_the_data(learner_client, learner, plan, url, queries,
                                                django_assert_num_queries):  # fmt: skip
    def measure() -> None:
        learner_client.get(url)  # warms the content cache
        bump_learner(learner.pk)  # …and forgets the learner's rendered fragments
        with django_assert_num_queries(queries):
            assert learner_client.get(url).status_code == 200
        # session; user (+plan): everything else from the fragment cache
        with django_assert_num_queries(2):
            assert learner_client.get(url).status_code == 200

    _grow(learner, 1)
    measure()
    _grow(learner, 50)
    measure()


def test_cached_pages_show_a_change_at_once(learner_client, learner, plan):
    goal = Phase.objects.current().first().goals.first()
    before = learner_client.get("/dashboard/").content.decode()
    log_before = learner_client.get("/log/").content.decode()
    learner_client.post(f"/progress/goal/{goal.pk}/status/", {"status": "done"})
    learner_client.post("/log/", {"date": today_of(learner).isoformat(), "minutes": 25,
                                  "what": "Fresh entry"})  # fmt: skip
    after = learner_client.get("/dashboard/").content.decode()
    assert "0%</p>" in before and "0%</p>" not in after
    assert f"Done: {goal.title}" in after
    assert "Fresh entry" not in log_before
    assert "Fresh entry" in learner_client.get("/log/").content.decode()
