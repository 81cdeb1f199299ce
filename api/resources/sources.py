"""Sources: the documents every record cites."""

from policy_ledger.api.listing import Filter, Resource
from policy_ledger.api.resources.base import resource_blueprint
from policy_ledger.api.schemas import Source, selectable
from policy_ledger.dataset import published

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
    ),
)

blp = resource_blueprint(
    SOURCES,
    selectable(Source),
    description="The documents cited: the acting bodies' own (primary), news, and the "
    "project's seed documents.",
    list_summary="List sources",
    item_summary="Get one source",
)
