"""Evaluation against the gold sets of EVALUATION.md; each set has its own module."""
from __future__ import annotations

import importlib
from typing import Any

from ..config import shared_data_dir

# name -> (module, function, folder under ../shared/data; the seed set lives beside data/)
EVALUATIONS = {
    "seed": ("seed", "evaluate_seed", "../seed"),
    "temporal": ("temporal", "evaluate_temporal", "temporal"),
    "quotes": ("quotes", "evaluate_quotes", "quotes/polnear"),
    "extraction": ("extraction", "evaluate_extraction", "extraction/zyte"),
    "plover": ("plover", "evaluate_plover", "events/plover-gsr"),
    "petrarch": ("petrarch", "evaluate_petrarch", "events/petrarch2-gsr"),
}


def run_eval(what: str, data_dir: str | None = None) -> tuple[dict[str, Any], str]:
    """Run one evaluation; returns (report dict, readable text)."""
    if what not in EVALUATIONS:
        raise ValueError(f"unknown evaluation '{what}': expected one of {', '.join(EVALUATIONS)}")
    module_name, function, folder = EVALUATIONS[what]
    module = importlib.import_module(f".{module_name}", __name__)
    path = data_dir or str((shared_data_dir() / folder).resolve())
    report = getattr(module, function)(path)
    return report, module.format_report(report)
