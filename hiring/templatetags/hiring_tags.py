from __future__ import annotations

from django import template
from django.core.cache import cache

from roadmap import content
from tracker.assessment import LatestScores, latest_scores_pair
from tracker.cache import ASSESSMENT, FRAGMENT_TIMEOUT, fragment_key
from tracker.models import User
from tracker.trust import trusted_verdict

from ..rounds import Readiness, passed_round_keys, readiness

register = template.Library()


@register.simple_tag
def hiring_readiness(user: User, data=None) -> Readiness:
    """Rounds passed, the next to rehearse, and whether the learner is ready to apply,
    with the verdict on the mentor's scores where they gave one (tracker.trust). Cached
    under the learner's assessment version (a round's outcome bumps it): on a miss, the
    rounds passed in one query, and the latest scores in another unless the page's data
    (`data`, e.g. the dashboard's `Lazy`) already holds them as `scores` — read only on
    a miss, so a hit costs nothing."""
    key = "hiring:readiness:" + fragment_key(learners=[user.pk], areas=(ASSESSMENT,))
    found = cache.get(key)
    if found is None:
        found = _readiness(user, _scores(user, data))
        cache.set(key, found, FRAGMENT_TIMEOUT)
    return found


def _scores(user: User, data) -> LatestScores:
    try:
        found = data["scores"]
    except (KeyError, TypeError):
        found = None
    return found if isinstance(found, LatestScores) else latest_scores_pair(user)


def _readiness(user: User, found: LatestScores) -> Readiness:
    rubric = content.rubric()
    strong = False
    if rubric is not None and (found.own or found.mentor):
        strong = trusted_verdict(rubric, found.own, found.mentor).verdict.strong
    return readiness(user, strong=strong, passed=passed_round_keys(user))
