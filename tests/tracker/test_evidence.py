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
