"""The published shape of each resource's records: its fields in order and
how each flattens into spreadsheet columns.

Both sides use it: the build (pipeline/) pre-renders every record's CSV line
with it, and the API (api/) writes CSV and XLSX with it, so a file and the
bulk download always have the same columns.

Flattening: references become `<field>_id` and `<field>_name` (codes:
`<field>_code`), lists are joined with "; ", amounts become amount_value,
amount_currency, amount_eur, amount_usd, amount_fx_date, sources their URLs
and titles. Text a spreadsheet would run as a formula is neutralised with a
leading apostrophe (OWASP CSV-injection guidance).
"""

import csv
import io
from dataclasses import dataclass, field

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# A sort on a column that may be empty orders by COALESCE(column, the lowest
# value), so the keyset stays comparable. The API writes its ORDER BY and the
# build its expression index with the same function: the two texts must be
# identical for SQLite to use the index. These are the only literals a sort
# expression may carry.
MISSING_SORT_VALUES = {"lowest number": "-1e308", "empty text": "''"}


def missing_value_sort(quoted_column: str, missing: str) -> str:
    return f"COALESCE({quoted_column}, {MISSING_SORT_VALUES[missing]})"


@dataclass(frozen=True)
class Shape:
    fields: tuple[str, ...]
    # ref, code_ref, refs, amount, sources, related; unnamed fields are scalars
    # (or lists of strings).
    shapes: dict[str, str] = field(default_factory=dict)
    # The order a list comes in when no `sort` is given (`-` for descending;
    # ties by the key). The build stores documents in this order, so a whole
    # collection in it is one sequential read.
    default_sort: str = "id"


ACTIONS = Shape(
    fields=(
        "id",
        "date",
        "type",
        "jurisdiction",
        "title",
        "date_precision",
        "status",
        "authority",
        "targets",
        "scope",
        "amount",
        "legal_basis",
        "topics",
        "summary",
        "effective_date",
        "end_date",
        "related",
        "referenced_by",
        "responses",
        "announcements",
        "sources",
        "first_seen",
        "last_changed",
    ),
    shapes={
        "jurisdiction": "code_ref",
        "authority": "ref",
        "targets": "refs",
        "amount": "amount",
        "related": "related",
        "referenced_by": "related",
        "responses": "refs",
        "announcements": "refs",
        "sources": "sources",
    },
    default_sort="-date",
)
STATEMENTS = Shape(
    fields=(
        "id",
        "date",
        "speaker_kind",
        "jurisdiction",
        "title",
        "date_precision",
        "speaker",
        "on_behalf_of",
        "quote",
        "summary",
        "topics",
        "responds_to",
        "announces",
        "sources",
        "first_seen",
        "last_changed",
    ),
    shapes={
        "jurisdiction": "code_ref",
        "speaker": "ref",
        "on_behalf_of": "ref",
        "responds_to": "refs",
        "announces": "refs",
        "sources": "sources",
    },
    default_sort="-date",
)
ENTITIES = Shape(
    fields=(
        "id",
        "name",
        "kind",
        "jurisdiction",
        "parent",
        "aliases",
        "description",
        "actions_taken",
        "actions_targeted",
        "statements",
        "first_seen",
        "last_changed",
    ),
    shapes={"jurisdiction": "code_ref", "parent": "ref"},
    default_sort="name",
)
JURISDICTIONS = Shape(
    fields=(
        "code",
        "name",
        "kind",
        "parent",
        "actions",
        "statements",
        "entities",
        "first_seen",
        "last_changed",
    ),
    shapes={"parent": "code_ref"},
    default_sort="code",
)
SOURCES = Shape(
    fields=(
        "id",
        "published",
        "kind",
        "publisher",
        "title",
        "url",
        "copy_url",
        "copy_publisher",
        "cited_by",
        "first_seen",
        "last_changed",
    ),
    shapes={"cited_by": "refs"},
    default_sort="id",
)
BY_TABLE = {
    "actions": ACTIONS,
    "statements": STATEMENTS,
    "entities": ENTITIES,
    "jurisdictions": JURISDICTIONS,
    "sources": SOURCES,
}


def flat_columns(shape) -> list[str]:
    columns = []
    for name in shape.fields:
        kind = shape.shapes.get(name, "scalar")
        if kind in ("ref", "refs"):
            columns += [f"{name}_id", f"{name}_name"]
        elif kind == "code_ref":
            columns += [f"{name}_code", f"{name}_name"]
        elif kind == "amount":
            columns += [
                "amount_value",
                "amount_currency",
                "amount_eur",
                "amount_usd",
                "amount_fx_date",
            ]
        elif kind == "sources":
            columns += ["source_urls", "source_titles"]
        else:
            columns.append(name)
    return columns


def _join(values) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def flatten(shape, doc: dict) -> dict:
    row = {}
    for name in shape.fields:
        value = doc.get(name)
        kind = shape.shapes.get(name, "scalar")
        if kind == "ref":
            row[f"{name}_id"] = (value or {}).get("id")
            row[f"{name}_name"] = (value or {}).get("name")
        elif kind == "code_ref":
            row[f"{name}_code"] = (value or {}).get("code")
            row[f"{name}_name"] = (value or {}).get("name")
        elif kind == "refs":
            row[f"{name}_id"] = _join(v["id"] for v in value or [])
            row[f"{name}_name"] = _join(v["name"] for v in value or [])
        elif kind == "amount":
            amount = value or {}
            for part in ("value", "currency", "eur", "usd", "fx_date"):
                row[f"amount_{part}"] = amount.get(part)
        elif kind == "sources":
            row["source_urls"] = _join(s.get("url") for s in value or [])
            row["source_titles"] = _join(s.get("title") for s in value or [])
        elif kind == "related":
            row[name] = _join(f"{r['relation']}: {r['id']}" for r in value or [])
        elif isinstance(value, list):
            row[name] = _join(value)
        else:
            row[name] = value
    return row


def neutralise(value):
    """Make text that a spreadsheet would evaluate inert; leave numbers alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_line(shape, doc: dict, columns: list[str] | None = None) -> str:
    """One record as a CSV line (with its CRLF), every column of the shape."""
    columns = columns or flat_columns(shape)
    row = flatten(shape, doc)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(row.get(c)) for c in columns])
    return buffer.getvalue()


def csv_header(shape) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(flat_columns(shape))
    return buffer.getvalue()
