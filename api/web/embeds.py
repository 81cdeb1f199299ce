"""Embeds (framed by anyone) and the oEmbed endpoint that announces them.

/embed/actions/<id> and /embed/statements/<id> are compact cards,
/embed/timeline takes the filters of /v1/actions, /embed/chart those of
/v1/stats/actions (with `measure=` and, for years, `split=type`), and
/embed/chart.svg is the same chart as a bare image for an <img> tag.
"""

import re
from urllib.parse import urlencode, urlsplit

import orjson
from flask import Response, render_template, request, url_for
from marshmallow import ValidationError, fields, validate
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from policy_ledger.api.errors import Problem
from policy_ledger.api.params import OneOfSuggesting, QuerySchema
from policy_ledger.api.resources.stats import StatsQuery
from policy_ledger.api.web import bp, charts
from policy_ledger.api.web.queries import (
    PAGING,
    RESOURCES,
    clean_params,
    docs_by_key,
    meta,
    page,
    parse,
)
from policy_ledger.api.web.site import embed_html

TIMELINE_SIZE = 10


class ChartQuery(StatsQuery):
    measure = fields.String(load_default="count", validate=OneOfSuggesting(list(charts.MEASURES)))
    split = fields.String(validate=validate.OneOf(["type"]))


CHART_SCHEMA = ChartQuery(exclude=("format",))


def chart_args(args: MultiDict) -> dict:
    data = MultiDict(clean_params(args))
    try:
        parsed = CHART_SCHEMA.load(MultiDictProxy(data, CHART_SCHEMA))
    except ValidationError as error:
        detail = "; ".join(f"{k}: {v}" for k, v in error.messages.items())
        raise Problem(422, "Invalid parameter", detail, slug="invalid-parameter") from None
    if parsed.get("split") and parsed["group_by"] != "year":
        raise Problem(
            422, "Invalid parameter", "split=type goes with group_by=year", slug="invalid-parameter"
        )
    return parsed


def render_chart(parsed: dict):
    filters = {k: v for k, v in parsed.items() if k not in ("measure", "split")}
    if parsed.get("split"):
        types = filters.pop("type", None) or list(meta()["vocabularies"]["action_types"])
        filters.pop("group_by")
        svg, table, series, title, desc = charts.per_year_by_type(filters, types)
        return svg, {"split": True, "table": table, "series": series}, title, desc
    svg, rows, title, desc = charts.grouped_chart(filters, parsed["measure"])
    return svg, {"split": False, "rows": rows, "measure": parsed["measure"]}, title, desc


@bp.get("/embed/chart.svg")
def chart_svg():
    svg, _, _, _ = render_chart(chart_args(request.args))
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/embed/chart")
def embed_chart():
    parsed = chart_args(request.args)
    _, data, title, desc = render_chart(parsed)
    qs = urlencode(clean_params(request.args))
    filters = urlencode(
        [(k, v) for k, v in clean_params(request.args) if k not in ("group_by", "measure", "split")]
    )
    return render_template(
        "web/embed_chart.html",
        title=title,
        desc=desc,
        data=data,
        svg_src=url_for("web.chart_svg") + f"?{qs}",
        more=url_for("web.browse_actions") + (f"?{filters}" if filters else ""),
    )


@bp.get("/embed/actions/<key>", endpoint="embed_action")
def embed_action(key):
    doc = _one("actions", key)
    return render_template("web/embed_card.html", doc=doc, kind="action")


@bp.get("/embed/statements/<key>", endpoint="embed_statement")
def embed_statement(key):
    doc = _one("statements", key)
    return render_template("web/embed_card.html", doc=doc, kind="statement")


def _one(name: str, key: str) -> dict:
    from policy_ledger.api.resources.base import Redirect, find_item

    try:
        return orjson.loads(find_item(RESOURCES[name], key))
    except Redirect as moved:
        found = docs_by_key(RESOURCES[name], [moved.successor])
        return found[moved.successor]


@bp.get("/embed/timeline")
def embed_timeline():
    query = parse("actions", request.args, defaults={"page_size": str(TIMELINE_SIZE)})
    if query.args is None:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in query.errors.items())
        raise Problem(422, "Invalid parameter", detail, slug="invalid-parameter")
    docs, total, _ = page("actions", query.args)
    qs = query.query_string(drop=PAGING)
    return render_template(
        "web/embed_timeline.html",
        docs=docs,
        total=total,
        more=url_for("web.browse_actions") + (f"?{qs}" if qs else ""),
    )


# Page paths an oEmbed consumer may hand us, and the embed each one gets.
_RECORD = re.compile(r"^/(?:embed/)?(actions|statements)/([A-Za-z0-9._-]+)$")
_SIZES = {"actions": 300, "statements": 300, "timeline": 480, "chart": 520}


def oembed_target(url: str) -> tuple[str, int, str]:
    """(embed path, height, title) for one of our page URLs, or 404."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Problem(404, "Not found", "url: give the http(s) address of a Policy Ledger page")
    if match := _RECORD.match(parts.path):
        name, key = match.groups()
        doc = docs_by_key(RESOURCES[name], [key]).get(key)
        if doc is None:
            raise Problem(404, "Not found", f"url: no {RESOURCES[name].kind} with id '{key}'")
        path = url_for(f"web.embed_{RESOURCES[name].kind}", key=key)
        return path, _SIZES[name], doc["title"]
    query = f"?{parts.query}" if parts.query else ""
    if parts.path in ("/actions", "/embed/timeline"):
        return url_for("web.embed_timeline") + query, _SIZES["timeline"], "Policy Ledger actions"
    if parts.path == "/embed/chart":
        return url_for("web.embed_chart") + query, _SIZES["chart"], "Policy Ledger chart"
    raise Problem(404, "Not found", "url: this page has no embed; try an action's page")


class OEmbedQuery(QuerySchema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    format = fields.String(load_default="json")
    maxwidth = fields.Integer(validate=validate.Range(min=1))
    maxheight = fields.Integer(validate=validate.Range(min=1))


OEMBED_SCHEMA = OEmbedQuery()


@bp.get("/oembed")
def oembed():
    """oEmbed 1.0 (https://oembed.com): a `rich` iframe for our page URLs."""
    try:
        args = OEMBED_SCHEMA.load(MultiDictProxy(request.args, OEMBED_SCHEMA))
    except ValidationError as error:
        detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.messages.items())
        raise Problem(422, "Invalid parameter", detail, slug="invalid-parameter") from None
    if args["format"] != "json":
        raise Problem(501, "Not Implemented", "format: only json is offered")
    path, height, title = oembed_target(args["url"])
    width = min(640, args.get("maxwidth") or 640)
    height = min(height, args.get("maxheight") or height)
    html = embed_html(path, height, title).replace('width="100%"', f'width="{width}"')
    m = meta()
    body = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": m["name"],
        "provider_url": request.host_url,
        "cache_age": 3600,
        "html": html,
        "width": width,
        "height": height,
    }
    return Response(orjson.dumps(body), mimetype="application/json")
