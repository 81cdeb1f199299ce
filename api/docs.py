"""Interactive API reference at /docs: Swagger UI served from the
swagger-ui-bundle package, so the page works with no internet and no CDN."""

from flask import Blueprint, Response, send_from_directory
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("docs", __name__)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Policy Ledger API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""

# External, not inline, so the page runs under a strict Content-Security-Policy.
INIT = """window.ui = SwaggerUIBundle({
  url: "/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
  validatorUrl: null
});
"""
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


@bp.get("/docs")
def reference():
    return Response(PAGE, mimetype="text/html", headers={"Content-Security-Policy": CSP})


@bp.get("/docs/init.js")
def init_script():
    return Response(INIT, mimetype="text/javascript")


@bp.get("/docs/assets/<path:name>")
def assets(name):
    return send_from_directory(swagger_ui_path, name, max_age=86400)
