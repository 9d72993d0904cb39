"""Reading the seed corpus in tests: raw bytes plus the metadata the texts do not state."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from documents.ingest import DocumentMeta, ParsedDocument, parse_document

SEED_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "seed_corpus"

SEED_000 = "000_55caf7c8ee19f35e.txt"
SEED_001 = "001_50d1ea506c6b7cb2.txt"
SEED_002 = "002_3c56c2009a91f803.txt"
SEED_003 = "003_3c141879d7d9639f.txt"
SEED_004 = "004_714c60ee5c0e1a70.txt"
POLICY_SEEDS = (SEED_000, SEED_001, SEED_002, SEED_003)


def seed_bytes(name: str) -> bytes:
    return (SEED_DIR / name).read_bytes()


def seed_text(name: str) -> str:
    return seed_bytes(name).decode("utf-8")


def seed_meta(name: str) -> DocumentMeta:
    with (SEED_DIR / "metadata.toml").open("rb") as handle:
        fields = dict(tomllib.load(handle).get(name, {}))
    if isinstance(fields.get("issue_date"), dt.datetime):
        fields["issue_date"] = fields["issue_date"].date()
    return DocumentMeta(**fields)


def parse_seed(name: str) -> ParsedDocument:
    return parse_document(seed_bytes(name), filename=name, meta=seed_meta(name))
