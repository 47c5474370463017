"""The lab pages through HTTP: start, run, notebook, submit, review."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from labs import services
from labs.models import LabAttempt, LabComment, LabRun
from tracker.models import Notification

pytestmark = pytest.mark.django_db


def test_the_index_lists_the_six_incidents(learner_client):
    response = learner_client.get(reverse("labs:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "OOM after 4 hours on 8×A100 nodes" in body
    assert body.count('action="/hiring/labs/start/') == 6


def test_starting_a_lab_creates_an_attempt_and_opens_it(learner_client, learner):
    assert not LabAttempt.objects.owned_by(learner).exists()
    response = learner_client.post(reverse("labs:start", args=["thermal-throttling"]))
    attempt = LabAttempt.objects.owned_by(learner).get()
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert "Slow since the heatwave" in page and "Nothing run yet" in page


def test_a_retry_is_a_new_puzzle(learner_client, learner):
    url = reverse("labs:start", args=["degraded-nvlink"])
    learner_client.post(url)
    learner_client.post(url)
    first, second = LabAttempt.objects.owned_by(learner).order_by("pk")
    spec = first.scenario.spec
    from labs.telemetry import draw

    a, b = draw(spec, first.seed), draw(spec, second.seed)
    assert (a.node, a.gpu) != (b.node, b.gpu)


def test_running_a_command_records_it_and_shows_its_output(learner_client, attempt):
    url = reverse("labs:run", args=[attempt.pk])
    response = learner_client.post(url, {"command": "stragglers", "node": "0", "hypotheses": "h1"})
    assert response.status_code == 302
    learner_client.post(url, {"command": "nvidia-smi-topo", "node": "3", "hypotheses": "h2"})
    runs = list(attempt.runs.values_list("order", "command", "node"))
    assert runs == [(1, "stragglers", None), (2, "nvidia-smi-topo", 3)]
    attempt.refresh_from_db()
    assert attempt.hypotheses == "h2", "the notebook is saved with every run"
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert "Nodes with stragglers:" in page and "gpu-04$ nvidia-smi topo -m" in page
    assert "<svg" in page and "Per-rank step times (ms): the numbers" in page


def test_with_htmx_a_run_returns_only_the_console(learner_client, attempt):
    response = learner_client.post(
        reverse("labs:run", args=[attempt.pk]),
        {"command": "nccl-log", "node": "0"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="console"' in body and "<html" not in body and "Using network IB" in body


def test_the_full_page_has_html(learner_client, attempt):
    assert "<html" in learner_client.get(attempt.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "data",
    [{"command": "rm -rf /"}, {"command": "nvidia-smi", "node": "99"}, {"command": "memory"}, {}],
)
def test_a_bad_command_is_refused_without_a_run(learner_client, attempt, data):
    response = learner_client.post(
        reverse("labs:run", args=[attempt.pk]), {**data, "hypotheses": "kept"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "kept</textarea>" in body
    assert "Choose a command" in body or "Choose a node" in body or "no such command" in body
    assert not LabRun.objects.filter(attempt=attempt).exists()


def test_notes_autosave_with_htmx_and_by_plain_post(learner_client, attempt):
    url = reverse("labs:notes", args=[attempt.pk])
    response = learner_client.post(
        url, {"hypotheses": "NVLink?", "remediation": "drain"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.hypotheses, attempt.remediation) == ("NVLink?", "drain")
    learner_client.post(url, {"hypotheses": "IB?", "remediation": "drain"})
    attempt.refresh_from_db()
    assert attempt.hypotheses == "IB?"


def test_too_long_notes_are_not_saved_and_say_so(learner_client, attempt):
    response = learner_client.post(
        reverse("labs:notes", args=[attempt.pk]),
        {"hypotheses": "x" * 20_001, "remediation": ""},
        headers={"HX-Request": "true"},
    )
    assert "Not saved" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.hypotheses == ""


def test_a_submit_with_errors_keeps_every_value(learner_client, attempt):
    response = learner_client.post(
        reverse("labs:submit", args=[attempt.pk]),
        {"hypotheses": "my long thinking", "remediation": "", "cause": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "my long thinking" in body
    assert "Choose the root cause you found." in body and "Say how you would fix it" in body
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.hypotheses == "my long thinking"


def _solve(client, attempt, order):
    t = services.telemetry_for(attempt)
    for command in order:
        client.post(
            reverse("labs:run", args=[attempt.pk]),
            {"command": command, "node": str(t.choices.node)},
        )


def test_a_correct_diagnosis_with_a_sound_method_passes(learner_client, attempt):
    _solve(
        learner_client,
        attempt,
        ["nvidia-smi-topo", "stragglers", "nccl-tests", "ibstat", "nvidia-smi-nvlink", "dmesg"],
    )
    response = learner_client.post(
        reverse("labs:submit", args=[attempt.pk]),
        {"cause": "nvlink-degraded", "remediation": "Drain the node.", "hypotheses": "h"},
        follow=True,
    )
    body = response.content.decode()
    attempt.refresh_from_db()
    assert attempt.outcome == "passed" and not attempt.is_open
    assert "The evidence trail" in body and "seen in run #2" in body
    assert "Checked GPU topology first" in body


def test_after_the_diagnosis_no_more_commands_run(learner_client, attempt):
    services.attempt_submit(attempt=attempt, cause="thermal", remediation="r", hypotheses="")
    learner_client.post(reverse("labs:run", args=[attempt.pk]), {"command": "stragglers"})
    assert not attempt.runs.exists()
    response = learner_client.post(
        reverse("labs:submit", args=[attempt.pk]), {"cause": "nvlink-degraded", "remediation": "r"}
    )
    attempt.refresh_from_db()
    assert response.status_code == 302 and attempt.outcome == "wrong"


def test_the_mentor_reads_the_attempt_and_comments_and_the_learner_is_told(
    client, mentor, learner, attempt
):
    services.attempt_save_notes(attempt=attempt, hypotheses="It is NVLink", remediation="")
    services.attempt_submit(
        attempt=attempt, cause="thermal", remediation="fans", hypotheses="It is NVLink"
    )
    client.force_login(mentor)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "It is NVLink" in page and "Run a command" not in page
    response = client.post(
        reverse("labs:comment", args=[attempt.pk]), {"body": "Check **topo** first"}
    )
    assert response.status_code == 302
    comment = LabComment.objects.get(attempt=attempt)
    assert comment.author == mentor and "<strong>topo</strong>" in comment.body_html
    assert Notification.objects.filter(user=learner, url=attempt.get_absolute_url()).exists()
    # The mentor cannot act as the learner.
    assert (
        client.post(reverse("labs:run", args=[attempt.pk]), {"command": "stragglers"}).status_code
        == 404
    )


def test_forms_work_with_csrf_enforced_and_htmx(learner, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = client.get(attempt.get_absolute_url())
    token = page.cookies[
        "__Host-csrftoken" if "__Host-csrftoken" in page.cookies else "csrftoken"
    ].value
    response = client.post(
        reverse("labs:run", args=[attempt.pk]),
        {"command": "stragglers", "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200 and attempt.runs.count() == 1


def test_older_outputs_are_a_link_away_and_open_on_request(learner_client, attempt):
    for command in ("nvidia-smi-topo", "stragglers", "nccl-log", "ibstat", "nccl-tests"):
        services.attempt_run(attempt=attempt, command=command, node=0)
    url = attempt.get_absolute_url()
    page = learner_client.get(url).content.decode()
    assert page.count('<pre class="lab-terminal"') == 3
    assert 'href="?show=1#run-1"' in page and "Nodes with stragglers" not in page
    shown = learner_client.get(url + "?show=2").content.decode()
    assert shown.count('<pre class="lab-terminal"') == 4 and "Nodes with stragglers" in shown
    for junk in ("?show=99", "?show=abc", "?show=" + "9" * 40):
        assert learner_client.get(url + junk).status_code == 200


def test_a_solved_lab_is_a_passed_debugging_round_on_the_hiring_path(learner_client, attempt):
    from hiring.rounds import DEBUGGING, readiness

    def debugging_step():
        body = learner_client.get(reverse("hiring:index")).content.decode()
        start = body.index(f'id="round-{DEBUGGING}"')
        return body[start : body.index("</h3>", start)]

    assert "Passed" not in debugging_step()
    LabAttempt.objects.filter(pk=attempt.pk).update(outcome=LabAttempt.Outcome.WRONG)
    assert "Passed" not in debugging_step()  # a wrong cause is no pass
    LabAttempt.objects.filter(pk=attempt.pk).update(outcome=LabAttempt.Outcome.PASSED)
    assert "Passed" in debugging_step()
    # Readiness counts it too: listed as passed, never the next round to rehearse.
    found = readiness(attempt.learner, strong=False)
    assert any("debugging" in title.lower() for title in found.passed)
    assert found.next_round is None or found.next_round.key != DEBUGGING
