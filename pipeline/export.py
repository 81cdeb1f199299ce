"""`policy-ledger export`: the bulk downloads, written from a built database.

Three files per dataset version, listed with their size and sha256 in
manifest.json beside them (which /v1/downloads serves):

- the SQLite database itself;
- a zip of one CSV per resource, flattened exactly as the API's CSV, with a
  Frictionless `datapackage.json` describing every field (types, enums,
  primary and foreign keys, licence, sources);
- one XLSX workbook with a sheet per resource.

The folder is written beside the target and renamed into place, like the
database, so a half-written export is never served.
"""

import json
import os
import shutil
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import orjson
from marshmallow import fields as ma_fields

from policy_ledger.api.db import file_sha256
from policy_ledger.api.formats import Workbook
from policy_ledger.api.resources.actions import ACTIONS
from policy_ledger.api.resources.entities import ENTITIES
from policy_ledger.api.resources.jurisdictions import JURISDICTIONS
from policy_ledger.api.resources.sources import SOURCES
from policy_ledger.api.resources.statements import STATEMENTS
from policy_ledger.api.schemas import Action, Entity, Jurisdiction, Source, Statement
from policy_ledger.dataset.published import csv_header, flat_columns, flatten

EXPORTED = (
    (ACTIONS, Action),
    (STATEMENTS, Statement),
    (ENTITIES, Entity),
    (JURISDICTIONS, Jurisdiction),
    (SOURCES, Source),
)
# Single-valued reference columns -> (resource, its key): foreign keys in the package.
FOREIGN_KEYS = {
    "jurisdiction_code": ("jurisdictions", "code"),
    "authority_id": ("entities", "id"),
    "speaker_id": ("entities", "id"),
    "on_behalf_of_id": ("entities", "id"),
    "parent_id": ("entities", "id"),
    "parent_code": ("jurisdictions", "code"),
}
MANIFEST = "manifest.json"


def _docs(conn: sqlite3.Connection, resource):
    for (doc,) in conn.execute(f'SELECT doc FROM "{resource.table}_documents" ORDER BY id'):
        yield orjson.loads(doc)


def _field_type(field: ma_fields.Field) -> str:
    if isinstance(field, ma_fields.Date):
        return "date"
    if isinstance(field, ma_fields.Integer):
        return "integer"
    if isinstance(field, ma_fields.Float):
        return "number"
    return "string"


def _column_schema(resource, schema_cls) -> list[dict]:
    """Frictionless field descriptors for the flat columns of a resource."""
    schema = schema_cls()
    described = []
    for column in flat_columns(resource):
        name, _, part = column.rpartition("_")
        top = column if column in schema.fields else name
        field = schema.fields.get(top)
        if column.startswith("amount_"):
            from policy_ledger.api.schemas import Amount

            part = column.removeprefix("amount_")
            inner = Amount().fields[part]
            descriptor = {
                "name": column,
                "type": _field_type(inner),
                "description": inner.metadata["description"],
            }
        elif column.startswith("source_"):
            descriptor = {
                "name": column,
                "type": "string",
                "description": f"The cited sources' {part}s, joined with '; '.",
            }
        elif field is not None and column == top:
            kind = "string" if isinstance(field, ma_fields.List) else _field_type(field)
            descriptor = {
                "name": column,
                "type": kind,
                "description": field.metadata.get("description", ""),
            }
            if isinstance(field, ma_fields.List):
                descriptor["description"] += " (values joined with '; ')"
            enum = field.metadata.get("enum")
            if enum:
                descriptor["constraints"] = {"enum": enum}
        else:
            what = field.metadata.get("description", top) if field else top
            joined = " (joined with '; ')" if isinstance(field, ma_fields.List) else ""
            descriptor = {
                "name": column,
                "type": "string",
                "description": f"{part.capitalize()} of: {what}{joined}",
            }
        described.append(descriptor)
    for descriptor in described:
        if descriptor["name"] == resource.key:
            descriptor["constraints"] = {
                **descriptor.get("constraints", {}),
                "required": True,
                "unique": True,
            }
    return described


