//! Specifications: the index spec, its framework, and the analysis specs.
//!
//! Each wraps the crate's serde type; reading goes through the crate's own
//! parsers (same messages, same version check), dicts arrive as JSON text.

use composite_index::uncertainty::{SensitivitySpec, UncertaintySpec};
use composite_index::{Error, FrameworkSpec, IndexSpec};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::convert::py_value;
use crate::errors::OrRaise;

fn parse_error(e: impl std::fmt::Display) -> Error {
    Error::SpecParse {
        message: e.to_string(),
    }
}

/// The serde methods shared by every spec class: JSON and TOML in and out,
/// equality, repr and pickling (by JSON).
macro_rules! serde_spec {
    ($py:ident, $rust:ty) => {
        #[pymethods]
        impl $py {
            /// Parses JSON text.
            #[classmethod]
            fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
                Ok(Self(parse_json::<$rust>(text).or_raise()?))
            }

            /// Parses TOML text.
            #[classmethod]
            fn from_toml(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
                Ok(Self(parse_toml::<$rust>(text).or_raise()?))
            }

            /// The spec as pretty-printed JSON.
            fn to_json(&self) -> PyResult<String> {
                serde_json::to_string_pretty(&self.0)
                    .map_err(parse_error)
                    .or_raise()
            }

            /// The spec as TOML.
            fn to_toml(&self) -> PyResult<String> {
                toml::to_string_pretty(&self.0)
                    .map_err(parse_error)
                    .or_raise()
            }

            /// Reads plain Python objects (dicts, lists, numbers, strings), as
            /// JSON would give them.
            #[classmethod]
            fn from_dict(_cls: &Bound<'_, PyType>, value: &Bound<'_, PyAny>) -> PyResult<Self> {
                let v: serde_json::Value = pythonize::depythonize(value)
                    .map_err(|e| parse_error(e))
                    .or_raise()?;
                Ok(Self(parse_json::<$rust>(&v.to_string()).or_raise()?))
            }

            /// The spec as plain Python objects (what `from_dict` reads).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                py_value(py, &self.0)
            }

            fn __eq__(&self, other: &Self) -> bool {
                self.0 == other.0
            }

            fn __repr__(&self) -> String {
                format!("{}({})", stringify!($rust), summary(&self.0))
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                let json = slf.borrow().to_json()?;
                Ok((slf.get_type().getattr("from_json")?, (json,)))
            }
        }
    };
}

fn parse_json<T: serde::de::DeserializeOwned + Versioned>(
    text: &str,
) -> composite_index::Result<T> {
    T::parsed(serde_json::from_str::<T>(text).map_err(parse_error)?)
}

fn parse_toml<T: serde::de::DeserializeOwned + Versioned>(
    text: &str,
) -> composite_index::Result<T> {
    T::parsed(toml::from_str::<T>(text).map_err(parse_error)?)
}

/// A check after parsing (the index spec's version).
trait Versioned: Sized {
    fn parsed(self) -> composite_index::Result<Self> {
        Ok(self)
    }
}

impl Versioned for IndexSpec {
    fn parsed(self) -> composite_index::Result<Self> {
        self.check_version()?;
        Ok(self)
    }
}
impl Versioned for FrameworkSpec {}
impl Versioned for UncertaintySpec {}
impl Versioned for SensitivitySpec {}

trait Summary {
    fn summary(&self) -> String;
}

fn summary(x: &impl Summary) -> String {
    x.summary()
}

impl Summary for IndexSpec {
    fn summary(&self) -> String {
        let stages: Vec<&str> = self.steps.iter().map(|s| s.stage()).collect();
        format!(
            "name={:?}, nodes={}, steps=[{}]",
            self.name.as_deref().unwrap_or(""),
            self.framework.all_nodes().len(),
            stages.join(", ")
        )
    }
}

impl Summary for FrameworkSpec {
    fn summary(&self) -> String {
        format!(
            "nodes={}, weight_sets={}",
            self.all_nodes().len(),
            self.weight_sets.len()
        )
    }
}

