"""Nothing a person types is lost: every form view, given invalid data, answers with the
page again, every typed value still in it.

POST-capable URLs are discovered: each URL of the access matrix is posted to as its
owner, and any that does not answer 405 must be listed below, with invalid data that
carries the marker in every field a person types into, or in NO_TYPED_TEXT with the
reason. So a new form is covered the moment it exists, or this test fails.
"""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from tests import test_access_matrix
from tests.test_access_matrix import MATRIX, World

world = test_access_matrix.world  # the access matrix's data, as a fixture here too

pytestmark = pytest.mark.django_db
TYPED = "Typed-by-hand-4d2a"  # in every text a person typed; it must come back

# url name -> invalid POST data (each typed text carries TYPED; one field is invalid)
FORMS = {
    "item_note": lambda w: {"note": TYPED + " " + "n" * 20_001},
    "item_link_add": lambda w: {"title": TYPED, "url": "ftp://" + TYPED},
    "item_status": lambda w: {"status": "credited", "evidence": TYPED + "e" * 200},
    "plan": lambda w: {"start_date": "not a date", "months": "12", "background": ""},
    "log": lambda w: {"date": "2026-13-45", "minutes": "30", "phase": "", "what": TYPED},
    "settings": lambda w: {
        "display_name": TYPED,
        "time_zone": "Mars/Base",
        "daily_new_cap": "5",
        "daily_review_cap": "50",
        "mentor_capacity": "3",
    },
    "signup": lambda w: {"username": TYPED, "email": "", "password1": "a", "password2": "b"},
    "login": lambda w: {"username": TYPED, "password": "wrong"},
    "password_reset": lambda w: {"email": TYPED},
    # An empty box handed in: refused, while every other box is kept (as a draft).
    "interview": lambda w: {
        "action": "save",
        "hand_in": str(w.extra["q"][0]),
        f"body-{w.extra['q'][0]}": " ",
        f"body-{w.extra['q'][1]}": TYPED,
    },
    "milestone": lambda w: {
        "evidence": TYPED,
        "link_title_0": TYPED + " runbook",
        "link_url_0": "runbook.example/" + TYPED,
        "comment": TYPED + " note",
        "to": "submitted",
    },
    "mentee": lambda w: {f"evidence_{d}": f"{TYPED} {d}" for d in w.extra["dimensions"]},
    "assessment": lambda w: {f"evidence_{d}": f"{TYPED} {d}" for d in w.extra["dimensions"]},
    "hiring:resume": lambda w: {"text": TYPED + " " + "r" * 30_001},
    "hiring:attempt_save": lambda w: {"document": TYPED + " " + "d" * 60_001},
    "hiring:attempt_judge": lambda w: {"comment": TYPED},  # no outcome chosen
    "hiring:trial_update": lambda w: {"body": TYPED + " " + "u" * 8_001},
    "labs:run": lambda w: {"command": "nope", "hypotheses": TYPED, "remediation": TYPED + " r"},
    "labs:notes": lambda w: {"hypotheses": TYPED + "h" * 20_001, "remediation": TYPED + " r"},
    "labs:submit": lambda w: {"hypotheses": TYPED, "remediation": TYPED + " r", "cause": "?"},
    "labs:comment": lambda w: {"body": TYPED + "c" * 10_001},
    "jobs:new": lambda w: {
        "company": TYPED,
        "role": TYPED + " role",
        "level": "nonsense",
        "contacts": TYPED + " contacts",
        "notes": TYPED + " notes",
    },
    "jobs:application": lambda w: {"company": TYPED, "stage": "hired", "notes": TYPED + " n"},
    "jobs:contributions": lambda w: {
        "url": "https://gitlab.com/" + TYPED,
        "title": TYPED,
        "impact": TYPED + " impact",
        "state": "merged",
    },
    "jobs:contribution": lambda w: {"url": "https://github.com/a/b/pull/0", "title": TYPED},
    "portfolio_settings": lambda w: {
        "portfolio_headline": TYPED,
        "portfolio_pitch": TYPED + " " + "p" * 600,
        "sections": ["rubric"],
    },
    "reminders_save": lambda w: {"reminders-emails": ["digest"], "reminders-remind_at": TYPED},
}
# POST-capable URLs where nothing is typed, or where keeping it would be wrong
NO_TYPED_TEXT = {
    "item_link_delete": "a button",
    "milestone_start": "a button",
    "milestone_transition": "buttons",
    "log_delete": "a button",
    "invite_new": "a button",
    "invite_revoke": "a button",
    "invite": "the accept button",
    "mentorship_end": "a button",
    "logout": "a button",
    "interviews": "choices and numbers only (a bound form comes back with them)",
    "practice_rate": "ticks and a rating button, no text",
    "practice_reveal": "a button",
    "practice_more": "choices only (a bound form comes back with them)",
    "mentee_answer_rate": "ticks and a rating button, no text",
    "assessment_screen": "ticks only",
    "interview_finish": "a button (an old URL: the interview's form finishes now)",
    "interview_answer": "an old URL: the interview's one form saves every box now",
    "import": "a file: browsers never let a page refill a file input",
    "delete_account": "a password: never sent back to the page",
    "password_change": "passwords: never sent back to the page",
    "practice_recording": "audio, not text: a failed upload stays in the recorder to retry",
    "interview_recording": "audio, not text: a failed upload stays in the recorder to retry",
    "recording_delete": "a button",
    "hiring:start": "a button",
    "labs:start": "a button",
    "jobs:move": "stage buttons",
    "jobs:delete": "a button",
    "jobs:contribution_delete": "a button",
    "mentee_credit_review": "confirm and question buttons",
    "calendar_rotate": "a button",
    "notification_mute": "buttons",
    "notification_unmute": "a button",
    "unsubscribe": "a button (for whoever holds the emailed link)",
}
# POST-capable URLs whose only refusal is an empty text: nothing typed to keep
# (the practice answer also autosaves what is typed as a draft)
ONLY_EMPTY_REFUSED = {"milestone_comment", "mentee_answer_comment", "practice_answer"}


