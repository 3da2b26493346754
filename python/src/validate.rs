//! Validation that lists every problem instead of stopping at the first.
//!
//! The checks are the crate's own: `Framework::new` (every framework problem
//! at once), `Pipeline::new` on each step separately (so that one bad step hides
//! no other; the command line's `validate` probes steps the same way) and a
//! trial run. Each problem is returned as the exception the call would raise.

use std::sync::Arc;

use composite_index::io;
use composite_index::spec::{NormaliseSpec, Step};
use composite_index::{Framework, IndexSpec, Pipeline};
use pyo3::prelude::*;

use crate::data::PyDataset;
use crate::errors::to_py_object;
use crate::spec::PyIndexSpec;

/// The problems of a spec against a data set (exception objects, in the order
/// found): the framework, each step on its own, then a trial run when all
/// else passed (`trial_run`).
#[pyfunction]
#[pyo3(signature = (spec, data, trial_run=true))]
pub(crate) fn validate_raw(
    py: Python<'_>,
    spec: &PyIndexSpec,
    data: &PyDataset,
    trial_run: bool,
) -> Vec<Py<PyAny>> {
    let spec = &spec.0;
    let data = data.0.clone();
    let errors = py.detach(|| {
        let mut errors = Vec::new();
        if let Err(e) = Framework::new(spec.framework.clone(), Some(data.indicator_codes())) {
            errors.push(e);
            return errors;
        }
        for i in 0..spec.steps.len() {
            // Step i alone, after placeholder steps that keep its number.
            let mut steps = vec![Step::Normalise(NormaliseSpec::default()); i];
            steps.push(spec.steps[i].clone());
            let probe = IndexSpec {
                steps,
                ..spec.clone()
            };
            if let Err(e) = Pipeline::new(probe, Arc::clone(&data)) {
                errors.push(e);
            }
        }
        if errors.is_empty()
            && trial_run
            && let Err(e) = Pipeline::new(spec.clone(), Arc::clone(&data)).and_then(|p| p.run())
        {
            errors.push(e);
        }
        errors
    });
    errors.iter().map(|e| to_py_object(py, e)).collect()
}

/// Every cell of a column that does not parse with the readers' rules
/// (`io::parse_cell`), as exception objects naming row, unit and column.
#[pyfunction]
pub(crate) fn cell_problems(
    py: Python<'_>,
    cells: Vec<Option<String>>,
    column: &str,
    units: Vec<String>,
) -> Vec<Py<PyAny>> {
    cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let unit = units.get(i).map_or("", String::as_str);
            io::parse_cell(c.as_deref().unwrap_or(""), i + 1, unit, column).err()
        })
        .map(|e| to_py_object(py, &e))
        .collect()
}
