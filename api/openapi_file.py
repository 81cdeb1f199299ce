"""The committed OpenAPI document (openapi/openapi.json), generated from the
app by flask-smorest. `policy-ledger openapi` rewrites it; a test fails when
the file and the code disagree."""

import json
from pathlib import Path

OPENAPI_PATH = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def generate() -> dict:
    from policy_ledger.api import api, create_app

    app = create_app({"DATABASE": "/nonexistent.db", "TESTING": True})
    with app.app_context():
        return api.spec.to_dict()


def render(spec: dict) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_openapi(path: Path = OPENAPI_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(generate()), encoding="utf-8")
    return path
