"""Hostile input, on every operation the OpenAPI document lists: SQL and FTS5
syntax in every text parameter, absurd numbers, impossible dates, tampered
and foreign cursors, overlong values and paths, invalid UTF-8, bidi
characters, repeated parameters, unknown formats, wrong methods, preflights.

Each answer is a 2xx (or a 3xx/304 where HTTP says so), or a 4xx
problem+json whose `errors` names the parameter at fault; never a 5xx, and
never a partial file. Operations and their parameters are read from the
document, so a new parameter is attacked without editing this file."""

import base64
import csv
import io
import json
import zipfile
from urllib.parse import quote

import orjson
import pytest

from policy_ledger.api.openapi_file import generate
from policy_ledger.api.params import MAX_URL_LENGTH

SPEC = generate()
OPERATIONS = [
    (path, item["get"])
    for path, item in SPEC["paths"].items()
    if "get" in item and path != "/v1/downloads/{name}"
]
COLLECTIONS = [path for path, _ in OPERATIONS if "{" not in path]
# A value each required parameter needs so that the attacked one is reached.
REQUIRED = {"/v1/search": {"q": "appco"}, "/v1/stats/actions": {"group_by": "year"}}
ITEMS = {
    "/v1/actions/{id}": "xa-dpa-2023-03-01-appco-fine",
    "/v1/statements/{id}": "appco-2020-08-02-ban-response",
    "/v1/entities/{id}": "appco",
    "/v1/jurisdictions/{code}": "XA",
    "/v1/sources/{id}": "fixture-seed",
}

TEXT = [
    "'",
    '"',
    '"unbalanced',
    "a' OR '1'='1",
    "1; DROP TABLE actions; --",
    "x OR y",
    "OR",
    "NOT appco",
    "NEAR(",
    "NEAR(appco fine, 2)",
    "*",
    "appco*",
    "*appco",
    "^",
    "^appco",
    "title:appco",
    "{title summary}:fine",
    "(",
    ")",
    "-",
    "%",
    "_",
    "\\",
    "[]",
    "\u202eevil\u202c",  # right-to-left override
    "\u2066appco\u2069",  # isolates
    "a\u200fb\u200e",  # direction marks
    "\ufeffappco",  # byte-order mark
    "😀",
    "x" * 501,
]
NUMBERS = [
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-Infinity",
    "99999999999999999999999",
    "1e-400",
    "0x10",
    "1_000",
    "",
    "5.5",
    "9" * 400,
]
DATES = [
    "2023-02-30",
    "2023-13-01",
    "2023-00-10",
    "0000-01-01",
    "9999-12-31",
    "99999-01-01",
    "2023-1-1",
    "yesterday",
    "2023-02-29T00:00:00",
    "-2023-01-01",
    "",
]
BAD_UTF8 = ["%ff%fe", "%c0%af", "%ed%a0%80", "%e2%82", "%00"]


def cases_for(kind: str):
    for path, op in OPERATIONS:
        if "{" in path:
            continue
        for param in op.get("parameters", []):
            schema = param["schema"]
            if kind == "text" and (
                schema.get("type") == "array"
                or (schema.get("type") == "string" and "format" not in schema)
            ):
                yield path, param["name"]
            elif kind == "number" and schema.get("type") in ("integer", "number"):
                yield path, param["name"]
            elif kind == "date" and schema.get("format") == "date":
                yield path, param["name"]


def url_for(path: str, name: str, raw_value: str) -> str:
    """`raw_value` is put in the query as is (already percent-encoded)."""
    base = {k: v for k, v in REQUIRED.get(path, {}).items() if k != name}
    query = "&".join([f"{k}={quote(v)}" for k, v in base.items()] + [f"{name}={raw_value}"])
    return f"{path}?{query}"


def assert_safe(response, *, names=None):
    """2xx/3xx, or a 4xx problem+json naming one of `names` in `errors`."""
    status = response.status_code
    body = response.get_data()
    assert status < 500, (status, body[:500])
    if status < 400:
        return
    assert response.mimetype == "application/problem+json", (status, response.mimetype)
    problem = orjson.loads(body)
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    for leak in ("Traceback", "sqlite", "SELECT ", "OperationalError", "/work/", "site-packages"):
        assert leak not in problem["detail"], problem
    if names is not None:
        assert set(problem.get("errors", {})) & set(names), (names, problem)


@pytest.mark.parametrize(("path", "name"), list(cases_for("text")))
def test_sql_and_fts_syntax_in_every_text_parameter(client, path, name):
    for value in TEXT:
        assert_safe(client.get(url_for(path, name, quote(value))), names=[name])


