"""Sections other apps add to the export file, so the tracker imports nothing of theirs.

An app registers a `Section` from its `AppConfig.ready()`::

    from tracker.portability import sections
    sections.register(sections.Section(key="applications", entry=ApplicationEntry, ...))

The file then carries a top-level list under `key` (an older file without it imports as
an empty list). `entry` is a pydantic model: it holds the same rules as the app's form,
and the import parses every entry through it before anything is written. `read` turns
the parsed entries into unsaved rows and returns the problems it found (unknown content
keys, duplicates); only when no section and no part of the file has a problem does
`write` save the rows, inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from pydantic import BaseModel

from ..models import User


@dataclass(frozen=True)
class Section:
    key: str  # the top-level key in the file
    label: str  # what the account "already has", for the empty-account check
    entry: type[BaseModel]
    doc: str  # one paragraph for the format's description
    export: Callable[[User], list[dict[str, Any]]]
    owned: Callable[[User], QuerySet]
    read: Callable[[User, list[BaseModel]], tuple[list[Any], list[str]]]
    write: Callable[[list[Any]], int]


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    _sections[section.key] = section
    return section


def registered() -> list[Section]:
    return list(_sections.values())
