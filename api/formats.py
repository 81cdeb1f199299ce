"""Rendering a collection in each format: JSON pages, and whole-answer files
(CSV, XLSX, NDJSON) streamed row by row, plus Atom feeds.

Files flatten each document to fixed columns (`flat_columns`): references
become `<field>_id` and `<field>_name`, lists are joined with "; ", amounts
become amount_value / amount_currency / amount_eur / amount_usd, sources
their URLs and titles. Text a spreadsheet would run as a formula is
neutralised with a leading apostrophe (OWASP CSV-injection guidance).
"""

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator

import orjson
import xlsxwriter
from flask import Response, request, stream_with_context

from policy_ledger.api.errors import Problem
from policy_ledger.dataset.published import flat_columns, flatten, neutralise

MIMETYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ndjson": "application/x-ndjson",
    "atom": "application/atom+xml",
}
FILE_FORMATS = ("csv", "xlsx", "ndjson")
SUFFIX_ENV_KEY = "policy_ledger.format_suffix"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def choose_format(args: dict, offered: Iterable[str]) -> str:
    """format= wins, then a path suffix, then the Accept header, else JSON."""
    offered = list(offered)
    chosen = args.get("format") or request.environ.get(SUFFIX_ENV_KEY)
    if chosen:
        if chosen not in offered:
            raise Problem(
                400,
                "Unsupported format",
                f"format '{chosen}' is not offered here; use one of: " + ", ".join(offered) + ".",
                errors={"format": [f"one of: {', '.join(offered)}"]},
            )
        return chosen
    if request.environ.get("HTTP_ACCEPT", "") in ("", "*/*", "application/json"):
        return "json"  # what almost every request sends: no header to parse
    accept = request.accept_mimetypes
    if accept and accept.provided:
        by_type = {MIMETYPES[f]: f for f in offered}
        best = accept.best_match(
            [MIMETYPES["json"], *[m for m in by_type if m != MIMETYPES["json"]]]
        )
        if best is None and not accept.accept_json:
            raise Problem(
                406,
                "Not Acceptable",
                "none of the requested media types is offered; ask for "
                + ", ".join(MIMETYPES[f] for f in offered)
                + ".",
            )
        if best:
            return by_type[best]
    return "json"


# --- flattening: dataset/published.py owns the columns; re-exported here --------
def selected_columns(resource, wanted: list[str] | None) -> list[str]:
    columns = flat_columns(resource)
    if not wanted:
        return columns
    keep = []
    for name in wanted:
        keep += [c for c in flat_columns(_only(resource, name)) if c in columns]
    return keep


def _only(resource, name):
    class One:
        fields = (name,)
        shapes = resource.shapes

    return One


# --- files -------------------------------------------------------------------
def filename(resource_name: str, args: dict, version: str, fmt: str) -> str:
    skip = {"sort", "page_size", "cursor", "format", "fields", "bom"}
    parts = []
    for key in sorted(args):
        if key in skip or args[key] in (None, [], ""):
            continue
        value = args[key]
        text = "+".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}-{text}")
    slug = re.sub(r"[^A-Za-z0-9.+_-]+", "-", "_".join(["policy-ledger", resource_name, *parts]))
    return f"{slug[:150]}_{version}.{fmt}"


