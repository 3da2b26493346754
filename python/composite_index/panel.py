"""Panel data: an index over several editions (years), pandas in and out.

A panel is one data set per edition (COINr's "purse"). :func:`run_panel` runs a
spec over every edition and returns :class:`PanelResults`: every data set as a
long DataFrame (``uCode``, ``Time``, then one column per indicator or
aggregate, sorted by time then unit, as the command line writes
``datasets/<name>.csv``), each edition's :class:`~composite_index.Results`,
rank changes between editions, histories, streaks, biggest movers and trends
(CAGR, percentage change).

By default every step is fitted per year, as each edition is published. The
spec's ``[panel]`` table (or ``options=``) pools a learning step over all
editions (COINr's ``global = TRUE``) or fits it on a reference year::

    res = ci.panel.run_panel(spec, idata=idata_p, imeta=imeta,
                             options={"normalise": "pooled"})
    res = ci.panel.run_panel(spec, data=long_frame,
                             options={"normalise": {"fit": "reference", "year": 2020}})
    res["aggregated"]                 # uCode, Time, indicators and aggregates
    res.compare(2021, 2022)           # rank changes of the index
    res.trends(metric="cagr")

Panel imputation across editions is a step of the spec
(``stage = "impute_panel"``, e.g. ``method = { method = "linear_constant" }``).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import FrameworkSpec, IndexSpec
from ._pipeline import Dataset, Results, SpecLike, TableLike, _roles_for, _table_text, as_spec

__all__ = [
    "Panel",
    "PanelResults",
    "read_panel",
    "read_coinr_panel",
    "read_long_panel",
    "run_panel",
]

#: Columns of a long panel table (one row per unit, time and variable).
LONG_COLUMNS = ("uCode", "uName", "Time", "iCode", "Value")


class Panel:
    """One data set per edition (Rust ``Panel``), sorted by time.

    Build one from ``{time: Dataset}`` (or ``(time, Dataset)`` pairs), from a
    wide DataFrame with a ``Time`` column (:meth:`from_frame`), from a long one
    (:meth:`from_long`), or with :func:`read_panel`, :func:`read_coinr_panel`,
    :func:`read_long_panel`.
    """

    def __init__(self, editions: Union[Mapping[float, Dataset], Iterable[Tuple[float, Dataset]]]) -> None:
        pairs = editions.items() if isinstance(editions, Mapping) else editions
        self._inner = _core.Panel([(float(t), d._inner) for t, d in pairs])

    @classmethod
    def _wrap(cls, inner: "_core.Panel") -> "Panel":
        p = cls.__new__(cls)
        p._inner = inner
        return p

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **roles: Any) -> "Panel":
        """A panel from a wide DataFrame, one row per unit and edition, with a
        time column (roles as in :func:`read_panel`)."""
        return read_panel(frame, **roles)

    @classmethod
    def from_long(cls, frame: pd.DataFrame, **roles: Any) -> "Panel":
        """A panel from a long DataFrame, one row per unit, time and variable
        (roles as in :func:`read_long_panel`)."""
        return read_long_panel(frame, **roles)

    @property
    def times(self) -> List[float]:
        """The editions' times, increasing."""
        return self._inner.times

    @property
    def units(self) -> List[str]:
        """Every unit code of any edition, sorted."""
        return self._inner.units()

    def edition(self, time: float) -> Dataset:
        """The data set of one edition (``KeyError`` for an unknown time)."""
        d = self._inner.edition(float(time))
        if d is None:
            raise KeyError(f"no edition {time}; the editions are {self.times}")
        return Dataset._wrap(d)

    def to_frame(self) -> pd.DataFrame:
        """Every edition stacked in COINr's iData layout, with ``Time``."""
        return pd.concat([self.edition(t).to_frame() for t in self.times], ignore_index=True)

    def __len__(self) -> int:
        return len(self._inner)

    def __repr__(self) -> str:
        return repr(self._inner)


