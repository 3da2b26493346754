"""composite_index: build, analyse and audit composite indices in Python.

The Python face of the Rust crate ``composite-index``: COINr's data model
(iData/iMeta tables, data sets ``raw``, ``denominated``, ``imputed``,
``screened``, ``treated``, ``normalised``, ``aggregated``) with pandas in and
out, and the speed of a compiled core. The binding is thin: every number is
computed by the same Rust code as the crate and its command line.

Quick start::

    import pandas as pd
    import composite_index as ci

    imeta = pd.read_csv("iMeta.csv")
    idata = pd.read_csv("iData.csv")   # pandas < 3: add float_precision="round_trip"
    res = ci.run('''
        spec_version = 1
        [[steps]]
        stage = "normalise"
        default = { method = "min_max", lo = 0, hi = 100 }
        [[steps]]
        stage = "aggregate"
        default = { method = "arithmetic_mean" }
    ''', idata=idata, imeta=imeta)
    res["aggregated"]          # uCode + one column per indicator and aggregate
    res.ranking("Index")       # sorted ranking table

    fitted = ci.fit(spec, idata=idata, imeta=imeta)   # frozen parameters
    fitted.apply(new_units)    # scored against the reference, chunk by chunk
    ci.run_panel(spec, data=long_frame)               # editions over time

Modules: :mod:`composite_index.audit` (statistics, correlations, Cronbach's
alpha, PCA, weights, importance), :mod:`composite_index.uncertainty` (Monte
Carlo and Sobol), :mod:`composite_index.instances` (GII, PII),
:mod:`composite_index.report` (SVG charts, HTML report),
:mod:`composite_index.panel` (editions over time: per-year, pooled or
reference-year fits, rank changes, trends) and
:mod:`composite_index.errors` (the exceptions).
"""

from ._core import (
    FrameworkSpec,
    IndexSpec,
    SensitivitySpec,
    UncertaintySpec,
    Framework,
    __version__,
)
from ._pipeline import (
    Dataset,
    FittedPipeline,
    Pipeline,
    Results,
    StepReport,
    as_spec,
    fit,
    read_coinr,
    read_dataset,
    run,
)
from .errors import (
    CompositeIndexError,
    DataError,
    FrameworkError,
    FrameworkProblem,
    MethodError,
    SpecError,
)
from ._validate import Validation, validate
from . import audit, instances, panel, report, uncertainty
from .panel import Panel, PanelResults, run_panel
from .uncertainty import sensitivity_analysis, uncertainty_analysis

__all__ = [
    "__version__",
    "IndexSpec",
    "FrameworkSpec",
    "UncertaintySpec",
    "SensitivitySpec",
    "Framework",
    "Dataset",
    "Pipeline",
    "FittedPipeline",
    "Results",
    "StepReport",
    "as_spec",
    "read_coinr",
    "read_dataset",
    "run",
    "fit",
    "run_panel",
    "Panel",
    "PanelResults",
    "validate",
    "Validation",
    "uncertainty_analysis",
    "sensitivity_analysis",
    "CompositeIndexError",
    "SpecError",
    "DataError",
    "FrameworkError",
    "MethodError",
    "FrameworkProblem",
    "audit",
    "uncertainty",
    "instances",
    "panel",
    "report",
]
