//! The crate's error type.
//!
//! Every fallible function returns [`Result<T>`](crate::Result), whose error is the
//! single [`Error`] enum. Variants carry structured fields (the unit, indicator,
//! node, row or column concerned) so that callers can react programmatically, and
//! their messages name those ids so that a person can find the problem.
//!
//! # Example
//!
//! ```
//! use composite_index::prelude::*;
//! use composite_index::FrameworkProblem;
//!
//! let err = Dataset::from_columns(
//!     vec!["AT".into(), "BG".into(), "AT".into()],
//!     vec![("x".into(), vec![1.0, 2.0, 3.0])],
//! )
//! .unwrap_err();
//! // Structured fields for programs...
//! assert!(matches!(&err, Error::DuplicateUnit { code, first_row: 1, second_row: 3 }
//!     if code == "AT"));
//! // ...and a message that names them for people.
//! assert_eq!(err.to_string(), r#"duplicate unit code "AT" in rows 1 and 3"#);
//!
//! // Validation reports every problem it finds, with suggestions for typos.
//! let spec = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("a", Some("Indx")),
//!     NodeSpec::new("b", Some("Index")).weight(-1.0),
//! ]);
//! let Err(Error::Framework(problems)) = Framework::new(spec, None) else {
//!     panic!("an invalid framework was accepted");
//! };
//! assert_eq!(problems.len(), 2);
//! assert!(problems.iter().any(|p| matches!(p,
//!     FrameworkProblem::MissingParent { suggestion: Some(s), .. } if s == "Index")));
//! ```

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when reading, validating or computing an index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The path concerned.
        path: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A CSV file or table is malformed (ragged rows, bad quoting, bad encoding).
    #[error("malformed CSV in {context}{}: {}", line.map(|l| format!(" at line {l}")).unwrap_or_default(), Cap(message))]
    Csv {
        /// Which file or table.
        context: String,
        /// 1-based line number, when known.
        line: Option<u64>,
        /// What the parser reported.
        message: String,
    },

    /// A table that is not CSV (e.g. a spreadsheet sheet) is malformed or holds a
    /// bad cell.
    #[error("problem in {context}{}{}: {}", row.map(|r| format!(" at row {r}")).unwrap_or_default(), column.as_ref().map(|c| format!(", column {}", Cap(c))).unwrap_or_default(), Cap(message))]
    Table {
        /// The file and sheet.
        context: String,
        /// 1-based row (spreadsheet row number), when known.
        row: Option<u64>,
        /// Column name (and letter), when known.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// A data cell that should be numeric is not.
    #[error(
        "non-numeric value {} for unit {} in column {} (row {row})",
        Clip(value),
        Clip(unit),
        Clip(column)
    )]
    NonNumeric {
        /// 1-based data row (header excluded).
        row: usize,
        /// Unit code of that row (may be empty when the code itself is missing).
        unit: String,
        /// Column name.
        column: String,
        /// The offending text.
        value: String,
    },

    /// An infinite value was found in the data; only finite numbers and missing
    /// values are accepted.
    #[error(
        "infinite value {value} for unit {} in column {} (row {row})",
        Clip(unit),
        Clip(column)
    )]
    InfiniteValue {
        /// 1-based data row (header excluded).
        row: usize,
        /// Unit code.
        unit: String,
        /// Column name.
        column: String,
        /// The value (positive or negative infinity).
        value: f64,
    },

    /// Two rows share a unit code.
    #[error(
        "duplicate unit code {} in rows {first_row} and {second_row}",
        Clip(code)
    )]
    DuplicateUnit {
        /// The repeated code.
        code: String,
        /// 1-based row of its first occurrence.
        first_row: usize,
        /// 1-based row of the repeat.
        second_row: usize,
    },

    /// A unit code is empty.
    #[error("empty unit code in row {row}")]
    EmptyUnitCode {
        /// 1-based data row.
        row: usize,
    },

    /// Two columns share a name.
    #[error("duplicate column {} in {context}", Clip(column))]
    DuplicateColumn {
        /// The repeated name.
        column: String,
        /// Which table.
        context: String,
    },

    /// A column is neither an indicator of the framework nor declared with another role.
    #[error(
        "unknown column {} in {context}: it is not in the framework nor declared as a group, denominator, name or time column",
        Clip(column)
    )]
    UnknownColumn {
        /// The column name.
        column: String,
        /// Which table.
        context: String,
    },

    /// A required column is absent.
    #[error("missing column {} in {context}", Clip(column))]
    MissingColumn {
        /// The column name.
        column: String,
        /// Which table.
        context: String,
    },

    /// Sizes that must agree do not.
    #[error("dimension mismatch for {what}: expected {expected}, found {found}")]
    DimensionMismatch {
        /// What was being checked.
        what: String,
        /// Expected size.
        expected: usize,
        /// Size found.
        found: usize,
    },

    /// The framework failed validation; every problem found is listed.
    #[error("invalid framework ({} problem{}): {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, Problems(.0))]
    Framework(Vec<FrameworkProblem>),

    /// A specification could not be parsed (syntax, unknown keys, wrong types).
    #[error("invalid specification: {message}")]
    SpecParse {
        /// The parser's message, which names the offending key.
        message: String,
    },

    /// The specification's `spec_version` is not one this crate reads.
    #[error("unsupported spec_version {found}; this crate reads version {supported}")]
    UnsupportedSpecVersion {
        /// Version found in the file.
        found: u32,
        /// Version this crate reads.
        supported: u32,
    },

    /// A code named in a specification or call does not exist.
    #[error("unknown {kind} {} in {context}", Clip(code))]
    UnknownCode {
        /// What kind of code: "indicator", "node", "unit", "weight set", "group column"...
        kind: &'static str,
        /// The code.
        code: String,
        /// Where it was used.
        context: String,
    },

    /// A method parameter is out of its domain.
    #[error("invalid parameter {parameter} of {method}{}: {message}", target.as_ref().map(|t| format!(" for {t:?}")).unwrap_or_default())]
    InvalidParameter {
        /// The method (e.g. "min_max").
        method: String,
        /// The parameter name.
        parameter: String,
        /// The indicator or node it applies to, if specific.
        target: Option<String>,
        /// Why it is invalid.
        message: String,
    },

    /// A column cannot be processed by a method: constant, too few values, zero range...
    #[error("indicator {indicator:?} cannot be processed by {method}: {reason}")]
    DegenerateColumn {
        /// The indicator (or node) code.
        indicator: String,
        /// The method.
        method: String,
        /// What makes it degenerate.
        reason: String,
    },

    /// A value lies outside the domain of an aggregation or transform.
    #[error(
        "{method} cannot use value {value} of {child:?} for unit {unit:?} when computing {node:?}: {reason}"
    )]
    Domain {
        /// The built-in method (custom methods report [`Error::Custom`]).
        method: &'static str,
        /// Unit code.
        unit: String,
        /// The node being computed.
        node: String,
        /// The child (or indicator) whose value is out of domain.
        child: String,
        /// The value.
        value: f64,
        /// Why it is out of domain.
        reason: String,
    },

    /// A user-supplied method (trait object) returned data of the wrong shape or an invalid value.
    #[error("custom method {method} failed on {target:?}: {message}")]
    Custom {
        /// The method name.
        method: String,
        /// The indicator or node.
        target: String,
        /// What went wrong.
        message: String,
    },

    /// A built-in method gave a value that is not a finite number (an overflow, or a
    /// missing value) where its input was a finite number.
    #[error("{method} gives {value} for unit {unit:?} of {target:?} from a finite input: {reason}")]
    NonFinite {
        /// The method or stage (e.g. `"min_max"`, `"treat"`).
        method: String,
        /// The indicator or node.
        target: String,
        /// The unit.
        unit: String,
        /// The value produced (infinite or NaN).
        value: f64,
        /// What to do about it.
        reason: String,
    },

    /// A table has a header but no data rows, or a data set has no units.
    #[error("no data rows in {context}: {message}")]
    NoData {
        /// Which file or table.
        context: String,
        /// What was found instead.
        message: String,
    },

    /// A pipeline step refers to something not available at that point.
    #[error("pipeline step {step} ({stage}): {message}")]
    Pipeline {
        /// 0-based step index.
        step: usize,
        /// Stage name.
        stage: String,
        /// What went wrong.
        message: String,
    },

    /// An error in one edition of panel data (reading, validating or computing it).
    #[error("edition {time}: {source}")]
    InEdition {
        /// The edition's time.
        time: f64,
        /// The error.
        #[source]
        source: Box<Error>,
    },

    /// Weight restrictions of a frontier method leave no admissible weights.
    #[error("the weight restrictions of {node:?} are infeasible ({restriction}){}: {reason}", unit.as_ref().map(|u| format!(" for unit {u:?}")).unwrap_or_default())]
    InfeasibleRestrictions {
        /// The node (or analysis) whose restrictions fail.
        node: String,
        /// The restriction concerned (e.g. `share_min`, `weight_min and share_max`).
        restriction: String,
        /// The unit whose programme is infeasible, when it is unit-specific.
        unit: Option<String>,
        /// Why, with a suggestion.
        reason: String,
    },

    /// A linear programme of a frontier method could not be solved (a numerical
    /// failure of the solver, not an infeasible or unbounded programme).
    #[error("the linear programme of {context} could not be solved: {message}")]
    Solver {
        /// Which programme: the method, node and unit.
        context: String,
        /// What the solver reported.
        message: String,
    },
}