def read_panel(
    table: TableLike,
    *,
    unit_code: str = "uCode",
    unit_name: Optional[str] = "uName",
    time: str = "Time",
    groups: Iterable[str] = (),
    denominators: Iterable[str] = (),
    indicators: Optional[Iterable[str]] = None,
    ignore: Iterable[str] = (),
) -> Panel:
    """A panel from a wide table (DataFrame or CSV path): one row per unit and
    edition, with a time column; roles as in
    :meth:`~composite_index.Dataset.from_frame` (Rust ``io::read_panel``).
    A unit with two rows for one time is a :class:`~composite_index.DataError`
    naming both rows."""
    text, name = _table_text(table)
    inner = _core.read_panel(
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
    return Panel._wrap(inner)


def read_coinr_panel(imeta: TableLike, idata: TableLike) -> Tuple[FrameworkSpec, Panel]:
    """COINr's ``iMeta`` and a panel ``iData`` (with a ``Time`` column), as
    DataFrames or CSV paths, into the framework and the panel (Rust
    ``io::read_coinr_panel``)."""
    meta_text, meta_name = _table_text(imeta)
    data_text, data_name = _table_text(idata)
    fw, p = _core.read_coinr_panel(meta_text, data_text, data_name if data_name != "data frame" else meta_name)
    return fw, Panel._wrap(p)


def read_long_panel(
    table: TableLike,
    *,
    unit_code: str = "uCode",
    unit_name: Optional[str] = "uName",
    time: str = "Time",
    variable: str = "iCode",
    value: str = "Value",
    groups: Iterable[str] = (),
    denominators: Iterable[str] = (),
) -> Panel:
    """A panel from a long table (DataFrame or CSV path): one row per unit,
    time and variable (COINr's long format); a variable with no row for a unit
    and time is missing. Variables in ``groups`` hold labels, those in
    ``denominators`` are denominators (Rust ``io::read_long_panel``)."""
    text, name = _table_text(table)
    inner = _core.read_long_panel(
        text, unit_code, unit_name, time, variable, value, list(groups), list(denominators), name
    )
    return Panel._wrap(inner)


def _scope(value: Any) -> Dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        return {"fit": value}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"fit": "reference", "year": float(value)}
    raise TypeError(f"a fit scope is 'per_year', 'pooled', a reference year or a dict, not {value!r}")


