"""Evaluation against the gold sets of EVALUATION.md; each set has its own module."""
from __future__ import annotations

from typing import Any

from ..config import shared_data_dir


def run_eval(what: str, data_dir: str | None = None) -> tuple[dict[str, Any], str]:
    """Run one evaluation; returns (report dict, readable text)."""
    base = shared_data_dir() if data_dir is None else None
    if what == "seed":
        from .seed import evaluate_seed, format_report

        path = data_dir or str(base.parent / "seed")
        report = evaluate_seed(path)
        return report, format_report(report)
    if what == "temporal":
        from .temporal import evaluate_temporal, format_report

        report = evaluate_temporal(data_dir or str(base / "temporal"))
        return report, format_report(report)
    if what == "quotes":
        from .quotes import evaluate_quotes, format_report

        report = evaluate_quotes(data_dir or str(base / "quotes" / "polnear"))
        return report, format_report(report)
    if what == "extraction":
        from .extraction import evaluate_extraction, format_report

        report = evaluate_extraction(data_dir or str(base / "extraction" / "zyte"))
        return report, format_report(report)
    if what == "plover":
        from .plover import evaluate_plover, format_report

        report = evaluate_plover(data_dir or str(base / "events" / "plover-gsr"))
        return report, format_report(report)
    if what == "petrarch":
        from .petrarch import evaluate_petrarch, format_report

        report = evaluate_petrarch(data_dir or str(base / "events" / "petrarch2-gsr"))
        return report, format_report(report)
    raise ValueError(f"unknown evaluation '{what}'")
