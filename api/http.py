"""HTTP behaviour shared by every response: format suffixes, ETag / 304,
caching, the dataset version header and the site's safety headers."""

import hashlib

from flask import Flask, request

from api import db
from api.errors import problem_response
from api.formats import MIMETYPES, SUFFIX_ENV_KEY
from api.params import MAX_URL_LENGTH

SUFFIXES = tuple(f".{fmt}" for fmt in MIMETYPES)
CACHE_CONTROL = "public, max-age=300"
OPENAPI_PATH = "/v1/openapi.json"  # a file name, not a format suffix
SAFETY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


class FormatSuffixMiddleware:
    """`/v1/actions.csv?type=fine` is `/v1/actions?type=fine` as CSV.

    Rewriting the path before routing keeps one route (and one OpenAPI
    operation) per collection, while a spreadsheet's import-from-URL gets a
    plain address that names its format."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/v1/") and path.endswith(SUFFIXES) and path != OPENAPI_PATH:
            # Ids and codes never contain a dot, so /v1/actions/<id>.json is safe too.
            stem, _, suffix = path.rpartition(".")
            environ["PATH_INFO"] = stem
            environ[SUFFIX_ENV_KEY] = suffix
        return self.wsgi_app(environ, start_response)


def _etag(environ) -> str:
    """The ETag of this request's answer: the dataset file's hash and
    everything about the request that changes the answer. Read from the WSGI
    environ directly: this runs on every request."""
    variant = "|".join(
        [
            db.metadata()["sha256"],
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get(SUFFIX_ENV_KEY, ""),
            environ.get("HTTP_ACCEPT", ""),
        ]
    )
    return hashlib.sha256(variant.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def refuse_long_urls():
    """A request target past MAX_URL_LENGTH is a 414 that names its longest
    parameter (or the path), before any routing or query."""
    environ = request.environ
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if target is None:
        target = environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
    if len(target) <= MAX_URL_LENGTH:
        return None
    lengths = {"path": len(request.path)}
    for name, value in request.args.items(multi=True):
        lengths[name] = max(lengths.get(name, 0), len(name) + len(value))
    longest = max(lengths, key=lengths.get)
    return problem_response(
        414,
        "URI Too Long",
        f"This address is {len(target)} characters long; the limit is {MAX_URL_LENGTH}. "
        f"Its longest part is {longest!r}. Ask for less in one request, or download the "
        "whole collection as a file.",
        slug="uri-too-long",
        errors={longest: [f"the whole address may hold at most {MAX_URL_LENGTH} characters"]},
    )


def init_app(app: Flask) -> None:
    app.wsgi_app = FormatSuffixMiddleware(app.wsgi_app)
    app.before_request(refuse_long_urls)

    @app.before_request
    def answer_not_modified():
        # The dataset is immutable while we serve it, so the ETag depends only
        # on the file and the request: a matching If-None-Match costs no query.
        environ = request.environ
        if "HTTP_IF_NONE_MATCH" not in environ or not _has_etag(environ):
            return None
        etag = _etag(environ)
        if request.if_none_match.contains(etag):
            response = app.response_class(status=304)
            response.headers["ETag"] = f'"{etag}"'
            _common_headers(response, environ)
            return response
        return None

    @app.after_request
    def add_headers(response):
        environ = request.environ
        headers = response.headers
        # One pass over the headers a view set; then only appends (werkzeug's
        # Headers.__setitem__ rescans every header on each assignment).
        present = {name.lower() for name in headers.keys()}
        if response.status_code == 200 and _has_etag(environ):
            headers.set("ETag", f'"{_etag(environ)}"')
            if "cache-control" not in present:
                headers.add("Cache-Control", CACHE_CONTROL)
        if "vary" not in present:
            headers.add("Vary", "Accept")
        elif "accept" not in headers["Vary"].lower():
            headers["Vary"] = f"{headers['Vary']}, Accept"
        _common_headers(response, environ, present)
        return response


def _has_etag(environ) -> bool:
    """API answers to GET and HEAD carry an ETag (pages for people do not)."""
    return environ.get("REQUEST_METHOD") in ("GET", "HEAD") and environ.get(
        "PATH_INFO", ""
    ).startswith("/v1/")


def _common_headers(response, environ, present: set[str] | None = None) -> None:
    headers = response.headers
    if present is None:
        present = {name.lower() for name in headers.keys()}
    try:
        headers.set("X-Dataset-Version", db.metadata()["version"])
    except Exception:  # noqa: BLE001 - a missing database must not hide the real error
        pass
    for name, value in SAFETY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if "x-frame-options" not in present and not environ.get("PATH_INFO", "").startswith("/embed/"):
        headers.add("X-Frame-Options", "DENY")
