"""Atom feeds (RFC 4287) of actions and statements, newest first, under any filter."""

from datetime import UTC, datetime

import orjson
from feedgen.feed import FeedGenerator
from flask import Response, request

from api import db
from api.listing import Resource, fetch_page

FEED_SIZE = 50


def _timestamp(day: str) -> datetime:
    return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)


def atom_response(resource: Resource, args: dict) -> Response:
    args = {**args, "sort": "-date", "page_size": min(args.get("page_size") or FEED_SIZE, 500)}
    args.pop("cursor", None)
    page = fetch_page(resource, args)
    meta = db.metadata()
    base = request.host_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(base + request.full_path.rstrip("?"))
    feed.title(f"{meta['name']}: {resource.name}")
    feed.subtitle(meta["title"])
    feed.author({"name": meta["name"]})
    feed.link(href=base + request.full_path.rstrip("?"), rel="self")
    feed.link(href=f"{base}/v1/{resource.name}", rel="alternate", type="application/json")
    feed.rights(orjson.loads(meta["licence"])["title"])
    feed.updated(datetime.strptime(meta["built_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC))
    # feedgen prepends entries, so add oldest first to list newest first.
    for raw in reversed(page.docs):
        doc = orjson.loads(raw)
        entry = feed.add_entry()
        url = f"{base}/v1/{resource.name}/{doc['id']}"
        entry.id(url)
        entry.title(doc["title"])
        entry.link(href=url, rel="alternate", type="application/json")
        entry.updated(_timestamp(doc["date"]))
        entry.published(_timestamp(doc["date"]))
        entry.summary(doc.get("summary") or doc.get("quote") or "")
        if "type" in doc:
            entry.category(term=doc["type"])
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")
