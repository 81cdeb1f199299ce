"""`policy-ledger synth`: a synthetic dataset of any size in the real schema,
for benchmarks and scale tests (never published).

Distributions come from the real dataset: action types and their statuses,
jurisdictions and the bodies that act in them, targets, topics, years, fine
amounts per currency, text lengths and words, sources per record. Records
are generated as the YAML loader would give them, a sample is validated by
the real marshmallow schemas, and the database is written by the real build
code (pipeline/build.py), so the synthetic file has the real tables, indexes,
documents and full-text index. Ids start with `synthetic-`; URLs point to
example.invalid.
"""

import random
import tempfile
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from marshmallow import missing
from tqdm import tqdm

from policy_ledger.dataset import DATASET_DIR
from policy_ledger.dataset.schema import ActionSchema, SourceSchema, StatementSchema
from policy_ledger.pipeline.build import _verify, write_database
from policy_ledger.pipeline.validate import Dataset, validate_dataset

SAMPLE_EVERY = 100  # validate one generated record in this many through the schemas
POOL_SIZE = 20_000  # distinct texts of each kind (titles, summaries, quotes)


class Distributions:
    """What the real dataset looks like, to sample from."""

    def __init__(self, real: Dataset):
        actions = list(real.records["action"].values())
        self.types = Counter(a["type"] for a in actions)
        self.status_by_type = defaultdict(Counter)
        self.jurisdictions = Counter(a["jurisdiction"] for a in actions)
        self.authorities = defaultdict(Counter)
        self.targets = Counter(t for a in actions for t in a["targets"])
        self.target_counts = Counter(len(a["targets"]) for a in actions)
        self.topics = Counter(t for a in actions for t in a["topics"])
        self.topic_counts = Counter(len(a["topics"]) for a in actions)
        self.years = Counter(a["date"].year for a in actions)
        self.newest = max(a["date"] for a in actions)
        self.sources_per_record = Counter(len(a["sources"]) for a in actions)
        self.summary_lengths = [len(a["summary"].split()) for a in actions]
        self.title_lengths = [len(a["title"].split()) for a in actions]
        self.fines = defaultdict(list)  # currency -> values
        for a in actions:
            self.status_by_type[a["type"]][a["status"]] += 1
            self.authorities[a["jurisdiction"]][a["authority"]] += 1
            if a["amount"]:
                self.fines[a["amount"]["currency"]].append(float(a["amount"]["value"]))
        self.fine_currencies = Counter({c: len(v) for c, v in self.fines.items()})
        self.words = [w for a in actions for w in a["summary"].split()]
        statements = list(real.records["statement"].values())
        self.speakers = Counter(
            (s["speaker"], s["speaker_kind"], s["jurisdiction"]) for s in statements
        )
        self.quote_lengths = [len(s["quote"].split()) for s in statements]


_CUMULATIVE: dict[int, tuple[list, list]] = {}


def _pick(rng: random.Random, counter: Counter):
    """A value drawn with the counter's frequencies (cumulative weights cached)."""
    cached = _CUMULATIVE.get(id(counter))
    if cached is None:
        items = list(counter)
        total, cumulative = 0, []
        for item in items:
            total += counter[item]
            cumulative.append(total)
        cached = _CUMULATIVE[id(counter)] = (items, cumulative)
    items, cumulative = cached
    return rng.choices(items, cum_weights=cumulative)[0]


