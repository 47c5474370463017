"""The board, stage moves (htmx and plain POST), the funnel, targets and follow-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from jobs.models import Application, Stage
from jobs.pipeline import funnel, rehearsal_url
from jobs.targets import companies_in, target_groups
from tests.conftest import make_plan
from tracker.cache import PROGRESS, fragment_key
from tracker.schedule import today_for

pytestmark = pytest.mark.django_db


def make_application(learner, **extra) -> Application:
    fields = {"company": "Lunit", "region": "Korea", **extra}
    return Application.objects.create(learner=learner, **fields)


def test_a_plain_post_moves_an_application_and_redirects_to_the_board(learner_client, learner):
    app = make_application(learner)
    assert app.stage == Stage.APPLIED
    response = learner_client.post(f"/jobs/{app.pk}/move/", {"stage": "resume_screen"})
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    app.refresh_from_db()
    assert app.stage == Stage.RESUME_SCREEN and app.furthest == Stage.RESUME_SCREEN


def test_an_htmx_move_answers_the_board_partial(learner, client):
    app = make_application(learner, stage=Stage.TECHNICAL_SCREEN, furthest=Stage.TECHNICAL_SCREEN)
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(learner)
    page = csrf.get("/jobs/")
    assert b"<html" in page.content and b'id="board"' in page.content
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or csrf.cookies[next(iter(csrf.cookies))].value
    response = csrf.post(
        f"/jobs/{app.pk}/move/",
        {"stage": "take_home"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="board"' in response.content
    app.refresh_from_db()
    assert app.stage == Stage.TAKE_HOME


def test_a_move_to_no_stage_changes_nothing(learner_client, learner):
    app = make_application(learner)
    learner_client.post(f"/jobs/{app.pk}/move/", {"stage": "hired-by-magic"})
    app.refresh_from_db()
    assert app.stage == Stage.APPLIED


def test_move_refuses_get_and_outsiders(learner, other_learner, client):
    app = make_application(learner)
    client.force_login(learner)
    assert client.get(f"/jobs/{app.pk}/move/").status_code == 405
    client.force_login(other_learner)
    assert client.post(f"/jobs/{app.pk}/move/", {"stage": "offer"}).status_code == 404
    app.refresh_from_db()
    assert app.stage == Stage.APPLIED


def test_the_funnel_counts_every_stage_an_application_passed(learner_client, learner):
    make_application(learner)  # applied only
    make_application(learner, stage=Stage.REJECTED, furthest=Stage.TECHNICAL_SCREEN)
    make_application(learner, stage=Stage.OFFER, furthest=Stage.OFFER)
    accepted = make_application(learner, stage=Stage.OFFER, furthest=Stage.OFFER)
    learner_client.post(f"/jobs/{accepted.pk}/move/", {"stage": "accepted"})
    rows = {r.stage: r.reached for r in funnel(learner)}
    assert rows[Stage.APPLIED] == 4
    assert rows[Stage.RESUME_SCREEN] == 3
    assert rows[Stage.TECHNICAL_SCREEN] == 3
    assert rows[Stage.TAKE_HOME] == 2
    assert rows[Stage.OFFER] == 2
    assert rows[Stage.ACCEPTED] == 1
    page = learner_client.get("/jobs/funnel/").content.decode()
    assert "<svg" in page and "Technical screen" in page


def test_a_rejection_keeps_the_furthest_stage(learner):
    from jobs.pipeline import application_move

    app = make_application(learner)
    application_move(application=app, stage="technical_screen")
    application_move(application=app, stage="rejected")
    app.refresh_from_db()
    assert (app.stage, app.furthest) == (Stage.REJECTED, Stage.TECHNICAL_SCREEN)


def test_new_application_form_keeps_input_on_error_and_saves(learner_client, learner):
    response = learner_client.post("/jobs/new/", {"company": "", "role": "SRE", "level": "mid"})
    assert response.status_code == 200 and 'value="SRE"' in response.content.decode()
    assert not Application.objects.exists()
    response = learner_client.post(
        "/jobs/new/",
        {
            "company": "Grab",
            "role": "ML Infra",
            "level": "senior",
            "source": "referral",
            "stage": "applied",
            "notes": "**Ref** by Ana",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.learner == learner and "<strong>Ref</strong>" in app.notes_html


def test_target_companies_start_an_application_in_one_click(learner_client):
    page = learner_client.get("/jobs/companies/").content.decode()
    assert "/jobs/new/?company=Lunit&amp;region=Korea" in page
    form = learner_client.get("/jobs/new/?company=Lunit&region=Korea").content.decode()
    assert 'value="Lunit"' in form and 'value="Korea"' in form
    names = {c.name for g in target_groups() for c in g.companies}
    assert {"Lunit", "Grab ML Platform", "CoreWeave", "NVIDIA", "Anthropic"} <= names


def test_company_lists_are_read_as_names_and_places():
    assert [(c.name, c.region) for c in companies_in("Lunit (Korea), Qure.ai (India)")] == [
        ("Lunit", "Korea"),
        ("Qure.ai", "India"),
    ]
    assert companies_in("Any Series A-C AI company in Taiwan") == []
    assert [c.name for c in companies_in("Amazon (AWS AI and Alexa)")] == ["Amazon"]


def test_each_interview_stage_links_to_its_rehearsal():
    assert rehearsal_url(Stage.TAKE_HOME).endswith("#round-infrastructure-design-take-home")
    assert rehearsal_url(Stage.APPLIED) is None


def test_the_board_lists_applications_in_their_columns(learner_client, learner):
    make_application(learner, company="Qure.ai", stage=Stage.TRIAL, furthest=Stage.TRIAL)
    page = learner_client.get("/jobs/").content.decode()
    col = page.split('id="col-trial"')[1].split("</section>")[0]
    assert "Qure.ai" in col and "To offer" in col


@pytest.mark.parametrize("count", [1, 200])
def test_follow_ups_show_on_the_dashboard_with_one_query(
    count, learner, client, django_assert_num_queries
):
    make_plan(learner)
    client.force_login(learner)
    today = today_for(learner.time_zone)
    Application.objects.bulk_create(
        Application(learner=learner, company=f"Co{i}", follow_up_on=today - timedelta(days=1))
        for i in range(count)
    )
    Application.objects.create(learner=learner, company="Later", follow_up_on=today + timedelta(30))
    Application.objects.create(
        learner=learner, company="Closed", stage=Stage.REJECTED, follow_up_on=today
    )
    client.get("/dashboard/")  # renders and caches the dashboard's own fragment
    cache.delete("jobs:follow-ups:" + fragment_key(today, learners=[learner.pk], areas=(PROGRESS,)))
    # session, user (+plan), the follow-ups: one query, whatever their number
    with django_assert_num_queries(3):
        page = client.get("/dashboard/").content.decode()
    assert "Follow up" in page and "Co0" in page and "overdue" in page
    assert "Later" not in page and "Closed" not in page
    # …then none until the learner's data changes
    with django_assert_num_queries(2):
        client.get("/dashboard/")
    fresh = today - timedelta(days=10)  # the most overdue: first in the list
    Application.objects.create(learner=learner, company="Fresh one", follow_up_on=fresh)
    assert "Fresh one" in client.get("/dashboard/").content.decode()


@pytest.mark.parametrize("count", [1, 50, 200])
def test_the_board_query_count_does_not_grow(
    count, learner_client, learner, django_assert_num_queries
):
    from tracker.cache import bump_learner

    Application.objects.bulk_create(
        Application(learner=learner, company=f"Co{i}", stage=list(Stage)[i % 11])
        for i in range(count)
    )
    learner_client.get("/jobs/")  # warms the content cache and the cards
    bump_learner(learner.pk)  # …and forgets the rendered board
    # session; user (+plan); the applications' keys (the cards come from the cache);
    # unread notifications (the badge)
    with django_assert_num_queries(4):
        assert learner_client.get("/jobs/").status_code == 200
    # session; user (+plan): the board from the fragment cache
    with django_assert_num_queries(2):
        page = learner_client.get("/jobs/").content.decode()
    assert f"Co{count - 1}" in page
    # A change renders that card anew: one more query, for its row.
    Application.objects.filter(company="Co0").get().save()
    with django_assert_num_queries(5):
        assert learner_client.get("/jobs/").status_code == 200


def test_an_edited_application_shows_on_the_board_at_once(learner_client, learner):
    app = make_application(learner, role="ML engineer")
    assert "ML engineer" in learner_client.get("/jobs/").content.decode()
    learner_client.post(
        f"/jobs/{app.pk}/",
        {
            "company": "Lunit",
            "role": "Platform engineer",
            "level": "mid",
            "source": "outbound",
            "stage": "applied",
            "furthest": "applied",
            "region": "Korea",
        },
    )
    page = learner_client.get("/jobs/").content.decode()
    assert "Platform engineer" in page and "ML engineer" not in page


def test_an_htmx_move_answers_the_movers_own_board(client, learner, other_learner):
    """The partial is keyed by the learner's versions, like the page: one learner's board
    never reaches another."""
    mine = make_application(learner, company="Mine Inc")
    theirs = make_application(other_learner, company="Theirs Inc")
    for user, app, seen, unseen in (
        (learner, mine, "Mine Inc", "Theirs Inc"),
        (other_learner, theirs, "Theirs Inc", "Mine Inc"),
    ):
        client.force_login(user)
        response = client.post(
            f"/jobs/{app.pk}/move/", {"stage": "resume_screen"}, HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert seen in body and unseen not in body


def test_a_move_shows_on_the_cached_board_at_once(learner_client, learner):
    app = make_application(learner)
    learner_client.get("/jobs/")
    learner_client.post(f"/jobs/{app.pk}/move/", {"stage": "offer"})
    page = learner_client.get("/jobs/").content.decode()
    assert "Lunit" in page.split('id="col-offer"')[1].split("</section>")[0]


def test_the_offer_page_is_cached_by_its_query(learner_client, django_assert_num_queries):
    query = {"base": "9000", "period": "month", "currency": "USD", "level": "senior"}
    query["region"] = "Singapore"
    first = learner_client.get("/jobs/offer/", query).content.decode()
    with django_assert_num_queries(2):  # session; user (+plan)
        again = learner_client.get("/jobs/offer/", query).content.decode()
    assert "Singapore · Senior" in first and "Singapore · Senior" in again
    other = learner_client.get("/jobs/offer/", {**query, "region": "India"}).content.decode()
    assert "India · Senior" in other and "Singapore · Senior" not in other


def test_follow_ups_reach_the_reminders_and_the_calendar_feed(learner):
    from tracker.reminders import follow_ups

    today = today_for(learner.time_zone)
    Application.objects.create(learner=learner, company="Acme", follow_up_on=today)
    Application.objects.create(
        learner=learner, company="Closed", stage=Stage.REJECTED, follow_up_on=today
    )
    Application.objects.create(learner=learner, company="Later", follow_up_on=today + timedelta(9))
    found = follow_ups(learner, today, today + timedelta(days=3))
    assert [f.title for f in found] == ["Job search follow-up (applied)"]  # no typed text
    assert found[0].url.startswith("/jobs/") and found[0].uid.startswith("jobs-application-")
