"""Every setting of the server, in one table, read from the environment in
one place. `create_app` starts from `from_environment()` and lets the
caller's mapping (tests, `policy-ledger serve --db`) override it; no other
module reads `os.environ` for the app. The README's Settings table is checked
against SETTINGS by tests/test_readme.py."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def _flag(text: str) -> bool:
    return text.strip().lower() not in ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Setting:
    key: str  # the Flask config key the code reads
    env: str  # the environment variable that sets it
    default: object
    parse: Callable[[str], object]
    meaning: str


SETTINGS = (
    Setting(
        "DATABASE",
        "POLICY_LEDGER_DB",
        "policy-ledger.db",
        lambda text: str(Path(text).resolve()),
        "the SQLite file built by `policy-ledger build`",
    ),
    Setting(
        "DOWNLOADS_DIR",
        "POLICY_LEDGER_DOWNLOADS",
        None,
        str,
        "folder of the bulk downloads (default: downloads/ beside the database)",
    ),
    Setting(
        "QUERY_TIME_LIMIT",
        "POLICY_LEDGER_QUERY_TIME_LIMIT",
        2.0,
        float,
        "seconds one query may run before it is stopped with a 400",
    ),
    Setting(
        "RATELIMIT_DEFAULT",
        "POLICY_LEDGER_RATE_LIMIT",
        "100 per second; 3000 per minute",
        str,
        "requests allowed per client address (the `limits` library's notation)",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "POLICY_LEDGER_RATE_LIMIT_STORAGE",
        "memory://",
        str,
        "where the rate counters live: `memory://` per process, `redis://…` shared",
    ),
    Setting(
        "RATELIMIT_ENABLED",
        "POLICY_LEDGER_RATE_LIMIT_ENABLED",
        True,
        _flag,
        "`0` turns rate limiting off",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "POLICY_LEDGER_TRUSTED_PROXIES",
        0,
        int,
        "how many proxies in front may set X-Forwarded-For/-Proto/-Host",
    ),
)


def from_environment(environ: dict[str, str] | None = None) -> dict[str, object]:
    """Each setting's value: from its environment variable where set, else
    its default (the database path made absolute)."""
    environ = os.environ if environ is None else environ
    config = {}
    for setting in SETTINGS:
        text = environ.get(setting.env)
        if text is not None:
            config[setting.key] = setting.parse(text)
        elif setting.key == "DATABASE":
            config[setting.key] = setting.parse(setting.default)
        else:
            config[setting.key] = setting.default
    return config
