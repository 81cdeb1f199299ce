"""Caching, CORS, version header, format selection and retired ids."""

import pytest


def test_etag_and_not_modified(client):
    first = client.get("/v1/actions?type=fine")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/v1/actions?type=fine", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    other = client.get("/v1/actions?type=ban", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_etag_differs_by_format(client):
    assert (
        client.get("/v1/actions.csv").headers["ETag"] != client.get("/v1/actions").headers["ETag"]
    )


def test_dataset_version_and_safety_headers(client):
    response = client.get("/v1/meta")
    assert response.headers["X-Dataset-Version"] == "2026.02.0"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    problem = client.get("/v1/actions?bad=1")
    assert problem.headers["X-Dataset-Version"] == "2026.02.0"
    assert problem.headers["Cache-Control"] == "no-store"


def test_cors_on_get_exposes_link(client):
    response = client.get("/v1/actions?page_size=1", headers={"Origin": "https://news.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response.headers["Access-Control-Expose-Headers"]


def test_cors_preflight_allows_safe_methods_only(client):
    response = client.options(
        "/v1/actions",
        headers={"Origin": "https://news.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    allowed = set(response.headers["Access-Control-Allow-Methods"].split(", "))
    assert allowed <= {"GET", "HEAD", "OPTIONS"}


def test_cors_preflight_is_answered_by_flask_cors(client):
    response = client.options(
        "/v1/actions",
        headers={
            "Origin": "https://news.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    assert response.headers["Access-Control-Max-Age"] == "86400"
    assert response.headers.getlist("Access-Control-Allow-Origin") == ["*"]


def test_cors_headers_on_errors_and_not_on_pages(client):
    # Added at the WSGI layer: every /v1 answer has them, problems too, once.
    problem = client.get("/v1/actions?bad=1", headers={"Origin": "https://news.example"})
    assert problem.headers.getlist("Access-Control-Allow-Origin") == ["*"]
    assert client.get("/v1/nope").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_common_headers_are_not_repeated(client):
    response = client.get("/v1/actions?page_size=1")
    names = [name.lower() for name, _ in response.headers.items()]
    assert len(names) == len(set(names)), names
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("url", "headers", "mimetype"),
    [
        ("/v1/actions", {}, "application/json"),
        ("/v1/actions.json", {}, "application/json"),
        ("/v1/actions.csv", {}, "text/csv"),
        ("/v1/actions?format=csv", {}, "text/csv"),
        ("/v1/actions", {"Accept": "text/csv"}, "text/csv"),
        ("/v1/actions.ndjson", {}, "application/x-ndjson"),
        ("/v1/actions", {"Accept": "application/x-ndjson"}, "application/x-ndjson"),
        (
            "/v1/actions.xlsx",
            {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("/v1/actions.atom", {}, "application/atom+xml"),
        (
            "/v1/actions",
            {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
            "application/json",
        ),
        ("/v1/actions.json?format=csv", {}, "text/csv"),
        ("/v1/actions/xa-dpa-2023-03-01-appco-fine.json", {}, "application/json"),
    ],
)
def test_format_selectors(client, url, headers, mimetype):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(True)
    assert response.mimetype == mimetype


def test_retired_id_redirects_to_successor(client):
    response = client.get("/v1/actions/old-fixture-fine?fields=id")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(
        "/v1/actions/xa-dpa-2023-03-01-appco-fine?fields=id"
    )
    assert client.get(response.headers["Location"]).get_json() == {
        "id": "xa-dpa-2023-03-01-appco-fine"
    }


def test_home_leads_to_docs(client):
    # `/` is the site's home page (api/web), which links to the API reference.
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/docs"' in response.get_data(as_text=True)
