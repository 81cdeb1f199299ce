"""A small fictional dataset, built once per session through the real build
path, and the app, client and CLI runner over it."""

from pathlib import Path

import pytest

from policy_ledger.api import create_app
from policy_ledger.pipeline.build import build_database

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_DATASET = FIXTURES / "dataset"
FIXTURE_SEEDS = FIXTURES / "seeds"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "fixture.db"
    build_database(FIXTURE_DATASET, path, FIXTURE_SEEDS)
    return path


@pytest.fixture(scope="session")
def app(fixture_db):
    # The whole suite talks to this app from one address, faster than any
    # client would: rate limiting is off here, and tested with its own apps
    # in test_limits.py.
    return create_app({"DATABASE": str(fixture_db), "TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture()
def client(app):
    return app.test_client()


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(True))
    return response.get_json()