/// One problem found while validating a framework.
///
/// [`Framework::new`](crate::framework::Framework::new) collects all problems and
/// returns them together in [`Error::Framework`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FrameworkProblem {
    /// The framework has no nodes.
    Empty,
    /// A node code appears more than once.
    DuplicateCode {
        /// The code.
        code: String,
    },
    /// A node code is empty.
    EmptyCode {
        /// 0-based position in the node list.
        position: usize,
    },
    /// No node is without a parent.
    NoRoot,
    /// Several nodes lack a parent.
    MultipleRoots {
        /// Their codes.
        roots: Vec<String>,
    },
    /// A node's parent does not exist.
    MissingParent {
        /// The node.
        code: String,
        /// The missing parent.
        parent: String,
        /// An existing code close to `parent` (a typo?), if any.
        suggestion: Option<String>,
    },
    /// Following parents from these nodes never reaches a root.
    Cycle {
        /// Codes on the cycle.
        codes: Vec<String>,
    },
    /// An indicator (leaf) is not a column of the data.
    IndicatorNotInData {
        /// The indicator.
        code: String,
        /// A data column close to `code` (a typo?), if any.
        suggestion: Option<String>,
    },
    /// A stated level disagrees with the tree, or siblings sit at different levels.
    InconsistentLevel {
        /// The node.
        code: String,
        /// What the node states (or the level of a sibling).
        stated: u32,
        /// What the tree implies.
        computed: u32,
    },
    /// A weight is negative.
    NegativeWeight {
        /// The node.
        code: String,
        /// Its weight.
        weight: f64,
    },
    /// A weight is NaN or infinite.
    NonFiniteWeight {
        /// The node.
        code: String,
    },
    /// All children of a node have weight zero.
    AllZeroWeights {
        /// The parent node.
        parent: String,
    },
    /// A weight set names a node that does not exist.
    UnknownWeightCode {
        /// The weight set.
        set: String,
        /// The unknown code.
        code: String,
        /// An existing node code close to `code`, if any.
        suggestion: Option<String>,
    },
    /// A direction other than +1 or -1.
    InvalidDirection {
        /// The node.
        code: String,
        /// The value given.
        direction: f64,
    },
    /// An override names a node that does not exist.
    UnknownOverrideCode {
        /// The unknown code.
        code: String,
    },
    /// The spec names a node file (`imeta` or `csv`) that has not been read.
    NotLoaded {
        /// The file named.
        file: String,
    },
}

