"""Event patterns: verbs (with particle, object and target slots) and event nouns, read from
TSV data files (format in ``data/events/FORMAT.md``) plus the user's files."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..actors.dictionary import read_tsv, split_multi
from ..config import DATA_DIR, Settings
from ..errors import DataFileError
from .ontology import is_valid

EVENT_DIR = DATA_DIR / "events"


@dataclass(frozen=True)
class VerbPattern:
    id: str  # file:line
    cameo: str
    verb: str  # lemma, with particle ("rule out")
    objects: frozenset[str]  # required object lemmas; empty = none required
    targets: tuple[str, ...]  # dobj, prep:with,to, iobj, dobj.poss, none

    @property
    def specificity(self) -> tuple[int, int]:
        return (1 if self.objects else 0, len(self.cameo))


@dataclass(frozen=True)
class NounPattern:
    id: str
    cameo: str
    noun: str
    targets: tuple[str, ...]
    symmetric: bool


@dataclass
class Patterns:
    verbs: dict[str, list[VerbPattern]]
    nouns: dict[str, NounPattern]
    sources: list[str]

    def for_verb(self, key: str) -> list[VerbPattern]:
        return self.verbs.get(key, [])


def _check_code(code: str, where: str) -> str:
    code = code.strip()
    if not code.isdigit() or not is_valid(code):
        raise DataFileError(f"unknown CAMEO code '{code}'", where)
    return code


def load_file(path: Path, verbs: dict, nouns: dict) -> None:
    name = path.name.lower()
    for lineno, row in read_tsv(path):
        where = f"{path.name}:{lineno}"
        code = _check_code(row.get("cameo", ""), f"{path}:{lineno}")
        if name.startswith("verbs"):
            verb = " ".join(row.get("verb", "").lower().split())
            if not verb:
                raise DataFileError("verb pattern without a verb", f"{path}:{lineno}")
            targets = tuple(split_multi(row.get("target", "")) or ["dobj"])
            objects = frozenset(o.lower() for o in split_multi(row.get("object", "")) if o != "*")
            pat = VerbPattern(where, code, verb, objects, targets)
            lst = verbs.setdefault(verb, [])
            lst[:] = [p for p in lst if p.objects != objects]  # later files override
            lst.append(pat)
        elif name.startswith("nouns"):
            noun = row.get("noun", "").strip().lower()
            if not noun:
                raise DataFileError("noun pattern without a noun", f"{path}:{lineno}")
            nouns[noun] = NounPattern(where, code, noun, tuple(split_multi(row.get("target", ""))),
                                      (row.get("symmetric", "") or "").lower() in ("yes", "y", "true", "1"))
        else:
            raise DataFileError("unknown pattern file kind: name it verbs*.tsv or nouns*.tsv", str(path))


@functools.lru_cache(maxsize=8)
def _load(files: tuple[str, ...]) -> Patterns:
    verbs: dict[str, list[VerbPattern]] = {}
    nouns: dict[str, NounPattern] = {}
    for f in files:
        p = Path(f)
        if not p.exists():
            raise DataFileError("pattern file not found", f)
        load_file(p, verbs, nouns)
    for lst in verbs.values():
        lst.sort(key=lambda p: p.specificity, reverse=True)
    return Patterns(verbs, nouns, list(files))


def load_patterns(settings: Settings | None = None) -> Patterns:
    settings = settings or Settings()
    files = [str(p) for p in sorted(EVENT_DIR.glob("verbs*.tsv")) + sorted(EVENT_DIR.glob("nouns*.tsv"))]
    files += [str(Path(f).resolve()) for f in settings.pattern_files]
    return _load(tuple(files))
