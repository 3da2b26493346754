//! Benefit of the Doubt (BoD): each unit aggregated with the weights most
//! favourable to it.
//!
//! **Basic model** (Melyn and Moesen 1991; Cherchye, Moesen, Rogge and Van
//! Puyenbroeck 2007, *Social Indicators Research* 82:111-145). For unit `k`
//! with child values `y_k` (non-negative), over multipliers `v >= 0`:
//!
//! ```text
//! CI_k = max_v  v·y_k   subject to  v·y_i <= 1 for every unit i
//! ```
//!
//! so `0 <= CI_k <= 1`, with 1 for the units on the frontier. It is the CCR
//! model of DEA with one constant input (Compind's `ci_bod`, METHODS 8.1).
//! The score is invariant to rescaling a child; the multipliers scale inversely.
//!
//! **Weight restrictions** (Cherchye et al. 2007, section 4):
//! - absolute bounds on the multipliers, `weight_min_j <= v_j <= weight_max_j`;
//! - bounds on each child's share of the unit's own score (pie shares, Wong and
//!   Beasley 1990), `share_min_j <= v_j y_kj / v·y_k <= share_max_j`; with one
//!   value for every child this is Compind's `ci_bod_constr(up_w, low_w)`
//!   (METHODS 8.2), whose output is the shares. Per-child values are allowed.
//!
//! Restrictions that leave no admissible weight are an
//! [`Error::InfeasibleRestrictions`] naming the node and the restriction
//! (Compind silently returns 0 there, its bug B8).
//!
//! **Directional BoD** (Fusco 2015, *EJOR* 242(2):620-630; Compind's
//! `ci_bod_dir`, METHODS 8.3): with a direction `d >= 0`,
//!
//! ```text
//! max beta  s.t.  sum_i lambda_i <= 1,  sum_i lambda_i y_ij >= y_kj + beta d_j,  lambda >= 0
//! CI_k = 1 / (1 + beta)
//! ```
//!
//! With `d = y_k` it equals the basic score.
//!
//! **Robust order-m BoD** (Cazals, Florens and Simar 2002, *J. Econometrics*
//! 106:1-25; Daraio and Simar 2005; Vidoli and Mazziotta 2013; Compind's
//! `ci_rbod`, METHODS 8.4). With `r_i = min_j y_ij / y_kj` over the children
//! with `y_kj > 0`, a replicate draws `M` units uniformly with replacement and
//! takes `e = max r_i` over them; `CI_k = 1 / E[e]`. The expectation is exact,
//! `E[e] = sum_l r_(l) ((l/n)^M - ((l-1)/n)^M)` over the sorted `r`, unless a
//! number of Monte Carlo `replicates` is given (as Compind does), drawn from a
//! ChaCha8 stream per unit seeded by `seed`, so results are reproducible (but
//! not R's draws). Scores can exceed 1. Compind returns NaN for a unit with a
//! zero value (its bug B9); here a child with `y_kj = 0` does not bound `r_i`
//! (any multiple of zero is reached), and a unit with only zeros scores 0.
//!
//! **Data.** Values must be present and non-negative (normalise to a positive
//! scale, such as min-max, first). A child with weight zero takes no part (this
//! is how an uncertainty analysis excludes it); positive weights are otherwise
//! ignored: BoD chooses its own.
//!
//! **Optimal weights and degeneracy.** The multipliers `v` and the shares of
//! every unit are returned as [`NodeWeights`]; they reach
//! [`Results::optimal_weights`](crate::Results::optimal_weights). Units on the
//! frontier usually have many optimal weight vectors (Compind's tests: every
//! efficient unit); [`NodeWeights::unique`] says, unit by unit, whether the
//! optimum is unique. The programmes are solved by the interior-point solver
//! Clarabel, which converges to the centre of the optimal set, where each
//! constraint has either a positive multiplier or a positive slack (strict
//! complementarity, Güler and Ye 1993); the optimum is unique exactly when the
//! constraints with positive multipliers fix every weight not held at zero,
//! a rank test on that small system. Where it is not unique, the weights
//! returned are that centre, not a vertex as a simplex code such as lpSolve
//! returns: both are optimal. Unique optima are refined to the vertex to
//! machine precision.
//!
//! **Computation.** A unit dominated by another (no larger value on every
//! child) adds a constraint implied by its dominator's, and in the basic model
//! a unit with score below 1 adds one implied by the frontier units'; these are
//! left out, which shrinks each programme without changing its feasible set.
//! Every score is then checked against all units.

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{NodeContext, NodeWeights};
use crate::error::{Error, Result};
use crate::lp::{Lp, Outcome};

