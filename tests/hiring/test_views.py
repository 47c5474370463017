"""The hiring rounds through HTTP: the path, timed screens run live by a mentor, the
take-home worksheet, the trial project, readiness, export and deletion."""

from __future__ import annotations

import json
from html import escape

import pytest
from django.test import Client
from django.utils import timezone

from hiring.models import Attempt, TrialUpdate
from hiring.services import attempt_judge, attempt_start, resume_screen
from roadmap.models import Dimension, HiringRound
from tests.conftest import make_plan, make_user
from tests.hiring.test_resume import GOOD, KAGGLE_ONLY
from tracker.account_deletion import delete_account
from tracker.assessment import assessment_create
from tracker.models import Answer, Quality
from tracker.portability import export_user, import_user
from tracker.practice import answer_save

pytestmark = pytest.mark.django_db


def rnd(key: str) -> HiringRound:
    return HiringRound.objects.get(key=key, is_active=True)


WORKSHEET = {
    "document": "## Serving\nvLLM with continuous batching.",
    "gpu_type": "H100 80GB",
    "users": 50000,
    "seconds_between_requests": 30,
    "tokens_per_completion": 500,
    "latency_target_s": 2,
    "model_size_b": 70,
    "bytes_per_param": 2,
    "gpu_memory_gb": 80,
    "weights_share": 0.7,
    "gpu_hourly_usd": 2.5,
    "tokens_per_s_per_gpu": 1500,
    "utilisation": 0.6,
    "budget_usd_month": 200000,
}


# --- the path ---------------------------------------------------------------------------


def test_visitors_see_every_round_with_what_it_tests_and_no_attempts(client):
    body = client.get("/hiring/").content.decode()
    assert 'id="round-resume-screen"' in body and 'id="round-trial-project"' in body
    assert "Tests: " in body and 'href="/rubric/#dimension-startup-fit"' in body
    assert "to rehearse this round" in body and "Your attempts" not in body
    # The lab app is not installed on this branch: the round is listed, without a link.
    assert "Live GPU debugging session" in body and "/hiring/labs/" not in body


def test_the_lab_round_links_to_the_lab_once_its_app_exists(learner_client, settings):
    settings.ROOT_URLCONF = "tests.hiring.urls_with_labs"
    body = learner_client.get("/hiring/").content.decode()
    assert 'href="/hiring/labs/">Open the GPU-debugging lab' in body


def test_the_learner_sees_their_attempts_with_outcome_and_reasons(learner_client, learner):
    resume_screen(learner=learner, round=rnd("resume-screen"), text=KAGGLE_ONLY)
    body = learner_client.get("/hiring/").content.decode()
    assert "Your attempts" in body and "Not yet" in body
    assert "ML frameworks appear, but never beside production work" in body


def test_the_path_query_count_does_not_grow_with_attempts(
    learner_client, learner, django_assert_num_queries
):
    def measure():
        learner_client.get("/hiring/")  # warms the content cache
        # session; user; the learner's attempts (one query for every round); a lab solved
        with django_assert_num_queries(4):
            assert learner_client.get("/hiring/").status_code == 200

    resume_screen(learner=learner, round=rnd("resume-screen"), text=GOOD)
    measure()
    for _ in range(49):
        attempt_start(learner=learner, round=rnd("scale-architecture-discussion"))
    measure()


def test_a_round_not_rehearsed_here_cannot_be_started(learner_client):
    assert learner_client.post("/hiring/rounds/coding/start/").status_code == 404
    assert learner_client.post("/hiring/rounds/live-gpu-debugging/start/").status_code == 404
    assert learner_client.post("/hiring/rounds/nope/start/").status_code == 404


# --- timed screens, run live by a mentor ------------------------------------------------


def test_a_technical_screen_is_a_timed_mock_interview(learner_client, learner):
    response = learner_client.post("/hiring/rounds/technical-screen/start/")
    attempt = Attempt.objects.get(learner=learner)
    assert response["Location"] == attempt.get_absolute_url()
    interview = attempt.interview
    assert interview.kind == "technical-screen" and interview.minutes == 30
    assert attempt.deadline == interview.deadline
    body = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert f'href="/interview/{interview.pk}/"' in body and 'class="countdown"' in body
    assert "Describe an ML system you built end-to-end" in body
    assert not interview.spoken  # written unless asked