def _csv_bytes(resource, conn: sqlite3.Connection) -> bytes:
    """The API's CSV of a whole resource: its header and the lines the build rendered."""
    lines = conn.execute(f'SELECT csv FROM "{resource.table}_documents" ORDER BY id')
    return (csv_header(resource) + "".join(line for (line,) in lines)).encode("utf-8")


def _datapackage(meta: dict, version: str) -> dict:
    licence = json.loads(meta["licence"])
    resources = []
    for resource, schema_cls in EXPORTED:
        columns = _column_schema(resource, schema_cls)
        names = {c["name"] for c in columns}
        foreign = [
            {"fields": column, "reference": {"resource": target, "fields": key}}
            for column, (target, key) in FOREIGN_KEYS.items()
            if column in names and not (resource.name == target and column == key)
        ]
        resources.append(
            {
                "name": resource.name,
                "path": f"{resource.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": (
                    f"Every {resource.kind} of the dataset, flattened as the API's CSV: "
                    "lists joined with '; ', references as _id/_code and _name columns. "
                    "Text starting with = + - @ is prefixed with an apostrophe."
                ),
                "schema": {
                    "fields": columns,
                    "primaryKey": [resource.key],
                    "foreignKeys": foreign,
                    "missingValues": [""],
                },
            }
        )
    return {
        "name": "policy-ledger",
        "title": meta["title"],
        "version": version,
        "created": meta["built_at"],
        "licenses": [{"name": licence["name"], "title": licence["title"], "path": licence["url"]}],
        "sources": [
            {
                "title": "Policy Ledger curated records (primary documents, news reports "
                "and the project's seed documents, cited per record)"
            }
        ],
        "description": meta["citation"],
        "resources": resources,
    }


def _write_zip(path: Path, conn, meta, version) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for resource, _schema in EXPORTED:
            info = zipfile.ZipInfo(f"{resource.name}.csv", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _csv_bytes(resource, conn))
        info = zipfile.ZipInfo("datapackage.json", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(
            info, json.dumps(_datapackage(meta, version), indent=2, ensure_ascii=False)
        )


def _write_workbook(path: Path, conn, meta, version) -> None:
    book = Workbook(path)
    book.about(
        [
            ("dataset", meta["title"]),
            ("version", version),
            ("built at", meta["built_at"]),
            ("licence", json.loads(meta["licence"])["title"]),
            ("how to cite", meta["citation"]),
            ("sheets", ", ".join(r.name for r, _ in EXPORTED)),
        ]
    )
    for resource, _schema in EXPORTED:
        rows = (flatten(resource, doc) for doc in _docs(conn, resource))
        book.table(resource.name, flat_columns(resource), rows)
    book.close()


def export_downloads(db_path: Path, out_dir: Path) -> dict:
    """Write the bulk files for the database at db_path into out_dir, atomically."""
    conn = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
    try:
        meta = dict(conn.execute("SELECT key, value FROM metadata"))
        version = meta["version"]
        out_dir = out_dir.resolve()
        tmp = out_dir.with_name(f"{out_dir.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        stem = f"policy-ledger_{version}"
        files = {
            f"{stem}.db": ("application/vnd.sqlite3", "The SQLite database the API serves."),
            f"{stem}_csv.zip": (
                "application/zip",
                "One CSV per resource with a Frictionless datapackage.json describing every field.",
            ),
            f"{stem}.xlsx": (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "One workbook with a sheet per resource.",
            ),
        }
        shutil.copyfile(db_path, tmp / f"{stem}.db")
        _write_zip(tmp / f"{stem}_csv.zip", conn, meta, version)
        _write_workbook(tmp / f"{stem}.xlsx", conn, meta, version)
    finally:
        conn.close()
    manifest = {
        "version": version,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "files": [
            {
                "name": name,
                "media_type": media,
                "description": text,
                "bytes": (tmp / name).stat().st_size,
                "sha256": file_sha256(tmp / name),
            }
            for name, (media, text) in files.items()
        ],
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    old = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return manifest
