"""The documented shape of every response, for the OpenAPI document.

The documents themselves are built once by `policy-ledger build` and served
as stored, so these schemas are not used to serialise on the hot path; a
test loads every built document through them, so the two cannot drift."""

from marshmallow import Schema, fields

from policy_ledger.dataset.vocabulary import load_vocabularies


def d(text: str, example=None, **extra) -> dict:
    meta = {"description": text, **extra}
    if example is not None:
        meta["example"] = example
    return {"metadata": meta}


def enum(vocabulary: str, text: str, example: str, **kwargs) -> fields.String:
    choices = list(load_vocabularies()[vocabulary])
    return fields.String(**d(text, example, enum=choices), **kwargs)


def nullable_string(text: str, example=None) -> fields.String:
    return fields.String(allow_none=True, **d(text, example))


def nullable_date(text: str, example=None) -> fields.Date:
    return fields.Date(allow_none=True, **d(text, example))


class Strict(Schema):
    class Meta:
        ordered = True


class Reference(Strict):
    id = fields.String(required=True, **d("Id; resolves at its own endpoint.", "tiktok"))
    name = fields.String(
        required=True, **d("Display name (title for actions and statements).", "TikTok")
    )


class JurisdictionReference(Strict):
    code = fields.String(required=True, **d("ISO 3166 code, or EU.", "IE"))
    name = fields.String(required=True, **d("Name of the jurisdiction.", "Ireland"))


class Amount(Strict):
    value = fields.Float(required=True, **d("The amount as decided.", 530000000))
    currency = fields.String(required=True, **d("ISO 4217 code of the decided amount.", "EUR"))
    eur = fields.Float(
        allow_none=True,
        **d(
            "Value in EUR at the ECB reference rate of fx_date (the last preceding fixing on a "
            "day without one); null where the ECB does not quote the currency.",
            530000000,
        ),
    )
    usd = fields.Float(allow_none=True, **d("Value in USD, as for eur.", 601179000))
    fx_date = fields.Date(
        required=True, **d("Date of the rate used: the decision date.", "2025-05-02")
    )


class Citation(Strict):
    id = fields.String(required=True, **d("Source id (see /v1/sources).", "seed-001"))
    kind = enum("source_kinds", "primary, news or seed.", "primary", required=True)
    title = fields.String(
        required=True,
        **d("Title of the source document.", "Irish Data Protection Commission fines TikTok"),
    )
    publisher = nullable_string("Who published it.", "Data Protection Commission")
    url = nullable_string(
        "Canonical address, only where known to exist.", "https://www.dataprotection.ie/"
    )
    published = nullable_date("Publication date.", "2025-05-02")
    quote = nullable_string(
        "A short verbatim quote from this source supporting the record.",
        "The platform was fined €530 million",
    )


class Link(Strict):
    relation = enum("relations", "How this action relates to the other.", "follows", required=True)
    id = fields.String(
        required=True,
        **d("The other action's id.", "us-president-2020-08-06-tiktok-executive-order-13942"),
    )
    title = fields.String(required=True, **d("The other action's title.", "Executive Order 13942"))


class Versions(Strict):
    first_seen = fields.String(
        required=True, **d("Dataset version that first held this record.", "2026.11.0")
    )
    last_changed = fields.String(
        required=True, **d("Dataset version that last changed it.", "2026.11.0")
    )


def date_fields():
    return {
        "date": fields.Date(
            required=True, **d("When it was taken, announced or said.", "2025-05-02")
        ),
        "date_precision": enum(
            "date_precisions",
            "How precisely the date is known; month and year dates are stored as their first day.",
            "day",
            required=True,
        ),
    }


