"""The roadmap's content as the pages read it, cached.

Content changes only when an editor reloads `seeds/` or edits it in the admin,
while every page reads it, so the phases with their items, the backgrounds and the
roadmap row are read once and kept in Django's cache under a content *version*.
Any write to a content row bumps the version (see `signals`), so the next read
rebuilds. With a shared cache (REDIS_URL) every app server sees the bump at once;
with the per-process default a server may serve old content for at most
CONTENT_TIMEOUT seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch

from .models import (
    Background,
    Dimension,
    Goal,
    HiringProcess,
    HiringRound,
    MarketFact,
    Milestone,
    PayRange,
    Phase,
    Question,
    Resource,
    Roadmap,
    Role,
    RolePath,
    Rubric,
    RubricItem,
    Skill,
    TechCategory,
)

CONTENT_TIMEOUT = 300
VERSION_KEY = "roadmap:content-version"


class _Memo:
    """What this process last unpickled, for one content version.

    Unpickling ~200 rows costs milliseconds, more than the rest of a page. The memo
    is keyed by the shared version, so it is never fresher or staler than the cache
    itself. Its rows are shared between requests: treat them as read-only.
    """

    version: str | None = None
    items: dict[str, Any] = {}


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        fresh = uuid4().hex
        cache.add(VERSION_KEY, fresh, None)
        # With the cache down the read-back misses too: a fresh version, so the memo
        # below is rebuilt rather than kept across a reload it cannot see.
        current = cache.get(VERSION_KEY) or fresh
    return current


def bump() -> None:
    """Invalidate every cached view of the content."""
    cache.set(VERSION_KEY, uuid4().hex, None)
    _Memo.version, _Memo.items = None, {}


def _cached(name: str, build: Callable[[], Any]) -> Any:
    current = version()
    if _Memo.version != current:
        _Memo.version, _Memo.items = current, {}
    if name not in _Memo.items:
        key = f"roadmap:{settings.ROADMAP_KEY}:{current}:{name}"
        found = cache.get(key)
        if found is None:
            found = build()
            cache.set(key, found, CONTENT_TIMEOUT)
        _Memo.items[name] = found
    return _Memo.items[name]


def phases() -> list[Phase]:
    """Active phases of the site's roadmap, in order, each with its active goals,
    resources, milestones, skills (with dimension) and questions (titles only)."""
    return _cached(
        "phases",
        lambda: list(
            Phase.objects.current().prefetch_related(
                Prefetch("goals", queryset=Goal.objects.active()),
                Prefetch("resources", queryset=Resource.objects.active()),
                Prefetch("milestones", queryset=Milestone.objects.active()),
                Prefetch("skills", queryset=Skill.objects.active().select_related("dimension")),
                Prefetch(
                    "questions",
                    queryset=Question.objects.active().only(
                        "id",
                        "key",
                        "text",
                        "level",
                        "phase_id",
                        "dimension_id",
                        "order",
                        "is_active",
                    ),
                ),
            )
        ),
    )


def phase(key: str) -> Phase | None:
    return next((p for p in phases() if p.key == key), None)


def roadmap() -> Roadmap | None:
    return _cached("roadmap", lambda: Roadmap.objects.current().first())


def backgrounds() -> list[Background]:
    """Active backgrounds, each with its active credit goals (with their phase)."""
    goals = Goal.objects.active().select_related("phase").order_by("phase__order", "order")
    return _cached(
        "backgrounds",
        lambda: list(
            Background.objects.current().prefetch_related(Prefetch("credit_goals", queryset=goals))
        ),
    )


def rubric() -> Rubric | None:
    """The site's rubric with its active dimensions and items (checks, flags, markers)."""
    return _cached(
        "rubric",
        lambda: (
            Rubric.objects.current()
            .prefetch_related(
                Prefetch("dimensions", queryset=Dimension.objects.active()),
                Prefetch("items", queryset=RubricItem.objects.active()),
            )
            .first()
        ),
    )


def market() -> dict[str, Any]:
    """The roles, paths, pay ranges, facts (grouped by kind), landscape and hiring
    processes with their rounds: what /roles/, /landscape/, /hiring/ and /career/ show."""

    def build() -> dict[str, Any]:
        # Keyed by kind with underscores, so a template can say `facts.role_note`.
        facts: dict[str, list[MarketFact]] = {
            kind.replace("-", "_"): [] for kind in MarketFact.Kind.values
        }
        for fact in MarketFact.objects.current():
            facts[fact.kind.replace("-", "_")].append(fact)
        pay = list(PayRange.objects.current())
        landscape = list(TechCategory.objects.current())
        return {
            "roles": list(Role.objects.current()),
            "paths": list(RolePath.objects.current().select_related("background", "role")),
            "company_pay": [p for p in pay if p.kind == PayRange.Kind.COMPANY_TYPE],
            "senior_paths": [p for p in pay if p.kind == PayRange.Kind.SENIOR_PATH],
            "facts": facts,
            # Per kind, the documents its facts come from (for a table's one source line).
            "fact_sources": {
                kind: ", ".join(sorted({f.source for f in rows})) for kind, rows in facts.items()
            },
            "landscape": landscape,
            "landscape_sources": ", ".join(sorted({row.source for row in landscape})),
            "processes": list(
                HiringProcess.objects.current().prefetch_related(
                    Prefetch("rounds", queryset=HiringRound.objects.active())
                )
            ),
        }

    return _cached("market", build)
