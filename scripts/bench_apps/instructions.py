"""Instructions per request, counted by valgrind's callgrind: a figure that
repeats to within a few hundred instructions whatever else the machine is
doing, where wall-clock times on a shared machine move by 10-20%.

    python -m scripts.bench_apps.instructions [--db PATH] [--requests N] [--hello] [URL]

Serves URL (default: the benchmark's filtered list) in-process through the
whole WSGI stack (our middleware, Flask, the view, the body read to its
end), N times after a warm-up, under callgrind, and prints the instructions
per request. `--hello` counts the hello-world app's /hello instead (the
framework's floor in scripts/bench). Needs valgrind (Debian: valgrind).

Counting starts at a marker call (os.getppid, which callgrind's
--zero-before catches) after the app is made and warmed up, and the process
ends with os._exit right after the last request, so start-up and shutdown
are not counted. The dataset file's SHA-256 (for ETags) is not computed:
under valgrind, hashing a 10 GB benchmark database takes minutes.
"""

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FILTERED_LIST = "/v1/actions?type=fine&jurisdiction=US&sort=date&page_size=50"
WARM_UP = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default=FILTERED_LIST)
    parser.add_argument("--db", type=Path, default=ROOT / ".bench" / "synth-1000000.db")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--hello", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--zero-before=getppid",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                "-m",
                "scripts.bench_apps.instructions",
                "--serve",
                *sys.argv[1:],
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stderr
    total = int(re.search(r"I\s+refs:\s+([\d,]+)", out).group(1).replace(",", ""))
    what = "/hello (hello-world)" if args.hello else args.url
    print(f"{total // args.requests:,} instructions per request: {what}, {args.requests} requests")
    return 0


def serve(args) -> None:
    from werkzeug.test import EnvironBuilder

    if args.hello:
        from scripts.bench_apps.hello import app

        url = "/hello"
    else:
        import policy_ledger.api.db as database
        from policy_ledger.serve import make_app

        # Every request comes from one address, faster than the default limit
        # allows: raise it, as scripts/bench does. The limiter stays on and
        # its cost is counted.
        os.environ["POLICY_LEDGER_RATE_LIMIT"] = "1000000 per second; 60000000 per minute"
        database.file_sha256 = lambda path: "0" * 64
        app = make_app(args.db)
        url = args.url
    path, _, query = url.partition("?")
    environ = EnvironBuilder(path=path, query_string=query, base_url="http://127.0.0.1:8000")
    base = environ.get_environ()
    base["REMOTE_ADDR"] = "127.0.0.1"
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def one_request():
        env = dict(base, **{"wsgi.input": io.BytesIO(b"")})
        body = app(env, start_response)
        for _ in body:
            pass
        if hasattr(body, "close"):
            body.close()

    for _ in range(WARM_UP):
        one_request()
    if not statuses[-1].startswith("200"):
        raise SystemExit(f"{url} answered {statuses[-1]}")
    os.getppid()  # the marker: callgrind counts from here
    for _ in range(args.requests):
        one_request()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
