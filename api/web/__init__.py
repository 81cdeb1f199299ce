"""The site for people: home, browse and record pages, the changes page and
embeddable widgets, rendered by the same app from the same queries as /v1.

Pages are Jinja templates with autoescaping on (every value is escaped);
charts are SVG drawn on the server by pygal; no asset comes from another
host. Their headers (Content-Security-Policy, Cache-Control) are decided
with every other response's in api/http.py CommonHeaders.
"""

from flask import Blueprint, Flask

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)


def init_app(app: Flask) -> None:
    from policy_ledger.api.web import embeds, pages  # noqa: F401 - registers the routes on bp
    from policy_ledger.api.web.format import register_filters

    register_filters(app)
    app.register_blueprint(bp)
