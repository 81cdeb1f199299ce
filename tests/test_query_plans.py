"""SQL that uses the indexes: the query plans of the list queries, read from
SQLite itself (the build creates an index for every filter and sort)."""

import pytest

from policy_ledger.api import db
from policy_ledger.api.listing import encode_cursor, fetch_page, page_query, where_clause
from policy_ledger.api.resources.actions import ACTIONS
from policy_ledger.api.resources.statements import STATEMENTS


def plan(app, sql, params) -> list[str]:
    with app.app_context():
        return [row[3] for row in db.get_db().execute("EXPLAIN QUERY PLAN " + sql, params)]


def page_sql(app, resource, args):
    """The SQL fetch_page runs where an index serves the sort (the walk)."""
    args = {"sort": resource.default_sort, "page_size": 50, **args}
    with app.app_context():
        page = page_query(resource, args, *where_clause(resource, args))
    return page.walk_sql, page.params


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"type": ["fine"]},
        {"jurisdiction": ["US"]},
        {"type": ["fine"], "jurisdiction": ["US"]},
        {"authority": ["xa-dpa"]},
        {"status": ["in_force"]},
        {"currency": ["EUR"]},
    ],
)
def test_filtered_first_page_reads_an_index_in_order(app, args):
    steps = plan(app, *page_sql(app, ACTIONS, args))
    assert any("USING INDEX" in s or "USING COVERING INDEX" in s for s in steps), steps
    assert not any("TEMP B-TREE" in s for s in steps), steps
    assert not any(s.startswith("SCAN actions") and "INDEX" not in s for s in steps), steps


@pytest.mark.parametrize("sort", ["date", "-date", "id", "title", "-amount_eur", "last_changed"])
def test_every_sort_is_served_by_an_index(app, sort):
    steps = plan(app, *page_sql(app, ACTIONS, {"sort": sort}))
    assert not any("TEMP B-TREE" in s for s in steps), steps


def test_deep_page_seeks_instead_of_skipping(app):
    sql = (
        'SELECT "id" FROM "actions" WHERE ("date", "id") < (?, ?) '
        'ORDER BY "date" DESC, "id" DESC LIMIT 51'
    )
    steps = plan(app, sql, ["2021-01-01", "x"])
    assert any(
        "SEARCH actions USING" in s
        and "date<" in s.replace(" ", "")
        or "(date,id)<" in s.replace(" ", "")
        for s in steps
    ), steps
    assert "OFFSET" not in sql


def test_counts_use_an_index(app):
    for args in ({"type": ["fine"]}, {"type": ["fine"], "jurisdiction": ["US"]}):
        conditions, params = where_clause(ACTIONS, args)
        steps = plan(
            app, f'SELECT count(*) FROM "actions" WHERE {" AND ".join(conditions)}', params
        )
        assert any("COVERING INDEX" in s for s in steps), steps


def test_statement_filters_use_indexes(app):
    for args in ({"speaker": ["appco"]}, {"speaker_kind": ["company"]}, {"jurisdiction": ["EU"]}):
        steps = plan(app, *page_sql(app, STATEMENTS, args))
        assert not any("TEMP B-TREE" in s for s in steps), (args, steps)


def test_a_page_reads_only_its_documents(app):
    with app.app_context():
        page = fetch_page(ACTIONS, {"sort": "-date", "page_size": 2})
    assert len(page.docs) == 2 and page.total == 8


def test_documents_share_their_rows_rowid_and_pages_fetch_them_by_it(app):
    # The build checks the alignment (and the server refuses a file of an
    # older schema), so a page finds each document by rowid: one b-tree descent.
    statements = []
    args = {"sort": "-date", "page_size": 3, "type": ["fine"]}
    with app.app_context():
        conn = db.get_db()
        conn.set_trace_callback(statements.append)
        try:
            fetch_page(ACTIONS, args)
        finally:
            conn.set_trace_callback(None)
    pages = [sql for sql in statements if "actions_documents" in sql and "EXPLAIN" not in sql]
    assert 'd.rowid = "actions".rowid' in pages[0]
    doc_lookup = plan(app, pages[0].replace("LIMIT 4", "LIMIT ?"), [4])
    assert any("INTEGER PRIMARY KEY" in step for step in doc_lookup), doc_lookup


