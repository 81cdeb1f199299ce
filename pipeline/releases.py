"""Dataset releases: manifests of content hashes, and what changed between them.

Each release commits dataset/releases/<version>.json listing every record
(kind and id) with a hash of its content. Comparing manifests answers
/v1/changes and gives each record its first_seen and last_changed versions.
"""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import orjson

from policy_ledger.pipeline.records import load_yaml

RELEASES = "releases"
HASHED_KINDS = ("action", "statement", "entity", "jurisdiction", "source")


def _canonical(value):
    # Empty and absent are the same record: a field added to the schema with an
    # empty default must not mark every record as changed.
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return format(value, "f")
    return value


def content_hash(record: dict) -> str:
    return hashlib.sha256(
        orjson.dumps(_canonical(record), option=orjson.OPT_SORT_KEYS)
    ).hexdigest()[:16]


def manifest_of(dataset) -> dict[str, dict[str, str]]:
    return {
        kind: {key: content_hash(rec) for key, rec in sorted(dataset.records[kind].items())}
        for kind in HASHED_KINDS
    }


def version_key(version: str) -> tuple:
    base = version.split("+")[0]
    return tuple(int(part) for part in base.split("."))


def read_releases(dataset_dir: Path) -> list[dict]:
    """Every committed release manifest, oldest first."""
    releases = []
    for path in (dataset_dir / RELEASES).glob("*.json"):
        with open(path, encoding="utf-8") as f:
            releases.append(json.load(f))
    return sorted(releases, key=lambda r: version_key(r["version"]))


def dataset_info(dataset_dir: Path) -> dict:
    return load_yaml(dataset_dir / "dataset.yaml")


def current_version(dataset_dir: Path, manifest: dict, releases: list[dict]) -> str:
    """dataset.yaml's version, marked `+dev` when the records differ from its
    committed release (so an unreleased edit never passes as the release)."""
    version = str(dataset_info(dataset_dir)["version"])
    released = next((r for r in releases if r["version"] == version), None)
    if released is not None and released["records"] != manifest:
        return f"{version}+dev"
    return version


def record_history(manifest: dict, releases: list[dict], current: str) -> dict:
    """(kind, id) -> (first_seen, last_changed) across the releases, then now."""
    history: dict[tuple[str, str], list] = {}
    previous: dict[tuple[str, str], str] = {}
    versions = [(r["version"], r["records"]) for r in releases]
    if not releases or releases[-1]["version"] != current:
        versions.append((current, manifest))
    for version, records in versions:
        for kind, hashes in records.items():
            for key, digest in hashes.items():
                entry = history.setdefault((kind, key), [version, version])
                if previous.get((kind, key)) not in (None, digest):
                    entry[1] = version
                previous[(kind, key)] = digest
    return {
        (kind, key): tuple(history[(kind, key)])
        for kind, hashes in manifest.items()
        for key in hashes
    }


def write_release(dataset_dir: Path, seeds_dir: Path | None) -> str:
    """Write the manifest of dataset.yaml's version; refuse to rewrite a
    different content under a version already released."""
    from policy_ledger.pipeline.validate import validate_dataset

    dataset = validate_dataset(dataset_dir, seeds_dir)
    manifest = manifest_of(dataset)
    version = str(dataset_info(dataset_dir)["version"])
    path = dataset_dir / RELEASES / f"{version}.json"
    if path.exists():
        with open(path, encoding="utf-8") as f:
            existing = json.load(f)
        if existing["records"] == manifest:
            return f"release {version} is already written and unchanged"
        raise SystemExit(
            f"release {version} exists with other content: bump `version` in dataset.yaml"
        )
    path.parent.mkdir(exist_ok=True)
    body = {
        "version": version,
        "released": datetime.now(UTC).date().isoformat(),
        "records": manifest,
    }
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    counts = ", ".join(f"{kind}: {len(ids)}" for kind, ids in manifest.items())
    return f"wrote {path} ({counts})"
