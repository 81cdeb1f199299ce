"""The collection and item views every resource shares, built from its
declaration: one collection MethodView and one item MethodView per Blueprint."""

import orjson
from flask import Response, redirect, request, url_for
from flask.views import MethodView
from marshmallow import fields

from policy_ledger.api import db
from policy_ledger.api.answers import Answer, Page, json_response, respond
from policy_ledger.api.errors import not_found
from policy_ledger.api.formats import FILE_FORMATS, MIMETYPES, choose_format
from policy_ledger.api.listing import (
    Resource,
    count,
    documents_table,
    fetch_page,
    select_fields,
    select_sql,
)
from policy_ledger.api.params import (
    CommaList,
    OneOfSuggesting,
    QuerySchema,
    format_field,
    query_schema,
)
from policy_ledger.api.schemas import ProblemSchema, page_schema
from policy_ledger.api.smorest_lean import Blueprint, served_lean

JSON_FORMATS = ("json",)
COLLECTION_FORMATS = ("json", *FILE_FORMATS)


def problem_responses(blp: Blueprint, *codes: int):
    """Document error responses as problem+json."""
    descriptions = {
        400: "Bad request: an unknown or repeated parameter, or an invalid cursor.",
        404: "No record with this id.",
        405: "Method not allowed; the Allow header lists what is.",
        406: "None of the media types in Accept is offered.",
        413: "More rows than an XLSX sheet holds (1,048,575): narrow the view or ask for CSV.",
        422: "A parameter's value is invalid; `errors` names it.",
        500: "A bug on our side.",
    }

    def decorate(func):
        for code in codes:
            func = blp.alt_response(
                code,
                schema=ProblemSchema,
                description=descriptions[code],
                content_type="application/problem+json",
            )(func)
        return func

    return decorate


def file_formats_doc(formats):
    """The file formats as alternative content of the 200 response."""
    content = {
        MIMETYPES[f]: {"schema": {"type": "string", "format": "binary"}}
        for f in formats
        if f not in ("json",)
    }
    headers = {
        "Link": {
            "description": 'The next page, as `<URL>; rel="next"` (JSON only).',
            "schema": {"type": "string"},
        },
        "X-Dataset-Version": {
            "description": "The dataset version served.",
            "schema": {"type": "string"},
        },
        "ETag": {
            "description": "Changes with the dataset; send If-None-Match for a 304.",
            "schema": {"type": "string"},
        },
    }
    # Integer key, as flask-smorest uses, so the two deep-merge.
    return {"responses": {200: {"content": content, "headers": headers}}}


def collection_answer(resource: Resource, args: dict) -> Answer:
    """A resource's list, as every renderer reads it."""

    def page() -> Page:
        found = fetch_page(resource, args)
        return Page(found.docs, found.total, found.next_cursor)

    def documents():
        sql, params = select_sql(resource, args)
        return (orjson.loads(row[0]) for row in db.iterate(sql, params, plain=True))

    def stored(column: str):
        sql, params = select_sql(resource, args, column=column)
        return (row[0] for row in db.iterate(sql, params, plain=True))

    return Answer(resource, args, page, documents, stored, count=lambda: count(resource, args))


def item_schema_for(resource: Resource) -> type:
    return type(
        f"{resource.kind.capitalize()}ItemQuerySchema",
        (QuerySchema,),
        {
            "fields": CommaList(
                fields.String(validate=OneOfSuggesting(resource.fields)),
                metadata={
                    "description": "Keep only these fields (comma list).",
                    "example": [resource.key],
                },
            ),
            "format": format_field(JSON_FORMATS),
        },
    )


