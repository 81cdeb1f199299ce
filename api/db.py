"""The one module that touches the database.

The file is opened read-only (`mode=ro`, `immutable=1`, `query_only`): a
published dataset never changes under a running server; a new build is a new
file, picked up by restarting (or rolling) the workers. Each thread keeps
its connection for its lifetime, which saves the open/parse cost per request.
Every value is bound; every identifier that reaches SQL comes from a
resource declaration and is checked against the fixed list in IDENTIFIERS.
"""

import hashlib
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from policy_ledger.pipeline.tables import identifiers

_local = threading.local()
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

# Every table and column name the API may put into SQL text: the build's own
# (pipeline/tables.py), and `key`, a column alias of the stats queries.
IDENTIFIERS = identifiers() | {"key"}


class QueryTimeout(Exception):
    """A query ran past its time limit."""


@lru_cache(maxsize=512)  # a fixed, small set of names, quoted on every request
def identifier(name: str) -> str:
    """Return `name` quoted for SQL, after checking it is one we expect."""
    if name not in IDENTIFIERS or not _IDENTIFIER.match(name):
        raise ValueError(f"unexpected SQL identifier {name!r}")
    return f'"{name}"'


def connect(path: Path) -> sqlite3.Connection:
    uri = f"file:{path.resolve()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA mmap_size = 268435456")
    conn.execute("PRAGMA cache_size = -32000")
    return conn


def get_db() -> sqlite3.Connection:
    """This thread's connection to the app's database."""
    path = current_app.config["DATABASE"]
    conns = getattr(_local, "connections", None)
    if conns is None:
        conns = _local.connections = {}
    conn = conns.get(path)
    if conn is None:
        conn = conns[path] = connect(Path(path))
    return conn


@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float | None):
    """Abort the statement run inside if it takes longer than `seconds`."""
    if not seconds:
        yield
        return
    deadline = time.monotonic() + seconds

    def handler():
        return 1 if time.monotonic() > deadline else 0

    conn.set_progress_handler(handler, 10_000)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryTimeout(seconds) from exc
        raise
    finally:
        conn.set_progress_handler(None, 10_000)


def query(
    sql: str, params=(), *, limit: float | None = None, plain: bool = False
) -> list[sqlite3.Row] | list[tuple]:
    """All rows of a query, run under the time limit; `plain` rows are tuples
    (read by position, they skip building a sqlite3.Row each)."""
    conn = get_db()
    limit = current_app.config["QUERY_TIME_LIMIT"] if limit is None else limit
    with time_limit(conn, limit):
        if not plain:
            return conn.execute(sql, params).fetchall()
        cursor = conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params).fetchall()


def aggregate(sql: str, params=()) -> list[tuple]:
    """A count or group-by, remembered for the life of the process.

    The database file never changes under a running server, so an aggregate
    computed once stays true; paging through a filtered list, or a chart
    refreshed by every reader, then costs one index scan, not one per request.
    (Datasette caches its counts of immutable files for the same reason.)"""
    params = tuple(params)
    return remember("aggregates", (sql, params), lambda: [tuple(row) for row in query(sql, params)])


# Everything the server remembers, it remembers here, one way: per app, per
# database file, per kind, computed on first use and kept for the life of the
# process (the file never changes under a running server). A kind holds at
# most MAX_REMEMBERED answers; past that, answers are computed, not kept.
MAX_REMEMBERED = 4096


def remember(kind: str, key, compute, app: Flask | None = None):
    app = app or current_app._get_current_object()
    kept = app.extensions.setdefault("policy_ledger_remembered", {})
    store = kept.setdefault((kind, app.config["DATABASE"]), {})
    if key in store:
        return store[key]
    value = compute()
    if len(store) < MAX_REMEMBERED:
        store[key] = value
    return value


def index_serves_order(sql: str, params=()) -> bool:
    """Whether SQLite answers `sql` walking an index in the ORDER BY's order,
    with no sort step (no "USE TEMP B-TREE FOR ... ORDER BY" in its plan).

    The build runs no ANALYZE (tests/test_query_plans.py checks), so a plan
    depends only on the SQL text and the schema, never on the bound values:
    the answer is kept per database and SQL text (for at most MAX_REMEMBERED
    texts). It only chooses between queries that give the same rows, so a
    wrong answer could cost time (at worst the query time limit), never
    change the rows."""

    def served() -> bool:
        plan = query("EXPLAIN QUERY PLAN " + sql, params, plain=True)
        return not any("TEMP B-TREE" in row[3] and "ORDER BY" in row[3] for row in plan)

    return remember("plans", sql, served)


def query_one(sql: str, params=()) -> sqlite3.Row | None:
    rows = query(sql, params)
    return rows[0] if rows else None


def iterate(sql: str, params=(), *, batch: int = 1000, plain: bool = False):
    """Stream rows of a long query (file exports) without holding them all;
    `plain` rows are tuples (a million sqlite3.Row objects cost more than the
    rows themselves when only the first column is read)."""
    cursor = get_db().cursor()
    if plain:
        cursor.row_factory = None
    cursor.execute(sql, params)
    while rows := cursor.fetchmany(batch):
        yield from rows


def metadata(app: Flask | None = None) -> dict[str, str]:
    """The metadata table, read once per process (the file never changes).
    `app` for callers outside a request (the WSGI header middleware)."""
    app = app or current_app._get_current_object()

    def read() -> dict[str, str]:
        with app.app_context():
            rows = query("SELECT key, value FROM metadata")
        meta = {row["key"]: row["value"] for row in rows}
        meta["sha256"] = file_sha256(Path(app.config["DATABASE"]))
        return meta

    return remember("metadata", None, read, app)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def close_thread_connections() -> None:
    for conn in getattr(_local, "connections", {}).values():
        conn.close()
    _local.connections = {}
