"""A passed lab is rubric evidence: operating GPU infrastructure (Infrastructure) and
keeping training jobs healthy in production (Production ML)."""

from __future__ import annotations

from tracker.evidence import Evidence
from tracker.models import User

from .models import LabAttempt

DIMENSIONS = ("infrastructure", "production-ml")


def lab_evidence(user: User) -> list[Evidence]:
    """One item per passed attempt and dimension, in one query."""
    passed = LabAttempt.objects.owned_by(user).filter(
        outcome=LabAttempt.Outcome.PASSED, submitted_at__isnull=False
    )
    return [
        Evidence(
            dimension=dimension,
            title=f"Diagnosed the GPU incident “{attempt.scenario.title}”",
            url=attempt.get_absolute_url(),
            kind="lab",
            verified=False,  # graded by the lab, not granted by a person
            on=attempt.submitted_at.date(),
        )
        for attempt in passed.select_related("scenario").order_by("-submitted_at")
        for dimension in DIMENSIONS
    ]
