"""The `policy-ledger` command: parses options and calls library functions."""

import argparse
import sys
from pathlib import Path

from policy_ledger.dataset import DATASET_DIR

DEFAULT_DB = Path("policy-ledger.db")


class CliError(Exception):
    """A mistake in the command line or its surroundings: one line, exit 2."""


def _dataset_dir(args) -> Path:
    path = Path(args.dataset)
    if not (path / "records").is_dir():
        raise CliError(f"no dataset at {path} (it has no records/ folder): pass --dataset DIR")
    return path


def _seeds_dir(args) -> Path | None:
    """Where the seed documents are, for checking the quotes cited from them.
    Their default place is the checkout's ../shared/seeds, beside the
    repository; an installed wheel has no such place, so it is named with
    --seeds, or the check is turned off with --no-seed-check. A folder that is
    not there is an error, never a silent skip of the check."""
    if args.no_seed_check:
        return None
    dataset = Path(args.dataset).resolve()
    path = Path(args.seeds) if args.seeds else dataset.parent.parent / "shared" / "seeds"
    if not path.is_dir():
        raise CliError(
            f"no seed documents at {path}: pass --seeds DIR, or --no-seed-check to skip "
            "checking the quotes cited from them"
        )
    return path


def cmd_validate(args) -> int:
    from policy_ledger.pipeline.validate import InvalidDataset, validate_dataset

    try:
        dataset = validate_dataset(_dataset_dir(args), _seeds_dir(args))
    except InvalidDataset as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing built.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k}: {len(v)}" for k, v in dataset.records.items())
    print(f"valid: {counts}")
    return 0


def cmd_build(args) -> int:
    from policy_ledger.pipeline.build import build_database
    from policy_ledger.pipeline.validate import InvalidDataset

    try:
        summary = build_database(_dataset_dir(args), Path(args.db), _seeds_dir(args))
    except InvalidDataset as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(exc.problems)} problem(s); the previous database is untouched.", file=sys.stderr
        )
        return 1
    print(summary)
    if args.no_export:
        return 0
    args.out = None
    return cmd_export(args)


def cmd_check(args) -> int:
    from policy_ledger.pipeline.check import run_check
    from policy_ledger.pipeline.validate import InvalidDataset

    try:
        text, code = run_check(_dataset_dir(args), _seeds_dir(args))
    except InvalidDataset as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(text, end="")
    return code


def cmd_export(args) -> int:
    from policy_ledger.pipeline.export import export_downloads

    out = Path(args.out) if args.out else Path(args.db).resolve().parent / "downloads"
    manifest = export_downloads(Path(args.db), out)
    for entry in manifest["files"]:
        print(f"{out / entry['name']}  {entry['bytes']:>10} bytes  sha256 {entry['sha256']}")
    return 0


def cmd_synth(args) -> int:
    from policy_ledger.pipeline.synth import synthesize

    print(synthesize(args.actions, args.statements, Path(args.out), seed=args.seed))
    return 0


def cmd_serve(args) -> int:
    from policy_ledger.serve import serve

    return serve(
        db=Path(args.db),
        host=args.host,
        port=args.port,
        workers=args.workers,
        dev=args.dev,
        access_log=not args.no_access_log,
    )


def cmd_release(args) -> int:
    from policy_ledger.pipeline.releases import write_release

    print(write_release(_dataset_dir(args), _seeds_dir(args)))
    return 0


def cmd_openapi(args) -> int:
    from policy_ledger.api.openapi_file import write_openapi

    path = write_openapi(Path(args.out))
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policy-ledger", description=__doc__)
    parser.add_argument("--dataset", default=str(DATASET_DIR), help="dataset folder")
    parser.add_argument(
        "--seeds",
        default=None,
        help="folder of the seed documents (default: shared/seeds beside the repository)",
    )
    parser.add_argument(
        "--no-seed-check",
        action="store_true",
        help="do not check the quotes cited from seed documents",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("validate", help="check every record; print all problems").set_defaults(
        func=cmd_validate
    )

    sub.add_parser("check", help="print the data-quality report").set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="validate and write the SQLite database")
    build.add_argument("--db", default=str(DEFAULT_DB), help="database file to (re)write")
    build.add_argument(
        "--no-export",
        action="store_true",
        help="skip writing the bulk downloads beside the database",
    )
    build.set_defaults(func=cmd_build)

    export = sub.add_parser("export", help="write the bulk downloads of a built database")
    export.add_argument("--db", default=str(DEFAULT_DB))
    export.add_argument("--out", default=None, help="folder (default: downloads/ beside the db)")
    export.set_defaults(func=cmd_export)

    synth = sub.add_parser("synth", help="write a synthetic database of any size (benchmarks)")
    synth.add_argument("--actions", type=int, required=True)
    synth.add_argument("--statements", type=int, default=0)
    synth.add_argument("--out", required=True, help="database file to write")
    synth.add_argument("--seed", type=int, default=1)
    synth.set_defaults(func=cmd_synth)

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
    serve.add_argument(
        "--no-access-log", action="store_true", help="do not log each request (benchmarks)"
    )
    serve.set_defaults(func=cmd_serve)

    release = sub.add_parser("release", help="write the release manifest of dataset.yaml's version")
    release.set_defaults(func=cmd_release)

    openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi.add_argument("--out", default="openapi/openapi.json")
    openapi.set_defaults(func=cmd_openapi)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"policy-ledger: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
