"""The URL lint of `policy-ledger check`: links a journalist can click (issue 13 s. 2).

Every source's `url` and `copy_url` is checked against the patterns below,
which are the one place the rules live. A host pattern is either a domain
(`scribd.com`: that domain and every subdomain) or a glob over the whole host
(`staging.*`). A parameter pattern is a glob over the parameter's name
(`utm_*`), or `name=value` with a glob over the value (`ref=rss*`). Every
finding is a hard error of `check` (and so of `make test`).

`http://` is not flagged: whether a given host serves https is not knowable
offline, and a guessed `https://` would be an address nobody saw.

OFFICIAL_DOMAINS and is_official (at the end) are what `check` uses to measure how many
primaries sit at an official address."""

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import parse_qsl, urlsplit

from policy_ledger.pipeline.validate import Dataset

# Rule name -> host or parameter patterns.
PATTERNS: dict[str, tuple[str, ...]] = {
    # Campaign, feed, newsletter and click identifiers: they say how a reader
    # arrived, not what the document is, and leak the collector's route.
    "tracking-parameter": (
        "utm_*",
        "itm_*",
        "ea_*",
        "aid",
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oref",
        "ocid",
        "cmpid",
        "smid",
        "smtyp",
        "s_cid",
        "traffic_source",
        "bc",  # Warren Communications' session tag (?BC=bc_...)
        "ref=rss*",
        "ref=feed*",
        "cmp=rss*",
        "channel=rss*",
        "src=rss*",
        "source=rss*",
        "rss=*",
    ),
    "default-port": (":80", ":443"),
    # Staging, test, preview, development and CMS/origin hosts of a site: not
    # the address the publisher gives readers, and often gone or private.
    "staging-host": (
        "staging.*",
        "stage.*",
        "stg.*",
        "test.*",
        "testing.*",
        "preview.*",
        "dev.*",
        "develop.*",
        "uat.*",
        "qa.*",
        "sandbox.*",
        "beta.*",
        "demo.*",
        "origin.*",
        "production.*",
        "manage.*",
        "cms.*",
        "admin.*",
        "newsite.*",
        "mail.*",
        "*.staging.*",
        "*-staging.*",
        "*-staging-*",
        "*-stage.*",
        "*.stage.*",
        "*-dev.*",
        "*.dev.*",
        "*-preview.*",
        "*.preview.*",
        "cdn.arcpublishing.com",
        "fusio.dev",
        "netlify.app",
        "netlify.com",
        "vercel.app",
        "pages.dev",
        "workers.dev",
        "herokuapp.com",
        "dreamhosters.com",
        "github.io",
        "glitch.me",
        "web.app",
        "firebaseapp.com",
        "ngrok.io",
        "ngrok-free.app",
        "localhost",
    ),
    # Proxies, translators, caches and URL rewriters in front of a site.
    "proxy-host": (
        "*.proxy.*",
        "proxy.*",
        "cdurl.cn",
        "translate.goog",
        "webcache.googleusercontent.com",
        "translate.google.com",
        "r.jina.ai",
        "12ft.io",
        "removepaywall.com",
        "feeds.*",
        "feed.*",
        "xml.*",
        "rss.*",
    ),
    # Raw storage buckets and CDN origins: no publisher's name in the address.
    "storage-host": (
        "cloudfront.net",
        "amazonaws.com",
        "storage.googleapis.com",
        "googleusercontent.com",
        "blob.core.windows.net",
        "azureedge.net",
        "digitaloceanspaces.com",
        "r2.dev",
        "r2.cloudflarestorage.com",
        "b-cdn.net",
        "akamaihd.net",
        "wasabisys.com",
        "backblazeb2.com",
        "firebasestorage.app",
    ),
    # Reprint services, document-sharing sites, mirrors, archives, legal and
    # regulatory text aggregators, syndication and content farms: the text of
    # someone else's document or story. In `url` only, since a copy belongs in
    # `copy_url` (with `copy_publisher`), never standing in for the original.
    "copy-host": (
        "einpresswire.com",
        "einnews.com",
        "publicnow.com",
        "miragenews.com",
        "marketscreener.com",
        "zonebourse.com",
        "finanznachrichten.de",
        "menafn.com",
        "tellerreport.com",
        "breakinglatest.news",
        "startupnews.fyi",
        "onenewspage.com",
        "comparemela.com",
        "inkl.com",
        "newsbreak.com",
        "msn.com",
        "news.yahoo.com",
        "finance.yahoo.com",
        "yahoo.com",
        "nasdaq.com",
        "pressreader.com",
        "pogowasright.org",
        "wired-gov.net",
        "parallelparliament.co.uk",
        "scribd.com",
        "docslib.org",
        "pdfslide.net",
        "pdfslide.us",
        "fdocuments.net",
        "fdocuments.in",
        "vdocuments.mx",
        "vdocuments.net",
        "documents.pub",
        "dokumen.pub",
        "dokumen.tips",
        "pdfcoffee.com",
        "yumpu.com",
        "issuu.com",
        "flipbuilder.com",
        "studylib.net",
        "documentcloud.org",
        "justia.com",
        "vlex.com",
        "casetext.com",
        "frtracker.app",
        "thefederalregister.org",
        "usregs.ai",
        "everycrsreport.com",
        "fraser.stlouisfed.org",
        "13533555552.com",
        "doudouxitong.com",
        "hunanyuer.com",
        "laitimes.com",
        "fenq.com",
        "blogspot.com",
        "blogspot.*",
        "blogger.com",
        "pressreader.com",
        "archive.org",
        "archive.ph",
        "archive.today",
        "archive.is",
        "archive.li",
        "archive.md",
        "archive.vn",
        "ghostarchive.org",
        # Federal Register / Wikipedia mirrors seen in the stored pages
        "federalstatelaw.com",
        "elaws.us",
        "ai-analytics.org",
        "wikimili.com",
        "theinfolist.com",
        "explained.today",
    ),
}

