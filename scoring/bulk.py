"""Inserting many result rows at once, for storing a batch of scores.

A rescore stores about 120 rows per assessment (indicators, component profiles, dimensions).
Through ``bulk_create`` most of the time went into building model instances and preparing
every field of them one by one; on PostgreSQL the rows go through ``COPY`` instead, as plain
tuples (a fraction of the client time), with their primary keys taken from the table's own
sequence beforehand, in one query. Other databases (SQLite in development and tests) use
``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model
from psycopg.types.json import Jsonb


def rows_insert(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[int]:
    """Insert ``rows`` (tuples of values for ``columns``, by column name: foreign keys as ids,
    JSON fields as Python objects) into ``model``'s table; with ``returning``, returns their
    new primary keys in row order (else an empty list)."""
    if connection.vendor != "postgresql":
        attnames = _attnames(model, columns)
        created = model._default_manager.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        )
        return [instance.pk for instance in created] if returning else []
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk = str(model._meta.pk.column)
    json_columns = {
        n
        for n, column in enumerate(columns)
        if any(f.column == column and isinstance(f, JSONField) for f in model._meta.fields)
    }
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, len(rows)],
            )
            ids = [new_id for (new_id,) in cursor.fetchall()]
            columns = (pk, *columns)
            rows = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
            json_columns = {n + 1 for n in json_columns}
        names = ", ".join(quote(column) for column in columns)
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                if json_columns:
                    row = [Jsonb(v) if n in json_columns else v for n, v in enumerate(row)]
                copy.write_row(row)
    return ids


def _attnames(model: type[Model], columns: Sequence[str]) -> list[str]:
    by_column = {field.column: field.attname for field in model._meta.concrete_fields}
    return [by_column[column] for column in columns]
