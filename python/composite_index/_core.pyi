"""Type stubs of the compiled core ``composite_index._core`` (PyO3).

Users call the Python package (``composite_index``); these are the classes it
re-exports (``IndexSpec``, ``FrameworkSpec``, ``UncertaintySpec``,
``SensitivitySpec``, ``Framework``) and the functions it wraps.
"""

from os import PathLike
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

_Table = Tuple[Sequence[str], Sequence[str], npt.NDArray[np.float64]]
_Progress = Optional[Callable[[int, int], Any]]

class IndexSpec:
    """An index specification (Rust ``IndexSpec``): framework and pipeline steps."""

    @classmethod
    def from_json(cls, text: str) -> "IndexSpec":
        """Parses JSON text (unknown keys are errors; the version is checked)."""
    @classmethod
    def from_toml(cls, text: str) -> "IndexSpec":
        """Parses TOML text (unknown keys are errors; the version is checked)."""
    @classmethod
    def from_dict(cls, value: Dict[str, Any]) -> "IndexSpec":
        """Reads plain Python objects, as JSON would give them."""
    @classmethod
    def from_path(cls, path: Union[str, "PathLike[str]"]) -> "IndexSpec":
        """Reads a TOML or JSON file (JSON when the name ends in ``.json``)."""
    @classmethod
    def parse(cls, text: str, format: str, framework: Optional["FrameworkSpec"] = None) -> "IndexSpec":
        """Parses TOML or JSON text; a spec without framework takes ``framework``."""
    def to_json(self) -> str:
        """The spec as pretty-printed JSON."""
    def to_toml(self) -> str:
        """The spec as TOML."""
    def to_dict(self) -> Dict[str, Any]:
        """The spec as plain Python objects."""
    def with_framework(self, framework: "FrameworkSpec") -> "IndexSpec":
        """A copy with another framework."""
    @property
    def name(self) -> Optional[str]:
        """The name, if any."""
    @property
    def spec_version(self) -> int:
        """The spec format version."""
    @property
    def framework(self) -> "FrameworkSpec":
        """The indicator tree."""
    @property
    def stages(self) -> List[str]:
        """The stage of each step, in order."""
    @property
    def data(self) -> Optional[Dict[str, Any]]:
        """The ``[data]`` table, if any."""
    def __eq__(self, other: object) -> bool: ...

