"""The database's tables and indexes, which `policy-ledger build` creates
and the API reads (api/listing.py names these tables and columns, checked
by db.identifier against them)."""

import sqlite_utils

from policy_ledger.dataset import published
from policy_ledger.dataset.resources import PUBLISHED

# What the server may rely on in a database file. 2: every <table>_documents
# shares rowids with its narrow table and records its order (metadata
# documents_order). The server refuses a file of another version at start-up.
SCHEMA_VERSION = 2

# The narrow tables the API filters and sorts: one row per record with the
# columns queries need. Each record's published JSON document and its CSV line
# live apart, in <table>_documents, so that filtering, counting and sorting
# a million rows reads small rows, and only a page's documents are fetched.
TABLES = {
    "jurisdictions": (
        {
            "code": str,
            "name": str,
            "kind": str,
            "parent": str,
            "actions": int,
            "statements": int,
            "entities": int,
        },
        "code",
        [("parent", "jurisdictions", "code")],
    ),
    "entities": (
        {
            "id": str,
            "name": str,
            "kind": str,
            "jurisdiction": str,
            "parent": str,
            "actions_taken": int,
            "actions_targeted": int,
            "statements": int,
        },
        "id",
        [("jurisdiction", "jurisdictions", "code"), ("parent", "entities", "id")],
    ),
    "sources": (
        {
            "id": str,
            "kind": str,
            "title": str,
            "publisher": str,
            "url": str,
            "copy_publisher": str,
            "published": str,
            "cited_by": int,
        },
        "id",
        [],
    ),
    "actions": (
        {
            "id": str,
            "type": str,
            "title": str,
            "date": str,
            "date_precision": str,
            "year": int,
            "effective_date": str,
            "end_date": str,
            "status": str,
            "jurisdiction": str,
            "authority": str,
            "amount_value": float,
            "amount_currency": str,
            "amount_eur": float,
            "amount_usd": float,
            "first_seen": str,
            "last_changed": str,
        },
        "id",
        [("jurisdiction", "jurisdictions", "code"), ("authority", "entities", "id")],
    ),
    "action_targets": (
        # The action's amounts too, so that totals per target read one index.
        {"action_id": str, "entity_id": str, "amount_eur": float, "amount_usd": float},
        ("action_id", "entity_id"),
        [("action_id", "actions", "id"), ("entity_id", "entities", "id")],
    ),
    "action_topics": (
        {"action_id": str, "topic": str},
        ("action_id", "topic"),
        [("action_id", "actions", "id")],
    ),
    "action_related": (
        {"action_id": str, "relation": str, "related_id": str},
        ("action_id", "relation", "related_id"),
        [("action_id", "actions", "id"), ("related_id", "actions", "id")],
    ),
    "statements": (
        {
            "id": str,
            "date": str,
            "date_precision": str,
            "speaker": str,
            "on_behalf_of": str,
            "speaker_kind": str,
            "jurisdiction": str,
            "title": str,
            "first_seen": str,
            "last_changed": str,
        },
        "id",
        [
            ("speaker", "entities", "id"),
            ("on_behalf_of", "entities", "id"),
            ("jurisdiction", "jurisdictions", "code"),
        ],
    ),
    "statement_topics": (
        {"statement_id": str, "topic": str},
        ("statement_id", "topic"),
        [("statement_id", "statements", "id")],
    ),
    "statement_responses": (
        {"statement_id": str, "action_id": str},
        ("statement_id", "action_id"),
        [("statement_id", "statements", "id"), ("action_id", "actions", "id")],
    ),
    "statement_announcements": (
        {"statement_id": str, "action_id": str},
        ("statement_id", "action_id"),
        [("statement_id", "statements", "id"), ("action_id", "actions", "id")],
    ),
    "citations": (
        {"record_kind": str, "record_id": str, "position": int, "source_id": str, "quote": str},
        ("record_kind", "record_id", "position"),
        [("source_id", "sources", "id")],
    ),
    "search_documents": (
        {"rowid": int, "kind": str, "id": str, "title": str, "body": str},
        "rowid",
        [],
    ),
    "releases": ({"version": str, "released": str, "position": int}, "version", []),
    "release_records": (
        {"version": str, "kind": str, "id": str, "hash": str},
        ("version", "kind", "id"),
        [("version", "releases", "version")],
    ),
    "retired_ids": ({"id": str, "successor": str, "kind": str}, "id", []),
    "metadata": ({"key": str, "value": str}, "key", []),
}
PUBLISHED_TABLES = ("jurisdictions", "entities", "sources", "actions", "statements")


