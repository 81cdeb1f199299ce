"""Every error as RFC 9457 problem+json, raised low and rendered here.

Views and helpers raise `Problem` (or a werkzeug HTTPException); webargs'
validation errors arrive as 422 with their messages. Nothing else reaches
the client: an unexpected exception is logged and answered with a bare 500
that names no SQL, path or stack.
"""

import difflib
import logging

import orjson
from flask import Response, request
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE_BASE = "https://policy-ledger.org/problems/"
PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("policy_ledger")


class Problem(HTTPException):
    """An HTTP error with a problem type, a human detail and per-parameter errors."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        slug: str | None = None,
        errors: dict[str, list[str]] | None = None,
        headers: dict | None = None,
    ):
        super().__init__(description=detail)
        self.code = status
        self.title = title
        self.detail = detail
        self.slug = slug or title.lower().replace(" ", "-")
        self.errors = errors
        self.extra_headers = headers or {}


def suggest(word: str, candidates, what: str = "") -> str:
    """' did you mean 'x'?' for the nearest candidate, or ''."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def unknown_parameters(names: list[str], known) -> Problem:
    messages = {name: [f"unknown parameter '{name}'{suggest(name, known)}"] for name in names}
    detail = " ".join(m[0] for m in messages.values())
    detail += " Known parameters: " + ", ".join(sorted(known)) + "."
    return Problem(400, "Unknown parameter", detail, errors=messages)


def not_found(kind: str, key: str, candidates=()) -> Problem:
    return Problem(404, "Not found", f"no {kind} with id '{key}'{suggest(key, candidates)}")


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    body = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = Response(orjson.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _webargs_errors(data: dict) -> dict[str, list[str]]:
    """webargs nests messages by location ({'query': {'field': [...]}}); flatten them."""
    messages = data.get("messages") or data.get("errors") or {}
    flat: dict[str, list[str]] = {}
    for location_errors in messages.values():
        if not isinstance(location_errors, dict):
            continue
        for name, errs in location_errors.items():
            flat[name] = _strings(errs)
    return flat


def _strings(errs) -> list[str]:
    if isinstance(errs, dict):
        return [m for key in sorted(errs, key=str) for m in _strings(errs[key])]
    if isinstance(errs, list):
        return [m for e in errs for m in _strings(e)]
    return [str(errs)]


def handle_http_exception(error: HTTPException) -> Response:
    if isinstance(error, Problem):
        return problem_response(
            error.code,
            error.title,
            error.detail,
            slug=error.slug,
            errors=error.errors,
            headers=error.extra_headers,
        )
    code = error.code or 500
    headers = {}
    if code == 422:
        errors = _webargs_errors(getattr(error, "data", None) or {})
        detail = " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        return problem_response(
            422,
            "Invalid parameter",
            detail or "invalid parameters",
            slug="invalid-parameter",
            errors=errors,
        )
    if code == 405:
        allow = error.get_headers() if hasattr(error, "get_headers") else []
        headers = {k: v for k, v in allow if k == "Allow"}
        detail = f"{request.method} is not allowed here; use GET."
    else:
        detail = error.description or error.name
    return problem_response(
        code, error.name, detail, slug=error.name.lower().replace(" ", "-"), headers=headers
    )


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s", request.path)
    return problem_response(
        500,
        "Internal Server Error",
        "Something went wrong on our side; it has been logged.",
        slug="internal-server-error",
    )
