use pyo3::prelude::*;
#[pyfunction]
pub(crate) fn validate_raw() {}
