"""About the dataset: /v1/meta, /v1/vocabularies and /v1/changes."""

import orjson
from flask import request
from flask.views import MethodView
from marshmallow import fields

from policy_ledger.api import API_VERSION, db
from policy_ledger.api.answers import json_response
from policy_ledger.api.errors import Problem
from policy_ledger.api.params import QuerySchema, bounded_string
from policy_ledger.api.release_queries import release_diff, releases
from policy_ledger.api.resources.base import problem_responses
from policy_ledger.api.schemas import Strict, d
from policy_ledger.api.smorest_lean import Blueprint
from policy_ledger.dataset.vocabulary import load_vocabularies

blp = Blueprint(
    "dataset",
    __name__,
    url_prefix="/v1",
    description="The dataset itself: its version, licence and citation, its "
    "vocabularies, and what changed between releases.",
)

KIND_PATHS = {
    "action": "actions",
    "statement": "statements",
    "entity": "entities",
    "jurisdiction": "jurisdictions",
    "source": "sources",
}


class NoQuery(QuerySchema):
    pass


class ChangesQuery(QuerySchema):
    since = bounded_string(
        required=True,
        metadata={
            "description": "A dataset release version (see /v1/meta `releases`).",
            "example": "2026.11.0",
        },
    )


class Release(Strict):
    version = fields.String(required=True, **d("CalVer version.", "2026.11.0"))
    released = fields.String(
        allow_none=True, **d("Release date; null if unreleased.", "2026-11-23")
    )


class Meta(Strict):
    name = fields.String(required=True, **d("Dataset name.", "Policy Ledger"))
    title = fields.String(
        required=True, **d("Dataset title.", "Policy Ledger — government actions")
    )
    version = fields.String(
        required=True, **d("Dataset version served (`+dev` marks unreleased edits).", "2026.11.0")
    )
    built_at = fields.String(
        required=True, **d("When the database was built (UTC).", "2026-11-23T15:00:00Z")
    )
    sha256 = fields.String(required=True, **d("SHA-256 of the database file.", "ab12…"))
    content_hash = fields.String(required=True, **d("Hash of the records' content.", "cd34…"))
    licence = fields.Dict(
        required=True, **d("Data licence: name, title, url.", {"name": "CC-BY-4.0"})
    )
    citation = fields.String(
        required=True, **d("How to cite.", "Policy Ledger (dataset version 2026.11.0).")
    )
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        **d("Records per kind.", {"action": 40}),
    )
    api_version = fields.String(required=True, **d("API version.", "1.0.0"))
    releases = fields.List(
        fields.Nested(Release), required=True, **d("Every release, oldest first.")
    )


class Change(Strict):
    kind = fields.String(required=True, **d("Record kind.", "action"))
    id = fields.String(required=True, **d("Record id (code for jurisdictions).", "x"))
    url = fields.String(
        required=True, **d("API URL of the record.", "https://example.org/v1/actions/x")
    )


class Changes(Strict):
    since = fields.String(required=True, **d("The release compared from.", "2026.11.0"))
    version = fields.String(required=True, **d("The version served.", "2026.11.1"))
    added = fields.List(fields.Nested(Change), required=True, **d("Records new since then."))
    changed = fields.List(fields.Nested(Change), required=True, **d("Records changed since then."))
    removed = fields.List(fields.Nested(Change), required=True, **d("Records removed since then."))


class Term(Strict):
    value = fields.String(required=True, **d("The value.", "fine"))
    definition = fields.String(required=True, **d("What it means.", "A monetary penalty."))


Vocabularies = type(
    "Vocabularies",
    (Strict,),
    {
        name: fields.List(fields.Nested(Term), required=True, **d(f"The {name.replace('_', ' ')}."))
        for name in load_vocabularies()
    },
)


@blp.route("/meta")
class MetaView(MethodView):
    @blp.doc(operationId="get_meta")
    @problem_responses(blp, 400)
    @blp.response(200, Meta, description="About the dataset served.")
    @blp.arguments(NoQuery(), location="query")
    def get(self, args):
        """About the dataset: version, build, checksum, licence, citation, counts

        The dataset version served, when and from what it was built (with the SHA-256 of
        the database file, to check a download against), its licence, how to cite it,
        record counts, and every release.
        """
        m = db.metadata()
        body = {
            "name": m["name"],
            "title": m["title"],
            "version": m["version"],
            "built_at": m["built_at"],
            "sha256": m["sha256"],
            "content_hash": m["content_hash"],
            "licence": orjson.loads(m["licence"]),
            "citation": m["citation"],
            "counts": orjson.loads(m["counts"]),
            "api_version": API_VERSION,
            "releases": releases(),
        }
        return json_response(orjson.dumps(body))


@blp.route("/vocabularies")
class VocabulariesView(MethodView):
    @blp.doc(operationId="get_vocabularies")
    @problem_responses(blp, 400)
    @blp.response(200, Vocabularies, description="Each vocabulary's values with definitions.")
    @blp.arguments(NoQuery(), location="query")
    def get(self, args):
        """Every enum and topic, each with its definition

        The controlled vocabularies behind every enum field and filter: action types,
        statuses, relations, kinds and topics, each value with a one-line definition.
        """
        vocab = orjson.loads(db.metadata()["vocabularies"])
        body = {
            name: [{"value": v, "definition": text} for v, text in terms.items()]
            for name, terms in vocab.items()
        }
        return json_response(orjson.dumps(body))


def _change(kind: str, key: str) -> dict:
    return {"kind": kind, "id": key, "url": f"{request.host_url}v1/{KIND_PATHS[kind]}/{key}"}


@blp.route("/changes")
class ChangesView(MethodView):
    @blp.doc(operationId="get_changes")
    @problem_responses(blp, 400, 422)
    @blp.response(200, Changes, description="What was added, changed and removed.")
    @blp.arguments(ChangesQuery(), location="query")
    def get(self, args):
        """Ids added, changed and removed since a dataset release

        Compares the release named by `since` with the version served, by the content
        hash of every record. An unknown release answers 422 listing the known ones.
        """
        known = [r["version"] for r in releases()]
        since, current = args["since"], db.metadata()["version"]
        if since not in known:
            raise Problem(
                422,
                "Invalid parameter",
                f"since: no release '{since}'; releases are: {', '.join(known)}.",
                slug="invalid-parameter",
                errors={"since": [f"one of: {', '.join(known)}"]},
            )
        diff = release_diff(since, current)
        body = {"since": since, "version": current}
        for change in ("added", "changed", "removed"):
            body[change] = [_change(c["kind"], c["id"]) for c in diff[change]]
        return json_response(orjson.dumps(body))
