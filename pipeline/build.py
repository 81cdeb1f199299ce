"""`policy-ledger build`: validated records -> one SQLite file, atomically.

The database is written to a temporary file beside the target, checked
(`integrity_check`, `foreign_key_check`), and only then renamed over the
previous one, so a failed or interrupted build never leaves a half-written
database where the server reads.
"""

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import sqlite_utils

from policy_ledger.dataset import published
from policy_ledger.dataset.vocabulary import load_vocabularies
from policy_ledger.pipeline import releases
from policy_ledger.pipeline.documents import DocumentBuilder
from policy_ledger.pipeline.validate import Dataset, validate_dataset

SCHEMA_VERSION = 1


def _json(value) -> str:
    return orjson.dumps(value).decode("utf-8")


def _built_at() -> str:
    # SOURCE_DATE_EPOCH makes a build reproducible to the byte when wanted.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


def _create_tables(db: sqlite_utils.Database) -> None:
    for table, (columns, pk, foreign_keys) in TABLES.items():
        db[table].create(columns, pk=pk, foreign_keys=foreign_keys)
    for table in PUBLISHED_TABLES:
        key = TABLES[table][1]
        db[f"{table}_documents"].create(
            {"id": str, "doc": str, "csv": str}, pk="id", foreign_keys=[("id", table, key)]
        )


# Every filter and sort the API offers has an index (checked by a test that
# reads the query plans).
INDEXES = {
    # Each filter with the default sort (-date), so a filtered first page is
    # an index range read backwards; the most used pair (type, jurisdiction)
    # has its own. tests/test_query_plans.py reads the plans.
    "actions": [
        ["date", "id"],
        ["type", "date", "id"],
        ["jurisdiction", "date", "id"],
        ["type", "jurisdiction", "date", "id"],
        ["authority", "date", "id"],
        ["status", "date", "id"],
        ["amount_currency", "date", "id"],
        ["amount_eur", "id"],
        ["title", "id"],
        ["last_changed", "id"],
        # /v1/stats/actions: each group-by reads only a covering index.
        ["year", "amount_eur", "amount_usd"],
        ["type", "amount_eur", "amount_usd"],
        ["jurisdiction", "amount_eur", "amount_usd"],
        ["authority", "amount_eur", "amount_usd"],
    ],
    "action_targets": [["entity_id", "action_id"], ["entity_id", "amount_eur", "amount_usd"]],
    "action_topics": [["topic", "action_id"]],
    "action_related": [["related_id"]],
    "statements": [
        ["date", "id"],
        ["speaker", "date", "id"],
        ["on_behalf_of", "date", "id"],
        ["speaker_kind", "date", "id"],
        ["jurisdiction", "date", "id"],
        ["title", "id"],
    ],
    "statement_topics": [["topic", "statement_id"]],
    "statement_responses": [["action_id", "statement_id"]],
    "statement_announcements": [["action_id", "statement_id"]],
    "entities": [
        ["name", "id"],
        ["kind", "name", "id"],
        ["jurisdiction", "name", "id"],
        ["parent", "name", "id"],
        ["actions_taken", "id"],
        ["actions_targeted", "id"],
    ],
    "jurisdictions": [["name", "code"], ["kind", "code"], ["parent", "code"], ["actions", "code"]],
    "sources": [["kind", "id"], ["publisher", "id"], ["cited_by", "id"]],
    "citations": [["source_id"]],
}


# Sorts on columns that may be empty order by COALESCE(column, lowest value)
# (api/listing.py sort_plan); these indexes hold exactly those expressions.
EXPRESSION_INDEXES = {
    "actions": [("amount_eur_sort", 'COALESCE("amount_eur", -1e308), "id"')],
    "sources": [("published_sort", 'COALESCE("published", \'\'), "id"')],
}


def _insert(db: sqlite_utils.Database, table: str, rows, ignore=False, batch_size=5000) -> None:
    """Insert dict rows into a table sqlite-utils created, with executemany.

    sqlite-utils' insert_all inspects every row to adapt the schema; the
    tables here are created up front, so binding the values straight away
    makes the million-row synthetic builds several times faster."""
    columns = list(db[table].columns_dict)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    sql = f'{verb} INTO "{table}" ({names}) VALUES ({marks})'
    batch = []
    for row in rows:
        batch.append(tuple(row.get(c) for c in columns))
        if len(batch) >= batch_size:
            db.conn.executemany(sql, batch)
            batch = []
    if batch:
        db.conn.executemany(sql, batch)


def no_progress(items, _label):
    return items


def _in_default_order(table: str, records: dict) -> list[str]:
    """Record keys in the resource's default list order (values, then key,
    as SQLite orders them), so its documents are stored in the order a whole
    collection is read; metadata `documents_order` says so to the API."""
    default = published.BY_TABLE[table].default_sort
    name = default.lstrip("-")

    def sort_key(key):
        value = records[key].get(name, key)
        return (value.isoformat() if hasattr(value, "isoformat") else value or "", key)

    return sorted(records, key=sort_key, reverse=default.startswith("-"))


