"""Every error path answers RFC 9457 problem+json of the same shape."""

import pytest

from policy_ledger.api.db import QueryTimeout

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def problem(client, url, status, method="get", **kwargs):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.get_data(True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status
    assert body["type"].startswith("https://policy-ledger.org/problems/")
    return response, body


def test_unknown_parameter_suggests_nearest(client):
    _, body = problem(client, "/v1/actions?jurisdicton=IE", 400)
    assert body["title"] == "Unknown parameter"
    assert body["detail"].startswith(
        "unknown parameter 'jurisdicton'; did you mean 'jurisdiction'?"
    )
    assert body["errors"] == {
        "jurisdicton": ["unknown parameter 'jurisdicton'; did you mean 'jurisdiction'?"]
    }


def test_unknown_parameter_without_near_name(client):
    _, body = problem(client, "/v1/meta?zzz=1", 400)
    assert body["errors"] == {"zzz": ["unknown parameter 'zzz'"]}


def test_repeated_scalar_parameter(client):
    _, body = problem(client, "/v1/actions?page_size=2&page_size=3", 400)
    assert body["errors"] == {"page_size": ["given more than once"]}


@pytest.mark.parametrize(
    ("url", "param", "message"),
    [
        ("/v1/actions?type=fien", "type", "Did you mean 'fine'?"),
        ("/v1/actions?date_from=2023-02-30", "date_from", "Not a valid date."),
        (
            "/v1/actions?date_from=2024-01-01&date_to=2023-01-01",
            "date_from",
            "date_from is after date_to",
        ),
        ("/v1/actions?amount_eur_min=-5", "amount_eur_min", "greater than or equal to 0"),
        ("/v1/actions?amount_eur_min=NaN", "amount_eur_min", "Special numeric values"),
        ("/v1/actions?amount_eur_min=1e309", "amount_eur_min", "Special numeric values"),
        ("/v1/actions?page_size=0", "page_size", "less than or equal to 500"),
        ("/v1/actions?page_size=501", "page_size", "less than or equal to 500"),
        ("/v1/actions?page_size=ten", "page_size", "Not a valid integer."),
        ("/v1/actions?sort=colour", "sort", "is not one of"),
        ("/v1/actions?fields=id,colour", "fields", "'colour' is not one of"),
        ("/v1/actions?q=%20", "q", "give at least one word"),
        ("/v1/actions?q=" + "x" * 501, "q", "Length must be between 1 and 500."),
        ("/v1/stats/actions", "group_by", "Missing data for required field."),
        ("/v1/stats/actions?group_by=decade", "group_by", "is not one of"),
        ("/v1/changes?since=1999.1.1", "since", "one of: 2026.01.0, 2026.02.0"),
        ("/v1/search", "q", "Missing data for required field."),
    ],
)
def test_invalid_values_name_the_parameter(client, url, param, message):
    _, body = problem(client, url, 422)
    assert param in body["errors"], body
    assert any(message in m for m in body["errors"][param]), body
    assert param in body["detail"]


def test_bad_cursor(client):
    _, body = problem(client, "/v1/actions?cursor=not-a-cursor", 400)
    assert body["title"] == "Invalid cursor" and "cursor" in body["errors"]


def test_cursor_from_another_sort_is_refused(client):
    cursor = client.get("/v1/actions?page_size=1&sort=id").get_json()["next"].split("cursor=")[1]
    problem(client, f"/v1/actions?page_size=1&sort=-date&cursor={cursor}", 400)


def test_not_found_suggests_nearest_id(client):
    _, body = problem(client, "/v1/actions/xa-dpa-2023-03-01-appco-fin", 404)
    assert body["detail"] == (
        "no action with id 'xa-dpa-2023-03-01-appco-fin'; "
        "did you mean 'xa-dpa-2023-03-01-appco-fine'?"
    )


def test_unknown_path(client):
    problem(client, "/v1/nothing-here", 404)


def test_method_not_allowed_lists_allow(client):
    response, body = problem(client, "/v1/actions", 405, method="post")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}
    assert "POST" in body["detail"]


def test_unsupported_format(client):
    _, body = problem(client, "/v1/actions?format=pdf", 422)
    assert "format" in body["errors"]
    _, body = problem(client, "/v1/entities?format=atom", 422)
    _, body = problem(client, "/v1/actions/xa-dpa-2023-03-01-appco-fine.csv", 400)
    assert body["title"] == "Unsupported format"


def test_not_acceptable(client):
    _, body = problem(client, "/v1/actions", 406, headers={"Accept": "image/png"})
    assert "text/csv" in body["detail"]


def test_query_timeout_is_a_clear_400(app, client, monkeypatch):
    import policy_ledger.api.resources.base as base

    def too_slow(*args, **kwargs):
        raise QueryTimeout(2.0)

    monkeypatch.setattr(base, "fetch_page", too_slow)
    _, body = problem(client, "/v1/actions", 400)
    assert body["title"] == "Query took too long"


def test_unexpected_error_is_a_bare_500(app, client, monkeypatch):
    import policy_ledger.api.resources.base as base

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM somewhere")

    monkeypatch.setattr(base, "fetch_page", broken)
    response, body = problem(client, "/v1/actions", 500)
    text = response.get_data(as_text=True)
    assert "SELECT" not in text and "Traceback" not in text
    assert body["detail"] == "Something went wrong on our side; it has been logged."