def find_item(resource: Resource, key: str) -> bytes:
    """The stored JSON document of one record, as UTF-8 bytes."""
    row = db.query_one(
        f"SELECT CAST(doc AS BLOB) FROM {documents_table(resource)} WHERE id = ?", [key]
    )
    if row is not None:
        return row[0]
    if resource.retired:
        moved = db.query_one("SELECT successor FROM retired_ids WHERE id = ?", [key])
        if moved is not None:
            raise Redirect(moved[0])
    # Suggest from the ids that sort nearest, not from the whole table.
    near = db.query(
        f"SELECT {db.identifier(resource.key)} FROM {db.identifier(resource.table)} "
        f"WHERE {db.identifier(resource.key)} >= ? ORDER BY 1 LIMIT 20",
        [key[:12]],
    )
    raise not_found(resource.kind, key, [r[0] for r in near])


class Redirect(Exception):
    def __init__(self, successor: str):
        self.successor = successor


def item_response(resource: Resource, key: str, args: dict) -> Response:
    choose_format(args, JSON_FORMATS)  # refuses a file format with a 406
    try:
        doc = find_item(resource, key)
    except Redirect as moved:
        target = url_for(
            f"{resource.name}.{resource.name.capitalize()}Item", **{resource.key: moved.successor}
        )
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        return redirect(target, code=308)
    wanted = args.get("fields")
    if wanted:
        return json_response(orjson.dumps(select_fields(orjson.loads(doc), wanted)))
    return json_response(doc)


def resource_blueprint(
    resource: Resource,
    item_schema,
    *,
    description: str,
    list_summary: str,
    item_summary: str,
    formats=COLLECTION_FORMATS,
) -> Blueprint:
    """A Blueprint with the collection and item endpoints of `resource`."""
    blp = Blueprint(resource.name, __name__, url_prefix="/v1", description=description)
    collection_args = query_schema(resource, formats)
    item_args = item_schema_for(resource)
    page = page_schema(item_schema, f"{resource.kind.capitalize()}Page")
    name = resource.name.capitalize()

    def list_view(self, args):
        return respond(collection_answer(resource, args), formats)

    list_view.__doc__ = (
        f"{list_summary}\n\nA page of {resource.name} as JSON, or every matching row as CSV, "
        "XLSX or NDJSON (`format=`, a path suffix such as "
        f"`/v1/{resource.name}.csv`, or the Accept header). Filters may repeat or take a "
        "comma list (ORed within a parameter, ANDed across parameters); `sort`, `fields` and "
        "keyset paging (`cursor`, `page_size`) work as described at the top of this document."
    )

    def item_view(self, args, **kwargs):
        return item_response(resource, kwargs[resource.key], args)

    item_view.__doc__ = (
        f"{item_summary}\n\nThe whole {resource.kind}, with references resolved to "
        "`{id, name}` pairs. A retired id answers 308 with its successor in Location; an "
        "unknown id answers 404 naming the nearest known id."
    )

    list_view = served_lean(
        blp.doc(operationId=f"list_{resource.name}", **file_formats_doc(formats))(
            problem_responses(blp, 400, 406, 413, 422)(
                blp.response(200, page, description=f"A page of {resource.name}.")(
                    blp.arguments(collection_args(), location="query")(list_view)
                )
            )
        )
    )
    item_view = served_lean(
        blp.doc(operationId=f"get_{resource.kind}")(
            problem_responses(blp, 400, 404, 422)(
                blp.alt_response(
                    308, description="This id was retired; Location names its successor."
                )(
                    blp.response(200, item_schema, description=f"One {resource.kind}.")(
                        blp.arguments(item_args(), location="query")(item_view)
                    )
                )
            )
        )
    )

    # Each resource's views are subclasses of Collection and Item, named after
    # it (the endpoint names url_for uses: actions.ActionsItem), whose `get`
    # is the documented function above.
    blp.route(f"/{resource.name}")(type(f"{name}Collection", (Collection,), {"get": list_view}))
    blp.route(f"/{resource.name}/<string:{resource.key}>")(
        type(f"{name}Item", (Item,), {"get": item_view})
    )
    return blp


class Collection(MethodView):
    """GET /v1/<resource>: `respond(collection_answer(resource, args), formats)`."""


class Item(MethodView):
    """GET /v1/<resource>/<key>: `item_response(resource, key, args)`."""
