"""Data sets, pipelines and results: pandas in, pandas out.

The numbers are computed by the Rust core (``composite_index._core``); this
module only moves them between pandas/numpy and the core.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import FrameworkSpec, IndexSpec
from .errors import DataError

__all__ = [
    "Dataset",
    "FittedPipeline",
    "Pipeline",
    "Results",
    "StepReport",
    "as_spec",
    "read_coinr",
    "read_dataset",
    "fit",
    "run",
]

SpecLike = Union[IndexSpec, str, "os.PathLike[str]", Mapping[str, Any]]
TableLike = Union[pd.DataFrame, str, "os.PathLike[str]"]


# ----------------------------------------------------------------------- specs


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and "=" not in text and text.strip().lower().endswith((".toml", ".json"))


def as_spec(spec: SpecLike, framework: Optional[FrameworkSpec] = None) -> IndexSpec:
    """An :class:`IndexSpec` from a spec, a path to a TOML/JSON file, TOML text
    or a dict.

    With ``framework`` (e.g. from COINr's iMeta table), a spec that has no
    framework, or one with no nodes, takes it.
    """
    if isinstance(spec, IndexSpec):
        if framework is not None and len(spec.framework) == 0:
            return spec.with_framework(framework)
        return spec
    if isinstance(spec, Mapping):
        d = dict(spec)
        if framework is not None and not d.get("framework", {}).get("nodes"):
            d["framework"] = framework.to_dict()
        return IndexSpec.from_dict(d)
    if isinstance(spec, os.PathLike) or (isinstance(spec, str) and _looks_like_path(spec)):
        path = Path(spec)
        if framework is None:
            return IndexSpec.from_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise DataError(f"cannot access {path}: {e}", variant="Io", path=str(path), reason=str(e)) from e
        fmt = "json" if path.suffix.lower() == ".json" else "toml"
        return IndexSpec.parse(text, fmt, framework)
    if isinstance(spec, str):
        fmt = "json" if spec.lstrip().startswith("{") else "toml"
        return IndexSpec.parse(spec, fmt, framework)
    raise TypeError(f"a spec is an IndexSpec, a path, TOML text or a dict, not {type(spec).__name__}")


# ------------------------------------------------------------------------ data


def _numeric(frame: pd.DataFrame, column: str, units: List[str]) -> np.ndarray:
    """One column as float64 (NaN = missing); text cells are parsed with the
    crate's rules (``io::parse_cell``), whose errors name the row, unit and column."""
    s = frame[column]
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    cells = [None if (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA) else str(v) for v in s]
    return _core.parse_cells(cells, column, units)


def _labels(frame: pd.DataFrame, column: str) -> List[Optional[str]]:
    return [None if pd.isna(v) else str(v) for v in frame[column]]


class Dataset:
    """A validated units x indicators data set (Rust ``Dataset``).

    Missing values are NaN. Beside the indicators it keeps unit names, group
    (label) columns, denominators and a time column. Construction checks that
    unit codes are unique and not empty, column names unique and no value
    infinite; errors are :class:`~composite_index.DataError` naming the row,
    unit and column.

    Build one from numpy (``Dataset(units, indicators, values)``), from a
    DataFrame (:meth:`from_frame`), from COINr's tables (:func:`read_coinr`) or
    from a CSV file (:func:`read_dataset`).
    """

    def __init__(
        self,
        unit_codes: Sequence[str],
        indicator_codes: Sequence[str],
        values: Any,
        *,
        unit_names: Optional[Sequence[str]] = None,
        groups: Optional[Mapping[str, Sequence[Optional[str]]]] = None,
        denominators: Optional[Mapping[str, Any]] = None,
        time: Any = None,
    ) -> None:
        m = np.asarray(values, dtype=np.float64)
        if m.ndim != 2:
            raise ValueError(f"values must be a 2-D array (units x indicators), not {m.ndim}-D")
        self._inner = _core.Dataset(
            [str(u) for u in unit_codes],
            [str(c) for c in indicator_codes],
            m,
            None if unit_names is None else [str(n) for n in unit_names],
            [(k, [None if v is None else str(v) for v in vals]) for k, vals in (groups or {}).items()],
            [(k, np.asarray(v, dtype=np.float64)) for k, v in (denominators or {}).items()],
            None if time is None else np.asarray(time, dtype=np.float64),
        )

    @classmethod
    def _wrap(cls, inner: "_core.Dataset") -> "Dataset":
        d = cls.__new__(cls)
        d._inner = inner
        return d

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        unit_code: str = "uCode",
        unit_name: Optional[str] = "uName",
        time: Optional[str] = "Time",
        groups: Iterable[str] = (),
        denominators: Iterable[str] = (),
        indicators: Optional[Iterable[str]] = None,
        ignore: Iterable[str] = (),
    ) -> "Dataset":
        """A data set from a DataFrame with one row per unit.

        Column roles are those of the crate's CSV reader (``io::CsvRoles``):
        ``unit_code`` (required), ``unit_name`` and ``time`` (used when
        present), ``groups`` (labels), ``denominators``; ``indicators=None``
        takes every other column not in ``ignore``, and a list makes any
        column without a role an error.
        """
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"expected a pandas DataFrame, not {type(frame).__name__}")
        columns = [str(c) for c in frame.columns]
        if len(set(columns)) != len(columns):
            dup = next(c for c in columns if columns.count(c) > 1)
            raise DataError(
                f'duplicate column "{dup}" in the data frame',
                variant="DuplicateColumn", column=dup, context="the data frame",
            )
        frame = frame.set_axis(columns, axis=1)
        groups, denominators, ignore = list(groups), list(denominators), list(ignore)

        def need(c: str) -> str:
            if c not in frame.columns:
                raise DataError(
                    f'missing column "{c}" in the data frame',
                    variant="MissingColumn", column=c, context="the data frame",
                )
            return c

        need(unit_code)
        for c in groups + denominators + ignore:
            need(c)
        name_col = unit_name if unit_name in frame.columns else None
        time_col = time if time in frame.columns else None
        taken = {unit_code, *groups, *denominators, *ignore}
        taken |= {c for c in (name_col, time_col) if c is not None}
        if indicators is None:
            ind = [c for c in columns if c not in taken]
        else:
            ind = [need(str(c)) for c in indicators]
            for c in columns:
                if c not in taken and c not in ind:
                    raise DataError(
                        f'unknown column "{c}" in the data frame: it is not in the framework nor '
                        "declared as a group, denominator, name or time column",
                        variant="UnknownColumn", column=c, context="the data frame",
                    )
        units = ["" if pd.isna(u) else str(u) for u in frame[unit_code]]
        n = len(units)
        values = np.empty((n, len(ind)), dtype=np.float64, order="F")
        for j, c in enumerate(ind):
            values[:, j] = _numeric(frame, c, units)
        return cls(
            units,
            ind,
            values,
            unit_names=None if name_col is None else [str(v) for v in frame[name_col]],
            groups={g: _labels(frame, g) for g in groups},
            denominators={d: _numeric(frame, d, units) for d in denominators},
            time=None if time_col is None else _numeric(frame, time_col, units),
        )

    @property
    def unit_codes(self) -> List[str]:
        """Unit codes, in row order."""
        return self._inner.unit_codes

    @property
    def unit_names(self) -> List[str]:
        """Unit names, in row order (the codes when none were given)."""
        return self._inner.unit_names

    @property
    def indicator_codes(self) -> List[str]:
        """Indicator codes, in column order."""
        return self._inner.indicator_codes

    @property
    def shape(self) -> Tuple[int, int]:
        """(units, indicators)."""
        return self._inner.shape

    @property
    def values(self) -> np.ndarray:
        """The units x indicators matrix (a copy; NaN = missing)."""
        n, k = self.shape
        return self._inner.values_flat().reshape((k, n)).T

    def to_frame(self) -> pd.DataFrame:
        """The data set in COINr's iData layout: uCode, uName, group and
        denominator columns, Time (when present), then the indicators."""
        n, k = self.shape
        cols: Dict[str, Any] = {"uCode": self.unit_codes, "uName": self.unit_names}
        for name, labels in self._inner.groups:
            cols[name] = labels
        for name, vals in self._inner.denominators:
            cols[name] = np.asarray(vals, dtype=np.float64)
        t = self._inner.time
        if t is not None:
            cols["Time"] = np.asarray(t, dtype=np.float64)
        head = pd.DataFrame(cols)
        body = pd.DataFrame(self.values, columns=self.indicator_codes)
        return pd.concat([head, body], axis=1)

    def __repr__(self) -> str:
        return repr(self._inner)


