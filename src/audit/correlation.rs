//! Correlations on pairwise-complete data, with p-values (METHODS.md section 3).
//!
//! For two columns `x`, `y`, only the rows where both are present are used
//! (R's `use = "pairwise.complete.obs"`); `n` is their number.
//!
//! - Pearson: `r = sum((x - mx)(y - my)) / sqrt(sum((x - mx)^2) sum((y - my)^2))`,
//!   with means over the complete pairs.
//! - Spearman: Pearson's `r` of the ranks of `x` and `y` within the complete pairs,
//!   ties taking the average rank (R's `cor(method = "spearman")`). Average ranks
//!   are derived from [`stats::rank_min`]: `(rank_min(x) + n + 1 - rank_min(-x)) / 2`.
//! - p-value (two-sided, null hypothesis of no correlation):
//!   `t = r sqrt((n - 2) / (1 - r^2))` against Student's t with `n - 2` degrees of
//!   freedom (R's `cor.test`; for Spearman this is R's asymptotic `exact = FALSE`
//!   form, used for every `n`).
//!
//! `r` is undefined (`None`, NaN in matrices) for fewer than 2 complete pairs or a
//! column constant on them (range negligible against the magnitude, relative
//! tolerance 1e-12, see [`stats::is_constant`]); the p-value needs `n >= 3`.
//!
//! The framework-aware functions check the coherence of the tree as in the JRC
//! audits: each node with its parent and every ancestor (weak or negative
//! correlations below 0.3 flagged), collinear siblings (above 0.9), and indicators
//! with the denominators (the thresholds are the ones these audits use, METHODS.md
//! section 3 and the issue). Reference: OECD/JRC *Handbook* (2008), step 4.

use nalgebra::DMatrix;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::{DataView, check_level, codes_of, node_index};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::stats;

/// Which correlation coefficient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum CorrelationMethod {
    /// Pearson's product-moment correlation.
    #[default]
    Pearson,
    /// Spearman's rank correlation (average ranks for ties).
    Spearman,
}

/// A correlation between two columns.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Correlation {
    /// The coefficient (`None` when undefined: fewer than 2 pairs, or a constant column).
    pub r: Option<f64>,
    /// Two-sided p-value (`None` when `r` is undefined or `n < 3`).
    pub p_value: Option<f64>,
    /// Number of complete pairs used.
    pub n: usize,
}

/// Correlation of two columns on their complete pairs. See the [module docs](self).
///
/// # Errors
/// [`Error::DimensionMismatch`] if the columns differ in length.
pub fn correlation(x: &[f64], y: &[f64], method: CorrelationMethod) -> Result<Correlation> {
    if x.len() != y.len() {
        return Err(Error::DimensionMismatch {
            what: "length of the second column of a correlation".into(),
            expected: x.len(),
            found: y.len(),
        });
    }
    Ok(corr(x, y, method))
}

pub(crate) fn corr(x: &[f64], y: &[f64], method: CorrelationMethod) -> Correlation {
    let (mut a, mut b): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(u, v)| !u.is_nan() && !v.is_nan())
        .map(|(&u, &v)| (u, v))
        .unzip();
    let n = a.len();
    if method == CorrelationMethod::Spearman {
        a = average_ranks(&a);
        b = average_ranks(&b);
    }
    let r = pearson_complete(&a, &b);
    Correlation {
        r,
        p_value: r.and_then(|r| p_value(r, n)),
        n,
    }
}

/// Pearson's r of two complete columns of equal length; `None` for fewer than 2
/// rows or a constant column ([`stats::is_constant`]: range negligible against the
/// magnitude, relative tolerance 1e-12). Columns of extreme magnitude are scaled
/// by an exact power of two first (r does not change).
pub(crate) fn pearson_complete(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 || stats::is_constant(x) || stats::is_constant(y) {
        return None;
    }
    let (mut xs, mut ys);
    let (x, y) = {
        let kx = stats::rescale_exponent(x.iter().fold(0.0_f64, |m, v| m.max(v.abs())));
        let ky = stats::rescale_exponent(y.iter().fold(0.0_f64, |m, v| m.max(v.abs())));
        let x: &[f64] = if kx == 0 {
            x
        } else {
            xs = x.to_vec();
            stats::rescale_in_place(&mut xs);
            &xs
        };
        let y: &[f64] = if ky == 0 {
            y
        } else {
            ys = y.to_vec();
            stats::rescale_in_place(&mut ys);
            &ys
        };
        (x, y)
    };
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (&u, &v) in x.iter().zip(y) {
        let (du, dv) = (u - mx, v - my);
        sxx += du * du;
        syy += dv * dv;
        sxy += du * dv;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Average ranks (ties share the mean of their positions), from two min-rankings.
pub(crate) fn average_ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len() as f64;
    let lo = stats::rank_min(x);
    let neg: Vec<f64> = x.iter().map(|v| -v).collect();
    let hi = stats::rank_min(&neg);
    lo.iter()
        .zip(&hi)
        .map(|(&l, &h)| (l + n + 1.0 - h) / 2.0)
        .collect()
}

/// Two-sided p-value of `r` on `n` pairs (Student's t, `n - 2` degrees of freedom).
fn p_value(r: f64, n: usize) -> Option<f64> {
    if n < 3 {
        return None;
    }
    if r.abs() >= 1.0 {
        return Some(0.0);
    }
    let df = (n - 2) as f64;
    let t = r * (df / (1.0 - r * r)).sqrt();
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some((2.0 * dist.sf(t.abs())).min(1.0))
}

/// A table of correlations: rows x columns (square and symmetric for
/// [`correlation_matrix`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CorrelationMatrix {
    /// The coefficient used.
    pub method: CorrelationMethod,
    /// Row codes.
    pub rows: Vec<String>,
    /// Column codes.
    pub columns: Vec<String>,
    /// Coefficients, NaN where undefined.
    pub r: DMatrix<f64>,
    /// Two-sided p-values, NaN where undefined.
    pub p_value: DMatrix<f64>,
    /// Number of complete pairs behind each coefficient.
    pub n: DMatrix<usize>,
}

