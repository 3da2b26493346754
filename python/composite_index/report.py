"""SVG charts and the self-contained HTML report of a run (Rust ``report``).

Charts are SVG text (they need no font file and load nothing); the HTML report
holds the run's tables and charts inline and can be mailed as it is.

>>> html = ci.report.html_report(res, uncertainty=ua)                    # doctest: +SKIP
>>> Path("report.html").write_text(html)                                 # doctest: +SKIP
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from . import _core
from ._pipeline import Results
from .uncertainty import SensitivityResults, UncertaintyResults

_r = _core.report

__all__ = ["charts", "html_report", "ranking_chart", "uncertainty_chart", "sobol_chart"]


def _inner(x):  # type: ignore[no-untyped-def]
    return None if x is None else x._inner


def charts(
    results: Results,
    node: Optional[str] = None,
    *,
    uncertainty: Optional[UncertaintyResults] = None,
    sensitivity: Optional[SensitivityResults] = None,
    all_distributions: bool = False,
) -> List[Tuple[str, str, str]]:
    """Every chart that applies to a run, as ``(name, title, svg)``: ranking,
    framework tree, correlation heatmap, distributions before and after
    treatment, and the analyses' charts when given."""
    return _r.charts(results._inner, node, _inner(uncertainty), _inner(sensitivity), all_distributions)


def html_report(
    results: Results,
    node: Optional[str] = None,
    *,
    uncertainty: Optional[UncertaintyResults] = None,
    sensitivity: Optional[SensitivityResults] = None,
    all_distributions: bool = False,
) -> str:
    """The HTML report of a run (as the command line's ``report.html``)."""
    return _r.html_report(results._inner, node, _inner(uncertainty), _inner(sensitivity), all_distributions)


def ranking_chart(results: Results, node: Optional[str] = None, *, top: Optional[int] = None) -> str:
    """The ranking of ``node`` (default: the index) as SVG, each bar split into
    its children's contributions; ``top`` keeps the first units."""
    return _r.ranking_chart(results._inner, node or results.pipeline.framework.root, top)


def uncertainty_chart(uncertainty: UncertaintyResults, node: Optional[str] = None) -> Optional[str]:
    """Nominal and median ranks with 5th-95th percentile intervals, as SVG."""
    return _r.uncertainty_chart(uncertainty._inner, node, None)


def sobol_chart(sensitivity: SensitivityResults) -> str:
    """First-order and total Sobol indices with their intervals, as SVG."""
    return _r.sobol_chart(sensitivity._inner)
