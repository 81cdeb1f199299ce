"""Rate limiting (api/limits.py): per client address, configurable, a 429
problem+json with Retry-After, nothing exempt, storage pluggable.

Each test makes its own app with a low limit, so no counter is shared."""

import logging

import pytest
from limits.storage import MemoryStorage, RedisStorage

from policy_ledger.api import create_app
from policy_ledger.api.limits import DEFAULT_RATE_LIMIT, RateLimiter, ThreadlessMemoryStorage

LOW = "3 per minute"


def limited_app(fixture_db, **config):
    return create_app(
        {"DATABASE": str(fixture_db), "TESTING": True, "RATELIMIT_DEFAULT": LOW, **config}
    )


def limiter_of(app) -> RateLimiter:
    return app.extensions["rate_limiter"]


def test_past_the_limit_answers_429_problem_with_retry_after(fixture_db):
    client = limited_app(fixture_db).test_client()
    for _ in range(3):
        assert client.get("/v1/actions?page_size=1").status_code == 200
    refused = client.get("/v1/actions?page_size=1")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["Cache-Control"] == "no-store"
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    body = refused.get_json()
    assert body["type"] == "https://policy-ledger.org/problems/too-many-requests"
    assert body["status"] == 429 and body["instance"] == "/v1/actions"
    assert "3 per 1 minute" in body["detail"] and f"retry after {retry_after} s" in body["detail"]
    # Counters are not sent on cacheable answers (a shared cache would replay them).
    ok = limited_app(fixture_db).test_client().get("/v1/meta")
    assert not [
        h for h in ok.headers.keys() if h.lower().startswith(("x-ratelimit", "retry-after"))
    ]


def test_limit_is_per_client_address(fixture_db):
    client = limited_app(fixture_db).test_client()
    first = {"REMOTE_ADDR": "192.0.2.1"}
    second = {"REMOTE_ADDR": "192.0.2.2"}
    for _ in range(3):
        assert client.get("/v1/meta", environ_base=first).status_code == 200
    assert client.get("/v1/meta", environ_base=first).status_code == 429
    assert client.get("/v1/meta", environ_base=second).status_code == 200


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(fixture_db):
    # Without a trusted proxy, a client cannot dodge the limit by inventing addresses.
    client = limited_app(fixture_db).test_client()
    for n in range(3):
        headers = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert client.get("/v1/meta", headers=headers).status_code == 200
    assert client.get("/v1/meta", headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(fixture_db):
    client = limited_app(fixture_db, TRUSTED_PROXIES=1).test_client()
    # The proxy appends the address it saw; only that last entry is believed.
    crowded = {"X-Forwarded-For": "203.0.113.50, 198.51.100.7"}
    for _ in range(3):
        assert client.get("/v1/meta", headers=crowded).status_code == 200
    assert client.get("/v1/meta", headers=crowded).status_code == 429
    spoofed = {"X-Forwarded-For": "198.51.100.7, 198.51.100.8"}
    assert client.get("/v1/meta", headers=spoofed).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/v1/meta",
        "/v1/actions?nope=1",  # errors count too
        "/v1/actions/no-such-id",
        "/docs",
        "/",
        "/v1/openapi.json",
    ],
)
def test_nothing_is_exempt(fixture_db, url):
    client = limited_app(fixture_db).test_client()
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses[-1] == 429 and 429 not in statuses[:3], statuses


def test_conditional_requests_and_preflights_count_too(fixture_db):
    client = limited_app(fixture_db).test_client()
    etag = client.get("/v1/meta").headers["ETag"]
    assert client.get("/v1/meta", headers={"If-None-Match": etag}).status_code == 304
    preflight = {"Origin": "https://news.example", "Access-Control-Request-Method": "GET"}
    assert client.options("/v1/meta", headers=preflight).status_code == 200
    assert client.get("/v1/meta", headers={"If-None-Match": etag}).status_code == 429


def test_generous_default_and_memory_storage(fixture_db, monkeypatch):
    for name in (
        "POLICY_LEDGER_RATE_LIMIT",
        "POLICY_LEDGER_RATE_LIMIT_STORAGE",
        "POLICY_LEDGER_RATE_LIMIT_ENABLED",
    ):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"DATABASE": str(fixture_db), "TESTING": True})
    assert app.config["RATELIMIT_ENABLED"] is True
    assert app.config["RATELIMIT_DEFAULT"] == DEFAULT_RATE_LIMIT
    assert isinstance(limiter_of(app).storage, MemoryStorage)
    client = app.test_client()
    # Fifty requests in a burst, like a spreadsheet refreshing many ranges, all pass.
    assert {client.get("/v1/meta").status_code for _ in range(50)} == {200}


def test_configured_from_the_environment(fixture_db, monkeypatch):
    monkeypatch.setenv("POLICY_LEDGER_RATE_LIMIT", "2 per hour")
    app = create_app({"DATABASE": str(fixture_db), "TESTING": True})
    client = app.test_client()
    assert [client.get("/v1/meta").status_code for _ in range(3)] == [200, 200, 429]
    monkeypatch.setenv("POLICY_LEDGER_RATE_LIMIT_ENABLED", "0")
    off = create_app({"DATABASE": str(fixture_db), "TESTING": True}).test_client()
    assert {off.get("/v1/meta").status_code for _ in range(5)} == {200}


def test_redis_storage_is_pluggable_and_an_outage_does_not_stop_serving(fixture_db, caplog):
    # Port 1 on loopback: nothing listens, as when Redis is restarting.
    app = limited_app(fixture_db, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    assert isinstance(limiter_of(app).storage, RedisStorage)
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        statuses = [client.get("/v1/meta").status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert any("rate limit" in r.getMessage().lower() for r in caplog.records), caplog.text


def test_memory_counters_start_no_thread_per_request(fixture_db, monkeypatch):
    # limits' MemoryStorage starts a Timer thread on counter updates, and
    # starting one waits for the GIL; ours sweeps inline instead.
    import threading

    app = create_app(
        {"DATABASE": str(fixture_db), "TESTING": True, "RATELIMIT_DEFAULT": "1000 per minute"}
    )
    assert isinstance(limiter_of(app).storage, ThreadlessMemoryStorage)
    client = app.test_client()
    client.get("/v1/meta")
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    statuses = {client.get("/v1/meta").status_code for _ in range(30)}
    assert statuses == {200} and started == []


def test_the_inline_sweep_drops_expired_counters():
    import time

    storage = ThreadlessMemoryStorage("memory://")
    storage.incr("policy-ledger/old", expiry=0.01)
    time.sleep(0.02)
    storage.next_sweep = 0  # due now
    storage.incr("policy-ledger/new", expiry=60)
    assert "policy-ledger/old" not in storage.storage
    assert storage.get("policy-ledger/new") == 1
