"""Serve scripts/bench_apps/hello.py with exactly Policy Ledger's gunicorn settings."""

import sys

from gunicorn.app.base import BaseApplication

from policy_ledger.serve import GUNICORN_DEFAULTS
from scripts.bench_apps.hello import app


class Hello(BaseApplication):
    def load_config(self):
        settings = {
            **GUNICORN_DEFAULTS,
            "bind": f"127.0.0.1:{sys.argv[1]}",
            "workers": int(sys.argv[2]),
            "accesslog": None,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        return app


if __name__ == "__main__":
    Hello().run()
