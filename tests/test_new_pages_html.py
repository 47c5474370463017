"""The hiring rounds, the GPU-debugging lab, the job search, reminder and calendar
settings, study more and the recorder are valid HTML: every page, as its learner (and
the mentor's live screen as the mentor), in one run of the Nu HTML Checker. Labels that
name no field, duplicate ids, misplaced elements and bad attributes fail here."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from hiring.services import attempt_save_work, attempt_start, resume_screen
from jobs.models import Application, Contribution
from labs.services import attempt_run
from roadmap.models import HiringRound, Question
from tests.audio import webm
from tests.conftest import make_plan
from tests.html_check import problems
from tests.labs.conftest import make_attempt
from tracker.practice import answer_save
from tracker.recordings import clean_recording, recording_add

pytestmark = pytest.mark.django_db

GOOD_RESUME = (
    "Built a production ML inference platform with PyTorch and Triton on Kubernetes "
    "serving 2M requests a day; Python primary language; cut p99 latency 40%."
)


def new_pages(learner, mentor) -> dict[str, tuple[str, str]]:
    """Every new page, by name: who opens it (learner, mentor or visitor) and its URL,
    with the learner's data each one shows. Also used by the browser's axe check."""
    make_plan(learner)
    rounds = {r.key: r for r in HiringRound.objects.current()}
    resume = resume_screen(learner=learner, round=rounds["resume-screen"], text=GOOD_RESUME)
    by_round = {
        key: attempt_start(learner=learner, round=rounds[key])
        for key in (
            "technical-screen",
            "gpu-infrastructure-screening",
            "infrastructure-design-take-home",
            "scale-architecture-discussion",
            "trial-project",
        )
    }
    attempt_save_work(
        attempt=by_round["trial-project"], document="Ship a **batch** scorer", worksheet=None
    )
    lab = make_attempt(learner, seed=3)
    for command, node in (("stragglers", None), ("dcgmi-dmon", None), ("nvidia-smi-nvlink", 0)):
        attempt_run(attempt=lab, command=command, node=node)
    application = Application.objects.create(learner=learner, company="Lunit", notes="*hi*")
    Contribution.objects.create(
        learner=learner,
        url="https://github.com/vllm-project/vllm/pull/1",
        title="Fix the scheduler",
        state="merged",
    )
    question = Question.objects.current().first()
    answer = answer_save(user=learner, question=question, body="An answer", submit=True)
    recording_add(answer=answer, clean=clean_recording(io.BytesIO(webm(2))))

    me, them = "learner", "mentor"
    pages = {
        "hiring (public)": ("visitor", "/hiring/"),
        "hiring": (me, "/hiring/"),
        "resume screen": (me, "/hiring/resume/"),
        "resume result": (me, resume.get_absolute_url()),
        **{key: (me, a.get_absolute_url()) for key, a in by_round.items()},
        "mentor's live screen": (them, by_round["technical-screen"].get_absolute_url()),
        "mentor's trial view": (them, by_round["trial-project"].get_absolute_url()),
        "labs": (me, "/hiring/labs/"),
        "lab attempt": (me, lab.get_absolute_url()),
        "lab (mentor)": (them, lab.get_absolute_url()),
        "jobs board": (me, "/jobs/"),
        "new application": (me, "/jobs/new/"),
        "application": (me, f"/jobs/{application.pk}/"),
        "funnel": (me, "/jobs/funnel/"),
        "targets": (me, "/jobs/companies/"),
        "offer": (me, "/jobs/offer/"),
        "offer checked": (me, "/jobs/offer/?base=250000&period=year&currency=USD&level=senior"),
        "contributions": (me, "/jobs/contributions/"),
        "resume helper": (me, "/jobs/resume/"),
        "settings (reminders, calendar)": (me, "/settings/"),
        "study more": (me, "/practice/more/"),
        "recorder": (me, f"/practice/{question.key}/"),
    }
    return pages


def test_every_new_page_is_valid_html(learner, mentor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clients = {"visitor": Client(), "learner": Client(), "mentor": Client()}
    clients["learner"].force_login(learner)
    clients["mentor"].force_login(mentor)
    pages = {}
    for name, (who, url) in new_pages(learner, mentor).items():
        response = clients[who].get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[f"{name} {url}"] = response.content.decode()
    found = problems(pages)
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(m) for page, m in found.items())
