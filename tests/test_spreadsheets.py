"""Every collection in every format, by every selector, read back with the
tools journalists use: pandas on URLs of a live server, openpyxl."""

import io
import json
import tracemalloc

import pandas as pd
import pytest

from policy_ledger.api import create_app
from tests.servers import Server

COLLECTIONS = [
    "/v1/actions",
    "/v1/statements",
    "/v1/entities",
    "/v1/jurisdictions",
    "/v1/sources",
    "/v1/search?q=AppCo",
    "/v1/stats/actions?group_by=type",
]
MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ndjson": "application/x-ndjson",
}


@pytest.fixture(scope="module")
def live(fixture_db):
    app = create_app({"DATABASE": str(fixture_db), "TESTING": True, "RATELIMIT_ENABLED": False})
    server = Server(app)
    yield server.base
    server.close()


def with_suffix(url: str, fmt: str) -> str:
    path, _, query = url.partition("?")
    return f"{path}.{fmt}" + (f"?{query}" if query else "")


def with_param(url: str, name: str, value: str) -> str:
    return url + ("&" if "?" in url else "?") + f"{name}={value}"


def rows_in(fmt: str, data: bytes) -> int:
    if fmt == "csv":
        return len(pd.read_csv(io.BytesIO(data)))
    if fmt == "xlsx":
        return len(pd.read_excel(io.BytesIO(data), sheet_name=0))
    return len([line for line in data.splitlines() if line.strip()])


@pytest.mark.parametrize("url", COLLECTIONS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ndjson"])
@pytest.mark.parametrize("selector", ["suffix", "format", "accept"])
def test_every_collection_every_format_every_selector(client, url, fmt, selector):
    total = client.get(url).get_json()["total"]
    assert total > 0
    if selector == "suffix":
        response = client.get(with_suffix(url, fmt))
    elif selector == "format":
        response = client.get(with_param(url, "format", fmt))
    else:
        response = client.get(url, headers={"Accept": MEDIA[fmt]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == MEDIA[fmt]
    assert rows_in(fmt, response.get_data()) == total


def test_pandas_reads_csv_from_a_plain_url(live):
    frame = pd.read_csv(f"{live}/v1/actions.csv?type=fine,ban")
    assert len(frame) == 4
    assert list(frame.columns[:5]) == [
        "id",
        "date",
        "type",
        "jurisdiction_code",
        "jurisdiction_name",
    ]
    assert frame.loc[frame["id"] == "xa-dpa-2023-03-01-appco-fine", "amount_eur"].item() == 5e6


def test_pandas_reads_xlsx_from_a_plain_url(live):
    frame = pd.read_excel(f"{live}/v1/statements.xlsx", sheet_name="statements")
    assert len(frame) == json.loads(pd.io.common.urlopen(f"{live}/v1/statements").read())["total"]
    about = pd.read_excel(f"{live}/v1/statements.xlsx", sheet_name="About", header=None)
    assert "dataset version" in set(about[0])


def test_pandas_reads_ndjson(live):
    frame = pd.read_json(f"{live}/v1/entities.ndjson", lines=True)
    assert {"id", "name", "kind"} <= set(frame.columns)
    assert len(frame) == 9


def test_ids_stay_text_in_xlsx(live):
    frame = pd.read_excel(f"{live}/v1/jurisdictions.xlsx", dtype=object)
    assert all(isinstance(code, str) for code in frame["code"])


def test_bom_option_for_older_excel(client):
    plain = client.get("/v1/actions.csv").get_data()
    with_bom = client.get("/v1/actions.csv?bom=true").get_data()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert with_bom.startswith(b"\xef\xbb\xbf") and with_bom[3:] == plain


def test_streaming_keeps_memory_flat(tmp_path_factory):
    """The peak memory of a CSV export does not grow with the rows it holds."""
    from policy_ledger.pipeline.synth import synthesize

    db = tmp_path_factory.mktemp("synth") / "synth.db"
    synthesize(6000, 0, db, seed=7)
    client = create_app({"DATABASE": str(db), "TESTING": True}).test_client()

    def peak(url: str) -> tuple[int, int]:
        tracemalloc.start()
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, size

    # Past the first fetch batches the peak must stop growing. It does vary
    # with the size of the documents in a batch (recent records cite more
    # sources), so both files reach well into the years the large one adds.
    medium_peak, medium_size = peak("/v1/actions.csv?date_to=2023-06-30")
    large_peak, large_size = peak("/v1/actions.csv")
    assert large_size > 1.5 * medium_size  # the large file holds far more rows...
    assert large_peak < 1.3 * medium_peak  # ...in the same memory


def test_xlsx_beyond_excels_row_limit_is_a_clear_413(client, monkeypatch):
    import policy_ledger.api.answers as base

    monkeypatch.setattr(base, "XLSX_MAX_ROWS", 3)
    response = client.get("/v1/actions.xlsx")
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    assert "ask for CSV" in response.get_json()["detail"]
    assert client.get("/v1/actions.xlsx?type=fine").status_code == 200
    assert client.get("/v1/actions.csv").status_code == 200


@pytest.mark.parametrize(
    "collection", ["actions", "statements", "entities", "jurisdictions", "sources"]
)
def test_whole_collection_files_come_in_the_json_order(client, collection):
    """The unfiltered, default-order export reads the stored documents in
    rowid order: it must be exactly the order the JSON pages give."""
    key = "code" if collection == "jurisdictions" else "id"
    pages = [
        item[key] for item in client.get(f"/v1/{collection}?page_size=500").get_json()["items"]
    ]
    lines = client.get(f"/v1/{collection}.ndjson").get_data(as_text=True).splitlines()
    assert [json.loads(line)[key] for line in lines] == pages
    rows = pd.read_csv(io.BytesIO(client.get(f"/v1/{collection}.csv").get_data()), dtype=str)
    assert list(rows[key]) == pages
