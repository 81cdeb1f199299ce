"""Entities: governments, regulators, courts, companies, apps and people."""

from api.listing import Filter, Resource
from api.resources.base import resource_blueprint
from api.schemas import Entity

ENTITIES = Resource(
    name="entities",
    table="entities",
    key="id",
    kind="entity",
    search_kind="entity",
    fields=(
        "id",
        "name",
        "kind",
        "jurisdiction",
        "parent",
        "aliases",
        "description",
        "actions_taken",
        "actions_targeted",
        "statements",
        "first_seen",
        "last_changed",
    ),
    shapes={"jurisdiction": "code_ref", "parent": "ref"},
    sorts={
        "name": ("name", False),
        "id": ("id", False),
        "actions_taken": ("actions_taken", False),
        "actions_targeted": ("actions_targeted", False),
    },
    default_sort="name",
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
    Entity,
    description="The bodies that act and speak, and the companies and apps acted upon.",
    list_summary="List entities",
    item_summary="Get one entity",
)
