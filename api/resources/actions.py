"""Actions: fines, bans, orders, laws, rulings, investigations and more."""

from policy_ledger.api.listing import Filter, Resource
from policy_ledger.api.resources.base import COLLECTION_FORMATS, resource_blueprint
from policy_ledger.api.schemas import Action, selectable
from policy_ledger.dataset import published

ACTIONS = Resource(
    name="actions",
    table="actions",
    key="id",
    kind="action",
    search_kind="action",
    atom=True,
    fields=published.ACTIONS.fields,
    shapes=published.ACTIONS.shapes,
    sorts={
        "date": ("date", None),
        "amount_eur": ("amount_eur", "lowest number"),
        "title": ("title", None),
        "id": ("id", None),
        "last_changed": ("last_changed", None),
    },
    default_sort=published.ACTIONS.default_sort,
    ranges=(("date_from", "date_to"), ("amount_eur_min", "amount_eur_max")),
    filters=(
        Filter(
            "type",
            "Action type (see /v1/vocabularies).",
            "fine",
            column="type",
            vocabulary="action_types",
        ),
        Filter(
            "jurisdiction",
            "Jurisdiction code, exactly (US does not include US-MT).",
            "IE",
            column="jurisdiction",
        ),
        Filter("authority", "Entity id of the body that acted.", "ie-dpc", column="authority"),
        Filter(
            "target",
            "Entity id of a company or app acted upon.",
            "tiktok",
            link=("action_targets", "action_id", "entity_id"),
        ),
        Filter(
            "topic",
            "Topic (see /v1/vocabularies).",
            "data-transfers",
            link=("action_topics", "action_id", "topic"),
            vocabulary="topics",
        ),
        Filter(
            "status",
            "Status (see /v1/vocabularies).",
            "in_force",
            column="status",
            vocabulary="statuses",
        ),
        Filter(
            "date_from",
            "Actions on or after this date (YYYY-MM-DD).",
            "2020-01-01",
            kind="date",
            column="date",
            op=">=",
        ),
        Filter(
            "date_to",
            "Actions on or before this date (YYYY-MM-DD).",
            "2020-12-31",
            kind="date",
            column="date",
            op="<=",
        ),
        Filter(
            "amount_eur_min",
            "Amount in EUR at least this.",
            "1000000",
            kind="number",
            column="amount_eur",
            op=">=",
        ),
        Filter(
            "amount_eur_max",
            "Amount in EUR at most this.",
            "1000000000",
            kind="number",
            column="amount_eur",
            op="<=",
        ),
        Filter(
            "currency",
            "ISO 4217 currency of the amount as decided.",
            "EUR",
            column="amount_currency",
        ),
        Filter(
            "q", "Full-text search in title, summary, authority and targets.", "TikTok", kind="text"
        ),
    ),
)

blp = resource_blueprint(
    ACTIONS,
    selectable(Action),
    description="Government actions: fines, bans, restrictions, executive orders, laws, court "
    "rulings, investigations, lawsuits, settlements, sanctions, guidance and "
    "initiatives.",
    list_summary="List actions",
    item_summary="Get one action",
    formats=(*COLLECTION_FORMATS, "atom"),
)
