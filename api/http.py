"""HTTP behaviour shared by every response: format suffixes, ETag / 304,
caching, the dataset version header and the site's safety headers."""

import hashlib

from flask import Flask, request
from flask_cors.core import get_cors_headers, get_cors_options, set_cors_headers
from werkzeug.datastructures import Headers

from policy_ledger.api import db
from policy_ledger.api.errors import problem_response
from policy_ledger.api.formats import MIMETYPES, SUFFIX_ENV_KEY
from policy_ledger.api.params import MAX_URL_LENGTH

SUFFIXES = tuple(f".{fmt}" for fmt in MIMETYPES)
CACHE_CONTROL = "public, max-age=300"
OPENAPI_PATH = "/v1/openapi.json"  # a file name, not a format suffix
# The site's pages (everything outside /v1/ and /docs) run under a strict
# Content-Security-Policy: embeds (under /embed/) may be framed by anyone,
# every other page refuses framing.
_BASE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; "
)
PAGE_CSP = _BASE_CSP + "form-action 'self'; frame-src 'self'; frame-ancestors 'none'"
EMBED_CSP = _BASE_CSP + "form-action 'none'; frame-ancestors *"
# A chart opened on its own: its inline <style> is pygal's, nothing may run.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *"
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


def _etag(environ, app: Flask | None = None) -> str:
    """The ETag of this request's answer: the dataset file's hash and
    everything about the request that changes the answer. Read from the WSGI
    environ directly: this runs on every request."""
    variant = "|".join(
        [
            db.metadata(app)["sha256"],
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


class CommonHeaders:
    """Decides every header that is not the view's own content: ETag and
    Cache-Control (public for answers and pages, no-store for problems),
    Vary, X-Dataset-Version, CORS, the safety headers and the pages'
    Content-Security-Policy. A view sets only what is particular to it
    (Content-Type, Content-Disposition, Link, Location, Retry-After).

    Added at the WSGI layer, to the (name, value) pairs the app hands to
    start_response: one scan of the headers a view set, then appends. Done
    as after_request hooks on werkzeug's Headers (which check every value
    and rescan the list on each assignment), this and flask-cors cost about
    a tenth of a filtered list page (docs/performance.md)."""

    def __init__(self, app: Flask, wsgi_app, cors_headers: list[tuple[str, str]]):
        self.app, self.wsgi_app, self.cors_headers = app, wsgi_app, cors_headers

    def __call__(self, environ, start_response):
        def start_with_common_headers(status, headers, exc_info=None):
            self.add(environ, status, headers)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_common_headers)

    def add(self, environ, status: str, headers: list[tuple[str, str]]) -> None:
        present = {name.lower(): i for i, (name, _) in enumerate(headers)}
        path = environ.get("PATH_INFO", "")
        content_type = headers[present["content-type"]][1] if "content-type" in present else ""
        tagged = status.startswith("200") and _has_etag(environ)
        if tagged:
            headers.append(("ETag", f'"{_etag(environ, self.app)}"'))
        if "cache-control" not in present:
            if content_type.startswith("application/problem+json"):
                headers.append(("Cache-Control", "no-store"))  # an error is not for keeping
            elif tagged or content_type.startswith("text/html"):
                headers.append(("Cache-Control", CACHE_CONTROL))
        if "vary" not in present:
            headers.append(("Vary", "Accept"))
        else:
            name, value = headers[present["vary"]]
            if "accept" not in value.lower():
                headers[present["vary"]] = (name, f"{value}, Accept")
        if path.startswith("/v1/") and "access-control-allow-origin" not in present:
            headers.extend(self.cors_headers)  # a preflight has its own (flask-cors)
        version = _dataset_version(self.app)
        if version:
            headers.append(("X-Dataset-Version", version))
        for name, value in SAFETY_HEADERS:
            if name.lower() not in present:
                headers.append((name, value))
        if "x-frame-options" not in present and not path.startswith("/embed/"):
            headers.append(("X-Frame-Options", "DENY"))
        if "content-security-policy" not in present and not path.startswith(("/v1/", "/docs")):
            if content_type.startswith("image/svg+xml"):
                headers.append(("Content-Security-Policy", SVG_CSP))
            else:
                csp = EMBED_CSP if path.startswith("/embed/") else PAGE_CSP
                headers.append(("Content-Security-Policy", csp))


def _dataset_version(app: Flask) -> str | None:
    try:
        return db.metadata(app)["version"]
    except Exception:  # noqa: BLE001 - a missing database must not hide the real error
        return None


def _has_etag(environ) -> bool:
    """API answers to GET and HEAD carry an ETag (pages for people do not)."""
    return environ.get("REQUEST_METHOD") in ("GET", "HEAD") and environ.get(
        "PATH_INFO", ""
    ).startswith("/v1/")


# The API is public and read-only: any origin may read it, and scripts may
# see the paging, caching and file-name headers.
CORS_OPTIONS = {
    "origins": "*",
    "send_wildcard": True,
    "methods": ["GET", "HEAD", "OPTIONS"],
    "expose_headers": ["Link", "ETag", "X-Dataset-Version", "Content-Disposition"],
    "max_age": 86400,
}


def init_cors(app: Flask) -> list[tuple[str, str]]:
    """CORS by flask-cors, asked once for what it answers a simple request.

    With every origin allowed and no credentials, flask-cors's headers for a
    GET or HEAD do not depend on the request (its answer is asked for here,
    once, for a request from some other origin); only a preflight's do (the
    methods and headers asked for). So flask-cors answers each preflight, and
    the constant headers of simple answers are added with the others."""
    options = get_cors_options(app, CORS_OPTIONS)
    simple = get_cors_headers(options, Headers({"Origin": "https://example.org"}), "GET")

    @app.after_request
    def answer_cors_preflight(response):
        if request.method == "OPTIONS" and request.path.startswith("/v1/"):
            set_cors_headers(response, options)
        return response

    return [(name, str(value)) for name, value in simple.items()]


def init_app(app: Flask) -> None:
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
            return response
        return None

    cors_headers = init_cors(app)
    # Inside FormatSuffixMiddleware, so the ETag sees the format a suffix named.
    app.wsgi_app = FormatSuffixMiddleware(CommonHeaders(app, app.wsgi_app, cors_headers))
