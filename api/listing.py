"""The shared collection machinery, driven by one declaration per resource:
filters -> WHERE, sort -> ORDER BY, keyset paging, `fields=`.

A resource declares what it offers (`Resource`); this module turns a parsed
query into SQL with every value bound and every identifier checked
(db.identifier). Keyset paging compares a row-value of the sort keys, so any
page costs what the first does; it never uses OFFSET.
"""

import base64
import binascii
import math
from dataclasses import dataclass

import orjson

from policy_ledger.api import db
from policy_ledger.api.errors import Problem
from policy_ledger.dataset.published import missing_value_sort
from policy_ledger.dataset.resources import Filter, Resource  # noqa: F401 - re-exported


def _col(name: str) -> str:
    return db.identifier(name)


def where_clause(resource: Resource, args: dict) -> tuple[list[str], list]:
    """SQL conditions and their bound values for the filters present in args."""
    conditions, params = [], []
    key = _col(resource.key)
    for f in resource.filters:
        value = args.get(f.name)
        if value is None:
            continue
        if f.kind == "list":
            marks = ", ".join("?" for _ in value)
            if f.link:
                table, link_key, link_value = (_col(n) for n in f.link)
                conditions.append(
                    f"{key} IN (SELECT {link_key} FROM {table} WHERE {link_value} IN ({marks}))"
                )
            else:
                conditions.append(f"{_col(f.column)} IN ({marks})")
            params.extend(value)
        elif f.kind in ("date", "number"):
            op = {"=": "=", ">=": ">=", "<=": "<="}[f.op]
            conditions.append(f"{_col(f.column)} {op} ?")
            params.append(value.isoformat() if f.kind == "date" else value)
        elif f.kind == "text":
            match = fts_query(value)
            conditions.append(
                f"{key} IN (SELECT id FROM search_documents WHERE kind = ? AND rowid IN "
                "(SELECT rowid FROM search_documents_fts WHERE search_documents_fts MATCH ?))"
            )
            params.extend([resource.search_kind, match])
    return conditions, params


def fts_query(text: str) -> str:
    """User text -> a safe FTS5 query: each word a quoted phrase (so `OR`,
    `NEAR(`, `*`, `^` and stray quotes are plain words), all required; a
    trailing `*` on a word keeps its prefix meaning."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word.strip("*")) > 0
        bare = word.strip("*").replace('"', '""')
        if bare:
            terms.append(f'"{bare}"' + ("*" if prefix else ""))
    if not terms:
        raise Problem(
            422,
            "Invalid parameter",
            "q: give at least one word to search for",
            slug="invalid-parameter",
            errors={"q": ["give at least one word"]},
        )
    return " ".join(terms)


@dataclass(frozen=True)
class SortPlan:
    name: str  # as given, e.g. -date
    descending: bool
    expressions: tuple[str, ...]  # the keyset, last one the primary key

    @property
    def order_by(self) -> str:
        direction = " DESC" if self.descending else ""
        return ", ".join(e + direction for e in self.expressions)


def sort_plan(resource: Resource, sort: str) -> SortPlan:
    descending = sort.startswith("-")
    column, missing = resource.sorts[sort.lstrip("-")]
    col, key = _col(column), _col(resource.key)
    if column == resource.key:
        expressions = (key,)
    elif missing is not None:
        # A missing value sorts as the lowest (first ascending, last descending);
        # COALESCE keeps the keyset comparable, and an index on this exact
        # expression keeps the sort off a temporary B-tree.
        expressions = (missing_value_sort(col, missing), key)
    else:
        expressions = (col, key)
    return SortPlan(sort, descending, expressions)


def encode_cursor(plan: SortPlan, keys: list) -> str:
    raw = orjson.dumps([plan.name, *keys])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(plan: SortPlan, token: str) -> list:
    bad = Problem(
        400,
        "Invalid cursor",
        "cursor: this cursor is not one we issued for this sort order; "
        "start again from the first page.",
        errors={"cursor": ["not a cursor issued for this sort order"]},
    )
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        decoded = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise bad from None
    if (
        not isinstance(decoded, list)
        or len(decoded) != len(plan.expressions) + 1
        or decoded[0] != plan.name
        or not all(_bindable(v) for v in decoded[1:])
    ):
        raise bad
    return decoded[1:]


def _bindable(value) -> bool:
    """A keyset value SQLite can bind: text, a finite real, or a 64-bit integer
    (a tampered cursor may carry 2**63, which sqlite3 refuses to bind)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str)


@dataclass
class Page:
    docs: list[str]  # each a JSON document as built
    total: int
    next_cursor: str | None


def documents_table(resource: Resource) -> str:
    """Where a resource's published documents (and CSV lines) are stored."""
    return _col(f"{resource.table}_documents")


def stored_in_order(resource: Resource, sort: str) -> bool:
    """Whether the build stored this resource's documents in `sort` order
    (it records the order of each; the server refuses a database of an older
    schema at start-up, so the record is always there)."""
    return orjson.loads(db.metadata()["documents_order"]).get(resource.table) == sort


