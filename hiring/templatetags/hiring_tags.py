from __future__ import annotations

from django import template

from roadmap import content
from tracker.assessment import latest, verdict
from tracker.models import Assessment, User

from ..rounds import Readiness, readiness

register = template.Library()


@register.simple_tag
def hiring_readiness(user: User) -> Readiness:
    """Rounds passed, the next to rehearse, and whether the learner is ready to apply.
    Three queries: the latest self-assessment, its scores, the passed rounds."""
    rubric = content.rubric()
    own = latest(user, Assessment.Role.SELF)
    strong = False
    if rubric is not None and own is not None:
        strong = verdict(rubric, {s.dimension_id: s.score for s in own.scores.all()}).strong
    return readiness(user, strong=strong)
