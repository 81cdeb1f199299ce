"""The pages for people, through the Flask test client: status, headers,
escaping, and agreement with the /v1 answers they are built from."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import get_json

FINE = "xa-dpa-2023-03-01-appco-fine"
MARKUP = "spokes-person-2023-03-03-markup"
PAGES = [
    "/",
    "/actions",
    "/actions?type=fine",
    "/statements",
    "/entities",
    "/jurisdictions",
    f"/actions/{FINE}",
    f"/statements/{MARKUP}",
    "/entities/appco",
    "/jurisdictions/XA",
    "/changes",
    f"/embed/actions/{FINE}",
    f"/embed/statements/{MARKUP}",
    "/embed/timeline?type=fine",
    "/embed/chart?group_by=jurisdiction",
]


class Rows(HTMLParser):
    """Collects the data-id of each results-table row, and every script src."""

    def __init__(self):
        super().__init__()
        self.ids, self.scripts, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-id" in a:
            self.ids.append(a["data-id"])
        if tag == "script":
            self.scripts.append(a.get("src"))
        if tag in ("link", "img", "iframe") and (a.get("href") or a.get("src")):
            self.links.append(a.get("href") or a.get("src"))


def parsed(client, url, status=200) -> tuple[str, Rows]:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    html = response.get_data(as_text=True)
    rows = Rows()
    rows.feed(html)
    return html, rows


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_html_with_a_csp_and_only_our_assets(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    html, rows = parsed(client, url)
    assert rows.scripts == []  # no script at all on our pages
    for link in rows.links:  # stylesheets, icons, charts: ours (oEmbed link is absolute to us)
        assert link.startswith("/") or link.startswith("http://localhost/"), link


@pytest.mark.parametrize("url", [p for p in PAGES if not p.startswith("/embed/")])
def test_pages_refuse_framing(client, url):
    response = client.get(url)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", [p for p in PAGES if p.startswith("/embed/")])
def test_embeds_may_be_framed_by_anyone(client, url):
    response = client.get(url)
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def test_planted_markup_is_escaped_everywhere(client):
    for url in (f"/statements/{MARKUP}", "/statements", "/entities/spokes-person", "/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>window.planted" not in html, url
        assert 'onerror="window.planted' not in html, url
    html = client.get(f"/statements/{MARKUP}").get_data(as_text=True)
    assert "&lt;script&gt;window.planted=1&lt;/script&gt;" in html
    html = client.get(f"/embed/statements/{MARKUP}").get_data(as_text=True)
    assert "&lt;img src=x onerror=" in html and "<img src=x" not in html


@pytest.mark.parametrize(
    "query",
    ["", "type=fine", "type=fine,ban&sort=-amount_eur", "target=clipapp", "q=fine", "sort=title"],
)
def test_actions_table_shows_the_rows_of_the_api(client, query):
    api = get_json(client, f"/v1/actions?{query}")
    html, rows = parsed(client, f"/actions?{query}")
    assert rows.ids == [i["id"] for i in api["items"]]
    assert f"{api['total']} action" in html


@pytest.mark.parametrize("name", ["statements", "entities", "jurisdictions"])
def test_other_tables_show_the_rows_of_the_api(client, name):
    api = get_json(client, f"/v1/{name}")
    _, rows = parsed(client, f"/{name}")
    key = "code" if name == "jurisdictions" else "id"
    assert rows.ids == [i[key] for i in api["items"]]


def test_keyset_paging_matches_the_api(client):
    api = get_json(client, "/v1/actions?page_size=3")
    html, rows = parsed(client, "/actions?page_size=3")
    assert rows.ids == [i["id"] for i in api["items"]]
    cursor = re.search(r'href="/actions\?page_size=3&amp;cursor=([^"]+)" rel="next"', html)
    assert cursor, "no next-page link"
    assert api["next"].endswith(f"cursor={cursor.group(1)}")
    second = get_json(client, f"/v1/actions?page_size=3&cursor={cursor.group(1)}")
    _, rows = parsed(client, f"/actions?page_size=3&cursor={cursor.group(1)}")
    assert rows.ids == [i["id"] for i in second["items"]]


def test_empty_form_fields_redirect_to_the_clean_url(client):
    response = client.get("/actions?q=&type=fine&jurisdiction=&date_from=")
    assert response.status_code == 303
    assert response.headers["Location"] == "/actions?type=fine"


def test_browse_links_to_files_and_the_api_url(client):
    html, _ = parsed(client, "/actions?type=fine&page_size=5")
    assert 'href="http://localhost/v1/actions.csv?type=fine"' in html
    assert 'href="http://localhost/v1/actions.xlsx?type=fine"' in html
    assert 'value="http://localhost/v1/actions?type=fine&amp;page_size=5"' in html
    assert "/embed/timeline?type=fine" in html  # the iframe snippet for this view


def test_bad_filters_are_explained_on_the_page(client):
    html, rows = parsed(client, "/actions?type=fin&jurisdicton=XA", status=400)
    assert "did you mean" in html and "jurisdicton" in html
    html, _ = parsed(client, "/actions?type=fin", status=400)
    assert "Did you mean &#39;fine&#39;?" in html
    assert rows.ids == []


def test_action_page_reads_every_field_sources_timeline_and_citation(client):
    doc = get_json(client, f"/v1/actions/{FINE}")
    html, _ = parsed(client, f"/actions/{FINE}")
    assert f"<h1>{doc['title']}</h1>" in html
    assert "EUR 5,000,000" in html and "USD 5,342,000" in html
    assert "1 March 2023" in html and "GDPR Art. 46(1)" in html
    for source in doc["sources"]:
        assert source["quote"] in html
    # the timeline: what it follows, what answers it, what upholds it
    timeline = html[html.index('id="timeline-h"') :]
    for rel in doc["related"] + doc["referenced_by"] + doc["responses"]:
        assert f"/{rel['id']}" in timeline
    assert "How to cite this record" in html
    assert f"http://localhost/v1/actions/{FINE}" in html
    assert "Policy Ledger fixture (dataset version 2026.02.0). Action" in html
    assert 'rel="alternate" type="application/json+oembed"' in html


def test_retired_and_unknown_ids(client):
    response = client.get("/actions/old-fixture-fine")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(f"/actions/{FINE}")
    response = client.get("/actions/xa-dpa-2023-03-01-appco-fin")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "did you mean" in response.get_data(as_text=True)


def test_entity_and_jurisdiction_pages_list_their_records(client):
    html, _ = parsed(client, "/entities/appco")
    for item in get_json(client, "/v1/actions?target=appco")["items"]:
        assert f"/actions/{item['id']}" in html
    html, _ = parsed(client, "/jurisdictions/US")
    assert "/jurisdictions/US-MT" in html  # its subdivision


def test_changes_page_agrees_with_v1_changes(client):
    api = get_json(client, "/v1/changes?since=2026.01.0")
    html, _ = parsed(client, "/changes")
    newest = html[html.index("2026.02.0") : html.index("2026.01.0 <span")]
    assert f"{len(api['added'])} added, {len(api['changed'])} changed" in newest
    assert f"{len(api['removed'])} removed" in newest
    for entry in api["added"] + api["changed"] + api["removed"]:
        assert entry["id"] in newest
    assert html.index("2026.02.0") < html.index("2026.01.0 <span")  # newest first
    assert "/v1/actions.atom" in html and "/v1/statements.atom" in html


def test_home_shows_counts_newest_and_chart(client):
    meta = get_json(client, "/v1/meta")
    html, rows = parsed(client, "/")
    assert meta["version"] in html
    assert f'<a href="/actions">{meta["counts"]["action"]}</a>' in html
    newest = get_json(client, "/v1/actions?page_size=3")["items"]
    for item in newest:
        assert f"/actions/{item['id']}" in html
    assert "/embed/chart.svg?group_by=year&amp;split=type" in html
    assert 'href="/v1/downloads"' in html and 'href="/docs"' in html


def test_chart_svg_is_static_and_accessible(client):
    response = client.get("/embed/chart.svg?group_by=year&type=fine")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<script" not in svg and "http://kozea" not in svg and "//kozea" not in svg
    assert 'role="img"' in svg
    assert re.search(r'<title id="chart-title">Number of actions by year</title>', svg)
    stats = get_json(client, "/v1/stats/actions?group_by=year&type=fine")["items"]
    desc = re.search(r'<desc id="chart-desc">([^<]*)</desc>', svg).group(1)
    for row in stats:
        assert f"{row['label']}: {row['count']}" in desc
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_chart_parameters_are_checked(client):
    assert client.get("/embed/chart").status_code == 422  # group_by is required
    assert client.get("/embed/chart?group_by=yeer").status_code == 422
    assert client.get("/embed/chart?group_by=type&split=type").status_code == 422
    assert client.get("/embed/chart?group_by=year&measure=amount_eur").status_code == 200


def test_timeline_embed_follows_the_filters(client):
    api = get_json(client, "/v1/actions?target=clipapp&page_size=10")
    html, _ = parsed(client, "/embed/timeline?target=clipapp")
    for item in api["items"]:
        assert f"/actions/{item['id']}" in html
    assert f"{api['total']} action" in html
    assert client.get("/embed/timeline?type=nope").status_code == 422


def test_oembed(client):
    body = get_json(client, f"/oembed?url=http://localhost/actions/{FINE}&maxwidth=400")
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["title"] == "Fixture DPA fines AppCo EUR 5 million"
    assert f'src="http://localhost/embed/actions/{FINE}"' in body["html"]
    assert body["width"] == 400
    body = get_json(client, "/oembed?url=http://localhost/actions%3Ftype%3Dfine")
    assert 'src="http://localhost/embed/timeline?type=fine"' in body["html"]
    assert client.get("/oembed?url=http://localhost/actions/nope").status_code == 404
    assert client.get("/oembed?url=http://localhost/changes").status_code == 404
    assert client.get(f"/oembed?url=http://localhost/actions/{FINE}&format=xml").status_code == 501
    assert client.get("/oembed").status_code == 422