def select_sql(resource: Resource, args: dict, *, column: str = "doc") -> tuple[str, list]:
    """The full ordered query for a collection (no paging), yielding each
    record's document (or its pre-rendered CSV line) as the stored UTF-8
    bytes: used by file exports, which send them on without a decode and an
    encode per row.

    The narrow table is filtered and walked in order; each row's document is
    then looked up by key, so the scan never reads the large documents."""
    conditions, params = where_clause(resource, args)
    value = f"CAST({_col(column)} AS BLOB)"
    if not conditions and stored_in_order(resource, args["sort"]):
        # The whole collection in its default order: the documents are stored
        # in that order, so this is one sequential read with no lookups.
        return f"SELECT {value} FROM {documents_table(resource)} ORDER BY rowid", []
    plan = sort_plan(resource, args["sort"])
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return (
        f"SELECT {document_lookup(resource, column)} FROM {_col(resource.table)}{where} "
        f"ORDER BY {plan.order_by}",
        params,
    )


def document_lookup(resource: Resource, column: str = "doc", lookup=None) -> str:
    """SQL for the current narrow row's document (or CSV line) as the stored
    UTF-8 bytes (CAST AS BLOB: sent on without a decode and an encode back).
    `lookup` is lookup_columns(resource), for a caller that has it already."""
    row_column, document_column = lookup or lookup_columns(resource)
    return (
        f"(SELECT CAST(d.{_col(column)} AS BLOB) FROM {documents_table(resource)} d "
        f"WHERE d.{document_column} = {_col(resource.table)}.{row_column})"
    )


def lookup_columns(resource: Resource) -> tuple[str, str]:
    """The narrow table's column and the documents table's column that
    match a row to its document: the rowid, which the build aligns in the two
    tables and checks (the rowid is in every index, so a narrow scan stays
    covering)."""
    return "rowid", "rowid"


def count(resource: Resource, args: dict) -> int:
    return _count(resource, *where_clause(resource, args))


def _count(resource: Resource, conditions: list[str], params: list) -> int:
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return db.aggregate(f"SELECT count(*) FROM {_col(resource.table)}{where}", params)[0][0]


@dataclass(frozen=True)
class PageQuery:
    """A page's query, in the two forms fetch_page chooses between. Both
    filter and order the narrow table and read one row past the page (to
    know whether there is a next); each row is the document (UTF-8 bytes),
    then the sort keys (for the next cursor)."""

    walk_sql: str  # documents read while walking the sort's index: no sort step
    join_sql: str  # the page's keys chosen first, then their documents joined and sorted
    params: list
    plan: SortPlan


def page_query(resource: Resource, args: dict, conditions: list[str], params: list) -> PageQuery:
    plan = sort_plan(resource, args["sort"])
    conditions, params = list(conditions), list(params)
    if args.get("cursor"):
        keys = decode_cursor(plan, args["cursor"])
        op = "<" if plan.descending else ">"
        marks = ", ".join("?" for _ in keys)
        conditions.append(f"({', '.join(plan.expressions)}) {op} ({marks})")
        params.extend(keys)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    keys = ", ".join(f"{e} AS k{i}" for i, e in enumerate(plan.expressions))
    chosen = f"FROM {_col(resource.table)}{where} ORDER BY {plan.order_by} LIMIT ?"
    lookup = lookup_columns(resource)
    page_key, document_column = lookup
    direction = " DESC" if plan.descending else ""
    page_keys = [f"p.k{i}" for i in range(len(plan.expressions))]
    order = ", ".join(f"{k}{direction}" for k in page_keys)
    return PageQuery(
        walk_sql=f"SELECT {document_lookup(resource, lookup=lookup)}, {keys} {chosen}",
        join_sql=(
            f"SELECT CAST(d.doc AS BLOB), {', '.join(page_keys)} "
            f"FROM (SELECT {page_key} AS page_key, {keys} {chosen}) p "
            f"JOIN {documents_table(resource)} d ON d.{document_column} = p.page_key "
            f"ORDER BY {order}"
        ),
        params=[*params, args["page_size"] + 1],
        plan=plan,
    )


def fetch_page(resource: Resource, args: dict) -> Page:
    """One page of documents, in one query of one of two forms.

    Where an index serves the sort (the sorts of a whole collection, and the
    filters the build indexes with their sorts, such as type and
    jurisdiction by date), SQLite walks it in order and reads each document
    as a row passes, stopping at the page's end: no sort step.
    Otherwise the walk would sort every matching row with its document
    (SQLite computes a row's columns before sorting), so the page's keys are
    chosen on the narrow table first and only its documents are joined and
    sorted. Both give the same rows in the same order (tests/test_query_plans.py)."""
    conditions, params = where_clause(resource, args)
    total = _count(resource, conditions, params)
    page = page_query(resource, args, conditions, params)
    sql = page.walk_sql if db.index_serves_order(page.walk_sql, page.params) else page.join_sql
    rows = db.query(sql, page.params, plain=True)
    size = args["page_size"]
    next_cursor = encode_cursor(page.plan, list(rows[size - 1][1:])) if len(rows) > size else None
    return Page([row[0] for row in rows[:size]], total, next_cursor)


def select_fields(doc: dict, wanted: list[str] | None) -> dict:
    if not wanted:
        return doc
    return {name: doc[name] for name in wanted if name in doc}
