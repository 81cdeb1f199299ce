"""The curated source records of Policy Ledger and the schemas that define them.

The records live next to this file as YAML (see README.md). Nothing here
talks to SQLite or HTTP: the build pipeline (pipeline/) and the API (api/) import
from this package, never the other way round.
"""

from pathlib import Path

DATASET_DIR = Path(__file__).resolve().parent