def create_tables(db: sqlite_utils.Database) -> None:
    for table, (columns, pk, foreign_keys) in TABLES.items():
        db[table].create(columns, pk=pk, foreign_keys=foreign_keys)
    for table in PUBLISHED_TABLES:
        key = TABLES[table][1]
        db[f"{table}_documents"].create(
            {"id": str, "doc": str, "csv": str}, pk="id", foreign_keys=[("id", table, key)]
        )


def _declared_indexes() -> tuple[dict[str, list[list[str]]], dict[str, list[tuple[str, str]]]]:
    """The indexes every filter and sort of every declaration needs
    (dataset/resources.py), so that a filtered first page is an index range
    read in the default order and every sort walks an index
    (tests/test_query_plans.py reads the plans):

    - a list filter on a column: (column, default order columns);
    - a list filter through a link table: (value, key) in that table;
    - a date or number range: (column, key);
    - a sort: (column, key); on a column that may be empty, an index on
      the COALESCE expression the API orders by (missing_value_sort);
    - and the declaration's own extra `indexes`.
    """
    plain: dict[str, list[list[str]]] = {}
    expressions: dict[str, list[tuple[str, str]]] = {}

    def add(table: str, columns) -> None:
        wanted = plain.setdefault(table, [])
        if list(columns) not in wanted:
            wanted.append(list(columns))

    for resource in PUBLISHED:
        default = resource.default_sort_columns()
        for f in resource.filters:
            if f.kind == "list" and f.column:
                add(resource.table, (f.column, *default))
            elif f.kind == "list" and f.link:
                table, key_column, value_column = f.link
                add(table, (value_column, key_column))
            elif f.kind in ("date", "number"):
                add(resource.table, (f.column, resource.key))
        for column, missing in resource.sorts.values():
            if column == resource.key:
                continue
            if missing:
                expression = published.missing_value_sort(f'"{column}"', missing)
                expressions.setdefault(resource.table, []).append((f"{column}_sort", expression))
            else:
                add(resource.table, (column, resource.key))
        for columns in resource.indexes:
            add(resource.table, columns)
    return plain, expressions


INDEXES, EXPRESSION_INDEXES = _declared_indexes()
# Tables no resource declares: totals per target read one covering index;
# "referenced_by" and the sources' "cited_by" look up by the other side.
INDEXES["action_targets"].append(["entity_id", "amount_eur", "amount_usd"])
INDEXES["action_related"] = [["related_id"]]
INDEXES["citations"] = [["source_id"]]


def create_indexes(db: sqlite_utils.Database) -> None:
    for table, indexes in INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)
    for table, indexes in EXPRESSION_INDEXES.items():
        key = TABLES[table][1]
        for name, expression in indexes:
            db.execute(f'CREATE INDEX "idx_{table}_{name}" ON "{table}" ({expression}, "{key}")')


def identifiers() -> frozenset[str]:
    """Every table and column name the database has, for the API's check of
    the names it puts into SQL text (api/db.py identifier)."""
    names = {"rowid", "search_documents_fts"}
    for table, (columns, _pk, _foreign_keys) in TABLES.items():
        names.add(table)
        names.update(columns)
    for table in PUBLISHED_TABLES:
        names.update((f"{table}_documents", "doc", "csv"))
    return frozenset(names)