impl CorrelationMatrix {
    /// The correlation of a row and a column by code, `None` for unknown codes.
    pub fn get(&self, row: &str, column: &str) -> Option<Correlation> {
        let i = self.rows.iter().position(|c| c == row)?;
        let j = self.columns.iter().position(|c| c == column)?;
        let opt = |v: f64| (!v.is_nan()).then_some(v);
        Some(Correlation {
            r: opt(self.r[(i, j)]),
            p_value: opt(self.p_value[(i, j)]),
            n: self.n[(i, j)],
        })
    }
}

fn table(
    rows: Vec<String>,
    xs: &[&[f64]],
    columns: Vec<String>,
    ys: &[&[f64]],
    method: CorrelationMethod,
) -> CorrelationMatrix {
    let (k, m) = (xs.len(), ys.len());
    let mut r = DMatrix::from_element(k, m, f64::NAN);
    let mut p = DMatrix::from_element(k, m, f64::NAN);
    let mut n = DMatrix::from_element(k, m, 0usize);
    for (i, x) in xs.iter().enumerate() {
        for (j, y) in ys.iter().enumerate() {
            let c = corr(x, y, method);
            r[(i, j)] = c.r.unwrap_or(f64::NAN);
            p[(i, j)] = c.p_value.unwrap_or(f64::NAN);
            n[(i, j)] = c.n;
        }
    }
    CorrelationMatrix {
        method,
        rows,
        columns,
        r,
        p_value: p,
        n,
    }
}

/// Correlation matrix of the named columns of `data` (pass `data.columns()` for all).
///
/// # Errors
/// [`Error::UnknownCode`] for a code that is not a column of `data`.
pub fn correlation_matrix<'a, S: AsRef<str>>(
    data: impl Into<DataView<'a>>,
    codes: &[S],
    method: CorrelationMethod,
) -> Result<CorrelationMatrix> {
    cross_correlation(data, codes, codes, method)
}

