"""The `policy-ledger` command: parses options and calls library functions."""

import argparse
import sys
from pathlib import Path

from dataset import DATASET_DIR

DEFAULT_DB = Path("policy-ledger.db")
DEFAULT_SEEDS = DATASET_DIR.parent.parent / "shared" / "seeds"


def _seeds_dir(value: str | None) -> Path | None:
    path = Path(value) if value else DEFAULT_SEEDS
    return path if path.is_dir() else None


def cmd_validate(args) -> int:
    from scripts.validate import InvalidDataset, validate_dataset

    try:
        dataset = validate_dataset(Path(args.dataset), _seeds_dir(args.seeds))
    except InvalidDataset as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing built.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k}: {len(v)}" for k, v in dataset.records.items())
    print(f"valid: {counts}")
    return 0


def cmd_build(args) -> int:
    from scripts.build import build_database
    from scripts.validate import InvalidDataset

    try:
        summary = build_database(Path(args.dataset), Path(args.db), _seeds_dir(args.seeds))
    except InvalidDataset as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(exc.problems)} problem(s); the previous database is untouched.", file=sys.stderr
        )
        return 1
    print(summary)
    return 0


def cmd_check(args) -> int:
    from scripts.check import run_check
    from scripts.validate import InvalidDataset

    try:
        text, code = run_check(Path(args.dataset), _seeds_dir(args.seeds))
    except InvalidDataset as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(text, end="")
    return code


def cmd_serve(args) -> int:
    from scripts.serve import serve

    return serve(
        db=Path(args.db), host=args.host, port=args.port, workers=args.workers, dev=args.dev
    )


def cmd_release(args) -> int:
    from scripts.releases import write_release

    print(write_release(Path(args.dataset), _seeds_dir(args.seeds)))
    return 0


def cmd_openapi(args) -> int:
    from scripts.openapi_file import write_openapi

    path = write_openapi(Path(args.out))
    print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policy-ledger", description=__doc__)
    parser.add_argument("--dataset", default=str(DATASET_DIR), help="dataset folder")
    parser.add_argument(
        "--seeds", default=None, help="folder of the seed documents (default: ../shared/seeds)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("validate", help="check every record; print all problems").set_defaults(
        func=cmd_validate
    )

    sub.add_parser("check", help="print the data-quality report").set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="validate and write the SQLite database")
    build.add_argument("--db", default=str(DEFAULT_DB), help="database file to (re)write")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="serve the API over a built database")
    serve.add_argument("--db", default=str(DEFAULT_DB))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn worker processes (default: 2 x cores + 1)",
    )
    serve.add_argument("--dev", action="store_true", help="Flask's development server")
    serve.set_defaults(func=cmd_serve)

    release = sub.add_parser("release", help="write the release manifest of dataset.yaml's version")
    release.set_defaults(func=cmd_release)

    openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi.add_argument("--out", default="openapi/openapi.json")
    openapi.set_defaults(func=cmd_openapi)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
