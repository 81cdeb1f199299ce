"""What the rate limiter costs a request: `python -m scripts.bench_apps.limiter_cost`.

Counts one request against the default limits (api/limits.py) between
stretches of busy work that stand in for the rest of a request (about
1 ms, like a filtered list page), with limits' own MemoryStorage and with
ours (api.limits.ThreadlessMemoryStorage), and prints the microseconds each
adds per request (median of 7 runs). Busy work, not sleep: a request holds
the GIL, which is what makes MemoryStorage's expiry thread costly to start.
"""

import statistics
import time

from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from policy_ledger.api.limits import DEFAULT_RATE_LIMIT, ThreadlessMemoryStorage

REQUEST_SECONDS = 0.001
REQUESTS = 2000


def busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def per_request_us(storage) -> float:
    limits = parse_many(
        DEFAULT_RATE_LIMIT.replace("100 per", "100000000 per").replace("3000 per", "100000000 per")
    )
    strategy = SlidingWindowCounterRateLimiter(storage) if storage else None
    started = time.perf_counter()
    for _ in range(REQUESTS):
        if strategy:
            for limit in limits:
                strategy.hit(limit, "bench", "127.0.0.1")
        busy(REQUEST_SECONDS)
    return (time.perf_counter() - started) / REQUESTS * 1e6


def main() -> None:
    contenders = {
        "no limiter": lambda: None,
        "limits MemoryStorage": MemoryStorage,
        "ThreadlessMemoryStorage": ThreadlessMemoryStorage,
    }
    runs = {name: [] for name in contenders}
    for _ in range(7):  # alternate, so drift on a shared machine hits all alike
        for name, make in contenders.items():
            runs[name].append(per_request_us(make()))
    floor = statistics.median(runs["no limiter"])
    for name, values in runs.items():
        print(f"{name:26} {statistics.median(values) - floor:8.1f} us per request")


if __name__ == "__main__":
    main()
