"""A query built and compiled by the ORM once, then run with each call's values.

Building and compiling a query with many subqueries (the dashboard's practice glance:
seven) costs the ORM several milliseconds of Python per request, several times what
the database takes to answer it. `Prepared` builds the query once per process and
database from stand-in values, then swaps the stand-ins in the compiled parameters for
each call's own values: the same SQL, none of the construction.

Only for a query whose SQL does not depend on its values (no `__in` of a varying list,
no value that decides a branch of the builder): the builder receives stand-ins, and the
stand-ins must reach the parameters as they are (a primary key, an aware datetime).
Rows come back as the ORM would return them (`values_list`): its converters applied,
so a datetime is aware and a boolean a bool on every database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet

# Stand-ins no real value equals: negative ids, instants of 1901.
_ID_BASE = -7_310_000


def stand_in_id(n: int) -> int:
    return _ID_BASE - n


def stand_in_instant(n: int) -> datetime:
    return datetime(1901, 1, 1, 0, 0, n, tzinfo=UTC)


class Prepared:
    """`Prepared(build, kinds)`: `build(*values)` returns the queryset; `kinds` says of
    each value whether it is an "id" or an "instant". `row(*values)` runs the compiled
    query with those values and returns its first row (a tuple), or None."""

    def __init__(self, build: Callable[..., QuerySet], kinds: Sequence[str]) -> None:
        self.build = build
        self.stand_ins = [
            stand_in_id(n) if kind == "id" else stand_in_instant(n) for n, kind in enumerate(kinds)
        ]
        self.compiled: dict[tuple, _Compiled] = {}

    def _compiled(self, connection) -> _Compiled:
        # The SQL may depend on settings (the roadmap's key) and the database.
        key = (connection.alias, connection.vendor, settings.ROADMAP_KEY, settings.USE_TZ)
        found = self.compiled.get(key)
        if found is None:
            queryset = self.build(*self.stand_ins)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            adapted = [self._adapt(connection, v) for v in self.stand_ins]
            # Where each stand-in sits among the parameters (-1: a constant).
            slots = [adapted.index(p) if _hashable(p) and p in adapted else -1 for p in params]
            if not all(any(s == n for s in slots) for n in range(len(adapted))):
                raise ValueError("a stand-in did not reach the compiled parameters")
            converters = compiler.get_converters([s[0] for s in compiler.select])
            found = self.compiled[key] = _Compiled(sql, tuple(params), slots, compiler, converters)
        return found

    @staticmethod
    def _adapt(connection, value: Any) -> Any:
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def row(self, model, *values) -> tuple | None:
        found = self.rows(model, *values)
        return found[0] if found else None

    def rows(self, model, *values) -> list[tuple]:
        """Every row of the compiled query with these values."""
        connection = connections[router.db_for_read(model)]
        compiled = self._compiled(connection)
        adapted = [self._adapt(connection, v) for v in values]
        bound = [
            adapted[s] if s >= 0 else p
            for p, s in zip(compiled.params, compiled.slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, bound)
            found = cursor.fetchall()
        if compiled.converters:
            found = compiled.compiler.apply_converters(found, compiled.converters)
        return [tuple(r) for r in found]


class _Compiled(NamedTuple):
    sql: str
    params: tuple
    slots: list[int]  # where each stand-in sits among the parameters (-1: a constant)
    compiler: Any  # the ORM's compiler, for its converters
    converters: dict


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
