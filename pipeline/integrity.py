"""Integrity rules that span records (issue 13, section 3).

Errors, returned by `problems()` and raised by validation (so `validate` and
`build` fail), each located by file and field:

- an action whose status is lifted, revoked, expired or overturned has its
  `end_date`;
- a revoked action is the target of another action's `revokes` relation, an
  overturned one of another action's `overturns` relation (the action that
  ends it);
- a statement does not respond to an action dated after it. Dates are read
  with their precision: a month-precision date covers the whole month, a
  year-precision date the whole year, and an action counts from the earlier
  of its `date` and `decision_date`. Only a statement that certainly comes
  before the action is an error.

Warnings, added by `report()` to `policy-ledger check` (they need an editor's
eye, not a build failure):

- an `announced` action whose `effective_date` is on or before the day the
  check runs (UTC; the date is passed in, so tests are deterministic);
- a month- or year-precision date where a cited source looks as if it gives
  the day. Whether a page states the day cannot be decided from the records
  alone; what can be checked is (a) a cited source with a `published` date
  inside the record's month (or year), i.e. written as the event happened,
  and (b) a cited quote or source title naming a day inside that month
  ("15 March 2024", "March 15, 2024", "2024-03-15"), other than its
  `decision_date` (a day already recorded). Either is reported with the
  evidence; the editor confirms the day in the page or leaves it (sources
  can disagree, or give only the decision's day);
- an entity that no action or statement cites (as authority, target,
  speaker or on_behalf_of), directly or as the parent, grandparent, ... of
  an entity that is cited;
- an action that another action revokes or overturns while its own status
  still says it stands (in_force, announced, pending, suspended, enjoined).
"""

import calendar
import re
from datetime import date

from policy_ledger.pipeline.records import Problem

ENDED = ("lifted", "revoked", "expired", "overturned")
# status -> the relation another action must carry to end an action so.
ENDED_BY = {"revoked": "revokes", "overturned": "overturns"}
STANDING = ("in_force", "announced", "pending", "suspended", "enjoined")

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?(?:,?\s+(\d{{4}}))?\b", re.I
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

TITLES = {
    "announced": "announced actions whose effective_date has passed",
    "precision": "dates coarser than a cited source seems to give (day precision?)",
    "entities": "entities no action or statement cites (directly or as a parent)",
    "standing": "actions another action revokes or overturns, yet whose status says they stand",
}


def span(day: date, precision: str) -> tuple[date, date]:
    """The first and last day a date with its precision can stand for."""
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def action_start(action: dict) -> date:
    start = span(action["date"], action["date_precision"])[0]
    decided = action.get("decision_date")
    return min(start, decided) if decided else start


def problems(dataset) -> list[Problem]:
    """The integrity errors of a dataset whose records passed their schemas."""
    out: list[Problem] = []
    actions = dataset.records.get("action", {})
    incoming: dict[str, set[str]] = {}
    for a in actions.values():
        for rel in a["related"]:
            incoming.setdefault(rel["id"], set()).add(rel["relation"])
    for key, a in sorted(actions.items()):
        rel_file, status = dataset.file_of("action", key), a["status"]
        if status in ENDED and not a["end_date"]:
            out.append(
                Problem(
                    rel_file, "end_date", f"a {status} action needs its end_date (status: {status})"
                )
            )
        needed = ENDED_BY.get(status)
        if needed and needed not in incoming.get(key, set()):
            out.append(
                Problem(
                    rel_file,
                    "status",
                    f"a {status} action needs the action that ends it: another action with "
                    f"related: {{relation: {needed}, id: {key}}}",
                )
            )
    for key, s in sorted(dataset.records.get("statement", {}).items()):
        said_by = span(s["date"], s["date_precision"])[1]
        for i, target in enumerate(s["responds_to"]):
            a = actions.get(target)
            if a is None:
                continue  # an unknown id is reported by the reference check
            if said_by < action_start(a):
                out.append(
                    Problem(
                        dataset.file_of("statement", key),
                        f"responds_to.{i}",
                        f"responds to {target}, dated {a['date']} ({a['date_precision']}), "
                        f"after the statement ({s['date']}, {s['date_precision']})",
                    )
                )
    return out


