"""Statements, entities, jurisdictions, sources, search, stats, meta,
vocabularies and changes."""

import pytest

from tests.conftest import get_json


def ids(body, key="id"):
    return [item[key] for item in body["items"]]


def test_statement_whole_body(client):
    assert get_json(client, "/v1/statements/spokes-person-2023-03-02-fine-response") == {
        "id": "spokes-person-2023-03-02-fine-response",
        "date": "2023-03-02",
        "date_precision": "day",
        "speaker": {"id": "spokes-person", "name": "Pat Spokes"},
        "on_behalf_of": {"id": "xb-ministry", "name": "Otherland Ministry of Technology"},
        "speaker_kind": "government",
        "jurisdiction": {"code": "XB", "name": "Otherland"},
        "title": "Otherland criticises the AppCo fine",
        "quote": "We oppose this unfair fine.",
        "summary": "The spokesperson criticised the fine.",
        "topics": ["data-protection"],
        "responds_to": [
            {"id": "xa-dpa-2023-03-01-appco-fine", "name": "Fixture DPA fines AppCo EUR 5 million"}
        ],
        "announces": [],
        "sources": [
            {
                "id": "fixture-seed",
                "kind": "seed",
                "title": "Fixture seed article",
                "publisher": None,
                "url": None,
                "published": None,
                "quote": "Pat Spokes said: \u201cWe oppose this unfair fine.\u201d",
            }
        ],
        "first_seen": "2026.02.0",
        "last_changed": "2026.02.0",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "spokes-person-2023-03-03-markup",
                "spokes-person-2023-03-02-fine-response",
                "appco-2020-08-02-ban-response",
                "eu-body-2019-01-02-initiative",
            ],
        ),
        ("speaker=appco", ["appco-2020-08-02-ban-response"]),
        ("on_behalf_of=xb-ministry", ["spokes-person-2023-03-02-fine-response"]),
        (
            "speaker_kind=company,intergovernmental",
            ["appco-2020-08-02-ban-response", "eu-body-2019-01-02-initiative"],
        ),
        ("jurisdiction=EU", ["eu-body-2019-01-02-initiative"]),
        ("responds_to=xb-ministry-2020-08-01-clipapp-ban", ["appco-2020-08-02-ban-response"]),
        ("topic=data-security", ["eu-body-2019-01-02-initiative"]),
        ("date_from=2020-01-01&date_to=2020-12-31", ["appco-2020-08-02-ban-response"]),
        ("q=unfair", ["spokes-person-2023-03-02-fine-response"]),
        (
            "sort=date",
            [
                "eu-body-2019-01-02-initiative",
                "appco-2020-08-02-ban-response",
                "spokes-person-2023-03-02-fine-response",
                "spokes-person-2023-03-03-markup",
            ],
        ),
        (
            "sort=-id",
            [
                "spokes-person-2023-03-03-markup",
                "spokes-person-2023-03-02-fine-response",
                "eu-body-2019-01-02-initiative",
                "appco-2020-08-02-ban-response",
            ],
        ),
    ],
)
def test_statement_filters_and_sorts(client, query, expected):
    assert ids(get_json(client, f"/v1/statements?{query}")) == expected


def test_entity_whole_body_with_counts(client):
    assert get_json(client, "/v1/entities/appco") == {
        "id": "appco",
        "name": "AppCo",
        "kind": "company",
        "jurisdiction": {"code": "XB", "name": "Otherland"},
        "parent": None,
        "aliases": ["AppCo Ltd"],
        "description": "AppCo, a fictional company for tests.",
        "actions_taken": 0,
        "actions_targeted": 5,
        "statements": 1,
        "first_seen": "2026.02.0",
        "last_changed": "2026.02.0",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=app", ["clipapp"]),
        ("parent=appco", ["clipapp"]),
        ("jurisdiction=XA&sort=id", ["xa-court", "xa-dpa", "xa-government"]),
        ("q=FDPA", ["xa-dpa"]),
        ("sort=-actions_targeted&page_size=2", ["appco", "clipapp"]),
        ("sort=-actions_taken&page_size=1", ["xa-dpa"]),
    ],
)
def test_entity_filters_and_sorts(client, query, expected):
    assert ids(get_json(client, f"/v1/entities?{query}")) == expected


def test_entities_default_sort_is_name(client):
    names = [e["name"] for e in get_json(client, "/v1/entities")["items"]]
    assert names == sorted(names)


