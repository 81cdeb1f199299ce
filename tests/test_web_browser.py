"""The site in a real browser: Playwright driving Debian's Chromium, headless,
against a real server on a loopback port over the fixture database.

`make test` installs Chromium (apt) and Playwright (PyPI); a missing browser
fails here rather than skipping. Screenshots of the main pages, and the
accessibility report, are written to test-artifacts/ (git-ignored).
"""

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from policy_ledger.api import create_app
from tests.servers import Server

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FINE = "xa-dpa-2023-03-01-appco-fine"
MARKUP = "spokes-person-2023-03-03-markup"

PAGES = {
    "home": "/",
    "actions": "/actions",
    "actions-fines": "/actions?type=fine",
    "statements": "/statements",
    "entities": "/entities",
    "jurisdictions": "/jurisdictions",
    "action": f"/actions/{FINE}",
    "statement": "/statements/spokes-person-2023-03-02-fine-response",
    "statement-markup": f"/statements/{MARKUP}",
    "entity": "/entities/appco",
    "jurisdiction": "/jurisdictions/XA",
    "changes": "/changes",
    "docs": "/docs",
    "embed-action": f"/embed/actions/{FINE}",
    "embed-timeline": "/embed/timeline?target=appco",
    "embed-chart": "/embed/chart?group_by=year&split=type",
}
MAIN_PAGES = [
    "home",
    "actions-fines",
    "statements",
    "entities",
    "jurisdictions",
    "action",
    "statement-markup",
    "entity",
    "jurisdiction",
    "changes",
    "embed-action",
    "embed-timeline",
    "embed-chart",
]


@pytest.fixture(scope="module")
def site(fixture_db):
    app = create_app({"DATABASE": str(fixture_db), "RATELIMIT_ENABLED": False})
    server = Server(app)
    yield server.base
    server.close()