def _days_named(text: str, first: date, last: date, skip: date | None = None) -> list[str]:
    """Dates spelled out in text that fall on a day between first and last
    (other than skip)."""
    found = []
    candidates = [
        (m.group(0), m.group(3), m.group(2), m.group(1)) for m in _DAY_MONTH.finditer(text)
    ]
    candidates += [
        (m.group(0), m.group(3), m.group(1), m.group(2)) for m in _MONTH_DAY.finditer(text)
    ]
    for whole, year, month, day in candidates:
        month_no = MONTHS[month.lower().rstrip(".")]
        years = [int(year)] if year else sorted({first.year, last.year})
        for y in years:
            try:
                named = date(y, month_no, int(day))
            except ValueError:
                continue
            if first <= named <= last and named != skip:
                found.append(whole.strip())
                break
    for m in _ISO.finditer(text):
        try:
            named = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if first <= named <= last and named != skip:
            found.append(m.group(0))
    return found


def _precision_hints(dataset, kind: str, key: str, record: dict) -> list[str]:
    precision = record["date_precision"]
    if precision == "day":
        return []
    first, last = span(record["date"], precision)
    period = "month" if precision == "month" else "year"
    hints = []
    for citation in record["sources"]:
        source = dataset.records["source"].get(citation["source"])
        if source is None:
            continue
        published = source.get("published")
        if published and first <= published <= last:
            hints.append(f"source {source['id']} was published {published}, within the {period}")
        for where, text in (("quote", citation.get("quote")), ("title", source.get("title"))):
            named = _days_named(text or "", first, last, record.get("decision_date"))
            if named:
                hints.append(f"the {where} of {source['id']} names {named[0]!r}")
    return hints


def report(dataset, warnings, today: date) -> None:
    """Add the integrity warnings to a check report's warnings (title -> items)."""
    actions = dataset.records.get("action", {})
    statements = dataset.records.get("statement", {})
    for key, a in sorted(actions.items()):
        eff = a["effective_date"]
        if a["status"] == "announced" and eff and eff <= today:
            warnings[TITLES["announced"]].append(
                f"{dataset.file_of('action', key)}: effective_date: {eff} has passed "
                f"(as of {today}) but status is still announced"
            )
    for kind, records in (("action", actions), ("statement", statements)):
        for key, record in sorted(records.items()):
            for hint in _precision_hints(dataset, kind, key, record):
                warnings[TITLES["precision"]].append(
                    f"{dataset.file_of(kind, key)}: date_precision: "
                    f"{record['date_precision']} ({record['date']}), but {hint}"
                )
    entities = dataset.records.get("entity", {})
    cited = set()
    for a in actions.values():
        cited.update([a["authority"], *a["targets"]])
    for s in statements.values():
        cited.update([s["speaker"], s["on_behalf_of"]])
    frontier = [e for e in cited if e in entities]
    while frontier:
        parent = entities[frontier.pop()]["parent"]
        if parent and parent in entities and parent not in cited:
            cited.add(parent)
            frontier.append(parent)
    for key in sorted(set(entities) - cited):
        warnings[TITLES["entities"]].append(
            f"{dataset.file_of('entity', key)}: id: {key} is not the authority, a target, "
            "the speaker or on_behalf_of of any action or statement, nor a parent of one"
        )
    for key, a in sorted(actions.items()):
        for i, rel in enumerate(a["related"]):
            target = actions.get(rel["id"])
            if rel["relation"] in ENDED_BY.values() and target and target["status"] in STANDING:
                warnings[TITLES["standing"]].append(
                    f"{dataset.file_of('action', rel['id'])}: status: {target['status']}, "
                    f"but {key} {rel['relation']} it (related.{i})"
                )
