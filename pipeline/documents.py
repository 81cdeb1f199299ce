"""Turning validated records into the published documents: references
resolved to {id, name} pairs, amounts converted, inverse links and counts
derived. The API serves these documents as they are; their shape is the one
the API's schemas (api/schemas.py) document, which a test checks."""

from collections import Counter, defaultdict

from policy_ledger.dataset import published
from policy_ledger.pipeline import fx


def _iso(value):
    return value.isoformat() if value is not None else None


class DocumentBuilder:
    def __init__(self, dataset, history: dict):
        self.records = dataset.records
        self.history = history
        self.responses = defaultdict(list)  # action id -> statement ids
        self.announcements = defaultdict(list)  # action id -> statement ids
        for sid, statement in sorted(self.records["statement"].items()):
            for action_id in statement["responds_to"]:
                self.responses[action_id].append(sid)
            for action_id in statement["announces"]:
                self.announcements[action_id].append(sid)
        self.referenced_by = defaultdict(list)  # action id -> [(relation, other id)]
        for aid, action in sorted(self.records["action"].items()):
            for rel in action["related"]:
                self.referenced_by[rel["id"]].append((rel["relation"], aid))
        # Indexes computed once, so that each document costs what its own
        # links cost (the synthetic million-record datasets depend on it).
        self.cited_by = defaultdict(list)  # source id -> [(kind, record id)]
        self.per_jurisdiction = Counter()  # (kind, code) -> records
        for kind in ("action", "statement"):
            for rid, rec in sorted(self.records[kind].items()):
                for source in dict.fromkeys(c["source"] for c in rec["sources"]):
                    self.cited_by[source].append((kind, rid))
                self.per_jurisdiction[(kind, rec["jurisdiction"])] += 1
        for entity in self.records["entity"].values():
            self.per_jurisdiction[("entity", entity["jurisdiction"])] += 1

    # references -----------------------------------------------------------
    def entity_ref(self, key):
        if key is None:
            return None
        return {"id": key, "name": self.records["entity"][key]["name"]}

    def jurisdiction_ref(self, code):
        if code is None:
            return None
        return {"code": code, "name": self.records["jurisdiction"][code]["name"]}

    def action_ref(self, key):
        return {"id": key, "name": self.records["action"][key]["title"]}

    def statement_ref(self, key):
        return {"id": key, "name": self.records["statement"][key]["title"]}

    def sources(self, citations):
        out = []
        for citation in citations:
            source = self.records["source"][citation["source"]]
            out.append(
                {
                    "id": citation["source"],
                    "kind": source["kind"],
                    "title": source["title"],
                    "publisher": source["publisher"],
                    "url": source["url"],
                    "published": _iso(source["published"]),
                    "quote": citation.get("quote"),
                }
            )
        return out

    def versions(self, kind, key):
        first_seen, last_changed = self.history[(kind, key)]
        return {"first_seen": first_seen, "last_changed": last_changed}

    # documents ------------------------------------------------------------
    def amount(self, action):
        amount = action["amount"]
        if amount is None:
            return None
        value, currency, on = amount["value"], amount["currency"], action["date"]
        return {
            "value": float(value),
            "currency": currency,
            "eur": fx.convert(value, currency, on, "EUR"),
            "usd": fx.convert(value, currency, on, "USD"),
            "fx_date": on.isoformat(),
        }

    def action(self, key):
        a = self.records["action"][key]
        return {
            "id": key,
            "type": a["type"],
            "title": a["title"],
            "summary": a["summary"],
            "date": a["date"].isoformat(),
            "date_precision": a["date_precision"],
            "effective_date": _iso(a["effective_date"]),
            "end_date": _iso(a["end_date"]),
            "status": a["status"],
            "jurisdiction": self.jurisdiction_ref(a["jurisdiction"]),
            "authority": self.entity_ref(a["authority"]),
            "targets": [self.entity_ref(t) for t in a["targets"]],
            "scope": a["scope"],
            "amount": self.amount(a),
            "legal_basis": a["legal_basis"],
            "topics": a["topics"],
            "related": [
                {
                    "relation": r["relation"],
                    "id": r["id"],
                    "title": self.records["action"][r["id"]]["title"],
                }
                for r in a["related"]
            ],
            "referenced_by": [
                {"relation": relation, "id": other, "title": self.records["action"][other]["title"]}
                for relation, other in self.referenced_by[key]
            ],
            "responses": [self.statement_ref(s) for s in self.responses[key]],
            "announcements": [self.statement_ref(s) for s in self.announcements[key]],
            "sources": self.sources(a["sources"]),
            **self.versions("action", key),
        }

    def statement(self, key):
        s = self.records["statement"][key]
        return {
            "id": key,
            "date": s["date"].isoformat(),
            "date_precision": s["date_precision"],
            "speaker": self.entity_ref(s["speaker"]),
            "on_behalf_of": self.entity_ref(s["on_behalf_of"]),
            "speaker_kind": s["speaker_kind"],
            "jurisdiction": self.jurisdiction_ref(s["jurisdiction"]),
            "title": s["title"],
            "quote": s["quote"],
            "summary": s["summary"],
            "topics": s["topics"],
            "responds_to": [self.action_ref(a) for a in s["responds_to"]],
            "announces": [self.action_ref(a) for a in s["announces"]],
            "sources": self.sources(s["sources"]),
            **self.versions("statement", key),
        }

    def entity_counts(self):
        taken = Counter(a["authority"] for a in self.records["action"].values())
        targeted = Counter(t for a in self.records["action"].values() for t in set(a["targets"]))
        spoke = Counter(s["speaker"] for s in self.records["statement"].values())
        return taken, targeted, spoke

    def entity(self, key, counts):
        e = self.records["entity"][key]
        taken, targeted, spoke = counts
        return {
            "id": key,
            "name": e["name"],
            "kind": e["kind"],
            "jurisdiction": self.jurisdiction_ref(e["jurisdiction"]),
            "parent": self.entity_ref(e["parent"]),
            "aliases": e["aliases"],
            "description": e["description"],
            "actions_taken": taken[key],
            "actions_targeted": targeted[key],
            "statements": spoke[key],
            **self.versions("entity", key),
        }

    def jurisdiction(self, code):
        j = self.records["jurisdiction"][code]
        return {
            "code": code,
            "name": j["name"],
            "kind": j["kind"],
            "parent": self.jurisdiction_ref(j["parent"]),
            "actions": self.per_jurisdiction[("action", code)],
            "statements": self.per_jurisdiction[("statement", code)],
            "entities": self.per_jurisdiction[("entity", code)],
            **self.versions("jurisdiction", code),
        }

    def source(self, key):
        s = self.records["source"][key]
        cited_by = [
            {"kind": kind, "id": rid, "name": self.records[kind][rid]["title"]}
            for kind, rid in self.cited_by[key]
        ]
        # Every other published field is the record's own value, so a new
        # source field needs no code here (dataset/published.py lists it).
        derived = {"published": _iso(s["published"]), "cited_by": cited_by}
        derived.update(self.versions("source", key))
        return {
            name: derived[name] if name in derived else s[name] for name in published.SOURCES.fields
        }