def file_response(
    fmt: str, resource, docs: Iterator[dict], wanted, name: str, about: dict, *, bom=False
) -> Response:
    columns = selected_columns(resource, wanted)
    if fmt == "csv":
        body = _csv_chunks(resource, docs, columns, bom=bom)
    elif fmt == "ndjson":
        body = _ndjson_chunks(docs, wanted)
    else:
        body = _xlsx_chunks(resource, docs, columns, about)
    mimetype = MIMETYPES[fmt]  # Flask adds "; charset=utf-8" to text/csv
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def stored_lines_response(
    fmt: str, first: str, lines: Iterator[bytes], name: str, *, bom=False
) -> Response:
    """Stream lines rendered at build time (CSV lines, or JSON documents
    for NDJSON), as stored, after an optional first line (a CSV header)."""
    newline = b"\n" if fmt == "ndjson" else b""  # CSV lines end in CRLF already

    def chunks():
        chunk = [(("\ufeff" if bom else "") + first).encode("utf-8")]
        for line in lines:
            chunk.append(line + newline if newline else line)
            if len(chunk) >= 1000:
                yield b"".join(chunk)
                chunk = []
        yield b"".join(chunk)

    response = Response(stream_with_context(chunks()), mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_chunks(resource, docs, columns, bom=False) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow(columns)
    for i, doc in enumerate(docs, start=1):
        row = flatten(resource, doc)
        writer.writerow([neutralise(row.get(c)) for c in columns])
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _ndjson_chunks(docs, wanted) -> Iterator[bytes]:
    chunk = []
    for doc in docs:
        if wanted:
            doc = {k: doc[k] for k in wanted if k in doc}
        chunk.append(orjson.dumps(doc) + b"\n")
        if len(chunk) >= 500:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk)


class Workbook:
    """An XLSX written row by row (constant memory): typed cells, a bold frozen
    header with an autofilter, sensible widths, and an "About" sheet. Used for
    one answer's file and for the whole-dataset download alike."""

    def __init__(self, path):
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.header = self.book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
        self.dates = self.book.add_format({"num_format": "yyyy-mm-dd"})

    def about(self, pairs) -> None:
        sheet = self.book.add_worksheet("About")
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 100)
        for i, (key, value) in enumerate(pairs):
            sheet.write_string(i, 0, key, self.header)
            sheet.write_string(i, 1, str(value))

    def table(self, name: str, columns: list[str], rows: Iterable[dict]) -> None:
        """One sheet: a header of `columns`, then each flat row (a dict)."""
        sheet = self.book.add_worksheet(name[:31])
        for col, column in enumerate(columns):
            sheet.set_column(col, col, min(max(len(column) + 2, 10), 60))
            sheet.write_string(0, col, column, self.header)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for col, column in enumerate(columns):
                write_cell(sheet, count, col, row.get(column), self.dates)
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)

    def close(self) -> None:
        self.book.close()


def _xlsx_chunks(resource, docs, columns, about) -> Iterator[bytes]:
    # constant_memory writes each row to disk as it goes, so memory stays flat;
    # the finished workbook is then streamed from the temporary file.
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        book = Workbook(path)
        book.table(resource.name, columns, (flatten(resource, doc) for doc in docs))
        book.about(about.items())
        book.close()
        with open(path, "rb") as f:
            while block := f.read(1 << 16):
                yield block
    finally:
        os.unlink(path)


def write_cell(sheet, row, col, value, date_format):
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, str) and _DATE.match(value):
        from datetime import datetime

        sheet.write_datetime(row, col, datetime.strptime(value, "%Y-%m-%d"), date_format)
    else:
        # write_string keeps ids and codes as text (never a date or number).
        sheet.write_string(row, col, neutralise(str(value)))


def json_page(docs: list[bytes] | list[str], total: int, next_url: str | None, wanted) -> bytes:
    """A page of JSON documents (each already serialised, as bytes or str)."""
    if wanted:
        docs = [orjson.dumps({k: d[k] for k in wanted if k in d}) for d in map(orjson.loads, docs)]
    elif docs and isinstance(docs[0], str):
        docs = [d.encode("utf-8") for d in docs]
    head = b'{"items":['
    tail = b'],"total":%d,"next":%s}' % (total, orjson.dumps(next_url))
    if len(docs) < 2:
        return head + b"".join(docs) + tail
    # One join, the page's only copy (~125 kB for 50 actions): the head and
    # tail ride on the first and last documents, so only those are copied twice.
    return b",".join([head + docs[0], *docs[1:-1], docs[-1] + tail])
