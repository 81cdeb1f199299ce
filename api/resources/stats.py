"""Counts and totals of actions per group, for charts and pivot tables."""

import orjson
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from api import db
from api.formats import choose_format, file_response, filename, json_page
from api.listing import Resource, where_clause
from api.params import OneOfSuggesting, QuerySchema, bom_field, filter_field, format_field
from api.resources.actions import ACTIONS
from api.resources.base import (
    COLLECTION_FORMATS,
    file_about,
    file_formats_doc,
    json_response,
    problem_responses,
)
from api.schemas import Strict, d, page_schema

# group name -> (key expression, label expression, extra FROM clause)
GROUPS = {
    "year": ("a.year", "CAST(a.year AS TEXT)", ""),
    "type": ("a.type", "a.type", ""),
    "jurisdiction": (
        "a.jurisdiction",
        "j.name",
        " JOIN jurisdictions j ON j.code = a.jurisdiction",
    ),
    "authority": ("a.authority", "e.name", " JOIN entities e ON e.id = a.authority"),
    "target": (
        "t.entity_id",
        "e.name",
        " JOIN action_targets t ON t.action_id = a.id JOIN entities e ON e.id = t.entity_id",
    ),
}
STAT_ROWS = Resource(
    name="stats-actions",
    table="actions",
    key="key",
    kind="group",
    fields=("key", "label", "count", "amount_eur", "amount_usd"),
    sorts={},
    default_sort="",
)

blp = Blueprint(
    "stats",
    __name__,
    url_prefix="/v1",
    description="Counts and EUR/USD totals of actions per year, jurisdiction, type, "
    "target or authority, under any /v1/actions filter.",
)

StatsQuery = type(
    "StatsQuery",
    (QuerySchema,),
    {
        **{f.name: filter_field(f) for f in ACTIONS.filters},
        "group_by": fields.String(
            required=True,
            validate=OneOfSuggesting(list(GROUPS)),
            metadata={
                "description": "What to group by: " + ", ".join(GROUPS) + ".",
                "example": "year",
            },
        ),
        "format": format_field(COLLECTION_FORMATS),
        "bom": bom_field(),
        "RANGES": ACTIONS.ranges,
    },
)


class Group(Strict):
    key = fields.String(required=True, **d("The group's key (year, code or id).", "2023"))
    label = fields.String(required=True, **d("Readable label.", "2023"))
    count = fields.Integer(required=True, **d("Actions in the group.", 12))
    amount_eur = fields.Float(required=True, **d("Sum of amounts in EUR.", 530000000.0))
    amount_usd = fields.Float(required=True, **d("Sum of amounts in USD.", 601179000.0))


def group_rows(args: dict) -> list[dict]:
    conditions, params = where_clause(ACTIONS, args)
    key, label, joins = GROUPS[args["group_by"]]
    # where_clause names bare columns; alias the actions table as `a` around it.
    where = (
        f" WHERE a.id IN (SELECT id FROM actions WHERE {' AND '.join(conditions)})"
        if conditions
        else ""
    )
    order = "key" if args["group_by"] == "year" else "count DESC, key"
    sql = (
        f"SELECT {key} AS key, {label} AS label, count(*) AS count, "
        f"round(total(a.amount_eur), 2) AS amount_eur, "
        f"round(total(a.amount_usd), 2) AS amount_usd "
        f"FROM actions a{joins}{where} GROUP BY {key} ORDER BY {order}"
    )
    return [{**dict(row), "key": str(row["key"])} for row in db.query(sql, params)]


@blp.route("/stats/actions")
class ActionStats(MethodView):
    @blp.doc(operationId="stats_actions", **file_formats_doc(COLLECTION_FORMATS))
    @problem_responses(blp, 400, 406, 422)
    @blp.response(200, page_schema(Group, "GroupPage"), description="One item per group.")
    @blp.arguments(StatsQuery(), location="query")
    def get(self, args):
        """Count and total actions per group

        Counts and EUR/USD totals per year, jurisdiction, type, target or authority, under
        any filter of `/v1/actions`. An action with several targets counts once for each.
        """
        fmt = choose_format(args, COLLECTION_FORMATS)
        rows = group_rows(args)
        if fmt == "json":
            docs = [orjson.dumps(r).decode() for r in rows]
            return json_response(json_page(docs, len(rows), None, None))
        name = filename("stats-actions", args, db.metadata()["version"], fmt)
        return file_response(
            fmt, STAT_ROWS, iter(rows), None, name, file_about(STAT_ROWS, args), bom=args["bom"]
        )
