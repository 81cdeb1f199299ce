"""The site for people: home, browse and record pages, the changes page and
embeddable widgets, rendered by the same app from the same queries as /v1.

Pages are Jinja templates with autoescaping on (every value is escaped);
charts are SVG drawn on the server by pygal; no asset comes from another
host. Every page sends a Content-Security-Policy: embeds (under /embed/) may
be framed by anyone, every other page refuses framing.
"""

from flask import Blueprint, Flask, request

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)

_BASE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; "
)
PAGE_CSP = _BASE_CSP + "form-action 'self'; frame-src 'self'; frame-ancestors 'none'"
EMBED_CSP = _BASE_CSP + "form-action 'none'; frame-ancestors *"
# A chart opened on its own: its inline <style> is pygal's, nothing may run.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *"


def is_embed(path: str) -> bool:
    return path.startswith("/embed/")


@bp.after_request
def security_headers(response):
    if "Content-Security-Policy" not in response.headers:
        if response.mimetype == "image/svg+xml":
            response.headers["Content-Security-Policy"] = SVG_CSP
        else:
            response.headers["Content-Security-Policy"] = (
                EMBED_CSP if is_embed(request.path) else PAGE_CSP
            )
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "public, max-age=300")
    return response


def init_app(app: Flask) -> None:
    from policy_ledger.api.web import embeds, pages  # noqa: F401 - registers the routes on bp
    from policy_ledger.api.web.format import register_filters

    register_filters(app)
    app.register_blueprint(bp)
