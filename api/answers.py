"""How every collection answers, whatever it lists: one table of renderers
keyed by format (RENDERERS), used by the resources, search and stats alike.

A view describes its answer (`Answer`: the declaration, the parsed query, and
how to read a JSON page, every matching document, or the lines the build
stored) and calls `respond`; the renderer for the chosen format does the
rest. Adding a format is one function and one entry in RENDERERS."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote_plus

import orjson
from flask import Response, request

from policy_ledger.api import db
from policy_ledger.api.errors import Problem
from policy_ledger.api.formats import (
    choose_format,
    file_response,
    filename,
    json_page,
    stored_lines_response,
)
from policy_ledger.api.listing import Resource
from policy_ledger.dataset.published import csv_header

XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows per sheet, less the header


@dataclass(frozen=True)
class Page:
    docs: list  # JSON documents, as bytes or str
    total: int
    next_cursor: str | None = None


@dataclass(frozen=True)
class Answer:
    resource: Resource  # the declaration: columns of files, the file's name
    args: dict  # the parsed query
    page: Callable[[], Page]  # one JSON page
    documents: Callable[[], Iterator[dict]]  # every matching document, for files
    # The CSV lines or JSON documents the build stored, for a whole file with
    # no `fields=` ("csv" or "doc" -> UTF-8 lines); None where nothing is stored.
    stored: Callable[[str], Iterator[bytes]] | None = None
    count: Callable[[], int] | None = None  # rows in the file, where it may be large
    file_stem: str | None = None  # the file name's first word (default: the resource)


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="application/json")


def next_page_url(cursor: str) -> str:
    """This request's address with `cursor` replaced: the client's own query
    string, kept as sent (same order and escaping), less any cursor. Cheaper
    than decoding and re-encoding every parameter, on every page."""
    kept = [
        part
        for part in request.query_string.decode("latin-1").split("&")
        if part and unquote_plus(part.partition("=")[0]) != "cursor"
    ]
    kept.append(f"cursor={cursor}")  # URL-safe base64: nothing to escape
    base = f"{request.scheme}://{request.host}{request.root_path}{request.path}"
    return f"{base}?{'&'.join(kept)}"


def file_about(resource: Resource, args: dict) -> dict:
    """What a file says about itself (the XLSX "About" sheet)."""
    meta = db.metadata()
    return {
        "dataset": meta["title"],
        "resource": resource.name,
        "query": request.full_path.rstrip("?"),
        "dataset version": meta["version"],
        "licence": orjson.loads(meta["licence"])["name"],
        "how to cite": meta["citation"],
        "generated at": meta["built_at"],
        "api": request.host_url.rstrip("/") + request.path,
    }


def _name(answer: Answer, fmt: str) -> str:
    stem = answer.file_stem or answer.resource.name
    return filename(stem, answer.args, db.metadata()["version"], fmt)


def render_json(answer: Answer) -> Response:
    page = answer.page()
    next_url = next_page_url(page.next_cursor) if page.next_cursor else None
    response = json_response(json_page(page.docs, page.total, next_url, answer.args.get("fields")))
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def _file(answer: Answer, fmt: str) -> Response:
    args = answer.args
    if answer.stored is not None and fmt in ("csv", "ndjson") and not args.get("fields"):
        # Every record's CSV line and JSON document were rendered at build
        # time: stream them as stored.
        column, first = ("csv", csv_header(answer.resource)) if fmt == "csv" else ("doc", "")
        bom = fmt == "csv" and args.get("bom", False)
        return stored_lines_response(fmt, first, answer.stored(column), _name(answer, fmt), bom=bom)
    return file_response(
        fmt,
        answer.resource,
        answer.documents(),
        args.get("fields"),
        _name(answer, fmt),
        file_about(answer.resource, args),
        bom=args.get("bom", False),
    )


def render_csv(answer: Answer) -> Response:
    return _file(answer, "csv")


def render_ndjson(answer: Answer) -> Response:
    return _file(answer, "ndjson")


def render_xlsx(answer: Answer) -> Response:
    if answer.count is not None and (rows := answer.count()) > XLSX_MAX_ROWS:
        raise Problem(
            413,
            "Too many rows for XLSX",
            f"This view holds {rows:,} rows; an XLSX sheet holds at most {XLSX_MAX_ROWS:,}. "
            "Narrow it with filters, or ask for CSV or NDJSON, which have no limit.",
            slug="too-many-rows-for-xlsx",
        )
    return _file(answer, "xlsx")


def render_atom(answer: Answer) -> Response:
    from policy_ledger.api.feeds import atom_response

    return atom_response(answer.resource, answer.args)


RENDERERS: dict[str, Callable[[Answer], Response]] = {
    "json": render_json,
    "csv": render_csv,
    "ndjson": render_ndjson,
    "xlsx": render_xlsx,
    "atom": render_atom,
}


def respond(answer: Answer, formats) -> Response:
    """The answer in the format the client chose among `formats`."""
    return RENDERERS[choose_format(answer.args, formats)](answer)
