//! The crate's [`Error`] as Python exceptions of `composite_index.errors`.
//!
//! Every variant maps to one of `SpecError`, `DataError`, `FrameworkError` or
//! `MethodError` (all subclasses of `CompositeIndexError`), with the variant's
//! fields as attributes under their Rust names, plus `variant` (the Rust variant
//! name). A variant added to the crate later (the enum is `#[non_exhaustive]`)
//! becomes a plain `CompositeIndexError` until it is listed here.

use composite_index::{Error, FrameworkProblem};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// `Result` of the crate into `PyResult`, raising the matching exception.
pub(crate) trait OrRaise<T> {
    /// Converts the error into its Python exception.
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for composite_index::Result<T> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| to_py(&e))
    }
}

/// A value for an exception attribute.
enum V {
    S(String),
    U(u64),
    F(f64),
    OptS(Option<String>),
    OptU(Option<u64>),
    List(Vec<String>),
}

fn s(x: &str) -> V {
    V::S(x.to_owned())
}

fn u(x: usize) -> V {
    V::U(x as u64)
}

/// Exception class, variant name and fields of an error.
fn describe(e: &Error) -> (&'static str, &'static str, Vec<(&'static str, V)>) {
    use Error as E;
    match e {
        E::Io { path, source } => (
            "DataError",
            "Io",
            vec![("path", s(path)), ("reason", V::S(source.to_string()))],
        ),
        E::Csv {
            context,
            line,
            message,
        } => (
            "DataError",
            "Csv",
            vec![
                ("context", s(context)),
                ("line", V::OptU(*line)),
                ("reason", s(message)),
            ],
        ),
        E::Table {
            context,
            row,
            column,
            message,
        } => (
            "DataError",
            "Table",
            vec![
                ("context", s(context)),
                ("row", V::OptU(*row)),
                ("column", V::OptS(column.clone())),
                ("reason", s(message)),
            ],
        ),
        E::NonNumeric {
            row,
            unit,
            column,
            value,
        } => (
            "DataError",
            "NonNumeric",
            vec![
                ("row", u(*row)),
                ("unit", s(unit)),
                ("column", s(column)),
                ("value", s(value)),
            ],
        ),
        E::InfiniteValue {
            row,
            unit,
            column,
            value,
        } => (
            "DataError",
            "InfiniteValue",
            vec![
                ("row", u(*row)),
                ("unit", s(unit)),
                ("column", s(column)),
                ("value", V::F(*value)),
            ],
        ),
        E::DuplicateUnit {
            code,
            first_row,
            second_row,
        } => (
            "DataError",
            "DuplicateUnit",
            vec![
                ("code", s(code)),
                ("unit", s(code)),
                ("first_row", u(*first_row)),
                ("second_row", u(*second_row)),
                ("row", u(*second_row)),
            ],
        ),
        E::EmptyUnitCode { row } => ("DataError", "EmptyUnitCode", vec![("row", u(*row))]),
        E::DuplicateColumn { column, context } => (
            "DataError",
            "DuplicateColumn",
            vec![("column", s(column)), ("context", s(context))],
        ),
        E::UnknownColumn { column, context } => (
            "DataError",
            "UnknownColumn",
            vec![("column", s(column)), ("context", s(context))],
        ),
        E::MissingColumn { column, context } => (
            "DataError",
            "MissingColumn",
            vec![("column", s(column)), ("context", s(context))],
        ),
        E::DimensionMismatch {
            what,
            expected,
            found,
        } => (
            "DataError",
            "DimensionMismatch",
            vec![
                ("what", s(what)),
                ("expected", u(*expected)),
                ("found", u(*found)),
            ],
        ),
        E::Framework(problems) => (
            "FrameworkError",
            "Framework",
            vec![(
                "codes",
                V::List(problems.iter().filter_map(problem_code).collect()),
            )],
        ),
        E::SpecParse { message } => {
            let (line, column) = line_column(message);
            (
                "SpecError",
                "SpecParse",
                vec![
                    ("reason", s(message)),
                    ("line", V::OptU(line)),
                    ("column_number", V::OptU(column)),
                ],
            )
        }
        E::UnsupportedSpecVersion { found, supported } => (
            "SpecError",
            "UnsupportedSpecVersion",
            vec![
                ("found", V::U(u64::from(*found))),
                ("supported", V::U(u64::from(*supported))),
            ],
        ),
        E::UnknownCode {
            kind,
            code,
            context,
        } => {
            let mut f = vec![
                ("kind", s(kind)),
                ("code", s(code)),
                ("context", s(context)),
            ];
            // The code under the name of what it is, as in the other variants.
            if *kind == "unit" {
                f.push(("unit", s(code)));
            } else if kind.contains("indicator") {
                f.push(("indicator", s(code)));
            } else if kind.contains("node") {
                f.push(("node", s(code)));
            }
            ("SpecError", "UnknownCode", f)
        }
        E::InvalidParameter {
            method,
            parameter,
            target,
            message,
        } => (
            "MethodError",
            "InvalidParameter",
            vec![
                ("method", s(method)),
                ("parameter", s(parameter)),
                ("target", V::OptS(target.clone())),
                ("reason", s(message)),
            ],
        ),
        E::DegenerateColumn {
            indicator,
            method,
            reason,
        } => (
            "MethodError",
            "DegenerateColumn",
            vec![
                ("indicator", s(indicator)),
                ("method", s(method)),
                ("reason", s(reason)),
            ],
        ),
        E::Domain {
            method,
            unit,
            node,
            child,
            value,
            reason,
        } => (
            "MethodError",
            "Domain",
            vec![
                ("method", s(method)),
                ("unit", s(unit)),
                ("node", s(node)),
                ("child", s(child)),
                ("value", V::F(*value)),
                ("reason", s(reason)),
            ],
        ),
        E::Custom {
            method,
            target,
            message,
        } => (
            "MethodError",
            "Custom",
            vec![
                ("method", s(method)),
                ("target", s(target)),
                ("reason", s(message)),
            ],
        ),
        E::Pipeline {
            step,
            stage,
            message,
        } => (
            "SpecError",
            "Pipeline",
            vec![
                ("step", u(*step)),
                ("stage", s(stage)),
                ("reason", s(message)),
            ],
        ),
        E::InEdition { time, source } => {
            // The error of one edition of a panel: its class and fields, and the time.
            let (class, variant, mut fields) = describe(source);
            fields.push(("time", V::F(*time)));
            (class, variant, fields)
        }
        _ => ("CompositeIndexError", "Other", Vec::new()),
    }
}

/// The node a framework problem is about, if one.
fn problem_code(p: &FrameworkProblem) -> Option<String> {
    use FrameworkProblem as P;
    match p {
        P::DuplicateCode { code }
        | P::MissingParent { code, .. }
        | P::IndicatorNotInData { code, .. }
        | P::InconsistentLevel { code, .. }
        | P::NegativeWeight { code, .. }
        | P::NonFiniteWeight { code }
        | P::InvalidDirection { code, .. }
        | P::UnknownWeightCode { code, .. } => Some(code.clone()),
        P::AllZeroWeights { parent } => Some(parent.clone()),
        _ => None,
    }
}

/// Variant name and fields of a framework problem.
fn describe_problem(p: &FrameworkProblem) -> (&'static str, Vec<(&'static str, V)>) {
    use FrameworkProblem as P;
    match p {
        P::Empty => ("Empty", vec![]),
        P::DuplicateCode { code } => ("DuplicateCode", vec![("code", s(code))]),
        P::EmptyCode { position } => ("EmptyCode", vec![("position", u(*position))]),
        P::NoRoot => ("NoRoot", vec![]),
        P::MultipleRoots { roots } => ("MultipleRoots", vec![("codes", V::List(roots.clone()))]),
        P::MissingParent {
            code,
            parent,
            suggestion,
        } => (
            "MissingParent",
            vec![
                ("code", s(code)),
                ("parent", s(parent)),
                ("suggestion", V::OptS(suggestion.clone())),
            ],
        ),
        P::Cycle { codes } => ("Cycle", vec![("codes", V::List(codes.clone()))]),
        P::IndicatorNotInData { code, suggestion } => (
            "IndicatorNotInData",
            vec![
                ("code", s(code)),
                ("indicator", s(code)),
                ("suggestion", V::OptS(suggestion.clone())),
            ],
        ),
        P::InconsistentLevel {
            code,
            stated,
            computed,
        } => (
            "InconsistentLevel",
            vec![
                ("code", s(code)),
                ("stated", V::U(u64::from(*stated))),
                ("computed", V::U(u64::from(*computed))),
            ],
        ),
        P::NegativeWeight { code, weight } => (
            "NegativeWeight",
            vec![("code", s(code)), ("weight", V::F(*weight))],
        ),
        P::NonFiniteWeight { code } => ("NonFiniteWeight", vec![("code", s(code))]),
        P::AllZeroWeights { parent } => ("AllZeroWeights", vec![("parent", s(parent))]),
        P::UnknownWeightCode {
            set,
            code,
            suggestion,
        } => (
            "UnknownWeightCode",
            vec![
                ("set", s(set)),
                ("code", s(code)),
                ("suggestion", V::OptS(suggestion.clone())),
            ],
        ),
        P::InvalidDirection { code, direction } => (
            "InvalidDirection",
            vec![("code", s(code)), ("direction", V::F(*direction))],
        ),
        _ => ("Other", vec![]),
    }
}