class Generator:
    def __init__(self, real: Dataset, seed: int):
        self.real = real
        self.dist = Distributions(real)
        self.rng = random.Random(seed)
        self.pools: dict[int, list[str]] = {}

    def text(self, lengths) -> str:
        """A text of a length drawn from `lengths`, from a pool made once:
        making each text word by word costs more than the rest of a record."""
        pool = self.pools.get(id(lengths))
        if pool is None:
            pool = self.pools[id(lengths)] = [
                " ".join(self.rng.choices(self.dist.words, k=max(3, self.rng.choice(lengths))))
                for _ in range(POOL_SIZE)
            ]
        return self.rng.choice(pool)

    def day(self) -> date:
        """A date in a year drawn like the real ones, never after the newest real one."""
        year = _pick(self.rng, self.dist.years)
        first, newest = date(year, 1, 1), self.dist.newest
        days = (newest - first).days + 1 if year == newest.year else 365
        return first + timedelta(days=self.rng.randrange(days))

    def source(self, i: int) -> dict:
        published = self.day()
        kind = self.rng.choices(["primary", "news"], weights=[2, 1])[0]
        return {
            "id": f"synthetic-source-{i:07d}",
            "kind": kind,
            "title": self.text(self.dist.title_lengths)[:200],
            "publisher": f"Synthetic Publisher {i % 97}",
            "url": f"https://example.invalid/synthetic/{i}",
            "published": published.isoformat(),
        }

    def citations(self, n_sources: int) -> list[dict]:
        count = _pick(self.rng, self.dist.sources_per_record)
        return [
            {
                "source": f"synthetic-source-{self.rng.randrange(n_sources):07d}",
                "quote": self.text(self.dist.quote_lengths),
            }
            for _ in range(count)
        ]

    def action(self, i: int, n_sources: int) -> dict:
        rng, dist = self.rng, self.dist
        kind = _pick(rng, dist.types)
        jurisdiction = _pick(rng, dist.jurisdictions)
        when = self.day()
        record = {
            "id": f"synthetic-{i:07d}-{kind.replace('_', '-')}",
            "type": kind,
            "title": self.text(dist.title_lengths)[:240],
            "summary": self.text(dist.summary_lengths),
            "date": when.isoformat(),
            "date_precision": "day",
            "status": _pick(rng, dist.status_by_type[kind]),
            "jurisdiction": jurisdiction,
            "authority": _pick(rng, dist.authorities[jurisdiction]),
            "targets": sorted(
                {_pick(rng, dist.targets) for _ in range(_pick(rng, dist.target_counts))}
            ),
            "topics": sorted(
                {_pick(rng, dist.topics) for _ in range(_pick(rng, dist.topic_counts))}
            ),
            "legal_basis": [],
            "related": [],
            "sources": self.citations(n_sources),
        }
        if kind == "fine":
            currency = _pick(rng, dist.fine_currencies)
            value = rng.choice(dist.fines[currency]) * rng.uniform(0.2, 3.0)
            record["amount"] = {"value": str(round(value)), "currency": currency}
        if i > 0 and rng.random() < 0.1:
            earlier = rng.randrange(i)
            record["related"] = [{"relation": "follows", "id": self.action_id(earlier)}]
        return record

    def action_id(self, i: int) -> str:
        # Ids depend on the type drawn, so remember them as they are made.
        return self.ids[i]

    def statement(self, i: int, n_actions: int, n_sources: int) -> dict:
        speaker, kind, jurisdiction = _pick(self.rng, self.dist.speakers)
        quote = self.text(self.dist.quote_lengths)
        citations = self.citations(n_sources)
        citations[0]["quote"] = quote
        return {
            "id": f"synthetic-statement-{i:07d}",
            "date": self.day().isoformat(),
            "date_precision": "day",
            "speaker": speaker,
            "speaker_kind": kind,
            "jurisdiction": jurisdiction,
            "title": self.text(self.dist.title_lengths)[:240],
            "quote": quote,
            "summary": self.text(self.dist.summary_lengths),
            "responds_to": [self.ids[self.rng.randrange(n_actions)]],
            "sources": citations,
        }


def _load(schema, raw: dict, sample: bool) -> dict:
    """The record as the build sees it; every SAMPLE_EVERY-th through the schema
    (which is slow), the others converted the same way by hand."""
    if sample:
        return schema.load(raw)
    record = dict(raw)
    for name, field in schema.fields.items():
        if name not in record and field.load_default is not missing:
            default = field.load_default
            record[name] = default() if callable(default) else default
    for key in ("date", "published"):
        if record.get(key):
            record[key] = date.fromisoformat(record[key])
    if record.get("amount"):
        record["amount"] = {**record["amount"], "value": Decimal(record["amount"]["value"])}
    return record


def synthesize(actions: int, statements: int, out: Path, seed: int = 1) -> str:
    real = validate_dataset(DATASET_DIR, None)
    gen = Generator(real, seed)
    n_sources = max(1, actions // 3)
    dataset = Dataset(records={kind: dict(recs) for kind, recs in real.records.items()})
    dataset.records["action"], dataset.records["statement"] = {}, {}
    dataset.records["source"] = {k: v for k, v in real.records["source"].items()}
    schemas = {"action": ActionSchema(), "statement": StatementSchema(), "source": SourceSchema()}

    for i in tqdm(range(n_sources), desc="sources", unit="rec", mininterval=1):
        raw = gen.source(i)
        dataset.records["source"][raw["id"]] = _load(schemas["source"], raw, i % SAMPLE_EVERY == 0)
    gen.ids = []
    for i in tqdm(range(actions), desc="actions", unit="rec", mininterval=1):
        raw = gen.action(i, n_sources)
        gen.ids.append(raw["id"])
        dataset.records["action"][raw["id"]] = _load(schemas["action"], raw, i % SAMPLE_EVERY == 0)
    for i in tqdm(range(statements), desc="statements", unit="rec", mininterval=1):
        raw = gen.statement(i, actions, n_sources)
        dataset.records["statement"][raw["id"]] = _load(
            schemas["statement"], raw, i % SAMPLE_EVERY == 0
        )
    dataset.files = {
        (k, key): f"synthetic/{k}/{key}" for k, recs in dataset.records.items() for key in recs
    }

    with tempfile.TemporaryDirectory() as folder:
        meta = Path(folder)
        (meta / "dataset.yaml").write_text(
            yaml.safe_dump(
                {
                    "name": "Policy Ledger synthetic",
                    "title": f"SYNTHETIC benchmark data: {actions} actions (not real events)",
                    "version": "0.0.0+synthetic",
                    "licence": {
                        "name": "CC0-1.0",
                        "title": "Synthetic data",
                        "url": "https://example.invalid",
                    },
                    "citation": "Synthetic data for benchmarks; not for citation.",
                }
            )
        )
        out = out.resolve()
        tmp = out.with_name(out.name + ".tmp")
        tmp.unlink(missing_ok=True)

        def progress(items, label):
            return tqdm(items, desc=f"writing {label}", unit="rec", mininterval=1)

        summary = write_database(tmp, dataset, meta, progress=progress)
        _verify(tmp, thorough=False)
        tmp.replace(out)
    counts = ", ".join(f"{k}: {v}" for k, v in summary["counts"].items())
    return f"wrote {out} ({counts})"
