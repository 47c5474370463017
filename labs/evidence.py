"""A passed lab is rubric evidence: operating GPU infrastructure (Infrastructure) and
keeping training jobs healthy in production (Production ML)."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from tracker.evidence import Evidence, Row, Source, columns
from tracker.models import User

from .models import LabAttempt

DIMENSIONS = ("infrastructure", "production-ml")


def _rows(user: User):
    return columns(
        LabAttempt.objects.owned_by(user).filter(
            outcome=LabAttempt.Outcome.PASSED, submitted_at__isnull=False
        ),
        "lab",
        title=F("scenario__title"),
        at=F("submitted_at"),
    )


def _build(rows: list[Row]) -> list[Evidence]:
    """One item per passed attempt and dimension, newest first."""
    return [
        Evidence(
            dimension=dimension,
            title=f"Diagnosed the GPU incident “{row.title}”",
            url=reverse("labs:attempt", args=[row.pk]),
            kind="lab",
            verified=False,  # graded by the lab, not granted by a person
            on=row.at.date(),
        )
        for row in sorted(rows, key=lambda r: (r.at, r.pk), reverse=True)
        for dimension in DIMENSIONS
    ]


# A provider (tracker.evidence): its rows come in the one query of every source's.
lab_evidence = Source("lab", _rows, _build)
