"""Statements: what governments, regulators and companies said about actions."""

from policy_ledger.api.resources.base import COLLECTION_FORMATS, resource_blueprint
from policy_ledger.api.schemas import Statement, selectable
from policy_ledger.dataset.resources import STATEMENTS

blp = resource_blueprint(
    STATEMENTS,
    selectable(Statement),
    description="Statements by governments, regulators, legislators and companies that "
    "announce, defend or answer actions, each with a verbatim quote.",
    list_summary="List statements",
    item_summary="Get one statement",
    formats=(*COLLECTION_FORMATS, "atom"),
)
