"""Every POLICY_LEDGER_* setting is read in policy_ledger/settings.py and
reaches the app's config; the caller's mapping wins over the environment."""

from policy_ledger.api import create_app
from policy_ledger.settings import SETTINGS, from_environment

SAMPLES = {
    "POLICY_LEDGER_DB": "/tmp/elsewhere.db",
    "POLICY_LEDGER_DOWNLOADS": "/tmp/files",
    "POLICY_LEDGER_QUERY_TIME_LIMIT": "0.5",
    "POLICY_LEDGER_RATE_LIMIT": "5 per minute",
    "POLICY_LEDGER_RATE_LIMIT_STORAGE": "memory://",
    "POLICY_LEDGER_RATE_LIMIT_ENABLED": "off",
    "POLICY_LEDGER_TRUSTED_PROXIES": "1",
}


def test_every_setting_has_a_sample_here():
    assert {setting.env for setting in SETTINGS} == set(SAMPLES)


def test_environment_sets_each_key():
    config = from_environment(SAMPLES)
    assert config == {
        "DATABASE": "/tmp/elsewhere.db",
        "DOWNLOADS_DIR": "/tmp/files",
        "QUERY_TIME_LIMIT": 0.5,
        "RATELIMIT_DEFAULT": "5 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": False,
        "TRUSTED_PROXIES": 1,
    }


def test_defaults_without_environment():
    config = from_environment({})
    assert config["DATABASE"].endswith("/policy-ledger.db")
    assert config["RATELIMIT_ENABLED"] is True and config["QUERY_TIME_LIMIT"] == 2.0


def test_app_reads_environment_and_caller_overrides(fixture_db, monkeypatch):
    monkeypatch.setenv("POLICY_LEDGER_QUERY_TIME_LIMIT", "0.25")
    monkeypatch.setenv("POLICY_LEDGER_DB", "/nowhere.db")
    app = create_app({"DATABASE": str(fixture_db), "TESTING": True})
    assert app.config["QUERY_TIME_LIMIT"] == 0.25
    assert app.config["DATABASE"] == str(fixture_db)