@pytest.mark.parametrize(("path", "name"), list(cases_for("number")))
def test_absurd_numbers(client, path, name):
    for value in NUMBERS:
        response = client.get(url_for(path, name, quote(value)))
        assert_safe(response, names=[name])
        if value in ("-1", "0", "1e309", "NaN", "inf", "-Infinity") and name == "page_size":
            assert response.status_code == 422


@pytest.mark.parametrize(("path", "name"), list(cases_for("date")))
def test_impossible_dates(client, path, name):
    for value in DATES:
        response = client.get(url_for(path, name, quote(value)))
        assert_safe(response, names=[name])
        if value in ("2023-02-30", "2023-13-01", "yesterday"):
            assert response.status_code == 422


@pytest.mark.parametrize("path", ["/v1/actions", "/v1/statements", "/v1/stats/actions"])
def test_reversed_dates_name_the_range(client, path):
    url = url_for(path, "date_from", "2024-01-01") + "&date_to=2020-01-01"
    response = client.get(url)
    assert response.status_code == 422
    assert_safe(response, names=["date_from", "date_to"])


@pytest.mark.parametrize(("path", "name"), list(cases_for("text")) + list(cases_for("number")))
def test_invalid_utf8_and_nul_bytes(client, path, name):
    for raw in BAD_UTF8:
        assert_safe(client.get(url_for(path, name, raw)), names=[name])
    nul = client.get(url_for(path, name, "appco%00"))
    assert nul.status_code in (400, 422)
    assert_safe(nul, names=[name])


def test_invalid_utf8_in_a_parameter_name_is_an_unknown_parameter(client):
    response = client.get("/v1/actions?%ff%fe=1")
    assert response.status_code == 400
    assert_safe(response)
    assert len(response.get_json()["errors"]) == 1


def _b64(obj) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def tampered_cursors(real: str) -> list[str]:
    return [
        real[:-2],
        real + "AA",
        real[::-1],
        real.upper(),
        "!!!!",
        "=",
        "A" * 500,
        _b64(["-date", 2**63, "x"]),  # past SQLite's 64-bit integers
        _b64(["-date", -(2**63) - 1, "x"]),
        _b64(["-date", 99999999999999999999999, "x"]),
        _b64(["-date", 1e308, "x"]),
        _b64(["-date", None, "x"]),
        _b64(["-date", [1], "x"]),
        _b64(["-date", {"a": 1}, "x"]),
        _b64(["-date", True, "x"]),
        _b64(["-date"]),
        _b64(["-date", "2020-01-01", "x", "extra"]),
        _b64({"sort": "-date"}),
        _b64("-date"),
        _b64(b"\xff\xfe\x00"),
        _b64(["relevance", 1.0, 5]),
        _b64(["title", "a", "x"]),  # a cursor for another sort order
    ]


PAGED = [
    path for path, op in OPERATIONS if "cursor" in {p["name"] for p in op.get("parameters", [])}
]


def test_the_paged_collections_are_found():
    assert {"/v1/actions", "/v1/statements", "/v1/search"} <= set(PAGED)


@pytest.mark.parametrize("path", PAGED)
def test_tampered_and_foreign_cursors(client, path):
    first = client.get(url_for(path, "page_size", "1")).get_json()
    real = first["next"].split("cursor=")[1] if first.get("next") else _b64(["x", 1])
    foreign = client.get("/v1/entities?page_size=1").get_json()["next"].split("cursor=")[1]
    for cursor in [*tampered_cursors(real), foreign]:
        response = client.get(url_for(path, "cursor", quote(cursor)))
        assert_safe(response, names=["cursor"])
    # The real one still works: the checks are not just refusing everything.
    assert client.get(url_for(path, "cursor", real)).status_code == 200


def test_a_cursor_for_one_sort_is_refused_for_another(client):
    real = client.get("/v1/actions?page_size=1").get_json()["next"].split("cursor=")[1]
    response = client.get(f"/v1/actions?sort=title&cursor={real}")
    assert response.status_code == 400
    assert_safe(response, names=["cursor"])


@pytest.mark.parametrize("path", list(ITEMS))
def test_hostile_ids_in_paths(client, path):
    base = path.split("{")[0]
    for segment in [
        "%00",
        "%ff%fe",
        "%ed%a0%80",
        "..%2f..%2fetc%2fpasswd",
        "%27%20OR%20%271%27=%271",
        "%E2%80%AEnif-ocppa",
        "*",
        "%20",
        "x" * 1000,
        "x.pdf",
    ]:
        assert_safe(client.get(base + segment))
        assert_safe(client.get(base + segment + "?fields=id"))
    assert client.get(base + ITEMS[path]).status_code == 200


