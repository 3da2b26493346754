//! Statistical audit of a composite index: the toolkit of the JRC audits of the GII.
//!
//! An index is only credible once its statistical coherence is shown (OECD/JRC
//! *Handbook on Constructing Composite Indicators*, 2008, steps 4 and 7; Saisana,
//! Saltelli and Tarantola 2005, *Uncertainty and sensitivity analysis techniques as
//! tools for the quality assessment of composite indicators*, J. R. Stat. Soc. A
//! 168(2)). This module gathers the
//! tools, one file per family, each working on *any* data set of the pipeline and on
//! *any* group or level of the framework:
//!
//! | family | functions |
//! |---|---|
//! | [indicator statistics](mod@indicator_stats) | [`indicator_stats`](fn@indicator_stats), [`column_stats`] |
//! | [COINr's statistics table](mod@coinr_stats) | [`coinr_stats`](fn@coinr_stats), [`coinr_column_stats`] |
//! | [data availability](availability) | [`data_availability`] |
//! | [correlations](mod@correlation) | [`correlation`](fn@correlation), [`correlation_matrix`], [`cross_correlation`], [`group_correlations`], [`ancestor_correlations`], [`collinear_pairs`], [`denominator_correlations`] |
//! | [Cronbach's alpha](cronbach) | [`cronbach_alpha`], [`group_alpha`], [`alpha_by_level`] |
//! | [principal components](mod@pca) | [`pca`](fn@pca), [`group_pca`], [`pca_by_level`] |
//! | [weights] | [`equal_weights`], [`framework_weights`], [`manual_weights`], [`pca_weights`], [`optimise_weights`] |
//! | [importance] | [`main_effect`], [`main_effects`] |
//! | [leave-one-out](mod@leave_one_out) | [`leave_one_out`](fn@leave_one_out), [`leave_out`] |
//! | [unit profiles](profile) | [`unit_profile`], [`unit_profiles`] |
//! | [the standard audit](standard) | [`standard_audit`]: all of the above that the command line writes, in one call |
//!
//! ## Data
//!
//! Every function reads a [`DataView`]: unit codes, column codes and a units x
//! columns [`DMatrix`] in which NaN means missing. A view is made from any
//! [`StageData`] (`results.dataset("normalised")`, `results.aggregated()`...), from a
//! [`Dataset`], or from a plain matrix and codes with [`DataView::new`]; functions
//! take `impl Into<DataView>`, so all three can be passed directly. In the
//! aggregated data set the columns are the indicators, then the aggregates level by
//! level, each named by its node code ([`Results::node_codes`](crate::Results::node_codes)),
//! so that framework-aware functions find the children, parent and ancestors of any
//! node by code.
//!
//! ## Missing data and degenerate groups
//!
//! Each function documents its missing-data rule (pairwise-complete observations
//! for correlations and covariances, complete rows for PCA, non-missing values for
//! the statistics table). A statistic that is undefined for a column or pair
//! (constant column, too few values) is `None` in a table; a computation that cannot
//! be done at all returns a typed error naming the indicator or node
//! ([`Error::DegenerateColumn`], [`Error::UnknownCode`], [`Error::InvalidParameter`]).
//! Functions that run over every group of a level return a [`Grouped`] entry per
//! group, whose [`Outcome`] is either the result or the reason the group was
//! skipped (a group with a single member, for instance), so one degenerate group
//! does not hide the others.
//!
//! ## Example
//!
//! ```
//! use composite_index::audit::{self, CorrelationMethod, StatsThresholds};
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into(), "D".into()],
//!     vec![
//!         ("a".into(), vec![1.0, 2.0, 3.0, 4.0]),
//!         ("b".into(), vec![2.0, 1.0, 4.0, 3.0]),
//!         ("c".into(), vec![4.0, 3.0, 1.0, 2.0]),
//!     ],
//! )?;
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("P1", Some("Index")),
//!     NodeSpec::new("P2", Some("Index")),
//!     NodeSpec::new("a", Some("P1")),
//!     NodeSpec::new("b", Some("P1")),
//!     NodeSpec::new("c", Some("P2")),
//! ]);
//! let steps = vec![
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
//! ];
//! let pipeline = Pipeline::new(IndexSpec::new(framework, steps), data)?;
//! let results = pipeline.run()?;
//! let fw = pipeline.framework();
//! let aggregated = results.aggregated().unwrap();
//!
//! let table = audit::indicator_stats(results.dataset("raw").unwrap(), &StatsThresholds::default())?;
//! assert_eq!(table[0].median, Some(2.5));
//! // a and b: dx = -1.5 -0.5 0.5 1.5, dy = -0.5 -1.5 1.5 0.5 -> r = 3 / 5.
//! let within = audit::group_correlations(aggregated, fw, "P1", CorrelationMethod::Pearson)?;
//! assert!((within.get("a", "b").unwrap().r.unwrap() - 0.6).abs() < 1e-12);
//! // P2 has a single member: alpha is skipped there, with the reason.
//! let alphas = audit::alpha_by_level(aggregated, fw, 2)?;
//! assert!(alphas[1].outcome.skipped().is_some());
//! let loo = audit::leave_one_out(&pipeline, &["a", "b"], None)?;
//! assert_eq!(loo.removals.len(), 2);
//! # Ok(())
//! # }
//! ```