def test_a_screen_can_be_answered_out_loud(learner_client, learner):
    page = learner_client.get("/hiring/").content.decode()
    assert page.count('name="spoken"') == 2  # the technical and the GPU screen
    learner_client.post("/hiring/rounds/gpu-infrastructure-screening/start/", {"spoken": "on"})
    interview = Attempt.objects.get(learner=learner).interview
    assert interview.kind == "gpu-screening" and interview.spoken
    # The take-home is a document, not an interview: the box means nothing there.
    learner_client.post("/hiring/rounds/infrastructure-design-take-home/start/", {"spoken": "on"})
    assert Attempt.objects.filter(learner=learner, interview__isnull=True).count() == 1


def test_a_mentor_runs_the_screen_live_and_their_pass_is_verified_evidence(client, learner, mentor):
    make_plan(learner)
    attempt = attempt_start(learner=learner, round=rnd("technical-screen"))
    question = attempt.interview.questions[0]
    from roadmap.models import Question

    q = Question.objects.get(pk=question)
    answer_save(
        user=learner,
        question=q,
        interview=attempt.interview,
        body="We used **Airflow**",
        submit=False,
    )
    client.force_login(mentor)
    page = client.get(attempt.get_absolute_url()).content.decode()
    # The prompts, the timer and the scoring form, with the answer as typed so far.
    assert "<html" in page and 'class="countdown"' in page
    assert "Score it as the recruiter" in page and "<strong>Airflow</strong>" in page
    assert 'data-hx-trigger="every 5s"' in page
    assert "A good answer covers" in page and escape(q.key_points[0]) in page  # to score by
    # The poll returns the answers alone.
    Answer.objects.filter(interview=attempt.interview).update(
        body="changed", body_html="<p>changed</p>"
    )
    partial = client.get(attempt.get_absolute_url(), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "changed" in partial.content.decode()
    response = client.post(
        f"/hiring/attempts/{attempt.pk}/judge/",
        {
            "outcome": "pass",
            "ticked": [Quality.SPECIFICITY, Quality.SYSTEMS_THINKING, Quality.DEBUGGING_STORIES],
            "comment": "Clear on retries",
        },
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.outcome == "pass" and attempt.judged_by == mentor and attempt.verified
    assert attempt.reasons == ["Not shown: Trade-off awareness"]
    assert attempt.interview.finished_at is not None
    # Evidence for the dimensions the round tests, on the learner's assessment.
    client.force_login(learner)
    body = client.get("/assessment/").content.decode()
    for key in ("production-ml", "orchestration"):  # the dimensions the round tests
        gap = body.split(f'id="gap-{key}"', 1)[1].split("</article>", 1)[0]
        assert "Passed the technical screen (a mentor)" in gap
    gap = body.split('id="gap-startup-fit"', 1)[1].split("</article>", 1)[0]
    assert "Passed the technical screen" not in gap


def test_a_judgement_without_an_outcome_keeps_what_was_ticked(learner_client, learner):
    attempt = attempt_start(learner=learner, round=rnd("gpu-infrastructure-screening"))
    response = learner_client.post(
        f"/hiring/attempts/{attempt.pk}/judge/",
        {"ticked": [Quality.SPECIFICITY], "comment": "my notes"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose pass or not yet." in body and "my notes</textarea>" in body
    assert 'value="specificity" id="id_ticked_0" checked' in body or (
        'value="specificity"' in body and "checked" in body
    )
    attempt.refresh_from_db()
    assert attempt.is_open


# --- take-home --------------------------------------------------------------------------


def test_the_worksheet_saves_and_shows_every_step(learner_client, learner):
    attempt = attempt_start(learner=learner, round=rnd("infrastructure-design-take-home"))
    url = attempt.get_absolute_url()
    assert learner_client.post(url + "save/", WORKSHEET).status_code == 302
    attempt.refresh_from_db()
    assert attempt.worksheet["users"] == 50000 and "vLLM" in attempt.document_html
    body = learner_client.get(url).content.decode()
    assert "<strong>927</strong>" in body and "$1,691,775" in body and "over by $1,491,775" in body


def test_a_bad_worksheet_value_keeps_every_value_and_says_which(learner_client, learner):
    attempt = attempt_start(learner=learner, round=rnd("infrastructure-design-take-home"))
    response = learner_client.post(
        attempt.get_absolute_url() + "save/", {**WORKSHEET, "utilisation": 7}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 1" in body
    assert 'value="7"' in body and "vLLM with continuous batching." in body
    attempt.refresh_from_db()
    assert attempt.worksheet == {} and "vLLM" not in attempt.document


def test_the_document_autosaves_with_htmx(learner_client, learner):
    attempt = attempt_start(learner=learner, round=rnd("infrastructure-design-take-home"))
    url = attempt.get_absolute_url() + "save/"
    response = learner_client.post(url, WORKSHEET, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Saved" in body
    # …with the worksheet's figures, recomputed, swapped in beside it.
    assert 'id="sheet" data-hx-swap-oob="true"' in body and "<strong>927</strong>" in body
    # Mid-edit, an invalid number is reported beside the button, not as a page.
    response = learner_client.post(url, {**WORKSHEET, "users": ""}, headers={"HX-Request": "true"})
    assert "Not saved: This field is required." in response.content.decode()


def test_the_save_form_posts_with_a_csrf_token(learner):
    attempt = attempt_start(learner=learner, round=rnd("scale-architecture-discussion"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = client.get(attempt.get_absolute_url())
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or next(iter(c.value for n, c in page.cookies.items() if "csrftoken" in n))
    response = client.post(
        attempt.get_absolute_url() + "save/",
        {"document": "My answer"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.document == "My answer"


def test_the_worksheet_page_query_count_is_pinned(
    learner_client, learner, django_assert_num_queries
):
    attempt = attempt_start(learner=learner, round=rnd("infrastructure-design-take-home"))
    learner_client.get(attempt.get_absolute_url())  # warms the content cache
    # session; user; the attempt (+round, process, interview, learner, judge); diagrams
    with django_assert_num_queries(4):
        assert learner_client.get(attempt.get_absolute_url()).status_code == 200


# --- trial project ----------------------------------------------------------------------


def test_the_trial_project_takes_weekly_updates_and_the_clients_ratings(client, learner, mentor):
    attempt = attempt_start(learner=learner, round=rnd("trial-project"))
    client.force_login(learner)
    client.post(attempt.get_absolute_url() + "updates/", {"body": "Week 1: **scoped** it"})
    client.post(attempt.get_absolute_url() + "updates/", {"body": "Week 2: shipped"})
    assert [u.body for u in attempt.updates.all()] == ["Week 1: **scoped** it", "Week 2: shipped"]
    assert "<strong>scoped</strong>" in client.get(attempt.get_absolute_url()).content.decode()
    # The mentor, as the client, cannot post the learner's updates…
    client.force_login(mentor)
    assert client.post(attempt.get_absolute_url() + "updates/", {"body": "x"}).status_code == 404
    # …but rates the work.
    body = client.get(attempt.get_absolute_url()).content.decode()
    assert "Rate it as the client" in body
    client.post(
        attempt.get_absolute_url() + "judge/",
        {"outcome": "pass", "communication": 4, "code_quality": 5, "ambiguity": 2},
    )
    attempt.refresh_from_db()
    assert attempt.ratings == {"communication": 4, "code_quality": 5, "ambiguity": 2}
    assert attempt.reasons == ["Ambiguity rated 2 of 5"]
    client.force_login(learner)
    body = client.get("/assessment/").content.decode()
    gap = body.split('id="gap-startup-fit"', 1)[1].split("</article>", 1)[0]
    assert "Passed the trial project (a mentor)" in gap


def test_updates_belong_to_trial_projects_only(learner_client, learner):
    attempt = attempt_start(learner=learner, round=rnd("scale-architecture-discussion"))
    assert (
        learner_client.post(attempt.get_absolute_url() + "updates/", {"body": "x"}).status_code
        == 404
    )


# --- the resume screen as a recruiter ---------------------------------------------------


def test_a_mentor_screens_the_resume_in_five_minutes_and_overrides_the_rules(
    client, learner, mentor
):
    attempt = resume_screen(learner=learner, round=rnd("resume-screen"), text=KAGGLE_ONLY)
    client.force_login(mentor)
    body = client.get(attempt.get_absolute_url()).content.decode()
    assert 'data-seconds="300"' in body and "Kaggle Competitions Expert" in body
    assert "Score it as the recruiter" in body
    client.post(attempt.get_absolute_url() + "judge/", {"outcome": "pass", "comment": "Fine"})
    attempt.refresh_from_db()
    assert attempt.outcome == "pass" and attempt.verified and attempt.comment == "Fine"


# --- readiness --------------------------------------------------------------------------


def test_the_dashboard_says_ready_to_apply_only_when_all_three_hold(
    learner_client, learner, mentor
):
    make_plan(learner)
    body = learner_client.get("/dashboard/").content.decode()
    assert "Ready to apply?" in body and "Next to rehearse" in body
    assert "#round-resume-screen" in body
    resume_screen(learner=learner, round=rnd("resume-screen"), text=GOOD)
    screen = attempt_start(learner=learner, round=rnd("technical-screen"))
    attempt_judge(
        attempt=screen, judge=mentor, outcome="pass", ticked=[], criteria=[], ratings={},
        comment="",
    )  # fmt: skip
    body = learner_client.get("/dashboard/").content.decode()
    assert "Rounds passed: Resume screen, Technical screen." in body
    assert "#round-gpu-infrastructure-screening" in body
    assert '<span class="badge badge-large state-approved">Ready to apply</span>' not in body
    dims = list(Dimension.objects.filter(is_active=True, rubric__is_active=True))
    assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (4, "x") for d in dims}
    )
    body = learner_client.get("/dashboard/").content.decode()
    assert '<span class="badge badge-large state-approved">Ready to apply</span>' in body


# --- export, import, deletion -----------------------------------------------------------


def test_attempts_go_with_the_export_and_an_import_keeps_no_mentors_judgement(learner, mentor):
    resume_screen(learner=learner, round=rnd("resume-screen"), text=GOOD)
    trial = attempt_start(learner=learner, round=rnd("trial-project"))
    TrialUpdate.objects.create(attempt=trial, body="Week 1")
    attempt_judge(
        attempt=trial, judge=mentor, outcome="pass", ticked=[], criteria=[],
        ratings={"communication": 5}, comment="great",
    )  # fmt: skip
    take_home = attempt_start(learner=learner, round=rnd("infrastructure-design-take-home"))
    take_home.worksheet = {"users": 1000}
    take_home.save()
    data = json.loads(json.dumps(export_user(learner, base_url="https://x.example")))
    exported = data["hiring"]["attempts"]
    assert [a["round"] for a in exported] == [
        "resume-screen",
        "trial-project",
        "infrastructure-design-take-home",
    ]
    assert exported[1]["judged_by_mentor"] and exported[1]["updates"][0]["body"] == "Week 1"
    # A file may claim anything: the trial's mentor pass does not come across.
    bea = make_user("bea")
    counts = import_user(bea, data)
    assert counts["hiring_attempts"] == 3 and counts["others_events_dropped"] == 1
    copied = {a.round.key: a for a in Attempt.objects.filter(learner=bea)}
    assert copied["trial-project"].is_open and copied["trial-project"].judged_by is None
    assert copied["resume-screen"].outcome == "pass"  # screened again by the rules
    assert copied["infrastructure-design-take-home"].worksheet["users"] == 1000
    assert copied["trial-project"].updates.get().body == "Week 1"


def test_an_import_with_a_bad_worksheet_is_refused(learner):
    data = export_user(learner, base_url="https://x.example")
    data["hiring"] = {
        "attempts": [
            {
                "round": "infrastructure-design-take-home",
                "started_at": timezone.now().isoformat(),
                "worksheet": {"utilisation": 50},
                "outcome": "open",
                "judged_by_mentor": False,
            }
        ]
    }
    bea = make_user("bea")
    with pytest.raises(Exception, match="utilisation"):
        import_user(bea, data)
    assert not Attempt.objects.filter(learner=bea).exists()


def test_deleting_the_account_deletes_its_attempts_and_resumes(learner):
    attempt = resume_screen(learner=learner, round=rnd("resume-screen"), text=GOOD)
    trial = attempt_start(learner=learner, round=rnd("trial-project"))
    TrialUpdate.objects.create(attempt=trial, body="Week 1")
    delete_account(learner)
    assert not Attempt.objects.filter(pk__in=[attempt.pk, trial.pk]).exists()
    assert not TrialUpdate.objects.exists()


def test_starting_a_round_tells_the_mentor_where_to_run_it(learner, mentor):
    from tracker.models import Notification

    attempt = attempt_start(learner=learner, round=rnd("scale-architecture-discussion"))
    note = Notification.objects.get(user=mentor)
    assert note.url == attempt.get_absolute_url() and "run it live" in note.text
    # The structured answer starts from the round's prompts, one heading each.
    assert attempt.document.startswith("## How many GPUs?")
    assert attempt.document.count("## ") == 3


def test_the_owner_cannot_pass_their_own_resume(learner_client, learner):
    attempt = resume_screen(learner=learner, round=rnd("resume-screen"), text=KAGGLE_ONLY)
    response = learner_client.post(attempt.get_absolute_url() + "judge/", {"outcome": "pass"})
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.outcome == "not-yet"
