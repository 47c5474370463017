"""The roadmap's content as the pages read it, cached.

Content changes only when an editor reloads `seeds/` or edits it in the admin,
while every learner page reads it, so the phases with their goals, resources,
milestones, skills and question titles are read once and kept in Django's cache
under a content *version*. Any write to a content row bumps the version (see
`signals`), so the next read rebuilds. With a shared cache (REDIS_URL) every app
server sees the bump at once; with the per-process default a server may serve the
old content for at most CONTENT_TIMEOUT seconds.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch

from .models import Goal, Milestone, Phase, Question, Resource, Skill

CONTENT_TIMEOUT = 300
VERSION_KEY = "roadmap:content-version"


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid4().hex, None)
        current = cache.get(VERSION_KEY)
    return current


def bump() -> None:
    """Invalidate every cached view of the content."""
    cache.set(VERSION_KEY, uuid4().hex, None)


def phases() -> list[Phase]:
    """Active phases of the site's roadmap, in order, each with its active goals,
    resources, milestones, skills (with dimension) and questions (titles only)."""
    key = f"roadmap:{settings.ROADMAP_KEY}:{version()}:phases"
    found = cache.get(key)
    if found is None:
        found = list(
            Phase.objects.current().prefetch_related(
                Prefetch("goals", queryset=Goal.objects.active()),
                Prefetch("resources", queryset=Resource.objects.active()),
                Prefetch("milestones", queryset=Milestone.objects.active()),
                Prefetch("skills", queryset=Skill.objects.active().select_related("dimension")),
                Prefetch(
                    "questions",
                    queryset=Question.objects.active().only(
                        "id", "key", "text", "level", "phase_id", "order", "is_active"
                    ),
                ),
            )
        )
        cache.set(key, found, CONTENT_TIMEOUT)
    return found


def phase(key: str) -> Phase | None:
    return next((p for p in phases() if p.key == key), None)