/// A value per child: one for every child, or some children by code (the
/// others take the default of the parameter).
///
/// In a specification, `share_max = 0.5` or `share_max = { P1 = 0.4, P2 = 0.6 }`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(untagged)
)]
pub enum ChildValues {
    /// The same value for every child.
    All(f64),
    /// Values by child code.
    Each(BTreeMap<String, f64>),
}

impl ChildValues {
    fn values(&self) -> Box<dyn Iterator<Item = f64> + '_> {
        match self {
            Self::All(v) => Box::new(std::iter::once(*v)),
            Self::Each(m) => Box::new(m.values().copied()),
        }
    }

    /// The value for `child`, if given.
    pub fn value(&self, child: &str) -> Option<f64> {
        match self {
            Self::All(v) => Some(*v),
            Self::Each(m) => m.get(child).copied(),
        }
    }

    /// The value for `child`, `default` when not given.
    fn get(&self, child: &str, default: f64) -> f64 {
        self.value(child).unwrap_or(default)
    }

    /// Checks that every code is a child of the node.
    fn check_codes(&self, parameter: &str, ctx: &NodeContext<'_>) -> Result<()> {
        if let Self::Each(m) = self {
            for code in m.keys() {
                if !ctx.children.contains(&code.as_str()) {
                    return Err(Error::UnknownCode {
                        kind: "child",
                        code: code.clone(),
                        context: format!(
                            "{parameter} of benefit_of_the_doubt at {:?} (its children: {})",
                            ctx.node,
                            ctx.children.join(", ")
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Order-m (robust) BoD settings.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct OrderM {
    /// Size `M` of each drawn reference sample (Compind's default 20).
    pub m: usize,
    /// Monte Carlo replicates `B` (Compind's default 200); `None`: the exact
    /// expectation (the limit `B -> infinity`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub replicates: Option<usize>,
    /// Seed of the draws (with `replicates`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub seed: u64,
}

/// Parameters of [`AggregateMethod::BenefitOfTheDoubt`](super::AggregateMethod::BenefitOfTheDoubt).
/// All empty (the default) is the basic model. See the [module docs](self).
///
/// ```toml
/// default = { method = "benefit_of_the_doubt", share_min = 0.05, share_max = 0.5 }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct BodOptions {
    /// Lower bounds on the multipliers `v_j` (default 0).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub weight_min: Option<ChildValues>,
    /// Upper bounds on the multipliers `v_j` (default none).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub weight_max: Option<ChildValues>,
    /// Lower bounds on each child's share `v_j y_kj / CI_k` (default 0).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub share_min: Option<ChildValues>,
    /// Upper bounds on each child's share (default 1).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub share_max: Option<ChildValues>,
    /// Direction `d` of directional BoD (non-negative, not all zero).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub direction: Option<ChildValues>,
    /// Robust order-m BoD.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub order_m: Option<OrderM>,
    /// Multiplies the scores (default 1; 100 puts them on a 0-100 scale).
    #[cfg_attr(
        feature = "serde",
        serde(
            default = "crate::defaults::one",
            skip_serializing_if = "crate::defaults::is_one"
        )
    )]
    pub scale: f64,
}

impl BodOptions {
    /// The basic model.
    #[must_use]
    pub fn new() -> Self {
        Self {
            scale: 1.0,
            ..Self::default()
        }
    }

    /// Sets the share bounds (the same for every child).
    #[must_use]
    pub fn shares(mut self, min: f64, max: f64) -> Self {
        self.share_min = Some(ChildValues::All(min));
        self.share_max = Some(ChildValues::All(max));
        self
    }

    /// Sets the multiplier bounds (`None`: no bound on that side).
    #[must_use]
    pub fn weights(mut self, min: Option<ChildValues>, max: Option<ChildValues>) -> Self {
        self.weight_min = min;
        self.weight_max = max;
        self
    }

    /// Directional BoD with direction `d`.
    #[must_use]
    pub fn direction(mut self, d: ChildValues) -> Self {
        self.direction = Some(d);
        self
    }

    /// Robust order-m BoD.
    #[must_use]
    pub fn order_m(mut self, o: OrderM) -> Self {
        self.order_m = Some(o);
        self
    }

    /// Sets the scale of the scores.
    #[must_use]
    pub fn scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    fn has_restrictions(&self) -> bool {
        self.weight_min.is_some()
            || self.weight_max.is_some()
            || self.share_min.is_some()
            || self.share_max.is_some()
    }

    /// Checks the parameters that do not depend on the node.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for negative or non-finite bounds, a minimum
    /// above a maximum, a share above 1, a direction of zeros, `m = 0`,
    /// zero replicates, a scale that is not positive, or models combined
    /// (restrictions, direction and order-m are alternatives).
    pub fn validate(&self, target: Option<&str>) -> Result<()> {
        let bad =
            |p: &str, msg: String| Err(Error::invalid("benefit_of_the_doubt", p, target, msg));
        let families = [
            self.has_restrictions(),
            self.direction.is_some(),
            self.order_m.is_some(),
        ];
        if families.iter().filter(|&&b| b).count() > 1 {
            return bad(
                "direction",
                "weight restrictions, direction and order_m are alternative models; choose one"
                    .into(),
            );
        }
        for (name, v, max) in [
            ("weight_min", &self.weight_min, f64::INFINITY),
            ("weight_max", &self.weight_max, f64::INFINITY),
            ("share_min", &self.share_min, 1.0),
            ("share_max", &self.share_max, 1.0),
            ("direction", &self.direction, f64::INFINITY),
        ] {
            if let Some(v) = v
                && let Some(x) = v
                    .values()
                    .find(|x| !(x.is_finite() && *x >= 0.0 && *x <= max))
            {
                return bad(
                    name,
                    if max == 1.0 {
                        format!("{x} is outside [0, 1]")
                    } else {
                        format!("{x} must be finite and non-negative")
                    },
                );
            }
        }
        if let Some(d) = &self.direction
            && d.values().all(|x| x == 0.0)
        {
            return bad("direction", "the direction is zero for every child".into());
        }
        if let Some(o) = &self.order_m {
            if o.m == 0 {
                return bad("order_m", "m must be at least 1".into());
            }
            if o.replicates == Some(0) {
                return bad(
                    "order_m",
                    "replicates must be at least 1 (or absent for the exact expectation)".into(),
                );
            }
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return bad(
                "scale",
                format!("{} must be finite and positive", self.scale),
            );
        }
        Ok(())
    }
}

/// Per-child bounds resolved for one node.
struct Bounds {
    wmin: Vec<f64>,
    wmax: Vec<f64>,
    smin: Vec<f64>,
    smax: Vec<f64>,
}

/// Benefit of the Doubt scores of a node (see the [module docs](self)), times
/// `options.scale`, with each unit's optimal weights for the LP models.
///
/// # Errors
/// [`Error::Domain`] for a missing, negative or infinite value;
/// [`Error::UnknownCode`] for a per-child value naming no child;
/// [`Error::InfeasibleRestrictions`] when the restrictions admit no weights;
/// [`Error::Solver`] if the solver fails numerically;
/// [`Error::InvalidParameter`] as [`BodOptions::validate`].
pub fn benefit_of_the_doubt(
    children: &[&[f64]],
    weights: &[f64],
    options: &BodOptions,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<Option<NodeWeights>> {
    options.validate(Some(ctx.node))?;
    let n = out.len();
    // Children taking part (positive weight).
    let part: Vec<usize> = (0..children.len())
        .filter(|&j| weights.get(j).is_some_and(|&w| w > 0.0))
        .collect();
    let names: Vec<&str> = part
        .iter()
        .map(|&j| ctx.children.get(j).copied().unwrap_or(""))
        .collect();
    for (p, v) in [
        ("weight_min", &options.weight_min),
        ("weight_max", &options.weight_max),
        ("share_min", &options.share_min),
        ("share_max", &options.share_max),
        ("direction", &options.direction),
    ] {
        if let Some(v) = v {
            v.check_codes(p, ctx)?;
        }
    }
    if part.is_empty() || n == 0 {
        out.fill(f64::NAN);
        return Ok(None);
    }
    // Units x participating children, row-major.
    let m = part.len();
    let mut y = vec![0.0; n * m];
    for (jj, &j) in part.iter().enumerate() {
        for (u, &v) in children[j].iter().enumerate() {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::Domain {
                    method: "benefit_of_the_doubt",
                    unit: ctx.units.get(u).cloned().unwrap_or_default(),
                    node: ctx.node.into(),
                    child: names[jj].into(),
                    value: v,
                    reason: if v.is_nan() {
                        "Benefit of the Doubt needs every value present (impute first)".into()
                    } else {
                        "Benefit of the Doubt needs finite non-negative values (normalise to a positive scale, e.g. min_max, first)".into()
                    },
                });
            }
            y[u * m + jj] = v;
        }
    }
    let y = Matrix { y, m };
    let scale = options.scale;
    if let Some(o) = &options.order_m {
        order_m(&y, o, out);
        out.iter_mut().for_each(|s| *s *= scale);
        return Ok(None);
    }
    if let Some(d) = &options.direction {
        let d: Vec<f64> = names.iter().map(|c| d.get(c, 0.0)).collect();
        directional(&y, &d, ctx, out)?;
        out.iter_mut().for_each(|s| *s *= scale);
        return Ok(None);
    }
    let get = |v: &Option<ChildValues>, def: f64| -> Vec<f64> {
        names
            .iter()
            .map(|c| v.as_ref().map_or(def, |v| v.get(c, def)))
            .collect()
    };
    let bounds = Bounds {
        wmin: get(&options.weight_min, 0.0),
        wmax: get(&options.weight_max, f64::INFINITY),
        smin: get(&options.share_min, 0.0),
        smax: get(&options.share_max, 1.0),
    };
    check_bounds(&y, &bounds, &names, ctx)?;
    let restricted = options.has_restrictions();
    let mut w = NodeWeights::new(ctx, &names, n);
    multiplier_scores(&y, &bounds, restricted, ctx, out, &mut w)?;
    out.iter_mut().for_each(|s| *s *= scale);
    Ok(Some(w))
}

/// Units x children, row-major.
struct Matrix {
    y: Vec<f64>,
    m: usize,
}

impl Matrix {
    fn row(&self, i: usize) -> &[f64] {
        &self.y[i * self.m..(i + 1) * self.m]
    }

    fn n(&self) -> usize {
        self.y.len() / self.m
    }

    /// Units not dominated by another (`y_i <= y_l` everywhere); of identical
    /// rows, the first.
    fn undominated(&self) -> Vec<usize> {
        let n = self.n();
        (0..n)
            .filter(|&i| {
                let yi = self.row(i);
                !(0..n).any(|l| {
                    if l == i {
                        return false;
                    }
                    let yl = self.row(l);
                    let weakly = yi.iter().zip(yl).all(|(a, b)| a <= b);
                    weakly && (yi != yl || l < i)
                })
            })
            .collect()
    }
}

fn check_bounds(y: &Matrix, b: &Bounds, names: &[&str], ctx: &NodeContext<'_>) -> Result<()> {
    let infeasible = |restriction: &str, unit: Option<usize>, reason: String| {
        Err(Error::InfeasibleRestrictions {
            node: ctx.node.into(),
            restriction: restriction.into(),
            unit: unit.map(|u| ctx.units.get(u).cloned().unwrap_or_default()),
            reason,
        })
    };
    for (j, name) in names.iter().enumerate() {
        if b.smin[j] > b.smax[j] {
            return infeasible(
                "share_min and share_max",
                None,
                format!(
                    "child {name:?} has share_min {} above share_max {}",
                    b.smin[j], b.smax[j]
                ),
            );
        }
        if b.wmin[j] > b.wmax[j] {
            return infeasible(
                "weight_min and weight_max",
                None,
                format!(
                    "child {name:?} has weight_min {} above weight_max {}",
                    b.wmin[j], b.wmax[j]
                ),
            );
        }
    }
    let (lo, hi): (f64, f64) = (b.smin.iter().sum(), b.smax.iter().sum());
    if lo > 1.0 + 1e-12 {
        return infeasible(
            "share_min",
            None,
            format!(
                "the minimum shares of the {} children sum to {lo} > 1; lower them",
                names.len()
            ),
        );
    }
    if hi < 1.0 - 1e-12 {
        return infeasible(
            "share_max",
            None,
            format!(
                "the maximum shares of the {} children sum to {hi} < 1; raise them",
                names.len()
            ),
        );
    }
    for i in 0..y.n() {
        let s: f64 = y.row(i).iter().zip(&b.wmin).map(|(a, w)| a * w).sum();
        if s > 1.0 {
            return infeasible(
                "weight_min",
                Some(i),
                format!(
                    "with the minimum multipliers this unit already scores {s} > 1, the frontier; lower weight_min"
                ),
            );
        }
    }
    Ok(())
}

/// One unit's multiplier programme over the constraint rows `rows`.
fn unit_lp(y: &Matrix, k: usize, rows: &[usize], b: &Bounds) -> Lp {
    let m = y.m;
    let yk = y.row(k);
    let mut lp = Lp::new(yk.iter().map(|v| -v).collect());
    for &i in rows {
        lp.le(y.row(i).to_vec(), 1.0);
    }
    lp.all_nonneg();
    for j in 0..m {
        if b.wmin[j] > 0.0 {
            let mut a = vec![0.0; m];
            a[j] = -1.0;
            lp.le(a, -b.wmin[j]);
        }
        if b.wmax[j].is_finite() {
            let mut a = vec![0.0; m];
            a[j] = 1.0;
            lp.le(a, b.wmax[j]);
        }
        if b.smax[j] < 1.0 {
            // v_j y_kj - smax_j sum_r v_r y_kr <= 0
            let mut a: Vec<f64> = yk.iter().map(|v| -b.smax[j] * v).collect();
            a[j] += yk[j];
            lp.le(a, 0.0);
        }
        if b.smin[j] > 0.0 {
            // smin_j sum_r v_r y_kr - v_j y_kj <= 0
            let mut a: Vec<f64> = yk.iter().map(|v| b.smin[j] * v).collect();
            a[j] -= yk[j];
            lp.le(a, 0.0);
        }
    }
    lp
}

/// Solves the multiplier programmes of every unit (basic or restricted model).
fn multiplier_scores(
    y: &Matrix,
    b: &Bounds,
    restricted: bool,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
    w: &mut NodeWeights,
) -> Result<()> {
    let n = y.n();
    let und = y.undominated();
    // One unit's score, multipliers, shares and uniqueness.
    let solve = |k: usize, rows: &[usize]| -> Solved {
        let unit = || ctx.units.get(k).cloned().unwrap_or_default();
        let mut rows = rows.to_vec();
        loop {
            let lp = unit_lp(y, k, &rows, b);
            let outcome = lp.solve().map_err(|message| Error::Solver {
                context: format!(
                    "benefit_of_the_doubt at {:?} for unit {:?}",
                    ctx.node,
                    unit()
                ),
                message,
            })?;
            let opt = match outcome {
                Outcome::Optimal(o) => o,
                Outcome::Infeasible => {
                    return Err(Error::InfeasibleRestrictions {
                        node: ctx.node.into(),
                        restriction: "weight and share bounds together".into(),
                        unit: Some(unit()),
                        reason: "no multipliers meet every bound and keep all units at or below the frontier; loosen them".into(),
                    });
                }
                Outcome::Unbounded => {
                    return Err(Error::Solver {
                        context: format!(
                            "benefit_of_the_doubt at {:?} for unit {:?}",
                            ctx.node,
                            unit()
                        ),
                        message: "the programme is unbounded".into(),
                    });
                }
            };
            let v: Vec<f64> = opt.x.iter().map(|x| x.max(0.0)).collect();
            // The largest v·y_i over every unit: at most 1 up to the solver's
            // tolerance, unless a left-out unit is binding (then add it).
            let mut top = 1.0_f64;
            let mut missing = Vec::new();
            for i in 0..n {
                let s: f64 = y.row(i).iter().zip(&v).map(|(a, c)| a * c).sum();
                if s > 1.0 + 1e-7 && !rows.contains(&i) {
                    missing.push(i);
                }
                top = top.max(s);
            }
            if !missing.is_empty() {
                rows.extend(missing);
                continue;
            }
            let raw: f64 = y.row(k).iter().zip(&v).map(|(a, c)| a * c).sum();
            let mut score = raw / top;
            if (score - 1.0).abs() <= 1e-10 {
                score = 1.0;
            }
            let multipliers = v.iter().map(|vj| vj / top).collect();
            let shares = v
                .iter()
                .zip(y.row(k))
                .map(|(vj, yj)| if raw > 0.0 { vj * yj / raw } else { f64::NAN })
                .collect();
            return Ok((score, multipliers, shares, opt.unique));
        }
    };
    // Each unit's programme depends only on the data and its rows, so the
    // units of each pass are solved in parallel (feature `rayon`) with results
    // identical to a serial run.
    type Solved = Result<(f64, Vec<f64>, Vec<f64>, bool)>;
    fn store(out: &mut [f64], w: &mut NodeWeights, k: usize, r: Solved) -> Result<()> {
        let (score, multipliers, shares, unique) = r?;
        out[k] = score;
        for (j, (m, s)) in multipliers.iter().zip(&shares).enumerate() {
            w.multipliers[(k, j)] = *m;
            w.shares[(k, j)] = *s;
        }
        w.unique[k] = unique;
        Ok(())
    }
    // Undominated units first, against the undominated units' constraints.
    let first = crate::lp::map_units(&und, |k| solve(k, &und));
    for (&k, r) in und.iter().zip(first) {
        store(out, w, k, r)?;
    }
    // In the basic model, only the frontier units' constraints bind.
    let rows: Vec<usize> = if restricted {
        und.clone()
    } else {
        und.iter()
            .copied()
            .filter(|&i| out[i] > 1.0 - 1e-6)
            .collect()
    };
    let rest: Vec<usize> = (0..n).filter(|k| und.binary_search(k).is_err()).collect();
    let second = crate::lp::map_units(&rest, |k| solve(k, &rows));
    for (&k, r) in rest.iter().zip(second) {
        store(out, w, k, r)?;
    }
    Ok(())
}

/// Directional BoD (envelopment form over the undominated units).
fn directional(y: &Matrix, d: &[f64], ctx: &NodeContext<'_>, out: &mut [f64]) -> Result<()> {
    let cols = y.undominated();
    let r = cols.len();
    for (k, o) in out.iter_mut().enumerate() {
        // Variables: beta (free), lambda_1..lambda_r >= 0. Minimise -beta.
        let mut cost = vec![0.0; r + 1];
        cost[0] = -1.0;
        let mut lp = Lp::new(cost);
        let mut a = vec![1.0; r + 1];
        a[0] = 0.0;
        lp.le(a, 1.0);
        for (j, &dj) in d.iter().enumerate() {
            // -sum lambda_i y_ij + beta d_j <= -y_kj
            let mut a = Vec::with_capacity(r + 1);
            a.push(dj);
            a.extend(cols.iter().map(|&i| -y.row(i)[j]));
            lp.le(a, -y.row(k)[j]);
        }
        for i in 1..=r {
            lp.nonneg(i);
        }
        let context = || {
            format!(
                "directional benefit_of_the_doubt at {:?} for unit {:?}",
                ctx.node,
                ctx.units.get(k).cloned().unwrap_or_default()
            )
        };
        match lp.solve() {
            Ok(Outcome::Optimal(opt)) => {
                let beta = opt.x[0];
                *o = 1.0 / (1.0 + beta);
                if (*o - 1.0).abs() <= 1e-10 {
                    *o = 1.0;
                }
            }
            Ok(other) => {
                return Err(Error::Solver {
                    context: context(),
                    message: format!("the programme is {other:?}").to_lowercase(),
                });
            }
            Err(message) => {
                return Err(Error::Solver {
                    context: context(),
                    message,
                });
            }
        }
    }
    Ok(())
}

/// Robust order-m scores.
fn order_m(y: &Matrix, o: &OrderM, out: &mut [f64]) {
    let n = y.n();
    let mut r = vec![0.0; n];
    for (k, s) in out.iter_mut().enumerate() {
        let yk = y.row(k);
        if yk.iter().all(|&v| v == 0.0) {
            *s = 0.0;
            continue;
        }
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = yk
                .iter()
                .zip(y.row(i))
                .filter(|(a, _)| **a > 0.0)
                .map(|(a, b)| b / a)
                .fold(f64::INFINITY, f64::min);
        }
        let e = match o.replicates {
            None => order_m_expectation(&mut r, o.m),
            Some(b) => {
                let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
                rng.set_stream(k as u64);
                let mut sum = 0.0;
                for _ in 0..b {
                    let mut e = f64::NEG_INFINITY;
                    for _ in 0..o.m {
                        e = e.max(r[rng.random_range(0..n)]);
                    }
                    sum += e;
                }
                sum / b as f64
            }
        };
        *s = 1.0 / e;
    }
}

/// `E[max of M draws with replacement from r]` (METHODS 8.4):
/// `sum_l r_(l) ((l/n)^M - ((l-1)/n)^M)` over `r` sorted ascending.
pub(crate) fn order_m_expectation(r: &mut [f64], m: usize) -> f64 {
    r.sort_by(f64::total_cmp);
    let n = r.len() as f64;
    let mm = i32::try_from(m).unwrap_or(i32::MAX);
    let mut prev = 0.0;
    let mut e = 0.0;
    for (l, &v) in r.iter().enumerate() {
        let p = ((l + 1) as f64 / n).powi(mm);
        e += v * (p - prev);
        prev = p;
    }
    e
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

    fn units(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("U{i}")).collect()
    }

    #[test]
    fn basic_by_hand() {
        // A (2, 1), B (1, 2), C (1, 1), D (1.5, 1.5): frontier A, B, D.
        let a = [2.0, 1.0, 1.0, 1.5];
        let b = [1.0, 2.0, 1.0, 1.5];
        let u = units(4);
        let ch = ["a", "b"];
        let mut out = [0.0; 4];
        let w = benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new(),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap()
        .unwrap();
        assert_eq!(out[0], 1.0);
        assert_eq!(out[1], 1.0);
        assert_eq!(out[3], 1.0);
        // C: max v1 + v2 with 2v1 + v2 <= 1, v1 + 2v2 <= 1, 1.5(v1+v2) <= 1 -> 2/3.
        assert_relative_eq!(out[2], 2.0 / 3.0, max_relative = 1e-10);
        // D's weights are unique (1/3, 1/3); A's are not.
        assert!(w.unique[3] && w.unique[2] && !w.unique[0]);
        assert_relative_eq!(w.multipliers[(3, 0)], 1.0 / 3.0, max_relative = 1e-8);
        assert_relative_eq!(
            w.shares[(2, 0)] + w.shares[(2, 1)],
            1.0,
            max_relative = 1e-12
        );
    }

    #[test]
    fn share_bounds_and_infeasible_restrictions() {
        let a = [2.0, 1.0, 1.0];
        let b = [1.0, 2.0, 1.0];
        let u = units(3);
        let ch = ["a", "b"];
        let mut out = [0.0; 3];
        let o = BodOptions::new().shares(0.4, 0.6);
        let w = benefit_of_the_doubt(&[&a, &b], &[1.0, 1.0], &o, &ctx(&u, &ch), &mut out)
            .unwrap()
            .unwrap();
        for k in 0..3 {
            for j in 0..2 {
                assert!(w.shares[(k, j)] >= 0.4 - 1e-9 && w.shares[(k, j)] <= 0.6 + 1e-9);
            }
        }
        // A with its share of a at most 0.6: 2 v1 = 0.6 s, v2 = 0.4 s, 2v1 + v2 = s <= 1
        // and v1 + 2 v2 = 0.3 s + 0.8 s <= 1 -> s = 1/1.1.
        assert_relative_eq!(out[0], 1.0 / 1.1, max_relative = 1e-9);
        let e = benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new().shares(0.6, 1.0),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap_err();
        match e {
            Error::InfeasibleRestrictions {
                node, restriction, ..
            } => {
                assert_eq!((node.as_str(), restriction.as_str()), ("P", "share_min"));
            }
            other => panic!("{other:?}"),
        }
        let e = benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new().weights(Some(ChildValues::All(0.5)), None),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::InfeasibleRestrictions { ref unit, .. } if unit.as_deref() == Some("U0")),
            "{e}"
        );
        let e = benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new().weights(
                Some(ChildValues::Each([("zz".to_string(), 0.1)].into())),
                None,
            ),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap_err();
        assert!(matches!(e, Error::UnknownCode { .. }), "{e}");
    }

    #[test]
    fn directional_with_own_direction_is_basic() {
        let a = [2.0, 1.0, 1.0, 0.5];
        let b = [1.0, 2.0, 1.0, 0.2];
        let u = units(4);
        let ch = ["a", "b"];
        let mut basic = [0.0; 4];
        benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new(),
            &ctx(&u, &ch),
            &mut basic,
        )
        .unwrap();
        // A common direction (1, 1): C reaches the segment (1.5, 1.5) with beta = 0.5.
        let mut dir = [0.0; 4];
        let o = BodOptions::new().direction(ChildValues::All(1.0));
        assert!(
            benefit_of_the_doubt(&[&a, &b], &[1.0, 1.0], &o, &ctx(&u, &ch), &mut dir)
                .unwrap()
                .is_none()
        );
        assert_relative_eq!(dir[2], 1.0 / 1.5, max_relative = 1e-9);
        assert_eq!(dir[0], 1.0);
    }

    #[test]
    fn order_m_exact_and_monte_carlo() {
        let a = [2.0, 1.0, 1.0, 0.0];
        let b = [1.0, 2.0, 1.0, 0.0];
        let u = units(4);
        let ch = ["a", "b"];
        let mut exact = [0.0; 4];
        let o = OrderM {
            m: 3,
            replicates: None,
            seed: 0,
        };
        benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new().order_m(o.clone()),
            &ctx(&u, &ch),
            &mut exact,
        )
        .unwrap();
        // C: r = (1, 1, 1, 0) -> E[max of 3] = 1 - (1/4)^3.
        assert_relative_eq!(
            exact[2],
            1.0 / (1.0 - 0.25f64.powi(3)),
            max_relative = 1e-12
        );
        assert_eq!(exact[3], 0.0);
        let mut mc = [0.0; 4];
        let o2 = OrderM {
            replicates: Some(20_000),
            seed: 7,
            ..o
        };
        benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new().order_m(o2.clone()),
            &ctx(&u, &ch),
            &mut mc,
        )
        .unwrap();
        let mut again = [0.0; 4];
        benefit_of_the_doubt(
            &[&a, &b],
            &[1.0, 1.0],
            &BodOptions::new().order_m(o2),
            &ctx(&u, &ch),
            &mut again,
        )
        .unwrap();
        assert_eq!(mc, again);
        assert_relative_eq!(mc[2], exact[2], max_relative = 5e-3);
    }

    #[test]
    fn missing_and_negative_values_are_domain_errors() {
        let u = units(2);
        let ch = ["a", "b"];
        let mut out = [0.0; 2];
        for bad in [f64::NAN, -1.0] {
            let e = benefit_of_the_doubt(
                &[&[1.0, bad], &[1.0, 1.0]],
                &[1.0, 1.0],
                &BodOptions::new(),
                &ctx(&u, &ch),
                &mut out,
            )
            .unwrap_err();
            assert!(
                matches!(e, Error::Domain { ref unit, .. } if unit == "U1"),
                "{e}"
            );
        }
        // A zero-weight child takes no part, even with a missing value.
        benefit_of_the_doubt(
            &[&[1.0, 2.0], &[f64::NAN, 1.0]],
            &[1.0, 0.0],
            &BodOptions::new(),
            &ctx(&u, &ch),
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [0.5, 1.0]);
    }
}
