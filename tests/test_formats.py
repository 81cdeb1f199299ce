"""CSV, NDJSON, XLSX and Atom answers: whole answers, flattened, safe."""

import csv
import io
import json

import feedparser
import openpyxl
import pytest


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_holds_every_row_and_fixed_columns(client):
    response = client.get("/v1/actions.csv?page_size=1")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:5] == ["id", "date", "type", "jurisdiction_code", "jurisdiction_name"]
    assert len(rows) - 1 == client.get("/v1/actions").get_json()["total"] == 8
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="policy-ledger_actions_2026.02.0.csv"'
    )


def test_csv_flattening(client):
    (row,) = csv_rows(client, "/v1/actions.csv?type=ban&jurisdiction=XB")
    assert row["targets_id"] == "clipapp; appco"
    assert row["targets_name"] == "ClipApp; AppCo"
    assert row["authority_id"] == "xb-ministry"
    assert row["topics"] == "national-security; app-distribution"
    assert row["source_titles"] == "Otherland bans ClipApp"
    (fine,) = csv_rows(client, "/v1/actions.csv?currency=EUR")
    assert (
        fine["amount_value"],
        fine["amount_currency"],
        fine["amount_eur"],
        fine["amount_usd"],
    ) == ("5000000.0", "EUR", "5000000.0", "5342000.0")
    assert fine["related"] == "follows: xa-dpa-2021-06-01-appco-inquiry"


def test_csv_neutralises_formulas(client):
    (row,) = csv_rows(client, "/v1/actions.csv?jurisdiction=EU")
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["summary"].startswith("'+A fictional")
    assert row["scope"] == "'-scope starting with minus"
    assert row["legal_basis"] == "'@at-sign basis"


def test_csv_fields_and_filename_with_filters(client):
    response = client.get("/v1/actions.csv?type=fine&fields=id,amount")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "id",
        "amount_value",
        "amount_currency",
        "amount_eur",
        "amount_usd",
        "amount_fx_date",
    ]
    assert (
        'filename="policy-ledger_actions_type-fine_2026.02.0.csv"'
        in response.headers["Content-Disposition"]
    )


def test_ndjson_one_document_per_line(client):
    lines = client.get("/v1/statements.ndjson").get_data(as_text=True).splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["id"] for d in docs] == [
        i["id"] for i in client.get("/v1/statements").get_json()["items"]
    ]


@pytest.mark.parametrize("query", ["", "?type=fine,ban&sort=-amount_eur", "?fields=id,title"])
def test_ndjson_lines_are_the_documents_the_json_api_serves(client, query):
    # Whole-document NDJSON streams the stored documents as they are; each
    # line must be exactly what the JSON list serves for that record.
    lines = client.get(f"/v1/actions.ndjson{query}").get_data().splitlines()
    sep = "&" if query else "?"
    items = client.get(f"/v1/actions{query}{sep}page_size=500").get_json()["items"]
    assert [json.loads(line) for line in lines] == items
    assert all(line.startswith(b"{") and line.endswith(b"}") for line in lines)


def test_xlsx_typed_cells_and_about_sheet(client):
    response = client.get("/v1/actions.xlsx?type=fine&sort=date")
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book["actions"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert [r["id"] for r in rows] == [
        "xa-dpa-2023-03-01-appco-fine",
        "xa-dpa-2024-01-10-appco-gbp-fine",
    ]
    assert rows[0]["amount_eur"] == 5000000
    assert rows[0]["date"].year == 2023
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1")
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["dataset version"] == "2026.02.0"
    assert about["query"] == "/v1/actions.xlsx?type=fine&sort=date" or about["query"].startswith(
        "/v1/actions"
    )


def test_xlsx_keeps_formula_text_inert(client):
    response = client.get("/v1/actions.xlsx?jurisdiction=EU")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["actions"]
    header = [c.value for c in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert title.data_type == "s" and title.value.startswith("'=HYPERLINK(")


def test_atom_feed_newest_first_with_filters(client):
    feed = feedparser.parse(client.get("/v1/actions.atom?target=clipapp").get_data())
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == [
        "Montana governor bans ClipApp on state devices (fixture)",
        "Otherland lifts the ClipApp ban",
        "Otherland bans ClipApp nationwide",
    ]
    entry = feed.entries[0]
    assert entry.link == "http://localhost/actions/us-mt-governor-2022-12-01-clipapp-device-ban"
    assert [(link.rel, link.type, link.href) for link in entry.links][1] == (
        "related",
        "application/json",
        "http://localhost/v1/actions/us-mt-governor-2022-12-01-clipapp-device-ban",
    )


def test_stats_and_search_as_csv(client):
    rows = csv_rows(client, "/v1/stats/actions.csv?group_by=type")
    assert rows[0].keys() == {"key", "label", "count", "amount_eur", "amount_usd"}
    hits = csv_rows(client, "/v1/search.csv?q=AppCo")
    assert len(hits) == client.get("/v1/search?q=AppCo").get_json()["total"]
