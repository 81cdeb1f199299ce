"""Pages for people: home, browse, record and changes pages."""

from urllib.parse import urlencode

import orjson
from flask import abort, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from policy_ledger.api import API_VERSION
from policy_ledger.api.errors import Problem
from policy_ledger.api.errors import handle_http_exception as problem_json
from policy_ledger.api.release_queries import release_diff, releases
from policy_ledger.api.resources.base import Redirect, find_item
from policy_ledger.api.web import bp, charts
from policy_ledger.api.web.format import human_date
from policy_ledger.api.web.queries import (
    PAGING,
    RESOURCES,
    api_url,
    clean_params,
    docs_by_key,
    meta,
    page,
    parse,
    top,
)
from policy_ledger.api.web.site import BROWSE, citation, embed_snippet, filter_controls

KIND_PAGES = {
    "action": "actions",
    "statement": "statements",
    "entity": "entities",
    "jurisdiction": "jurisdictions",
    "source": None,
}


@bp.app_context_processor
def site_context():
    try:
        version = meta()["version"]
    except Exception:  # noqa: BLE001 - an error page must render without a database
        version = ""
    return {"dataset_version": version, "api_version": API_VERSION}


@bp.errorhandler(HTTPException)
def error_page(error: HTTPException):
    if request.path == "/oembed" or request.path.endswith(".svg"):
        return problem_json(error)
    detail = getattr(error, "detail", None) or error.description
    return (
        render_template("web/error.html", status=error.code, title=error.name, detail=detail),
        error.code or 500,
    )


@bp.get("/")
def home():
    m = meta()
    newest, _ = top("actions", page_size=8)
    types = list(m["vocabularies"]["action_types"])
    svg, table, series, chart_title, chart_desc = charts.per_year_by_type({}, types)
    return render_template(
        "web/home.html",
        meta=m,
        newest=newest,
        chart_src=url_for("web.chart_svg", group_by="year", split="type"),
        chart_table=table,
        chart_series=series,
        chart_title=chart_title,
        chart_desc=chart_desc,
        releases=releases(),
        embed=embed_snippet(url_for("web.embed_chart", group_by="year", split="type"), 520),
    )


def browse(name: str):
    params = clean_params(request.args)
    if len(params) != len(list(request.args.items(multi=True))):
        # An empty form field adds `name=`; the shareable URL leaves it out.
        query = urlencode(params)
        return redirect(request.path + (f"?{query}" if query else ""), code=303)
    config = BROWSE[name]
    resource = RESOURCES[name]
    query = parse(name, request.args)
    docs, total, next_cursor = [], 0, None
    if query.args is not None:
        docs, total, next_cursor = page(name, query.args)
    sort = query.args["sort"] if query.args else resource.default_sort
    rows_qs = query.query_string(drop=PAGING)
    embed = None
    if name == "actions" and query.args is not None:
        embed = embed_snippet(
            url_for("web.embed_timeline") + (f"?{rows_qs}" if rows_qs else ""), 480
        )
    return (
        render_template(
            "web/browse.html",
            name=name,
            noun=resource.kind if total == 1 else name,
            sort_links=sort_links(name, query, sort),
            config=config,
            query=query,
            docs=docs,
            total=total,
            sort=sort,
            controls=filter_controls(resource, query),
            next_url=(
                f"{request.path}?{query.query_string(cursor=next_cursor)}" if next_cursor else None
            ),
            first_url=(
                f"{request.path}?{query.query_string(drop=('cursor',))}"
                if query.values("cursor")
                else None
            ),
            api=api_url(f"/v1/{name}", query.query_string()),
            csv=api_url(f"/v1/{name}.csv", rows_qs),
            xlsx=api_url(f"/v1/{name}.xlsx", rows_qs),
            atom=api_url(f"/v1/{name}.atom", rows_qs) if resource.atom else None,
            embed=embed,
            oembed_url=request.url if embed else None,
        ),
        200 if query.args is not None else 400,
    )


for _name in BROWSE:
    bp.add_url_rule(
        f"/{_name}", endpoint=f"browse_{_name}", view_func=lambda _name=_name: browse(_name)
    )


# Columns whose first click sorts largest or newest first.
DESCENDING_FIRST = {"date", "amount_eur", "actions_taken", "actions_targeted", "actions"}


def sort_links(name: str, query, sort: str) -> dict[str, tuple[str, str | None]]:
    """Per sortable column: the link that sorts by it (or reverses it) and its
    aria-sort state."""
    links = {}
    for key in RESOURCES[name].sorts:
        if sort == key:
            target, state = f"-{key}", "ascending"
        elif sort == f"-{key}":
            target, state = key, "descending"
        else:
            target, state = (f"-{key}" if key in DESCENDING_FIRST else key), None
        links[key] = (f"/{name}?{query.query_string(drop=('cursor',), sort=target)}", state)
    return links


def load(name: str, key: str) -> dict:
    resource = RESOURCES[name]
    try:
        return orjson.loads(find_item(resource, key))
    except Redirect as moved:
        abort(redirect(url_for(f"web.{resource.kind}", key=moved.successor), code=308))
    except Problem as problem:
        raise problem


def timeline_item(doc: dict, kind: str, relation: str = "", current: bool = False) -> dict:
    return {
        "kind": kind,
        "id": doc["id"],
        "date": doc["date"],
        "date_text": human_date(doc["date"], doc.get("date_precision", "day")),
        "title": doc["title"],
        "type": doc.get("type") or doc.get("speaker_kind"),
        "relation": relation,
        "current": current,
        "url": url_for(f"web.{kind}", key=doc["id"]),
    }