impl fmt::Display for FrameworkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "the framework has no nodes"),
            Self::DuplicateCode { code } => write!(f, "duplicate node code {code:?}"),
            Self::EmptyCode { position } => write!(f, "node {position} has an empty code"),
            Self::NoRoot => write!(f, "no root node (every node has a parent)"),
            Self::MultipleRoots { roots } => {
                write!(
                    f,
                    "several root nodes without a parent: {}",
                    capped_list(
                        roots.iter().map(String::as_str),
                        roots.len(),
                        MAX_LISTED,
                        ", "
                    )
                )
            }
            Self::MissingParent {
                code,
                parent,
                suggestion,
            } => {
                write!(
                    f,
                    "node {code:?} has parent {parent:?}, which does not exist{}",
                    did_you_mean(suggestion.as_deref())
                )
            }
            Self::Cycle { codes } => write!(
                f,
                "cycle among nodes {}",
                capped_list(
                    codes.iter().map(String::as_str),
                    codes.len(),
                    MAX_LISTED,
                    " -> "
                )
            ),
            Self::IndicatorNotInData { code, suggestion } => {
                write!(
                    f,
                    "indicator {code:?} is not a column of the data{}",
                    did_you_mean(suggestion.as_deref())
                )
            }
            Self::InconsistentLevel {
                code,
                stated,
                computed,
            } => write!(
                f,
                "node {code:?} is at level {stated} but the tree puts it at level {computed}"
            ),
            Self::NegativeWeight { code, weight } => {
                write!(f, "node {code:?} has negative weight {weight}")
            }
            Self::NonFiniteWeight { code } => write!(f, "node {code:?} has a non-finite weight"),
            Self::AllZeroWeights { parent } => {
                write!(f, "all children of {parent:?} have weight zero")
            }
            Self::UnknownWeightCode {
                set,
                code,
                suggestion,
            } => {
                write!(
                    f,
                    "weight set {set:?} names unknown node {code:?}{}",
                    did_you_mean(suggestion.as_deref())
                )
            }
            Self::InvalidDirection { code, direction } => {
                write!(
                    f,
                    "node {code:?} has direction {direction}; expected 1 or -1"
                )
            }
            Self::UnknownOverrideCode { code } => {
                write!(
                    f,
                    "an override names node {code:?}, which is not in the framework"
                )
            }
            Self::NotLoaded { file } => write!(
                f,
                "the nodes are in {file:?}, which has not been read (read the spec with \
                 IndexSpec::from_path, or call FrameworkSpec::load_files)"
            ),
        }
    }
}