use nalgebra::DMatrix;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::results::StageData;

pub mod availability;
pub mod coinr_stats;
pub mod correlation;
pub mod cronbach;
pub mod importance;
pub mod indicator_stats;
pub mod leave_one_out;
pub mod pca;
pub mod profile;
pub mod standard;
pub mod weights;

pub use availability::{AvailabilityTable, UnitAvailability, data_availability};
pub use coinr_stats::{
    COINR_STATS_COLUMNS, CoinrFlag, CoinrStats, CoinrThresholds, coinr_column_stats, coinr_stats,
};
pub use correlation::{
    AncestorCorrelation, CollinearPair, Correlation, CorrelationMatrix, CorrelationMethod,
    ancestor_correlations, collinear_pairs, correlation, correlation_matrix, cross_correlation,
    denominator_correlations, group_correlations,
};
pub use cronbach::{CronbachAlpha, alpha_by_level, cronbach_alpha, group_alpha};
pub use importance::{
    Bandwidth, MainEffect, MainEffectEstimate, MainEffects, main_effect, main_effects,
};
pub use indicator_stats::{IndicatorStats, StatsThresholds, column_stats, indicator_stats};
pub use leave_one_out::{LeaveOneOut, RankShift, leave_one_out, leave_out};
pub use pca::{Pca, group_pca, pca, pca_by_level};
pub use profile::{NodeScore, ProfileOptions, UnitProfile, unit_profile, unit_profiles};
pub use standard::{AuditOptions, StandardAudit, standard_audit};
pub use weights::{
    NodeWeight, OptimiseOptions, OptimisedWeights, WeightTable, equal_weights, framework_weights,
    manual_weights, optimise_weights, pca_weights,
};

/// A read-only view of a units x columns table: what every audit function reads.
///
/// Missing values are NaN. Build it with [`DataView::new`] or convert a
/// [`StageData`] or a [`Dataset`] with `From`/`Into`.
#[derive(Debug, Clone, Copy)]
pub struct DataView<'a> {
    units: &'a [String],
    columns: &'a [String],
    values: &'a DMatrix<f64>,
}

impl<'a> DataView<'a> {
    /// A view of `values` (units x columns) with the given unit and column codes.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the matrix shape disagrees with the codes;
    /// [`Error::DuplicateColumn`] if a column code is repeated (columns are looked
    /// up by code).
    pub fn new(
        units: &'a [String],
        columns: &'a [String],
        values: &'a DMatrix<f64>,
    ) -> Result<Self> {
        if values.nrows() != units.len() {
            return Err(Error::DimensionMismatch {
                what: "rows of the audited matrix (one per unit)".into(),
                expected: units.len(),
                found: values.nrows(),
            });
        }
        if values.ncols() != columns.len() {
            return Err(Error::DimensionMismatch {
                what: "columns of the audited matrix (one per code)".into(),
                expected: columns.len(),
                found: values.ncols(),
            });
        }
        let mut seen = std::collections::HashSet::with_capacity(columns.len());
        for c in columns {
            if !seen.insert(c.as_str()) {
                return Err(Error::DuplicateColumn {
                    column: c.clone(),
                    context: "the audited data".into(),
                });
            }
        }
        Ok(Self {
            units,
            columns,
            values,
        })
    }

    /// Unit codes, one per row.
    pub fn units(&self) -> &'a [String] {
        self.units
    }

    /// Column codes.
    pub fn columns(&self) -> &'a [String] {
        self.columns
    }

    /// The values, units x columns.
    pub fn values(&self) -> &'a DMatrix<f64> {
        self.values
    }

    /// Number of units (rows).
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    /// Position of a column, `None` for an unknown code.
    pub fn column_index(&self, code: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == code)
    }

    /// Values of column `j`.
    ///
    /// # Panics
    /// If `j` is out of range.
    pub fn column_at(&self, j: usize) -> &'a [f64] {
        crate::data::col(self.values, j)
    }

    /// Values of a column by code.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a code that is not a column.
    pub fn column(&self, code: &str) -> Result<&'a [f64]> {
        self.column_index(code)
            .map(|j| self.column_at(j))
            .ok_or_else(|| Error::UnknownCode {
                kind: "column",
                code: code.into(),
                context: "the audited data (for aggregates, audit the aggregated data set)".into(),
            })
    }
}

impl<'a> From<&'a StageData> for DataView<'a> {
    fn from(s: &'a StageData) -> Self {
        Self {
            units: &s.unit_codes,
            columns: &s.columns,
            values: &s.values,
        }
    }
}

impl<'a> From<&'a Dataset> for DataView<'a> {
    fn from(d: &'a Dataset) -> Self {
        Self {
            units: d.unit_codes(),
            columns: d.indicator_codes(),
            values: d.values(),
        }
    }
}