def _table_text(table: TableLike) -> Tuple[str, str]:
    """CSV text and a name for messages, from a DataFrame or a path."""
    if isinstance(table, pd.DataFrame):
        return table.to_csv(index=False), "data frame"
    path = Path(table)
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except OSError as e:
        raise DataError(f"cannot access {path}: {e}", variant="Io", path=str(path), reason=str(e)) from e


def read_coinr(imeta: TableLike, idata: TableLike) -> Tuple[FrameworkSpec, Dataset]:
    """COINr's ``iMeta`` and ``iData`` tables (DataFrames or CSV paths) into a
    framework and a data set, with the crate's reader (Rust
    ``io::read_coinr``, as the command line reads them).

    ``iMeta`` has ``Level, iCode, iName, Direction, Weight, Parent, Type`` and
    optionally ``Unit, Target, Denominator``; rows of ``Type`` ``Group``,
    ``Denominator`` and ``Other`` give the roles of the other ``iData``
    columns. Any ``iData`` column not in ``iMeta`` (besides uCode, uName and
    Time) is an error.

    DataFrames are passed to the core as CSV text with every float written
    exactly. pandas 3 reads CSV floats exactly; with older pandas read the files
    with ``float_precision="round_trip"`` (the default parser may differ in the
    last bit), or pass the paths, which the crate reads itself.
    """
    meta_text, meta_name = _table_text(imeta)
    data_text, data_name = _table_text(idata)
    fw, data = _core.read_coinr(meta_text, data_text, data_name if data_name != "data frame" else meta_name)
    return fw, Dataset._wrap(data)


