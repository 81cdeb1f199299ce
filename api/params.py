"""Query parameters shared by every resource: their marshmallow fields, the
schema built from a resource declaration, and the checks webargs does not
make (unknown and repeated parameters, with the nearest name suggested)."""

import datetime
import difflib
import functools
import inspect
import re

import flask_smorest
from flask import Response, request
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)
from marshmallow.utils import missing
from webargs.flaskparser import FlaskParser

from policy_ledger.api.errors import Problem, unknown_parameters

MAX_VALUE_LENGTH = 500
# The request target (path and query string, as sent). Well under gunicorn's
# limit_request_line (8190), so the app answers it as a problem, not gunicorn.
MAX_URL_LENGTH = 4096
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
# C0 and C1 control characters and DEL: never part of a real value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class OneOfSuggesting(validate.Validator):
    """Like OneOf, but says which allowed value is nearest."""

    def __init__(self, choices):
        self.choices = list(choices)

    def __call__(self, value):
        if value not in self.choices:
            near = difflib.get_close_matches(str(value), self.choices, n=1, cutoff=0.6)
            hint = f" Did you mean '{near[0]}'?" if near else ""
            raise ValidationError(f"'{value}' is not one of: {', '.join(self.choices)}.{hint}")
        return value


class CommaList(fields.List):
    """A parameter that may repeat (`type=fine&type=ban`) or take a comma
    list (`type=fine,ban`), or both; the values are ORed."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ValidationError("must be a list of values")
        parts = [p.strip() for v in value for p in str(v).split(",") if p.strip()]
        if not parts:
            raise ValidationError("give at least one value")
        return super()._deserialize(parts, attr, data, **kwargs)


def bounded_string(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=MAX_VALUE_LENGTH), **kwargs)


class QuerySchema(Schema):
    """Base of every endpoint's query schema: refuses unknown and repeated
    parameters before any value is looked at."""

    class Meta:
        unknown = EXCLUDE

    # (low, high) parameter pairs that must be in order, e.g. date_from/date_to.
    RANGES: tuple[tuple[str, str], ...] = ()

    def fast_load(self, args) -> dict | None:
        """The loaded arguments if `args` is an ordinary, valid query that
        FastQueryLoader can read; None to leave it to the full load."""
        loader = self.__dict__.get("_fast_loader")
        if loader is None:
            loader = self.__dict__["_fast_loader"] = FastQueryLoader(self)
        return loader.load(args)

    @validates_schema
    def ranges_in_order(self, data, **kwargs):
        for low, high in self.RANGES:
            if low in data and high in data and data[low] > data[high]:
                raise ValidationError(f"{low} is after {high}", low)

    @pre_load(pass_collection=False)
    def refuse_unknown_and_repeated(self, data, **kwargs):
        multidict = getattr(data, "data", data)  # webargs' MultiDictProxy wraps the args
        names = list(multidict.keys())
        known = {f.data_key or name: f for name, f in self.fields.items()}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise unknown_parameters(unknown, known)
        getlist = getattr(multidict, "getlist", None)
        values = getlist if getlist else (lambda n: [multidict[n]])
        broken = sorted(n for n in names if any(_CONTROL.search(str(v)) for v in values(n)))
        if broken:
            # A NUL would cut an FTS5 query short inside SQLite; no parameter
            # legitimately holds a control character, so refuse them all.
            raise Problem(
                422,
                "Invalid parameter",
                " ".join(f"{n}: contains a control character (such as %00)." for n in broken),
                slug="invalid-parameter",
                errors={n: ["contains a control character"] for n in broken},
            )
        if getlist:
            repeated = [
                n for n in names if len(getlist(n)) > 1 and not isinstance(known[n], fields.List)
            ]
            if repeated:
                raise Problem(
                    400,
                    "Repeated parameter",
                    " ".join(
                        f"parameter '{n}' is given more than once; give it once." for n in repeated
                    ),
                    errors={n: ["given more than once"] for n in repeated},
                )
        return data


def paging_fields(resource) -> dict[str, fields.Field]:
    sorts = [*resource.sorts, *(f"-{s}" for s in resource.sorts)]
    return {
        "sort": fields.String(
            load_default=resource.default_sort,
            validate=OneOfSuggesting(sorts),
            metadata={
                "description": f"Sort by a field; prefix with `-` for descending. "
                f"One of: {', '.join(sorts)}. Ties are broken by id; records without a "
                "value (e.g. no amount) sort first ascending and last descending.",
                "example": resource.default_sort,
            },
        ),
        "page_size": fields.Integer(
            load_default=DEFAULT_PAGE_SIZE,
            validate=validate.Range(1, MAX_PAGE_SIZE),
            metadata={
                "description": f"Items per page, 1 to {MAX_PAGE_SIZE} (JSON only; "
                "file formats return every matching row).",
                "example": 50,
            },
        ),
        "cursor": fields.String(
            validate=validate.Length(min=1, max=MAX_VALUE_LENGTH),
            metadata={
                "description": "Opaque token from a previous page's `next` link.",
                "example": "WyItZGF0ZSIsIjIwMjMtMDItMjMiLCJ4Il0",
            },
        ),
        "fields": CommaList(
            fields.String(validate=OneOfSuggesting(resource.fields)),
            metadata={
                "description": "Keep only these fields (comma list). One or more of: "
                + ", ".join(resource.fields)
                + ".",
                "example": [resource.fields[0]],
            },
        ),
    }


def format_field(formats) -> fields.String:
    return fields.String(
        validate=OneOfSuggesting(formats),
        metadata={
            "description": "Response format: "
            + ", ".join(formats)
            + ". Also chosen by a path suffix (`.csv`) or the Accept header.",
            "example": "json",
        },
    )


def bom_field() -> fields.Boolean:
    return fields.Boolean(
        load_default=False,
        metadata={
            "description": "CSV only: start the file with a UTF-8 byte-order mark, so that "
            "older Excel versions read accents correctly.",
            "example": True,
        },
    )


def filter_field(f) -> fields.Field:
    """The marshmallow field for one declared filter."""
    meta = {"description": f.description, "example": f.example}
    if f.kind == "date":
        return fields.Date(metadata=meta)
    if f.kind == "number":
        meta["example"] = float(f.example)
        return fields.Float(allow_nan=False, validate=validate.Range(min=0), metadata=meta)
    if f.kind == "text":
        return bounded_string(metadata=meta)
    inner = (
        fields.String(validate=OneOfSuggesting(f.choices()))
        if f.vocabulary
        else fields.String(validate=validate.Length(max=MAX_VALUE_LENGTH))
    )
    return CommaList(inner, metadata={**meta, "example": [f.example]})


def query_schema(resource, formats) -> type[Schema]:
    """Build the query-parameter schema of a collection from its declaration."""
    attrs: dict = {f.name: filter_field(f) for f in resource.filters}
    attrs.update(paging_fields(resource))
    attrs["format"] = format_field(formats)
    attrs["bom"] = bom_field()
    attrs["RANGES"] = resource.ranges
    name = "".join(p.capitalize() for p in resource.name.split("_")) + "QuerySchema"
    return type(name, (QuerySchema,), attrs)


# --- the fast path -------------------------------------------------------------
_DIGITS = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Unreadable(Exception):
    """This value is not one the fast path reads: leave it to marshmallow."""


def _validated(field: fields.Field, convert):
    """`convert`, then the field's own validators (the ones marshmallow
    runs): a value either passes them all or goes to the full load."""
    validators = field.validators

    def load(raw):
        value = convert(raw)
        try:
            for validator in validators:
                validator(value)
        except ValidationError:
            raise _Unreadable from None
        return value

    return load


def _matching(pattern: re.Pattern, convert):
    def load(raw: str):
        if not pattern.fullmatch(raw):
            raise _Unreadable
        return convert(raw)

    return load


def _iso_date(raw: str) -> datetime.date:
    if not _ISO_DATE.fullmatch(raw):
        raise _Unreadable
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise _Unreadable from None


# Field type -> how the fast path reads one raw value before validation.
# Numbers: plain digits only (marshmallow also takes "1e3", " 5", "+5":
# those go to the full load). Any other field type is left to marshmallow.
_READERS = {
    fields.String: str,
    fields.Integer: _matching(_DIGITS, int),
    fields.Float: _matching(_DECIMAL, float),
    fields.Date: _iso_date,
}


def _converter(field: fields.Field):
    """values -> loaded value, raising _Unreadable; None if the fast path
    does not read this kind of field at all."""
    if isinstance(field, CommaList):
        inner = _READERS.get(type(field.inner))
        if inner is None or field.validators:
            return None
        part = _validated(field.inner, inner)

        def comma_list(values: list[str]) -> list[str]:
            parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
            if not parts:
                raise _Unreadable
            return [part(p) for p in parts]

        return comma_list
    reader = _READERS.get(type(field))
    if reader is None or (type(field) is fields.Date and field.format not in (None, "iso")):
        return None
    one = _validated(field, reader)
    return lambda values: one(values[0])


class FastQueryLoader:
    """Loads an ordinary query without marshmallow's per-field machinery.

    Built from a QuerySchema's own fields, so the schema stays the one
    description of every parameter (and of the OpenAPI document). It reads
    only what it can read exactly as the schema would: known parameters
    given once (or repeated, for comma lists), no control characters, values
    its converters accept. Anything else (an unknown or repeated parameter,
    an invalid value, a kind of field it does not know) returns None, and
    the full marshmallow load runs and answers with its precise problem.
    tests/test_params_fast_path.py checks, over generated queries, that
    whatever this returns is exactly what the schema loads. It exists
    because the full load was about a fifth of a list request's time
    (README "Performance").
    """

    def __init__(self, schema: QuerySchema):
        self.fields = {}  # parameter name -> (attribute, converter or None, takes many)
        self.required = []
        self.defaults = {}
        for name, field in schema.fields.items():
            key = field.data_key or name
            self.fields[key] = (name, _converter(field), isinstance(field, fields.List))
            if field.required:
                self.required.append(key)
            elif field.load_default is not missing:
                self.defaults[name] = field.load_default
        self.ranges = schema.RANGES

    def load(self, args) -> dict | None:
        loaded = {}
        try:
            for key, values in args.lists():
                known = self.fields.get(key)
                if known is None:
                    return None
                name, convert, many = known
                if convert is None or (len(values) > 1 and not many):
                    return None
                if any(_CONTROL.search(v) for v in values):
                    return None
                loaded[name] = convert(values)
        except _Unreadable:
            return None
        if any(key not in args for key in self.required):
            return None
        for name, default in self.defaults.items():
            if name not in loaded:
                loaded[name] = default() if callable(default) else default
        for low, high in self.ranges:
            if low in loaded and high in loaded and loaded[low] > loaded[high]:
                return None
        return loaded


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
    (README "Performance"). Applied last (outermost), this keeps the
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
