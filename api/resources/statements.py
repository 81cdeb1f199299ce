"""Statements: what governments, regulators and companies said about actions."""

from policy_ledger.api.listing import Filter, Resource
from policy_ledger.api.resources.base import COLLECTION_FORMATS, resource_blueprint
from policy_ledger.api.schemas import Statement, selectable
from policy_ledger.dataset import published

STATEMENTS = Resource(
    name="statements",
    table="statements",
    key="id",
    kind="statement",
    search_kind="statement",
    atom=True,
    fields=published.STATEMENTS.fields,
    shapes=published.STATEMENTS.shapes,
    sorts={"date": ("date", None), "title": ("title", None), "id": ("id", None)},
    default_sort=published.STATEMENTS.default_sort,
    ranges=(("date_from", "date_to"),),
    filters=(
        Filter(
            "speaker", "Entity id of the person or body that spoke.", "mao-ning", column="speaker"
        ),
        Filter(
            "on_behalf_of", "Entity id of the body spoken for.", "cn-mfa", column="on_behalf_of"
        ),
        Filter(
            "speaker_kind",
            "Kind of speaker.",
            "government",
            column="speaker_kind",
            vocabulary="speaker_kinds",
        ),
        Filter("jurisdiction", "Jurisdiction code of the speaker.", "CN", column="jurisdiction"),
        Filter(
            "responds_to",
            "Id of an action the statement answers.",
            "ie-dpc-2025-05-02-tiktok-transfers-fine",
            link=("statement_responses", "statement_id", "action_id"),
        ),
        Filter(
            "announces",
            "Id of an action the statement announces or defends.",
            "us-commerce-2019-05-15-huawei-entity-list",
            link=("statement_announcements", "statement_id", "action_id"),
        ),
        Filter(
            "topic",
            "Topic (see /v1/vocabularies).",
            "data-protection",
            link=("statement_topics", "statement_id", "topic"),
            vocabulary="topics",
        ),
        Filter(
            "date_from",
            "Statements on or after this date.",
            "2020-01-01",
            kind="date",
            column="date",
            op=">=",
        ),
        Filter(
            "date_to",
            "Statements on or before this date.",
            "2020-12-31",
            kind="date",
            column="date",
            op="<=",
        ),
        Filter(
            "q", "Full-text search in title, quote, summary and speaker.", "backdoors", kind="text"
        ),
    ),
)

blp = resource_blueprint(
    STATEMENTS,
    selectable(Statement),
    description="Statements by governments, regulators, legislators and companies that "
    "announce, defend or answer actions, each with a verbatim quote.",
    list_summary="List statements",
    item_summary="Get one statement",
    formats=(*COLLECTION_FORMATS, "atom"),
)