def _published_rows(db, table: str, keys, render, row_of, progress=no_progress) -> None:
    """Insert each record's narrow row, and its document with its CSV line."""
    shape = published.BY_TABLE[table]
    columns = published.flat_columns(shape)
    documents = []

    def rows():
        for key in progress(keys, table):
            doc = render(key)
            documents.append(
                {"id": key, "doc": _json(doc), "csv": published.csv_line(shape, doc, columns)}
            )
            if len(documents) >= 5000:
                _insert(db, f"{table}_documents", documents)
                documents.clear()
            yield row_of(key, doc)

    _insert(db, table, rows())
    _insert(db, f"{table}_documents", documents)
    # Both tables were filled in the same key order, so a record's narrow row
    # and its document share a rowid: pages fetch documents by rowid (one
    # b-tree descent instead of two). Checked, not assumed; metadata
    # `documents_by_rowid` tells the API.
    key = "code" if table == "jurisdictions" else "id"
    misaligned = db.execute(
        f'SELECT count(*) FROM "{table}" a LEFT JOIN "{table}_documents" d '
        f'ON d.rowid = a.rowid WHERE d.id IS NOT a."{key}"'
    ).fetchone()[0]
    if misaligned:
        raise RuntimeError(f"{table}: {misaligned} rows do not share a rowid with their document")


def _fill(
    db: sqlite_utils.Database, dataset: Dataset, docs: DocumentBuilder, progress=no_progress
) -> None:
    recs = dataset.records
    _published_rows(
        db,
        "jurisdictions",
        _in_default_order("jurisdictions", recs["jurisdiction"]),
        docs.jurisdiction,
        lambda code, d: {**d, "parent": recs["jurisdiction"][code]["parent"]},
    )
    counts = docs.entity_counts()
    _published_rows(
        db,
        "entities",
        _in_default_order("entities", recs["entity"]),
        lambda key: docs.entity(key, counts),
        lambda key, d: {
            **d,
            "jurisdiction": recs["entity"][key]["jurisdiction"],
            "parent": recs["entity"][key]["parent"],
        },
    )
    _published_rows(
        db,
        "sources",
        _in_default_order("sources", recs["source"]),
        docs.source,
        lambda key, d: {**d, "cited_by": len(d["cited_by"])},
    )

    targets, topics, related = [], [], []

    def action_row(key, d):
        amount = d["amount"] or {}
        targets.extend(
            {
                "action_id": key,
                "entity_id": t["id"],
                "amount_eur": amount.get("eur"),
                "amount_usd": amount.get("usd"),
            }
            for t in d["targets"]
        )
        topics.extend({"action_id": key, "topic": t} for t in d["topics"])
        related.extend(
            {"action_id": key, "relation": r["relation"], "related_id": r["id"]}
            for r in d["related"]
        )
        return {
            **d,
            "year": int(d["date"][:4]),
            "jurisdiction": d["jurisdiction"]["code"],
            "authority": d["authority"]["id"],
            "amount_value": amount.get("value"),
            "amount_currency": amount.get("currency"),
            "amount_eur": amount.get("eur"),
            "amount_usd": amount.get("usd"),
        }

    _published_rows(
        db,
        "actions",
        _in_default_order("actions", recs["action"]),
        docs.action,
        action_row,
        progress,
    )
    _insert(db, "action_targets", targets, ignore=True)
    _insert(db, "action_topics", topics, ignore=True)
    _insert(db, "action_related", related, ignore=True)

    s_topics, responses, announced = [], [], []

    def statement_row(key, d):
        s_topics.extend({"statement_id": key, "topic": t} for t in d["topics"])
        responses.extend({"statement_id": key, "action_id": a["id"]} for a in d["responds_to"])
        announced.extend({"statement_id": key, "action_id": a["id"]} for a in d["announces"])
        return {
            **d,
            "speaker": d["speaker"]["id"],
            "on_behalf_of": (d["on_behalf_of"] or {}).get("id"),
            "jurisdiction": d["jurisdiction"]["code"],
        }

    _published_rows(
        db,
        "statements",
        _in_default_order("statements", recs["statement"]),
        docs.statement,
        statement_row,
        progress,
    )
    _insert(db, "statement_topics", s_topics, ignore=True)
    _insert(db, "statement_responses", responses, ignore=True)
    _insert(db, "statement_announcements", announced, ignore=True)
    _insert(
        db,
        "citations",
        (
            {
                "record_kind": kind,
                "record_id": key,
                "position": i,
                "source_id": c["source"],
                "quote": c.get("quote"),
            }
            for kind in ("action", "statement")
            for key in sorted(recs[kind])
            for i, c in enumerate(recs[kind][key]["sources"])
        ),
    )


