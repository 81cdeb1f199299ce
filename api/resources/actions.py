"""Actions: fines, bans, orders, laws, rulings, investigations and more."""

from policy_ledger.api.resources.base import COLLECTION_FORMATS, resource_blueprint
from policy_ledger.api.schemas import Action, selectable
from policy_ledger.dataset.resources import ACTIONS

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
