"""/v1/actions: whole bodies, every filter and sort, fields, keyset paging."""

from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import get_json

FINE_ID = "xa-dpa-2023-03-01-appco-fine"

EXPECTED_FINE = {
    "id": FINE_ID,
    "type": "fine",
    "title": "Fixture DPA fines AppCo EUR 5 million",
    "summary": "The Fixture DPA fined AppCo for unlawful transfers.",
    "date": "2023-03-01",
    "date_precision": "day",
    "effective_date": None,
    "end_date": None,
    "status": "in_force",
    "jurisdiction": {"code": "XA", "name": "Examplia"},
    "authority": {"id": "xa-dpa", "name": "Fixture DPA"},
    "targets": [{"id": "appco", "name": "AppCo"}],
    "scope": None,
    # ECB reference rate of 1 March 2023: 1 EUR = 1.0684 USD.
    "amount": {
        "value": 5000000.0,
        "currency": "EUR",
        "eur": 5000000.0,
        "usd": 5342000.0,
        "fx_date": "2023-03-01",
    },
    "legal_basis": ["GDPR Art. 46(1)"],
    "topics": ["data-transfers", "data-protection"],
    "related": [
        {
            "relation": "follows",
            "id": "xa-dpa-2021-06-01-appco-inquiry",
            "title": "Fixture DPA opens an inquiry into AppCo",
        }
    ],
    "referenced_by": [
        {
            "relation": "upholds",
            "id": "xa-court-2023-09-01-appco-appeal-ruling",
            "title": "Examplia High Court upholds the AppCo fine",
        }
    ],
    "responses": [
        {
            "id": "spokes-person-2023-03-02-fine-response",
            "name": "Otherland criticises the AppCo fine",
        }
    ],
    "announcements": [],
    "sources": [
        {
            "id": "xa-dpa-2023-03-01-release",
            "kind": "primary",
            "title": "FDPA fines AppCo",
            "publisher": "Fixture DPA",
            "url": "https://fixture.invalid/releases/appco-fine",
            "published": "2023-03-01",
            "quote": "AppCo is fined.",
        },
        {
            "id": "fixture-seed",
            "kind": "seed",
            "title": "Fixture seed article",
            "publisher": None,
            "url": None,
            "published": None,
            "quote": "The regulator fined AppCo five million euros.",
        },
    ],
    "first_seen": "2026.02.0",
    "last_changed": "2026.02.0",
}

ALL_IDS_NEWEST_FIRST = [
    "xa-dpa-2024-01-10-appco-gbp-fine",
    "xa-court-2023-09-01-appco-appeal-ruling",
    FINE_ID,
    "us-mt-governor-2022-12-01-clipapp-device-ban",
    "xa-dpa-2021-06-01-appco-inquiry",
    "xb-ministry-2021-01-15-clipapp-ban-lifted",
    "xb-ministry-2020-08-01-clipapp-ban",
    "eu-body-2019-01-01-data-initiative",
]


def ids(body):
    return [item["id"] for item in body["items"]]


def test_item_whole_body(client):
    assert get_json(client, f"/v1/actions/{FINE_ID}") == EXPECTED_FINE


def test_list_whole_first_item_and_envelope(client):
    body = get_json(client, "/v1/actions?type=fine&currency=EUR")
    assert body == {"items": [EXPECTED_FINE], "total": 1, "next": None}


