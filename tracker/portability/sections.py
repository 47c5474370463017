"""Sections other apps add to the export file, so the tracker imports nothing of theirs.

An app registers a `Section` from its `AppConfig.ready()`::

    from tracker.portability import sections
    sections.register(sections.Section(key="applications", entry=ApplicationEntry, ...))

The file then carries a top-level value under `key`: a list of `entry` (an older file
without it imports as an empty list), or with `many=False` one `entry` object (absent
or null in an older file). `entry` is a pydantic model: it holds the same rules as the
app's form, and the import parses the whole file through it before anything is
written. `read` turns the parsed value into unsaved rows and returns the problems it
found (unknown content keys, duplicates, what the app's forms refuse); only when no
section and no part of the file has a problem does `write` save the rows, inside the
import's transaction, and return how many it wrote (or counts by name).

A section whose reader needs more than its own entries (`with_reading=True`) is called
as `read(user, value, reading)` with a `Reading`: the exporting account's username
(whose comments in a thread are the owner's), the site's roadmap, the counts of what
the import leaves out (tracker.portability.importer.NOT_CARRIED) and the list of
content keys this site lacks, reported together with the tracker's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from pydantic import BaseModel

from roadmap.models import Roadmap

from ..models import User


@dataclass
class Reading:
    """What the import knows of the whole file, for a section that needs it."""

    username: str | None  # the account the file was exported from
    roadmap: Roadmap
    counts: Counter = field(default_factory=Counter)  # left out, by NOT_CARRIED reason
    missing: list[str] = field(default_factory=list)  # content keys this site lacks


@dataclass(frozen=True)
class Section:
    key: str  # the top-level key in the file
    label: str  # what the account "already has", for the empty-account check
    entry: type[BaseModel]
    doc: str  # one paragraph for the format's description
    export: Callable[[User], Any]
    owned: Callable[[User], QuerySet]
    read: Callable[..., tuple[Any, list[str]]]
    write: Callable[[Any], int | dict[str, int]]
    many: bool = True  # a list of `entry`; False: one `entry` or null
    with_reading: bool = False  # `read` takes the import's `Reading` too


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    _sections[section.key] = section
    return section


def registered() -> list[Section]:
    return list(_sections.values())
