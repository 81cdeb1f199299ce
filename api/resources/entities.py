"""Entities: governments, regulators, courts, companies, apps and people."""

from policy_ledger.api.resources.base import resource_blueprint
from policy_ledger.api.schemas import Entity, selectable
from policy_ledger.dataset.resources import ENTITIES

blp = resource_blueprint(
    ENTITIES,
    selectable(Entity),
    description="The bodies that act and speak, and the companies and apps acted upon.",
    list_summary="List entities",
    item_summary="Get one entity",
)