@pytest.fixture(scope="module")
def other_origin(site):
    """A page on another origin (another port) that frames our embed and,
    to check it is refused, one of our ordinary pages."""
    html = f"""<!doctype html><html lang="en"><head><title>Someone's article</title></head>
<body><h1>An article</h1>
<iframe name="card" title="card" src="{site}/embed/actions/{FINE}" height="300"></iframe>
<iframe name="chart" title="chart" src="{site}/embed/chart?group_by=year" height="500"></iframe>
<iframe name="page" title="page" src="{site}/actions/{FINE}" height="300"></iframe>
</body></html>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/article.html"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), (
        "Chromium is missing: `make test` installs it (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def api_json(site: str, path: str) -> dict:
    with urllib.request.urlopen(site + path) as response:
        return json.load(response)


def watch(page, site):
    """Record console errors, page errors and requests to any other host."""
    seen = {"errors": [], "foreign": []}
    host = urlsplit(site).netloc
    page.on(
        "console",
        lambda m: seen["errors"].append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: seen["errors"].append(f"pageerror: {e}"))

    def request(r):
        parts = urlsplit(r.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            seen["foreign"].append(r.url)

    page.on("request", request)
    return seen


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_clean(page, site, name):
    seen = watch(page, site)
    response = page.goto(site + PAGES[name], wait_until="networkidle")
    assert response.status == 200
    assert response.headers.get("content-security-policy")
    if name == "docs":
        page.wait_for_selector(".swagger-ui .info", timeout=15000)
    else:
        assert page.locator("h1").count() >= 1
        # every image (the charts) actually loaded
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == []
    assert seen["errors"] == [], seen["errors"]
    assert seen["foreign"] == [], seen["foreign"]


def test_planted_markup_is_inert(page, site):
    seen = watch(page, site)
    page.goto(f"{site}/statements/{MARKUP}", wait_until="networkidle")
    heading = page.locator("h1").inner_text()
    assert heading.startswith("<script>window.planted=1</script>")
    assert page.evaluate("window.planted") is None
    assert page.locator("main img").count() == 0
    assert page.locator("main b").count() == 0
    # and on the list where it appears among others
    page.goto(f"{site}/statements", wait_until="networkidle")
    assert page.evaluate("window.planted") is None
    assert "<script>" in page.locator(f'tr[data-id="{MARKUP}"]').inner_text()
    page.goto(f"{site}/actions?type=initiative", wait_until="networkidle")
    assert '=HYPERLINK("http://evil.invalid")' in page.locator("tbody").inner_text()
    assert seen["errors"] == [] and seen["foreign"] == []


def table_ids(page) -> list[str]:
    return page.locator("table.records tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.id)"
    )


def test_filter_form_makes_the_url_and_rows_of_the_api(page, site):
    page.goto(f"{site}/actions", wait_until="networkidle")
    page.locator("details.choices", has_text="Type").locator("summary").click()
    page.get_by_label("Fine", exact=True).check()
    page.get_by_label("Jurisdiction codes").fill("XA")
    page.get_by_role("button", name="Show actions").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{site}/actions?type=fine&jurisdiction=XA"
    expected = [i["id"] for i in api_json(site, "/v1/actions?type=fine&jurisdiction=XA")["items"]]
    assert expected and table_ids(page) == expected
    assert page.locator("#api-url").input_value() == f"{site}/v1/actions?type=fine&jurisdiction=XA"
    assert page.get_by_role("link", name="Download CSV").get_attribute("href") == (
        f"{site}/v1/actions.csv?type=fine&jurisdiction=XA"
    )

    # A sortable column: the link keeps the filters, the rows follow the API's order.
    page.get_by_role("link", name="Amount").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{site}/actions?type=fine&jurisdiction=XA&sort=-amount_eur"
    api = api_json(site, "/v1/actions?type=fine&jurisdiction=XA&sort=-amount_eur")
    assert table_ids(page) == [i["id"] for i in api["items"]]
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"


def test_keyset_paging_follows_the_api(page, site):
    page.goto(f"{site}/actions?page_size=3", wait_until="networkidle")
    first = api_json(site, "/v1/actions?page_size=3")
    assert table_ids(page) == [i["id"] for i in first["items"]]
    page.get_by_role("link", name="Next page").click()
    page.wait_for_load_state("networkidle")
    second = api_json(site, urlsplit(first["next"]).path + "?" + urlsplit(first["next"]).query)
    assert table_ids(page) == [i["id"] for i in second["items"]]
    assert "cursor=" in page.url


def test_keyboard_reaches_the_skip_link_and_the_form(page, site):
    page.goto(f"{site}/actions", wait_until="networkidle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name || document.activeElement.tagName")
    assert focused == "q"  # the first control of the filter form, right after the skip


def test_embed_renders_in_an_iframe_on_another_origin(page, site, other_origin):
    page.goto(other_origin, wait_until="networkidle")
    card = page.frame_locator('iframe[name="card"]')
    card.locator("h1").wait_for()
    assert card.locator("h1").inner_text() == "Fixture DPA fines AppCo EUR 5 million"
    chart = page.frame_locator('iframe[name="chart"]')
    assert chart.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")
    # An ordinary page refuses to be framed: its frame holds no content of ours.
    framed = page.frame(name="page")
    assert framed is not None
    assert framed.url.startswith("chrome-error://"), framed.url
    assert framed.get_by_text("How to cite this record").count() == 0


def test_phone_width_has_no_sideways_scroll(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        for name in ("home", "actions-fines", "action", "statement-markup", "changes"):
            page.goto(site + PAGES[name], wait_until="networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (name, width)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"phone-{name}.png", full_page=True)
    finally:
        context.close()


def test_accessibility_and_screenshots(page, site):
    """axe-core (from node_modules, injected without any network) finds no
    serious or critical violation on the main pages; screenshots for review."""
    assert AXE.exists(), "axe-core is missing: `make test` runs `npm ci`"
    ARTIFACTS.mkdir(exist_ok=True)
    source = AXE.read_text(encoding="utf-8")
    report, serious = {}, []
    for name in MAIN_PAGES:
        page.goto(site + PAGES[name], wait_until="networkidle")
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        page.evaluate(source)
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']}))
                 .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.map(n => n.target.join(' '))}))"""
        )
        report[name] = violations
        serious += [(name, v) for v in violations if v["impact"] in ("serious", "critical")]
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert serious == [], serious
