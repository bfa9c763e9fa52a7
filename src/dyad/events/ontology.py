"""The CAMEO event ontology: labels, Goldstein scores, QuadClass and PLOVER, from one table
(``data/events/cameo.tsv``, built by ``scripts/build_cameo_table.py``; origin in its header)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from ..config import DATA_DIR
from ..actors.dictionary import read_tsv


@dataclass(frozen=True)
class CameoCode:
    code: str
    label: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


@functools.lru_cache(maxsize=1)
def cameo_table() -> dict[str, CameoCode]:
    table = {}
    for _, row in read_tsv(DATA_DIR / "events" / "cameo.tsv"):
        table[row["code"]] = CameoCode(
            row["code"], row["label"], float(row["goldstein"]), int(row["quad_class"]),
            row.get("plover") or None, row.get("plover_mode") or None, row.get("plover_context") or None,
        )
    return table


def lookup(code: str) -> CameoCode | None:
    """The entry of a code, falling back to its parent (1712 -> 171 -> 17)."""
    table = cameo_table()
    for k in (code, code[:3], code[:2]):
        if k in table:
            entry = table[k]
            return entry if k == code else CameoCode(code, entry.label, entry.goldstein, entry.quad_class,
                                                     entry.plover, entry.plover_mode, entry.plover_context)
    return None


def is_valid(code: str) -> bool:
    return code in cameo_table()


def root(code: str) -> str:
    return code[:2]
