//! The Mazziotta-Pareto Index (MPI) and its adjusted form (AMPI): the mean of
//! the children penalised by their imbalance.
//!
//! **MPI** (De Muro, Mazziotta and Pareto 2011, *Social Indicators Research*
//! 104:1-18; Mazziotta and Pareto 2016, *SIR* 127(3):983-1003). The children
//! should be standardised first (z-scores with mean 100 and sd 10, the
//! normaliser `{ method = "z_score", mean = 100, sd = 10 }`). For unit `k` with
//! values `z_kj` over its `m` present children:
//!
//! ```text
//! M_k = mean_j z_kj,  S_k = sqrt(sum_j (z_kj - M_k)^2 / m),  cv_k = S_k / M_k
//! polarity "positive" (higher is better):  MPI_k = M_k - S_k cv_k = M_k (1 - cv_k^2)
//! polarity "negative" (lower is better):   MPI_k = M_k + S_k cv_k = M_k (1 + cv_k^2)
//! ```
//!
//! The paper's `S_k` divides by `m` (the default, `sd = "population"`);
//! Compind's `ci_mpi` divides by `m - 1` (`sd = "sample"` reproduces it; METHODS
//! 8.5, bug B7). Compind's `penalty = "POS"` is `polarity = "positive"`.
//!
//! **AMPI** (Mazziotta and Pareto 2016; Compind's `ci_ampi`, METHODS 8.6). Each
//! child is first rescaled around a reference value (goalpost) `gp_j` with a
//! reference range `[Min_j, Max_j]`:
//!
//! ```text
//! r_kj = 100 + 60 (y_kj - gp_j) / (Max_j - Min_j)          (so Min..Max spans 60 points)
//! AMPI_k = M_k - S_k cv_k ("positive") or M_k + S_k cv_k ("negative"),  S_k with divisor m
//! ```
//!
//! By default `gp_j` is the child's mean and `[Min_j, Max_j]` its range in the
//! data at hand (one edition). To compare editions of a panel, pass the same
//! `reference`, `min` and `max` for every edition (for example the range
//! pooled over all editions and the base year's mean): scores are then on one
//! scale and comparable over time, which is the point of the AMPI. Values are
//! in the units the children have when they reach the node (normalise with
//! `none` to work on raw indicators, after setting directions).
//! Compind's `ci_ampi` always returns `M - P` rounded to 3 decimals (its bug
//! B1): that is `polarity = "positive"` here, unrounded.
//!
//! **Data.** Missing children are skipped (the statistics use the present
//! ones). A child with weight zero takes no part; positive weights are otherwise
//! ignored, as in the published index (it is unweighted).

use super::NodeContext;
use super::benefit_of_the_doubt::ChildValues;
use crate::error::{Error, Result};

/// The direction of the penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Polarity {
    /// Higher is better: imbalance lowers the score, `M - S cv` (Compind's "POS").
    #[default]
    Positive,
    /// Lower is better: imbalance raises the score, `M + S cv` (Compind's "NEG").
    Negative,
}

/// Divisor of the standard deviation across a unit's children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum SdKind {
    /// Divide by `m` (Mazziotta and Pareto).
    #[default]
    Population,
    /// Divide by `m - 1` (Compind's `ci_mpi`).
    Sample,
}

fn domain(
    ctx: &NodeContext<'_>,
    method: &'static str,
    u: usize,
    value: f64,
    reason: &str,
) -> Error {
    Error::Domain {
        method,
        unit: ctx.units.get(u).cloned().unwrap_or_default(),
        node: ctx.node.into(),
        child: String::new(),
        value,
        reason: reason.into(),
    }
}

/// The penalised mean of one unit's values.
fn penalised(
    vals: &[f64],
    polarity: Polarity,
    sd: SdKind,
    ctx: &NodeContext<'_>,
    method: &'static str,
    u: usize,
) -> Result<f64> {
    let m = vals.len() as f64;
    let mean = vals.iter().sum::<f64>() / m;
    let div = match sd {
        SdKind::Population => m,
        SdKind::Sample => m - 1.0,
    };
    if div <= 0.0 {
        return Err(domain(
            ctx,
            method,
            u,
            mean,
            "the sample standard deviation needs at least two present children",
        ));
    }
    if mean == 0.0 {
        return Err(domain(
            ctx,
            method,
            u,
            mean,
            "the mean of the children is zero, so the coefficient of variation is undefined (standardise to mean 100, sd 10 first)",
        ));
    }
    let var = vals.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / div;
    // S cv = S^2 / M
    let penalty = var / mean;
    Ok(match polarity {
        Polarity::Positive => mean - penalty,
        Polarity::Negative => mean + penalty,
    })
}

