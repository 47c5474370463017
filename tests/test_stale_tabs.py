"""A second tab never silently overwrites: the lab notebook, the take-home worksheet, an
application's details and a board move each carry the version of what their page showed.
A post from a page loaded before another tab's save is refused with a message and this
tab's text comes back; a post from a current page (or one without a version) saves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hiring.forms import WorkForm
from hiring.services import attempt_start
from jobs.forms import ApplicationForm
from jobs.models import Application, Stage
from roadmap.models import HiringRound
from tests.conftest import make_user
from tests.labs.conftest import make_attempt

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def _field(body: str, name: str) -> str:
    """The value of the (first) hidden input called `name` in a page or partial."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert tag, f"no {name} field"
    return re.search(r'value="([^"]*)"', tag.group(0)).group(1)


# --- the lab notebook ---------------------------------------------------------------------


def test_a_stale_lab_autosave_is_refused_and_says_so(learner_client, learner):
    attempt = make_attempt(learner)
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    base = _field(page, "notes_version")
    url = reverse("labs:notes", args=[attempt.pk])
    # Tab one saves; its answer carries the new version, out of band.
    one = learner_client.post(
        url, {"hypotheses": "one", "remediation": "", "notes_version": base}, headers=HX
    ).content.decode()
    assert "Saved" in one and _field(one, "notes_version") != base
    # Tab two, loaded before that save, autosaves: refused, the first tab's notes stay.
    two = learner_client.post(
        url, {"hypotheses": "two", "remediation": "", "notes_version": base}, headers=HX
    ).content.decode()
    assert "Not saved" in two and "another tab" in two and "notes_version" not in two
    attempt.refresh_from_db()
    assert attempt.hypotheses == "one"
    # Tab one goes on typing with its new version: saved (no false alarm).
    learner_client.post(
        url,
        {
            "hypotheses": "one more",
            "remediation": "",
            "notes_version": _field(one, "notes_version"),
        },
        headers=HX,
    )
    attempt.refresh_from_db()
    assert attempt.hypotheses == "one more"


