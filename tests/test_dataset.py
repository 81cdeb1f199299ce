"""The real dataset: valid, buildable, every published document in the
documented shape, the seed documents cited, and its release recorded."""

from pathlib import Path

import orjson
import pytest

from policy_ledger.api.schemas import Action, Entity, Jurisdiction, Source, Statement
from policy_ledger.dataset import DATASET_DIR
from policy_ledger.pipeline.build import build_database
from policy_ledger.pipeline.releases import read_releases
from policy_ledger.pipeline.validate import validate_dataset

SEEDS = DATASET_DIR.parent.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the seed documents are expected at {SEEDS} (shared/ beside the repo)")
    path = tmp_path_factory.mktemp("real") / "policy-ledger.db"
    build_database(DATASET_DIR, path, SEEDS)
    return path


def test_real_dataset_validates():
    dataset = validate_dataset(DATASET_DIR, SEEDS if SEEDS.is_dir() else None)
    assert len(dataset.records["action"]) >= 40
    assert len(dataset.records["statement"]) >= 12


@pytest.mark.parametrize(
    ("table", "schema"),
    [
        ("actions", Action),
        ("statements", Statement),
        ("entities", Entity),
        ("jurisdictions", Jurisdiction),
        ("sources", Source),
    ],
)
def test_every_document_has_the_documented_shape(real_db, table, schema):
    import sqlite3

    conn = sqlite3.connect(real_db)
    docs = [orjson.loads(row[0]) for row in conn.execute(f"SELECT doc FROM {table}_documents")]
    conn.close()
    assert docs
    errors = {doc.get("id", doc.get("code")): schema().validate(doc) for doc in docs}
    assert {k: v for k, v in errors.items() if v} == {}


def test_every_seed_document_is_cited():
    dataset = validate_dataset(DATASET_DIR, SEEDS if SEEDS.is_dir() else None)
    cited = {
        c["source"]
        for kind in ("action", "statement")
        for rec in dataset.records[kind].values()
        for c in rec["sources"]
    }
    assert {f"seed-00{i}" for i in range(5)} <= cited


def test_every_action_type_is_used():
    dataset = validate_dataset(DATASET_DIR, SEEDS if SEEDS.is_dir() else None)
    from policy_ledger.dataset.vocabulary import values

    used = {a["type"] for a in dataset.records["action"].values()}
    assert set(values("action_types")) <= used


def test_dataset_version_is_released():
    from policy_ledger.pipeline.releases import dataset_info

    version = str(dataset_info(DATASET_DIR)["version"])
    assert version in [r["version"] for r in read_releases(DATASET_DIR)], (
        "run `policy-ledger release` after changing records and bumping the version"
    )


def test_quality_report_has_no_hard_errors():
    from policy_ledger.pipeline.check import run_check

    text, code = run_check(DATASET_DIR, SEEDS if SEEDS.is_dir() else None)
    assert code == 0, text[text.index("## hard errors") :]  # hard errors, then link findings
    assert "actions citing a primary source" in text


def test_quality_report_flags_problems_in_fixture():
    from policy_ledger.pipeline.check import build_report
    from tests.conftest import FIXTURE_DATASET, FIXTURE_SEEDS

    report = build_report(validate_dataset(FIXTURE_DATASET, FIXTURE_SEEDS))
    assert report.errors == []
    assert report.warnings[
        "statements linked to no action (neither responds_to nor announces)"
    ] == ["spokes-person-2023-03-03-markup"]
    uncited = report.warnings["entities no action or statement cites (directly or as a parent)"]
    assert not any("us-mt-governor" in item for item in uncited)
    assert report.figures["actions citing a primary source"] == "6 of 8 (75%)"
