"""What a valid source record is: one marshmallow schema per record kind.

These schemas check each YAML file on its own (types, enums, formats,
required fields). Checks that need the whole dataset, such as whether a
reference resolves, live in the builder (pipeline/validate.py).
"""

import re

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from policy_ledger.dataset.vocabulary import values

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
JURISDICTION_CODE = re.compile(r"^(?:[A-Z]{2}|[A-Z]{2}-[A-Z0-9]{1,3})$")
CURRENCY = re.compile(r"^[A-Z]{3}$")

slug = validate.Regexp(SLUG, error="must be lower-case letters, digits and single hyphens")
jurisdiction_code = validate.Regexp(
    JURISDICTION_CODE, error="must be an ISO 3166-1 alpha-2 or ISO 3166-2 code, or EU"
)


def one_of(vocabulary: str) -> validate.OneOf:
    return validate.OneOf(values(vocabulary), error="must be one of: {choices}")


def text(validate_with=None, **kwargs) -> fields.String:
    """A required, non-blank single string, with any further validator."""
    kwargs.setdefault("required", True)
    validators = [validate.Length(min=1)] + ([validate_with] if validate_with else [])
    return fields.String(validate=validators, **kwargs)


class RecordSchema(Schema):
    class Meta:
        unknown = RAISE


class DatedSchema(RecordSchema):
    date = fields.Date(required=True)
    date_precision = fields.String(required=True, validate=one_of("date_precisions"))

    @validates_schema
    def date_matches_precision(self, data, **kwargs):
        date, precision = data.get("date"), data.get("date_precision")
        if not date or not precision:
            return
        if precision == "month" and date.day != 1:
            raise ValidationError("a date known to the month is stored as its first day", "date")
        if precision == "year" and (date.month, date.day) != (1, 1):
            raise ValidationError("a date known to the year is stored as 1 January", "date")


class CitationSchema(RecordSchema):
    source = text(validate_with=slug)
    quote = fields.String(validate=validate.Length(min=1, max=1200))


class AmountSchema(RecordSchema):
    value = fields.Decimal(required=True, places=None, validate=validate.Range(min=0))
    currency = fields.String(
        required=True, validate=validate.Regexp(CURRENCY, error="must be an ISO 4217 code")
    )


class RelatedSchema(RecordSchema):
    relation = fields.String(required=True, validate=one_of("relations"))
    id = text(validate_with=slug)


def citations():
    return fields.List(
        fields.Nested(CitationSchema),
        required=True,
        validate=validate.Length(min=1, error="every record needs at least one source"),
    )


def topics():
    return fields.List(fields.String(validate=one_of("topics")), load_default=list)


class ActionSchema(DatedSchema):
    id = text(validate_with=slug)
    type = fields.String(required=True, validate=one_of("action_types"))
    title = text(validate_with=validate.Length(min=1, max=240))
    summary = text()
    effective_date = fields.Date(allow_none=True, load_default=None)
    # `date` is when the action was made public; where the decision itself
    # carries an earlier date (a fine adopted on the 12th, announced on the
    # 17th), that date is kept here.
    decision_date = fields.Date(allow_none=True, load_default=None)
    end_date = fields.Date(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=one_of("statuses"))
    jurisdiction = text(validate_with=jurisdiction_code)
    authority = text(validate_with=slug)
    targets = fields.List(fields.String(validate=slug), load_default=list)
    scope = fields.String(allow_none=True, load_default=None)
    amount = fields.Nested(AmountSchema, allow_none=True, load_default=None)
    legal_basis = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    topics = topics()
    related = fields.List(fields.Nested(RelatedSchema), load_default=list)
    sources = citations()

    @validates_schema
    def fines_have_amounts(self, data, **kwargs):
        if data.get("type") == "fine" and not data.get("amount"):
            raise ValidationError("a fine needs an amount with value and currency", "amount")

    @validates_schema
    def end_after_start(self, data, **kwargs):
        date, end = data.get("date"), data.get("end_date")
        if date and end and end < date:
            raise ValidationError("end_date is before date", "end_date")


class StatementSchema(DatedSchema):
    id = text(validate_with=slug)
    speaker = text(validate_with=slug)
    on_behalf_of = fields.String(validate=slug, allow_none=True, load_default=None)
    speaker_kind = fields.String(required=True, validate=one_of("speaker_kinds"))
    jurisdiction = text(validate_with=jurisdiction_code)
    title = text(validate_with=validate.Length(min=1, max=240))
    quote = text(validate_with=validate.Length(min=1, max=1200))
    summary = text()
    topics = topics()
    responds_to = fields.List(fields.String(validate=slug), load_default=list)
    # The speaker's own side: actions the statement announces or defends.
    announces = fields.List(fields.String(validate=slug), load_default=list)
    sources = citations()


class EntitySchema(RecordSchema):
    id = text(validate_with=slug)
    name = text()
    kind = fields.String(required=True, validate=one_of("entity_kinds"))
    jurisdiction = fields.String(validate=jurisdiction_code, allow_none=True, load_default=None)
    parent = fields.String(validate=slug, allow_none=True, load_default=None)
    aliases = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    description = fields.String(allow_none=True, load_default=None)


class JurisdictionSchema(RecordSchema):
    code = text(validate_with=jurisdiction_code)
    name = text()
    kind = fields.String(required=True, validate=one_of("jurisdiction_kinds"))
    parent = fields.String(validate=jurisdiction_code, allow_none=True, load_default=None)


class SourceSchema(RecordSchema):
    id = text(validate_with=slug)
    kind = fields.String(required=True, validate=one_of("source_kinds"))
    title = text()
    publisher = fields.String(allow_none=True, load_default=None)
    url = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"})
    published = fields.Date(allow_none=True, load_default=None)
    file = fields.String(allow_none=True, load_default=None)
    # Where the text was read on a copy (a reprint, a document-sharing site, a
    # mirror): the copy's address and publisher, never standing in for `url`.
    copy_url = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"})
    copy_publisher = fields.String(allow_none=True, load_default=None)

    @validates_schema
    def seeds_name_their_file(self, data, **kwargs):
        if data.get("kind") == "seed" and not data.get("file"):
            raise ValidationError("a seed source names its file in shared/seeds", "file")


# Record kind -> (folder under records/, schema, the field that is the key).
RECORD_KINDS = {
    "action": ("actions", ActionSchema, "id"),
    "statement": ("statements", StatementSchema, "id"),
    "entity": ("entities", EntitySchema, "id"),
    "jurisdiction": ("jurisdictions", JurisdictionSchema, "code"),
    "source": ("sources", SourceSchema, "id"),
}