def _fill_search(db: sqlite_utils.Database, dataset: Dataset) -> None:
    recs, rows = dataset.records, []
    for key in sorted(recs["action"]):
        a = recs["action"][key]
        names = " ".join(recs["entity"][t]["name"] for t in a["targets"])
        body = f"{a['summary']} {names} {recs['entity'][a['authority']]['name']}"
        rows.append({"kind": "action", "id": key, "title": a["title"], "body": body})
    for key in sorted(recs["statement"]):
        s = recs["statement"][key]
        body = f"{s['quote']} {s['summary']} {recs['entity'][s['speaker']]['name']}"
        rows.append({"kind": "statement", "id": key, "title": s["title"], "body": body})
    for key in sorted(recs["entity"]):
        e = recs["entity"][key]
        body = " ".join([*e["aliases"], e["description"] or ""])
        rows.append({"kind": "entity", "id": key, "title": e["name"], "body": body})
    _insert(db, "search_documents", ({"rowid": i, **row} for i, row in enumerate(rows, start=1)))
    db["search_documents"].enable_fts(
        ["title", "body"],
        fts_version="FTS5",
        tokenize="porter unicode61 remove_diacritics 2",
        create_triggers=False,
    )


def _fill_releases(db, release_list, version, manifest) -> None:
    versions = [(r["version"], r.get("released"), r["records"]) for r in release_list]
    if not release_list or release_list[-1]["version"] != version:
        versions.append((version, None, manifest))
    _insert(
        db,
        "releases",
        (
            {"version": v, "released": released, "position": i}
            for i, (v, released, _records) in enumerate(versions)
        ),
    )
    _insert(
        db,
        "release_records",
        (
            {"version": v, "kind": kind, "id": key, "hash": digest}
            for v, _released, records in versions
            for kind, hashes in records.items()
            for key, digest in hashes.items()
        ),
    )


def _kind_of(dataset: Dataset, key: str) -> str:
    return next(k for k in ("action", "statement", "entity", "source") if key in dataset.records[k])


def write_database(path: Path, dataset: Dataset, dataset_dir: Path, progress=no_progress) -> dict:
    manifest = releases.manifest_of(dataset)
    release_list = releases.read_releases(dataset_dir)
    version = releases.current_version(dataset_dir, manifest, release_list)
    history = releases.record_history(manifest, release_list, version)
    docs = DocumentBuilder(dataset, history)
    info = releases.dataset_info(dataset_dir)

    db = sqlite_utils.Database(path, recreate=True)
    # The file is temporary until _verify passes and it is renamed, so it needs
    # no journal and no fsync per transaction; build_database syncs it once.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    # Foreign keys are checked as a whole by _verify (foreign_key_check), so
    # rows may be inserted in any order.
    _create_tables(db)
    _fill(db, dataset, docs, progress)
    _fill_search(db, dataset)
    _fill_releases(db, release_list, version, manifest)
    _insert(
        db,
        "retired_ids",
        (
            {"id": old, "successor": new, "kind": _kind_of(dataset, new)}
            for old, new in sorted(dataset.retired.items())
        ),
    )
    for table, indexes in INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)
    for table, indexes in EXPRESSION_INDEXES.items():
        for name, expression in indexes:
            db.execute(f'CREATE INDEX "idx_{table}_{name}" ON "{table}" ({expression})')
    counts = {kind: len(recs) for kind, recs in dataset.records.items()}
    content_hash = releases.content_hash(manifest)
    meta = {
        "name": info["name"],
        "title": info["title"],
        "version": version,
        "built_at": _built_at(),
        "content_hash": content_hash,
        "schema_version": str(SCHEMA_VERSION),
        "licence": _json(info["licence"]),
        "citation": info["citation"].format(version=version).strip(),
        "counts": _json(counts),
        "vocabularies": _json(load_vocabularies()),
        # Each <table>_documents is stored in this list order (rowid order).
        "documents_order": _json({t: published.BY_TABLE[t].default_sort for t in PUBLISHED_TABLES}),
        # Each narrow row and its document share a rowid (checked above).
        "documents_by_rowid": _json(list(PUBLISHED_TABLES)),
    }
    _insert(db, "metadata", ({"key": k, "value": v} for k, v in meta.items()))
    db.conn.commit()
    return {"version": version, "counts": counts, "content_hash": content_hash}


def _verify(path: Path, thorough: bool = True) -> None:
    """integrity_check and foreign_key_check, then VACUUM for a compact file.

    Synthetic benchmark files of several GB take quick_check instead (it skips
    the index-to-table cross-checks) and no VACUUM: they are written once,
    in order, and never published."""
    db = sqlite_utils.Database(path)
    try:
        check = "integrity_check" if thorough else "quick_check"
        integrity = db.execute(f"PRAGMA {check}").fetchall()
        if integrity != [("ok",)]:
            raise RuntimeError(f"{check} failed: {integrity}")
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign_key_check failed: {broken[:5]}")
        if thorough:
            db.execute("VACUUM")
    finally:
        db.close()


def build_database(dataset_dir: Path, db_path: Path, seeds_dir: Path | None) -> str:
    """Validate, write to a temporary file, verify, then rename into place."""
    started = time.perf_counter()
    dataset = validate_dataset(dataset_dir, seeds_dir)
    db_path = db_path.resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    try:
        summary = write_database(tmp, dataset, dataset_dir)
        _verify(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    counts = ", ".join(f"{k}: {v}" for k, v in summary["counts"].items())
    seconds = time.perf_counter() - started
    return f"built {db_path} (dataset {summary['version']}; {counts}) in {seconds:.1f}s"
