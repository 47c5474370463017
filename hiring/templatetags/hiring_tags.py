from __future__ import annotations

from django import template
from django.core.cache import cache

from roadmap import content
from tracker.assessment import latest_scores_pair
from tracker.cache import ASSESSMENT, FRAGMENT_TIMEOUT, fragment_key
from tracker.models import User
from tracker.trust import trusted_verdict

from ..rounds import Readiness, readiness

register = template.Library()


@register.simple_tag
def hiring_readiness(user: User) -> Readiness:
    """Rounds passed, the next to rehearse, and whether the learner is ready to apply,
    with the verdict on the mentor's scores where they gave one (tracker.trust). Cached
    under the learner's assessment version (a round's outcome bumps it): a few queries
    on a miss, none on a hit."""
    key = "hiring:readiness:" + fragment_key(learners=[user.pk], areas=(ASSESSMENT,))
    found = cache.get(key)
    if found is None:
        found = _readiness(user)
        cache.set(key, found, FRAGMENT_TIMEOUT)
    return found


def _readiness(user: User) -> Readiness:
    rubric = content.rubric()
    found = latest_scores_pair(user)
    strong = False
    if rubric is not None and (found.own or found.mentor):
        strong = trusted_verdict(rubric, found.own, found.mentor).verdict.strong
    return readiness(user, strong=strong)
