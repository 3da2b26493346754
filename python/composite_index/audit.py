"""Statistical audit of an index (Rust ``audit``): the toolkit of the JRC audits.

Every function reads a table of units x columns: a :class:`Results` (its
``dataset``, by default the last one, normally ``aggregated``), a DataFrame in
COINr's layout (``uCode`` then numeric columns), a :class:`Dataset`, or a tuple
``(unit_codes, column_codes, array)``. Functions that follow the framework
(groups, parents, levels) take it from the results' pipeline, or from
``framework=`` (a :class:`Framework`, a :class:`Pipeline` or :class:`Results`).

Undefined statistics are NaN or None; a group that cannot be computed (a
single member, say) is reported with the reason instead of hiding the others.

>>> import composite_index as ci                                       # doctest: +SKIP
>>> ci.audit.indicator_stats(res, dataset="raw")                       # doctest: +SKIP
>>> ci.audit.group_correlations(res, "P1")                             # doctest: +SKIP
>>> ci.audit.alpha_by_level(res, 2)                                    # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import Framework
from ._pipeline import Dataset, Pipeline, Results

_a = _core.audit

__all__ = [
    "indicator_stats",
    "data_availability",
    "correlation",
    "correlation_matrix",
    "cross_correlation",
    "group_correlations",
    "ancestor_correlations",
    "collinear_pairs",
    "denominator_correlations",
    "cronbach_alpha",
    "group_alpha",
    "alpha_by_level",
    "pca",
    "group_pca",
    "pca_by_level",
    "equal_weights",
    "framework_weights",
    "manual_weights",
    "pca_weights",
    "optimise_weights",
    "main_effect",
    "main_effects",
    "leave_one_out",
    "leave_out",
    "unit_profile",
    "unit_profiles",
]

TableLike = Union[Results, pd.DataFrame, Dataset, Tuple[Sequence[str], Sequence[str], Any]]
FrameworkLike = Union[Framework, Pipeline, Results, None]


def _table(data: TableLike, dataset: Optional[str] = None) -> Tuple[List[str], List[str], np.ndarray]:
    if isinstance(data, Results):
        name = dataset or data.datasets[-1]
        units, columns, _, values = data._parts(name)
        return units, columns, np.asfortranarray(values)
    if dataset is not None:
        raise TypeError("dataset= applies to Results only")
    if isinstance(data, Dataset):
        return data.unit_codes, data.indicator_codes, np.asfortranarray(data.values)
    if isinstance(data, pd.DataFrame):
        if "uCode" in data.columns:
            units = [str(u) for u in data["uCode"]]
            body = data.drop(columns=["uCode"])
        else:
            units = [str(u) for u in data.index]
            body = data
        body = body.select_dtypes(include=["number", "bool"])
        return units, [str(c) for c in body.columns], np.asfortranarray(body.to_numpy(dtype=np.float64, na_value=np.nan))
    if isinstance(data, tuple) and len(data) == 3:
        units, columns, values = data
        return [str(u) for u in units], [str(c) for c in columns], np.asfortranarray(values, dtype=np.float64)
    raise TypeError(f"expected Results, a DataFrame, a Dataset or (units, columns, array), not {type(data).__name__}")


def _framework(data: Any, framework: FrameworkLike) -> Framework:
    source = framework if framework is not None else data
    if isinstance(source, Framework):
        return source
    if isinstance(source, Results):
        return source.pipeline.framework
    if isinstance(source, Pipeline):
        return source.framework
    raise TypeError("this function follows the framework: pass Results, or framework= (a Framework, Pipeline or Results)")


def _matrix(d: Dict[str, Any], full: bool) -> Union[pd.DataFrame, Dict[str, pd.DataFrame]]:
    rows, cols = d["rows"], d["columns"]

    def frame(flat: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(flat).reshape((len(cols), len(rows))).T, index=rows, columns=cols)

    r = frame(d["r"])
    if not full:
        return r
    n = frame(d["n"]).astype("int64")
    return {"r": r, "p_value": frame(d["p_value"]), "n": n}


def _corr_rows(items: List[Dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for it in items:
        row = {k: v for k, v in it.items() if k != "correlation"}
        c = it["correlation"]
        row.update(r=c["r"], p_value=c["p_value"], n=c["n"])
        rows.append(row)
    frame = pd.DataFrame(rows)
    for c in ("r", "p_value"):
        if c in frame:
            frame[c] = frame[c].astype("float64")
    return frame


def _grouped(items: List[Dict[str, Any]], flatten: Any) -> pd.DataFrame:
    rows = []
    for g in items:
        row: Dict[str, Any] = {"node": g["node"], "level": g["level"]}
        if "result" in g:
            row.update(flatten(g["result"]))
            row["skipped"] = None
        else:
            row["skipped"] = g["skipped"]
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- statistics


def indicator_stats(
    data: TableLike,
    *,
    dataset: Optional[str] = None,
    skew: Optional[float] = None,
    kurt: Optional[float] = None,
    availability: Optional[float] = None,
    zeros: Optional[float] = None,
) -> pd.DataFrame:
    """One row per column: units, values present, availability, min, max, mean,
    median, sd, skewness, kurtosis, share of zeros, unique values, and the
    flags (outlier: |skew| and kurtosis both above their thresholds; low
    availability; many zeros). Thresholds default to the crate's
    (``StatsThresholds``)."""
    items = _a.indicator_stats(_table(data, dataset), skew, kurt, availability, zeros)
    frame = pd.DataFrame(items).rename(columns={"code": "iCode"})
    for c in ("min", "max", "mean", "median", "sd", "skewness", "kurtosis", "share_zeros"):
        if c in frame:
            frame[c] = frame[c].astype("float64")
    return frame


def data_availability(
    data: TableLike, level: int = 2, *, dataset: Optional[str] = None, framework: FrameworkLike = None
) -> pd.DataFrame:
    """Per unit: indicators present, availability, share of zeros, and the
    availability within each group of ``level`` (one column per group) and the
    smallest of them."""
    d = _a.data_availability(_table(data, dataset or ("raw" if isinstance(data, Results) else None)), _framework(data, framework), level)
    rows = []
    for u in d["units"]:
        row = {k: v for k, v in u.items() if k != "by_group"}
        row.update(dict(zip(d["groups"], u["by_group"])))
        rows.append(row)
    return pd.DataFrame(rows).rename(columns={"unit": "uCode"})


# -------------------------------------------------------------- correlations


def correlation(x: Any, y: Any, method: str = "pearson") -> Dict[str, Any]:
    """Correlation of two vectors over their pairwise-complete entries: ``r``,
    ``p_value`` (None when undefined) and ``n``."""
    return _a.correlation(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), method)


def correlation_matrix(
    data: TableLike,
    codes: Optional[Sequence[str]] = None,
    *,
    method: str = "pearson",
    dataset: Optional[str] = None,
    full: bool = False,
) -> Union[pd.DataFrame, Dict[str, pd.DataFrame]]:
    """Correlations between columns (all, or ``codes``), pairwise complete.
    ``full=True`` returns ``{"r", "p_value", "n"}`` DataFrames."""
    t = _table(data, dataset)
    return _matrix(_a.correlation_matrix(t, list(codes) if codes is not None else t[1], method), full)


def cross_correlation(
    data: TableLike,
    rows: Sequence[str],
    columns: Sequence[str],
    *,
    method: str = "pearson",
    dataset: Optional[str] = None,
    full: bool = False,
) -> Union[pd.DataFrame, Dict[str, pd.DataFrame]]:
    """Correlations of the ``rows`` columns with the ``columns`` columns."""
    return _matrix(_a.cross_correlation(_table(data, dataset), list(rows), list(columns), method), full)


def group_correlations(
    data: TableLike,
    node: str,
    *,
    method: str = "pearson",
    dataset: Optional[str] = None,
    framework: FrameworkLike = None,
    full: bool = False,
) -> Union[pd.DataFrame, Dict[str, pd.DataFrame]]:
    """Correlations among the children of ``node``."""
    return _matrix(_a.group_correlations(_table(data, dataset), _framework(data, framework), node, method), full)


def ancestor_correlations(
    data: TableLike,
    level: int = 1,
    *,
    method: str = "pearson",
    weak_threshold: float = 0.2,
    dataset: Optional[str] = None,
    framework: FrameworkLike = None,
) -> pd.DataFrame:
    """Correlation of every node of ``level`` with each of its ancestors;
    ``weak`` flags those below ``weak_threshold`` (or negative)."""
    return _corr_rows(
        _a.ancestor_correlations(_table(data, dataset), _framework(data, framework), level, method, weak_threshold)
    )


def collinear_pairs(
    data: TableLike,
    level: int = 1,
    *,
    method: str = "pearson",
    threshold: float = 0.9,
    dataset: Optional[str] = None,
    framework: FrameworkLike = None,
) -> pd.DataFrame:
    """Pairs of siblings at ``level`` correlated above ``threshold``."""
    return _corr_rows(_a.collinear_pairs(_table(data, dataset), _framework(data, framework), level, method, threshold))


def denominator_correlations(
    data: TableLike,
    denominators: Union[Dataset, Pipeline, Results, None] = None,
    *,
    method: str = "pearson",
    dataset: Optional[str] = None,
    full: bool = False,
) -> Union[pd.DataFrame, Dict[str, pd.DataFrame]]:
    """Correlations of the columns with the denominators of a data set (by
    default the input data of the results)."""
    src = denominators if denominators is not None else data
    if isinstance(src, Results):
        src = src.pipeline
    if isinstance(src, Pipeline):
        src = src.data
    if not isinstance(src, Dataset):
        raise TypeError("denominators= must be a Dataset, Pipeline or Results")
    return _matrix(_a.denominator_correlations(_table(data, dataset), src._inner, method), full)


# --------------------------------------------------------- Cronbach and PCA


def cronbach_alpha(data: TableLike, codes: Sequence[str], *, dataset: Optional[str] = None) -> Dict[str, Any]:
    """Cronbach's alpha of the columns ``codes`` (complete rows)."""
    return _a.cronbach_alpha(_table(data, dataset), list(codes))


