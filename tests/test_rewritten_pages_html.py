"""The pages whose rows and lists Python now writes (tracker.views.assessment,
dashboard, log; tracker.mentees' review queue; the thread's items; practice stats) are
valid HTML, with data in every one of those rows: one run of the Nu HTML Checker."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from roadmap.models import Milestone, Question
from tests.conftest import make_plan
from tests.html_check import problems
from tracker.assessment import assessment_create, screen_items, screen_save
from tracker.plans import studylog_add
from tracker.practice import answer_rate, answer_save
from tracker.submissions import (
    submission_comment,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db


def test_the_pages_with_rows_written_in_python_are_valid_html(learner, mentor):
    from roadmap import content

    make_plan(learner)
    dims = list(content.rubric().dimensions.all())
    for rater, role in ((learner, "self"), (mentor, "mentor"), (learner, "self")):
        assessment_create(
            learner=learner, rater=rater, role=role, scores={d: (3, "Ran <it>") for d in dims}
        )
    checks, _ = screen_items(content.rubric())
    screen_save(learner=learner, answers={checks[0]: (True, "Led <b>it</b>")})
    today = timezone.localdate()
    studylog_add(learner=learner, day=today, minutes=30, phase=None, what="Read <NCCL> & docs")
    answer = answer_save(
        user=learner,
        question=Question.objects.current().first(),
        body="An answer",
        submit=True,
        reveal=True,
    )
    answer_rate(answer=answer, covered=[0], qualities=[], rating=3)
    submission = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=submission, evidence="Built **it**", links=[])
    submission_comment(submission=submission, author=learner, comment="First *try* <b>x</b>")
    submission_transition(submission=submission, actor=learner, to_state="submitted")

    clients = {"learner": Client(), "mentor": Client()}
    clients["learner"].force_login(learner)
    clients["mentor"].force_login(mentor)
    pages = {
        "dashboard": ("learner", "/dashboard/"),
        "assessment": ("learner", "/assessment/"),
        "study log": ("learner", "/log/"),
        "practice stats": ("learner", "/practice/stats/"),
        "milestone thread": ("learner", submission.get_absolute_url()),
        "mentor home": ("mentor", "/mentor/"),
        "mentee view": ("mentor", f"/mentor/{learner.username}/"),
    }
    found = {}
    for name, (who, url) in pages.items():
        response = clients[who].get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        found[f"{name} {url}"] = response.content.decode()
    assert "Read &lt;NCCL&gt; &amp; docs" in found["study log /log/"]
    assert "milestone 1" in found["mentor home /mentor/"]
    bad = problems(found)
    assert not bad, "\n".join(f"{page}:\n  " + "\n  ".join(m) for page, m in bad.items())