class Action(Versions):
    id = fields.String(required=True, **d("Stable id.", "ie-dpc-2025-05-02-tiktok-transfers-fine"))
    type = enum("action_types", "Kind of action.", "fine", required=True)
    title = fields.String(
        required=True, **d("One-line title.", "Irish DPC fines TikTok EUR 530 million")
    )
    summary = fields.String(
        required=True,
        **d(
            "Two to five neutral sentences.", "The Irish Data Protection Commission fined TikTok..."
        ),
    )
    date = date_fields()["date"]
    date_precision = date_fields()["date_precision"]
    effective_date = nullable_date("When it took force.", "2025-05-02")
    end_date = nullable_date("When it was lifted, revoked or expired.", None)
    status = enum("statuses", "Status as of the dataset version.", "in_force", required=True)
    jurisdiction = fields.Nested(JurisdictionReference, required=True, **d("Where it applies."))
    authority = fields.Nested(Reference, required=True, **d("The body that acted."))
    targets = fields.List(
        fields.Nested(Reference), required=True, **d("Companies or apps acted upon.")
    )
    scope = nullable_string("Scope, e.g. government devices.", "government devices")
    amount = fields.Nested(Amount, allow_none=True, **d("Amount for fines and settlements."))
    legal_basis = fields.List(
        fields.String(), required=True, **d("Legal bases cited.", ["GDPR Art. 46(1)"])
    )
    topics = fields.List(
        fields.String(), required=True, **d("Topics from /v1/vocabularies.", ["data-transfers"])
    )
    related = fields.List(
        fields.Nested(Link),
        required=True,
        **d(
            "Other actions this one appeals, enjoins, revokes, amends, "
            "implements, upholds or follows."
        ),
    )
    referenced_by = fields.List(
        fields.Nested(Link),
        required=True,
        **d("Actions that name this one in their `related` (relation read from the other action)."),
    )
    responses = fields.List(
        fields.Nested(Reference), required=True, **d("Statements that answer this action.")
    )
    announcements = fields.List(
        fields.Nested(Reference),
        required=True,
        **d("Statements by the acting side that announce or defend this action."),
    )
    sources = fields.List(fields.Nested(Citation), required=True, **d("Sources, with quotes."))


class Statement(Versions):
    id = fields.String(required=True, **d("Stable id.", "mao-ning-2025-07-11-data-denial"))
    date = date_fields()["date"]
    date_precision = date_fields()["date_precision"]
    speaker = fields.Nested(Reference, required=True, **d("Person or body that spoke."))
    on_behalf_of = fields.Nested(Reference, allow_none=True, **d("Body spoken for."))
    speaker_kind = enum("speaker_kinds", "Kind of speaker.", "government", required=True)
    jurisdiction = fields.Nested(
        JurisdictionReference, required=True, **d("Speaker's jurisdiction.")
    )
    title = fields.String(
        required=True,
        **d("One-line title.", "China denies requiring companies to collect data illegally"),
    )
    quote = fields.String(
        required=True,
        **d(
            "Verbatim, from a cited source.",
            "The Chinese government attaches great importance to and protects data privacy",
        ),
    )
    summary = fields.String(required=True, **d("Neutral summary.", "Spokeswoman Mao Ning said..."))
    topics = fields.List(fields.String(), required=True, **d("Topics.", ["data-protection"]))
    responds_to = fields.List(
        fields.Nested(Reference), required=True, **d("Actions this statement answers.")
    )
    announces = fields.List(
        fields.Nested(Reference),
        required=True,
        **d("Actions of the speaker's own side that this statement announces or defends."),
    )
    sources = fields.List(fields.Nested(Citation), required=True, **d("Sources, with quotes."))


class Entity(Versions):
    id = fields.String(required=True, **d("Stable id.", "ie-dpc"))
    name = fields.String(required=True, **d("Name.", "Data Protection Commission"))
    kind = enum("entity_kinds", "Kind of entity.", "regulator", required=True)
    jurisdiction = fields.Nested(JurisdictionReference, allow_none=True, **d("Home jurisdiction."))
    parent = fields.Nested(Reference, allow_none=True, **d("Parent body or company."))
    aliases = fields.List(fields.String(), required=True, **d("Other names.", ["Irish DPC"]))
    description = nullable_string("One sentence.", "Ireland's data-protection authority.")
    actions_taken = fields.Integer(required=True, **d("Actions it took (as authority).", 3))
    actions_targeted = fields.Integer(required=True, **d("Actions that targeted it.", 0))
    statements = fields.Integer(required=True, **d("Statements it made (as speaker).", 0))