def record(name: str, doc: dict, template: str, title: str, **context):
    kind = RESOURCES[name].kind
    key = doc[RESOURCES[name].key]
    page_url = request.host_url.rstrip("/") + request.path
    return render_template(
        template,
        doc=doc,
        title=title,
        kind=kind,
        api=api_url(f"/v1/{name}/{key}"),
        cite=citation(meta(), kind, key, title, page_url, doc.get("last_changed")),
        oembed_url=page_url if context.get("embed") else None,
        **context,
    )


@bp.get("/actions/<key>", endpoint="action")
def action_page(key):
    doc = load("actions", key)
    actions = RESOURCES["actions"]
    statements = RESOURCES["statements"]
    linked = docs_by_key(
        actions, [r["id"] for r in doc["related"]] + [r["id"] for r in doc["referenced_by"]]
    )
    answers = docs_by_key(statements, [r["id"] for r in doc["responses"]])
    items = [timeline_item(doc, "action", current=True)]
    for rel in doc["related"]:
        if rel["id"] in linked:
            items.append(timeline_item(linked[rel["id"]], "action", f"this {rel['relation']}"))
    for rel in doc["referenced_by"]:
        if rel["id"] in linked:
            items.append(timeline_item(linked[rel["id"]], "action", f"{rel['relation']} this"))
    for statement in answers.values():
        items.append(timeline_item(statement, "statement", "responds"))
    items.sort(key=lambda i: (i["date"], not i["current"]))
    embed_path = url_for("web.embed_action", key=key)
    return record(
        "actions",
        doc,
        "web/action.html",
        doc["title"],
        events=items,
        embed=embed_snippet(embed_path, 300),
    )


@bp.get("/statements/<key>", endpoint="statement")
def statement_page(key):
    doc = load("statements", key)
    answered = docs_by_key(RESOURCES["actions"], [r["id"] for r in doc["responds_to"]])
    items = [timeline_item(doc, "statement", current=True)]
    items += [timeline_item(a, "action", "answered by this") for a in answered.values()]
    items.sort(key=lambda i: (i["date"], not i["current"]))
    return record(
        "statements",
        doc,
        "web/statement.html",
        doc["title"],
        events=items,
        embed=embed_snippet(url_for("web.embed_statement", key=key), 300),
    )


@bp.get("/entities/<key>", endpoint="entity")
def entity_page(key):
    doc = load("entities", key)
    taken, taken_total = top("actions", authority=key)
    targeted, targeted_total = top("actions", target=key)
    said, said_total = top("statements", speaker=key)
    children, _ = top("entities", parent=key, page_size=50)
    role = "authority" if doc["actions_taken"] >= doc["actions_targeted"] else "target"
    embed = None
    if doc["actions_taken"] or doc["actions_targeted"]:
        embed = embed_snippet(url_for("web.embed_timeline", **{role: key}), 480)
    return record(
        "entities",
        doc,
        "web/entity.html",
        doc["name"],
        taken=taken,
        taken_total=taken_total,
        targeted=targeted,
        targeted_total=targeted_total,
        said=said,
        said_total=said_total,
        children=children,
        embed=embed,
    )


@bp.get("/jurisdictions/<key>", endpoint="jurisdiction")
def jurisdiction_page(key):
    doc = load("jurisdictions", key)
    acts, acts_total = top("actions", jurisdiction=key)
    said, said_total = top("statements", jurisdiction=key)
    bodies, bodies_total = top("entities", jurisdiction=key, page_size=50)
    parts, _ = top("jurisdictions", parent=key, page_size=100)
    embed = None
    if doc["actions"]:
        embed = embed_snippet(url_for("web.embed_chart", jurisdiction=key, group_by="year"), 520)
    return record(
        "jurisdictions",
        doc,
        "web/jurisdiction.html",
        doc["name"],
        acts=acts,
        acts_total=acts_total,
        said=said,
        said_total=said_total,
        bodies=bodies,
        bodies_total=bodies_total,
        parts=parts,
        embed=embed,
    )


@bp.get("/changes")
def changes():
    known = releases()
    served = meta()["version"]
    history = []
    for i in range(len(known) - 1, -1, -1):
        before = known[i - 1]["version"] if i else None
        diff = release_diff(before, known[i]["version"])
        titles = _titles(diff)
        for entries in diff.values():
            for entry in entries:
                entry["title"] = titles.get((entry["kind"], entry["id"]), "")
                page_name = KIND_PAGES.get(entry["kind"])
                entry["url"] = (
                    f"/{page_name}/{entry['id']}" if page_name and entry["title"] else None
                )
                entry["api"] = f"/v1/{page_name or 'sources'}/{entry['id']}"
        history.append(
            {**known[i], "before": before, "diff": diff, "served": known[i]["version"] == served}
        )
    return render_template(
        "web/changes.html",
        history=history,
        atom_actions=api_url("/v1/actions.atom"),
        atom_statements=api_url("/v1/statements.atom"),
    )


def _titles(diff) -> dict:
    """Titles of the records a diff names that still exist (removed ones do not)."""
    wanted: dict[str, list[str]] = {}
    for entries in diff.values():
        for e in entries:
            wanted.setdefault(e["kind"], []).append(e["id"])
    titles = {}
    for kind, ids in wanted.items():
        name = KIND_PAGES.get(kind)
        if not name:
            continue
        for key, doc in docs_by_key(RESOURCES[name], ids).items():
            titles[(kind, key)] = doc.get("title") or doc.get("name")
    return titles


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on every page, /docs included; the SVG serves.
    return bp.send_static_file("favicon.svg")
