"""What the pages ask of the data: the API's own parameter schemas and
collection machinery (api.listing), called in-process, never over HTTP."""

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

import orjson
from flask import request
from marshmallow import ValidationError
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from policy_ledger.api import db
from policy_ledger.api.errors import Problem
from policy_ledger.api.listing import Resource, documents_table, fetch_page
from policy_ledger.api.params import query_schema
from policy_ledger.api.resources.actions import ACTIONS
from policy_ledger.api.resources.base import COLLECTION_FORMATS
from policy_ledger.api.resources.entities import ENTITIES
from policy_ledger.api.resources.jurisdictions import JURISDICTIONS
from policy_ledger.api.resources.statements import STATEMENTS

RESOURCES = {r.name: r for r in (ACTIONS, STATEMENTS, ENTITIES, JURISDICTIONS)}
# Page parameters that describe a page, not the set of rows: left out of file links.
PAGING = ("cursor", "page_size")


@cache
def page_schema(name: str):
    """The API's query schema for a collection, less `format` and `fields`:
    a page always shows whole rows as HTML."""
    return query_schema(RESOURCES[name], COLLECTION_FORMATS)(exclude=("format", "fields"))


@dataclass
class Query:
    """A browse page's parameters, as given (for links) and as parsed (for SQL)."""

    params: list[tuple[str, str]]  # non-empty (name, value) pairs, in the order given
    args: dict | None = None  # parsed, or None when invalid
    errors: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return ", ".join(v for k, v in self.params if k == name)

    def values(self, name: str) -> set[str]:
        return {p.strip() for k, v in self.params if k == name for p in v.split(",")}

    def query_string(self, *, drop=(), **replace) -> str:
        pairs = [(k, v) for k, v in self.params if k not in drop and k not in replace]
        pairs += [(k, v) for k, v in replace.items() if v is not None]
        return urlencode(pairs)


def clean_params(args: MultiDict) -> list[tuple[str, str]]:
    return [(k, v.strip()) for k, v in args.items(multi=True) if v.strip()]


def parse(name: str, args: MultiDict, defaults: dict | None = None) -> Query:
    """Validate `args` exactly as /v1/<name> does; collect the messages."""
    params = clean_params(args)
    schema = page_schema(name)
    data = MultiDict(params)
    for key, value in (defaults or {}).items():
        if key not in data:
            data[key] = value
    query = Query(params)
    try:
        query.args = schema.load(MultiDictProxy(data, schema))
    except ValidationError as error:
        query.errors = {k: _messages(v) for k, v in error.messages.items()}
    except Problem as problem:
        query.errors = problem.errors or {"": [problem.detail]}
    return query


def _messages(value) -> list[str]:
    if isinstance(value, dict):  # a list field: {index: [messages]}
        return [m for v in value.values() for m in _messages(v)]
    return [str(m) for m in value] if isinstance(value, list) else [str(value)]


def page(name: str, args: dict):
    """One keyset page of a collection: (documents, total, next cursor)."""
    result = fetch_page(RESOURCES[name], args)
    return [orjson.loads(d) for d in result.docs], result.total, result.next_cursor


def top(name: str, **filters) -> tuple[list[dict], int]:
    """The first rows of a collection under simple filters (lists of values)."""
    resource = RESOURCES[name]
    args = {k: [v] if isinstance(v, str) else v for k, v in filters.items()}
    args.setdefault("sort", resource.default_sort)
    args.setdefault("page_size", 10)
    docs, total, _ = page(name, args)
    return docs, total


def docs_by_key(resource: Resource, keys) -> dict[str, dict]:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    marks = ", ".join("?" for _ in keys)
    rows = db.query(f"SELECT doc FROM {documents_table(resource)} WHERE id IN ({marks})", keys)
    docs = [orjson.loads(r[0]) for r in rows]
    return {d[resource.key]: d for d in docs}


def meta() -> dict:
    m = db.metadata()
    return {
        **m,
        "licence": orjson.loads(m["licence"]),
        "counts": orjson.loads(m["counts"]),
        "vocabularies": orjson.loads(m["vocabularies"]),
    }


def api_url(path: str, query_string: str = "") -> str:
    return request.host_url.rstrip("/") + path + (f"?{query_string}" if query_string else "")