impl Summary for UncertaintySpec {
    fn summary(&self) -> String {
        format!(
            "runs={}, seed={}, inputs={}",
            self.runs,
            self.seed,
            self.inputs.len()
        )
    }
}

impl Summary for SensitivitySpec {
    fn summary(&self) -> String {
        format!(
            "n={}, seed={}, inputs={}",
            self.n,
            self.seed,
            self.inputs.len()
        )
    }
}

/// An index specification (`IndexSpec` in Rust): framework and pipeline steps.
#[pyclass(name = "IndexSpec", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyIndexSpec(pub(crate) IndexSpec);

serde_spec!(PyIndexSpec, IndexSpec);

#[pymethods]
impl PyIndexSpec {
    /// Reads a TOML or JSON file (JSON when the name ends in `.json`).
    #[classmethod]
    fn from_path(_cls: &Bound<'_, PyType>, path: std::path::PathBuf) -> PyResult<Self> {
        Ok(Self(IndexSpec::from_path(path).or_raise()?))
    }

    /// Parses TOML (`format="toml"`) or JSON text. A spec without a framework
    /// (or with no nodes) takes `framework` when one is given, as the command
    /// line does with COINr's iMeta table.
    #[classmethod]
    #[pyo3(signature = (text, format, framework=None))]
    fn parse(
        _cls: &Bound<'_, PyType>,
        text: &str,
        format: &str,
        framework: Option<&PyFrameworkSpec>,
    ) -> PyResult<Self> {
        let mut spec = match format {
            "json" => IndexSpec::from_json(text),
            _ => IndexSpec::from_toml(text),
        }
        .or_raise()?;
        if let Some(f) = framework
            && !spec.framework.has_nodes()
        {
            spec.framework = f.0.clone();
        }
        Ok(Self(spec))
    }

    /// The name, if any.
    #[getter]
    fn name(&self) -> Option<String> {
        self.0.name.clone()
    }

    /// The spec format version.
    #[getter]
    fn spec_version(&self) -> u32 {
        self.0.spec_version
    }

    /// The indicator tree.
    #[getter]
    fn framework(&self) -> PyFrameworkSpec {
        PyFrameworkSpec(self.0.framework.clone())
    }

    /// The stage of each step (`"normalise"`, ...), in order.
    #[getter]
    fn stages(&self) -> Vec<&'static str> {
        self.0.steps.iter().map(|s| s.stage()).collect()
    }

    /// The `[data]` table (where the data come from, for the command line), if any.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0.data.as_ref().map(|d| py_value(py, d)).transpose()
    }

    /// A copy with another framework.
    fn with_framework(&self, framework: &PyFrameworkSpec) -> Self {
        let mut s = self.0.clone();
        s.framework = framework.0.clone();
        Self(s)
    }
}

/// The indicator tree as written (`FrameworkSpec` in Rust): nodes and weight sets.
#[pyclass(name = "FrameworkSpec", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyFrameworkSpec(pub(crate) FrameworkSpec);

serde_spec!(PyFrameworkSpec, FrameworkSpec);

#[pymethods]
impl PyFrameworkSpec {
    /// Number of nodes (those of a node file it names included).
    fn __len__(&self) -> usize {
        self.0.all_nodes().len()
    }

    /// The same framework with every node written out and no file reference.
    fn inlined(&self) -> Self {
        Self(self.0.inlined())
    }
}

/// A Monte Carlo uncertainty analysis (`UncertaintySpec` in Rust).
#[pyclass(name = "UncertaintySpec", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyUncertaintySpec(pub(crate) UncertaintySpec);

serde_spec!(PyUncertaintySpec, UncertaintySpec);

/// A Sobol sensitivity analysis (`SensitivitySpec` in Rust).
#[pyclass(name = "SensitivitySpec", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PySensitivitySpec(pub(crate) SensitivitySpec);

serde_spec!(PySensitivitySpec, SensitivitySpec);