def test_default_sort_is_newest_first(client):
    assert ids(get_json(client, "/v1/actions")) == ALL_IDS_NEWEST_FIRST


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=fine", {FINE_ID, "xa-dpa-2024-01-10-appco-gbp-fine"}),
        (
            "type=fine,ban",
            {
                FINE_ID,
                "xa-dpa-2024-01-10-appco-gbp-fine",
                "xb-ministry-2020-08-01-clipapp-ban",
                "us-mt-governor-2022-12-01-clipapp-device-ban",
            },
        ),
        (
            "type=fine&type=court_ruling",
            {
                FINE_ID,
                "xa-dpa-2024-01-10-appco-gbp-fine",
                "xa-court-2023-09-01-appco-appeal-ruling",
            },
        ),
        (
            "jurisdiction=XB",
            {"xb-ministry-2020-08-01-clipapp-ban", "xb-ministry-2021-01-15-clipapp-ban-lifted"},
        ),
        ("jurisdiction=US-MT", {"us-mt-governor-2022-12-01-clipapp-device-ban"}),
        ("jurisdiction=US", set()),
        ("authority=xa-court", {"xa-court-2023-09-01-appco-appeal-ruling"}),
        (
            "target=clipapp",
            {
                "xb-ministry-2020-08-01-clipapp-ban",
                "xb-ministry-2021-01-15-clipapp-ban-lifted",
                "us-mt-governor-2022-12-01-clipapp-device-ban",
            },
        ),
        ("target=clipapp&type=ban&jurisdiction=XB", {"xb-ministry-2020-08-01-clipapp-ban"}),
        ("topic=data-transfers", {FINE_ID}),
        (
            "topic=government-devices,data-security",
            {"us-mt-governor-2022-12-01-clipapp-device-ban", "eu-body-2019-01-01-data-initiative"},
        ),
        ("status=lifted", {"xb-ministry-2020-08-01-clipapp-ban"}),
        ("status=concluded&type=investigation", {"xa-dpa-2021-06-01-appco-inquiry"}),
        (
            "date_from=2023-03-01&date_to=2023-09-01",
            {FINE_ID, "xa-court-2023-09-01-appco-appeal-ruling"},
        ),
        ("date_to=2019-12-31", {"eu-body-2019-01-01-data-initiative"}),
        ("amount_eur_min=4000000", {FINE_ID}),
        ("amount_eur_max=2000000", {"xa-dpa-2024-01-10-appco-gbp-fine"}),
        (
            "amount_eur_min=1&amount_eur_max=100000000",
            {FINE_ID, "xa-dpa-2024-01-10-appco-gbp-fine"},
        ),
        ("currency=GBP", {"xa-dpa-2024-01-10-appco-gbp-fine"}),
        ("q=inquiry", {"xa-dpa-2021-06-01-appco-inquiry"}),
        # Stemmed: "fines" finds "fine" in the ruling's title too.
        (
            "q=fines",
            {
                FINE_ID,
                "xa-dpa-2024-01-10-appco-gbp-fine",
                "xa-court-2023-09-01-appco-appeal-ruling",
            },
        ),
        (
            "q=clip*",
            {
                "xb-ministry-2020-08-01-clipapp-ban",
                "xb-ministry-2021-01-15-clipapp-ban-lifted",
                "us-mt-governor-2022-12-01-clipapp-device-ban",
            },
        ),
        ("q=AppCo GBP", {"xa-dpa-2024-01-10-appco-gbp-fine"}),
    ],
)
def test_filters(client, query, expected):
    body = get_json(client, f"/v1/actions?{query}")
    assert set(ids(body)) == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-date", ALL_IDS_NEWEST_FIRST),
        ("date", list(reversed(ALL_IDS_NEWEST_FIRST))),
        ("id", sorted(ALL_IDS_NEWEST_FIRST)),
        ("-id", sorted(ALL_IDS_NEWEST_FIRST, reverse=True)),
        # Amounts: largest first, actions without one last (then by id).
        (
            "-amount_eur",
            [
                FINE_ID,
                "xa-dpa-2024-01-10-appco-gbp-fine",
                *sorted(
                    set(ALL_IDS_NEWEST_FIRST) - {FINE_ID, "xa-dpa-2024-01-10-appco-gbp-fine"},
                    reverse=True,
                ),
            ],
        ),
        (
            # Ascending, actions without an amount come first (the lowest value).
            "amount_eur",
            [
                *sorted(set(ALL_IDS_NEWEST_FIRST) - {FINE_ID, "xa-dpa-2024-01-10-appco-gbp-fine"}),
                "xa-dpa-2024-01-10-appco-gbp-fine",
                FINE_ID,
            ],
        ),
    ],
)
def test_sorts(client, sort, expected):
    assert ids(get_json(client, f"/v1/actions?sort={sort}")) == expected


def test_sort_by_title(client):
    titles = [i["title"] for i in get_json(client, "/v1/actions?sort=title")["items"]]
    assert titles == sorted(titles)


def test_fields_keeps_only_named_fields(client):
    body = get_json(client, "/v1/actions?fields=id,amount&type=fine&sort=date")
    assert body["items"] == [
        {"id": FINE_ID, "amount": EXPECTED_FINE["amount"]},
        {"id": "xa-dpa-2024-01-10-appco-gbp-fine", "amount": body["items"][1]["amount"]},
    ]
    assert body["items"][1]["amount"]["currency"] == "GBP"
    item = get_json(client, f"/v1/actions/{FINE_ID}?fields=title")
    assert item == {"title": EXPECTED_FINE["title"]}


def test_next_link_in_body_and_header(client):
    response = client.get("/v1/actions?page_size=3&type=fine,ban,restriction,court_ruling")
    body = response.get_json()
    assert body["total"] == 6 and len(body["items"]) == 3
    assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
    query = parse_qs(urlparse(body["next"]).query)
    assert query["type"] == ["fine,ban,restriction,court_ruling"]
    assert query["page_size"] == ["3"]
    last = client.get(body["next"]).get_json()
    assert last["next"] is None and len(last["items"]) == 3


def test_next_link_keeps_the_query_as_sent_and_replaces_any_cursor(client):
    # The client's own escaping and order survive; a cursor, however its
    # name is escaped, is replaced rather than repeated (a repeat is a 400).
    body = get_json(client, "/v1/actions?type=fine%2Cban&page_size=1&sort=-date")
    assert body["next"].startswith(
        "http://localhost/v1/actions?type=fine%2Cban&page_size=1&sort=-date&cursor="
    )
    cursor = parse_qs(urlparse(body["next"]).query)["cursor"][0]
    again = get_json(
        client, f"/v1/actions?%63ursor={cursor}&type=fine%2Cban&page_size=1&sort=-date"
    )
    assert again["next"].count("cursor=") == 1
    assert again["next"].startswith("http://localhost/v1/actions?type=fine%2Cban&page_size=1")


def walk(client, url):
    seen = []
    while url:
        body = get_json(client, url)
        seen += ids(body)
        url = body["next"]
    return seen


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page_size=st.integers(min_value=1, max_value=9),
    sort=st.sampled_from(
        [
            "date",
            "-date",
            "id",
            "-id",
            "title",
            "-title",
            "amount_eur",
            "-amount_eur",
            "last_changed",
        ]
    ),
    query=st.sampled_from(
        ["", "&type=fine,ban", "&target=appco", "&date_from=2021-01-01", "&q=AppCo"]
    ),
)
def test_paging_yields_exactly_the_unpaged_sequence(client, page_size, sort, query):
    unpaged = ids(get_json(client, f"/v1/actions?page_size=500&sort={sort}{query}"))
    assert walk(client, f"/v1/actions?page_size={page_size}&sort={sort}{query}") == unpaged