class FrameworkSpec:
    """The indicator tree as written (Rust ``FrameworkSpec``)."""

    @classmethod
    def from_json(cls, text: str) -> "FrameworkSpec":
        """Parses JSON text."""
    @classmethod
    def from_toml(cls, text: str) -> "FrameworkSpec":
        """Parses TOML text."""
    @classmethod
    def from_dict(cls, value: Dict[str, Any]) -> "FrameworkSpec":
        """Reads plain Python objects."""
    def inlined(self) -> "FrameworkSpec":
        """The same framework with every node written out and no file reference."""
    def to_json(self) -> str:
        """As JSON."""
    def to_toml(self) -> str:
        """As TOML."""
    def to_dict(self) -> Dict[str, Any]:
        """As plain Python objects."""
    def __len__(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...

class UncertaintySpec:
    """A Monte Carlo uncertainty analysis (Rust ``UncertaintySpec``)."""

    @classmethod
    def from_json(cls, text: str) -> "UncertaintySpec":
        """Parses JSON text."""
    @classmethod
    def from_toml(cls, text: str) -> "UncertaintySpec":
        """Parses TOML text."""
    @classmethod
    def from_dict(cls, value: Dict[str, Any]) -> "UncertaintySpec":
        """Reads plain Python objects."""
    def to_json(self) -> str:
        """As JSON."""
    def to_toml(self) -> str:
        """As TOML."""
    def to_dict(self) -> Dict[str, Any]:
        """As plain Python objects."""
    def __eq__(self, other: object) -> bool: ...

class SensitivitySpec:
    """A Sobol sensitivity analysis (Rust ``SensitivitySpec``)."""

    @classmethod
    def from_json(cls, text: str) -> "SensitivitySpec":
        """Parses JSON text."""
    @classmethod
    def from_toml(cls, text: str) -> "SensitivitySpec":
        """Parses TOML text."""
    @classmethod
    def from_dict(cls, value: Dict[str, Any]) -> "SensitivitySpec":
        """Reads plain Python objects."""
    def to_json(self) -> str:
        """As JSON."""
    def to_toml(self) -> str:
        """As TOML."""
    def to_dict(self) -> Dict[str, Any]:
        """As plain Python objects."""
    def __eq__(self, other: object) -> bool: ...

class Framework:
    """A validated indicator tree (Rust ``Framework``)."""

    def __init__(self, spec: FrameworkSpec, data_columns: Optional[Sequence[str]] = None) -> None:
        """Validates ``spec``, listing every problem (a ``FrameworkError``)."""
    def nodes(self) -> List[Dict[str, Any]]:
        """Every node: code, name, parent, level, weight, direction."""
    @property
    def indicator_codes(self) -> List[str]:
        """Codes of the indicators, in framework order."""
    @property
    def root(self) -> str:
        """Code of the index."""
    @property
    def n_levels(self) -> int:
        """Number of levels (1 = indicators)."""
    @property
    def spec(self) -> FrameworkSpec:
        """The spec it was built from."""
    def nodes_at_level(self, level: int) -> List[str]:
        """Codes of the nodes at a level."""
    def level(self, code: str) -> int:
        """Level of a node."""
    def parent(self, code: str) -> Optional[str]:
        """Parent of a node."""
    def children(self, code: str) -> List[str]:
        """Children of a node."""
    def effective_weights(self, set: Optional[str] = None) -> List[Tuple[str, float]]:
        """Effective weight of every node in the index."""
    def __len__(self) -> int: ...

class Dataset:
    """A validated data set (Rust ``Dataset``); wrapped by ``composite_index.Dataset``."""

    def __init__(
        self,
        unit_codes: List[str],
        indicator_codes: List[str],
        values: npt.NDArray[np.float64],
        unit_names: Optional[List[str]] = None,
        groups: List[Tuple[str, List[Optional[str]]]] = ...,
        denominators: List[Tuple[str, npt.NDArray[np.float64]]] = ...,
        time: Optional[npt.NDArray[np.float64]] = None,
    ) -> None: ...
    unit_codes: List[str]
    unit_names: List[str]
    indicator_codes: List[str]
    groups: List[Tuple[str, List[Optional[str]]]]
    denominators: List[Tuple[str, List[float]]]
    time: Optional[List[float]]
    shape: Tuple[int, int]
    def values_flat(self) -> npt.NDArray[np.float64]:
        """The values, column-major."""

class Pipeline:
    """A validated pipeline (Rust ``Pipeline``); wrapped by ``composite_index.Pipeline``."""

    def __init__(self, spec: IndexSpec, data: Dataset) -> None: ...
    def run(self) -> "Results": ...
    def run_final_only(self) -> "Results": ...
    def with_step(self, i: int, step_json: str) -> "Pipeline": ...
    def fit(self) -> "FittedPipeline": ...
    def run_and_fit(self) -> Tuple["Results", "FittedPipeline"]: ...
    spec: IndexSpec
    framework: Framework
    data: Dataset

class Results:
    """Results of a run (Rust ``Results``); wrapped by ``composite_index.Results``."""

    dataset_names: List[str]
    unit_codes: List[str]
    unit_names: List[str]
    node_codes: List[str]
    pipeline: Pipeline
    def dataset(self, name: str) -> Optional[Tuple[List[str], List[str], List[int], npt.NDArray[np.float64]]]: ...
    def scores(self, node: str) -> Optional[npt.NDArray[np.float64]]: ...
    def ranks(self, node: str) -> Optional[List[Optional[int]]]: ...
    def efficiency_ratio(self, numerator: str, denominator: str) -> List[Optional[float]]: ...
    def reports(self) -> List[Tuple[str, Any]]: ...
    def treatment_log(self) -> Optional[List[Dict[str, Any]]]: ...
    def to_json(self) -> str: ...
    def write_csv_dir(self, dir: Union[str, "PathLike[str]"]) -> None: ...

class FittedPipeline:
    """A pipeline with its parameters frozen (Rust ``FittedPipeline``); wrapped by
    ``composite_index.FittedPipeline``."""

    @classmethod
    def from_json(cls, text: str) -> "FittedPipeline":
        """Reads one from JSON, checking structure and parameters."""
    def apply(self, data: Dataset) -> Results:
        """Applies the frozen parameters to a data set."""
    def apply_final_only(self, data: Dataset) -> Results:
        """As ``apply``, keeping only the final data set."""
    def to_json(self) -> str:
        """As JSON (numbers round-trip exactly)."""
    def validate(self) -> None:
        """Checks structure and parameters."""
    def steps(self) -> List[Dict[str, Any]]:
        """The fitted steps as plain objects."""
    spec: IndexSpec
    reference_units: List[str]
    def __eq__(self, other: object) -> bool: ...

class Panel:
    """One data set per edition (Rust ``Panel``); wrapped by ``composite_index.Panel``."""

    def __init__(self, editions: List[Tuple[float, Dataset]]) -> None: ...
    times: List[float]
    def units(self) -> List[str]: ...
    def edition(self, time: float) -> Optional[Dataset]: ...
    def __len__(self) -> int: ...

class PanelPipeline:
    """A spec over every edition (Rust ``PanelPipeline``)."""

    def __init__(
        self,
        panel: Panel,
        spec: Optional[IndexSpec] = None,
        specs: Optional[List[Tuple[float, IndexSpec]]] = None,
        options: Optional[str] = None,
    ) -> None: ...
    times: List[float]
    def run(self) -> "PanelResults": ...
    def options(self) -> Dict[str, Any]: ...
    def pipeline(self, time: float) -> Optional[Pipeline]: ...

class PanelResults:
    """Results of a panel run (Rust ``PanelResults``); wrapped by
    ``composite_index.PanelResults``."""

    times: List[float]
    dataset_names: List[str]
    def dataset(self, name: str) -> Optional[Tuple[List[str], List[float], List[str], npt.NDArray[np.float64]]]: ...
    def edition(self, time: float) -> Optional[Results]: ...
    def describe_scopes(self) -> List[str]: ...
    def scopes(self) -> List[Tuple[int, str, Optional[Dict[str, Any]]]]: ...
    def panel_imputation(self) -> List[Tuple[int, Dict[str, Any]]]: ...
    def write_csv_dir(self, dir: Union[str, "PathLike[str]"]) -> None: ...
    def editions(self) -> "Editions": ...
    def trends(
        self,
        dataset: str,
        columns: List[str],
        metric: str = ...,
        units: Optional[List[str]] = None,
        use_latest: Optional[int] = None,
        times: Optional[List[float]] = None,
        interp_at: Optional[List[float]] = None,
    ) -> List[Dict[str, Any]]: ...

class Editions:
    """Ranks and scores by edition (Rust ``Editions``)."""

    times: List[float]
    def compare(self, node: str, from_: float, to: float) -> Tuple[List[Dict[str, Any]], str]: ...
    def history(self, unit: str, node: str) -> List[Dict[str, Any]]: ...
    def movers(self, node: str, from_: float, to: float, group: Optional[str] = None) -> Dict[str, Any]: ...
    def streak(
        self,
        unit: str,
        node: str,
        rank_at_most: Optional[int] = None,
        score_at_least: Optional[float] = None,
        until: Optional[float] = None,
    ) -> Optional[Dict[str, Any]]: ...

def read_panel(
    text: str,
    unit_code: str = ...,
    unit_name: Optional[str] = ...,
    time: str = ...,
    groups: List[str] = ...,
    denominators: List[str] = ...,
    indicators: Optional[List[str]] = None,
    ignore: List[str] = ...,
    context: str = ...,
) -> Panel:
    """A wide panel table (CSV text) with the crate's reader."""

def read_coinr_panel(imeta: str, idata: str, context: str = ...) -> Tuple[FrameworkSpec, Panel]:
    """COINr's iMeta and a panel iData (CSV text)."""

def read_long_panel(
    text: str,
    unit_code: str = ...,
    unit_name: Optional[str] = ...,
    time: str = ...,
    variable: str = ...,
    value: str = ...,
    groups: List[str] = ...,
    denominators: List[str] = ...,
    context: str = ...,
) -> Panel:
    """A long panel table (CSV text) with the crate's reader."""

class UncertaintyResults:
    """Results of an uncertainty analysis (Rust ``UncertaintyResults``)."""

    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class SensitivityResults:
    """Results of a sensitivity analysis (Rust ``SensitivityResults``)."""

    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

def read_coinr(imeta: str, idata: str, context: str = ...) -> Tuple[FrameworkSpec, Dataset]:
    """COINr's iMeta and iData (CSV text) with the crate's reader."""

def read_dataset(
    text: str,
    unit_code: str = ...,
    unit_name: Optional[str] = ...,
    time: Optional[str] = ...,
    groups: List[str] = ...,
    denominators: List[str] = ...,
    indicators: Optional[List[str]] = None,
    ignore: List[str] = ...,
    context: str = ...,
) -> Dataset:
    """A CSV table (text) with the crate's reader."""

def parse_cells(cells: List[Optional[str]], column: str, units: List[str]) -> npt.NDArray[np.float64]:
    """Cells of text parsed with the readers' rules."""

def cell_problems(cells: List[Optional[str]], column: str, units: List[str]) -> List[Exception]:
    """Every cell that does not parse, as exceptions."""

def validate_raw(spec: IndexSpec, data: Dataset, trial_run: bool = True) -> List[Exception]:
    """Every problem of a spec against a data set, as exceptions."""

def uncertainty_analysis_raw(
    pipeline: Pipeline, spec: UncertaintySpec, threads: Optional[int] = None, progress: _Progress = None
) -> UncertaintyResults:
    """Monte Carlo uncertainty analysis."""

def sensitivity_analysis_raw(
    pipeline: Pipeline, spec: SensitivitySpec, threads: Optional[int] = None, progress: _Progress = None
) -> SensitivityResults:
    """Sobol sensitivity analysis."""

def _bench_run(pipeline: Pipeline, iterations: int) -> float:
    """Mean seconds of one run, looped in Rust."""

# Submodules of the core, wrapped by composite_index.audit, .instances and .report.
audit: Any
instances: Any
report: Any
