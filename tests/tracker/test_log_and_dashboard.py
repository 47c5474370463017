"""The study log and the dashboard: entries, weekly totals, streak, query counts, access."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.models import Goal, Phase, Question
from tracker import schedule
from tracker.activity import learner_activity, streak_for
from tracker.cache import bump_learner
from tracker.models import Card, StudyLog
from tracker.plans import item_set_status, studylog_add
from tracker.practice import answer_rate, answer_save, build_queue
from tracker.progress import learner_progress

pytestmark = pytest.mark.django_db


def today_of(user):
    return schedule.today_for(user.time_zone)


def test_logging_study_shows_in_totals_and_streak(learner_client, learner, plan):
    today = today_of(learner)
    for d in range(3):
        learner_client.post(
            "/log/",
            {
                "date": (today - timedelta(days=d)).isoformat(),
                "minutes": 90,
                "what": "NCCL tutorial",
            },
        )
    assert StudyLog.objects.filter(learner=learner).count() == 3
    body = learner_client.get("/log/").content.decode()
    assert "Streak: <strong>3 days</strong>" in body
    assert "NCCL tutorial" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"minutes": 0}, "Log at least 1 minute."),
        ({"minutes": 2000}, "A day has 1,440 minutes."),
        ({"date": "2999-01-01"}, "hasn&#x27;t happened yet"),
        ({"what": ""}, "This field is required."),
    ],
)
def test_bad_log_input_gets_a_message(learner_client, learner, data, message):
    base = {"date": today_of(learner).isoformat(), "minutes": 30, "what": "x"}
    response = learner_client.post("/log/", {**base, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StudyLog.objects.exists()


def test_the_log_lists_entries_escaped_with_day_phase_and_a_delete_button(
    learner_client, learner, plan
):
    day = today_of(learner) - timedelta(days=2)
    phase = Phase.objects.current().first()
    entry = studylog_add(
        learner=learner, day=day, minutes=45, phase=phase, what="<script>x</script> & more"
    )
    studylog_add(learner=learner, day=day, minutes=30, phase=None, what="then more")
    body = learner_client.get("/log/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more" in body
    assert "<script>x</script>" not in body
    assert f"<strong>{day:%a} {day.day} {day:%b}</strong> · 45 min" in body
    assert f'<span class="tag">Phase {phase.order}</span>' in body
    assert f'formaction="{entry.pk}/delete/"' in body
    assert "30 min<br>then more" in body  # no phase, no tag
    # The streak counts the days the weekly totals read: and the logs' own query agrees.
    assert streak_for(learner, today_of(learner)) == streak_for(
        learner, today_of(learner), logged_days=[day]
    )


def test_another_learner_cannot_delete_my_entry_or_see_it(client, learner, other_learner):
    entry = studylog_add(
        learner=learner, day=today_of(learner), minutes=30, phase=None, what="secret study"
    )
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
        studylog_add(
            learner=learner,
            day=today - timedelta(days=i % 300),
            minutes=20,
            phase=phase,
            what=f"w{i}",
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session; user (+plan); item progress; submissions; study log of the last 400 days;
        # practice at a glance (one row of counts); the latest self and mentor scores
        # (shared with the readiness panel); unread notifications (the badge); the
        # readiness panel (hiring): the rounds passed and labs solved; the job search's
        # follow-ups
        ("/dashboard/", 10),
        # session; user (+plan); minutes by day (the weekly totals' and the streak's log
        # days); the streak's completed items; recent logs; unread notifications (the badge)
        ("/log/", 6),
    ],
)
def test_query_counts_do_not_grow_with_the_data(
    learner_client, learner, plan, url, queries, django_assert_num_queries
):
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
    learner_client.post(
        "/log/", {"date": today_of(learner).isoformat(), "minutes": 25, "what": "Fresh entry"}
    )
    after = learner_client.get("/dashboard/").content.decode()
    assert "0%</p>" in before and "0%</p>" not in after
    assert f"Done: {goal.title}" in after
    assert "Fresh entry" not in log_before
    assert "Fresh entry" in learner_client.get("/log/").content.decode()


# --- screens that say true things (issue 12, item 8) --------------------------------------


def _weight(phase) -> int:
    return phase.goals.count() * 3 + phase.resources.count() + 4


def test_the_dashboard_explains_the_forecast_by_pace_and_needed_pace(learner_client, learner, plan):
    first = Phase.objects.current().first()
    item_set_status(learner=learner, item=first.goals.first(), status="done")
    today = today_of(learner)
    total_weeks = sum(p.weeks for p in Phase.objects.current())
    gained = 3 / _weight(first) * first.weeks / total_weeks
    days_left = (schedule.plan_end(plan.start_date, 12) - today).days
    pace = f"{gained * 100 * 7 / 28:.1f}%"
    needed = f"{(1 - gained) * 100 * 7 / days_left:.1f}%"
    forecast = today + timedelta(days=math.ceil((1 - gained) * 28 / gained))
    last_day = schedule.plan_end(plan.start_date, 12) - timedelta(days=1)
    body = learner_client.get("/dashboard/").content.decode()
    assert (
        f"At your pace of the last 28 days ({pace} a week) you would finish on "
        f"{forecast:%-d %b %Y}; to finish on time ({last_day:%-d %b %Y}) you need {needed} a week."
    ) in body
    assert f"Plan ends {last_day:%-d %b %Y}" in body  # the last day, as the phase table says


def test_without_pace_the_dashboard_says_so_and_what_on_time_takes(learner_client, learner, plan):
    today = today_of(learner)
    last_day = schedule.plan_end(plan.start_date, 12) - timedelta(days=1)
    needed = f"{100 * 7 / ((last_day - today).days + 1):.1f}%"
    body = learner_client.get("/dashboard/").content.decode()
    assert (
        "No progress in the last 28 days, so there is no forecast yet; to finish on time "
        f"({last_day:%-d %b %Y}) you need {needed} a week."
    ) in body


def test_the_practice_tile_counts_due_and_new_apart_as_the_queue_does(
    learner_client, learner, plan
):
    questions = list(Question.objects.current().order_by("phase__order", "order")[:3])
    body = learner_client.get("/dashboard/").content.decode()
    assert "0 due · 5 new" in body  # five new questions wait: not "0 due today"
    assert 'href="/practice/"' in body
    # Two questions seen before and due again today; one new one started today.
    earlier = timezone.now() - timedelta(days=3)
    for q in questions[:2]:
        Card.objects.create(learner=learner, question=q, due=earlier, reps=1, last_review=earlier)
    answer = answer_save(user=learner, question=questions[2], body="x", submit=True, reveal=True)
    answer_rate(answer=answer, covered=[], qualities=[], rating=3)
    # No explicit cache bump: the cached fragment must see the practice rows change.
    queue = build_queue(learner, today_of(learner))
    assert (queue.due_today, len(queue.new)) == (2, 4)
    body = learner_client.get("/dashboard/").content.decode()
    assert "2 due · 4 new" in body
    assert f'href="/practice/{questions[0].key}/"' in body  # the most overdue first


def test_dashboard_and_queue_agree_when_the_cap_holds_reviews_back(learner_client, learner, plan):
    earlier = timezone.now() - timedelta(days=3)
    Card.objects.bulk_create(
        Card(learner=learner, question=q, due=earlier, reps=1, last_review=earlier)
        for q in Question.objects.current()[:8]
    )
    learner.daily_review_cap = 6
    learner.save(update_fields=["daily_review_cap"])
    queue = build_queue(learner, today_of(learner))
    assert (queue.due_today, len(queue.reviews), len(queue.new)) == (8, 6, 5)
    assert "6 due · 5 new" in learner_client.get("/dashboard/").content.decode()
    assert "Reviews for today (6)" in learner_client.get("/practice/").content.decode()


def test_crediting_a_phase_redates_the_cached_dashboard_at_once(learner_client, learner, plan):
    first = Phase.objects.current().first()
    body = learner_client.get("/dashboard/").content.decode()  # cached now
    before = learner_progress(plan, today=today_of(learner)).phases[0].window
    assert f"{before.start:%-d %b} – {before.end:%-d %b %y}" in body
    for goal in first.goals.all():
        learner_client.post(
            f"/progress/goal/{goal.pk}/status/",
            {"status": "credited", "evidence": "Ten years of it"},
        )
    after = learner_progress(plan, today=today_of(learner)).phases[0].window
    assert after.days < before.days
    body = learner_client.get("/dashboard/").content.decode()
    assert f"{after.start:%-d %b} – {after.end:%-d %b %y}" in body


def test_credits_are_not_a_streak_day(learner_client, learner, plan):
    goal = Phase.objects.current().first().goals.first()
    item_set_status(learner=learner, item=goal, status="credited", evidence="Ten years of it")
    body = learner_client.get("/dashboard/").content.decode()
    assert "0 days</p>" in body
    assert streak_for(learner, today_of(learner)) == 0  # the portfolio and the log agree
    item_set_status(learner=learner, item=goal, status="done")
    assert streak_for(learner, today_of(learner)) == 1


def test_recent_activity_shows_the_newest_logs_and_the_streak_counts_them_all(learner, plan):
    today = today_of(learner)
    for d in range(12):
        studylog_add(
            learner=learner,
            day=today - timedelta(days=d),
            minutes=10 + d,
            phase=None,
            what=f"day {d}",
        )
    activity = learner_activity(learner, learner_progress(plan, today=today), today, limit=8)
    assert activity.streak == 12
    shown = [a.text for a in activity.recent]
    assert shown == [f"Studied {10 + d} min: day {d}" for d in range(8)]
    assert all(timezone.is_aware(a.when) for a in activity.recent)