def test_a_stale_plain_save_comes_back_with_the_text_then_saves_on_purpose(learner_client, learner):
    attempt = make_attempt(learner)
    base = _field(learner_client.get(attempt.get_absolute_url()).content.decode(), "notes_version")
    url = reverse("labs:notes", args=[attempt.pk])
    learner_client.post(url, {"hypotheses": "newer", "remediation": "", "notes_version": base})
    response = learner_client.post(
        url, {"hypotheses": "stale tab text", "remediation": "", "notes_version": base}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "another tab" in body
    assert "stale tab text</textarea>" in body
    attempt.refresh_from_db()
    assert attempt.hypotheses == "newer"
    # The page now carries the stored version: saving again is a choice, and it saves.
    learner_client.post(
        url,
        {
            "hypotheses": "stale tab text",
            "remediation": "",
            "notes_version": _field(body, "notes_version"),
        },
    )
    attempt.refresh_from_db()
    assert attempt.hypotheses == "stale tab text"


def test_a_command_run_saves_the_notes_and_moves_the_version_on(learner_client, learner):
    attempt = make_attempt(learner)
    base = _field(learner_client.get(attempt.get_absolute_url()).content.decode(), "notes_version")
    ran = learner_client.post(
        reverse("labs:run", args=[attempt.pk]),
        {"command": "stragglers", "hypotheses": "typed", "remediation": "", "notes_version": base},
        headers=HX,
    ).content.decode()
    # Typing on after the run is not mistaken for a stale tab.
    learner_client.post(
        reverse("labs:notes", args=[attempt.pk]),
        {
            "hypotheses": "typed on",
            "remediation": "",
            "notes_version": _field(ran, "notes_version"),
        },
        headers=HX,
    )
    attempt.refresh_from_db()
    assert attempt.hypotheses == "typed on" and attempt.runs.count() == 1


def test_a_diagnosis_from_a_stale_tab_is_not_submitted_over_newer_notes(learner_client, learner):
    attempt = make_attempt(learner)
    base = _field(learner_client.get(attempt.get_absolute_url()).content.decode(), "notes_version")
    learner_client.post(
        reverse("labs:notes", args=[attempt.pk]),
        {"hypotheses": "newer", "remediation": "drain", "notes_version": base},
    )
    response = learner_client.post(
        reverse("labs:submit", args=[attempt.pk]),
        {"hypotheses": "old", "remediation": "reboot", "cause": "x", "notes_version": base},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "another tab" in body and "reboot</textarea>" in body
    attempt.refresh_from_db()
    assert attempt.is_open and (attempt.hypotheses, attempt.remediation) == ("newer", "drain")


def test_a_post_without_a_version_is_saved_as_before(learner_client, learner):
    attempt = make_attempt(learner)
    learner_client.post(
        reverse("labs:notes", args=[attempt.pk]), {"hypotheses": "a", "remediation": ""}
    )
    attempt.refresh_from_db()
    assert attempt.hypotheses == "a"


# --- the take-home worksheet ------------------------------------------------------------


def _take_home(learner):
    rnd = HiringRound.objects.current().get(key="infrastructure-design-take-home")
    return attempt_start(learner=learner, round=rnd)


def test_a_stale_worksheet_autosave_is_refused_and_the_newer_one_kept(learner_client, learner):
    attempt = _take_home(learner)
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    base = _field(page, "version")
    url = reverse("hiring:attempt_save", args=[attempt.pk])
    sheet = WorkForm.worksheet_initial({})
    one = learner_client.post(
        url, {**sheet, "document": "tab one", "users": "60000", "version": base}, headers=HX
    ).content.decode()
    assert "Saved" in one and _field(one, "version") != base
    two = learner_client.post(
        url, {**sheet, "document": "tab two", "users": "1", "version": base}, headers=HX
    ).content.decode()
    assert "Not saved" in two and "another tab" in two
    attempt.refresh_from_db()
    assert attempt.document == "tab one" and attempt.worksheet["users"] == 60000
    # Without JavaScript: the page again, with this tab's text and the stored version.
    response = learner_client.post(url, {**sheet, "document": "tab two", "version": base})
    assert response.status_code == 400 and "tab two</textarea>" in response.content.decode()
    learner_client.post(
        url,
        {**sheet, "document": "tab two", "version": _field(response.content.decode(), "version")},
    )
    attempt.refresh_from_db()
    assert attempt.document == "tab two"


def test_a_worksheet_page_that_wants_what_is_stored_is_not_a_conflict(learner_client, learner):
    attempt = _take_home(learner)
    rnd_page = learner_client.get(attempt.get_absolute_url()).content.decode()
    base = _field(rnd_page, "version")
    url = reverse("hiring:attempt_save", args=[attempt.pk])
    sheet = WorkForm.worksheet_initial({})
    learner_client.post(url, {**sheet, "document": "same", "version": base}, headers=HX)
    again = learner_client.post(url, {**sheet, "document": "same", "version": base}, headers=HX)
    assert "another tab" not in again.content.decode()


# --- the job search --------------------------------------------------------------------


def test_a_stale_application_edit_comes_back_instead_of_overwriting(learner_client, learner):
    app = Application.objects.create(learner=learner, company="Lunit", notes="first")
    url = reverse("jobs:application", args=[app.pk])
    base = _field(learner_client.get(url).content.decode(), "version")
    form = {k: v for k, v in ApplicationForm(instance=app).initial.items() if v is not None}
    saved = learner_client.post(
        url, {**form, "stage": "applied", "notes": "tab one", "version": base}
    )
    assert saved.status_code == 302
    response = learner_client.post(
        url, {**form, "stage": "applied", "notes": "tab two", "version": base}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "another tab" in body and "tab two</textarea>" in body
    app.refresh_from_db()
    assert app.notes == "tab one"
    learner_client.post(
        url, {**form, "stage": "applied", "notes": "tab two", "version": _field(body, "version")}
    )
    app.refresh_from_db()
    assert app.notes == "tab two"


@pytest.mark.parametrize("htmx", [False, True])
def test_a_move_from_a_stale_board_changes_nothing_and_says_so(learner_client, learner, htmx):
    app = Application.objects.create(
        learner=learner, company="Lunit", stage=Stage.TRIAL, furthest=Stage.TRIAL
    )
    # The stale tab still shows it at the resume screen; its button says "to technical".
    data = {"stage": "technical_screen", "from_stage": "resume_screen"}
    response = learner_client.post(
        reverse("jobs:move", args=[app.pk]), data, headers=HX if htmx else {}, follow=not htmx
    )
    app.refresh_from_db()
    assert app.stage == Stage.TRIAL
    assert "already moved to trial" in response.content.decode()
    # From a current board the same kind of move goes through.
    learner_client.post(
        reverse("jobs:move", args=[app.pk]), {"stage": "offer", "from_stage": "trial"}
    )
    app.refresh_from_db()
    assert app.stage == Stage.OFFER


def test_an_htmx_move_answers_with_the_movers_own_board(client, learner):
    """The board partial is a cached fragment: keyed by the learner, never shared."""
    other = make_user("olga")
    mine = Application.objects.create(learner=learner, company="Mine Co")
    theirs = Application.objects.create(learner=other, company="Their Co")
    for user, app in ((learner, mine), (other, theirs)):
        client.force_login(user)
        body = client.post(
            reverse("jobs:move", args=[app.pk]), {"stage": "resume_screen"}, headers=HX
        ).content.decode()
        assert app.company in body
        assert (theirs if app is mine else mine).company not in body
