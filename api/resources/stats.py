"""Counts and totals of actions per group, for charts and pivot tables."""

import orjson
from flask.views import MethodView
from marshmallow import fields

from policy_ledger.api import db
from policy_ledger.api.answers import Answer, Page, respond
from policy_ledger.api.listing import Resource, where_clause
from policy_ledger.api.params import (
    OneOfSuggesting,
    QuerySchema,
    bom_field,
    filter_field,
    format_field,
)
from policy_ledger.api.resources.actions import ACTIONS
from policy_ledger.api.resources.base import (
    COLLECTION_FORMATS,
    file_formats_doc,
    problem_responses,
)
from policy_ledger.api.schemas import Strict, d, page_schema
from policy_ledger.api.smorest_lean import Blueprint, served_lean

# group name -> (key expression, label expression, extra FROM clause)
# group -> (table, its column to group on, the column joining it to actions,
# the label: a table and column to look the key up in, or None for the key).
# Each group-by reads one covering index (see pipeline/build.py INDEXES); the
# labels are looked up once per group, after grouping.
GROUPS = {
    "year": ("actions", "year", "id", None),
    "type": ("actions", "type", "id", None),
    "jurisdiction": ("actions", "jurisdiction", "id", ("jurisdictions", "code", "name")),
    "authority": ("actions", "authority", "id", ("entities", "id", "name")),
    # action_targets carries each action's amounts, so grouping by target
    # needs no lookup of the action per row.
    "target": ("action_targets", "entity_id", "action_id", ("entities", "id", "name")),
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
    table, column, action_key, label = GROUPS[args["group_by"]]
    table, column, action_key = (db.identifier(n) for n in (table, column, action_key))
    where = (
        f" WHERE {action_key} IN (SELECT id FROM actions WHERE {' AND '.join(conditions)})"
        if conditions
        else ""
    )
    groups = (
        f"SELECT {column} AS key, count(*) AS count, "
        f"round(total(amount_eur), 2) AS amount_eur, round(total(amount_usd), 2) AS amount_usd "
        f"FROM {table}{where} GROUP BY {column}"
    )
    if label:
        names, code, name = (db.identifier(n) for n in label)
        label_sql = f"(SELECT {name} FROM {names} WHERE {code} = g.key)"
    else:
        label_sql = "CAST(g.key AS TEXT)"
    order = "g.key" if args["group_by"] == "year" else "g.count DESC, g.key"
    sql = (
        f"SELECT g.key AS key, {label_sql} AS label, g.count AS count, "
        f"g.amount_eur AS amount_eur, g.amount_usd AS amount_usd FROM ({groups}) g ORDER BY {order}"
    )
    columns = ("key", "label", "count", "amount_eur", "amount_usd")
    return [
        {**dict(zip(columns, row, strict=True)), "key": str(row[0])}
        for row in db.aggregate(sql, params)
    ]


@blp.route("/stats/actions")
class ActionStats(MethodView):
    @served_lean
    @blp.doc(operationId="stats_actions", **file_formats_doc(COLLECTION_FORMATS))
    @problem_responses(blp, 400, 406, 422)
    @blp.response(200, page_schema(Group, "GroupPage"), description="One item per group.")
    @blp.arguments(StatsQuery(), location="query")
    def get(self, args):
        """Count and total actions per group

        Counts and EUR/USD totals per year, jurisdiction, type, target or authority, under
        any filter of `/v1/actions`. An action with several targets counts once for each.
        """
        rows = group_rows(args)
        answer = Answer(
            STAT_ROWS,
            {**args, "fields": None},
            page=lambda: Page([orjson.dumps(r).decode() for r in rows], len(rows)),
            documents=lambda: iter(rows),
            file_stem="stats-actions",
        )
        return respond(answer, COLLECTION_FORMATS)
