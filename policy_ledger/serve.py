"""`policy-ledger serve`: gunicorn in front of the app (or Flask's
development server with --dev).

Settings, and why:
- sync workers, 2 x cores + 1 by default: every request is a short,
  CPU-bound SQLite read; processes use both cores without the GIL in the way.
- preload_app: the app and the dataset's metadata (including the file's
  sha256, used for ETags) are prepared once in the master, then forked.
- limit_request_line 8190 (gunicorn's maximum): the app refuses request
  targets past api.params.MAX_URL_LENGTH (4096) itself, as a 414
  problem+json naming the longest parameter; gunicorn's own (plain HTML) 414
  only answers lines the app could never have accepted anyway. Header count
  and size are capped the same way (431 from gunicorn).
- timeout 120 s: a sync worker is not heartbeating while it streams, so the
  timeout bounds the longest legitimate request, a whole-dataset file export
  (an XLSX of a million rows is the slowest: see docs/performance.md);
  queries themselves are limited to QUERY_TIME_LIMIT.
"""

import multiprocessing
from pathlib import Path

GUNICORN_DEFAULTS = {
    "worker_class": "sync",
    "preload_app": True,
    "timeout": 120,
    "graceful_timeout": 10,
    "keepalive": 5,
    "limit_request_line": 8190,
    "limit_request_fields": 50,
    "limit_request_field_size": 8190,
    "accesslog": "-",
    "errorlog": "-",
}


def default_workers() -> int:
    return multiprocessing.cpu_count() * 2 + 1


def make_app(db: Path):
    from policy_ledger.api import create_app
    from policy_ledger.api import db as database
    from policy_ledger.pipeline.tables import SCHEMA_VERSION

    if not db.is_file():
        raise SystemExit(f"no database at {db}: run `policy-ledger build --db {db}` first")
    app = create_app({"DATABASE": str(db.resolve())})
    with app.app_context():
        meta = database.metadata()  # read once in the master, inherited by every worker
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise SystemExit(
                f"{db} was built by another version of policy-ledger (schema "
                f"{meta.get('schema_version', 'unknown')}, this one reads {SCHEMA_VERSION}): "
                f"rebuild it with `policy-ledger build --db {db}`"
            )
        database.close_thread_connections()  # never share a connection across fork
    return app


def wsgi():
    """The app for a plain `gunicorn` command (deploy/gunicorn.conf.py):
    `gunicorn -c deploy/gunicorn.conf.py 'policy_ledger.serve:wsgi()'`, the database
    named by POLICY_LEDGER_DB."""
    from policy_ledger.settings import from_environment

    return make_app(Path(from_environment()["DATABASE"]))


def serve(
    db: Path, host: str, port: int, workers: int | None, dev: bool, access_log: bool = True
) -> int:
    app = make_app(db)
    if dev:
        app.run(host=host, port=port, debug=False)
        return 0
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            settings = {
                **GUNICORN_DEFAULTS,
                "bind": f"{host}:{port}",
                "workers": workers or default_workers(),
                "accesslog": "-" if access_log else None,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    print(f"Policy Ledger on http://{host}:{port}/ (docs at /docs, API at /v1/)", flush=True)
    Server().run()
    return 0
