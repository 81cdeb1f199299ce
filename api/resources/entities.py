"""Entities: governments, regulators, courts, companies, apps and people."""

from policy_ledger.api.listing import Filter, Resource
from policy_ledger.api.resources.base import resource_blueprint
from policy_ledger.api.schemas import Entity, selectable
from policy_ledger.dataset import published

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

blp = resource_blueprint(
    ENTITIES,
    selectable(Entity),
    description="The bodies that act and speak, and the companies and apps acted upon.",
    list_summary="List entities",
    item_summary="Get one entity",
)
