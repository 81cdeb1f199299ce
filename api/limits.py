"""Rate limiting per client address, with the `limits` library.

`limits` (the library flask-limiter is built on) parses the limits, keeps
the counters (in memory, or in Redis shared by every process) and implements
the sliding-window strategy. We call it from one `before_request` hook
instead of going through flask-limiter: this API has one app-wide limit and
no per-route rules, and flask-limiter's per-request resolution of decorated,
exempt and per-blueprint limits cost about 0.25 ms a request, a quarter of a
whole filtered list page (docs/performance.md); `limits` itself costs
about 0.05 ms (`python -m scripts.bench_apps.limiter_cost`).

Its settings (RATELIMIT_DEFAULT, RATELIMIT_STORAGE_URI, RATELIMIT_ENABLED,
TRUSTED_PROXIES) are read with every other one in policy_ledger/settings.py.

`memory://` counts inside each worker process: with W gunicorn workers and R
replicas a client may get up to W x R times the limit. Give every process
the same counters with `redis://host:6379` (needs the `redis` package:
`pip install 'policy-ledger[redis]'`).

Behind a reverse proxy every request comes from the proxy's address; set
TRUSTED_PROXIES to the number of proxies in front of the app (1 behind our
nginx) and the client address is read from X-Forwarded-For, as werkzeug's
ProxyFix does it: only the entries added by trusted proxies are believed.

Every request counts against the limit, including errors, preflights, 304s
and /docs; nothing is exempt. A breach answers 429 problem+json with
Retry-After. No X-RateLimit-* headers: 200s are cached by shared caches (our
nginx, a CDN), which would replay one client's counters to every other client.
"""

import logging
import math
import time

from flask import Flask, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from policy_ledger.api.errors import problem_response
from policy_ledger.settings import SETTINGS

log = logging.getLogger(__name__)

# About 50 requests a second sustained, 100 in any one second: far beyond a
# person, a spreadsheet refreshing every minute or a polite crawler; it stops
# a runaway loop from taking every worker.
DEFAULT_RATE_LIMIT = next(s.default for s in SETTINGS if s.key == "RATELIMIT_DEFAULT")
KEY_PREFIX = "policy-ledger"


class ThreadlessMemoryStorage(MemoryStorage):
    """`memory://` without its expiry thread.

    limits' MemoryStorage starts a `threading.Timer` on a counter update
    whenever the previous one has finished (10 ms), to drop expired counters.
    Under steady traffic that is a new thread every few requests, and
    starting one waits for it to take the GIL: it doubled the limiter's cost
    (`python -m scripts.bench_apps.limiter_cost`: about 80 us a request with
    MemoryStorage, 50 us with this one). Counters are read lazily anyway
    (`get` ignores an expired one), so the sweep only bounds memory: here it
    runs inline, at most once every SWEEP_SECONDS.
    """

    SWEEP_SECONDS = 10.0

    def __init__(self, uri: str | None = None, **options):
        super().__init__(uri, **options)
        self.timer.cancel()
        self.next_sweep = time.monotonic() + self.SWEEP_SECONDS

    # The name MemoryStorage calls on every counter update (name-mangled).
    def _MemoryStorage__schedule_expiry(self) -> None:
        if time.monotonic() >= self.next_sweep:
            self.next_sweep = time.monotonic() + self.SWEEP_SECONDS
            self.sweep()

    def sweep(self) -> None:
        self._MemoryStorage__expire_events()


def make_storage(uri: str) -> Storage:
    if uri.startswith("memory://"):
        return ThreadlessMemoryStorage(uri)
    return storage_from_string(uri)


class RateLimiter:
    """One app's limits, counters and strategy. One per app, so a test app
    with a low limit never shares counters with another app."""

    def __init__(self, limits: str, storage_uri: str):
        self.limits: list[RateLimitItem] = parse_many(limits)
        self.storage: Storage = make_storage(storage_uri)
        # Sliding-window counters: smooth like a moving window, two counters
        # per client and window in the storage (cheap in memory and in Redis).
        self.strategy = SlidingWindowCounterRateLimiter(self.storage)

    def breached(self, client: str) -> RateLimitItem | None:
        """Count one request from `client`; the first limit it breaches, if any."""
        for limit in self.limits:
            if not self.strategy.hit(limit, KEY_PREFIX, client):
                return limit
        return None

    def retry_after(self, limit: RateLimitItem, client: str) -> int:
        """Whole seconds until `limit` lets `client` through again."""
        reset_at = self.strategy.get_window_stats(limit, KEY_PREFIX, client).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def init_app(app: Flask) -> RateLimiter | None:
    config = app.config  # the settings (policy_ledger/settings.py), as create_app set them

    proxies = int(config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    if not config["RATELIMIT_ENABLED"]:
        return None
    limiter = RateLimiter(config["RATELIMIT_DEFAULT"], config["RATELIMIT_STORAGE_URI"])
    app.extensions["rate_limiter"] = limiter

    @app.before_request
    def count_the_request():
        client = request.remote_addr or "unknown"
        try:
            limit = limiter.breached(client)
            if limit is None:
                return None
            retry_after = limiter.retry_after(limit, client)
        except Exception:  # the storage is down (Redis restarting): serve, and say so
            log.exception("rate limit storage unavailable; serving without a rate limit")
            return None
        return problem_response(
            429,
            "Too Many Requests",
            f"More than {limit} from your address ({client}); retry after {retry_after} s. "
            "Bulk users: the whole dataset is one file download away (CSV, XLSX or NDJSON "
            "of any collection).",
            slug="too-many-requests",
            headers={"Retry-After": str(retry_after)},
        )

    return limiter
