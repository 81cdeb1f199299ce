"""Validating the whole dataset: each record against its schema, then the
references and rules that span records. Every problem is collected, so an
author sees all of them in one run."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from marshmallow import ValidationError

from policy_ledger.dataset.schema import RECORD_KINDS
from policy_ledger.pipeline import integrity
from policy_ledger.pipeline.records import Problem, RawRecords, read_records


@dataclass
class Dataset:
    """Validated records by kind and key, and the file each came from."""

    records: dict[str, dict[str, dict]] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)

    def file_of(self, kind: str, key: str) -> str:
        return self.files[(kind, key)]


class InvalidDataset(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the dataset")


def _flatten(messages, prefix="") -> list[tuple[str, str]]:
    """marshmallow's nested error dict -> (dotted.field, message) pairs."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix and key != "_schema" else (prefix or str(key))
            out.extend(_flatten(value, name))
        return out
    if isinstance(messages, list):
        return [(prefix, str(m)) for m in messages if not isinstance(m, dict | list)] + [
            pair for m in messages if isinstance(m, dict | list) for pair in _flatten(m, prefix)
        ]
    return [(prefix, str(messages))]


def _normalise(text: str) -> str:
    """Compare quotes ignoring white space and the straight/curly quote style."""
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def _check_schemas(raw: RawRecords, dataset: Dataset, problems: list[Problem]) -> None:
    for kind, (_folder, schema_cls, key) in RECORD_KINDS.items():
        schema = schema_cls()
        by_key = dataset.records.setdefault(kind, {})
        for rel, data in raw.files.get(kind, []):
            if not isinstance(data, dict):
                problems.append(Problem(rel, "", "a record file holds one mapping of fields"))
                continue
            try:
                record = schema.load(data)
            except ValidationError as err:
                problems.extend(Problem(rel, f, m) for f, m in _flatten(err.messages))
                continue
            ident = record[key]
            if Path(rel).stem != ident:
                problems.append(Problem(rel, key, f"file name must be {ident}.yaml"))
            if ident in by_key:
                first = dataset.file_of(kind, ident)
                problems.append(Problem(rel, key, f"duplicate {kind} id {ident!r} (also {first})"))
                continue
            by_key[ident] = record
            dataset.files[(kind, ident)] = rel


class _References:
    """Checks that a field names an existing record, recording a problem if not."""

    def __init__(self, dataset: Dataset, problems: list[Problem]):
        self.dataset, self.problems = dataset, problems

    def check(self, kind, key, field_name, value, target_kind) -> None:
        if value is not None and value not in self.dataset.records[target_kind]:
            self.problems.append(
                Problem(
                    self.dataset.file_of(kind, key),
                    field_name,
                    f"unknown {target_kind} {value!r}",
                )
            )


def _check_references(dataset: Dataset, problems: list[Problem]) -> None:
    ref = _References(dataset, problems).check
    for key, a in dataset.records["action"].items():
        ref("action", key, "jurisdiction", a["jurisdiction"], "jurisdiction")
        ref("action", key, "authority", a["authority"], "entity")
        for i, target in enumerate(a["targets"]):
            ref("action", key, f"targets.{i}", target, "entity")
        for i, rel in enumerate(a["related"]):
            ref("action", key, f"related.{i}.id", rel["id"], "action")
            if rel["id"] == key:
                problems.append(
                    Problem(
                        dataset.file_of("action", key),
                        f"related.{i}.id",
                        "an action cannot be related to itself",
                    )
                )
    for key, s in dataset.records["statement"].items():
        ref("statement", key, "speaker", s["speaker"], "entity")
        ref("statement", key, "on_behalf_of", s["on_behalf_of"], "entity")
        ref("statement", key, "jurisdiction", s["jurisdiction"], "jurisdiction")
        for link in ("responds_to", "announces"):
            for i, action in enumerate(s[link]):
                ref("statement", key, f"{link}.{i}", action, "action")
    for key, e in dataset.records["entity"].items():
        ref("entity", key, "jurisdiction", e["jurisdiction"], "jurisdiction")
        ref("entity", key, "parent", e["parent"], "entity")
    for code, j in dataset.records["jurisdiction"].items():
        ref("jurisdiction", code, "parent", j["parent"], "jurisdiction")
    for kind in ("action", "statement"):
        for key, record in dataset.records[kind].items():
            for i, citation in enumerate(record["sources"]):
                ref(kind, key, f"sources.{i}.source", citation["source"], "source")


