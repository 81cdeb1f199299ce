"""Jurisdictions: countries, subdivisions and the EU."""

from policy_ledger.api.resources.base import resource_blueprint
from policy_ledger.api.schemas import Jurisdiction, selectable
from policy_ledger.dataset.resources import JURISDICTIONS

blp = resource_blueprint(
    JURISDICTIONS,
    selectable(Jurisdiction),
    description="Countries (ISO 3166-1), subdivisions (ISO 3166-2) and the EU, with counts.",
    list_summary="List jurisdictions",
    item_summary="Get one jurisdiction",
)
