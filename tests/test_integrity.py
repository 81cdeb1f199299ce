"""Integrity rules of issue 13, section 3 (pipeline/integrity.py): each one on
a copy of the fixture dataset that breaks it, with the file and field it must
name, and a near miss that must pass."""

import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml

from policy_ledger.pipeline import integrity
from policy_ledger.pipeline.check import build_report
from policy_ledger.pipeline.validate import validate_dataset
from tests.conftest import FIXTURE_DATASET, FIXTURE_SEEDS
from tests.test_validate import edit, problems_of

A = "records/actions/"
BAN = A + "xb-ministry-2020-08-01-clipapp-ban.yaml"  # lifted, end_date 2021-01-15
LIFTING = A + "xb-ministry-2021-01-15-clipapp-ban-lifted.yaml"  # revokes BAN
FINE = A + "xa-dpa-2023-03-01-appco-fine.yaml"  # 2023-03-01, day
GBP_FINE = A + "xa-dpa-2024-01-10-appco-gbp-fine.yaml"  # 2024-01-10, day
RULING = A + "xa-court-2023-09-01-appco-appeal-ruling.yaml"  # upholds FINE
MT_BAN = A + "us-mt-governor-2022-12-01-clipapp-device-ban.yaml"  # 2022-12, month
STATEMENT = "records/statements/spokes-person-2023-03-02-fine-response.yaml"


@pytest.fixture()
def ds(tmp_path) -> Path:
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURE_DATASET, target)
    return target


def valid(root: Path):
    return validate_dataset(root, FIXTURE_SEEDS)


def warnings_of(root: Path, today=date(2026, 12, 4)) -> dict[str, list[str]]:
    found = defaultdict(list)
    integrity.report(valid(root), found, today=today)
    return found


def write(root: Path, rel: str, data: dict) -> None:
    (root / rel).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


# --- an ended action has its end_date ---------------------------------------


@pytest.mark.parametrize("status", ["lifted", "revoked", "expired"])
def test_ended_action_needs_end_date(ds, status):
    edit(ds, BAN, status=status, end_date=None)
    assert f"{BAN}: end_date: a {status} action needs its end_date (status: {status})" in (
        problems_of(ds)
    )


def test_overturned_action_needs_end_date(ds):
    edit(ds, FINE, status="overturned")
    edit(ds, RULING, related=[{"relation": "overturns", "id": "xa-dpa-2023-03-01-appco-fine"}])
    assert problems_of(ds) == [
        f"{FINE}: end_date: a overturned action needs its end_date (status: overturned)"
    ]


def test_ended_action_with_end_date_passes(ds):
    edit(ds, BAN, status="expired")  # keeps its end_date
    valid(ds)


# --- revoked and overturned actions have the action that ends them ----------


def test_revoked_action_needs_incoming_revokes(ds):
    edit(ds, LIFTING, related=[{"relation": "follows", "id": "xb-ministry-2020-08-01-clipapp-ban"}])
    edit(ds, BAN, status="revoked")
    problems = problems_of(ds)
    assert len(problems) == 1
    assert problems[0].startswith(f"{BAN}: status: a revoked action needs the action that ends it")
    assert "relation: revokes, id: xb-ministry-2020-08-01-clipapp-ban" in problems[0]


def test_revoked_action_with_incoming_revokes_passes(ds):
    edit(ds, BAN, status="revoked")  # LIFTING revokes it
    valid(ds)


def test_overturned_action_needs_incoming_overturns(ds):
    edit(ds, FINE, status="overturned", end_date="2023-09-01")  # RULING only upholds it
    problems = problems_of(ds)
    assert len(problems) == 1
    assert problems[0].startswith(f"{FINE}: status: a overturned action needs the action")
    assert "relation: overturns, id: xa-dpa-2023-03-01-appco-fine" in problems[0]


def test_overturned_action_with_incoming_overturns_passes(ds):
    edit(ds, FINE, status="overturned", end_date="2023-09-01")
    edit(ds, RULING, related=[{"relation": "overturns", "id": "xa-dpa-2023-03-01-appco-fine"}])
    valid(ds)


