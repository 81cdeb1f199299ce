"""Query parameters shared by every resource: their marshmallow fields, the
schema built from a resource declaration, and the checks webargs does not
make (unknown and repeated parameters, with the nearest name suggested)."""

import difflib
import re

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

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
        from policy_ledger.api.query_fast_path import FastQueryLoader

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