def read_dataset(
    table: TableLike,
    *,
    unit_code: str = "uCode",
    unit_name: Optional[str] = "uName",
    time: Optional[str] = "Time",
    groups: Iterable[str] = (),
    denominators: Iterable[str] = (),
    indicators: Optional[Iterable[str]] = None,
    ignore: Iterable[str] = (),
) -> Dataset:
    """A data set from a CSV file (or a DataFrame) with the crate's reader
    (Rust ``io::read_dataset``); roles as in :meth:`Dataset.from_frame`."""
    text, name = _table_text(table)
    inner = _core.read_dataset(
        text,
        unit_code,
        unit_name,
        time,
        list(groups),
        list(denominators),
        None if indicators is None else list(indicators),
        list(ignore),
        name,
    )
    return Dataset._wrap(inner)


def _roles_for(frame: pd.DataFrame, spec: IndexSpec, roles: Mapping[str, Any]) -> Dict[str, Any]:
    """Roles of a data frame's columns for a spec, as the command line gives
    them to a CSV table: the framework's indicators are indicators; columns
    named as denominators in the spec (or given) are denominators; every other
    column is a group (label) column."""
    out = dict(roles)
    code = out.get("unit_code", "uCode")
    name = out.get("unit_name", "uName")
    time = out.get("time", "Time")
    d = spec.to_dict()
    nodes = d["framework"]["nodes"]
    parents = {n.get("parent") for n in nodes}
    indicators = [n["code"] for n in nodes if n["code"] not in parents]
    dens = list(out.get("denominators", ()))
    named = {n["denominator"] for n in nodes if n.get("denominator")}
    for s in d.get("steps", []):
        if s.get("stage") == "denominate":
            named |= set(s.get("denominators", {}).values())
    for c in sorted(named):
        if c in frame.columns and c not in dens and c not in indicators:
            dens.append(c)
    groups = list(out.get("groups", ()))
    ignore = list(out.get("ignore", ()))
    for c in frame.columns:
        if c in (code, name, time) or c in indicators or c in dens or c in groups or c in ignore:
            continue
        groups.append(c)
    out.update(denominators=dens, groups=groups, ignore=ignore)
    out.setdefault("indicators", None)
    return out


