"""A query built and compiled by the ORM once, then run with each call's values.

Building and compiling a query with many subqueries (the dashboard's practice glance:
seven) costs the ORM several milliseconds of Python per request, several times what
the database takes to answer it. `Prepared` builds the query once per process and
database from stand-in values, then swaps the stand-ins in the compiled parameters for
each call's own values: the same SQL, none of the construction.

Only for a query whose SQL does not depend on its values (no `__in` of a varying list,
no value that decides a branch of the builder): the builder receives stand-ins, and the
stand-ins must reach the parameters as they are (a primary key, an aware datetime, a
username). The rows come back as the queryset would return them (`values_list`): the
compiled query's converters (dates on SQLite, JSON) are kept with its SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet

# Stand-ins no real value equals: negative ids, instants of 1901.
_ID_BASE = -7_310_000


def stand_in_id(n: int) -> int:
    return _ID_BASE - n


def stand_in_instant(n: int) -> datetime:
    return datetime(1901, 1, 1, 0, 0, n, tzinfo=UTC)


def stand_in_text(n: int) -> str:
    # No username, key or choice holds a colon and a space.
    return f"stand-in: {n}"


_STAND_INS = {"id": stand_in_id, "instant": stand_in_instant, "text": stand_in_text}


class Prepared:
    """`Prepared(build, kinds)`: `build(*values)` returns the queryset (a `values_list`);
    `kinds` says of each value whether it is an "id", an "instant" or a "text".
    `row(model, *values)` runs the compiled query with those values and returns its first
    row (a tuple), or None; `rows(model, *values)` returns them all."""

    def __init__(self, build: Callable[..., QuerySet], kinds: Sequence[str]) -> None:
        self.build = build
        self.stand_ins = [_STAND_INS[kind](n) for n, kind in enumerate(kinds)]
        self.compiled: dict[tuple, tuple[str, tuple, list[int], list]] = {}

    def _compiled(self, connection) -> tuple[str, tuple, list[int], list]:
        # The SQL may depend on settings (the roadmap's key) and the database.
        key = (connection.alias, connection.vendor, settings.ROADMAP_KEY, settings.USE_TZ)
        found = self.compiled.get(key)
        if found is None:
            queryset = self.build(*self.stand_ins)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            columns = [column for column, *_ in compiler.select[: compiler.col_count]]
            converters = list(compiler.get_converters(columns).items())
            adapted = [self._adapt(connection, v) for v in self.stand_ins]
            # Where each stand-in sits among the parameters (-1: a constant).
            slots = [adapted.index(p) if _hashable(p) and p in adapted else -1 for p in params]
            if not all(any(s == n for s in slots) for n in range(len(adapted))):
                raise ValueError("a stand-in did not reach the compiled parameters")
            found = self.compiled[key] = (sql, tuple(params), slots, converters)
        return found

    @staticmethod
    def _adapt(connection, value: Any) -> Any:
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def row(self, model, *values) -> tuple | None:
        found = self.rows(model, *values, first=True)
        return found[0] if found else None

    def rows(self, model, *values, first: bool = False) -> list[tuple]:
        connection = connections[router.db_for_read(model)]
        sql, params, slots, converters = self._compiled(connection)
        adapted = [self._adapt(connection, v) for v in values]
        bound = [adapted[s] if s >= 0 else p for p, s in zip(params, slots, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            found = [cursor.fetchone()] if first else cursor.fetchall()
        if found == [None]:
            return []
        if not converters:
            return [tuple(r) for r in found]
        return [_converted(r, converters, connection) for r in found]


def from_columns(model: type, db: str, columns: dict[str, Any]):
    """A `model` instance from some of its columns (attname -> value), as the ORM builds
    one from a row (`Model.from_db`): the other fields deferred, read if ever used."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in columns]
    return model.from_db(db, names, [columns[name] for name in names])


def _converted(row: tuple, converters: list, connection) -> tuple:
    """A row's values as the ORM would return them (Django's `apply_converters`)."""
    values = list(row)
    for n, (functions, expression) in converters:
        value = values[n]
        for function in functions:
            value = function(value, expression, connection)
        values[n] = value
    return tuple(values)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