fn for_each_unit(
    children: &[&[f64]],
    weights: &[f64],
    out: &mut [f64],
    mut f: impl FnMut(usize, &[f64]) -> Result<f64>,
) -> Result<()> {
    let mut vals = Vec::with_capacity(children.len());
    for (u, o) in out.iter_mut().enumerate() {
        vals.clear();
        vals.extend(
            children
                .iter()
                .zip(weights)
                .filter(|(c, w)| **w > 0.0 && !c[u].is_nan())
                .map(|(c, _)| c[u]),
        );
        *o = if vals.is_empty() {
            f64::NAN
        } else {
            f(u, &vals)?
        };
    }
    Ok(())
}

/// The Mazziotta-Pareto Index of every unit (see the [module docs](self)).
///
/// # Errors
/// [`Error::Domain`] for a unit whose present values have mean zero, or only
/// one present value with `sd = "sample"`.
pub fn mazziotta_pareto(
    children: &[&[f64]],
    weights: &[f64],
    polarity: Polarity,
    sd: SdKind,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    for_each_unit(children, weights, out, |u, vals| {
        penalised(vals, polarity, sd, ctx, "mazziotta_pareto", u)
    })
}

/// The adjusted Mazziotta-Pareto Index of every unit (see the [module docs](self)).
///
/// `reference`, `min` and `max` give `gp_j`, `Min_j` and `Max_j` by child;
/// children not given take their mean, minimum and maximum over the units.
///
/// # Errors
/// [`Error::UnknownCode`] for a value naming no child; [`Error::DegenerateColumn`]
/// for a child whose reference range is empty (`Max_j <= Min_j`) or that has no
/// present value to take a default from.
pub fn adjusted_mazziotta_pareto(
    children: &[&[f64]],
    weights: &[f64],
    polarity: Polarity,
    goalposts: Goalposts<'_>,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    for v in [goalposts.reference, goalposts.min, goalposts.max]
        .into_iter()
        .flatten()
    {
        if let ChildValues::Each(m) = v
            && let Some(code) = m.keys().find(|c| !ctx.children.contains(&c.as_str()))
        {
            return Err(Error::UnknownCode {
                kind: "child",
                code: code.clone(),
                context: format!(
                    "goalposts of adjusted_mazziotta_pareto at {:?} (its children: {})",
                    ctx.node,
                    ctx.children.join(", ")
                ),
            });
        }
    }
    // Rescale each participating child around its goalpost.
    let mut rescaled: Vec<Vec<f64>> = Vec::with_capacity(children.len());
    for (j, c) in children.iter().enumerate() {
        if weights.get(j).is_none_or(|&w| w <= 0.0) {
            rescaled.push(vec![f64::NAN; c.len()]);
            continue;
        }
        let name = ctx.children.get(j).copied().unwrap_or("");
        let present: Vec<f64> = c.iter().copied().filter(|v| !v.is_nan()).collect();
        let stat = |v: Option<&ChildValues>, f: &dyn Fn(&[f64]) -> f64| -> Result<f64> {
            match v.and_then(|v| v.value(name)) {
                Some(x) => Ok(x),
                _ if present.is_empty() => Err(Error::degenerate(
                    name,
                    "adjusted_mazziotta_pareto",
                    format!(
                        "no present value at {:?} to take a goalpost from; give it",
                        ctx.node
                    ),
                )),
                _ => Ok(f(&present)),
            }
        };
        let gp = stat(goalposts.reference, &|p| {
            p.iter().sum::<f64>() / p.len() as f64
        })?;
        let lo = stat(goalposts.min, &|p| {
            p.iter().copied().fold(f64::INFINITY, f64::min)
        })?;
        let hi = stat(goalposts.max, &|p| {
            p.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        })?;
        if hi <= lo || hi.is_nan() || lo.is_nan() || !gp.is_finite() {
            return Err(Error::degenerate(
                name,
                "adjusted_mazziotta_pareto",
                format!(
                    "reference range [{lo}, {hi}] at {:?} is empty (a constant child, or min >= max given)",
                    ctx.node
                ),
            ));
        }
        rescaled.push(
            c.iter()
                .map(|v| 100.0 + 60.0 * (v - gp) / (hi - lo))
                .collect(),
        );
    }
    let refs: Vec<&[f64]> = rescaled.iter().map(Vec::as_slice).collect();
    for_each_unit(&refs, weights, out, |u, vals| {
        penalised(
            vals,
            polarity,
            SdKind::Population,
            ctx,
            "adjusted_mazziotta_pareto",
            u,
        )
    })
}

