"""A query built and compiled by the ORM once, then run with each call's values.

Building and compiling a query with many subqueries (the dashboard's practice glance:
seven) costs the ORM several milliseconds of Python per request, several times what
the database takes to answer it. `Prepared` builds the query once per process and
database from stand-in values, then swaps the stand-ins in the compiled parameters for
each call's own values: the same SQL, none of the construction.

Only for a query whose SQL does not depend on its values (no `__in` of a varying list,
no value that decides a branch of the builder): the builder receives stand-ins, and the
stand-ins must reach the parameters as they are (a primary key, an aware datetime, a
date, a string compared as it is). A query whose SQL has a few shapes (which filters it has, its
LIMIT) gets one `Prepared` per shape from `shaped`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet

# Stand-ins no real value equals: negative ids, instants and days of 1901, tagged strings.
_ID_BASE = -7_310_000


def stand_in_id(n: int) -> int:
    return _ID_BASE - n


def stand_in_instant(n: int) -> datetime:
    return datetime(1901, 1, 1, 0, 0, n, tzinfo=UTC)


def stand_in_day(n: int) -> date:
    return date(1901, 1, 1 + n)


def stand_in_text(n: int) -> str:
    return f"stand-in-{n}{_ID_BASE}"


_STAND_INS = {
    "id": stand_in_id,
    "instant": stand_in_instant,
    "day": stand_in_day,
    "text": stand_in_text,
}


class Prepared:
    """`Prepared(build, kinds)`: `build(*values)` returns the queryset (of `values_list`
    rows); `kinds` says of each value whether it is an "id", an "instant", a "day" or a
    "text".
    `row(model, *values)` runs the compiled query with those values and returns its first
    row (a tuple), or None; `rows(model, *values)` returns every row, `instances` every
    row as a `model`. Values are
    converted as the ORM would (a datetime on SQLite comes back aware)."""

    def __init__(self, build: Callable[..., QuerySet], kinds: Sequence[str]) -> None:
        self.build = build
        self.stand_ins = [_STAND_INS[kind](n) for n, kind in enumerate(kinds)]
        self.compiled: dict[tuple, tuple[str, tuple, list[int], dict, tuple[str, ...]]] = {}

    def _compiled(self, connection) -> tuple[str, tuple, list[int], dict, tuple[str, ...]]:
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
            # What the ORM would convert in each column (position -> converters).
            converters = compiler.get_converters(
                [s[0] for s in compiler.select[: compiler.col_count]]
            )
            names = tuple(queryset.query.values_select)  # what `instances` builds from
            found = self.compiled[key] = (sql, tuple(params), slots, converters, names)
        return found

    @staticmethod
    def _adapt(connection, value: Any) -> Any:
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return connection.ops.adapt_datefield_value(value)
        return value

    def _execute(self, model, values: Sequence) -> list[tuple]:
        connection = connections[router.db_for_read(model)]
        sql, params, slots, converters = self._compiled(connection)[:4]
        adapted = [self._adapt(connection, v) for v in values]
        bound = [adapted[s] if s >= 0 else p for p, s in zip(params, slots, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            rows = cursor.fetchall()
        if not converters:
            return rows
        return [_converted(row, converters, connection) for row in rows]

    def row(self, model, *values) -> tuple | None:
        rows = self._execute(model, values)
        return rows[0] if rows else None

    def rows(self, model, *values) -> list[tuple]:
        return self._execute(model, values)

    def instances(self, model, *values) -> list:
        """The rows as `model` instances, from the columns the query selects: all of
        them (`columns(model)`) or some (`columns(model, only=...)`, the others deferred,
        read if ever used)."""
        db = router.db_for_read(model)
        names = self._compiled(connections[db])[4]
        if names != columns(model, only=names):
            raise ValueError(f"select {model.__name__}'s own columns, in field order: columns()")
        return [model.from_db(db, names, row) for row in self._execute(model, values)]


def from_columns(model: type, db: str, values: dict[str, Any]):
    """A `model` instance from some of its columns (attname -> value), as the ORM builds
    one from a row (`Model.from_db`): the other fields deferred, read if ever used."""
    names = columns(model, only=values)
    return model.from_db(db, names, [values[name] for name in names])


def columns(model, only: Iterable[str] | None = None) -> tuple[str, ...]:
    """A model's columns (attnames) in field order, as `Model.from_db` takes them: all,
    or those of `only`. `values_list(*columns(...))` for `instances`."""
    fields = model._meta.concrete_fields
    if only is None:
        return tuple(f.attname for f in fields)
    wanted = set(only)
    return tuple(f.attname for f in fields if f.attname in wanted)


def _converted(row: tuple, converters: dict, connection) -> tuple:
    values = list(row)
    for position, (functions, expression) in converters.items():
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)


_SHAPED: dict[tuple, Prepared] = {}


def shaped(shape: tuple, build: Callable[..., QuerySet], kinds: Sequence[str]) -> Prepared:
    """The `Prepared` of one shape of a query (its name, the filters it has, its LIMIT),
    made on its first use: `build` makes that shape's queryset. Shapes are few (the
    filters a form allows, a cap's values), so each is compiled once per process."""
    found = _SHAPED.get(shape)
    if found is None:
        found = _SHAPED[shape] = Prepared(build, kinds)
    return found


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
