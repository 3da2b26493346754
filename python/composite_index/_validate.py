"""Validation that lists every problem of a spec and its data at once."""

from __future__ import annotations

from typing import Any, List, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._pipeline import Dataset, SpecLike, TableLike, _roles_for, as_spec, read_coinr, read_dataset
from .errors import CompositeIndexError, DataError, SpecError

__all__ = ["Validation", "validate"]


class Validation:
    """The outcome of :func:`validate`: ``errors`` (exceptions, each with its
    structured context) and ``warnings`` (texts). True when there is no error."""

    def __init__(self, errors: List[CompositeIndexError], warnings: List[str]) -> None:
        self.errors = errors
        self.warnings = warnings

    @property
    def ok(self) -> bool:
        """Whether no error was found."""
        return not self.errors

    def __bool__(self) -> bool:
        return self.ok

    def raise_first(self) -> None:
        """Raises the first error, if any."""
        if self.errors:
            raise self.errors[0]

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: severity, class, Rust variant, message and the
        usual context (unit, indicator, node, column, row, line)."""
        rows = []
        for e in self.errors:
            rows.append(
                {
                    "severity": "error",
                    "error": type(e).__name__,
                    "variant": e.variant,
                    "message": str(e),
                    **{k: getattr(e, k) for k in ("unit", "indicator", "node", "column", "row", "line")},
                }
            )
        for w in self.warnings:
            rows.append({"severity": "warning", "message": w})
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        lines = [f"Validation: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"]
        lines += [f"  error: {e}" for e in self.errors]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _frame_problems(frame: pd.DataFrame, columns: List[str], units: List[str]) -> List[CompositeIndexError]:
    """Every cell of the numeric columns that does not parse (the readers' rules)."""
    out: List[CompositeIndexError] = []
    for c in columns:
        if c not in frame.columns:
            continue
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s.dtype):
            v = s.to_numpy(dtype=np.float64, na_value=np.nan)
            for i in np.flatnonzero(np.isinf(v)):
                out.append(
                    DataError(
                        f'infinite value {v[i]} for unit "{units[i]}" in column "{c}" (row {i + 1})',
                        variant="InfiniteValue", row=int(i) + 1, unit=units[i], column=c, value=float(v[i]),
                    )
                )
            continue
        cells = [None if pd.isna(x) else str(x) for x in s]
        out.extend(_core.cell_problems(cells, c, units))
    return out


def _value_warnings(data: Dataset, indicators: List[str]) -> List[str]:
    out = []
    values = data.values
    codes = data.indicator_codes
    for j, code in enumerate(codes):
        if code not in indicators:
            continue
        x = values[:, j]
        present = x[~np.isnan(x)]
        if present.size == 0:
            out.append(f'indicator "{code}" has no value at all')
        elif np.all(present == present[0]):
            out.append(f'indicator "{code}" has the same value for every unit; methods that divide by its range or spread will fail')
        elif present.size * 2 < x.size:
            out.append(f'indicator "{code}" is missing for {x.size - present.size} of {x.size} units')
    cols = [j for j, c in enumerate(codes) if c in indicators]
    if cols:
        empty = np.all(np.isnan(values[:, cols]), axis=1)
        for i in np.flatnonzero(empty):
            out.append(f'unit "{data.unit_codes[i]}" has no indicator value at all')
    return out


def validate(
    spec: SpecLike,
    *,
    idata: Optional[TableLike] = None,
    imeta: Optional[TableLike] = None,
    data: Optional[Union[Dataset, TableLike]] = None,
    trial_run: bool = True,
    **roles: Any,
) -> Validation:
    """Checks a spec and its data and reports every problem found, as the
    command line's ``validate`` does: bad cells (each one, naming row, unit and
    column), the framework (every problem), each step on its own, and a trial
    run when everything else passes. Arguments as :func:`run`.

    >>> v = ci.validate("spec.toml", idata=idata, imeta=imeta)   # doctest: +SKIP
    >>> v.ok, v.to_frame()                                       # doctest: +SKIP
    """
    errors: List[CompositeIndexError] = []
    warnings: List[str] = []
    framework = None
    dataset: Optional[Dataset] = None
    if imeta is not None and idata is not None:
        try:
            framework, dataset = read_coinr(imeta, idata)
        except CompositeIndexError as e:
            errors.append(e)
            if isinstance(idata, pd.DataFrame) and "uCode" in idata.columns:
                units = ["" if pd.isna(u) else str(u) for u in idata["uCode"]]
                cols = [c for c in idata.columns if c not in ("uCode", "uName")]
                more = _frame_problems(idata, cols, units)
                errors.extend(p for p in more if str(p) != str(e))
    try:
        s = as_spec(spec, framework)
    except CompositeIndexError as e:
        errors.append(e)
        return Validation(errors, warnings)
    if data is not None:
        try:
            if isinstance(data, Dataset):
                dataset = data
            elif isinstance(data, pd.DataFrame):
                r = _roles_for(data, s, roles)
                code = r.get("unit_code", "uCode")
                units = ["" if pd.isna(u) else str(u) for u in data[code]] if code in data.columns else []
                problems = _frame_problems(data, [c for c in data.columns if c not in r["groups"] and c not in r["ignore"] and c not in (code, r.get("unit_name", "uName"))], units) if units else []
                if problems:
                    errors.extend(problems)
                else:
                    dataset = Dataset.from_frame(data, **r)
            else:
                frame = pd.read_csv(data, keep_default_na=False, dtype=str)
                dataset = read_dataset(data, **_roles_for(frame, s, roles))
        except CompositeIndexError as e:
            errors.append(e)
    if dataset is None:
        if not errors:
            raise TypeError("give the data: data=..., or idata=... with imeta=...")
        return Validation(errors, warnings)
    if not any(st == "aggregate" for st in s.stages):
        warnings.append("the pipeline has no aggregate step, so there are no aggregate scores or ranks of the index")
    errors.extend(_core.validate_raw(s, dataset._inner, trial_run and not errors))
    d = s.to_dict()
    parents = {n.get("parent") for n in d["framework"]["nodes"]}
    leaves = [n["code"] for n in d["framework"]["nodes"] if n["code"] not in parents]
    warnings.extend(_value_warnings(dataset, leaves))
    return Validation(errors, warnings)