struct Problems<'a>(&'a [FrameworkProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().take(MAX_LISTED).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        if self.0.len() > MAX_LISTED {
            write!(
                f,
                "; and {} more problems",
                thousands(self.0.len() - MAX_LISTED)
            )?;
        }
        Ok(())
    }
}

/// At most this many items of a list are written out in an error message.
pub const MAX_LISTED: usize = 10;

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

/// A count with thousands separators: `99990` -> `"99,990"`.
#[doc(hidden)] // for the crate's command line, not part of the documented API
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A code, name or cell quoted for a message (`{:?}`), clipped to its first
/// [`Clip::MAX`] characters with its length in bytes: a cell that swallowed the
/// rest of a file through an unclosed quote does not become a message of many
/// kilobytes.
pub(crate) struct Clip<'a>(pub(crate) &'a str);

impl Clip<'_> {
    /// Characters shown of a longer text.
    pub(crate) const MAX: usize = 100;
}

impl fmt::Display for Clip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        clipped(f, self.0, Self::MAX, true)
    }
}

/// A message built from a file's contents, capped at its first [`Cap::MAX`]
/// characters with its length in bytes: a safety net behind [`Clip`] for
/// messages of the readers ([`Error::Table`], [`Error::Csv`]).
pub(crate) struct Cap<'a>(pub(crate) &'a str);