/// Line and column named in a TOML or JSON parser message ("at line 3, column 5",
/// "at line 3 column 5").
fn line_column(message: &str) -> (Option<u64>, Option<u64>) {
    let number_after = |key: &str| {
        let i = message.find(key)? + key.len();
        let digits: String = message[i..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    (number_after("line "), number_after("column "))
}

fn fill(kwargs: &Bound<'_, PyDict>, fields: Vec<(&'static str, V)>) -> PyResult<()> {
    for (k, v) in fields {
        match v {
            V::S(x) => kwargs.set_item(k, x)?,
            V::U(x) => kwargs.set_item(k, x)?,
            V::F(x) => kwargs.set_item(k, x)?,
            V::OptS(x) => kwargs.set_item(k, x)?,
            V::OptU(x) => kwargs.set_item(k, x)?,
            V::List(x) => kwargs.set_item(k, x)?,
        }
    }
    Ok(())
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let module = py.import("composite_index.errors")?;
    let (class, variant, fields) = describe(e);
    let kwargs = PyDict::new(py);
    kwargs.set_item("variant", variant)?;
    fill(&kwargs, fields)?;
    let mut inner = e;
    while let Error::InEdition { source, .. } = inner {
        inner = source;
    }
    if let Error::Framework(problems) = inner {
        let problem_class = module.getattr("FrameworkProblem")?;
        let list = problems
            .iter()
            .map(|p| {
                let (kind, fields) = describe_problem(p);
                let kw = PyDict::new(py);
                kw.set_item("kind", kind)?;
                fill(&kw, fields)?;
                problem_class.call((p.to_string(),), Some(&kw))
            })
            .collect::<PyResult<Vec<_>>>()?;
        kwargs.set_item("problems", list)?;
    }
    let exc = module
        .getattr(class)?
        .call((e.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exc))
}

/// The Python exception of a crate error.
pub(crate) fn to_py(e: &Error) -> PyErr {
    Python::attach(|py| {
        build(py, e).unwrap_or_else(|failure| {
            PyRuntimeError::new_err(format!(
                "{e} (and the exception could not be built: {failure})"
            ))
        })
    })
}

/// The Python exception object of a crate error, for lists of problems.
pub(crate) fn to_py_object(py: Python<'_>, e: &Error) -> Py<PyAny> {
    to_py(e).into_value(py).into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parser_positions() {
        assert_eq!(
            line_column("TOML parse error at line 3, column 5\n  |"),
            (Some(3), Some(5))
        );
        assert_eq!(
            line_column("unknown field `x` at line 12 column 7"),
            (Some(12), Some(7))
        );
        assert_eq!(line_column("no position"), (None, None));
    }
}