AS_MENTOR = {"mentee", "mentee_answer_comment"}  # the mentor's forms about their mentee
ANONYMOUS = {"signup", "login", "password_reset"}
AUTOSAVED = {"interview"}


def _url(name: str, world: World) -> str:
    kwargs = MATRIX[name][2](world)
    return reverse(name, kwargs=kwargs)


def test_every_post_capable_url_is_listed(world, client, learner):
    client.force_login(learner)
    posts = set()
    for name in MATRIX:
        if name == "password_reset_confirm":
            continue  # needs a valid token; Django's own form
        if client.post(_url(name, world), {}).status_code != 405:
            posts.add(name)
        client.force_login(learner)  # logout and delete may have ended the session
    unlisted = posts - FORMS.keys() - NO_TYPED_TEXT.keys() - ONLY_EMPTY_REFUSED
    assert not unlisted, f"Say how these keep typed input: {sorted(unlisted)}"


@pytest.mark.parametrize("name", sorted(FORMS))
def test_invalid_data_comes_back_with_everything_typed(name, world, client, learner):
    from roadmap.models import Dimension, Question
    from tracker.practice import interview_start

    world.extra["dimensions"] = [d.pk for d in Dimension.objects.current()]
    questions = list(Question.objects.current()[1:3])
    world.extra["q"] = [q.pk for q in questions]
    url = _url(name, world)
    if name == "interview":  # a fresh one: the world's has its answer handed in
        fresh = interview_start(user=learner, kind="custom", questions=questions, minutes=30)
        url = fresh.get_absolute_url()
    if name in AS_MENTOR:
        client.force_login(world.extra["personas"]["mentor"])
    elif name not in ANONYMOUS:
        client.force_login(learner)
    data = FORMS[name](world)
    headers = {"HX-Request": "true"} if name.startswith("item_") else {}
    # Forms that autosave keep what was typed as a draft and show the page again.
    response = client.post(url, data, headers=headers, follow=name in AUTOSAVED)
    body = html.unescape(response.content.decode())
    assert response.status_code in (200, 400), (name, response.status_code)
    for field, value in data.items():
        if TYPED in value:
            assert value.strip() in body or value.strip()[:200] in body, (name, field)