# A web proxy in the path (`/php-proxy/index.php?q=https%3A...`, a site
# re-served under `/host-http-www.example.org/`).
PROXY_PATH = re.compile(r"/(?:php-?proxy|cgi-bin/nph-proxy|proxy\.php|host-https?-)", re.I)

# A listing, tag, category, archive or search page standing for a document.
LISTING_SEGMENTS = frozenset(
    {"tag", "tags", "category", "categories", "topic", "topics", "search", "author"}
)
LISTING_PARAMETERS = frozenset({"s", "q", "query", "search", "searchterm", "keyword", "keywords"})
# A path that is nothing but a CMS content root (`/en/node`, `/page/2`).
LISTING_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:node|page/\d+)/?$", re.I)

FIELDS = ("url", "copy_url")
HOST_RULES = ("staging-host", "proxy-host", "storage-host", "copy-host")


@dataclass(frozen=True)
class Finding:
    source: str
    field: str
    url: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.source} {self.field} {self.rule}: {self.url} ({self.detail})"


def host_matches(host: str, pattern: str) -> bool:
    if "*" in pattern:
        return fnmatchcase(host, pattern)
    return host == pattern or host.endswith("." + pattern)


def _param_matches(name: str, value: str, pattern: str) -> bool:
    name_pattern, has_value, value_pattern = pattern.partition("=")
    if not fnmatchcase(name.lower(), name_pattern):
        return False
    return not has_value or fnmatchcase(value.lower(), value_pattern)


def _listing(path: str, query: list[tuple[str, str]]) -> str | None:
    segments = [s.lower() for s in path.split("/") if s]
    for segment in segments:
        if segment in LISTING_SEGMENTS:
            return f"path segment /{segment}/"
    if LISTING_PATH.match(path):
        return f"path {path}"
    # ?s= / ?q= on a site's root or a one-segment path is a search page; on a
    # document's own path it is some other token (left to the other rules).
    for name, _value in query:
        if len(segments) <= 1 and name.lower() in LISTING_PARAMETERS:
            return f"search parameter ?{name}="
    return None


def lint_url(url: str, field: str = "url") -> list[tuple[str, str]]:
    """(rule, detail) for every rule the address breaks; [] for a clean one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    query = parse_qsl(parts.query, keep_blank_values=True)
    out = []
    tracking = [
        f"{name}={value}" if value else name
        for name, value in query
        if any(_param_matches(name, value, p) for p in PATTERNS["tracking-parameter"])
    ]
    if tracking:
        out.append(("tracking-parameter", ", ".join(tracking)))
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and f":{port}" in PATTERNS["default-port"]:
        out.append(("default-port", f":{port}"))
    for rule in HOST_RULES:
        if rule == "copy-host" and field != "url":
            continue
        for pattern in PATTERNS[rule]:
            if host_matches(host, pattern):
                out.append((rule, f"{host} matches {pattern}"))
                break
    if PROXY_PATH.search(parts.path) and not any(r == "proxy-host" for r, _ in out):
        out.append(("proxy-host", "web proxy in the path"))
    listing = _listing(parts.path, query)
    if listing:
        out.append(("listing-page", listing))
    return out


def lint_links(dataset: Dataset) -> list[Finding]:
    """Every finding in every source's `url` and `copy_url`, by source id."""
    findings = []
    for key, source in sorted(dataset.records["source"].items()):
        for field in FIELDS:
            url = source.get(field)
            if url:
                findings += [Finding(key, field, url, r, d) for r, d in lint_url(url, field)]
        # a copy is labelled by both fields: its address and who published it
        if bool(source.get("copy_url")) != bool(source.get("copy_publisher")):
            missing = "copy_publisher" if source.get("copy_url") else "copy_url"
            address = source.get("copy_url") or ""
            findings.append(Finding(key, missing, address, "copy-fields", f"{missing} missing"))
    return findings