# Served by an index (walked) and not (joined), first and later pages, both
# directions: the two forms of a page query must agree row for row.
PAGE_CASES = [
    {"sort": "date"},
    {"sort": "-date", "type": ["fine"]},
    {"sort": "date", "type": ["fine"], "jurisdiction": ["US"]},
    {"sort": "-amount_eur"},
    {"sort": "title", "type": ["fine"]},
    {"sort": "-date", "type": ["fine", "ban"]},
    {"sort": "id", "status": ["in_force"], "type": ["fine"]},
    {"sort": "-last_changed", "jurisdiction": ["US"], "status": ["in_force"]},
]


def test_both_forms_of_a_page_query_give_the_same_rows(app):
    with app.app_context():
        served = []
        for case in PAGE_CASES:
            for page_size in (1, 2, 50):
                args = {**case, "page_size": page_size}
                conditions, params = where_clause(ACTIONS, args)
                page = page_query(ACTIONS, args, conditions, params)
                walked = db.query(page.walk_sql, page.params, plain=True)
                joined = db.query(page.join_sql, page.params, plain=True)
                assert walked == joined, args
                served.append(db.index_serves_order(page.walk_sql, page.params))
                if len(walked) > page_size:  # and the page after it
                    keys = list(walked[page_size - 1][1:])
                    later = {**args, "cursor": encode_cursor(page.plan, keys)}
                    page = page_query(ACTIONS, later, conditions, params)
                    assert db.query(page.walk_sql, page.params, plain=True) == db.query(
                        page.join_sql, page.params, plain=True
                    ), later
    assert any(served) and not all(served), "the cases must exercise both forms"


def test_a_page_walks_the_index_only_where_it_serves_the_sort(app):
    with app.app_context():
        for case in PAGE_CASES:
            args = {**case, "page_size": 2}
            page = page_query(ACTIONS, args, *where_clause(ACTIONS, args))
            steps = plan(app, page.walk_sql, page.params)
            sorts = any("TEMP B-TREE" in s and "ORDER BY" in s for s in steps)
            assert db.index_serves_order(page.walk_sql, page.params) is not sorts, (args, steps)
            statements = []
            conn = db.get_db()
            conn.set_trace_callback(statements.append)
            try:
                fetch_page(ACTIONS, args)
            finally:
                conn.set_trace_callback(None)
            ran = [sql for sql in statements if "actions_documents" in sql and "EXPLAIN" not in sql]
            assert len(ran) == 1 and (" JOIN " in ran[0]) is sorts, (args, ran)


def test_whole_default_ordered_export_is_one_sequential_read(app):
    from policy_ledger.api.listing import select_sql

    with app.app_context():
        whole, _ = select_sql(ACTIONS, {"sort": "-date"}, column="csv")
        other_order, _ = select_sql(ACTIONS, {"sort": "date"}, column="csv")
        filtered, _ = select_sql(ACTIONS, {"sort": "-date", "type": ["fine"]}, column="csv")
        assert whole == 'SELECT CAST("csv" AS BLOB) FROM "actions_documents" ORDER BY rowid'
        assert plan(app, whole, []) == ["SCAN actions_documents"]
    assert "ORDER BY rowid" not in other_order and "ORDER BY rowid" not in filtered


def test_plans_depend_only_on_the_sql_text(app):
    # db.index_serves_order keeps one answer per SQL text: true while the
    # build gathers no statistics (ANALYZE), which would let SQLite plan by
    # the bound values.
    with app.app_context():
        tables = db.query("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")
    assert tables == []
