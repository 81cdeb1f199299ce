"""The command line: a thin layer over the library."""

from policy_ledger.cli import main
from tests.conftest import FIXTURE_DATASET, FIXTURE_SEEDS


def test_validate_and_build(tmp_path, capsys):
    args = ["--dataset", str(FIXTURE_DATASET), "--seeds", str(FIXTURE_SEEDS)]
    assert main([*args, "validate"]) == 0
    assert "action: 8" in capsys.readouterr().out
    db = tmp_path / "cli.db"
    assert main([*args, "build", "--db", str(db)]) == 0
    assert db.is_file() and "built" in capsys.readouterr().out


def test_build_failure_lists_problems_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "dataset"
    import shutil

    shutil.copytree(FIXTURE_DATASET, bad)
    (bad / "records/actions/broken.yaml").write_text("id: broken\ntype: fine\n")
    assert (
        main(
            [
                "--dataset",
                str(bad),
                "--seeds",
                str(FIXTURE_SEEDS),
                "build",
                "--db",
                str(tmp_path / "x.db"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "records/actions/broken.yaml: title: Missing data for required field." in err
    assert "the previous database is untouched" in err
    assert not (tmp_path / "x.db").exists()