def group_alpha(data: TableLike, node: str, *, dataset: Optional[str] = None, framework: FrameworkLike = None) -> Dict[str, Any]:
    """Cronbach's alpha of the children of ``node``."""
    return _a.group_alpha(_table(data, dataset), _framework(data, framework), node)


def alpha_by_level(
    data: TableLike, level: int = 2, *, dataset: Optional[str] = None, framework: FrameworkLike = None
) -> pd.DataFrame:
    """Cronbach's alpha of the children of every node of ``level`` (a row per
    node; ``skipped`` says why a group was not computed)."""
    items = _a.alpha_by_level(_table(data, dataset), _framework(data, framework), level)
    return _grouped(items, lambda r: {"alpha": r["alpha"], "k": r["k"], "n_complete": r["n_complete"]})


def _pca(d: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(d)
    n, k = out.pop("loadings_shape")
    loadings = np.asarray(out["loadings"]).reshape((k, n)).T
    out["loadings"] = pd.DataFrame(loadings, index=out["codes"], columns=[f"PC{i + 1}" for i in range(k)])
    return out


def pca(data: TableLike, codes: Optional[Sequence[str]] = None, *, dataset: Optional[str] = None) -> Dict[str, Any]:
    """Principal components of the columns ``codes`` (all by default), on
    complete rows: eigenvalues, variance shares, loadings (a DataFrame),
    weights from the first component, units used and dropped."""
    t = _table(data, dataset)
    return _pca(_a.pca(t, list(codes) if codes is not None else t[1]))


def group_pca(data: TableLike, node: str, *, dataset: Optional[str] = None, framework: FrameworkLike = None) -> Dict[str, Any]:
    """Principal components of the children of ``node``."""
    return _pca(_a.group_pca(_table(data, dataset), _framework(data, framework), node))


def pca_by_level(
    data: TableLike, level: int = 2, *, dataset: Optional[str] = None, framework: FrameworkLike = None
) -> List[Dict[str, Any]]:
    """PCA of the children of every node of ``level``: one dict per node with
    ``node``, ``level`` and ``result`` (as :func:`pca`) or ``skipped``."""
    out = []
    for g in _a.pca_by_level(_table(data, dataset), _framework(data, framework), level):
        if "result" in g:
            g = dict(g, result=_pca(g["result"]))
        out.append(g)
    return out


# ------------------------------------------------------------------- weights


def _weights(table: Dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(table["nodes"])
    frame.attrs["name"] = table["name"]
    return frame


def equal_weights(framework: FrameworkLike) -> pd.DataFrame:
    """Equal weights among siblings: per node its raw, relative and effective
    weight (share of the index)."""
    return _weights(_a.equal_weights(_framework(None, framework)))


def framework_weights(framework: FrameworkLike, set: Optional[str] = None) -> pd.DataFrame:
    """The framework's weights (or a named weight set)."""
    return _weights(_a.framework_weights(_framework(None, framework), set))


def manual_weights(framework: FrameworkLike, weights: Mapping[str, float]) -> pd.DataFrame:
    """The framework's weights with some replaced (node code -> weight)."""
    return _weights(_a.manual_weights(_framework(None, framework), dict(weights)))


def pca_weights(data: TableLike, *, dataset: Optional[str] = None, framework: FrameworkLike = None) -> pd.DataFrame:
    """Weights of each group from the first principal component of its members."""
    return _weights(_a.pca_weights(_table(data, dataset), _framework(data, framework)))


def optimise_weights(
    pipeline: Union[Pipeline, Results],
    node: str,
    targets: Sequence[float],
    *,
    target: Optional[str] = None,
    method: str = "pearson",
    relative: Optional[bool] = None,
    tolerance: Optional[float] = None,
    max_iters: Optional[int] = None,
) -> Dict[str, Any]:
    """Weights of the children of ``node`` whose correlations with ``target``
    (default: the index) come closest to ``targets`` (Nelder-Mead, restarts)."""
    p = pipeline.pipeline if isinstance(pipeline, Results) else pipeline
    return _a.optimise_weights(p._inner, node, [float(t) for t in targets], target, method, relative, tolerance, max_iters)


# ---------------------------------------------------------------- importance


def main_effect(x: Any, y: Any, bandwidth: Union[str, float, None] = None) -> Dict[str, Any]:
    """Main effect (first-order sensitivity index) of ``x`` on ``y`` by kernel
    regression; ``bandwidth``: ``"cross_validated"`` (default), ``"rule"`` or a
    number."""
    return _a.main_effect(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), bandwidth)


def main_effects(
    data: TableLike,
    target: Optional[str] = None,
    level: int = 2,
    *,
    weight_set: Optional[str] = None,
    bandwidth: Union[str, float, None] = None,
    dataset: Optional[str] = None,
    framework: FrameworkLike = None,
) -> pd.DataFrame:
    """Importance of each node of ``level`` for ``target`` (default: the
    index): main effect, normalised, squared Pearson, nominal and effective
    weight."""
    fw = _framework(data, framework)
    d = _a.main_effects(_table(data, dataset), fw, target or fw.root, level, weight_set, bandwidth)
    frame = pd.DataFrame(d["effects"])
    frame.attrs.update(target=d["target"], level=d["level"])
    return frame


# -------------------------------------------------------------- leave-one-out


def leave_out(pipeline: Union[Pipeline, Results], node: str) -> Pipeline:
    """The pipeline without ``node`` (its weight set to zero)."""
    p = pipeline.pipeline if isinstance(pipeline, Results) else pipeline
    return Pipeline._wrap(_a.leave_out(p._inner, node))


def leave_one_out(
    pipeline: Union[Pipeline, Results], nodes: Sequence[str], *, target: Optional[str] = None
) -> Dict[str, pd.DataFrame]:
    """Rank changes of ``target`` (default: the index) when each node of
    ``nodes`` is left out in turn: ``{"summary": one row per node (mean and
    largest absolute shift, or why skipped), "ranks": uCode, nominal rank and
    the rank without each node}``."""
    p = pipeline.pipeline if isinstance(pipeline, Results) else pipeline
    d = _a.leave_one_out(p._inner, list(nodes), target)
    summary, ranks = [], {"uCode": d["units"], "nominal": pd.array(d["nominal_ranks"], dtype="Int64")}
    for g in d["removals"]:
        row = {"node": g["node"], "level": g["level"]}
        if "Computed" in g["outcome"]:
            r = g["outcome"]["Computed"]
            row.update(mean_abs_shift=r["mean_abs_shift"], max_abs_shift=r["max_abs_shift"], skipped=None)
            ranks[g["node"]] = pd.array(r["ranks"], dtype="Int64")
        else:
            row.update(mean_abs_shift=np.nan, max_abs_shift=None, skipped=g["outcome"]["Skipped"]["reason"])
        summary.append(row)
    return {"summary": pd.DataFrame(summary), "ranks": pd.DataFrame(ranks)}


# ------------------------------------------------------------------ profiles


def unit_profile(
    data: TableLike,
    unit: str,
    *,
    level: Optional[int] = None,
    n: Optional[int] = None,
    use_directions: Optional[bool] = None,
    dataset: Optional[str] = None,
    framework: FrameworkLike = None,
) -> Dict[str, Any]:
    """A unit's scores and ranks at every node, with its ``n`` strongest and
    weakest nodes of ``level`` (each a DataFrame)."""
    d = _a.unit_profile(_table(data, dataset), _framework(data, framework), unit, level, n, use_directions)
    return {"unit": d["unit"], **{k: pd.DataFrame(d[k]) for k in ("nodes", "strengths", "weaknesses")}}


def unit_profiles(
    data: TableLike,
    *,
    level: Optional[int] = None,
    n: Optional[int] = None,
    use_directions: Optional[bool] = None,
    dataset: Optional[str] = None,
    framework: FrameworkLike = None,
) -> List[Dict[str, Any]]:
    """:func:`unit_profile` of every unit."""
    out = _a.unit_profiles(_table(data, dataset), _framework(data, framework), level, n, use_directions)
    return [{"unit": d["unit"], **{k: pd.DataFrame(d[k]) for k in ("nodes", "strengths", "weaknesses")}} for d in out]
