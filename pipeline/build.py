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
from policy_ledger.pipeline.tables import (
    PUBLISHED_TABLES,
    SCHEMA_VERSION,
    create_indexes,
    create_tables,
)
from policy_ledger.pipeline.validate import Dataset, validate_dataset


def _json(value) -> str:
    return orjson.dumps(value).decode("utf-8")


def _built_at() -> str:
    # SOURCE_DATE_EPOCH makes a build reproducible to the byte when wanted.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


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
    # b-tree descent instead of two). Checked, not assumed: the API relies on
    # it for every file of this SCHEMA_VERSION.
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
    create_tables(db)
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
    create_indexes(db)
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
