"""The few places we rely on a library's private names, checked so that an
upgrade that changes them fails here, loudly, and not as a quiet change in
behaviour: ProblemApi (api/__init__.py) and served_lean (api/smorest_lean.py)
on flask-smorest, ThreadlessMemoryStorage (api/limits.py) on limits."""

import inspect

import flask_smorest
from limits.storage import MemoryStorage

from policy_ledger.api import ProblemApi, api
from policy_ledger.api.limits import ThreadlessMemoryStorage


def test_flask_smorest_api_methods_we_override_still_exist():
    for name in ("_register_pagination_header", "_register_responses", "handle_http_exception"):
        assert callable(getattr(flask_smorest.Api, name, None)), name
        assert name in vars(ProblemApi)


def test_flask_smorest_still_records_documentation_in_apidoc(app):
    # served_lean keeps `_apidoc` and drops the wrappers: the documented
    # views must still carry it when registered.
    views = [v for k, v in app.view_functions.items() if k.startswith("actions.")]
    assert views and all(hasattr(getattr(v, "view_class", v), "get") for v in views)
    assert api.spec.to_dict()["paths"]["/v1/actions"]["get"]["parameters"]


def test_limits_memory_storage_private_names():
    assert hasattr(MemoryStorage, "_MemoryStorage__schedule_expiry")
    assert hasattr(MemoryStorage, "_MemoryStorage__expire_events")
    storage = ThreadlessMemoryStorage("memory://")
    assert storage.timer.finished.is_set()  # the expiry thread was cancelled
    assert "_MemoryStorage__schedule_expiry" in vars(ThreadlessMemoryStorage)
    assert inspect.signature(MemoryStorage.incr).parameters
