"""gunicorn settings for one Policy Ledger replica, for a plain `gunicorn`
command (the Dockerfile's, scripts/scale-out-check's):

    POLICY_LEDGER_DB=/srv/policy-ledger/current/policy-ledger.db \\
        gunicorn -c deploy/gunicorn.conf.py 'policy_ledger.serve:wsgi()'

The defaults are the ones `policy-ledger serve` uses (policy_ledger/serve.py,
GUNICORN_DEFAULTS, where each is explained), so the two cannot drift; only
what differs per machine comes from the environment:

    POLICY_LEDGER_BIND      address to listen on (default 0.0.0.0:8000)
    POLICY_LEDGER_WORKERS   worker processes (default 2 x cores + 1)

The app's own settings (rate limit, its storage, trusted proxies) are read
from the environment too: see api/limits.py. Behind our nginx set
POLICY_LEDGER_TRUSTED_PROXIES=1 so the rate limit counts clients, not nginx.
"""

import os

from policy_ledger.serve import GUNICORN_DEFAULTS, default_workers

globals().update(GUNICORN_DEFAULTS)

bind = os.environ.get("POLICY_LEDGER_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("POLICY_LEDGER_WORKERS", default_workers()))
# A replica is taken out of rotation by SIGTERM: workers finish the requests
# they hold (graceful_timeout), the listening socket closes at once, and
# nginx's proxy_next_upstream sends new requests to the other replicas.
