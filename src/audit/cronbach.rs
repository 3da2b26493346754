//! Cronbach's alpha: internal consistency of a group of columns (METHODS.md section 3).
//!
//! For `k` columns with covariance matrix `C`,
//! `alpha = k / (k - 1) * (1 - trace(C) / sum(C))`,
//! where `sum(C)` adds every entry. `C` is computed on pairwise-complete
//! observations (R's `cov(use = "pairwise.complete.obs")`): each variance over the
//! column's non-missing values (denominator `n - 1`), each covariance over the rows
//! where both columns are present, around the means of those rows.
//!
//! On complete data the same number has two other algebraic forms, which the tests
//! check: `k / (k - 1) * (1 - sum(var_i) / var(sum_i x_i))`, and
//! `k c / (v + (k - 1) c)` with `v` the mean variance and `c` the mean covariance
//! between distinct columns.
//!
//! References: Cronbach (1951), *Coefficient alpha and the internal structure of
//! tests*, Psychometrika 16(3); OECD/JRC *Handbook* (2008), step 4.

use super::{DataView, Grouped, codes_of, node_index, per_group};
use crate::error::{Error, Result};
use crate::framework::Framework;

/// Cronbach's alpha of a group of columns.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CronbachAlpha {
    /// The columns.
    pub codes: Vec<String>,
    /// Their number.
    pub k: usize,
    /// The coefficient (at most 1: groups whose pairwise covariances would give
    /// more are errors; may be negative).
    pub alpha: f64,
    /// Number of rows where every column is present.
    pub n_complete: usize,
    /// The smallest number of pairwise-complete rows behind any covariance.
    pub min_pairs: usize,
}

/// Cronbach's alpha of the named columns of `data`. See the [module docs](self).
///
/// # Errors
/// [`Error::UnknownCode`] for a code absent from `data`; [`Error::DegenerateColumn`]
/// (naming the columns, with the reason) for fewer than 2 columns, a pair of
/// columns with fewer than 2 rows in common, fewer than 2 rows where every column
/// is present, a group whose total variance `sum(C)` is zero (every column
/// constant: range below 1e-12 of its magnitude, [`stats::is_constant`](crate::stats::is_constant))
/// or not positive, and pairwise covariances that give an alpha above 1 (with
/// missing values they need not form a covariance matrix). So a computed alpha is
/// always at most 1.
pub fn cronbach_alpha<'a, S: AsRef<str>>(
    data: impl Into<DataView<'a>>,
    codes: &[S],
) -> Result<CronbachAlpha> {
    let data = data.into();
    let names: Vec<String> = codes.iter().map(|c| c.as_ref().to_owned()).collect();
    let cols = names
        .iter()
        .map(|c| data.column(c))
        .collect::<Result<Vec<_>>>()?;
    alpha_of(&names, &cols)
}

fn alpha_of(names: &[String], cols: &[&[f64]]) -> Result<CronbachAlpha> {
    let k = cols.len();
    let label = names.join(", ");
    if k < 2 {
        return Err(Error::degenerate(
            label,
            "cronbach_alpha",
            "a group with fewer than 2 members has no internal consistency to measure",
        ));
    }
    // Alpha does not change when every column is scaled by the same factor: values
    // of extreme magnitude are brought near 1 (exactly, by a power of two) so that
    // covariances neither overflow nor underflow.
    let maxabs = cols
        .iter()
        .flat_map(|c| crate::stats::present(c))
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let scaled: Vec<Vec<f64>>;
    let cols: Vec<&[f64]> = if crate::stats::rescale_exponent(maxabs) == 0 {
        cols.to_vec()
    } else {
        let e = crate::stats::rescale_exponent(maxabs);
        scaled = cols
            .iter()
            .map(|c| c.iter().map(|&v| crate::stats::ldexp(v, e)).collect())
            .collect();
        scaled.iter().map(Vec::as_slice).collect()
    };
    let mut trace = 0.0;
    let mut total = 0.0;
    let mut min_pairs = usize::MAX;
    for i in 0..k {
        for j in i..k {
            let (c, n) = pair_cov(cols[i], cols[j]).ok_or_else(|| {
                Error::degenerate(
                    format!("{} / {}", names[i], names[j]),
                    "cronbach_alpha",
                    "fewer than 2 rows where both columns are present",
                )
            })?;
            min_pairs = min_pairs.min(n);
            if i == j {
                trace += c;
                total += c;
            } else {
                total += 2.0 * c;
            }
        }
    }
    if cols.iter().all(|c| crate::stats::is_constant(c)) || total == 0.0 {
        return Err(Error::degenerate(
            label,
            "cronbach_alpha",
            "the total variance sum(C) is zero: every column is constant (range below 1e-12 of its magnitude)",
        ));
    }
    if !total.is_finite() || total < 0.0 {
        return Err(Error::degenerate(
            label,
            "cronbach_alpha",
            format!(
                "the total variance sum(C) is {total}: the pairwise covariances do not form a covariance matrix"
            ),
        ));
    }
    let kf = k as f64;
    let n_complete = (0..cols[0].len())
        .filter(|&r| cols.iter().all(|c| !c[r].is_nan()))
        .count();
    if n_complete < 2 {
        return Err(Error::degenerate(
            label,
            "cronbach_alpha",
            format!(
                "{n_complete} row(s) have every column present; alpha needs at least 2 complete rows"
            ),
        ));
    }
    let alpha = kf / (kf - 1.0) * (1.0 - trace / total);
    if alpha > 1.0 + 1e-12 {
        return Err(Error::degenerate(
            label,
            "cronbach_alpha",
            format!(
                "the pairwise-complete covariances give alpha = {alpha} > 1: with this many missing values they are not those of one data set, so alpha is undefined"
            ),
        ));
    }
    Ok(CronbachAlpha {
        codes: names.to_vec(),
        k,
        alpha: alpha.min(1.0),
        n_complete,
        min_pairs,
    })
}

/// Covariance on pairwise-complete rows (denominator `n - 1`) and `n`; `None` for `n < 2`.
pub(crate) fn pair_cov(x: &[f64], y: &[f64]) -> Option<(f64, usize)> {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .collect();
    let n = pairs.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
    let s: f64 = pairs.iter().map(|(a, b)| (a - mx) * (b - my)).sum();
    Some((s / (nf - 1.0), n))
}

/// Cronbach's alpha of the children of `node`.
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown node or a child absent from `data` (use the
/// aggregated data set for groups of aggregates); [`Error::DegenerateColumn`] for an
/// indicator, a node with a single child, or as [`cronbach_alpha`].
pub fn group_alpha<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    node: &str,
) -> Result<CronbachAlpha> {
    let data = data.into();
    let i = node_index(framework, node, "group_alpha")?;
    let children = framework.children(i);
    if children.len() < 2 {
        return Err(Error::degenerate(
            node,
            "cronbach_alpha",
            format!(
                "the group has {} member(s); alpha needs at least 2",
                children.len()
            ),
        ));
    }
    cronbach_alpha(data, &codes_of(framework, children))
}

/// Cronbach's alpha of the children of every node at `level` (an aggregate level).
/// A group that cannot be computed (single member, constant columns) is
/// [`Outcome::Skipped`](super::Outcome::Skipped) with the reason.
///
/// # Errors
/// [`Error::InvalidParameter`] if `level` is not an aggregate level.
pub fn alpha_by_level<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    level: u32,
) -> Result<Vec<Grouped<CronbachAlpha>>> {
    let data = data.into();
    per_group(framework, level, "alpha_by_level", |node| {
        group_alpha(data, framework, node)
    })
}
