"""The committed OpenAPI document agrees with the code, validates, and lints
clean with Spectral; the served copy and the interactive docs work offline."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from policy_ledger.api.openapi_file import OPENAPI_PATH, generate, render

ROOT = Path(__file__).resolve().parent.parent
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"


def test_committed_document_matches_the_code():
    assert OPENAPI_PATH.read_text(encoding="utf-8") == render(generate()), (
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    )


def test_document_validates():
    validate(json.loads(OPENAPI_PATH.read_text(encoding="utf-8")))


def test_every_operation_is_described():
    spec = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary") and operation.get("description"), (path, method)
            assert operation.get("operationId"), (path, method)
            for param in operation.get("parameters", []):
                assert param.get("description"), (path, param["name"])
                assert "example" in param["schema"], (path, param["name"])
            errors = [code for code in operation["responses"] if code.startswith("4")]
            assert errors, (path, method)


def test_spectral_lints_clean():
    if not SPECTRAL.exists():
        pytest.fail("Spectral is missing: `make test` installs it (npm install)")
    node = shutil.which("node")
    assert node, "node is needed for Spectral"
    result = subprocess.run(
        [
            str(SPECTRAL),
            "lint",
            "--fail-severity=warn",
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            str(OPENAPI_PATH),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_served_document_is_the_committed_one(client):
    served = client.get("/v1/openapi.json").get_json()
    assert served == json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def test_docs_page_and_assets_are_ours(client):
    page = client.get("/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "http" not in html.replace("http-equiv", ""), "no external asset on the docs page"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        with client.get(f"/docs/assets/{asset}") as response:
            assert response.status_code == 200 and len(response.get_data()) > 1000
    assert "/v1/openapi.json" in client.get("/docs/init.js").get_data(as_text=True)
