"""The plan page: create, preset with credits, validation, editing keeps progress, calendar."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from icalendar import Calendar

from roadmap.models import Background, Goal, Phase
from tests.conftest import make_plan
from tracker import schedule
from tracker.models import ItemProgress, Plan
from tracker.plans import item_set_status

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {
        "start_date": date.today().isoformat(),
        "months": 12,
        "background": "",
        "weekly_hours": 10,
    }
    return {**data, **overrides}


def test_a_learner_creates_a_plan(learner_client, learner):
    assert learner_client.get("/plan/").status_code == 200
    response = learner_client.post("/plan/", _data(months=9))
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    plan = Plan.objects.get(learner=learner)
    assert (plan.months, plan.background) == (9, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("months", 0, "A plan runs at least 3 months."),
        ("months", 99, "A plan runs at most 24 months."),
        ("months", "twelve", "Enter a whole number."),
        ("start_date", "2019-01-01", "Choose a start date within the last five years."),
        ("start_date", "2099-01-01", "Choose a start date within the next year."),
        ("start_date", "31/02/2026", "Enter a valid date."),
        ("weekly_hours", 0, "Plan at least 1 hour a week."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    learner_client, learner, field, value, message
):
    response = learner_client.post("/plan/", _data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.filter(learner=learner).exists()


def test_a_background_preset_proposes_a_length_and_goals_to_credit(learner_client):
    devops = Background.objects.get(key="devops-sre")
    response = learner_client.get("/plan/", {"background": "devops-sre"})
    body = response.content.decode()
    assert f'name="months" value="{devops.ramp_up_max_months}"' in body
    for goal in devops.credit_goals.all():
        assert goal.title in body


def test_the_preset_comes_as_a_partial_for_htmx(learner_client):
    response = learner_client.get(
        "/plan/", {"background": "devops-sre"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="plan-form"' in body


def test_credits_need_evidence_and_nothing_is_half_written(learner_client, learner):
    devops = Background.objects.get(key="devops-sre")
    goals = list(devops.credit_goals.all()[:2])
    data = _data(background="devops-sre", **{f"credit_{g.pk}": "on" for g in goals})
    data[f"evidence_{goals[0].pk}"] = "Ran it in production"
    response = learner_client.post("/plan/", data)
    assert "Say in one line how you already know this." in response.content.decode()
    assert not Plan.objects.filter(learner=learner).exists()
    assert not ItemProgress.objects.filter(learner=learner).exists()

    data[f"evidence_{goals[1].pk}"] = "Five years as an SRE"
    assert learner_client.post("/plan/", data).status_code == 302
    credited = ItemProgress.objects.filter(learner=learner, status="credited")
    assert {p.goal_id for p in credited} == {g.pk for g in goals}
    assert all(p.credit_evidence for p in credited)


def test_editing_the_plan_rederives_dates_and_keeps_progress(learner_client, learner, plan):
    goal = Phase.objects.current().first().goals.first()
    item_set_status(learner=learner, item=goal, status="done")
    learner_client.post("/plan/", _data(start_date=plan.start_date.isoformat(), months=6))
    plan.refresh_from_db()
    assert plan.months == 6
    assert ItemProgress.objects.get(learner=learner, goal=goal).status == "done"
    body = learner_client.get("/plan/").content.decode()
    windows = schedule.phase_windows(plan.start_date, 6, [p.weeks for p in Phase.objects.current()])
    assert windows[-1].end.strftime("%-d %b %Y") in body


def test_calendar_feed_lists_the_phases(learner_client, plan):
    response = learner_client.get("/plan/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 5
    assert events[0].decoded("dtstart") == plan.start_date
    end = schedule.plan_end(plan.start_date, plan.months)
    assert events[-1].decoded("dtend") == end
    assert str(events[0]["summary"]).startswith("Phase 1")


def test_calendar_without_a_plan_is_404(learner_client):
    assert learner_client.get("/plan/calendar.ics").status_code == 404


def test_plan_pages_need_login(client):
    for url in ("/plan/", "/plan/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_learners_plan_is_never_shown(client, plan, other_learner):
    client.force_login(other_learner)
    body = client.get("/plan/").content.decode()
    assert "Create your plan" in body
    assert client.get("/plan/calendar.ics").status_code == 404


def test_plan_page_query_count_is_flat(learner_client, learner, plan, django_assert_num_queries):
    devops = Background.objects.get(key="devops-sre")
    plan.background = devops
    plan.save()
    learner_client.get("/plan/")  # warms the content cache
    # session; user (+plan); the learner's finished goals (to leave out of the credits)
    # (the unread count for the badge comes from the cache)
    with django_assert_num_queries(3):
        learner_client.get("/plan/")
    for goal in Goal.objects.current()[:10]:
        item_set_status(learner=learner, item=goal, status="done")
    learner_client.get("/plan/")  # the writes bumped the learner's version: warm it again
    with django_assert_num_queries(3):
        learner_client.get("/plan/")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", date(9999, 1, 1)),
        ("start_date", date(1, 1, 1)),
        ("months", 0),
        ("months", 999),
    ],
)
def test_no_write_path_can_store_a_plan_the_pages_cannot_date(learner, field, value):
    """Not the form, not the import, not the admin, not a script: the database refuses."""
    plan = make_plan(learner)
    setattr(plan, field, value)
    with pytest.raises(ValidationError):
        plan.full_clean()  # the admin's check
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(**{field: value})
