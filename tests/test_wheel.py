"""The package works from a wheel, not only from a checkout: built from a
clean copy of the source, installed (not editable) into a fresh virtual
environment, it builds the checkout's dataset and serves it."""

import json
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.servers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "build",
    "*.egg-info",
    "*.db*",
    "downloads",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(work / "dist"),
            str(source),
        ],
        check=True,
    )
    (built,) = (work / "dist").glob("policy_ledger-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh environment holding the wheel. Its dependencies come from this
    environment's site-packages, added as a plain path: the editable install
    of the checkout is a .pth hook there, which a plain path does not run, so
    policy_ledger can only be found in the wheel."""
    env = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            str(wheel),
        ],
        check=True,
    )
    return env


def test_wheel_installs_one_namespace_with_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"policy_ledger"}
    for needed in (
        "policy_ledger/dataset/vocabularies.yaml",
        "policy_ledger/dataset/dataset.yaml",
        "policy_ledger/api/web/templates/web/base.html",
        "policy_ledger/api/web/static/site.css",
        "policy_ledger/cli.py",
        "policy_ledger/serve.py",
        "policy_ledger/pipeline/build.py",
    ):
        assert needed in names, needed
    assert not [name for name in names if "bench" in name or name.startswith("tests/")]


def test_installed_wheel_builds_and_serves_the_checkout_dataset(venv, tmp_path):
    cli = venv / "bin" / "policy-ledger"
    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import policy_ledger; print(policy_ledger.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the checkout, whose folders would shadow the wheel
    ).stdout
    assert where.startswith(str(venv)), where
    db = tmp_path / "ledger.db"
    subprocess.run(
        [
            cli,
            "--dataset",
            ROOT / "dataset",
            "--seeds",
            ROOT.parent / "shared" / "seeds",
            "build",
            "--db",
            db,
            "--no-export",
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    port = free_port()
    server = subprocess.Popen(
        [cli, "serve", "--db", db, "--port", str(port), "--workers", "1", "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base + "/v1/meta")
        meta = json.load(urllib.request.urlopen(base + "/v1/meta"))
        assert meta["counts"]["action"] > 0, meta["counts"]
        page = urllib.request.urlopen(base + "/actions").read().decode()
        assert "<table" in page or "<article" in page
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_installed_cli_names_a_missing_seed_folder(venv, tmp_path):
    result = subprocess.run(
        [
            venv / "bin" / "policy-ledger",
            "--dataset",
            ROOT / "dataset",
            "--seeds",
            tmp_path / "nowhere",
            "validate",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "no seed documents at" in result.stderr and "--no-seed-check" in result.stderr
