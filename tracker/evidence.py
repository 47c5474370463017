"""Evidence for the rubric's dimensions that the learner earned outside the roadmap's own
rows: a passed hiring round, a solved GPU-debugging lab, a merged open-source pull request.

Each app that holds such evidence registers a *provider* in its `AppConfig.ready()`::

    from tracker import evidence
    evidence.register(my_provider)

A provider takes the learner and returns `Evidence` items, in at most one query. The
assessment page shows them under each dimension (verified first, then newest first) and
the readiness signals count them. The tracker imports nothing of the apps that provide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from .models import User


@dataclass(frozen=True)
class Evidence:
    dimension: str  # a rubric Dimension's key
    title: str  # what was shown: "Passed the technical screen", "Merged: vllm-project/vllm#123"
    url: str  # where the learner (or their mentor) sees it
    kind: str  # "round", "lab", "contribution" ...
    verified: bool  # granted by someone else (a mentor's pass, a merged pull request)
    on: date


Provider = Callable[[User], Iterable[Evidence]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider once (safe to call again from a reloaded `ready()`)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def for_learner(user: User) -> dict[str, list[Evidence]]:
    """Every provider's evidence, by dimension key: verified first, then newest first."""
    found: dict[str, list[Evidence]] = defaultdict(list)
    for provider in _providers:
        for item in provider(user):
            found[item.dimension].append(item)
    for items in found.values():
        items.sort(key=lambda e: (not e.verified, -e.on.toordinal(), e.title))
    return dict(found)
