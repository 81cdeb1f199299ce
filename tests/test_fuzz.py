"""Property-based fuzzing of every operation from our own OpenAPI document
(schemathesis, driven by hypothesis), in-process against the WSGI app over
the fixture database.

Every generated request, valid or deliberately invalid, must answer without
a server error, with a status code the document declares, in a content type
it declares for that status, with a body and headers matching the declared
schemas. A failure is fixed in the code or the document is made more precise;
no check is switched off.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from policy_ledger.api.openapi_file import generate

# 60 examples per operation and generation mode: the ten GET operations run in
# well under a minute in-process on two cores, and hypothesis's database keeps
# any failing example for the next run.
MAX_EXAMPLES = 60

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]

schema = schemathesis.openapi.from_dict(generate())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture(scope="module")
def fuzz_app(app):
    # conftest's app, whose rate limit is off: with it on, most of these
    # thousands of requests from one address would be 429s and cover nothing.
    assert app.config["RATELIMIT_ENABLED"] is False
    return app


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_conforms(case, fuzz_app):
    case.call_and_validate(app=fuzz_app, checks=CHECKS)
