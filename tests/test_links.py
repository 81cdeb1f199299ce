"""The URL lint (pipeline/links.py, issue 13 s. 2): each rule flags a bad
address and passes a clean near miss; the real dataset has no finding."""

import pytest

from policy_ledger.pipeline.links import is_official, lint_links, lint_url
from policy_ledger.pipeline.validate import validate_dataset
from tests.conftest import FIXTURE_DATASET, FIXTURE_SEEDS


def rules(url, field="url"):
    return {rule for rule, _ in lint_url(url, field)}


@pytest.mark.parametrize(
    ("bad", "near_miss"),
    [
        ("https://example.com/a?utm_source=rss&id=3", "https://example.com/utm_source/a?id=3"),
        ("https://www.politico.eu/article/x/?aid=app_feed", "https://example.com/aid/raid?paid=1"),
        ("https://www.cbc.ca/news/x-1.6758136?cmp=rss", "https://example.com/x?cmp=print"),
        ("https://example.com/x?fbclid=IwAR0", "https://example.com/x?fb=1"),
        ("https://example.com/x?gclid=abc", "https://example.com/x?page=2"),
        ("https://stage.tradelawdaily.com/a?BC=bc_6712", "https://example.com/a?bcc=1"),
    ],
)
def test_tracking_parameter(bad, near_miss):
    assert "tracking-parameter" in rules(bad)
    assert rules(near_miss) == set()


def test_default_port():
    assert "default-port" in rules("https://www.edpb.europa.eu:443/news/x")
    assert "default-port" in rules("http://example.com:80/x")
    assert rules("https://example.com:8443/x") == set()
    assert rules("https://example.com/443/x") == set()


@pytest.mark.parametrize(
    ("bad", "near_miss"),
    [
        ("https://staging.irishtimes.com/business/x", "https://www.stagecoach.com/x"),
        ("http://stage.consumerelectronicsdaily.com/article/x", "https://backstage.example.com/x"),
        (
            "https://irishtimes-irishtimes-staging.cdn.arcpublishing.com/x",
            "https://www.irishtimes.com/x",
        ),
        ("https://test.daily8.com/en/article/x", "https://www.testbed.org/x"),
        (
            "https://gamestartup.netlify.app/host-http-www.legifrance.gouv.fr/x",
            "https://www.netlify.com.example.org/x",
        ),
        ("https://dpcsearch.fusio.dev/en/node/1", "https://www.dataprotection.ie/en/news"),
        ("https://techwormam.pages.dev/posts/x", "https://www.pages.de/x"),
        ("https://manage.rudaw.net/english/x", "https://www.rudaw.net/english/x"),
        ("https://mail.theportugalnews.com/news/x", "https://www.theportugalnews.com/news/x"),
        ("https://preview.example.com/x", "https://www.previewmagazine.com/x"),
    ],
)
def test_staging_host(bad, near_miss):
    assert "staging-host" in rules(bad)
    assert rules(near_miss) == set()


@pytest.mark.parametrize(
    ("bad", "near_miss"),
    [
        (
            "https://bundestag.api.proxy.bund.dev/dokumente/x",
            "https://www.bundestag.de/dokumente/x",
        ),
        (
            "http://en.npc.gov.cn.cdurl.cn/2023-04/27/c_882140.htm",
            "http://en.npc.gov.cn/2023-04/27/c_1.htm",
        ),
        ("https://feeds.bbci.co.uk/news/technology-53418077", "https://www.bbc.co.uk/news/feeds-x"),
        ("https://example-com.translate.goog/x", "https://translate.example.com/x"),
        (
            "https://rainy.example.com/php-proxy/index.php?q=https%3A%2F%2Fwww.scribd.com%2Fx",
            "https://www.example.com/proxy-voting/index.html",
        ),
    ],
)
def test_proxy_host(bad, near_miss):
    assert "proxy-host" in rules(bad)
    assert rules(near_miss) == set()


@pytest.mark.parametrize(
    ("bad", "near_miss"),
    [
        (
            "https://d1tvxue8o4w0fl.cloudfront.net/federal-register/x",
            "https://www.cloudfront-news.com/x",
        ),
        ("https://bucket.s3.amazonaws.com/doc.pdf", "https://www.amazon.com/x"),
        ("https://storage.googleapis.com/bucket/doc.pdf", "https://www.googleapis-news.com/x"),
        ("https://acct.blob.core.windows.net/c/doc.pdf", "https://www.windows.net.example.org/x"),
    ],
)
def test_storage_host(bad, near_miss):
    assert "storage-host" in rules(bad)
    assert rules(near_miss) == set()