/// Correlations of every `rows` column with every `columns` column of `data`
/// (e.g. indicators against aggregates).
///
/// # Errors
/// [`Error::UnknownCode`] for a code that is not a column of `data`.
pub fn cross_correlation<'a, S: AsRef<str>, T: AsRef<str>>(
    data: impl Into<DataView<'a>>,
    rows: &[S],
    columns: &[T],
    method: CorrelationMethod,
) -> Result<CorrelationMatrix> {
    let data = data.into();
    let xs = rows
        .iter()
        .map(|c| data.column(c.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let ys = columns
        .iter()
        .map(|c| data.column(c.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    Ok(table(
        rows.iter().map(|s| s.as_ref().to_owned()).collect(),
        &xs,
        columns.iter().map(|s| s.as_ref().to_owned()).collect(),
        &ys,
        method,
    ))
}

/// Correlation matrix within a group: the children of `node` (indicators of a
/// sub-pillar, sub-pillars of a pillar, ...). A group with a single member gives a
/// 1 x 1 matrix.
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown node or a child absent from `data` (use the
/// aggregated data set for groups of aggregates); [`Error::DegenerateColumn`] for
/// an indicator (which has no children).
pub fn group_correlations<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    node: &str,
    method: CorrelationMethod,
) -> Result<CorrelationMatrix> {
    let data = data.into();
    let i = node_index(framework, node, "group_correlations")?;
    let children = framework.children(i);
    if children.is_empty() {
        return Err(Error::degenerate(
            node,
            "group_correlations",
            "an indicator has no children to correlate",
        ));
    }
    let codes = codes_of(framework, children);
    correlation_matrix(data, &codes, method)
}

/// The correlation of a node with one of its ancestors.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AncestorCorrelation {
    /// The node (indicator or aggregate).
    pub code: String,
    /// Its level.
    pub level: u32,
    /// The ancestor.
    pub ancestor: String,
    /// The ancestor's level.
    pub ancestor_level: u32,
    /// Whether the ancestor is the node's parent.
    pub is_parent: bool,
    /// The correlation.
    pub correlation: Correlation,
    /// `r < weak_threshold` (weak or negative); false when `r` is undefined.
    pub weak: bool,
}

/// Correlation of every node at `level` with its parent and with every further
/// ancestor up to the index, with the flag `r < weak_threshold` (JRC: 0.3) on each.
/// Rows are ordered by node (framework order), then ancestor, nearest first.
///
/// `data` must hold the nodes and their ancestors: use the aggregated data set.
///
/// # Errors
/// [`Error::InvalidParameter`] for a level outside 1 to the root's level or a NaN
/// threshold; [`Error::UnknownCode`] for a node or ancestor absent from `data`.
pub fn ancestor_correlations<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    level: u32,
    method: CorrelationMethod,
    weak_threshold: f64,
) -> Result<Vec<AncestorCorrelation>> {
    let data = data.into();
    check_level(framework, level, "ancestor_correlations")?;
    if weak_threshold.is_nan() {
        return Err(Error::invalid(
            "ancestor_correlations",
            "weak_threshold",
            None,
            "threshold is NaN",
        ));
    }
    let mut out = Vec::new();
    for &i in framework.nodes_at_level(level) {
        let x = data.column(framework.code(i))?;
        for a in framework.ancestors(i) {
            let y = data.column(framework.code(a))?;
            let c = corr(x, y, method);
            out.push(AncestorCorrelation {
                code: framework.code(i).to_owned(),
                level,
                ancestor: framework.code(a).to_owned(),
                ancestor_level: framework.level(a),
                is_parent: framework.parent(i) == Some(a),
                weak: c.r.is_some_and(|r| r < weak_threshold),
                correlation: c,
            });
        }
    }
    Ok(out)
}

/// Two siblings whose correlation exceeds the collinearity threshold.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CollinearPair {
    /// First node (earlier in framework order).
    pub a: String,
    /// Second node.
    pub b: String,
    /// Their common parent.
    pub parent: String,
    /// The correlation.
    pub correlation: Correlation,
}

/// Pairs of siblings at `level` (children of the same parent) whose correlation is
/// above `threshold` (JRC: 0.9): candidates for double counting.
///
/// # Errors
/// [`Error::InvalidParameter`] for a level outside 1 to one below the root's level,
/// or a NaN threshold; [`Error::UnknownCode`] for a node absent from `data`.
pub fn collinear_pairs<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    level: u32,
    method: CorrelationMethod,
    threshold: f64,
) -> Result<Vec<CollinearPair>> {
    let data = data.into();
    if level < 1 || level >= framework.n_levels() {
        return Err(Error::invalid(
            "collinear_pairs",
            "level",
            None,
            format!(
                "level {level} has no siblings to compare: levels with a parent run from 1 to {}",
                framework.n_levels().saturating_sub(1)
            ),
        ));
    }
    if threshold.is_nan() {
        return Err(Error::invalid(
            "collinear_pairs",
            "threshold",
            None,
            "threshold is NaN",
        ));
    }
    let mut out = Vec::new();
    for &p in framework.nodes_at_level(level + 1) {
        let ch = framework.children(p);
        let cols = super::columns_of(&data, framework, ch)?;
        for a in 0..ch.len() {
            for b in a + 1..ch.len() {
                let c = corr(cols[a], cols[b], method);
                if c.r.is_some_and(|r| r > threshold) {
                    out.push(CollinearPair {
                        a: framework.code(ch[a]).to_owned(),
                        b: framework.code(ch[b]).to_owned(),
                        parent: framework.code(p).to_owned(),
                        correlation: c,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Correlations of every column of `data` (rows) with every denominator column of
/// `dataset` (columns), units matched by code: a check that indicators are not mere
/// proxies of size (GDP, population, area).
///
/// # Errors
/// [`Error::UnknownCode`] for a unit of `data` absent from `dataset`.
pub fn denominator_correlations<'a>(
    data: impl Into<DataView<'a>>,
    dataset: &Dataset,
    method: CorrelationMethod,
) -> Result<CorrelationMatrix> {
    let data = data.into();
    let rows = data
        .units()
        .iter()
        .map(|u| {
            dataset.unit_index(u).ok_or_else(|| Error::UnknownCode {
                kind: "unit",
                code: u.clone(),
                context: "the data set holding the denominators".into(),
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    let dens: Vec<Vec<f64>> = dataset
        .denominators()
        .iter()
        .map(|d| rows.iter().map(|&r| d.values[r]).collect())
        .collect();
    let xs: Vec<&[f64]> = (0..data.columns().len())
        .map(|j| data.column_at(j))
        .collect();
    let ys: Vec<&[f64]> = dens.iter().map(Vec::as_slice).collect();
    Ok(table(
        data.columns().to_vec(),
        &xs,
        dataset
            .denominators()
            .iter()
            .map(|d| d.name.clone())
            .collect(),
        &ys,
        method,
    ))
}