/// Goalposts of the AMPI by child (`None`: from the data).
#[derive(Debug, Clone, Copy, Default)]
pub struct Goalposts<'a> {
    /// Reference values `gp_j`.
    pub reference: Option<&'a ChildValues>,
    /// Lower ends `Min_j` of the reference ranges.
    pub min: Option<&'a ChildValues>,
    /// Upper ends `Max_j` of the reference ranges.
    pub max: Option<&'a ChildValues>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn ctx<'a>(units: &'a [String], children: &'a [&'a str]) -> NodeContext<'a> {
        NodeContext {
            node: "P",
            children,
            units,
        }
    }

    #[test]
    fn mpi_by_hand() {
        let u = vec!["A".to_string(), "B".to_string()];
        let ch = ["a", "b"];
        let mut out = [0.0; 2];
        // A: 90, 110 -> M 100, population var 100, penalty 1.
        mazziotta_pareto(
            &[&[90.0, 100.0], &[110.0, f64::NAN]],
            &[1.0, 1.0],
            Polarity::Positive,
            SdKind::Population,
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap();
        assert_relative_eq!(out[0], 99.0, max_relative = 1e-15);
        assert_eq!(out[1], 100.0);
        mazziotta_pareto(
            &[&[90.0, 100.0], &[110.0, 100.0]],
            &[1.0, 1.0],
            Polarity::Negative,
            SdKind::Sample,
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap();
        assert_relative_eq!(out[0], 102.0, max_relative = 1e-15);
        let e = mazziotta_pareto(
            &[&[90.0, 100.0], &[110.0, f64::NAN]],
            &[1.0, 1.0],
            Polarity::Positive,
            SdKind::Sample,
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Domain { ref unit, .. } if unit == "B"));
    }

    #[test]
    fn ampi_goalposts() {
        let u = vec!["A".to_string(), "B".to_string(), "C".to_string()];
        let ch = ["a", "b"];
        let a = [0.0, 5.0, 10.0];
        let b = [10.0, 5.0, 0.0];
        let mut out = [0.0; 3];
        adjusted_mazziotta_pareto(
            &[&a, &b],
            &[1.0, 1.0],
            Polarity::Positive,
            Goalposts::default(),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap();
        // A: r = (70, 130): M 100, S 30, penalty 9.
        assert_relative_eq!(out[0], 91.0, max_relative = 1e-15);
        assert_relative_eq!(out[1], 100.0, max_relative = 1e-15);
        // Pooled range [0, 20] and goalpost 10 given: A: r = (70, 100) -> M 85, S 15, pen 225/85.
        let (lo, hi, gp) = (
            ChildValues::All(0.0),
            ChildValues::All(20.0),
            ChildValues::All(10.0),
        );
        let g = Goalposts {
            reference: Some(&gp),
            min: Some(&lo),
            max: Some(&hi),
        };
        adjusted_mazziotta_pareto(
            &[&a, &b],
            &[1.0, 1.0],
            Polarity::Negative,
            g,
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap();
        assert_relative_eq!(out[0], 85.0 + 225.0 / 85.0, max_relative = 1e-14);
        let e = adjusted_mazziotta_pareto(
            &[&a, &[1.0; 3]],
            &[1.0, 1.0],
            Polarity::Positive,
            Goalposts::default(),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap_err();
        assert!(matches!(e, Error::DegenerateColumn { .. }), "{e}");
    }
}