/// What a per-group computation gave: the result, or why the group was skipped.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Outcome<T> {
    /// The computation succeeded.
    Computed(T),
    /// The group was skipped; the reason names the node and the problem.
    Skipped {
        /// Why (for example "group \"P1\" has a single member").
        reason: String,
    },
}

impl<T> Outcome<T> {
    /// The result, if computed.
    pub fn computed(&self) -> Option<&T> {
        match self {
            Self::Computed(t) => Some(t),
            Self::Skipped { .. } => None,
        }
    }

    /// The reason, if skipped.
    pub fn skipped(&self) -> Option<&str> {
        match self {
            Self::Computed(_) => None,
            Self::Skipped { reason } => Some(reason),
        }
    }

    pub(crate) fn from_result(r: Result<T>) -> Self {
        match r {
            Ok(t) => Self::Computed(t),
            Err(e) => Self::Skipped {
                reason: e.to_string(),
            },
        }
    }
}

/// One group (framework node) of a per-level computation and its outcome.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Grouped<T> {
    /// Code of the node whose children form the group (or of the node itself, for
    /// leave-one-out).
    pub node: String,
    /// Level of that node (1 = indicator).
    pub level: u32,
    /// The result or why it was skipped.
    pub outcome: Outcome<T>,
}

// ------------------------------------------------------------------ helpers

/// Node index of a code, or [`Error::UnknownCode`].
pub(crate) fn node_index(fw: &Framework, code: &str, context: &str) -> Result<usize> {
    fw.index_of(code).ok_or_else(|| Error::UnknownCode {
        kind: "node",
        code: code.into(),
        context: context.into(),
    })
}

/// Checks that `level` is an aggregate level (2..=top) of the framework.
pub(crate) fn check_aggregate_level(fw: &Framework, level: u32, method: &str) -> Result<()> {
    if level < 2 || level > fw.n_levels() {
        return Err(Error::invalid(
            method,
            "level",
            None,
            format!(
                "level {level} is not an aggregate level: aggregate levels run from 2 to {}",
                fw.n_levels()
            ),
        ));
    }
    Ok(())
}

/// Applies `f` to the code of every node at an aggregate `level`, keeping a failed
/// group as [`Outcome::Skipped`] so that one degenerate group hides no other.
pub(crate) fn per_group<T>(
    fw: &Framework,
    level: u32,
    method: &str,
    f: impl Fn(&str) -> Result<T>,
) -> Result<Vec<Grouped<T>>> {
    check_aggregate_level(fw, level, method)?;
    Ok(fw
        .nodes_at_level(level)
        .iter()
        .map(|&i| Grouped {
            node: fw.code(i).to_owned(),
            level,
            outcome: Outcome::from_result(f(fw.code(i))),
        })
        .collect())
}

/// Checks that `level` is a level (1..=top) of the framework.
pub(crate) fn check_level(fw: &Framework, level: u32, method: &str) -> Result<()> {
    if level < 1 || level > fw.n_levels() {
        return Err(Error::invalid(
            method,
            "level",
            None,
            format!(
                "level {level} does not exist: levels run from 1 to {}",
                fw.n_levels()
            ),
        ));
    }
    Ok(())
}

/// Indicators (leaves) under a node, in framework order (the node itself for a leaf).
pub(crate) fn leaf_descendants(fw: &Framework, node: usize) -> Vec<usize> {
    fw.indicators()
        .iter()
        .copied()
        .filter(|&i| i == node || fw.ancestors(i).any(|a| a == node))
        .collect()
}

/// Whether `node` lies in the subtree of `top` (itself included).
pub(crate) fn in_subtree(fw: &Framework, node: usize, top: usize) -> bool {
    node == top || fw.ancestors(node).any(|a| a == top)
}

/// Columns of `data` for the codes of framework nodes.
pub(crate) fn columns_of<'a>(
    data: &DataView<'a>,
    fw: &Framework,
    nodes: &[usize],
) -> Result<Vec<&'a [f64]>> {
    nodes.iter().map(|&i| data.column(fw.code(i))).collect()
}

/// Codes of framework nodes.
pub(crate) fn codes_of(fw: &Framework, nodes: &[usize]) -> Vec<String> {
    nodes.iter().map(|&i| fw.code(i).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_checks_shape_and_duplicates() {
        let units = vec!["a".to_string(), "b".to_string()];
        let cols = vec!["x".to_string(), "x".to_string()];
        let m = DMatrix::from_element(2, 2, 1.0);
        assert!(matches!(
            DataView::new(&units, &cols, &m),
            Err(Error::DuplicateColumn { .. })
        ));
        let cols = vec!["x".to_string()];
        assert!(matches!(
            DataView::new(&units, &cols, &m),
            Err(Error::DimensionMismatch { .. })
        ));
        let m = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
        let v = DataView::new(&units, &cols, &m).unwrap();
        assert_eq!(v.column("x").unwrap(), &[1.0, 2.0]);
        assert!(matches!(v.column("y"), Err(Error::UnknownCode { .. })));
    }
}
