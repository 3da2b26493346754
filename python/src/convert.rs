//! numpy <-> nalgebra and serde -> Python conversions.

use nalgebra::DMatrix;
use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use serde::Serialize;

/// A units x columns matrix from a 2-D float64 array (copied, column-major).
pub(crate) fn matrix(a: &PyReadonlyArray2<'_, f64>) -> DMatrix<f64> {
    let v = a.as_array();
    let (n, k) = v.dim();
    // A Fortran-ordered array is already column-major: one copy.
    if let Some(s) = v.t().as_slice() {
        return DMatrix::from_vec(n, k, s.to_vec());
    }
    let mut data = Vec::with_capacity(n * k);
    for j in 0..k {
        data.extend(v.column(j).iter().copied());
    }
    DMatrix::from_vec(n, k, data)
}

/// A vector from a 1-D float64 array.
pub(crate) fn vector(a: &PyReadonlyArray1<'_, f64>) -> Vec<f64> {
    a.as_array().iter().copied().collect()
}

/// The values of a matrix in column-major order (Python reshapes them with
/// `reshape((ncols, nrows)).T`, a view without copy).
pub(crate) fn flat<'py>(py: Python<'py>, m: &DMatrix<f64>) -> Bound<'py, PyArray1<f64>> {
    PyArray1::from_slice(py, m.as_slice())
}

/// Any serialisable value as plain Python objects (dicts, lists, floats...).
pub(crate) fn py_value<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}
