"""Evidence for the rubric's dimensions that the learner earned outside the roadmap's own
rows: a passed hiring round, a solved GPU-debugging lab, a merged open-source pull request.

Each app that holds such evidence registers a *provider* in its `AppConfig.ready()`::

    from tracker import evidence
    evidence.register(my_provider)

A provider takes the learner and returns `Evidence` items, in at most one query. A
`Source` is a provider in two halves — the learner's rows as the common `columns`, then
their evidence — so that every source's rows come in one query between them (a UNION
ALL): the assessment page and the portfolio pay one query for all the apps, not one each.
The assessment page shows them under each dimension (verified first, then newest first)
and the readiness signals count them. The tracker imports nothing of the apps that provide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast

from .models import User
from .prepared import Prepared


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


class Row(NamedTuple):
    """What a source selects of each of its rows (`columns`); what a column means is the
    source's own (a round's key, a pull request's URL...), None where it has none."""

    source: str
    pk: int
    key: str | None
    title: str | None
    text: str | None
    flag: bool | None
    at: datetime | None
    at2: datetime | None
    on: date | None


# Each column's type, so that every source's rows union alike on every database.
_TYPES = {
    "pk": IntegerField,
    "key": TextField,
    "title": TextField,
    "text": TextField,
    "flag": BooleanField,
    "at": DateTimeField,
    "at2": DateTimeField,
    "on": DateField,
}


def columns(rows: QuerySet, source: str, **exprs: Any) -> QuerySet:
    """`rows` as a source's `Row`s: `exprs` name -> expression (an F(), a Cast...) for
    the columns it has; the others are NULL. Unordered: a source orders in `build`."""
    unknown = set(exprs) - set(_TYPES)
    if unknown:
        raise ValueError(f"unknown evidence columns: {sorted(unknown)}")
    selected = {"ev_source": Value(source, output_field=TextField())}
    for name, field in _TYPES.items():
        expr = exprs.get(name)
        if expr is None and name == "pk":
            expr = F("pk")
        if expr is None:  # typed: PostgreSQL takes an untyped NULL for text
            expr = Cast(Value(None), field())
        selected[f"ev_{name}"] = expr
    return rows.order_by().annotate(**selected).values_list(*selected)


class Source:
    """A provider whose rows come in the one query of `for_learner`: `rows(user)` selects
    them through `columns`, `build(rows)` turns them into evidence. Called with a learner
    it is a provider of its own, in one query."""

    def __init__(
        self,
        name: str,
        rows: Callable[[User], QuerySet],
        build: Callable[[list[Row]], Iterable[Evidence]],
    ) -> None:
        self.name, self.rows, self.build = name, rows, build

    def __call__(self, user: User) -> list[Evidence]:
        return list(self.build([Row(*r) for r in self.rows(user)]))

    def __repr__(self) -> str:
        return f"Source({self.name!r})"


def register(provider: Provider) -> Provider:
    """Add a provider once (safe to call again from a reloaded `ready()`)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


# The union of the sources' rows, compiled once per set of sources (tracker.prepared):
# building and compiling it was most of what the evidence cost a page.
_unions: dict[tuple[Source, ...], Prepared] = {}


def _union(sources: tuple[Source, ...]) -> Prepared:
    found = _unions.get(sources)
    if found is None:

        def build(learner_id: int) -> QuerySet:
            learner = User(pk=learner_id)
            first, *rest = (s.rows(learner) for s in sources)
            return first.union(*rest, all=True) if rest else first

        found = _unions[sources] = Prepared(build, ("id",))
    return found


def for_learner(user: User) -> dict[str, list[Evidence]]:
    """Every provider's evidence, by dimension key: verified first, then newest first."""
    sources = tuple(p for p in _providers if isinstance(p, Source))
    rows: dict[str, list[Row]] = defaultdict(list)
    if sources and user.is_authenticated:
        for row in _union(sources).rows(User, user.pk):
            rows[row[0]].append(Row(*row))
    found: dict[str, list[Evidence]] = defaultdict(list)
    for provider in _providers:
        if isinstance(provider, Source):
            items = provider.build(rows[provider.name])
        else:
            items = provider(user)
        for item in items:
            found[item.dimension].append(item)
    for items in found.values():
        items.sort(key=lambda e: (not e.verified, -e.on.toordinal(), e.title))
    return dict(found)
