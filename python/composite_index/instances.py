"""The GII and PII instances (Rust ``instances``): frameworks, specs and
methods of WIPO's Global Innovation Index and Vietnam's Provincial Innovation
Index, with the provenance of every fact documented in the crate.

>>> import composite_index as ci                                        # doctest: +SKIP
>>> data = ci.read_dataset("data/gii/synthetic_2025.csv")              # doctest: +SKIP
>>> run = ci.instances.gii.run(data, 2025)                             # doctest: +SKIP
>>> run.table().head()                                                  # doctest: +SKIP
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import pandas as pd

from . import _core
from ._core import FrameworkSpec, IndexSpec
from ._pipeline import Dataset, Pipeline, Results

_i = _core.instances

__all__ = ["GiiRun", "gii", "names", "pii", "spec"]


class GiiRun:
    """A run of the GII or PII method (Rust ``GiiRun``): the pipeline, its
    results, the coverage report and the publication table."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.pipeline = Pipeline._wrap(inner.pipeline)
        self.results = Results(inner.results, self.pipeline)

    @property
    def coverage(self) -> Dict[str, Any]:
        """The data-coverage report (per unit: the share of indicators and the
        children with data, and whether the rule is met)."""
        return self._inner.coverage

    @property
    def excluded(self) -> List[str]:
        """Units left out for too little data (with ``exclude_below_coverage``)."""
        return self._inner.excluded

    @property
    def log_fallbacks(self) -> List[str]:
        """Indicators whose log transform fell back to another transform."""
        return self._inner.log_fallbacks

    @property
    def codes(self) -> Tuple[str, str, str]:
        """Codes of the index, the input and the output sub-index."""
        return self._inner.codes

    def table(self) -> pd.DataFrame:
        """The publication table sorted by rank: score and rank, input and output
        sub-indices with their ranks, efficiency ratio, coverage."""
        frame = pd.DataFrame(self._inner.table())
        for c in ("rank", "input_rank", "output_rank"):
            frame[c] = pd.array(frame[c].tolist(), dtype="Int64")
        frame["efficiency"] = frame["efficiency"].astype("float64")
        return frame

    def __repr__(self) -> str:
        return f"GiiRun({len(self.results.unit_codes)} units, {len(self.excluded)} excluded)"


def _gii_spec(year: int = 2025) -> IndexSpec:
    """The GII's specification of an edition (2024 or 2025)."""
    return _i.gii_spec(year)


def _gii_framework(year: int = 2025) -> FrameworkSpec:
    """The GII's framework of an edition."""
    return _i.gii_framework(year)


def _gii_run(
    data: Dataset,
    year: int = 2025,
    *,
    exclude_below_coverage: bool = False,
    coverage: Optional[Mapping[str, Any]] = None,
) -> GiiRun:
    """Runs the GII method of an edition on a data set (columns named by the
    crate's indicator codes). ``coverage`` replaces the data-coverage rule (a
    dict of ``CoverageRule`` fields)."""
    return GiiRun(_i.gii_run(data._inner, year, exclude_below_coverage, None if coverage is None else dict(coverage)))


def _read_wipo_xlsx(path: str, year: int = 2025) -> Dataset:
    """The data set of WIPO's official GII workbook (.xlsx)."""
    return Dataset._wrap(_i.read_wipo_xlsx(path, year))


def _pii_spec(year: int = 2025) -> IndexSpec:
    """The PII's specification for an edition year."""
    return _i.pii_spec(year)


def _pii_framework(year: int = 2025) -> FrameworkSpec:
    """The PII's framework for an edition year."""
    return _i.pii_framework(year)


def _pii_run(
    data: Dataset,
    year: int = 2025,
    *,
    exclude_below_coverage: bool = False,
    coverage: Optional[Mapping[str, Any]] = None,
) -> GiiRun:
    """Runs the PII method of an edition on a data set."""
    return GiiRun(_i.pii_run(data._inner, year, exclude_below_coverage, None if coverage is None else dict(coverage)))


def names() -> List[str]:
    """Names of the specifications shipped with the crate (``"gii-2025"``, ...)."""
    return list(_i.names())


def spec(name: str) -> IndexSpec:
    """A shipped specification by name (``"gii-2025"``, ``"pii-2025"``): the same
    file the Rust crate and the command line run."""
    return _i.spec(name)


#: The Global Innovation Index: ``spec(year)``, ``framework(year)``,
#: ``run(data, year)``, ``read_wipo_xlsx(path, year)``.
gii = SimpleNamespace(spec=_gii_spec, framework=_gii_framework, run=_gii_run, read_wipo_xlsx=_read_wipo_xlsx)

#: The Provincial Innovation Index: ``spec(year)``, ``framework(year)``, ``run(data, year)``.
pii = SimpleNamespace(spec=_pii_spec, framework=_pii_framework, run=_pii_run)