@pytest.mark.parametrize(
    ("bad", "near_miss"),
    [
        ("https://www.einpresswire.com/article/1/x", "https://www.presswire.example.org/x"),
        ("https://publicnow.com/view/36FD", "https://www.public.lu/view/36FD"),
        ("https://scribd.com/document/612883615/x", "https://www.scribe.com/document/1"),
        ("https://docslib.org/doc/243735/x", "https://docs.fcc.gov/public/attachments/x.pdf"),
        ("https://kingfish1935.blogspot.com/2024/10/x.html", "https://blog.commerce.utah.gov/x"),
        (
            "https://miragenews.com/eu-probes-temu-1348263",
            "https://ec.europa.eu/commission/presscorner/x",
        ),
        ("https://www.marketscreener.com/quote/stock/x", "https://www.reuters.com/x"),
        ("https://law.justia.com/cases/federal/x", "https://www.justice.gov/x"),
        ("https://frtracker.app/fr/2025-00592", "https://www.federalregister.gov/d/2025-00592"),
    ],
)
def test_copy_host(bad, near_miss):
    assert "copy-host" in rules(bad)
    assert rules(bad, field="copy_url") == set()  # a copy is what copy_url is for
    assert rules(near_miss) == set()


@pytest.mark.parametrize(
    ("bad", "near_miss"),
    [
        ("https://azfreenews.com/tag/executive-order/", "https://azfreenews.com/2023/01/tagged-x/"),
        (
            "https://governorreeves.ms.gov/author/cj-skelton/page/22",
            "https://example.com/authors-guild-x",
        ),
        ("https://example.com/category/wechat-bans/", "https://example.com/news/category-x"),
        ("https://example.com/search?q=tiktok", "https://example.com/news/2024/x?q=1"),
        ("https://example.com/?s=tiktok", "https://example.com/a/b?s=e6ff1e"),
        ("https://dpcsearch.example.ie/en/node", "https://www.dataprotection.ie/en/node/123"),
    ],
)
def test_listing_page(bad, near_miss):
    assert "listing-page" in rules(bad)
    assert rules(near_miss) == set()


def test_plain_http_is_not_flagged():
    assert rules("http://www.ruralspectrumscanner.com/fcc-x/") == set()


@pytest.mark.parametrize(
    ("url", "official"),
    [
        ("https://www.federalregister.gov/d/2025-00592", True),
        ("https://www.govinfo.gov/content/pkg/x.pdf", True),
        ("https://www.gov.uk/government/news/x", True),
        ("https://eur-lex.europa.eu/eli/reg/2022/2065/oj", True),
        ("https://www.cnil.fr/fr/x", True),
        ("http://www.mofcom.gov.cn/article/x", True),
        ("https://www.pipc.go.kr/np/x", True),
        ("https://portal-cec.consumo.gob.es/x", True),
        ("https://billstatus.ls.state.ms.us/2023/pdf/x", True),
        ("https://abcnews.go.com/x", False),
        ("https://www.governing.com/x", False),
        ("https://law.justia.com/cases/x", False),
        ("https://www.einpresswire.com/article/1/x", False),
        (None, False),
    ],
)
def test_is_official(url, official):
    assert is_official(url) is official


def test_fixture_dataset_lints_clean():
    assert lint_links(validate_dataset(FIXTURE_DATASET, FIXTURE_SEEDS)) == []


def test_real_dataset_has_no_link_findings():
    from tests.test_dataset import DATASET_DIR, SEEDS

    findings = lint_links(validate_dataset(DATASET_DIR, SEEDS if SEEDS.is_dir() else None))
    assert findings == [], "\n".join(str(f) for f in findings)


def test_check_lists_findings_and_fails(tmp_path):
    import shutil

    from policy_ledger.pipeline.check import run_check

    dataset = tmp_path / "dataset"
    shutil.copytree(FIXTURE_DATASET, dataset)
    source = dataset / "records" / "sources" / "news-2020-08-01.yaml"
    text = source.read_text().replace(
        "url: null", "url: https://staging.example.com/x?utm_source=rss"
    )
    source.write_text(text)
    report, code = run_check(dataset, FIXTURE_SEEDS)
    assert code == 1
    assert "link findings: 2" in report
    assert "- news-2020-08-01 url staging-host: https://staging.example.com/x" in report
    assert "- news-2020-08-01 url tracking-parameter: https://staging.example.com/x" in report


def test_copy_fields_go_together(tmp_path):
    import shutil

    dataset = tmp_path / "dataset"
    shutil.copytree(FIXTURE_DATASET, dataset)
    source = dataset / "records" / "sources" / "news-2020-08-01.yaml"
    source.write_text(source.read_text().replace("copy_publisher: Fixture Reprints\n", ""))
    findings = lint_links(validate_dataset(dataset, FIXTURE_SEEDS))
    assert [(f.source, f.field, f.rule) for f in findings] == [
        ("news-2020-08-01", "copy_publisher", "copy-fields")
    ]
