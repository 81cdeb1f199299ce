"""Where we lean on flask-smorest past its public surface, in one place.

Views are documented with flask-smorest's decorators but served without
their per-request wrappers (`served_lean`), and query strings are parsed by
webargs with our fast path first (`QueryParser`). tests/test_library_hooks.py
fails loudly if a flask-smorest upgrade changes what this relies on."""

import functools
import inspect

import flask_smorest
from flask import Response, request
from webargs.flaskparser import FlaskParser

from policy_ledger.api.params import QuerySchema


class QueryParser(FlaskParser):
    """webargs' Flask parser, trying a query schema's fast path first."""

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        if location == "query" and isinstance(argmap, QuerySchema):
            loaded = argmap.fast_load(request.args)
            if loaded is not None:
                return loaded
        return super().parse(argmap, req, location=location, **kwargs)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, parsing arguments with QueryParser."""

    ARGUMENTS_PARSER = QueryParser()


def served_lean(documented):
    """Serve a flask-smorest view without its documentation wrappers.

    Each of flask-smorest's decorators (`doc`, `response`, every
    `alt_response`, `arguments`) both records documentation in the view's
    `_apidoc` and wraps the view in a function that runs on every request;
    for a view that builds its own Response those wrappers only pass it
    through, about 0.1 ms a request for the nine layers of a list view
    (docs/performance.md). Applied last (outermost), this keeps the
    documentation (`_apidoc` and the docstring, all flask-smorest reads when
    the route is registered) and serves the undecorated function, parsing
    its one query schema with the same parser `arguments` would use.
    tests/test_openapi.py shows the document unchanged; every endpoint
    test exercises the lean path.
    """
    parameters = documented._apidoc.get("arguments", {}).get("parameters", [])
    (schema,) = [p["schema"] for p in parameters if p["in"] == "query"]
    function = inspect.unwrap(documented)
    parser = Blueprint.ARGUMENTS_PARSER

    @functools.wraps(function)
    def view(self, **kwargs):
        response = function(self, parser.parse(schema, location="query"), **kwargs)
        if not isinstance(response, Response):
            raise TypeError(f"{function.__qualname__} must return a Response to be served lean")
        return response

    del view.__wrapped__  # flask-smorest must not look past this function
    view._apidoc = documented._apidoc
    view.__doc__ = documented.__doc__
    return view
