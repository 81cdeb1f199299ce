"""Build validation: every rule reports the file and field at fault, and all
problems are reported at once."""

import shutil
from pathlib import Path

import pytest
import yaml

from policy_ledger.pipeline.records import load_yaml
from policy_ledger.pipeline.validate import InvalidDataset, validate_dataset
from tests.conftest import FIXTURE_DATASET, FIXTURE_SEEDS

FINE = "records/actions/xa-dpa-2023-03-01-appco-fine.yaml"
STATEMENT = "records/statements/spokes-person-2023-03-02-fine-response.yaml"


@pytest.fixture()
def dataset_copy(tmp_path) -> Path:
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURE_DATASET, target)
    return target


def edit(root: Path, rel: str, **changes) -> None:
    path = root / rel
    data = load_yaml(path)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def problems_of(root: Path) -> list[str]:
    with pytest.raises(InvalidDataset) as info:
        validate_dataset(root, FIXTURE_SEEDS)
    return [str(p) for p in info.value.problems]


def test_fixture_dataset_is_valid():
    dataset = validate_dataset(FIXTURE_DATASET, FIXTURE_SEEDS)
    assert len(dataset.records["action"]) == 8


@pytest.mark.parametrize(
    ("rel", "changes", "expected"),
    [
        (FINE, {"authority": "no-such-body"}, f"{FINE}: authority: unknown entity 'no-such-body'"),
        (FINE, {"targets": ["appco", "ghost"]}, f"{FINE}: targets.1: unknown entity 'ghost'"),
        (FINE, {"jurisdiction": "ZZ"}, f"{FINE}: jurisdiction: unknown jurisdiction 'ZZ'"),
        (FINE, {"date": "2023-02-30"}, f"{FINE}: date: Not a valid date."),
        (FINE, {"type": "fien"}, f"{FINE}: type: must be one of: fine, ban"),
        (FINE, {"status": "alive"}, f"{FINE}: status: must be one of:"),
        (FINE, {"topics": ["privacy"]}, f"{FINE}: topics.0: must be one of:"),
        (FINE, {"amount": None}, f"{FINE}: amount: a fine needs an amount"),
        (
            FINE,
            {"amount": {"value": 5, "currency": "euro"}},
            f"{FINE}: amount.currency: must be an ISO 4217 code",
        ),
        (FINE, {"sources": []}, f"{FINE}: sources: every record needs at least one source"),
        (
            FINE,
            {"sources": [{"source": "nowhere"}]},
            f"{FINE}: sources.0.source: unknown source 'nowhere'",
        ),
        (
            FINE,
            {"related": [{"relation": "follows", "id": "missing-action"}]},
            f"{FINE}: related.0.id: unknown action 'missing-action'",
        ),
        (
            FINE,
            {"related": [{"relation": "likes", "id": "xa-dpa-2021-06-01-appco-inquiry"}]},
            f"{FINE}: related.0.relation: must be one of:",
        ),
        (
            FINE,
            {"date_precision": "month", "date": "2023-03-15"},
            f"{FINE}: date: a date known to the month is stored as its first day",
        ),
        (FINE, {"end_date": "2020-01-01"}, f"{FINE}: end_date: end_date is before date"),
        (FINE, {"id": "another-id"}, f"{FINE}: id: file name must be another-id.yaml"),
        (FINE, {"colour": "red"}, f"{FINE}: colour: Unknown field."),
        (FINE, {"title": None}, f"{FINE}: title: Missing data for required field."),
        (
            FINE,
            {"sources": [{"source": "fixture-seed", "quote": "Words not in the seed."}]},
            f"{FINE}: sources.0.quote: quote not found in fixture_seed.txt",
        ),
        (
            FINE,
            {"sources": [{"source": "fixture-seed"}]},
            f"{FINE}: sources.0.quote: a seed citation needs a verbatim quote",
        ),
        (
            STATEMENT,
            {"quote": "Something never said."},
            f"{STATEMENT}: quote: the quote must appear in the quote of one of its sources",
        ),
        (
            STATEMENT,
            {"responds_to": ["no-action"]},
            f"{STATEMENT}: responds_to.0: unknown action 'no-action'",
        ),
        (STATEMENT, {"speaker_kind": "pundit"}, f"{STATEMENT}: speaker_kind: must be one of:"),
        (
            "records/entities/clipapp.yaml",
            {"parent": "nobody"},
            "records/entities/clipapp.yaml: parent: unknown entity 'nobody'",
        ),
        (
            "records/entities/clipapp.yaml",
            {"kind": "gadget"},
            "records/entities/clipapp.yaml: kind: must be one of:",
        ),
        (
            "records/jurisdictions/US-MT.yaml",
            {"parent": "XA"},
            "records/jurisdictions/US-MT.yaml: parent: must be US",
        ),
        (
            "records/sources/news-2020-08-01.yaml",
            {"url": "not a url"},
            "records/sources/news-2020-08-01.yaml: url: Not a valid URL.",
        ),
    ],
)
def test_each_rule_names_file_and_field(dataset_copy, rel, changes, expected):
    edit(dataset_copy, rel, **changes)
    problems = problems_of(dataset_copy)
    assert any(p.startswith(expected) for p in problems), problems


def test_duplicate_ids_are_reported(dataset_copy):
    source = dataset_copy / FINE
    (dataset_copy / "records/actions/copy.yaml").write_text(source.read_text())
    problems = problems_of(dataset_copy)
    assert any("duplicate action id 'xa-dpa-2023-03-01-appco-fine'" in p for p in problems)


def test_bad_iso_code_is_reported(dataset_copy):
    (dataset_copy / "records/jurisdictions/QQ.yaml").write_text(
        "code: QQ\nname: Nowhere\nkind: country\n"
    )
    assert "records/jurisdictions/QQ.yaml: code: 'QQ' is not an ISO 3166-1 alpha-2 code" in (
        problems_of(dataset_copy)
    )


def test_unparseable_yaml_is_reported(dataset_copy):
    (dataset_copy / FINE).write_text("id: [unclosed\n")
    assert any(p.startswith(f"{FINE}: not valid YAML") for p in problems_of(dataset_copy))


def test_retired_id_must_point_at_a_live_record(dataset_copy):
    (dataset_copy / "retired.yaml").write_text("old-id: missing-successor\n")
    assert "retired.yaml: old-id: successor 'missing-successor' does not exist" in problems_of(
        dataset_copy
    )


def test_all_problems_are_reported_together(dataset_copy):
    edit(dataset_copy, FINE, authority="nobody", type="fien")
    edit(dataset_copy, STATEMENT, responds_to=["no-action"])
    problems = problems_of(dataset_copy)
    assert len(problems) >= 3
    files = {p.split(":")[0] for p in problems}
    assert {FINE, STATEMENT} <= files
