//! Importance of indicators and pillars: the first-order main effect (nonlinear
//! correlation ratio) of each on the index, beside its nominal and effective weight.
//!
//! Paruolo, Saisana and Saltelli (2013), *Ratings and rankings: voodoo or science?*,
//! J. R. Stat. Soc. A 176(3), 609-634, measure the importance of a variable `x_i` in
//! an index `y` by Pearson's correlation ratio, the first-order sensitivity index
//! `S_i = V(E(y | x_i)) / V(y)`, and compare it with the weight `x_i` was given:
//! nominal weights are not importance. `E(y | x_i)` is estimated by a nonparametric
//! regression of `y` on `x_i`; this module uses local-linear kernel regression with
//! a Gaussian kernel:
//!
//! `m(x0) = (S2 T0 - S1 T1) / (S0 S2 - S1^2)`, with `K_j = exp(-((x_j - x0)/h)^2 / 2)`,
//! `S_r = sum_j K_j (x_j - x0)^r`, `T_r = sum_j K_j (x_j - x0)^r y_j`
//! (Fan and Gijbels 1996, *Local polynomial modelling*; Nadaraya-Watson
//! `T0 / S0` where the local design is singular), and
//! `S_i = var(m(x_j)) / var(y_j)` over the pairwise-complete units `j`.
//!
//! The bandwidth `h` is chosen by leave-one-out cross-validation (default) over
//! `h_rule * 2^(g/2)`, `g = -8..=8`, with the normal-reference rule
//! `h_rule = 1.06 sd(x) n^(-1/5)` (Silverman 1986), or fixed. With a very large
//! bandwidth the local-linear fit becomes the least-squares line and `S_i` becomes
//! Pearson's `r^2`; a linear relation gives `S_i = 1` for any bandwidth. In small
//! samples the estimate is noisy and can exceed `r^2` or, rarely, 1.

use super::correlation::corr;
use super::weights::framework_weights;
use super::{CorrelationMethod, DataView, check_level, in_subtree, node_index};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::stats;

/// How the kernel bandwidth is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Bandwidth {
    /// Leave-one-out cross-validation over `h_rule * 2^(g/2)`, `g = -8..=8`.
    #[default]
    CrossValidated,
    /// The normal-reference rule `1.06 sd(x) n^(-1/5)`.
    Rule,
    /// A fixed bandwidth (in the units of `x`), positive.
    Fixed(f64),
}

/// The main effect of one variable on one output.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MainEffectEstimate {
    /// `S = var(m(x)) / var(y)`.
    pub main_effect: f64,
    /// The bandwidth used.
    pub bandwidth: f64,
    /// Number of complete pairs.
    pub n: usize,
}

/// Local-linear estimate at `x0`, leaving out point `skip`; `None` when every kernel
/// weight vanishes.
fn local_linear(x: &[f64], y: &[f64], x0: f64, h: f64, skip: Option<usize>) -> Option<f64> {
    let (mut s0, mut s1, mut s2, mut t0, mut t1) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (j, (&xj, &yj)) in x.iter().zip(y).enumerate() {
        if skip == Some(j) {
            continue;
        }
        let d = xj - x0;
        let k = (-0.5 * (d / h) * (d / h)).exp();
        s0 += k;
        s1 += k * d;
        s2 += k * d * d;
        t0 += k * yj;
        t1 += k * d * yj;
    }
    if s0 <= 0.0 || !s0.is_finite() {
        return None;
    }
    let den = s0 * s2 - s1 * s1;
    if s2 <= 0.0 || den <= 1e-10 * s0 * s2 {
        Some(t0 / s0)
    } else {
        Some((s2 * t0 - s1 * t1) / den)
    }
}

fn cv_error(x: &[f64], y: &[f64], h: f64) -> f64 {
    let mut e = 0.0;
    for j in 0..x.len() {
        match local_linear(x, y, x[j], h, Some(j)) {
            Some(m) => e += (y[j] - m) * (y[j] - m),
            None => return f64::INFINITY,
        }
    }
    e
}

/// First-order main effect of `x` on `y` on their complete pairs. See the
/// [module docs](self).
///
/// # Errors
/// [`Error::DimensionMismatch`] for columns of different lengths;
/// [`Error::DegenerateColumn`] for fewer than 3 complete pairs, a constant `x` or a
/// constant `y` (the ratio is then undefined); [`Error::InvalidParameter`] for a
/// fixed bandwidth that is not positive and finite.
pub fn main_effect(x: &[f64], y: &[f64], bandwidth: Bandwidth) -> Result<MainEffectEstimate> {
    estimate(x, y, bandwidth, "x", "y")
}