# Official addresses (OFFICIAL_DOMAINS): the sites of governments, legislatures, courts and
# regulators, and the official repositories of their texts (gazettes, the
# Federal Register and govinfo, EUR-Lex, legislation sites). A primary whose
# `url` is on one of these is the acting body's own document as published by
# it or by the state; anywhere else it is someone's copy. Government second-
# level domains (.gov, .gov.xx, .gouv.xx, .gob.xx, .go.xx, .govt.xx, .gc.ca)
# cover most; the named domains are official bodies outside those zones.
OFFICIAL_DOMAINS: tuple[str, ...] = (
    "gov",
    "mil",
    "europa.eu",
    "canada.ca",
    "gc.ca",
    "admin.ch",
    "bund.de",
    "bundestag.de",
    "parliament.uk",
    "public.lu",
    "gouv.fr",
    "gv.at",
    # regulators, courts, legislatures and governments under ordinary domains
    "cnil.fr",
    "conseil-etat.fr",
    "legifrance.fr",
    "dataprotection.ie",
    "ccpc.ie",
    "irishstatutebook.ie",
    "courts.ie",
    "gpdp.it",
    "garanteprivacy.it",
    "agcm.it",
    "agcom.it",
    "governo.it",
    "gazzettaufficiale.it",
    "datenschutz-berlin.de",
    "bfdi.bund.de",
    "rijksoverheid.nl",
    "autoriteitpersoonsgegevens.nl",
    "overheid.nl",
    "regjeringen.no",
    "datatilsynet.no",
    "personvernnemnda.no",
    "riigikogu.ee",
    "domstol.se",
    "imy.se",
    "nukib.cz",
    "govcert.cz",
    "ctu.cz",
    "aepd.es",
    "boe.es",
    "cnpd.pt",
    "uodo.gov.pl",
    "edpb.europa.eu",
    "legislation.gov.uk",
    "ico.org.uk",
    "fedcourt.gov.au",
    "oaic.gov.au",
    "priv.gc.ca",
    "congress.gov",
    "senate.gov",
    "house.gov",
    "uscourts.gov",
    "supremecourt.gov",
    "npc.gov.cn",
    "gov.cn",
    "mofcom.gov.cn",
    "cac.gov.cn",
    "pipc.go.kr",
    "ftc.go.kr",
    "kftc.go.kr",
    "digital.go.jp",
    "meity.gov.in",
    "pib.gov.in",
    "egazette.gov.in",
    "pta.gov.pk",
    "parliament.go.ke",
    "riksdagen.se",
    "tweedekamer.nl",
    "assemblee-nationale.fr",
    "senat.fr",
    "bundesregierung.de",
    "kominfo.go.id",
    "komdigi.go.id",
    # US state bodies whose own sites are outside .gov
    "myfloridalegal.com",  # Florida Attorney General
    "kssos.org",  # Kansas Secretary of State (Kansas Register)
    "iowaregents.edu",  # Iowa Board of Regents
)


def is_official(url: str | None) -> bool:
    """True when `url` is at a government, legislature, court or regulator
    address or an official repository of their texts (OFFICIAL_DOMAINS and
    the government zones .gov.xx, .gouv.xx, .gob.xx, .go.xx, .govt.xx)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if any(host_matches(host, d) for d in OFFICIAL_DOMAINS):
        return True
    # government zones under a country code: .gov.uk, .gouv.fr, .gob.mx, .go.kr
    if len(labels) >= 2 and len(labels[-1]) == 2:
        if labels[-2] in {"gov", "gouv", "gob", "go", "govt", "gv", "gub", "government"}:
            return True
        if labels[-1] == "us" and "state" in labels[:-1]:
            return True  # billstatus.ls.state.ms.us
    return False
