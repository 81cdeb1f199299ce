"""Jurisdictions: countries, subdivisions and the EU."""

from policy_ledger.api.listing import Filter, Resource
from policy_ledger.api.resources.base import resource_blueprint
from policy_ledger.api.schemas import Jurisdiction, selectable
from policy_ledger.dataset import published

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

blp = resource_blueprint(
    JURISDICTIONS,
    selectable(Jurisdiction),
    description="Countries (ISO 3166-1), subdivisions (ISO 3166-2) and the EU, with counts.",
    list_summary="List jurisdictions",
    item_summary="Get one jurisdiction",
)