class Jurisdiction(Versions):
    code = fields.String(required=True, **d("ISO 3166-1 alpha-2, ISO 3166-2, or EU.", "IE"))
    name = fields.String(required=True, **d("Name.", "Ireland"))
    kind = enum("jurisdiction_kinds", "Kind of jurisdiction.", "country", required=True)
    parent = fields.Nested(JurisdictionReference, allow_none=True, **d("Country of a subdivision."))
    actions = fields.Integer(required=True, **d("Actions in this jurisdiction.", 5))
    statements = fields.Integer(required=True, **d("Statements from it.", 1))
    entities = fields.Integer(required=True, **d("Entities based in it.", 2))


class CitedBy(Strict):
    kind = fields.String(required=True, **d("action or statement.", "action"))
    id = fields.String(required=True, **d("Record id.", "ie-dpc-2025-05-02-tiktok-transfers-fine"))
    name = fields.String(required=True, **d("Record title.", "Irish DPC fines TikTok"))


class Source(Versions):
    id = fields.String(required=True, **d("Stable id.", "seed-001"))
    kind = enum("source_kinds", "primary, news or seed.", "seed", required=True)
    title = fields.String(required=True, **d("Title.", "Chinese foreign ministry denies..."))
    publisher = nullable_string("Publisher.", "Digital Trends")
    url = nullable_string("Canonical address, only where known to exist.", None)
    copy_url = nullable_string(
        "Where the text was read, when that was a copy (a reprint, a document-sharing "
        "site, a mirror) and not the publisher's own address.",
        None,
    )
    copy_publisher = nullable_string("Who published that copy.", None)
    published = nullable_date("Publication date.", "2020-09-08")
    cited_by = fields.List(fields.Nested(CitedBy), required=True, **d("Records citing it."))


def selectable(schema: type[Schema]) -> Schema:
    """`schema` as documented for a response that takes `fields=`: every field is
    sent unless `fields=` names a subset, so no top-level field can be listed as
    required (nested objects keep theirs). Loading a built document through the
    class itself still requires every field (tests/test_dataset.py)."""
    return schema(partial=True)


def page_schema(item: type[Schema] | Schema, name: str) -> type[Schema]:
    return type(
        name,
        (Strict,),
        {
            "items": fields.List(fields.Nested(item), required=True, **d("This page's items.")),
            "total": fields.Integer(required=True, **d("Items matching, over all pages.", 42)),
            "next": fields.String(
                allow_none=True,
                required=True,
                **d(
                    "URL of the next page (also in the Link header); null on the last page.",
                    "https://example.org/v1/actions?cursor=WyItZGF0ZSJd",
                ),
            ),
        },
    )


class ProblemSchema(Strict):
    type = fields.String(
        required=True,
        **d(
            "URI identifying the problem type.",
            "https://policy-ledger.org/problems/unknown-parameter",
        ),
    )
    title = fields.String(required=True, **d("Short summary.", "Unknown parameter"))
    status = fields.Integer(required=True, **d("HTTP status.", 400))
    detail = fields.String(
        required=True,
        **d(
            "What went wrong and how to fix it.",
            "unknown parameter 'jurisdicton'; did you mean 'jurisdiction'?",
        ),
    )
    instance = fields.String(**d("The request path.", "/v1/actions"))
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        **d(
            "Parameter -> messages, where input was at fault.",
            {"jurisdicton": ["unknown parameter 'jurisdicton'"]},
        ),
    )