def _data_from_spec(spec: IndexSpec, base: Optional[Path]) -> Dataset:
    table = spec.data
    if not table:
        raise TypeError(
            "no data given: pass data=..., or imeta=... with idata=..., or name the data in a [data] table of the spec"
        )
    root = base.parent if base is not None else Path.cwd()

    def at(p: str) -> Path:
        q = Path(p)
        return q if q.is_absolute() else root / q

    if table.get("imeta") and table.get("idata"):
        return read_coinr(at(table["imeta"]), at(table["idata"]))[1]
    if table.get("csv"):
        frame = pd.read_csv(at(table["csv"]), keep_default_na=False, dtype=str)
        roles = {k: table[k] for k in ("groups", "denominators", "ignore", "unit_code", "unit_name", "time") if k in table}
        return read_dataset(at(table["csv"]), **_roles_for(frame, spec, roles))
    raise TypeError("the [data] table of the spec names neither csv nor imeta and idata")


# -------------------------------------------------------------------- pipeline


class Pipeline:
    """A spec validated against its data (Rust ``Pipeline``): resolved once,
    run many times.

    ``Pipeline(spec, data)`` checks the framework (every problem at once: a
    :class:`~composite_index.FrameworkError` lists them all), the steps'
    parameters and the codes they name.
    """

    def __init__(self, spec: SpecLike, data: Union[Dataset, pd.DataFrame], **roles: Any) -> None:
        s = as_spec(spec)
        if isinstance(data, pd.DataFrame):
            data = Dataset.from_frame(data, **_roles_for(data, s, roles))
        if not isinstance(data, Dataset):
            raise TypeError(f"data must be a Dataset or a DataFrame, not {type(data).__name__}")
        self._inner = _core.Pipeline(s, data._inner)

    @classmethod
    def _wrap(cls, inner: "_core.Pipeline") -> "Pipeline":
        p = cls.__new__(cls)
        p._inner = inner
        return p

    def run(self) -> "Results":
        """Runs every step; returns the :class:`Results` (the GIL is released
        while the core computes)."""
        return Results(self._inner.run(), self)

    def run_final_only(self) -> "Results":
        """Runs every step but keeps only the final data set (less memory for
        large data)."""
        return Results(self._inner.run_final_only(), self)

    def fit(self) -> "FittedPipeline":
        """Fits every step on the pipeline's data and freezes what it learned
        (imputation values, treatment limits, normalisation parameters,
        weights) in a :class:`FittedPipeline`.

        Raises :class:`~composite_index.SpecError` for a step that cannot be
        frozen (Copeland or custom aggregation, custom normalisers).
        """
        return FittedPipeline._wrap(self._inner.fit())

    def run_and_fit(self) -> Tuple["Results", "FittedPipeline"]:
        """:meth:`run` and :meth:`fit` in one pass: ``(results, fitted)``."""
        r, f = self._inner.run_and_fit()
        return Results(r, self), FittedPipeline._wrap(f)

    def with_step(self, i: int, step: Mapping[str, Any]) -> "Pipeline":
        """A copy of the pipeline with step ``i`` replaced by ``step`` (a dict
        with its ``stage``, as in the spec), validating only that step."""
        return Pipeline._wrap(self._inner.with_step(i, json.dumps(dict(step))))

    @property
    def spec(self) -> IndexSpec:
        """The specification (with the steps as set)."""
        return self._inner.spec

    @property
    def framework(self) -> "_core.Framework":
        """The validated framework."""
        return self._inner.framework

    @property
    def data(self) -> Dataset:
        """The input data."""
        return Dataset._wrap(self._inner.data)

    def __repr__(self) -> str:
        return repr(self._inner)


