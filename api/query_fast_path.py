"""The fast path for ordinary queries: read a query string without
marshmallow's per-field machinery, exactly as the QuerySchema would, or give
up and let the full load answer. Its differential test is
tests/test_params_fast_path.py."""

import datetime
import re

from marshmallow import ValidationError, fields
from marshmallow.utils import missing

from policy_ledger.api.params import _CONTROL, CommaList, QuerySchema

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
    (docs/performance.md).
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
