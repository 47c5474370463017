"""The private calendar feed: a calendar app subscribes with the secret address alone.

Parsed here with vobject, a second iCalendar parser independent of icalendar (which
writes the feed), so a feed only our own library can read would fail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import vobject
from django.utils import timezone

from roadmap.models import Milestone, Phase, Question
from tests.conftest import make_plan
from tracker import reminders, schedule
from tracker.models import Card, ReminderSettings
from tracker.progress import plan_schedule
from tracker.reminders import FollowUp, reminder_settings
from tracker.submissions import submission_start


@pytest.fixture
def feed_url(learner, plan) -> str:
    return f"/calendar/{reminder_settings(learner).calendar_token}.ics"


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = vobject.readOne(response.content.decode())
    return list(cal.vevent_list)


def summaries(response) -> list[str]:
    return [e.summary.value for e in events(response)]


def test_the_feed_opens_without_login_and_parses_with_a_second_parser(client, feed_url, plan):
    found = events(client.get(feed_url))
    windows = plan_schedule(plan)
    phases = [e for e in found if e.summary.value.startswith("Phase ")]
    assert len(phases) == Phase.objects.current().count() == len(windows)
    assert phases[0].dtstart.value == windows[0][1].start
    assert phases[-1].dtend.value == windows[-1][1].end + timedelta(days=1)
    assert len({e.uid.value for e in found}) == len(found)  # every event its own uid


def test_milestone_due_dates_are_the_last_day_of_each_phase(client, feed_url, plan, learner):
    submission_start(learner=learner, milestone=Milestone.objects.current().first())
    found = events(client.get(feed_url))
    due = {e.summary.value: e.dtstart.value for e in found if "due" in e.summary.value}
    for phase, window in plan_schedule(plan):
        assert due[f"Milestone {phase.order} due"] == window.end


def test_the_weekly_study_target_repeats_each_week_of_the_plan(client, feed_url, plan):
    (weekly,) = [e for e in events(client.get(feed_url)) if "Study target" in e.summary.value]
    assert weekly.summary.value == f"Study target: {plan.weekly_hours} h this week"
    days = list(weekly.getrruleset(addRDate=True))
    end = plan_schedule(plan)[-1][1].end
    assert days[0].date() == plan.start_date and days[1].date() - days[0].date() == timedelta(7)
    assert days[-1].date() <= end < days[-1].date() + timedelta(7)


def test_review_days_carry_their_due_counts(client, feed_url, learner):
    today = schedule.today_for(learner.time_zone)
    questions = list(Question.objects.current()[:5])
    now = timezone.now()
    for i, question in enumerate(questions):
        # Two overdue (they count today), one tomorrow, two in three days.
        due = now + timedelta(days=[-3, -1, 1, 3, 3][i])
        Card.objects.create(learner=learner, question=question, due=due, reps=1, last_review=now)
    reviews = {
        e.dtstart.value: e.summary.value
        for e in events(client.get(feed_url))
        if e.summary.value.startswith("Practice")
    }
    assert reviews == {
        today: "Practice: 2 reviews due",
        today + timedelta(days=1): "Practice: 1 review due",
        today + timedelta(days=3): "Practice: 2 reviews due",
    }


def test_job_search_follow_ups_come_from_the_hook(client, feed_url, learner, monkeypatch):
    monkeypatch.setattr(reminders, "_follow_up_sources", [])
    day = schedule.today_for(learner.time_zone) + timedelta(days=2)
    reminders.register_follow_ups(
        lambda user, first, last: [FollowUp(day, "Call back Acme", "/jobs/1/", "acme-1")]
    )
    (follow_up,) = [e for e in events(client.get(feed_url)) if e.summary.value == "Call back Acme"]
    assert follow_up.dtstart.value == day
    assert follow_up.url.value == "http://testserver/jobs/1/"


def test_a_wrong_or_rotated_token_is_404(client, learner, feed_url):
    assert client.get("/calendar/not-the-token.ics").status_code == 404
    assert client.get(feed_url[:-8] + "x" * 4 + ".ics").status_code == 404
    client.force_login(learner)
    settings_page = client.get("/settings/").content.decode()
    assert f"http://testserver{feed_url}" in settings_page
    assert client.post("/settings/calendar/rotate/").status_code == 302
    assert client.get(feed_url).status_code == 404  # the old address stops working at once
    new = ReminderSettings.objects.get(user=learner).calendar_token
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert new in client.get("/settings/").content.decode()


def test_the_token_opens_only_its_own_feed(client, feed_url, learner, other_learner):
    make_plan(other_learner)
    now = timezone.now()
    for question in Question.objects.current()[:3]:
        Card.objects.create(learner=other_learner, question=question, due=now, last_review=now)
    assert not [s for s in summaries(client.get(feed_url)) if s.startswith("Practice")]
    # …and nothing else of the learner's: the session-less client is still anonymous.
    assert client.get("/dashboard/").status_code == 302


def test_a_deactivated_account_has_no_feed(client, feed_url, learner):
    learner.is_active = False
    learner.save()
    assert client.get(feed_url).status_code == 404


def test_the_feed_query_count_does_not_grow_with_cards(
    client, feed_url, learner, django_assert_num_queries
):
    def measure(cards: int) -> None:
        now = timezone.now()
        for question in Question.objects.current()[Card.objects.count() : cards]:
            Card.objects.create(learner=learner, question=question, due=now, last_review=now)
        client.get(feed_url)  # the content cache filled
        with django_assert_num_queries(QUERIES):
            client.get(feed_url)

    measure(1)
    measure(50)


# The row by token with its user; the plan; the learner's progress rows (for the
# credit-shortened phase windows); their submissions; the cards' due dates. Content
# (phases, milestones) comes from the cache. One per follow-up source (the job search's
# open applications).
QUERIES = 6