@pytest.mark.parametrize("path", COLLECTIONS)
def test_overlong_addresses_answer_414_naming_the_part(client, path):
    response = client.get(url_for(path, "q", "x" * (MAX_URL_LENGTH + 10)))
    assert response.status_code == 414
    assert_safe(response, names=["q"])
    long_path = client.get(path + "/" + "x" * (MAX_URL_LENGTH + 10))
    assert long_path.status_code == 414
    assert_safe(long_path, names=["path"])


@pytest.mark.parametrize("path", COLLECTIONS)
def test_repeated_parameters(client, path):
    params = {p["name"]: p["schema"] for p in dict(OPERATIONS)[path].get("parameters", [])}
    for name, schema in params.items():
        if schema.get("type") == "array":
            continue  # lists may repeat: values are ORed
        value = {"page_size": "5", "format": "json", "group_by": "year", "bom": "true"}.get(
            name, REQUIRED.get(path, {}).get(name, "2020-01-01" if "date" in name else "x")
        )
        base = {k: v for k, v in REQUIRED.get(path, {}).items() if k != name}
        query = "&".join([f"{k}={quote(v)}" for k, v in base.items()] + [f"{name}={value}"] * 2)
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (name, response.get_data(True))
        assert_safe(response, names=[name])


@pytest.mark.parametrize("path", COLLECTIONS)
def test_unknown_formats(client, path):
    params = {p["name"] for p in dict(OPERATIONS)[path].get("parameters", [])}
    required = "&".join(f"{k}={quote(v)}" for k, v in REQUIRED.get(path, {}).items())
    sep = "&" if required else ""
    if "format" in params:
        for value in ("pdf", "CSV", "json,csv", "../csv", ""):
            response = client.get(f"{path}?{required}{sep}format={quote(value)}")
            assert response.status_code in (400, 422), value
            assert_safe(response, names=["format"])
    for suffix in (".pdf", ".exe", ".csv.zip"):
        assert_safe(client.get(f"{path}{suffix}?{required}"))
    for accept in ("application/pdf", "garbage", "text/csv;q=0", ";;;", "*/*;q=-1"):
        response = client.get(f"{path}?{required}", headers={"Accept": accept})
        assert_safe(response)
        if "format" in params:
            assert response.status_code in (200, 406), (accept, response.status_code)


def _complete(fmt: str, body: bytes) -> None:
    """The whole file is there and parses."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows and len({len(r) for r in rows}) == 1, "ragged or empty CSV"
    elif fmt == "ndjson":
        for line in body.decode("utf-8").splitlines():
            json.loads(line)
    elif fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            assert book.testzip() is None
            assert "xl/workbook.xml" in book.namelist()


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "xlsx"])
@pytest.mark.parametrize("path", ["/v1/actions", "/v1/statements", "/v1/search"])
def test_hostile_but_valid_queries_give_whole_files(client, path, fmt):
    for value in ['"unbalanced', "NEAR(", "appco OR", "\u202eappco", "=cmd|' /C calc'!A0", "^a*"]:
        name = "q"
        response = client.get(url_for(path, name, quote(value)) + f"&format={fmt}")
        assert_safe(response, names=[name])
        if response.status_code == 200:
            _complete(fmt, response.get_data())


ALL_PATHS = sorted(
    {
        path.replace("{id}", "x").replace("{code}", "XA").replace("{name}", "x")
        for path in SPEC["paths"]
    }
    | {"/", "/docs", "/v1/openapi.json"}
)


@pytest.mark.parametrize("path", ALL_PATHS)
def test_wrong_methods_answer_405_with_allow(client, path):
    for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"):
        response = client.open(path, method=method, data=b"x=1")
        assert response.status_code == 405, (method, response.status_code)
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert "GET" in allowed and not allowed & {"POST", "PUT", "PATCH", "DELETE"}
        assert_safe(response)


@pytest.mark.parametrize("path", [p for p in ALL_PATHS if p.startswith("/v1/")])
def test_preflights_allow_only_safe_methods(client, path):
    for method in ("GET", "DELETE", "POST", "PUT"):
        response = client.options(
            path,
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": "X-Requested-With",
            },
        )
        assert response.status_code == 200
        assert response.get_data() == b""
        allowed = response.headers.get("Access-Control-Allow-Methods", "")
        if method == "GET":
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            assert set(allowed.split(", ")) <= {"GET", "HEAD", "OPTIONS"}
        else:
            assert method not in allowed
        # Never credentials: the data is public, cookies are never needed.
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_safety_headers_on_every_kind_of_answer(client):
    for url in (
        "/v1/actions",
        "/v1/actions?nope=1",
        "/v1/actions.csv",
        "/v1/actions/nope",
        "/docs",
    ):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response.headers["X-Frame-Options"] == "DENY", url
