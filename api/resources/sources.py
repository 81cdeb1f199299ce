"""Sources: the documents every record cites."""

from api.listing import Filter, Resource
from api.resources.base import resource_blueprint
from api.schemas import Source

SOURCES = Resource(
    name="sources",
    table="sources",
    key="id",
    kind="source",
    fields=(
        "id",
        "published",
        "kind",
        "publisher",
        "title",
        "url",
        "cited_by",
        "first_seen",
        "last_changed",
    ),
    shapes={"cited_by": "refs"},
    sorts={"id": ("id", False), "published": ("published", True), "cited_by": ("cited_by", False)},
    default_sort="id",
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
    Source,
    description="The documents cited: the acting bodies' own (primary), news, and the "
    "project's seed documents.",
    list_summary="List sources",
    item_summary="Get one source",
)
