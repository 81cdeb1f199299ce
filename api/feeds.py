"""Atom feeds (RFC 4287) of actions and statements, newest first, under any filter.

Written with ElementTree rather than feedgen: feedgen 1.0.0 drops the `rel`
and `type` of an entry's links (it reads them from the XML element it has
just created), and each entry here needs two typed links, to the record's
page and to its JSON.
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import orjson
from flask import Response, request

from policy_ledger.api import db
from policy_ledger.api.listing import Resource, fetch_page

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _day(day: str) -> str:
    return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).isoformat()


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def atom_response(resource: Resource, args: dict) -> Response:
    args = {**args, "sort": "-date", "page_size": min(args.get("page_size") or FEED_SIZE, 500)}
    args.pop("cursor", None)
    page = fetch_page(resource, args)
    meta = db.metadata()
    base = request.host_url.rstrip("/")
    self_url = base + request.full_path.rstrip("?")
    built = datetime.strptime(meta["built_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", self_url)
    _add(feed, "title", f"{meta['name']}: {resource.name}")
    _add(feed, "subtitle", meta["title"])
    _add(feed, "updated", built.isoformat())
    _add(_add(feed, "author"), "name", meta["name"])
    _add(feed, "link", href=self_url, rel="self", type="application/atom+xml")
    _add(feed, "link", href=f"{base}/{resource.name}", rel="alternate", type="text/html")
    _add(feed, "link", href=f"{base}/v1/{resource.name}", rel="related", type="application/json")
    _add(feed, "rights", orjson.loads(meta["licence"])["title"])
    for raw in page.docs:
        doc = orjson.loads(raw)
        api_url = f"{base}/v1/{resource.name}/{doc['id']}"
        entry = _add(feed, "entry")
        _add(entry, "id", api_url)
        _add(entry, "title", doc["title"])
        _add(entry, "updated", _day(doc["date"]))
        _add(entry, "published", _day(doc["date"]))
        _add(
            entry,
            "link",
            href=f"{base}/{resource.name}/{doc['id']}",
            rel="alternate",
            type="text/html",
        )
        _add(entry, "link", href=api_url, rel="related", type="application/json")
        _add(entry, "summary", doc.get("summary") or doc.get("quote") or "")
        if doc.get("type"):
            _add(entry, "category", term=doc["type"])
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")
