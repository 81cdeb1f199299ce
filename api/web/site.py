"""What the browse pages show for each collection, and the small texts every
page shares: the filter form, the citation and the embed snippet."""

from flask import request
from markupsafe import escape

from policy_ledger.api.listing import Resource

# name -> page title, one-line intro, table columns as (label, sort name or None)
BROWSE = {
    "actions": {
        "title": "Actions",
        "intro": "Fines, bans, restrictions, orders, laws, rulings, investigations and more, "
        "newest first.",
        "columns": [
            ("Date", "date"),
            ("Action", "title"),
            ("Type", None),
            ("Jurisdiction", None),
            ("Authority", None),
            ("Targets", None),
            ("Amount", "amount_eur"),
            ("Status", None),
        ],
    },
    "statements": {
        "title": "Statements",
        "intro": "What governments, regulators and companies said, each with a verbatim quote.",
        "columns": [
            ("Date", "date"),
            ("Statement", "title"),
            ("Speaker", None),
            ("Kind", None),
            ("Jurisdiction", None),
            ("Responds to", None),
        ],
    },
    "entities": {
        "title": "Entities",
        "intro": "The bodies that act and speak, and the companies and apps acted upon.",
        "columns": [
            ("Name", "name"),
            ("Kind", None),
            ("Jurisdiction", None),
            ("Actions taken", "actions_taken"),
            ("Actions targeting it", "actions_targeted"),
            ("Statements", None),
        ],
    },
    "jurisdictions": {
        "title": "Jurisdictions",
        "intro": "Countries, subdivisions and the European Union, with what happened in each.",
        "columns": [
            ("Code", "code"),
            ("Name", "name"),
            ("Kind", None),
            ("Part of", None),
            ("Actions", "actions"),
            ("Statements", None),
            ("Entities", None),
        ],
    },
}

LABELS = {
    "q": "Words",
    "type": "Type",
    "jurisdiction": "Jurisdiction codes",
    "authority": "Authority (entity ids)",
    "target": "Target (entity ids)",
    "topic": "Topic",
    "status": "Status",
    "date_from": "From date",
    "date_to": "To date",
    "amount_eur_min": "Amount at least (EUR)",
    "amount_eur_max": "Amount at most (EUR)",
    "currency": "Currency (ISO 4217)",
    "speaker": "Speaker (entity ids)",
    "on_behalf_of": "On behalf of (entity ids)",
    "speaker_kind": "Kind of speaker",
    "responds_to": "Responds to (action ids)",
    "kind": "Kind",
    "parent": "Parent",
}


def filter_controls(resource: Resource, query) -> list[dict]:
    """One form control per API filter, filled from the current view."""
    controls = []
    for f in resource.filters:
        control = {
            "name": f.name,
            "label": LABELS.get(f.name, f.name),
            "help": f.description,
            "example": f.example,
        }
        if f.vocabulary:
            control.update(kind="choices", choices=f.choices(), selected=query.values(f.name))
        elif f.kind == "date":
            control.update(kind="date", value=query.value(f.name))
        elif f.kind == "number":
            control.update(kind="number", value=query.value(f.name))
        elif f.kind == "text":
            control.update(kind="search", value=query.value(f.name))
        else:
            control.update(kind="text", value=query.value(f.name))
        controls.append(control)
    # The full-text box reads best first.
    return sorted(controls, key=lambda c: c["kind"] != "search")


def citation(meta: dict, kind: str, key: str, title: str, url: str, version) -> str:
    licence = meta["licence"].get("name", "")
    return (
        f"{meta['citation'].rstrip('.')}. {kind.capitalize()} “{title}” ({key}), "
        f"last changed in version {version}. {url}. Licence: {licence}."
    )


def embed_html(path: str, height: int, title: str = "Policy Ledger") -> str:
    """The copy-paste <iframe> for an embed path (a page shows it as text)."""
    src = request.host_url.rstrip("/") + path
    return (
        f'<iframe src="{escape(src)}" width="100%" height="{int(height)}" '
        f'style="border:0;max-width:640px" loading="lazy" title="{escape(title)}"></iframe>'
    )


def embed_snippet(path: str, height: int) -> dict:
    return {"path": path, "height": height, "html": embed_html(path, height)}
