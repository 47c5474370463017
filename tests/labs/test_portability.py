"""Lab attempts go out with the JSON export, come back with an import (re-scored, never
trusted), and go with the account when it is deleted."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError

from labs import services
from labs.models import LabAttempt, LabComment, LabRun
from tests.conftest import make_user
from tests.labs.conftest import make_attempt
from tracker.account_deletion import delete_account
from tracker.portability import export_user, import_user

pytestmark = pytest.mark.django_db
SOUND = ("nvidia-smi-topo", "stragglers", "nccl-log", "ibstat", "nvidia-smi-nvlink", "dmesg")


def _passed(learner, mentor=None) -> LabAttempt:
    attempt = make_attempt(learner, seed=21)
    t = services.telemetry_for(attempt)
    for command in SOUND:
        services.attempt_run(attempt=attempt, command=command, node=t.choices.node)
    services.attempt_submit(
        attempt=attempt, cause="nvlink-degraded", remediation="Drain it.", hypotheses="NVLink!"
    )
    services.attempt_comment(attempt=attempt, author=learner, body="My own note")
    if mentor:
        services.attempt_comment(attempt=attempt, author=mentor, body="Well found")
    attempt.refresh_from_db()
    return attempt


def test_the_export_holds_attempts_runs_and_the_thread(learner, mentor):
    attempt = _passed(learner, mentor)
    make_attempt(learner, key="input-pipeline", seed=3)
    labs = export_user(learner, base_url="https://x.example")["labs"]
    assert [a["scenario"] for a in labs] == ["degraded-nvlink", "input-pipeline"]
    first = labs[0]
    assert (
        first["seed"] == 21 and first["outcome"] == "passed" and first["cause"] == "nvlink-degraded"
    )
    assert [r["command"] for r in first["runs"]] == list(SOUND)
    assert first["runs"][0]["node"] == services.telemetry_for(attempt).choices.node
    assert first["runs"][1]["node"] is None  # a cluster command
    assert [c["author"] for c in first["comments"]] == ["lena", "mia"]


def test_a_round_trip_brings_the_attempts_back_and_scores_them_again(learner, mentor):
    _passed(learner, mentor)
    data = export_user(learner, base_url="https://x.example")
    copy_user = make_user("copy")
    counts = import_user(copy_user, data)
    assert counts["lab_attempts"] == 1 and counts["lab_runs"] == len(SOUND)
    assert counts["lab_comments"] == 1 and counts["others_events_dropped"] >= 1
    imported = LabAttempt.objects.owned_by(copy_user).get()
    assert imported.outcome == "passed" and imported.hypotheses == "NVLink!"
    assert list(imported.runs.values_list("command", flat=True)) == list(SOUND)
    assert LabComment.objects.get(attempt=imported).author == copy_user


def test_an_import_cannot_claim_a_pass(learner):
    attempt = _passed(learner)
    data = export_user(learner, base_url="https://x.example")
    forged = copy.deepcopy(data)
    forged["labs"][0]["runs"] = []  # no evidence seen…
    forged["labs"][0]["outcome"] = "passed"  # …but the file says passed
    import_user(make_user("forger"), forged)
    assert LabAttempt.objects.get(learner__username="forger").outcome == "lucky"
    assert attempt.outcome == "passed"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda a: a.update(scenario="no-such-lab"), "lab scenario no-such-lab"),
        (lambda a: a["runs"][0].update(node=40), "labs[0].runs[0].node"),
        (lambda a: a["runs"][0].update(command="rm"), "labs[0].runs[0].command"),
        (lambda a: a["runs"][0].update(command="memory"), "degraded-nvlink has no memory"),
        (lambda a: a.update(cause="aliens"), "labs[0].cause"),
        (lambda a: a.update(seed=-1), "labs[0].seed"),
        (lambda a: a.update(hypotheses="x\x00y"), "labs[0].hypotheses"),
    ],
)
def test_a_hostile_lab_entry_is_refused_and_nothing_is_written(learner, change, problem):
    _passed(learner)
    data = export_user(learner, base_url="https://x.example")
    change(data["labs"][0])
    target = make_user("target")
    with pytest.raises(ValidationError) as error:
        import_user(target, data)
    assert any(problem in message for message in error.value.messages), error.value.messages
    assert not LabAttempt.objects.filter(learner=target).exists()


def test_an_account_with_a_lab_attempt_is_not_empty_for_an_import(learner):
    make_attempt(learner)
    with pytest.raises(ValidationError, match="lab attempts"):
        import_user(learner, export_user(make_user("x"), base_url="https://x.example"))


def test_deleting_the_account_deletes_its_attempts_and_keeps_the_mentors_other_rows(
    learner, mentor
):
    attempt = _passed(learner, mentor)
    mentee_of_mia = make_user("other")
    other = make_attempt(mentee_of_mia)
    delete_account(learner)
    assert not LabAttempt.objects.filter(pk=attempt.pk).exists()
    assert not LabRun.objects.filter(attempt_id=attempt.pk).exists()
    assert not LabComment.objects.filter(attempt_id=attempt.pk).exists()
    assert LabAttempt.objects.filter(pk=other.pk).exists()


def test_a_deleted_mentors_comment_stays_as_a_deleted_users(learner, mentor, client):
    attempt = _passed(learner, mentor)
    delete_account(mentor)
    comment = LabComment.objects.get(attempt=attempt, body="Well found")
    assert comment.author is None
    client.force_login(learner)
    assert "A deleted user" in client.get(attempt.get_absolute_url()).content.decode()