def test_jurisdictions(client):
    assert get_json(client, "/v1/jurisdictions/US-MT") == {
        "code": "US-MT",
        "name": "Montana",
        "kind": "subdivision",
        "parent": {"code": "US", "name": "United States"},
        "actions": 1,
        "statements": 0,
        "entities": 1,
        "first_seen": "2026.02.0",
        "last_changed": "2026.02.0",
    }
    assert ids(get_json(client, "/v1/jurisdictions"), "code") == ["EU", "US", "US-MT", "XA", "XB"]
    assert ids(get_json(client, "/v1/jurisdictions?kind=subdivision"), "code") == ["US-MT"]
    assert ids(get_json(client, "/v1/jurisdictions?parent=US"), "code") == ["US-MT"]
    assert ids(get_json(client, "/v1/jurisdictions?sort=-actions&page_size=1"), "code") == ["XA"]


def test_sources(client):
    source = get_json(client, "/v1/sources/news-2020-08-01")
    assert source["cited_by"] == [
        {
            "kind": "action",
            "id": "xb-ministry-2020-08-01-clipapp-ban",
            "name": "Otherland bans ClipApp nationwide",
        },
        {
            "kind": "action",
            "id": "xb-ministry-2021-01-15-clipapp-ban-lifted",
            "name": "Otherland lifts the ClipApp ban",
        },
        {
            "kind": "statement",
            "id": "appco-2020-08-02-ban-response",
            "name": "AppCo answers the ClipApp ban",
        },
        {
            "kind": "statement",
            "id": "eu-body-2019-01-02-initiative",
            "name": "EU body presents its initiative",
        },
        {
            "kind": "statement",
            "id": "spokes-person-2023-03-03-markup",
            "name": '<script>window.planted=1</script><b onmouseover="x()">Spokes</b> repeats',
        },
    ]
    assert ids(get_json(client, "/v1/sources?kind=seed")) == ["fixture-seed"]
    assert ids(get_json(client, "/v1/sources?publisher=Fixture%20DPA")) == [
        "xa-dpa-2023-03-01-release"
    ]
    assert ids(get_json(client, "/v1/sources?sort=-published")) == [
        "xa-dpa-2023-03-01-release",
        "news-2020-08-01",
        "fixture-seed",
    ]


def test_search(client):
    body = get_json(client, "/v1/search?q=AppCo")
    kinds = {(hit["kind"], hit["id"]) for hit in body["items"]}
    assert ("entity", "appco") in kinds and ("action", "xa-dpa-2023-03-01-appco-fine") in kinds
    hit = body["items"][0]
    assert set(hit) == {"kind", "id", "title", "snippet", "url"}
    assert "**AppCo**" in " ".join(h["snippet"] + h["title"] for h in body["items"])
    assert hit["url"].startswith("http://localhost/v1/")
    only = get_json(client, "/v1/search?q=AppCo&kind=statement")
    assert {h["kind"] for h in only["items"]} == {"statement"}
    assert only["total"] == len(only["items"]) == 2


def test_search_pages_by_relevance(client):
    full = [h["id"] for h in get_json(client, "/v1/search?q=AppCo&page_size=100")["items"]]
    url, paged = "/v1/search?q=AppCo&page_size=2", []
    while url:
        body = get_json(client, url)
        paged += [h["id"] for h in body["items"]]
        url = body["next"]
    assert paged == full and len(full) > 4


def test_stats_by_year_with_totals(client):
    body = get_json(client, "/v1/stats/actions?group_by=year")
    assert [(g["key"], g["count"]) for g in body["items"]] == [
        ("2019", 1),
        ("2020", 1),
        ("2021", 2),
        ("2022", 1),
        ("2023", 2),
        ("2024", 1),
    ]
    y2023 = body["items"][4]
    assert y2023["amount_eur"] == 5000000.0 and y2023["amount_usd"] == 5342000.0
    assert body["total"] == 6 and body["next"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("group_by=type&type=fine,ban", [("ban", 2), ("fine", 2)]),
        ("group_by=jurisdiction&jurisdiction=XA,XB", [("XA", 4), ("XB", 2)]),
        ("group_by=target", [("appco", 5), ("clipapp", 3)]),
        ("group_by=authority&target=clipapp", [("xb-ministry", 2), ("us-mt-governor", 1)]),
    ],
)
def test_stats_groups_take_action_filters(client, query, expected):
    body = get_json(client, f"/v1/stats/actions?{query}")
    assert [(g["key"], g["count"]) for g in body["items"]] == expected


