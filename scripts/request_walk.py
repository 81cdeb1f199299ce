"""How many of the project's modules and functions one request passes
through, and how often it switches module on the way (issue 14's "a request
reads top to bottom"). Counts Python calls into the project's own files
(not libraries), for one request after a warm-up one.

    python scripts/request_walk.py --root . --db policy-ledger.db \
        '/v1/actions?type=fine&sort=-amount_eur&format=csv'

--root may be another checkout (a worktree of an older commit) to compare:
it is put first on sys.path, and the app is imported from it.
"""

import argparse
import os
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--root", default=".")
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    root = Path(args.root).resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)
    if (root / "policy_ledger").is_dir():
        from policy_ledger.api import create_app
    else:
        from api import create_app  # the layout before the policy_ledger namespace
    app = create_app({"DATABASE": str(Path(args.db).resolve()), "RATELIMIT_ENABLED": False})
    client = app.test_client()
    client.get(args.url).get_data()  # warm-up: imports, metadata, plans

    own = [str(root / part) for part in ("api", "dataset", "pipeline", "policy_ledger", "scripts")]
    calls = []

    def profile(frame, event, arg):
        if event == "call":
            path = frame.f_code.co_filename
            if path.startswith(tuple(own)):
                calls.append((path, frame.f_code.co_name))

    sys.setprofile(profile)
    response = client.get(args.url)
    response.get_data()
    sys.setprofile(None)
    modules = {path for path, _ in calls}
    functions = set(calls)
    switches = sum(1 for a, b in zip(calls, calls[1:], strict=False) if a[0] != b[0])
    print(f"{args.url} -> {response.status_code}")
    print(f"modules {len(modules)}, functions {len(functions)}, module switches {switches}")
    for path in sorted(modules):
        names = sorted({name for p, name in functions if p == path})
        print(f"  {Path(path).relative_to(root)}: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