def test_a_revokes_relation_does_not_end_an_overturned_action(ds):
    edit(ds, BAN, status="overturned")  # LIFTING revokes it, nothing overturns it
    assert any(p.startswith(f"{BAN}: status: a overturned action") for p in problems_of(ds))


# --- a statement responds only to actions dated on or before it -------------


def test_statement_cannot_respond_to_a_later_action(ds):
    edit(
        ds,
        STATEMENT,
        responds_to=["xa-dpa-2023-03-01-appco-fine", "xa-dpa-2024-01-10-appco-gbp-fine"],
    )
    problems = problems_of(ds)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{STATEMENT}: responds_to.1: responds to xa-dpa-2024-01-10-appco-gbp-fine, "
        "dated 2024-01-10"
    )


@pytest.mark.parametrize(
    ("statement", "action", "ok"),
    [
        # the statement's month covers the action's day
        ({"date": "2024-01-01", "date_precision": "month"}, GBP_FINE, True),
        # the statement's year covers the action's day
        ({"date": "2024-01-01", "date_precision": "year"}, GBP_FINE, True),
        # one day too early
        ({"date": "2024-01-09", "date_precision": "day"}, GBP_FINE, False),
        # the whole month before the action
        ({"date": "2023-12-01", "date_precision": "month"}, GBP_FINE, False),
        # the action's month (December 2022) may have begun on the 1st
        ({"date": "2022-12-01", "date_precision": "day"}, MT_BAN, True),
        ({"date": "2022-11-30", "date_precision": "day"}, MT_BAN, False),
    ],
)
def test_response_dates_are_compared_with_their_precision(ds, statement, action, ok):
    target = Path(action).stem
    edit(ds, STATEMENT, responds_to=[target], **statement)
    if ok:
        valid(ds)
    else:
        assert any(
            p.startswith(f"{STATEMENT}: responds_to.0: responds to {target}")
            for p in problems_of(ds)
        )


def test_an_earlier_decision_date_counts_for_the_action(ds):
    edit(ds, GBP_FINE, decision_date="2023-03-01")  # decided before it was announced
    edit(ds, STATEMENT, responds_to=["xa-dpa-2024-01-10-appco-gbp-fine"])
    valid(ds)


# --- check: announced actions whose effective date has passed ---------------


def test_announced_action_past_its_effective_date_is_reported(ds):
    edit(ds, GBP_FINE, status="announced", effective_date="2024-02-01")
    found = warnings_of(ds, today=date(2024, 2, 1))[integrity.TITLES["announced"]]
    assert found == [
        f"{GBP_FINE}: effective_date: 2024-02-01 has passed (as of 2024-02-01) "
        "but status is still announced"
    ]


def test_announced_action_before_its_effective_date_is_not_reported(ds):
    edit(ds, GBP_FINE, status="announced", effective_date="2024-02-01")
    assert not warnings_of(ds, today=date(2024, 1, 31))[integrity.TITLES["announced"]]
    edit(ds, GBP_FINE, status="in_force")  # in force: nothing to report
    assert not warnings_of(ds, today=date(2030, 1, 1))[integrity.TITLES["announced"]]


def test_check_report_uses_the_day_it_runs(ds):
    edit(ds, GBP_FINE, status="announced", effective_date="2001-01-01")
    report = build_report(valid(ds))
    assert any(GBP_FINE in w for w in report.warnings[integrity.TITLES["announced"]])
    assert report.errors == []


# --- check: day precision where a cited source gives the day ----------------


def test_month_date_with_a_source_published_within_the_month_is_reported(ds):
    edit(ds, FINE, date_precision="month")  # its release was published 2023-03-01
    found = warnings_of(ds)[integrity.TITLES["precision"]]
    assert (
        f"{FINE}: date_precision: month (2023-03-01), but source xa-dpa-2023-03-01-release "
        "was published 2023-03-01, within the month"
    ) in found


