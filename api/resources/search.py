"""Full-text search over actions, statements and entities."""

import orjson
from flask import request
from flask.views import MethodView
from marshmallow import fields, validate

from policy_ledger.api import db
from policy_ledger.api.answers import Answer, Page, respond
from policy_ledger.api.listing import Resource, SortPlan, decode_cursor, encode_cursor, fts_query
from policy_ledger.api.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CommaList,
    OneOfSuggesting,
    QuerySchema,
    bom_field,
    bounded_string,
    format_field,
)
from policy_ledger.api.resources.base import (
    COLLECTION_FORMATS,
    file_formats_doc,
    problem_responses,
)
from policy_ledger.api.schemas import Strict, d, page_schema
from policy_ledger.api.smorest_lean import Blueprint, served_lean

KINDS = {"action": "actions", "statement": "statements", "entity": "entities"}
HITS = Resource(
    name="search",
    table="search_documents",
    key="id",
    kind="hit",
    fields=("kind", "id", "title", "snippet", "url"),
    sorts={},
    default_sort="",
)
# Hits are ordered by relevance (bm25), then rowid; the cursor carries both.
RELEVANCE = SortPlan("relevance", False, ("score", "rowid"))


class SearchQuery(QuerySchema):
    q = bounded_string(
        required=True,
        metadata={
            "description": "Words to find (all must match; a trailing * matches a prefix). "
            "Operators are treated as plain words.",
            "example": "TikTok fine",
        },
    )
    kind = CommaList(
        fields.String(validate=OneOfSuggesting(list(KINDS))),
        metadata={
            "description": "Limit to these kinds: action, statement, entity.",
            "example": ["action"],
        },
    )
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": "Hits per page (JSON only).", "example": 20},
    )
    cursor = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "Opaque token from the previous page's `next`.",
            "example": "WyJyZWxldmFuY2UiXQ",
        },
    )
    format = format_field(COLLECTION_FORMATS)
    bom = bom_field()


class Hit(Strict):
    kind = fields.String(required=True, **d("action, statement or entity.", "action"))
    id = fields.String(required=True, **d("Record id.", "ie-dpc-2025-05-02-tiktok-transfers-fine"))
    title = fields.String(required=True, **d("Title or name.", "Irish DPC fines TikTok"))
    snippet = fields.String(
        required=True, **d("Matching text, matches marked **like this**.", "**TikTok** was fined")
    )
    url = fields.String(
        required=True, **d("API URL of the record.", "https://example.org/v1/actions/x")
    )


blp = Blueprint(
    "search",
    __name__,
    url_prefix="/v1",
    description="Full-text search across actions, statements and entities.",
)


def _matches(args: dict) -> tuple[str, list]:
    """Rowid and relevance of every matching document (joined to its kind only
    when the kind is filtered: ranking reads the full-text index alone)."""
    params = [fts_query(args["q"])]
    if not args.get("kind"):
        return (
            "SELECT rowid, bm25(search_documents_fts, 5.0, 1.0) AS score "
            "FROM search_documents_fts WHERE search_documents_fts MATCH ?",
            params,
        )
    marks = ", ".join("?" for _ in args["kind"])
    sql = (
        "SELECT d.rowid AS rowid, bm25(search_documents_fts, 5.0, 1.0) AS score "
        "FROM search_documents_fts JOIN search_documents d ON d.rowid = search_documents_fts.rowid "
        f"WHERE search_documents_fts MATCH ? AND d.kind IN ({marks})"
    )
    return sql, [*params, *args["kind"]]


def _count_sql(args: dict) -> tuple[str, list]:
    """How many documents match: no ranking needed, and no join without `kind`."""
    if not args.get("kind"):
        return (
            "SELECT count(*) FROM search_documents_fts WHERE search_documents_fts MATCH ?",
            [fts_query(args["q"])],
        )
    marks = ", ".join("?" for _ in args["kind"])
    return (
        "SELECT count(*) FROM search_documents_fts JOIN search_documents d ON d.rowid = "
        f"search_documents_fts.rowid WHERE search_documents_fts MATCH ? AND d.kind IN ({marks})",
        [fts_query(args["q"]), *args["kind"]],
    )


def _hits_sql(args: dict, keyset: list | None, limit: int | None):
    """The hits in relevance order, with snippets made for those returned only
    (a snippet costs far more than ranking, and most matches are not shown)."""
    matches, params = _matches(args)
    chosen = f"SELECT * FROM ({matches})"
    if keyset:
        chosen += " WHERE (score, rowid) > (?, ?)"
        params += keyset
    chosen += " ORDER BY score, rowid"
    if limit:
        chosen += " LIMIT ?"
        params.append(limit)
    sql = (
        "SELECT p.rowid AS rowid, d.kind AS kind, d.id AS id, d.title AS title, "
        "p.score AS score, snippet(search_documents_fts, -1, '**', '**', '…', 16) AS snippet "
        f"FROM ({chosen}) p JOIN search_documents d ON d.rowid = p.rowid "
        "JOIN search_documents_fts ON search_documents_fts.rowid = p.rowid "
        "WHERE search_documents_fts MATCH ? ORDER BY p.score, p.rowid"
    )
    return sql, [*params, fts_query(args["q"])]


def _hit(row) -> dict:
    return {
        "kind": row["kind"],
        "id": row["id"],
        "title": row["title"],
        "snippet": row["snippet"],
        "url": f"{request.host_url}v1/{KINDS[row['kind']]}/{row['id']}",
    }


@blp.route("/search")
class Search(MethodView):
    @served_lean
    @blp.doc(operationId="search", **file_formats_doc(COLLECTION_FORMATS))
    @problem_responses(blp, 400, 406, 422)
    @blp.response(200, page_schema(Hit, "HitPage"), description="Hits, most relevant first.")
    @blp.arguments(SearchQuery(), location="query")
    def get(self, args):
        """Search actions, statements and entities

        Every word must match (porter stemming: `fines` finds `fine`); a trailing `*`
        matches a prefix; FTS operators are treated as plain words. Hits are ordered by
        relevance and carry a snippet with the matches marked `**like this**`.
        """
        return respond(search_answer(args), COLLECTION_FORMATS)


def search_answer(args: dict) -> Answer:
    def page() -> Page:
        total = db.aggregate(*_count_sql(args))[0][0]
        keyset = decode_cursor(RELEVANCE, args["cursor"]) if args.get("cursor") else None
        size = args["page_size"]
        sql, params = _hits_sql(args, keyset, size + 1)
        rows = db.query(sql, params)
        cursor = None
        if len(rows) > size:
            last = rows[size - 1]
            cursor = encode_cursor(RELEVANCE, [last["score"], last["rowid"]])
        return Page([orjson.dumps(_hit(row)).decode() for row in rows[:size]], total, cursor)

    def documents():
        sql, params = _hits_sql(args, None, None)
        return (_hit(row) for row in db.iterate(sql, params))

    # `fields=` is not offered on search; json_page reads it from args.
    return Answer(HITS, {**args, "fields": None}, page, documents, file_stem="search")
