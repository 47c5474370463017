"""A passed lab is evidence for Infrastructure and Production ML on /assessment/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from labs import services
from labs.models import LabAttempt
from tests.labs.conftest import make_attempt
from tracker import evidence

pytestmark = pytest.mark.django_db


def test_only_a_passed_attempt_is_evidence_for_both_dimensions(learner, plan):
    wrong = make_attempt(learner, seed=3)
    services.attempt_submit(attempt=wrong, cause="thermal", remediation="r", hypotheses="")
    assert evidence.for_learner(learner) == {}
    wrong.refresh_from_db()
    passed = make_attempt(learner, seed=4)
    LabAttempt.objects.filter(pk=passed.pk).update(
        outcome="passed", submitted_at=wrong.submitted_at
    )
    found = evidence.for_learner(learner)
    assert set(found) == {"infrastructure", "production-ml"}
    item = found["infrastructure"][0]
    assert item.kind == "lab" and item.url == passed.get_absolute_url() and not item.verified
    assert "128 GPUs, 40% slower" in item.title


def test_the_provider_reads_in_one_query(learner, django_assert_num_queries):
    for seed in range(3):
        attempt = make_attempt(learner, seed=seed)
        services.attempt_submit(
            attempt=attempt, cause="nvlink-degraded", remediation="r", hypotheses=""
        )
    LabAttempt.objects.update(outcome="passed")
    from labs.evidence import lab_evidence

    with django_assert_num_queries(1):
        assert len(lab_evidence(learner)) == 6


def test_the_assessment_page_shows_the_lab(learner_client, learner, plan):
    attempt = make_attempt(learner, seed=5)
    services.attempt_submit(
        attempt=attempt, cause="nvlink-degraded", remediation="r", hypotheses=""
    )
    LabAttempt.objects.filter(pk=attempt.pk).update(outcome="passed")
    body = learner_client.get(reverse("assessment")).content.decode()
    assert attempt.get_absolute_url() in body


def test_passing_a_lab_shows_on_an_assessment_page_seen_before(learner_client, learner, plan):
    attempt = make_attempt(learner, seed=5)
    t = services.telemetry_for(attempt)
    url = reverse("assessment")
    assert attempt.get_absolute_url() not in learner_client.get(url).content.decode()
    for command in ("nvidia-smi-topo", "stragglers", "nccl-log", "ibstat", "nvidia-smi-nvlink"):
        services.attempt_run(attempt=attempt, command=command, node=t.choices.node)
    services.attempt_submit(
        attempt=attempt, cause="nvlink-degraded", remediation="r", hypotheses=""
    )
    attempt.refresh_from_db()
    assert attempt.outcome == "passed"
    assert attempt.get_absolute_url() in learner_client.get(url).content.decode()