def test_month_date_whose_quote_names_a_day_in_the_month_is_reported(ds):
    edit(ds, FINE, date_precision="month")
    edit(ds, "records/sources/xa-dpa-2023-03-01-release.yaml", published="2023-05-02")
    data = yaml.safe_load((ds / FINE).read_text())
    data["sources"][0]["quote"] = "On 14 March 2023 the authority fined AppCo."
    write(ds, FINE, data)
    found = warnings_of(ds)[integrity.TITLES["precision"]]
    assert found == [
        f"{FINE}: date_precision: month (2023-03-01), but the quote of "
        "xa-dpa-2023-03-01-release names '14 March 2023'"
    ]


def test_a_day_that_is_the_decision_date_is_not_reported(ds):
    edit(ds, FINE, date_precision="month", decision_date="2023-03-14")
    edit(ds, "records/sources/xa-dpa-2023-03-01-release.yaml", published="2023-05-02")
    data = yaml.safe_load((ds / FINE).read_text())
    data["sources"][0]["quote"] = "On 14 March 2023 the authority decided to fine AppCo."
    write(ds, FINE, data)
    assert not warnings_of(ds)[integrity.TITLES["precision"]]


def test_month_date_with_later_sources_and_no_day_is_not_reported(ds):
    edit(ds, FINE, date_precision="month")
    edit(ds, "records/sources/xa-dpa-2023-03-01-release.yaml", published="2023-04-01")
    assert not warnings_of(ds)[integrity.TITLES["precision"]]
    edit(ds, FINE, date_precision="day")  # a day date is never reported
    edit(ds, "records/sources/xa-dpa-2023-03-01-release.yaml", published="2023-03-01")
    assert not warnings_of(ds)[integrity.TITLES["precision"]]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("It was fined on 14 March 2023.", ["14 March 2023"]),
        ("It was fined on March 14, 2023.", ["March 14, 2023"]),
        ("Filed Mar. 3 in court.", ["Mar. 3"]),
        ("Dated 2023-03-31.", ["2023-03-31"]),
        ("It was fined on 14 April 2023.", []),  # outside the month
        ("In March 2023 it was fined.", []),  # a month, not a day
        ("On 14 March 2022 it was warned.", []),  # another year
    ],
)
def test_days_named_in_text(text, named):
    assert integrity._days_named(text, date(2023, 3, 1), date(2023, 3, 31)) == named


# --- check: entities nothing cites -----------------------------------------


def test_uncited_entities_are_reported_but_parents_of_cited_ones_are_not(ds):
    write(
        ds,
        "records/entities/lone-body.yaml",
        {"id": "lone-body", "name": "Lone Body", "kind": "regulator", "parent": "lone-parent"},
    )
    write(
        ds,
        "records/entities/lone-parent.yaml",
        {"id": "lone-parent", "name": "Lone Parent", "kind": "government"},
    )
    found = warnings_of(ds)[integrity.TITLES["entities"]]
    assert [w.split(":")[0] for w in found] == [
        "records/entities/lone-body.yaml",
        "records/entities/lone-parent.yaml",
    ]
    assert found[0].startswith("records/entities/lone-body.yaml: id: lone-body is not")
    # xa-government is no authority, but the parent of the court that is one
    assert not any("xa-government" in w for w in found)


# --- check: an action ended by another but still standing --------------------


def test_overturned_by_another_yet_in_force_is_reported(ds):
    edit(ds, RULING, related=[{"relation": "overturns", "id": "xa-dpa-2023-03-01-appco-fine"}])
    found = warnings_of(ds)[integrity.TITLES["standing"]]
    assert found == [
        f"{FINE}: status: in_force, but xa-court-2023-09-01-appco-appeal-ruling overturns it "
        "(related.0)"
    ]
    edit(ds, FINE, status="overturned", end_date="2023-09-01")
    assert not warnings_of(ds)[integrity.TITLES["standing"]]


def test_fixture_dataset_has_no_integrity_warnings():
    found = defaultdict(list)
    integrity.report(valid(FIXTURE_DATASET), found, today=date(2026, 12, 4))
    assert not any(found.values()), dict(found)
