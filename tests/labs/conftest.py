from __future__ import annotations

import pytest

from labs import services
from labs.models import LabAttempt
from roadmap.models import LabScenario


def make_attempt(user, key: str = "degraded-nvlink", seed: int | None = None) -> LabAttempt:
    attempt = services.attempt_start(learner=user, scenario=LabScenario.objects.get(key=key))
    if seed is not None:
        attempt.seed = seed
        attempt.save(update_fields=["seed"])
    return attempt


@pytest.fixture
def attempt(learner) -> LabAttempt:
    """The learner's open attempt at the degraded-NVLink lab, seed 7."""
    return make_attempt(learner, seed=7)
