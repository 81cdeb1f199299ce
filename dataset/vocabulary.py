"""The controlled vocabularies (vocabularies.yaml): every enum with its definitions."""

from functools import cache
from pathlib import Path

import yaml

from policy_ledger.dataset import DATASET_DIR


@cache
def load_vocabularies(path: Path = DATASET_DIR / "vocabularies.yaml") -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def values(name: str) -> list[str]:
    """The allowed values of one vocabulary, in their documented order."""
    return list(load_vocabularies()[name])