def _options_json(options: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The ``[panel]`` table as JSON: each of impute, treat, normalise is
    ``"per_year"``, ``"pooled"``, a reference year or ``{"fit": ...}``."""
    if options is None:
        return None
    import json

    return json.dumps({k: _scope(v) for k, v in options.items()})


def _is_long(frame: pd.DataFrame) -> bool:
    cols = {str(c) for c in frame.columns}
    return {"iCode", "Value"} <= cols and cols <= set(LONG_COLUMNS)


def _frame(parts: Tuple[List[str], List[float], List[str], np.ndarray]) -> pd.DataFrame:
    units, times, columns, flat = parts
    values = flat.reshape((len(columns), len(units))).T
    frame = pd.DataFrame(values, columns=columns, copy=True)
    frame.insert(0, "uCode", units)
    frame.insert(1, "Time", np.asarray(times, dtype=np.float64))
    return frame


def _changes(rows: List[Dict[str, Any]], note: str) -> pd.DataFrame:
    cols = ["uCode", "uName", "rank_from", "rank_to", "change", "score_from", "score_to", "score_change", "status", "flagged"]
    frame = pd.DataFrame(rows, columns=cols + ["ranked_from", "ranked_to"])
    for c in ("rank_from", "rank_to", "change"):
        frame[c] = pd.array([None if pd.isna(v) else int(v) for v in frame[c]], dtype="Int64")
    for c in ("score_from", "score_to", "score_change"):
        frame[c] = frame[c].astype(np.float64)
    frame.attrs["note"] = note
    return frame


class PanelResults:
    """Everything a panel run computed (Rust ``PanelResults``), as pandas.

    - ``res["aggregated"]`` (any name of :attr:`datasets`): the data set over
      every edition, a long DataFrame ``uCode``, ``Time``, then the columns,
      sorted by time then unit code (the command line's ``datasets/*.csv``);
    - :meth:`edition`: one edition's :class:`~composite_index.Results`;
    - :meth:`compare`, :meth:`history`, :meth:`movers`, :meth:`streak`: ranks
      across editions (default node: the index);
    - :meth:`trends`: CAGR or percentage change per unit and column;
    - :attr:`scopes`: where each step was fitted; :attr:`panel_imputation`:
      the cells filled across editions.
    """

    def __init__(self, inner: "_core.PanelResults", root: str) -> None:
        self._inner = inner
        self._root = root
        self._editions: Optional["_core.Editions"] = None

    def _eds(self) -> "_core.Editions":
        if self._editions is None:
            self._editions = self._inner.editions()
        return self._editions

    @property
    def times(self) -> List[float]:
        """The editions' times, increasing."""
        return self._inner.times

    @property
    def datasets(self) -> List[str]:
        """Names of the data sets, in step order."""
        return self._inner.dataset_names

    def keys(self) -> List[str]:
        """Same as :attr:`datasets`."""
        return self.datasets

    def __contains__(self, name: object) -> bool:
        return name in self.datasets

    def __getitem__(self, name: str) -> pd.DataFrame:
        """The data set ``name`` stacked over every edition (a new copy)."""
        return self.dataset(name)

    def dataset(self, name: str) -> pd.DataFrame:
        """The data set ``name`` stacked over every edition: ``uCode``,
        ``Time``, then one column per indicator or aggregate, rows sorted by
        time then unit code; editions without the data set are skipped."""
        parts = self._inner.dataset(name)
        if parts is None:
            raise KeyError(f"no data set {name!r}; the data sets are {', '.join(self.datasets)}")
        return _frame(parts)

    def edition(self, time: float) -> Results:
        """The :class:`~composite_index.Results` of one edition."""
        from ._pipeline import Pipeline

        r = self._inner.edition(float(time))
        if r is None:
            raise KeyError(f"no edition {time}; the editions are {self.times}")
        return Results(r, Pipeline._wrap(r.pipeline))

    @property
    def scopes(self) -> List[str]:
        """One sentence per step saying where it was fitted ("step 1
        (normalise): pooled over all editions")."""
        return self._inner.describe_scopes()

    @property
    def panel_imputation(self) -> pd.DataFrame:
        """Cells filled by panel imputation: step, uCode, Time, iCode, value
        and source (the edition copied, or the two editions interpolated)."""
        rows = []
        for step, report in self._inner.panel_imputation():
            for c in report["cells"]:
                src = c["source"]
                if src.get("from") == "edition":
                    src = f"value of {src['time']:g}"
                elif src.get("from") == "interpolated":
                    src = f"interpolated between {src['before']:g} and {src['after']:g}"
                rows.append((step, c["unit"], c["time"], c["indicator"], c["value"], src))
        return pd.DataFrame(rows, columns=["step", "uCode", "Time", "iCode", "value", "source"])

    def _node(self, node: Optional[str]) -> str:
        return node or self._root

    def compare(self, from_: float, to: float, node: Optional[str] = None) -> pd.DataFrame:
        """Rank changes of ``node`` (default: the index) from edition ``from_``
        to ``to``: uCode, uName, rank_from, rank_to, change (positive: up),
        score_from, score_to, score_change, status (same, entered, left,
        recoded/merged/split from ...) and flagged (a change of units), plus
        ranked_from and ranked_to (units ranked). ``frame.attrs["note"]`` says on
        which frameworks the ranks were computed."""
        rows, note = self._eds().compare(self._node(node), float(from_), float(to))
        return _changes(rows, note)

    def history(self, unit: str, node: Optional[str] = None) -> pd.DataFrame:
        """One unit's rank and score at ``node`` in every edition: Time, rank,
        score, units_ranked, note."""
        pts = self._eds().history(unit, self._node(node))
        frame = pd.DataFrame(pts, columns=["time", "rank", "score", "units_ranked", "note"])
        frame = frame.rename(columns={"time": "Time"})
        frame["rank"] = pd.array([None if pd.isna(v) else int(v) for v in frame["rank"]], dtype="Int64")
        frame["score"] = frame["score"].astype(np.float64)
        return frame

    def movers(
        self, from_: float, to: float, node: Optional[str] = None, group: Optional[str] = None
    ) -> Dict[str, Any]:
        """The units that moved most from ``from_`` to ``to``: a dict with
        ``climbers`` (biggest rise first), ``fallers`` (biggest fall first),
        ``not_compared`` (tables as in :meth:`compare`), ``groups`` (label ->
        (climbers, fallers) within a group column) and ``basis``."""
        m = self._eds().movers(self._node(node), float(from_), float(to), group)
        return {
            "climbers": _changes(m["climbers"], m["basis"]),
            "fallers": _changes(m["fallers"], m["basis"]),
            "not_compared": _changes(m["not_compared"], m["basis"]),
            "groups": {label: (_changes(up, m["basis"]), _changes(down, m["basis"])) for label, up, down in m["groups"]},
            "basis": m["basis"],
        }

    def streak(
        self,
        unit: str,
        node: Optional[str] = None,
        *,
        rank_at_most: Optional[int] = None,
        score_at_least: Optional[float] = None,
        until: Optional[float] = None,
    ) -> Optional[Dict[str, Any]]:
        """The run of consecutive editions ending at ``until`` (default: the
        last) in which ``unit`` ranks at most ``rank_at_most`` (1: first) or
        scores at least ``score_at_least``: a dict with length, since, until,
        through_recode, stopped_by and a description; ``None`` when the
        condition does not hold at ``until``."""
        return self._eds().streak(unit, self._node(node), rank_at_most, score_at_least, until)

    def trends(
        self,
        dataset: str = "aggregated",
        columns: Optional[Sequence[str]] = None,
        metric: str = "cagr",
        *,
        units: Optional[Sequence[str]] = None,
        use_latest: Optional[int] = None,
        times: Optional[Sequence[float]] = None,
        interp_at: Optional[Sequence[float]] = None,
    ) -> pd.DataFrame:
        """Trends per unit and column of a data set (COINr's ``get_trends``):
        ``metric`` is ``"cagr"`` (compound annual growth rate, a fraction) or
        ``"prc_change"`` (percent per time unit, least-squares slope with 3 or
        more points). Columns: uCode, iCode, CAGR or prc_change (NaN when
        undefined), Avail, t_first, t_latest, undefined (why, when NaN).
        Default ``columns``: every aggregate of the final data set."""
        if columns is None:
            fw = self.edition(self.times[-1]).pipeline.framework
            columns = [c for lvl in range(2, fw.n_levels + 1) for c in fw.nodes_at_level(lvl)]
        rows = self._inner.trends(
            dataset,
            list(columns),
            metric,
            None if units is None else list(units),
            use_latest,
            None if times is None else [float(t) for t in times],
            None if interp_at is None else [float(t) for t in interp_at],
        )
        name = "CAGR" if metric.lower() == "cagr" else "prc_change"
        out = []
        for r in rows:
            t = r["trend"]
            kind = t["kind"] if isinstance(t, dict) else t
            value = t.get("value") if isinstance(t, dict) and kind == "value" else None
            why = None if kind == "value" else (t.get("value") if isinstance(t, dict) else kind) or kind
            out.append(
                {
                    "uCode": r["unit"],
                    "iCode": r["column"],
                    name: np.nan if value is None else value,
                    "Avail": r["avail"],
                    "t_first": np.nan if r.get("t_first") is None else r["t_first"],
                    "t_latest": np.nan if r.get("t_latest") is None else r["t_latest"],
                    "undefined": why,
                }
            )
        cols = ["uCode", "iCode", name, "Avail", "t_first", "t_latest", "undefined"]
        return pd.DataFrame(out, columns=cols)

    def write_csv_dir(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes every data set as one long ``<name>.csv`` (``uCode``,
        ``Time``, then the columns), as the command line does."""
        from pathlib import Path

        self._inner.write_csv_dir(Path(path))

    def __repr__(self) -> str:
        return repr(self._inner)


def run_panel(
    spec: SpecLike,
    *,
    data: Optional[Union[Panel, pd.DataFrame, TableLike]] = None,
    idata: Optional[TableLike] = None,
    imeta: Optional[TableLike] = None,
    options: Optional[Mapping[str, Any]] = None,
    edition_specs: Optional[Mapping[float, SpecLike]] = None,
    **roles: Any,
) -> PanelResults:
    """Runs ``spec`` over every edition of a panel.

    The data are COINr's tables (``imeta`` and a panel ``idata`` with a
    ``Time`` column; the framework comes from ``imeta`` when the spec has
    none), or ``data``: a :class:`Panel`, a long DataFrame (columns ``uCode``,
    ``Time``, ``iCode``, ``Value`` and optionally ``uName``), or a wide
    DataFrame with a time column (as in :func:`~composite_index.run`: the
    spec's indicators are indicators, the denominators it names are
    denominators, other columns are labels; ``roles`` override), or a CSV path
    (``roles`` as in :func:`read_panel`).

    ``options`` sets where the learning steps are fitted, overriding the
    spec's ``[panel]`` table: keys ``impute``, ``treat``, ``normalise``, each
    ``"per_year"`` (the default), ``"pooled"`` (over all editions, COINr's
    ``global = TRUE``), a reference year, or a dict such as
    ``{"fit": "reference", "year": 2020}``. ``edition_specs`` gives some
    editions their own spec (their own framework), as ``{time: spec}``.

    Errors in one edition are raised with the edition's ``time`` attribute.
    """
    framework: Optional[FrameworkSpec] = None
    if (idata is None) != (imeta is None):
        raise TypeError("give both idata and imeta (COINr's tables), or data")
    if imeta is not None:
        if data is not None:
            raise TypeError("give either data or idata with imeta, not both")
        framework, panel = read_coinr_panel(imeta, idata)  # type: ignore[arg-type]
    elif isinstance(data, Panel):
        panel = data
    elif isinstance(data, pd.DataFrame) and _is_long(data) and not roles:
        panel = read_long_panel(data)
    elif isinstance(data, pd.DataFrame):
        # As run(): the spec's indicators are indicators, its denominators
        # denominators, other columns labels.
        panel = read_panel(data, **_roles_for(data, as_spec(spec), roles))
    elif data is not None:
        panel = read_panel(data, **roles)
    else:
        raise TypeError("no data given: pass data=... (a Panel or a table with a Time column), or imeta and idata")
    s = as_spec(spec, framework)
    opts = _options_json(options)
    if edition_specs:
        given = {float(t): as_spec(v, framework) for t, v in edition_specs.items()}
        specs = [(t, given.get(t, s)) for t in panel.times]
        pp = _core.PanelPipeline(panel._inner, None, specs, opts)
    else:
        pp = _core.PanelPipeline(panel._inner, s, None, opts)
    root = pp.pipeline(panel.times[-1]).framework.root
    return PanelResults(pp.run(), root)