class FittedPipeline:
    """A pipeline with every learned parameter frozen (Rust ``FittedPipeline``).

    Made by :meth:`Pipeline.fit` (or :func:`fit`) on reference data, it scores
    new data with the reference's parameters, without refitting:

    ========== ==========================================================
    step       what is frozen
    ========== ==========================================================
    impute     each indicator's mean, median or group values; the EM model
    treat      winsorisation limits, whether the log transform ran, its
               minimum and maximum
    normalise  minimum and maximum, mean and sd, sorted reference values,
               reference unit value of each indicator
    aggregate  the weights of every node
    ========== ==========================================================

    Denominate and screen act unit by unit and learn nothing. Applied to its
    own reference data it gives the very numbers :meth:`Pipeline.run` gives
    (bit for bit), and because every frozen step acts on each unit alone,
    applying it to data in chunks of any size gives the same scores as one
    pass: fit once, then map :meth:`apply` over chunks (see
    ``examples/dask_scoring.py``).

    It is saved as JSON (:meth:`to_json`, :meth:`from_json`; numbers round-trip
    exactly) and pickles through that JSON.
    """

    def __init__(self, inner: "_core.FittedPipeline") -> None:
        self._inner = inner

    @classmethod
    def _wrap(cls, inner: "_core.FittedPipeline") -> "FittedPipeline":
        return cls(inner)

    def _data(self, data: Union[Dataset, pd.DataFrame], roles: Mapping[str, Any]) -> Dataset:
        if isinstance(data, pd.DataFrame):
            return Dataset.from_frame(data, **_roles_for(data, self.spec, roles))
        if isinstance(data, Dataset):
            return data
        raise TypeError(f"data must be a Dataset or a DataFrame, not {type(data).__name__}")

    def apply(self, data: Union[Dataset, pd.DataFrame], **roles: Any) -> "Results":
        """Scores ``data`` (a :class:`Dataset` or a DataFrame, column roles as
        in :func:`run`) with the frozen parameters: each unit's scores do not
        depend on which other units are in ``data``. Screening force lists
        naming units absent from ``data`` are ignored.

        Raises the validation errors of :class:`Pipeline` (an indicator missing
        from ``data``...) and :class:`~composite_index.MethodError` (variant
        ``Domain``) for a value outside the domain of a frozen transform,
        naming the unit and indicator.
        """
        d = self._data(data, roles)
        inner = self._inner.apply(d._inner)
        return Results(inner, Pipeline._wrap(inner.pipeline))

    def apply_final_only(self, data: Union[Dataset, pd.DataFrame], **roles: Any) -> "Results":
        """As :meth:`apply`, keeping only the final data set (less memory for
        large data)."""
        d = self._data(data, roles)
        inner = self._inner.apply_final_only(d._inner)
        return Results(inner, Pipeline._wrap(inner.pipeline))

    def to_json(self) -> str:
        """The fitted pipeline as JSON: the spec, one fitted step per step and
        the reference units (numbers round-trip exactly)."""
        return self._inner.to_json()

    @classmethod
    def from_json(cls, text: str) -> "FittedPipeline":
        """Reads a fitted pipeline from :meth:`to_json`'s text, checking that
        there is one fitted step per step, of the same stage, with valid
        parameters (:class:`~composite_index.SpecError` or
        :class:`~composite_index.MethodError` otherwise)."""
        return cls(_core.FittedPipeline.from_json(text))

    def validate(self) -> None:
        """Checks the structure and the parameters (raises on a problem)."""
        self._inner.validate()

    @property
    def spec(self) -> IndexSpec:
        """The specification it was fitted with."""
        return self._inner.spec

    @property
    def reference_units(self) -> List[str]:
        """Codes of the units the parameters were fitted on."""
        return self._inner.reference_units

    @property
    def steps(self) -> List[Dict[str, Any]]:
        """What each step learned, as plain objects (one dict per step, with
        its ``stage``; column entries in the framework's indicator order)."""
        return self._inner.steps()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FittedPipeline):
            return NotImplemented
        return self._inner == other._inner

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        return (FittedPipeline.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        return repr(self._inner)


class StepReport:
    """What one pipeline step reported: ``stage``, the raw report (plain
    Python objects, ``raw``) and, where it has one, a table (``frame``)."""

    def __init__(self, stage: str, raw: Any, frame: Optional[pd.DataFrame]) -> None:
        self.stage = stage
        self.raw = raw
        self.frame = frame

    def __repr__(self) -> str:
        rows = "no table" if self.frame is None else f"{len(self.frame)} rows"
        return f"StepReport({self.stage!r}, {rows})"


def _treatment_frame(records: List[Dict[str, Any]]) -> pd.DataFrame:
    """The treatment log, one row per indicator (COINr's columns and more)."""
    rows = []
    for r in records:
        row: Dict[str, Any] = {"iCode": r["indicator"], "mode": r["mode"]}
        for stage, key in (("before", "before"), ("winsorised", "after_winsorisation"), ("treated", "after_second_stage")):
            sk = r.get(key)
            row[f"skew_{stage}"] = np.nan if sk is None else sk["skew"]
            row[f"kurt_{stage}"] = np.nan if sk is None else sk["kurt"]
            row[f"pass_{stage}"] = None if sk is None else sk["pass"]
        row["n_winsorised"] = r["n_winsorised"]
        row["winsorised_units"] = ",".join(p["unit"] for p in r["winsorised"])
        row["second_stage"] = r.get("second_stage")
        row["passes"] = r.get("passes")
        row["changed"] = r["n_winsorised"] > 0 or r.get("second_stage") is not None
        rows.append(row)
    return pd.DataFrame(rows)


def _report_frame(stage: str, raw: Any, units: List[str]) -> Optional[pd.DataFrame]:
    if raw is None or raw == "skipped":
        return None
    if stage == "denominate":
        return pd.DataFrame(
            [(m["unit"], m["indicator"], m["denominator"], m["denominator_value"]) for m in raw["made_missing"]],
            columns=["uCode", "iCode", "denominator", "denominator_value"],
        )
    if stage == "impute":
        rows = [(ind, units[r] if r < len(units) else None, r) for ind, rs in raw["imputed"] for r in rs]
        return pd.DataFrame(rows, columns=["iCode", "uCode", "row"])
    if stage == "screen":
        removed = {u["code"]: u["reason"] for u in raw["removed"]}
        forced = set(raw["forced_in"])
        return pd.DataFrame(
            {
                "uCode": units,
                "kept": [u not in removed for u in units],
                "reason": [None if u not in removed else json.dumps(removed[u]) if not isinstance(removed[u], str) else removed[u] for u in units],
                "forced_in": [i in forced for i in range(len(units))],
            }
        )
    if stage == "treat":
        return _treatment_frame(raw)
    return None


class Results:
    """Everything a run computed (Rust ``Results``), as pandas objects.

    - ``res["aggregated"]``, ``res["normalised"]``, ``res["raw"]``...: the data
      sets in COINr's layout, a DataFrame with ``uCode`` then one column per
      indicator or aggregate (indicators first, then aggregates level by
      level); missing values are NaN.
    - :meth:`scores` and :meth:`ranks`: every node, or one node as a Series
      indexed by unit code; :meth:`ranking`: a sorted table.
    - :attr:`treatment_log` and :attr:`reports`: what the steps reported.
    """

    def __init__(self, inner: "_core.Results", pipeline: Pipeline) -> None:
        self._inner = inner
        self._pipeline = pipeline
        self._cache: Dict[str, pd.DataFrame] = {}

    @property
    def pipeline(self) -> Pipeline:
        """The pipeline that computed these results."""
        return self._pipeline

    @property
    def datasets(self) -> List[str]:
        """Names of the data sets, ``raw`` first, then one per step."""
        return self._inner.dataset_names

    def keys(self) -> List[str]:
        """Same as :attr:`datasets`."""
        return self.datasets

    def __contains__(self, name: object) -> bool:
        return name in self.datasets

    def __iter__(self) -> Iterator[str]:
        return iter(self.datasets)

    def __getitem__(self, name: str) -> pd.DataFrame:
        """The data set ``name`` in COINr's layout (a new copy on each access,
        so it can be changed freely)."""
        return self.dataset(name)

    def _parts(self, name: str) -> Tuple[List[str], List[str], List[int], np.ndarray]:
        parts = self._inner.dataset(name)
        if parts is None:
            raise KeyError(f"no data set {name!r}; the data sets are {', '.join(self.datasets)}")
        units, columns, rows, flat = parts
        return units, columns, rows, flat.reshape((len(columns), len(units))).T

    def dataset(self, name: str, *, names: bool = False) -> pd.DataFrame:
        """The data set ``name`` as a DataFrame: ``uCode`` (and ``uName`` with
        ``names=True``) then one column per indicator or aggregate."""
        units, columns, rows, values = self._parts(name)
        frame = pd.DataFrame(values, columns=columns, copy=True)
        frame.insert(0, "uCode", units)
        if names:
            all_names = self._pipeline.data.unit_names
            frame.insert(1, "uName", [all_names[r] for r in rows])
        return frame

    def values(self, name: str) -> np.ndarray:
        """The values of a data set as a units x columns array (column order as
        in :meth:`dataset`)."""
        return self._parts(name)[3].copy()

    @property
    def aggregated(self) -> pd.DataFrame:
        """The aggregated data set."""
        return self.dataset("aggregated")

    @property
    def unit_codes(self) -> List[str]:
        """Unit codes of the final data set (screened-out units are absent)."""
        return self._inner.unit_codes

    @property
    def unit_names(self) -> List[str]:
        """Unit names of the final data set."""
        return self._inner.unit_names

    @property
    def node_codes(self) -> List[str]:
        """Every framework node: indicators, then aggregates level by level."""
        return self._inner.node_codes

    def _root(self) -> str:
        return self._pipeline.framework.root

    def scores(self, node: Optional[str] = None) -> Union[pd.Series, pd.DataFrame]:
        """Scores of one node (a Series indexed by uCode) or, without ``node``,
        of every node (a DataFrame: uCode then one column per node)."""
        if node is not None:
            s = self._inner.scores(node)
            if s is None:
                raise KeyError(f"no node {node!r} in the final data set")
            return pd.Series(s, index=pd.Index(self.unit_codes, name="uCode"), name=node)
        codes = [c for c in self.node_codes if self._inner.scores(c) is not None]
        frame = pd.DataFrame({c: self._inner.scores(c) for c in codes})
        frame.insert(0, "uCode", self.unit_codes)
        return frame

    def ranks(self, node: Optional[str] = None) -> Union[pd.Series, pd.DataFrame]:
        """Ranks of one node or of every node (descending scores; ties share the
        best rank; a missing score has a missing rank, pandas ``Int64``)."""
        def one(c: str) -> pd.array:
            r = self._inner.ranks(c)
            if r is None:
                raise KeyError(f"no node {c!r} in the final data set")
            return pd.array(r, dtype="Int64")

        if node is not None:
            return pd.Series(one(node), index=pd.Index(self.unit_codes, name="uCode"), name=node)
        codes = [c for c in self.node_codes if self._inner.scores(c) is not None]
        frame = pd.DataFrame({c: one(c) for c in codes})
        frame.insert(0, "uCode", self.unit_codes)
        return frame

    def ranking(self, node: Optional[str] = None) -> pd.DataFrame:
        """A ranking table of ``node`` (default: the index): uCode, uName, score,
        rank, sorted by rank, missing scores last."""
        node = node or self._root()
        frame = pd.DataFrame(
            {
                "uCode": self.unit_codes,
                "uName": self.unit_names,
                "score": self.scores(node).to_numpy(),
                "rank": self.ranks(node).to_numpy(),
            }
        )
        return frame.sort_values("rank", kind="stable", na_position="last").reset_index(drop=True)

    def efficiency_ratio(self, numerator: str, denominator: str) -> pd.Series:
        """``numerator / denominator`` per unit (GII: output over input
        sub-index); NaN where either is missing or the denominator is zero."""
        r = self._inner.efficiency_ratio(numerator, denominator)
        return pd.Series(
            [np.nan if v is None else v for v in r],
            index=pd.Index(self.unit_codes, name="uCode"),
            name=f"{numerator}/{denominator}",
            dtype=np.float64,
        )

    @property
    def treatment_log(self) -> Optional[pd.DataFrame]:
        """The outlier treatment log of the last treat step, one row per
        indicator: skewness, kurtosis and pass before, after winsorisation and
        after the second stage; units winsorised; the transform applied."""
        log = self._inner.treatment_log()
        return None if log is None else _treatment_frame(log)

    @property
    def reports(self) -> List[StepReport]:
        """One :class:`StepReport` per step: cells made missing (denominate),
        cells imputed (impute), units kept and removed with the reason
        (screen), the treatment log (treat)."""
        out = []
        data_units = self._pipeline.data.unit_codes
        for stage, raw in self._inner.reports():
            out.append(StepReport(stage, raw, _report_frame(stage, raw, data_units)))
        return out

    def to_json(self) -> str:
        """The results as JSON (units; scores and ranks of each node; every data
        set), as the command line writes ``results.json``."""
        return self._inner.to_json()

    def write_csv_dir(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes every data set as ``<name>.csv`` in COINr's layout."""
        self._inner.write_csv_dir(Path(path))

    def __repr__(self) -> str:
        return f"Results({len(self.unit_codes)} units, data sets: {', '.join(self.datasets)})"


def _pipeline(
    spec: SpecLike,
    idata: Optional[TableLike],
    imeta: Optional[TableLike],
    data: Optional[Union[Dataset, TableLike]],
    roles: Mapping[str, Any],
) -> Pipeline:
    """The pipeline of :func:`run` and :func:`fit`."""
    base = Path(spec) if isinstance(spec, (str, os.PathLike)) and (
        isinstance(spec, os.PathLike) or _looks_like_path(spec)
    ) else None
    if (idata is None) != (imeta is None):
        raise TypeError("give both idata and imeta (COINr's tables), or data")
    if imeta is not None:
        if data is not None:
            raise TypeError("give either data or idata with imeta, not both")
        framework, dataset = read_coinr(imeta, idata)  # type: ignore[arg-type]
        s = as_spec(spec, framework)
    else:
        s = as_spec(spec)
        if data is None:
            dataset = _data_from_spec(s, base)
        elif isinstance(data, Dataset):
            dataset = data
        elif isinstance(data, pd.DataFrame):
            dataset = Dataset.from_frame(data, **_roles_for(data, s, roles))
        else:
            frame = pd.read_csv(data, keep_default_na=False, dtype=str)
            dataset = read_dataset(data, **_roles_for(frame, s, roles))
    return Pipeline(s, dataset)


def run(
    spec: SpecLike,
    *,
    idata: Optional[TableLike] = None,
    imeta: Optional[TableLike] = None,
    data: Optional[Union[Dataset, TableLike]] = None,
    **roles: Any,
) -> Results:
    """Builds an index: validates ``spec`` against the data and runs it.

    ``spec`` is an :class:`IndexSpec`, a path to a TOML or JSON file, TOML text
    or a dict. The data are COINr's tables (``idata`` and ``imeta``: DataFrames
    or CSV paths; the framework then comes from ``imeta`` when the spec has
    none), or one table ``data`` (a :class:`Dataset`, a DataFrame or a CSV
    path: the spec's indicators are indicators, columns it names as
    denominators are denominators, other columns are labels; ``roles`` such as
    ``groups=[...]`` or ``unit_code="id"`` override), or the ``[data]`` table of
    the spec file.

    >>> res = run("spec.toml", idata=idata, imeta=imeta)   # doctest: +SKIP
    >>> res["aggregated"].head()                            # doctest: +SKIP
    """
    return _pipeline(spec, idata, imeta, data, roles).run()


def fit(
    spec: SpecLike,
    *,
    idata: Optional[TableLike] = None,
    imeta: Optional[TableLike] = None,
    data: Optional[Union[Dataset, TableLike]] = None,
    **roles: Any,
) -> FittedPipeline:
    """Fits ``spec`` on reference data and freezes its parameters: a
    :class:`FittedPipeline` whose :meth:`~FittedPipeline.apply` scores new
    data against the reference. Arguments as in :func:`run`.

    >>> fitted = fit("spec.toml", idata=idata, imeta=imeta)   # doctest: +SKIP
    >>> fitted.apply(new_units).ranking()                      # doctest: +SKIP
    >>> text = fitted.to_json()                                 # save, and later
    >>> fitted = FittedPipeline.from_json(text)                 # doctest: +SKIP
    """
    return _pipeline(spec, idata, imeta, data, roles).fit()
