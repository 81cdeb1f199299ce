"""Rate limiting per client address, with flask-limiter.

One `Limiter` per app (so a test app with a low limit never shares counters
with another app). Its settings are flask-limiter's own config keys, each
with a default read from the environment, because `policy-ledger serve`
configures the app from the environment:

| config key              | environment variable                     | default            |
|-------------------------|------------------------------------------|--------------------|
| RATELIMIT_DEFAULT       | POLICY_LEDGER_RATE_LIMIT                 | DEFAULT_RATE_LIMIT |
| RATELIMIT_STORAGE_URI   | POLICY_LEDGER_RATE_LIMIT_STORAGE         | memory://          |
| RATELIMIT_ENABLED       | POLICY_LEDGER_RATE_LIMIT_ENABLED (0/1)   | on                 |
| TRUSTED_PROXIES         | POLICY_LEDGER_TRUSTED_PROXIES            | 0                  |

`memory://` counts inside each worker process: with W gunicorn workers and R
replicas a client may get up to W x R times the limit. Give every process
the same counters with `redis://host:6379` (needs the `redis` package:
`pip install 'policy-ledger[redis]'`).

Behind a reverse proxy every request comes from the proxy's address; set
TRUSTED_PROXIES to the number of proxies in front of the app (1 behind our
nginx) and the client address is read from X-Forwarded-For, as werkzeug's
ProxyFix does it: only the entries added by trusted proxies are believed.

Every request counts against the limit, including errors and /docs; nothing
is exempt. A breach answers 429 problem+json with Retry-After.
"""

import math
import os
import time

from flask import Flask, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from api.errors import problem_response

# About 50 requests a second sustained, 100 in any one second: far beyond a
# person, a spreadsheet refreshing every minute or a polite crawler; it stops
# a runaway loop from taking every worker.
DEFAULT_RATE_LIMIT = "100 per second; 3000 per minute"
DEFAULT_STORAGE = "memory://"


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def init_app(app: Flask) -> Limiter:
    config = app.config
    config.setdefault(
        "RATELIMIT_DEFAULT", os.environ.get("POLICY_LEDGER_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    )
    config.setdefault(
        "RATELIMIT_STORAGE_URI",
        os.environ.get("POLICY_LEDGER_RATE_LIMIT_STORAGE", DEFAULT_STORAGE),
    )
    config.setdefault("RATELIMIT_ENABLED", _env_flag("POLICY_LEDGER_RATE_LIMIT_ENABLED", True))
    config.setdefault("TRUSTED_PROXIES", int(os.environ.get("POLICY_LEDGER_TRUSTED_PROXIES", 0)))
    # Sliding-window counters: smooth like a moving window, two counters per
    # client and window in the storage (cheap in memory and in Redis).
    config.setdefault("RATELIMIT_STRATEGY", "sliding-window-counter")
    # No X-RateLimit-* headers: 200s are cached by shared caches (our nginx, a
    # CDN), which would replay one client's counters to every other client.
    # A 429 (never cached: no-store) carries Retry-After.
    config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # The storage is down (Redis restarting): serve, and say so in the log,
    # rather than refuse every request.
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    config.setdefault("RATELIMIT_KEY_PREFIX", "policy-ledger")

    proxies = int(config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    limiter = Limiter(get_remote_address)
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        retry_after = _retry_after(limiter)
        return problem_response(
            429,
            "Too Many Requests",
            f"More than {error.description} from your address ({request.remote_addr}); "
            f"retry after {retry_after} s. Bulk users: the whole dataset is one file "
            "download away (CSV, XLSX or NDJSON of any collection).",
            slug="too-many-requests",
            headers={"Retry-After": str(retry_after)},
        )

    return limiter


def _retry_after(limiter: Limiter) -> int:
    """Seconds until the breached window lets a request through again."""
    current = limiter.current_limit
    if current is None:
        return 1
    return max(1, math.ceil(current.reset_at - time.time()))
