"""The README's lists stay true: its settings, commands, filters and sorts
are checked against the code that defines them, and its links resolve."""

import argparse
import re
from pathlib import Path

import pytest

from policy_ledger.api.resources.actions import ACTIONS
from policy_ledger.api.resources.statements import STATEMENTS
from policy_ledger.cli import build_parser
from policy_ledger.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def test_settings_table_lists_every_setting():
    rows = re.findall(r"^\| `(POLICY_LEDGER_[A-Z_]+)` \|", section("Settings"), re.M)
    assert rows == [setting.env for setting in SETTINGS]


def test_command_table_lists_every_subcommand():
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    listed = re.findall(r"^\| `policy-ledger (\w+)", section("Start here"), re.M)
    assert sorted(listed) == sorted(subparsers.choices)


@pytest.mark.parametrize(
    "resource, introduction",
    [(ACTIONS, "Filters on `/v1/actions`:"), (STATEMENTS, "**Statements** (filters")],
)
def test_filter_lists_match_the_declarations(resource, introduction):
    start = README.index(introduction)
    text = README[start : README.index(")" if resource is STATEMENTS else "`sort`", start)]
    named = re.findall(r"`([a-z_]+)`", text.replace(introduction, ""))
    assert named == [f.name for f in resource.filters]


def test_action_sorts_match_the_declaration():
    text = README[README.index("`sort` takes") + len("`sort` takes") :]
    text = text[: text.index("(prefix")]
    assert re.findall(r"`([a-z_]+)`", text) == list(ACTIONS.sorts)


@pytest.mark.parametrize("path", ["README.md", "docs/operations.md", "docs/performance.md"])
def test_relative_links_resolve(path):
    document = ROOT / path
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", document.read_text()):
        if re.match(r"[a-z]+:", target) or target.startswith("/"):
            continue
        assert (document.parent / target).exists(), f"{path}: {target}"
