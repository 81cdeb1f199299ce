"""`policy-ledger build`: validated records -> one SQLite file, atomically.

The database is written to a temporary file beside the target, checked
(`integrity_check`, `foreign_key_check`), and only then renamed over the
previous one, so a failed or interrupted build never leaves a half-written
database where the server reads.
"""

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from dataset.vocabulary import load_vocabularies
from scripts import releases
from scripts.documents import DocumentBuilder
from scripts.validate import Dataset, validate_dataset

SCHEMA_VERSION = 1


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _built_at() -> str:
    # SOURCE_DATE_EPOCH makes a build reproducible to the byte when wanted.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _create_tables(db: sqlite_utils.Database) -> None:
    db["jurisdictions"].create(
        {
            "code": str,
            "name": str,
            "kind": str,
            "parent": str,
            "actions": int,
            "statements": int,
            "entities": int,
            "doc": str,
        },
        pk="code",
        foreign_keys=[("parent", "jurisdictions", "code")],
    )
    db["entities"].create(
        {
            "id": str,
            "name": str,
            "kind": str,
            "jurisdiction": str,
            "parent": str,
            "description": str,
            "actions_taken": int,
            "actions_targeted": int,
            "statements": int,
            "doc": str,
        },
        pk="id",
        foreign_keys=[("jurisdiction", "jurisdictions", "code"), ("parent", "entities", "id")],
    )
    db["sources"].create(
        {
            "id": str,
            "kind": str,
            "title": str,
            "publisher": str,
            "url": str,
            "published": str,
            "cited_by": int,
            "doc": str,
        },
        pk="id",
    )
    db["actions"].create(
        {
            "id": str,
            "type": str,
            "title": str,
            "summary": str,
            "date": str,
            "date_precision": str,
            "year": int,
            "effective_date": str,
            "end_date": str,
            "status": str,
            "jurisdiction": str,
            "authority": str,
            "scope": str,
            "amount_value": float,
            "amount_currency": str,
            "amount_eur": float,
            "amount_usd": float,
            "first_seen": str,
            "last_changed": str,
            "doc": str,
        },
        pk="id",
        foreign_keys=[("jurisdiction", "jurisdictions", "code"), ("authority", "entities", "id")],
    )
    db["action_targets"].create(
        {"action_id": str, "entity_id": str},
        pk=("action_id", "entity_id"),
        foreign_keys=[("action_id", "actions", "id"), ("entity_id", "entities", "id")],
    )
    db["action_topics"].create(
        {"action_id": str, "topic": str},
        pk=("action_id", "topic"),
        foreign_keys=[("action_id", "actions", "id")],
    )
    db["action_related"].create(
        {"action_id": str, "relation": str, "related_id": str},
        pk=("action_id", "relation", "related_id"),
        foreign_keys=[("action_id", "actions", "id"), ("related_id", "actions", "id")],
    )
    db["statements"].create(
        {
            "id": str,
            "date": str,
            "date_precision": str,
            "speaker": str,
            "on_behalf_of": str,
            "speaker_kind": str,
            "jurisdiction": str,
            "title": str,
            "quote": str,
            "summary": str,
            "first_seen": str,
            "last_changed": str,
            "doc": str,
        },
        pk="id",
        foreign_keys=[
            ("speaker", "entities", "id"),
            ("on_behalf_of", "entities", "id"),
            ("jurisdiction", "jurisdictions", "code"),
        ],
    )
    db["statement_topics"].create(
        {"statement_id": str, "topic": str},
        pk=("statement_id", "topic"),
        foreign_keys=[("statement_id", "statements", "id")],
    )
    db["statement_responses"].create(
        {"statement_id": str, "action_id": str},
        pk=("statement_id", "action_id"),
        foreign_keys=[("statement_id", "statements", "id"), ("action_id", "actions", "id")],
    )
    db["statement_announcements"].create(
        {"statement_id": str, "action_id": str},
        pk=("statement_id", "action_id"),
        foreign_keys=[("statement_id", "statements", "id"), ("action_id", "actions", "id")],
    )
    db["citations"].create(
        {"record_kind": str, "record_id": str, "position": int, "source_id": str, "quote": str},
        pk=("record_kind", "record_id", "position"),
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["search_documents"].create(
        {"rowid": int, "kind": str, "id": str, "title": str, "body": str},
        pk="rowid",
    )
    db["releases"].create({"version": str, "released": str, "position": int}, pk="version")
    db["release_records"].create(
        {"version": str, "kind": str, "id": str, "hash": str},
        pk=("version", "kind", "id"),
        foreign_keys=[("version", "releases", "version")],
    )
    db["retired_ids"].create({"id": str, "successor": str, "kind": str}, pk="id")
    db["metadata"].create({"key": str, "value": str}, pk="key")


# Every filter and sort the API offers has an index (checked by a test that
# reads the query plans).
INDEXES = {
    "actions": [
        ["date", "id"],
        ["type", "date"],
        ["jurisdiction", "date"],
        ["authority", "date"],
        ["status", "date"],
        ["amount_eur", "id"],
        ["amount_currency"],
        ["title", "id"],
        ["year"],
        ["last_changed"],
    ],
    "action_targets": [["entity_id", "action_id"]],
    "action_topics": [["topic", "action_id"]],
    "action_related": [["related_id"]],
    "statements": [
        ["date", "id"],
        ["speaker", "date"],
        ["on_behalf_of", "date"],
        ["speaker_kind", "date"],
        ["jurisdiction", "date"],
        ["title", "id"],
    ],
    "statement_topics": [["topic", "statement_id"]],
    "statement_responses": [["action_id", "statement_id"]],
    "statement_announcements": [["action_id", "statement_id"]],
    "entities": [["name", "id"], ["kind", "name"], ["jurisdiction", "name"], ["parent"]],
    "jurisdictions": [["name"], ["kind", "name"], ["parent"]],
    "sources": [["kind", "id"], ["published", "id"], ["publisher"]],
    "citations": [["source_id"]],
}


ACTION_COLUMNS = (
    "id",
    "type",
    "title",
    "summary",
    "date",
    "date_precision",
    "effective_date",
    "end_date",
    "status",
    "scope",
    "first_seen",
    "last_changed",
)


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


def _fill(
    db: sqlite_utils.Database, dataset: Dataset, docs: DocumentBuilder, progress=no_progress
) -> None:
    recs = dataset.records
    _insert(
        db,
        "jurisdictions",
        (
            {
                **{k: d[k] for k in ("code", "name", "kind", "actions", "statements", "entities")},
                "parent": recs["jurisdiction"][code]["parent"],
                "doc": _json(d),
            }
            for code in sorted(recs["jurisdiction"])
            for d in [docs.jurisdiction(code)]
        ),
    )
    counts = docs.entity_counts()
    ordered = sorted(recs["entity"])
    _insert(
        db,
        "entities",
        (
            {
                **{
                    k: d[k]
                    for k in (
                        "id",
                        "name",
                        "kind",
                        "description",
                        "actions_taken",
                        "actions_targeted",
                        "statements",
                    )
                },
                "jurisdiction": recs["entity"][key]["jurisdiction"],
                "parent": recs["entity"][key]["parent"],
                "doc": _json(d),
            }
            for key in ordered
            for d in [docs.entity(key, counts)]
        ),
    )
    _insert(
        db,
        "sources",
        (
            {
                **{k: d[k] for k in ("id", "kind", "title", "publisher", "url", "published")},
                "cited_by": len(d["cited_by"]),
                "doc": _json(d),
            }
            for key in sorted(recs["source"])
            for d in [docs.source(key)]
        ),
    )
    targets, topics, related = [], [], []

    def action_rows():
        # A generator, so a million rows are inserted in batches, not held.
        for key in progress(sorted(recs["action"]), "actions"):
            d = docs.action(key)
            amount = d["amount"] or {}
            targets.extend({"action_id": key, "entity_id": t["id"]} for t in d["targets"])
            topics.extend({"action_id": key, "topic": t} for t in d["topics"])
            related.extend(
                {"action_id": key, "relation": r["relation"], "related_id": r["id"]}
                for r in d["related"]
            )
            yield {
                **{k: d[k] for k in ACTION_COLUMNS},
                "year": int(d["date"][:4]),
                "jurisdiction": d["jurisdiction"]["code"],
                "authority": d["authority"]["id"],
                "amount_value": amount.get("value"),
                "amount_currency": amount.get("currency"),
                "amount_eur": amount.get("eur"),
                "amount_usd": amount.get("usd"),
                "doc": _json(d),
            }

    _insert(db, "actions", action_rows())
    _insert(db, "action_targets", targets, ignore=True)
    _insert(db, "action_topics", topics, ignore=True)
    _insert(db, "action_related", related, ignore=True)

    statement_rows, s_topics, responses, announced = [], [], [], []
    for key in sorted(recs["statement"]):
        d = docs.statement(key)
        statement_rows.append(
            {
                **{
                    k: d[k]
                    for k in (
                        "id",
                        "date",
                        "date_precision",
                        "speaker_kind",
                        "title",
                        "quote",
                        "summary",
                        "first_seen",
                        "last_changed",
                    )
                },
                "speaker": d["speaker"]["id"],
                "on_behalf_of": (d["on_behalf_of"] or {}).get("id"),
                "jurisdiction": d["jurisdiction"]["code"],
                "doc": _json(d),
            }
        )
        s_topics += [{"statement_id": key, "topic": t} for t in d["topics"]]
        responses += [{"statement_id": key, "action_id": a["id"]} for a in d["responds_to"]]
        announced += [{"statement_id": key, "action_id": a["id"]} for a in d["announces"]]
    _insert(db, "statements", statement_rows)
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
    }
    _insert(db, "metadata", ({"key": k, "value": v} for k, v in meta.items()))
    db.conn.commit()
    return {"version": version, "counts": counts, "content_hash": content_hash}


def _verify(path: Path) -> None:
    db = sqlite_utils.Database(path)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            raise RuntimeError(f"integrity_check failed: {integrity}")
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign_key_check failed: {broken[:5]}")
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
