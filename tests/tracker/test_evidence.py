"""Evidence other apps contribute shows under its dimension on the assessment page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tracker import evidence
from tracker.evidence import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def provided(monkeypatch):
    items: list[Evidence] = []
    monkeypatch.setattr(evidence, "_providers", [lambda user: list(items)])
    return items


def test_evidence_is_grouped_by_dimension_verified_first_then_newest(provided, learner):
    provided += [
        Evidence("infrastructure", "Self old", "/a/", "round", False, date(2026, 1, 1)),
        Evidence("infrastructure", "Self new", "/b/", "round", False, date(2026, 3, 1)),
        Evidence("infrastructure", "Mentor passed", "/c/", "round", True, date(2025, 1, 1)),
        Evidence("production-ml", "Merged PR", "/d/", "contribution", True, date(2026, 2, 1)),
    ]
    found = evidence.for_learner(learner)
    assert [e.title for e in found["infrastructure"]] == ["Mentor passed", "Self new", "Self old"]
    assert [e.title for e in found["production-ml"]] == ["Merged PR"]


def test_the_assessment_page_shows_each_item_under_its_dimension(provided, learner_client):
    from roadmap import content

    dimension = content.rubric().dimensions.all()[0]
    provided.append(
        Evidence(
            dimension.key, "Passed the GPU screening", "/hiring/#x", "round", True, date.today()
        )
    )
    html = learner_client.get(reverse("assessment")).content.decode()
    assert "Passed the GPU screening" in html
    assert "verified" in html


def test_register_adds_a_provider_once(monkeypatch):
    monkeypatch.setattr(evidence, "_providers", [])

    def provider(user):
        return []

    evidence.register(provider)
    evidence.register(provider)
    assert evidence._providers == [provider]


def _earn(user, n: int, mentor=None) -> None:
    """`n` passed hiring rounds (judged by `mentor` when given), passed labs and merged
    pull requests."""
    from django.utils import timezone

    from hiring.models import Attempt
    from jobs.models import Contribution
    from labs.models import LabAttempt
    from roadmap.models import HiringRound, LabScenario

    now = timezone.now()
    rounds = list(HiringRound.objects.filter(is_active=True))
    scenario = LabScenario.objects.filter(is_active=True).first()
    for i in range(n):
        Attempt.objects.create(
            learner=user,
            round=rounds[i % len(rounds)],
            outcome="pass",
            judged_at=now,
            judged_by=mentor or user,
        )
        LabAttempt.objects.create(
            learner=user, scenario=scenario, seed=i, outcome="passed", submitted_at=now
        )
        Contribution.objects.create(
            learner=user,
            url=f"https://github.com/vllm-project/vllm/pull/{i + 1}",
            title=f"PR {i}",
            state="merged",
            dimensions=["infrastructure"],
        )


@pytest.mark.parametrize("n", [1, 50])
def test_every_apps_evidence_comes_in_one_query_and_only_the_learners(
    learner, other_learner, mentor, n, django_assert_num_queries
):
    _earn(other_learner, 5)  # never read: another learner's
    _earn(learner, n, mentor=mentor)
    evidence.for_learner(learner)  # the rubric (which rounds test what) into the content cache
    with django_assert_num_queries(1):
        found = evidence.for_learner(learner)
    items = [e for group in found.values() for e in group]
    # Each source as when it is asked alone (its own query), in the same order.
    alone = [e for provider in evidence._providers for e in provider(learner)]
    assert sorted(items, key=repr) == sorted(alone, key=repr)
    kinds = {e.kind for e in items}
    assert kinds == {"round", "lab", "contribution"}
    assert sum(e.kind == "lab" for e in items) == 2 * n  # two dimensions each
    assert sum(e.kind == "contribution" for e in items) == n
    assert all(e.verified for e in items if e.kind in ("round", "contribution"))
    assert "/labs/" in next(e.url for e in items if e.kind == "lab")