def test_stats_labels(client):
    body = get_json(client, "/v1/stats/actions?group_by=jurisdiction&jurisdiction=XA")
    assert body["items"][0]["label"] == "Examplia"


def test_meta(client, fixture_db):
    from policy_ledger.api.db import file_sha256

    body = get_json(client, "/v1/meta")
    assert body["version"] == "2026.02.0"
    assert body["sha256"] == file_sha256(fixture_db)
    assert body["counts"] == {
        "action": 8,
        "statement": 4,
        "entity": 9,
        "jurisdiction": 5,
        "source": 3,
    }
    assert body["licence"]["name"] == "CC-BY-4.0"
    assert body["citation"] == "Policy Ledger fixture (dataset version 2026.02.0)."
    assert body["api_version"] == "1.0.0"
    assert body["releases"] == [
        {"version": "2026.01.0", "released": "2026-01-15"},
        {"version": "2026.02.0", "released": None},
    ]


def test_vocabularies(client):
    body = get_json(client, "/v1/vocabularies")
    assert {"action_types", "statuses", "topics", "relations", "entity_kinds"} <= set(body)
    fine = body["action_types"][0]
    assert fine["value"] == "fine" and fine["definition"].startswith("A monetary penalty")


def test_changes_since_a_release(client):
    body = get_json(client, "/v1/changes?since=2026.01.0")
    assert body["since"] == "2026.01.0" and body["version"] == "2026.02.0"
    assert [c["id"] for c in body["changed"]] == ["xa-dpa-2021-06-01-appco-inquiry"]
    assert [c["id"] for c in body["removed"]] == ["removed-fixture-action"]
    added = {(c["kind"], c["id"]) for c in body["added"]}
    assert ("action", "xa-dpa-2023-03-01-appco-fine") in added
    assert ("jurisdiction", "XA") in added
    assert len(added) == 7 + 4 + 9 + 5 + 3
    assert body["changed"][0]["url"] == (
        "http://localhost/v1/actions/xa-dpa-2021-06-01-appco-inquiry"
    )


def test_changes_since_current_is_empty(client):
    body = get_json(client, "/v1/changes?since=2026.02.0")
    assert body["added"] == body["changed"] == body["removed"] == []


def test_first_seen_and_last_changed_follow_releases(client):
    inquiry = get_json(client, "/v1/actions/xa-dpa-2021-06-01-appco-inquiry")
    assert (inquiry["first_seen"], inquiry["last_changed"]) == ("2026.01.0", "2026.02.0")


def test_announcements_link_both_ways(client):
    statement = get_json(client, "/v1/statements/eu-body-2019-01-02-initiative")
    assert statement["announces"] == [
        {
            "id": "eu-body-2019-01-01-data-initiative",
            "name": '=HYPERLINK("http://evil.invalid") EU body launches a data initiative',
        }
    ]
    action = get_json(client, "/v1/actions/eu-body-2019-01-01-data-initiative")
    assert action["announcements"] == [
        {"id": "eu-body-2019-01-02-initiative", "name": "EU body presents its initiative"}
    ]
    body = get_json(client, "/v1/statements?announces=eu-body-2019-01-01-data-initiative")
    assert [s["id"] for s in body["items"]] == ["eu-body-2019-01-02-initiative"]


def test_a_source_read_on_a_copy_says_so_and_is_filterable(client):
    """copy_url and copy_publisher: the field added end to end by issue 14's
    demonstration (record schema, published shape, declaration, table)."""
    body = get_json(client, "/v1/sources?copy_publisher=Fixture%20Reprints")
    assert [s["id"] for s in body["items"]] == ["news-2020-08-01"]
    source = body["items"][0]
    assert source["url"] is None
    assert source["copy_url"] == "https://reprints.invalid/otherland-bans-clipapp"
    assert source["copy_publisher"] == "Fixture Reprints"
    csv = client.get("/v1/sources.csv?copy_publisher=Fixture%20Reprints").get_data(True)
    assert "copy_url" in csv.splitlines()[0] and "Fixture Reprints" in csv
    assert get_json(client, "/v1/sources?copy_publisher=Nobody")["total"] == 0
