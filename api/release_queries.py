"""Queries about dataset releases, shared by /v1/meta, /v1/changes and the
/changes page."""

from policy_ledger.api import db


def releases() -> list[dict]:
    """Every release, oldest first (the version served is the last)."""
    rows = db.query("SELECT version, released FROM releases ORDER BY position")
    return [dict(r) for r in rows]


def release_diff(then: str | None, now: str) -> dict[str, list[dict]]:
    """Records added, changed and removed from release `then` to `now`, by the
    content hash of every record."""
    body: dict[str, list[dict]] = {"added": [], "changed": [], "removed": []}
    rows = db.query(
        """SELECT kind, id, 'added' AS change FROM release_records WHERE version = :now
             AND (kind, id) NOT IN (SELECT kind, id FROM release_records WHERE version = :then)
           UNION ALL
           SELECT kind, id, 'removed' FROM release_records WHERE version = :then
             AND (kind, id) NOT IN (SELECT kind, id FROM release_records WHERE version = :now)
           UNION ALL
           SELECT n.kind, n.id, 'changed' FROM release_records n JOIN release_records o
             ON o.kind = n.kind AND o.id = n.id AND o.version = :then
           WHERE n.version = :now AND n.hash != o.hash
           ORDER BY 3, 1, 2""",
        {"now": now, "then": then or ""},
    )
    for row in rows:
        body[row["change"]].append({"kind": row["kind"], "id": row["id"]})
    return body
