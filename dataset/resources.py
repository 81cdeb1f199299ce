"""One declaration per published resource: what its table holds, which
filters and sorts it offers, and how its documents flatten into files.

Both sides are driven by these: the build (pipeline/tables.py) derives the
indexes every filter and sort needs, and the API (api/listing.py,
api/params.py, the OpenAPI document) its parameters, SQL and formats. A new
filterable field is a Filter here, its column or link in the table, its
place in dataset/published.py, and its rule in dataset/schema.py.
"""

from dataclasses import dataclass, field

from policy_ledger.dataset import published
from policy_ledger.dataset.vocabulary import values


@dataclass(frozen=True)
class Filter:
    """One query parameter that narrows a collection.

    kind: `list` (values ORed, on `column` or through `link`), `date` / `number`
    (compared with `op`), `text` (full-text search).
    """

    name: str
    description: str
    example: str
    kind: str = "list"
    column: str | None = None
    link: tuple[str, str, str] | None = None  # (table, its key column, its value column)
    op: str = "="
    vocabulary: str | None = None

    def choices(self) -> list[str]:
        return values(self.vocabulary) if self.vocabulary else []


@dataclass(frozen=True)
class Resource:
    """The declaration a collection's views, query schema and formats are driven by."""

    name: str  # URL segment: actions
    table: str
    key: str  # primary key column: id or code
    kind: str  # singular: action
    fields: tuple[str, ...]  # top-level fields of the published document
    # sort name -> (column, SQL literal standing in for a missing value, or None
    # when the column is never null); the build indexes the same expression.
    sorts: dict[str, tuple[str, str | None]]
    default_sort: str
    filters: tuple[Filter, ...] = ()
    search_kind: str | None = None  # the `kind` in search_documents for `q`
    ranges: tuple[tuple[str, str], ...] = ()  # (low, high) parameter pairs
    retired: bool = True  # ids of this kind may be retired (308)
    atom: bool = False
    # How each field flattens into file columns: ref, code_ref, refs, amount,
    # sources, related; anything unnamed is a scalar (or a list of strings).
    shapes: dict[str, str] = field(default_factory=dict)
    # Indexes the build adds beyond those every filter and sort gets
    # (pipeline/tables.py derives those from the declaration).
    indexes: tuple[tuple[str, ...], ...] = ()

    def default_sort_columns(self) -> tuple[str, ...]:
        """The columns of the default order, ending with the key."""
        column = self.sorts[self.default_sort.lstrip("-")][0]
        return (self.key,) if column == self.key else (column, self.key)


def date_range(noun: str) -> tuple[Filter, Filter]:
    """`date_from` and `date_to` on the `date` column, for records called `noun`."""
    return (
        Filter(
            "date_from",
            f"{noun} on or after this date (YYYY-MM-DD).",
            "2020-01-01",
            kind="date",
            column="date",
            op=">=",
        ),
        Filter(
            "date_to",
            f"{noun} on or before this date (YYYY-MM-DD).",
            "2020-12-31",
            kind="date",
            column="date",
            op="<=",
        ),
    )


def topic(link_table: str, key_column: str, example: str) -> Filter:
    return Filter(
        "topic",
        "Topic (see /v1/vocabularies).",
        example,
        link=(link_table, key_column, "topic"),
        vocabulary="topics",
    )


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
    # Beyond each filter's and sort's own: the most used pair of filters has
    # its own index, and /v1/stats/actions reads one covering index per group-by.
    indexes=(
        ("type", "jurisdiction", "date", "id"),
        ("year", "amount_eur", "amount_usd"),
        ("type", "amount_eur", "amount_usd"),
        ("jurisdiction", "amount_eur", "amount_usd"),
        ("authority", "amount_eur", "amount_usd"),
    ),
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
        topic("action_topics", "action_id", "data-transfers"),
        Filter(
            "status",
            "Status (see /v1/vocabularies).",
            "in_force",
            column="status",
            vocabulary="statuses",
        ),
        *date_range("Actions"),
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
        topic("statement_topics", "statement_id", "data-protection"),
        *date_range("Statements"),
        Filter(
            "q", "Full-text search in title, quote, summary and speaker.", "backdoors", kind="text"
        ),
    ),
)

ENTITIES = Resource(
    name="entities",
    table="entities",
    key="id",
    kind="entity",
    search_kind="entity",
    fields=published.ENTITIES.fields,
    shapes=published.ENTITIES.shapes,
    sorts={
        "name": ("name", None),
        "id": ("id", None),
        "actions_taken": ("actions_taken", None),
        "actions_targeted": ("actions_targeted", None),
    },
    default_sort=published.ENTITIES.default_sort,
    filters=(
        Filter("kind", "Kind of entity.", "regulator", column="kind", vocabulary="entity_kinds"),
        Filter("jurisdiction", "Jurisdiction code.", "IE", column="jurisdiction"),
        Filter("parent", "Entity id of the parent.", "bytedance", column="parent"),
        Filter(
            "q",
            "Full-text search in name, aliases and description.",
            "data protection",
            kind="text",
        ),
    ),
)

JURISDICTIONS = Resource(
    name="jurisdictions",
    table="jurisdictions",
    key="code",
    kind="jurisdiction",
    retired=False,
    fields=published.JURISDICTIONS.fields,
    shapes=published.JURISDICTIONS.shapes,
    sorts={"code": ("code", None), "name": ("name", None), "actions": ("actions", None)},
    default_sort=published.JURISDICTIONS.default_sort,
    filters=(
        Filter(
            "kind",
            "Kind of jurisdiction.",
            "country",
            column="kind",
            vocabulary="jurisdiction_kinds",
        ),
        Filter("parent", "Code of the parent country.", "US", column="parent"),
    ),
)

SOURCES = Resource(
    name="sources",
    table="sources",
    key="id",
    kind="source",
    fields=published.SOURCES.fields,
    shapes=published.SOURCES.shapes,
    sorts={
        "id": ("id", None),
        "published": ("published", "empty text"),
        "cited_by": ("cited_by", None),
    },
    default_sort=published.SOURCES.default_sort,
    filters=(
        Filter(
            "kind", "primary, news or seed.", "primary", column="kind", vocabulary="source_kinds"
        ),
        Filter(
            "publisher", "Publisher, exactly.", "Data Protection Commission", column="publisher"
        ),
        Filter(
            "copy_publisher",
            "Publisher of the copy the text was read on (a reprint service, a "
            "document-sharing site, a mirror), exactly.",
            "EIN Presswire",
            column="copy_publisher",
        ),
    ),
)

PUBLISHED = (JURISDICTIONS, ENTITIES, SOURCES, ACTIONS, STATEMENTS)
BY_TABLE = {resource.table: resource for resource in PUBLISHED}
