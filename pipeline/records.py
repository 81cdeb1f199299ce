"""Reading the YAML record files into memory, keeping each record's file name."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policy_ledger.dataset.schema import RECORD_KINDS

# libyaml's parser when installed (several times faster), else PyYAML's own.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """A safe loader that leaves dates as strings, so the marshmallow
    schemas see exactly what the author wrote and report bad dates."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the dataset, located by file and field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


@dataclass
class RawRecords:
    """Every record file's parsed YAML, by kind, with its path relative to the dataset."""

    files: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_records(dataset_dir: Path) -> RawRecords:
    raw = RawRecords()
    for kind, (folder, _schema, _key) in RECORD_KINDS.items():
        entries = raw.files.setdefault(kind, [])
        for path in sorted((dataset_dir / "records" / folder).glob("*")):
            rel = str(path.relative_to(dataset_dir))
            if path.suffix != ".yaml":
                raw.problems.append(Problem(rel, "", "record files end in .yaml"))
                continue
            try:
                entries.append((rel, load_yaml(path)))
            except yaml.YAMLError as exc:
                raw.problems.append(Problem(rel, "", f"not valid YAML: {exc}"))
    return raw