# ISO 3166 leaves XA-XZ to private use; the test fixtures use them for invented places.
USER_ASSIGNED = {f"X{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _check_jurisdiction_codes(dataset: Dataset, problems: list[Problem]) -> None:
    for code, j in dataset.records["jurisdiction"].items():
        rel = dataset.file_of("jurisdiction", code)
        if code == "EU" or code in USER_ASSIGNED:
            continue
        if "-" in code:
            if pycountry.subdivisions.get(code=code) is None:
                problems.append(Problem(rel, "code", f"{code!r} is not an ISO 3166-2 code"))
            if j["parent"] != code.split("-")[0]:
                problems.append(Problem(rel, "parent", f"must be {code.split('-')[0]}"))
        elif pycountry.countries.get(alpha_2=code) is None:
            problems.append(Problem(rel, "code", f"{code!r} is not an ISO 3166-1 alpha-2 code"))


def _check_quotes(dataset: Dataset, seeds_dir: Path | None, problems: list[Problem]) -> None:
    """A statement's quote must be one its sources carry; a seed quote must be
    in the seed file itself (when the seed files are at hand)."""
    seed_texts = {}
    for key, source in dataset.records["source"].items():
        if source["kind"] == "seed" and seeds_dir is not None:
            path = seeds_dir / (source["file"] or "")
            if not path.is_file():
                problems.append(
                    Problem(
                        dataset.file_of("source", key),
                        "file",
                        f"no seed file {source['file']!r} in {seeds_dir}",
                    )
                )
                continue
            seed_texts[key] = _normalise(path.read_text(encoding="utf-8"))
    for kind in ("action", "statement"):
        for key, record in dataset.records[kind].items():
            rel = dataset.file_of(kind, key)
            for i, citation in enumerate(record["sources"]):
                source = dataset.records["source"].get(citation["source"])
                if not source or source["kind"] != "seed":
                    continue
                quote = citation.get("quote")
                if not quote:
                    problems.append(
                        Problem(rel, f"sources.{i}.quote", "a seed citation needs a verbatim quote")
                    )
                elif key in seed_texts or citation["source"] in seed_texts:
                    if _normalise(quote) not in seed_texts[citation["source"]]:
                        problems.append(
                            Problem(
                                rel, f"sources.{i}.quote", f"quote not found in {source['file']}"
                            )
                        )
    for key, s in dataset.records["statement"].items():
        quotes = [_normalise(c.get("quote") or "") for c in s["sources"]]
        if not any(_normalise(s["quote"]) in q for q in quotes):
            problems.append(
                Problem(
                    dataset.file_of("statement", key),
                    "quote",
                    "the quote must appear in the quote of one of its sources",
                )
            )


def _check_retired(dataset: Dataset, problems: list[Problem]) -> None:
    live = {
        key for kind in ("action", "statement", "entity", "source") for key in dataset.records[kind]
    }
    for old, new in dataset.retired.items():
        if old in live:
            problems.append(Problem("retired.yaml", old, "a retired id is still a live record"))
        if new not in live:
            problems.append(Problem("retired.yaml", old, f"successor {new!r} does not exist"))


def validate_dataset(dataset_dir: Path, seeds_dir: Path | None = None) -> Dataset:
    """Load and check every record; raise InvalidDataset listing all problems."""
    from policy_ledger.pipeline.records import load_yaml

    raw = read_records(dataset_dir)
    problems = list(raw.problems)
    dataset = Dataset(retired=load_yaml(dataset_dir / "retired.yaml") or {})
    _check_schemas(raw, dataset, problems)
    _check_references(dataset, problems)
    _check_jurisdiction_codes(dataset, problems)
    _check_quotes(dataset, seeds_dir, problems)
    _check_retired(dataset, problems)
    problems.extend(integrity.problems(dataset))
    if problems:
        raise InvalidDataset(sorted(problems, key=lambda p: (p.file, p.field)))
    return dataset
