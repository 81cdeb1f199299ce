"""Sources: the documents every record cites."""

from policy_ledger.api.resources.base import resource_blueprint
from policy_ledger.api.schemas import Source, selectable
from policy_ledger.dataset.resources import SOURCES

blp = resource_blueprint(
    SOURCES,
    selectable(Source),
    description="The documents cited: the acting bodies' own (primary), news, and the "
    "project's seed documents.",
    list_summary="List sources",
    item_summary="Get one source",
)
