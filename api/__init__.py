"""Policy Ledger's Flask application: the versioned /v1 API over a built,
read-only SQLite dataset."""

from http import HTTPStatus

from flask import Flask
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

API_VERSION = "1.0.0"

API_DESCRIPTION = """\
A public, versioned API over a curated dataset of government actions on technology
platforms — fines, bans, restrictions, executive orders, laws, court rulings,
investigations — and the statements around them, centred on TikTok/ByteDance and other
Chinese-owned technology firms, with the largest data-protection fines for context.

**Formats.** Every collection answers JSON (default), CSV, XLSX and NDJSON, chosen by
`format=`, by the `Accept` header, or by a path suffix (`/v1/actions.csv?type=fine`).
Files hold every matching row (not one page). CSV and XLSX flatten nested fields: lists
are joined with `; `, references become `<field>_id` and `<field>_name` columns (codes:
`<field>_code`), amounts become `amount_value, amount_currency, amount_eur, amount_usd,
amount_fx_date`, sources their URLs and titles. Text that a spreadsheet would run as a
formula is prefixed with an apostrophe. Actions and statements also answer Atom
(`.atom`).

**Paging.** Lists answer `{"items": [...], "total": N, "next": URL|null}` and send the
next page in a `Link: <URL>; rel="next"` header too. Paging is keyset (`cursor=`), so a
deep page costs what the first does. `page_size` is 1–500 (default 50).

**Filters.** A filter may repeat or take a comma list; values within a parameter are
ORed, parameters are ANDed. An unknown parameter is refused with the nearest known name.

**Errors** are `application/problem+json` (RFC 9457) with `type`, `title`, `status`,
`detail` and, where input was at fault, `errors` (parameter → messages).

**Caching.** Responses carry an `ETag` that changes with the dataset (send
`If-None-Match` for a `304`), `Cache-Control: public`, and `X-Dataset-Version`.
CORS is open (`*`) for GET.

**Limits.** Each is answered with a problem+json that says which limit and what to do.
- Query time: 2 s per query (`QUERY_TIME_LIMIT`); past it, a 400 `query-took-too-long`.
- Page size: `page_size` is 1–500; file formats (CSV, XLSX, NDJSON) hold every matching
  row, streamed, with no row limit (XLSX is written row by row to disk, not in memory).
- Parameter values: at most 500 characters each (422 naming the parameter); control
  characters (such as `%00`) are refused; a parameter that takes one value may not repeat.
- Address length: the path and query string together at most 4,096 characters (414
  naming the longest part). The server refuses request lines past 8,190 bytes and more
  than 50 headers of at most 8,190 bytes each before the app sees them.
- Rate: per client address, 100 requests a second and 3,000 a minute by default (the
  operator may change it); past it, a 429 `too-many-requests` with `Retry-After` (seconds).
  Bulk users: the downloads and file formats give the whole dataset in one request.
"""


class ProblemApi(Api):
    """flask-smorest's Api, answering (and documenting) every HTTP error as
    problem+json."""

    def handle_http_exception(self, error: HTTPException):
        from policy_ledger.api.errors import handle_http_exception

        return handle_http_exception(error)

    def _register_pagination_header(self):
        # We page by keyset with our own Link header, not flask-smorest's pagination.
        pass

    def _register_responses(self):
        # flask-smorest documents its own error shape as application/json;
        # ours is RFC 9457 problem+json, so the shared responses say so.
        from flask_smorest.utils import prepare_response

        from policy_ledger.api.errors import PROBLEM_JSON
        from policy_ledger.api.schemas import ProblemSchema

        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem+json.", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = ProblemApi()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    from policy_ledger.settings import from_environment

    app.config.from_mapping(from_environment())
    app.config.from_mapping(
        API_TITLE="Policy Ledger",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/v1",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={
            "info": {
                "description": API_DESCRIPTION,
                "contact": {
                    "name": "Policy Ledger developers",
                    "url": "https://github.com/policy-ledger/policy-ledger",
                },
                "license": {
                    "name": "Code: Apache-2.0; data: CC-BY-4.0",
                    "url": "https://creativecommons.org/licenses/by/4.0/",
                },
            },
            "servers": [{"url": "/", "description": "This server"}],
        },
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    from policy_ledger.api import errors, http, limits
    from policy_ledger.api.db import QueryTimeout
    from policy_ledger.api.docs import bp as docs_bp
    from policy_ledger.api.resources import (
        actions,
        downloads,
        entities,
        jurisdictions,
        meta,
        search,
        sources,
        statements,
        stats,
    )

    api.init_app(app)
    for module in (
        actions,
        statements,
        entities,
        jurisdictions,
        sources,
        search,
        stats,
        meta,
        downloads,
    ):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs_bp)
    limits.init_app(app)  # first before_request: a refused request costs nothing
    http.init_app(app)  # common headers and CORS, and 304s

    @app.errorhandler(QueryTimeout)
    def query_too_long(error):
        return errors.problem_response(
            400,
            "Query took too long",
            f"This query ran past the {error.args[0]} s limit; narrow it with more filters "
            "or a more specific q.",
            slug="query-took-too-long",
        )

    app.register_error_handler(Exception, errors.handle_unexpected)

    from policy_ledger.api import web

    web.init_app(app)  # the pages for people, with `/` as the home page

    return app
