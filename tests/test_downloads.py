"""Bulk downloads: exported beside the database, listed with checksums,
readable by the tools people use (sqlite3, frictionless, openpyxl)."""

import hashlib
import io
import sqlite3
import zipfile

import openpyxl
import pytest
from frictionless import Package

from policy_ledger.api import create_app
from policy_ledger.pipeline.export import export_downloads


@pytest.fixture(scope="module")
def exported(fixture_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("exported") / "downloads"
    manifest = export_downloads(fixture_db, out)
    app = create_app({"DATABASE": str(fixture_db), "DOWNLOADS_DIR": str(out), "TESTING": True})
    return manifest, out, app.test_client()


def test_listing_gives_size_checksum_and_url(exported):
    manifest, out, client = exported
    body = client.get("/v1/downloads").get_json()
    assert body["version"] == "2026.02.0"
    names = [item["name"] for item in body["items"]]
    assert names == [
        "policy-ledger_2026.02.0.db",
        "policy-ledger_2026.02.0_csv.zip",
        "policy-ledger_2026.02.0.xlsx",
    ]
    for item in body["items"]:
        data = (out / item["name"]).read_bytes()
        assert item["bytes"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["url"] == f"http://localhost/v1/downloads/{item['name']}"


def test_files_are_served_with_etag(exported):
    _, out, client = exported
    with client.get("/v1/downloads/policy-ledger_2026.02.0.db") as response:
        assert response.status_code == 200
        etag = response.headers["ETag"]
        assert "filename=policy-ledger_2026.02.0.db" in response.headers["Content-Disposition"]
        data = response.get_data()
    with client.get(
        "/v1/downloads/policy-ledger_2026.02.0.db", headers={"If-None-Match": etag}
    ) as again:
        assert again.status_code == 304
    assert data == (out / "policy-ledger_2026.02.0.db").read_bytes()
    missing = client.get("/v1/downloads/other.db")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_downloaded_database_opens_with_sqlite3(exported, tmp_path):
    _, _, client = exported
    with client.get("/v1/downloads/policy-ledger_2026.02.0.db") as response:
        (tmp_path / "got.db").write_bytes(response.get_data())
    conn = sqlite3.connect(tmp_path / "got.db")
    assert conn.execute("SELECT count(*) FROM actions").fetchone()[0] == 8
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_data_package_validates_with_frictionless(exported, tmp_path):
    _, out, _ = exported
    with zipfile.ZipFile(out / "policy-ledger_2026.02.0_csv.zip") as archive:
        archive.extractall(tmp_path)
    package = Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    actions = package.get_resource("actions")
    assert actions.schema.primary_key == ["id"]
    foreign = {field for fk in actions.schema.foreign_keys for field in fk["fields"]}
    assert {"jurisdiction_code", "authority_id"} <= foreign
    type_field = actions.schema.get_field("type")
    assert "fine" in type_field.constraints["enum"]
    assert actions.schema.get_field("amount_eur").type == "number"
    assert actions.schema.get_field("date").type == "date"
    assert len(actions.read_rows()) == 8
    assert package.licenses[0]["name"] == "CC-BY-4.0"


def test_workbook_has_a_sheet_per_resource(exported):
    _, out, _ = exported
    book = openpyxl.load_workbook(io.BytesIO((out / "policy-ledger_2026.02.0.xlsx").read_bytes()))
    assert book.sheetnames == [
        "About",
        "actions",
        "statements",
        "entities",
        "jurisdictions",
        "sources",
    ]
    assert book["actions"].max_row == 1 + 8
    assert book["actions"]["A1"].font.bold


def test_export_replaces_the_folder_atomically(fixture_db, tmp_path):
    out = tmp_path / "downloads"
    export_downloads(fixture_db, out)
    (out / "stale.txt").write_text("left from an older export")
    export_downloads(fixture_db, out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["downloads"]


def test_no_export_answers_a_clear_404(fixture_db, tmp_path):
    client = create_app(
        {"DATABASE": str(fixture_db), "DOWNLOADS_DIR": str(tmp_path / "none"), "TESTING": True}
    ).test_client()
    response = client.get("/v1/downloads")
    assert response.status_code == 404
    assert "policy-ledger export" in response.get_json()["detail"]
