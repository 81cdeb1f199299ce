"""The database module: read-only, time-limited, identifiers checked."""

import sqlite3

import pytest

from policy_ledger.api import db


def test_connection_is_read_only(app):
    with app.app_context():
        conn = db.get_db()
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM actions")
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("CREATE TABLE sneaky (x)")
        assert conn.execute("SELECT count(*) FROM actions").fetchone()[0] == 8


def test_time_limit_interrupts_a_long_query(app):
    with app.app_context():
        conn = db.get_db()
        endless = (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        )
        with pytest.raises(db.QueryTimeout):
            with db.time_limit(conn, 0.05):
                conn.execute(endless).fetchall()
        # The connection is usable afterwards.
        assert conn.execute("SELECT 1").fetchone()[0] == 1


def test_identifiers_are_checked():
    assert db.identifier("actions") == '"actions"'
    for bad in ("actions; DROP TABLE x", "unknown_table", 'actions"', ""):
        with pytest.raises(ValueError):
            db.identifier(bad)


def test_aggregates_are_computed_once_per_process(app, monkeypatch):
    calls = []
    real_query = db.query

    def counting_query(sql, params=(), **kwargs):
        calls.append(sql)
        return real_query(sql, params, **kwargs)

    monkeypatch.setattr(db, "query", counting_query)
    with app.app_context():
        sql = "SELECT count(*) FROM actions WHERE type = ? AND 'aggregate-test' = ?"
        first = db.aggregate(sql, ["fine", "aggregate-test"])
        second = db.aggregate(sql, ["fine", "aggregate-test"])
        other = db.aggregate(sql, ["ban", "aggregate-test"])
    assert first == second == [(2,)] and other == [(2,)]
    assert calls.count(sql) == 2  # once per distinct parameters