impl Cap<'_> {
    /// Characters shown of a longer message.
    pub(crate) const MAX: usize = 2_000;
}

impl fmt::Display for Cap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        clipped(f, self.0, Self::MAX, false)
    }
}

/// Writes the first `max` characters of `text` (quoted as `{:?}` when `quote`),
/// followed by `... (N bytes in all)` when it is longer.
fn clipped(f: &mut fmt::Formatter<'_>, text: &str, max: usize, quote: bool) -> fmt::Result {
    let (shown, cut) = match text.char_indices().nth(max) {
        None => (text, false),
        Some((end, _)) => (&text[..end], true),
    };
    if quote {
        write!(f, "{shown:?}")?;
    } else {
        f.write_str(shown)?;
    }
    if cut {
        write!(f, "... ({} bytes in all)", thousands(text.len()))?;
    }
    Ok(())
}

/// A list for a message: the first `max` of the `len` items joined with `sep`,
/// then `" and N more"` for the rest, so that a list of 100,000 codes does not
/// become a megabyte-long line: `a, b, c and 99,997 more`.
#[doc(hidden)] // for the crate's command line, not part of the documented API
pub fn capped_list<'a>(
    items: impl IntoIterator<Item = &'a str>,
    len: usize,
    max: usize,
    sep: &str,
) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().take(max).enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    if len > max {
        out.push_str(&format!(" and {} more", thousands(len - max)));
    }
    out
}

impl Error {
    pub(crate) fn invalid(
        method: impl Into<String>,
        parameter: impl Into<String>,
        target: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self::InvalidParameter {
            method: method.into(),
            parameter: parameter.into(),
            target: target.map(str::to_owned),
            message: message.into(),
        }
    }

    pub(crate) fn degenerate(
        indicator: impl Into<String>,
        method: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::DegenerateColumn {
            indicator: indicator.into(),
            method: method.into(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_capped() {
        let codes: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
        let m = FrameworkProblem::Cycle { codes }.to_string();
        assert!(m.ends_with("n9 and 99,990 more"), "{m}");
        assert!(m.len() < 200);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        let many = Error::Framework(vec![FrameworkProblem::NoRoot; 25]).to_string();
        assert!(many.ends_with("and 15 more problems"), "{many}");
    }

    #[test]
    fn long_codes_and_cells_are_clipped_in_messages() {
        // A cell that swallowed the rest of a file through an unclosed quote.
        let cell = format!("\"{}", "AAA,Aland,IN.1.1.1,x,1\n".repeat(1_000));
        let e = Error::UnknownCode {
            kind: "WIPO code",
            code: cell.clone(),
            context: "Data.csv".into(),
        }
        .to_string();
        assert!(e.len() < 300, "{} bytes: {e}", e.len());
        assert!(e.contains("23,001 bytes in all"), "{e}");
        assert!(e.starts_with("unknown WIPO code \"\\\"AAA,Aland"), "{e}");
        let e = Error::NonNumeric {
            row: 3,
            unit: "U1".into(),
            column: "x".into(),
            value: cell,
        }
        .to_string();
        assert!(
            e.len() < 300 && e.ends_with("for unit \"U1\" in column \"x\" (row 3)"),
            "{e}"
        );
        // The readers' messages are capped as a safety net.
        let e = Error::Table {
            context: "Data.csv".into(),
            row: Some(2),
            column: Some("VALUE".into()),
            message: "x".repeat(100_000),
        }
        .to_string();
        assert!(
            e.len() < 2_100 && e.ends_with("(100,000 bytes in all)"),
            "{e}"
        );
        // Short texts are quoted as before, multi-byte characters are not split.
        assert_eq!(Clip("Aland").to_string(), "\"Aland\"");
        let e = Clip(&"é".repeat(150)).to_string();
        assert!(e.starts_with(&format!("\"{}\"...", "é".repeat(100))), "{e}");
    }
}
