"""Uncertainty (Monte Carlo) and sensitivity (Sobol) analysis of an index.

The runs are made by the Rust core in parallel, without the GIL; the same spec
and seed give bit-identical numbers on any number of threads, and the same
numbers as the Rust API (``uncertainty::uncertainty_analysis``) and the
command line (``composite-index uncertainty``).

An analysis is described as in Rust and the command line (a dict, TOML or
JSON, or a spec object)::

    ua = {
        "runs": 1000, "seed": 42,
        "inputs": [
            {"kind": "weight_noise", "level": 2, "factor": 0.25},
            {"kind": "alternatives", "step": "aggregate", "alternatives": [
                {"stage": "aggregate", "default": {"method": "arithmetic_mean"}},
                {"stage": "aggregate", "default": {"method": "geometric_mean"}},
            ]},
        ],
    }
    res = uncertainty_analysis(pipeline, ua, progress=True)
    res.intervals("Index")     # nominal, median, 5th and 95th percentile ranks
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import SensitivitySpec, UncertaintySpec
from ._pipeline import Pipeline

__all__ = [
    "UncertaintySpec",
    "SensitivitySpec",
    "UncertaintyResults",
    "SensitivityResults",
    "uncertainty_analysis",
    "sensitivity_analysis",
]

Progress = Union[bool, Callable[[int, int], Any], None]


def _spec(cls: Any, spec: Any) -> Any:
    if isinstance(spec, cls):
        return spec
    if isinstance(spec, Mapping):
        return cls.from_dict(dict(spec))
    if isinstance(spec, str):
        return cls.from_json(spec) if spec.lstrip().startswith("{") else cls.from_toml(spec)
    raise TypeError(f"expected a {cls.__name__}, a dict, TOML or JSON text, not {type(spec).__name__}")


class _Bar:
    """A tqdm progress bar fed with (done, total) from the core."""

    def __init__(self, desc: str) -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("progress=True needs tqdm: pip install tqdm") from e
        self._tqdm = tqdm
        self._bar: Any = None
        self._desc = desc

    def __call__(self, done: int, total: int) -> None:
        if total == 0:
            return
        if self._bar is None:
            self._bar = self._tqdm(total=total, desc=self._desc, unit="run")
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _callback(progress: Progress, desc: str) -> Any:
    if progress is True:
        return _Bar(desc)
    if progress is False or progress is None:
        return None
    if not callable(progress):
        raise TypeError("progress is True, False or a callable(done, total)")
    return progress


class UncertaintyResults:
    """Results of :func:`uncertainty_analysis` (Rust ``UncertaintyResults``).

    ``raw`` holds every field as plain Python objects (as the command line's
    ``uncertainty.json``); :meth:`intervals` gives one node's table.
    """

    def __init__(self, inner: "_core.UncertaintyResults", pipeline: Pipeline) -> None:
        self._inner = inner
        self.pipeline = pipeline
        self.raw: Dict[str, Any] = inner.to_dict()

    @property
    def runs(self) -> int:
        """Runs attempted."""
        return self.raw["runs"]

    @property
    def failed(self) -> pd.DataFrame:
        """Failed runs (left out of every summary) with the reason."""
        return pd.DataFrame(self.raw["failed"], columns=["run", "reason"])

    @property
    def inputs(self) -> List[str]:
        """Labels of the uncertain inputs."""
        return self.raw["inputs"]

    @property
    def nodes(self) -> List[str]:
        """The reported nodes."""
        return [n["node"] for n in self.raw["nodes"]]

    @property
    def choices(self) -> pd.DataFrame:
        """The option each input took in each run (runs x inputs)."""
        return pd.DataFrame(self.raw["choices"], columns=self.inputs)

    def _node(self, node: Optional[str]) -> Dict[str, Any]:
        nodes = self.raw["nodes"]
        if node is None:
            return nodes[0]
        for n in nodes:
            if n["node"] == node:
                return n
        raise KeyError(f"node {node!r} was not reported; reported: {', '.join(self.nodes)}")

    def intervals(self, node: Optional[str] = None) -> pd.DataFrame:
        """Per unit of ``node`` (default: the first target, the index): nominal
        rank and score; mean, median, 5th and 95th percentile of rank and
        score; share of runs within ``within`` ranks of the nominal; runs."""
        units = self._node(node)["units"]
        frame = pd.DataFrame(units).rename(columns={"unit": "uCode"})
        frame["nominal_rank"] = pd.array(frame["nominal_rank"].tolist(), dtype="Int64")
        names = dict(zip(self.pipeline.data.unit_codes, self.pipeline.data.unit_names))
        frame.insert(1, "uName", [names.get(u, u) for u in frame["uCode"]])
        return frame

    def distribution(self, node: Optional[str] = None) -> Optional[np.ndarray]:
        """Every successful run's ranks (runs x units, NaN = missing), when the
        analysis kept them (``keep_distribution``)."""
        d = self._node(node)["distribution"]
        return None if d is None else np.asarray(d, dtype=np.float64)

    def to_json(self) -> str:
        """The results as JSON, as the command line writes ``uncertainty.json``."""
        return self._inner.to_json()

    def __repr__(self) -> str:
        return f"UncertaintyResults({self.runs} runs, {len(self.raw['failed'])} failed, inputs {self.inputs})"


class SensitivityResults:
    """Results of :func:`sensitivity_analysis` (Rust ``SensitivityResults``)."""

    def __init__(self, inner: "_core.SensitivityResults", pipeline: Pipeline) -> None:
        self._inner = inner
        self.pipeline = pipeline
        self.raw: Dict[str, Any] = inner.to_dict()

    @property
    def runs(self) -> int:
        """Runs made: ``N (d + 2)``."""
        return self.raw["runs"]

    @property
    def target(self) -> str:
        """The node whose ranks are the output."""
        return self.raw["target"]

    @staticmethod
    def _table(result: Dict[str, Any]) -> pd.DataFrame:
        rows = []
        for i in result["indices"]:
            rows.append(
                {
                    "input": i["input"],
                    "S": i["first"],
                    "S_low": i["first_interval"][0],
                    "S_high": i["first_interval"][1],
                    "ST": i["total"],
                    "ST_low": i["total_interval"][0],
                    "ST_high": i["total_interval"][1],
                }
            )
        return pd.DataFrame(rows)

    def indices(self, unit: Optional[str] = None) -> pd.DataFrame:
        """First-order (S) and total (ST) Sobol indices with bootstrap
        intervals, of the mean absolute rank shift or, with ``unit``, of that
        unit's rank (when the analysis computed them, ``per_unit``)."""
        if unit is None:
            return self._table(self.raw["mean_rank_shift"])
        for u, r in self.raw["per_unit"]:
            if u == unit:
                return self._table(r)
        raise KeyError(f"no per-unit indices for {unit!r} (set per_unit = true)")

    def convergence(self) -> pd.DataFrame:
        """The indices at N/8, N/4, N/2 and N rows (long format)."""
        rows = []
        names = [i["input"] for i in self.raw["mean_rank_shift"]["indices"]]
        for step in self.raw["mean_rank_shift"]["convergence"]:
            for name, s, st in zip(names, step["first"], step["total"]):
                rows.append({"n": step["n"], "input": name, "S": s, "ST": st})
        return pd.DataFrame(rows)

    def to_json(self) -> str:
        """The results as JSON, as the command line writes ``sensitivity.json``."""
        return self._inner.to_json()

    def __repr__(self) -> str:
        return f"SensitivityResults({self.runs} runs, target {self.target!r})"


