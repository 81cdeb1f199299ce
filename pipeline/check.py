"""`policy-ledger check`: the data-quality report.

Validation (pipeline/validate.py) decides whether the dataset can be built at
all; this report looks at the built picture: coverage, sourcing and the
records that need an editor's eye. Hard errors (a fine without a EUR value,
a statement that quotes nothing it answers, ...) and link findings (every
source address against the rules of pipeline/links.py) make it exit non-zero,
and `make test` runs it (tests/test_dataset.py, tests/test_links.py)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from policy_ledger.pipeline import fx, integrity, links
from policy_ledger.pipeline.validate import Dataset, validate_dataset

DUPLICATE_WINDOW = timedelta(days=3)


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)
    link_findings: list[links.Finding] = field(default_factory=list)


def _has_primary(dataset: Dataset, record: dict) -> bool:
    return any(
        dataset.records["source"][c["source"]]["kind"] == "primary" for c in record["sources"]
    )


def _has_url(dataset: Dataset, record: dict) -> bool:
    return any(dataset.records["source"][c["source"]]["url"] for c in record["sources"])


def build_report(dataset: Dataset) -> Report:
    report = Report()
    actions, statements = dataset.records["action"], dataset.records["statement"]
    report.counts["records"] = Counter({k: len(v) for k, v in dataset.records.items()})
    report.counts["actions by type"] = Counter(a["type"] for a in actions.values())
    report.counts["actions by jurisdiction"] = Counter(a["jurisdiction"] for a in actions.values())
    report.counts["actions by year"] = Counter(str(a["date"].year) for a in actions.values())
    report.counts["actions by status"] = Counter(a["status"] for a in actions.values())
    report.counts["sources by kind"] = Counter(
        s["kind"] for s in dataset.records["source"].values()
    )

    primary = [key for key, a in actions.items() if _has_primary(dataset, a)]
    share = len(primary) / len(actions) if actions else 0
    report.figures["actions citing a primary source"] = (
        f"{len(primary)} of {len(actions)} ({share:.0%})"
    )
    # issue 13 s. 2: of the actions citing a primary, how many cite one whose
    # `url` is at an official address (links.is_official; a copy_url is not).
    official = [
        key
        for key in primary
        if any(
            dataset.records["source"][c["source"]]["kind"] == "primary"
            and links.is_official(dataset.records["source"][c["source"]]["url"])
            for c in actions[key]["sources"]
        )
    ]
    share = len(official) / len(primary) if primary else 0
    report.figures["primaries at an official address"] = (
        f"{len(official)} of {len(primary)} ({share:.0%})"
    )
    report.link_findings = links.lint_links(dataset)
    report.figures["link findings"] = str(len(report.link_findings))
    with_url = sum(_has_url(dataset, a) for a in actions.values())
    report.figures["actions with a source URL"] = f"{with_url} of {len(actions)}"
    report.figures["jurisdictions with at least one action"] = str(
        len(report.counts["actions by jurisdiction"])
    )
    report.figures["ECB rates known up to"] = fx.rates_last_date().isoformat()

    w = report.warnings
    for key, a in sorted(actions.items()):
        if not _has_url(dataset, a):
            w["actions with no source URL"].append(key)
        if not _has_primary(dataset, a):
            w["actions with no primary source"].append(key)
        elif key not in official:
            w["actions whose primary sources are not at an official address"].append(key)
        amount = a["amount"]
        if a["type"] == "fine" and amount:
            if fx.convert(amount["value"], amount["currency"], a["date"], "EUR") is None:
                note = f"{key} ({amount['currency']} on {a['date']})"
                if a["date"] > fx.rates_last_date():
                    w["fines newer than the installed ECB rates"].append(note)
                else:
                    w["fines in a currency the ECB does not quote"].append(note)
    for key, s in sorted(statements.items()):
        if not s["responds_to"] and not s["announces"]:
            w["statements linked to no action (neither responds_to nor announces)"].append(key)
    integrity.report(dataset, w, today=datetime.now(UTC).date())  # issue 13 s. 3
    cited = Counter(
        c["source"]
        for kind in ("action", "statement")
        for r in dataset.records[kind].values()
        for c in r["sources"]
    )
    w["sources cited by no record"] = sorted(k for k in dataset.records["source"] if not cited[k])

    groups = defaultdict(list)
    for key, a in actions.items():
        for target in a["targets"] or [None]:
            groups[(a["jurisdiction"], a["type"], target)].append((a["date"], key))
    for _group, items in sorted(groups.items(), key=str):
        items.sort()
        for (d1, k1), (d2, k2) in zip(items, items[1:], strict=False):
            pair = f"{k1} ~ {k2}"
            title = "suspected duplicates (same jurisdiction, type and target within 3 days)"
            if d2 - d1 <= DUPLICATE_WINDOW and pair not in w[title]:
                w[title].append(pair)

    # Hard errors: things a reader would be misled by.
    for key, a in sorted(actions.items()):
        if a["type"] == "fine" and not a["amount"]:
            report.errors.append(f"fine without amount: {key}")
    return report


def format_report(report: Report) -> str:
    lines = ["# Policy Ledger data-quality report", ""]
    for name, value in report.figures.items():
        lines.append(f"{name}: {value}")
    for title, counter in report.counts.items():
        lines += ["", f"## {title}"]
        for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"{count:5d}  {key}")
    for title, items in report.warnings.items():
        if items:
            lines += ["", f"## {title}: {len(items)}"]
            lines += [f"- {item}" for item in items]
    lines += ["", f"## hard errors: {len(report.errors)}"]
    lines += [f"- {e}" for e in report.errors]
    lines += ["", f"## link findings: {len(report.link_findings)}"]
    lines += [f"- {f}" for f in report.link_findings]  # source field rule: address (detail)
    return "\n".join(lines) + "\n"


def run_check(dataset_dir: Path, seeds_dir: Path | None) -> tuple[str, int]:
    report = build_report(validate_dataset(dataset_dir, seeds_dir))
    return format_report(report), 1 if report.errors or report.link_findings else 0