fn estimate(
    x: &[f64],
    y: &[f64],
    bandwidth: Bandwidth,
    x_name: &str,
    y_name: &str,
) -> Result<MainEffectEstimate> {
    const METHOD: &str = "main_effect";
    if x.len() != y.len() {
        return Err(Error::DimensionMismatch {
            what: "length of the output column of a main effect".into(),
            expected: x.len(),
            found: y.len(),
        });
    }
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip();
    let n = xs.len();
    if n < 3 {
        return Err(Error::degenerate(
            x_name,
            METHOD,
            format!("{n} complete pair(s); at least 3 are needed"),
        ));
    }
    let (Some(sx), Some(vy)) = (stats::sd(&xs), stats::var(&ys)) else {
        return Err(Error::degenerate(x_name, METHOD, "too few values"));
    };
    if sx == 0.0 {
        return Err(Error::degenerate(x_name, METHOD, "the input is constant"));
    }
    if vy == 0.0 {
        return Err(Error::degenerate(
            y_name,
            METHOD,
            "the output is constant: V(y) = 0",
        ));
    }
    let rule = 1.06 * sx * (n as f64).powf(-0.2);
    let h = match bandwidth {
        Bandwidth::Fixed(h) => {
            if !(h.is_finite() && h > 0.0) {
                return Err(Error::invalid(
                    METHOD,
                    "bandwidth",
                    None,
                    format!("{h} is not a positive finite number"),
                ));
            }
            h
        }
        Bandwidth::Rule => rule,
        Bandwidth::CrossValidated => {
            let mut best = (f64::INFINITY, rule);
            for g in -8..=8 {
                let h = rule * 2f64.powf(f64::from(g) / 2.0);
                let e = cv_error(&xs, &ys, h);
                if e < best.0 {
                    best = (e, h);
                }
            }
            best.1
        }
    };
    let fitted: Vec<f64> = xs
        .iter()
        .map(|&x0| local_linear(&xs, &ys, x0, h, None).unwrap_or(f64::NAN))
        .collect();
    let vm = stats::var(&fitted).unwrap_or(f64::NAN);
    if vm.is_nan() {
        return Err(Error::degenerate(
            x_name,
            METHOD,
            format!("the kernel regression failed with bandwidth {h}"),
        ));
    }
    Ok(MainEffectEstimate {
        main_effect: vm / vy,
        bandwidth: h,
        n,
    })
}

/// Importance of one node in the target.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MainEffect {
    /// The node (indicator or aggregate).
    pub code: String,
    /// Number of complete pairs (node, target).
    pub n: usize,
    /// First-order main effect `S_i` (`None` if it could not be estimated; see `note`).
    pub main_effect: Option<f64>,
    /// `S_i / sum_j S_j` over the nodes compared.
    pub normalised: Option<f64>,
    /// Pearson's `r^2` of node and target (the main effect of a linear relation).
    pub pearson_squared: Option<f64>,
    /// The bandwidth used.
    pub bandwidth: Option<f64>,
    /// Nominal weight: normalised among the node's siblings.
    pub nominal_weight: f64,
    /// Effective weight of the node in the target: the product of normalised weights
    /// on the path from the target down to it (sums to one over the nodes compared).
    pub effective_weight: f64,
    /// Why the main effect is missing, if it is.
    pub note: Option<String>,
}

/// Main effects of every node at a level below a target.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MainEffects {
    /// The target (usually the index).
    pub target: String,
    /// Level of the nodes compared.
    pub level: u32,
    /// The bandwidth rule.
    pub bandwidth: Bandwidth,
    /// One entry per node at `level` under `target`, in framework order.
    pub effects: Vec<MainEffect>,
}

/// Main effect of every node at `level` under `target` (e.g. all indicators or all
/// pillars in the index), beside its nominal and effective weight (weights of the
/// framework, or of the named weight set). A node whose main effect cannot be
/// estimated (constant, too few pairs) gets `None` and a note.
///
/// `data` must hold the nodes and the target: use the aggregated data set.
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown target, weight set, or a column absent from
/// `data`; [`Error::InvalidParameter`] if `level` is not below the target's level,
/// or for an invalid fixed bandwidth.
pub fn main_effects<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    target: &str,
    level: u32,
    weight_set: Option<&str>,
    bandwidth: Bandwidth,
) -> Result<MainEffects> {
    const METHOD: &str = "main_effects";
    let data = data.into();
    let t = node_index(framework, target, METHOD)?;
    check_level(framework, level, METHOD)?;
    if level >= framework.level(t) {
        return Err(Error::invalid(
            METHOD,
            "level",
            Some(target),
            format!(
                "level {level} is not below the target's level {}",
                framework.level(t)
            ),
        ));
    }
    if let Bandwidth::Fixed(h) = bandwidth
        && !(h.is_finite() && h > 0.0)
    {
        return Err(Error::invalid(
            METHOD,
            "bandwidth",
            None,
            format!("{h} is not a positive finite number"),
        ));
    }
    let weights = framework_weights(framework, weight_set)?;
    let eff_t = weights.nodes[t].effective;
    let y = data.column(target)?;
    let mut effects = Vec::new();
    for &i in framework.nodes_at_level(level) {
        if !in_subtree(framework, i, t) {
            continue;
        }
        let code = framework.code(i);
        let x = data.column(code)?;
        let c = corr(x, y, CorrelationMethod::Pearson);
        let (main, bw, note) = match estimate(x, y, bandwidth, code, target) {
            Ok(m) => (Some(m.main_effect), Some(m.bandwidth), None),
            Err(e) => (None, None, Some(e.to_string())),
        };
        effects.push(MainEffect {
            code: code.to_owned(),
            n: c.n,
            main_effect: main,
            normalised: None,
            pearson_squared: c.r.map(|r| r * r),
            bandwidth: bw,
            nominal_weight: weights.nodes[i].weight,
            effective_weight: weights.nodes[i].effective / eff_t,
            note,
        });
    }
    let total: f64 = effects.iter().filter_map(|e| e.main_effect).sum();
    if total > 0.0 {
        for e in &mut effects {
            e.normalised = e.main_effect.map(|s| s / total);
        }
    }
    Ok(MainEffects {
        target: target.to_owned(),
        level,
        bandwidth,
        effects,
    })
}