def _run(fn: Any, pipeline: Pipeline, spec: Any, threads: Optional[int], progress: Progress, desc: str) -> Any:
    if not isinstance(pipeline, Pipeline):
        raise TypeError(f"expected a Pipeline, not {type(pipeline).__name__}")
    cb = _callback(progress, desc)
    try:
        return fn(pipeline._inner, spec, threads, cb)
    finally:
        if isinstance(cb, _Bar):
            cb.close()


def uncertainty_analysis(
    pipeline: Pipeline,
    spec: Union[UncertaintySpec, Mapping[str, Any], str],
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
) -> UncertaintyResults:
    """Monte Carlo uncertainty analysis (Rust ``uncertainty::uncertainty_analysis``).

    ``spec`` says what varies (``inputs``: alternative steps, winsorisation
    limits, weight noise, exclusions), ``runs`` and ``seed``. ``threads``:
    None for all cores, 1 for serial; results are identical either way.
    ``progress=True`` shows a tqdm bar; a callable receives ``(done, total)``
    about ten times a second. The GIL is released during the runs.
    """
    s = _spec(UncertaintySpec, spec)
    inner = _run(_core.uncertainty_analysis_raw, pipeline, s, threads, progress, "uncertainty")
    return UncertaintyResults(inner, pipeline)


def sensitivity_analysis(
    pipeline: Pipeline,
    spec: Union[SensitivitySpec, Mapping[str, Any], str],
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
) -> SensitivityResults:
    """Sobol sensitivity analysis (Rust ``uncertainty::sensitivity_analysis``):
    a Saltelli design of ``N (d + 2)`` runs, first-order and total indices of
    the mean absolute rank shift with bootstrap intervals. Arguments as
    :func:`uncertainty_analysis`."""
    s = _spec(SensitivitySpec, spec)
    inner = _run(_core.sensitivity_analysis_raw, pipeline, s, threads, progress, "sensitivity")
    return SensitivityResults(inner, pipeline)
