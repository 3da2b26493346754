//! Aggregation: combine the children of a node into the node's score.
//!
//! Aggregation runs level by level, from indicators up to the index. For each
//! unit, the weighted means use only the children with non-missing values and
//! renormalise their weights (`w_i / sum(w)` over those present). A child with
//! weight zero takes no part at all (this is how an indicator is excluded in an
//! uncertainty analysis). A unit with no present child of positive weight gets a
//! missing score. The missing-data threshold `dat_thresh` of the pipeline may further set
//! an aggregate to missing.
//!
//! | method | file | formula |
//! |---|---|---|
//! | [`arithmetic_mean`](means::arithmetic_mean) | `means.rs` | `sum(w x)/sum(w)` |
//! | [`geometric_mean`](means::geometric_mean) | `means.rs` | `exp(sum(w ln x)/sum(w))`, `x > 0` |
//! | [`harmonic_mean`](means::harmonic_mean) | `means.rs` | `sum(w)/sum(w/x)`, `x > 0` |
//! | [`generalised_mean`](means::generalised_mean) | `means.rs` | `(sum(w x^p)/sum(w))^(1/p)` |
//! | [`copeland`](copeland::copeland) | `copeland.rs` | outranking: wins minus losses |
//! | [`benefit_of_the_doubt`](benefit_of_the_doubt::benefit_of_the_doubt) | `benefit_of_the_doubt.rs` | `max v·y_k` s.t. `v·y_i <= 1`, `v >= 0` (LP per unit) |
//! | [`mazziotta_pareto`](mazziotta_pareto::mazziotta_pareto) | `mazziotta_pareto.rs` | `M -+ S cv` over standardised children |
//! | [`adjusted_mazziotta_pareto`](mazziotta_pareto::adjusted_mazziotta_pareto) | `mazziotta_pareto.rs` | the same on values rescaled around goalposts |
//! | [`owa`](owa::owa) | `owa.rs` | `sum_l w_l b_(l)` over values sorted descending |
//! | [`mean_min`](mean_min::mean_min) | `mean_min.rs` | `M - alpha (sqrt((M - min)^2 + beta^2) - beta)` |
//!
//! The built-in methods form the serde enum [`AggregateMethod`]; any other method
//! can be plugged in by implementing [`Aggregator`] and registering it with the
//! pipeline (see [`AggregateMethod::Custom`]).
//!
//! References: OECD/JRC (2008), *Handbook on Constructing Composite Indicators*,
//! section 6; Munda and Nardo (2009), *Noncompensatory/nonlinear composite
//! indicators for ranking countries*, Applied Economics 41(12) (Copeland rule);
//! the frontier and non-compensatory methods cite theirs in their files.
//!
//! # Example
//!
//! ```
//! use composite_index::aggregate::means::arithmetic_mean;
//!
//! // Two children (columns) of one node, three units; the first child weighs 3.
//! let a = [60.0, 80.0, f64::NAN];
//! let b = [20.0, 40.0, 50.0];
//! let mut out = [0.0; 3];
//! arithmetic_mean(&[&a, &b], &[3.0, 1.0], &mut out);
//! // (3*60 + 20)/4 and (3*80 + 40)/4; the third unit has only b, whose weight
//! // is renormalised to 1.
//! assert_eq!(out, [50.0, 70.0, 50.0]);
//! // A child of weight zero takes no part.
//! arithmetic_mean(&[&a, &b], &[1.0, 0.0], &mut out);
//! assert_eq!(out[..2], [60.0, 80.0]);
//! assert!(out[2].is_nan());
//! ```

pub mod benefit_of_the_doubt;
pub mod copeland;
pub mod mazziotta_pareto;
pub mod mean_min;
pub mod means;
pub mod owa;

use std::fmt::Debug;

use nalgebra::DMatrix;

pub use benefit_of_the_doubt::{BodOptions, ChildValues, OrderM};
pub use mazziotta_pareto::{Polarity, SdKind};
pub use mean_min::MeanMinStandardise;

use crate::error::{Error, Result};

/// The optimal weights a frontier method chose for every unit of one node
/// (Benefit of the Doubt), reported in
/// [`Results::optimal_weights`](crate::Results::optimal_weights).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NodeWeights {
    /// The node.
    pub node: String,
    /// Its children taking part (positive weight), the columns below.
    pub children: Vec<String>,
    /// The units, the rows below.
    pub units: Vec<String>,
    /// Multipliers `v_kj` (units x children): unit `k`'s score is `sum_j v_kj y_kj`
    /// times the method's `scale` (Compind's `ci_bod_weights`).
    pub multipliers: DMatrix<f64>,
    /// Shares `v_kj y_kj / score_k`, summing to one for each unit with a positive
    /// score (Compind's `ci_bod_constr_weights`); NaN for a score of zero.
    pub shares: DMatrix<f64>,
    /// Whether unit `k`'s optimal weights are unique. Frontier units often have
    /// many optimal weight vectors (a degenerate programme): any of them is
    /// optimal, and the one reported is the centre of the optimal set.
    pub unique: Vec<bool>,
}

impl NodeWeights {
    pub(crate) fn new(ctx: &NodeContext<'_>, children: &[&str], n: usize) -> Self {
        let m = children.len();
        Self {
            node: ctx.node.into(),
            children: children.iter().map(|s| (*s).to_owned()).collect(),
            units: ctx.units.to_vec(),
            multipliers: DMatrix::from_element(n, m, f64::NAN),
            shares: DMatrix::from_element(n, m, f64::NAN),
            unique: vec![true; n],
        }
    }
}

/// What an aggregator knows about the node it computes.
#[derive(Debug, Clone, Copy)]
pub struct NodeContext<'a> {
    /// Code of the node being computed.
    pub node: &'a str,
    /// Codes of its children, in the order of the `children` slices.
    pub children: &'a [&'a str],
    /// Unit codes, one per row.
    pub units: &'a [String],
}

/// An aggregation method: computes a parent's column from its children's columns.
///
/// ```
/// use composite_index::aggregate::{Aggregator, NodeContext};
/// use composite_index::Result;
///
/// /// The minimum of the present children (a fully non-compensatory rule).
/// #[derive(Debug)]
/// struct Minimum;
///
/// impl Aggregator for Minimum {
///     fn name(&self) -> &str { "minimum" }
///     fn aggregate(&self, children: &[&[f64]], _w: &[f64], _ctx: &NodeContext<'_>, out: &mut [f64]) -> Result<()> {
///         for (u, o) in out.iter_mut().enumerate() {
///             *o = children.iter().map(|c| c[u]).filter(|v| !v.is_nan()).fold(f64::NAN, f64::min);
///         }
///         Ok(())
///     }
/// }
/// ```
pub trait Aggregator: Send + Sync + Debug {
    /// Name used in specifications and messages.
    fn name(&self) -> &str;

    /// Writes the parent's score for every unit into `out`.
    ///
    /// `children[k][u]` is child `k`'s value for unit `u` (NaN = missing) and
    /// `weights[k]` its non-negative weight, not necessarily summing to one.
    ///
    /// # Errors
    /// Whatever the method finds outside its domain, naming the unit and node.
    fn aggregate(
        &self,
        children: &[&[f64]],
        weights: &[f64],
        ctx: &NodeContext<'_>,
        out: &mut [f64],
    ) -> Result<()>;

    /// As [`Aggregator::aggregate`], also returning the weights chosen for each
    /// unit when the method chooses them (Benefit of the Doubt). The default
    /// calls `aggregate` and returns `None`.
    ///
    /// # Errors
    /// As [`Aggregator::aggregate`].
    fn aggregate_with_weights(
        &self,
        children: &[&[f64]],
        weights: &[f64],
        ctx: &NodeContext<'_>,
        out: &mut [f64],
    ) -> Result<Option<NodeWeights>> {
        self.aggregate(children, weights, ctx, out)?;
        Ok(None)
    }
}

/// The built-in aggregation methods (serde: internally tagged by `method`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        remote = "Self",
        tag = "method",
        rename_all = "snake_case",
        deny_unknown_fields
    )
)]
#[non_exhaustive]
pub enum AggregateMethod {
    /// Weighted arithmetic mean. See [`means::arithmetic_mean`].
    ArithmeticMean {},
    /// Weighted geometric mean. See [`means::geometric_mean`].
    GeometricMean {},
    /// Weighted harmonic mean. See [`means::harmonic_mean`].
    HarmonicMean {},
    /// Weighted generalised (power) mean of order `p`. See [`means::generalised_mean`].
    GeneralisedMean {
        /// The order, finite and non-zero.
        p: f64,
    },
    /// Copeland outranking scores. See [`copeland::copeland`].
    Copeland {},
    /// Benefit of the Doubt: each unit's most favourable weights, optionally
    /// restricted, directional or robust (order-m). See [`benefit_of_the_doubt`].
    BenefitOfTheDoubt(Box<BodOptions>),
    /// Mazziotta-Pareto Index. See [`mazziotta_pareto::mazziotta_pareto`].
    MazziottaPareto {
        /// `"positive"` (higher is better: `M - S cv`, the default) or `"negative"`.
        #[cfg_attr(feature = "serde", serde(default))]
        polarity: Polarity,
        /// `"population"` (divisor `m`, the paper, the default) or `"sample"`
        /// (`m - 1`, Compind's `ci_mpi`).
        #[cfg_attr(feature = "serde", serde(default))]
        sd: SdKind,
    },
    /// Adjusted Mazziotta-Pareto Index with goalposts. See
    /// [`mazziotta_pareto::adjusted_mazziotta_pareto`].
    AdjustedMazziottaPareto {
        /// As for the MPI.
        #[cfg_attr(feature = "serde", serde(default))]
        polarity: Polarity,
        /// Reference value (goalpost) per child; default: the child's mean.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        reference: Option<ChildValues>,
        /// Lower end of each child's reference range; default: its minimum.
        /// A panel passes the minimum over all editions.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        min: Option<ChildValues>,
        /// Upper end of each child's reference range; default: its maximum.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        max: Option<ChildValues>,
    },
    /// Ordered weighted average. See [`owa::owa`].
    Owa {
        /// Orness level in `[0, 1]` (maximum-entropy weights); default 0.5 (the mean).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        orness: Option<f64>,
        /// Position weights, largest value first (instead of `orness`).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        weights: Option<Vec<f64>>,
    },
    /// Mean-Min Function. See [`mean_min::mean_min`].
    MeanMin {
        /// Weight of the penalty, in `[0, 1]`.
        alpha: f64,
        /// Curvature of the penalty, `>= 0`.
        beta: f64,
        /// Standardisation of the children first: `"none"` (the default: the
        /// pipeline's normalised values, as the paper), `"z_score"` (mean 100,
        /// sd 10 per child) or `"compind"` (Compind 3.4's recycled statistics).
        #[cfg_attr(feature = "serde", serde(default))]
        standardise: mean_min::MeanMinStandardise,
    },
    /// A method registered with the pipeline under `name` (an [`Aggregator`]).
    Custom {
        /// The registered name.
        name: String,
    },
}

#[cfg(feature = "serde")]
crate::shorthand::string_or_table!(AggregateMethod, "method");

impl From<BodOptions> for AggregateMethod {
    /// Benefit of the Doubt with these options.
    fn from(o: BodOptions) -> Self {
        Self::BenefitOfTheDoubt(Box::new(o))
    }
}

impl Default for AggregateMethod {
    fn default() -> Self {
        Self::ArithmeticMean {}
    }
}

impl AggregateMethod {
    /// Short name, as in specifications.
    pub fn name(&self) -> &str {
        match self {
            Self::ArithmeticMean {} => "arithmetic_mean",
            Self::GeometricMean {} => "geometric_mean",
            Self::HarmonicMean {} => "harmonic_mean",
            Self::GeneralisedMean { .. } => "generalised_mean",
            Self::Copeland {} => "copeland",
            Self::BenefitOfTheDoubt(_) => "benefit_of_the_doubt",
            Self::MazziottaPareto { .. } => "mazziotta_pareto",
            Self::AdjustedMazziottaPareto { .. } => "adjusted_mazziotta_pareto",
            Self::Owa { .. } => "owa",
            Self::MeanMin { .. } => "mean_min",
            Self::Custom { name } => name,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a generalised mean whose `p` is zero or not
    /// finite, and for the parameters of the frontier and non-compensatory
    /// methods out of their domains (see each method).
    pub fn validate(&self, target: Option<&str>) -> Result<()> {
        let bad = |method: &str, p: &str, msg: String| Err(Error::invalid(method, p, target, msg));
        match self {
            Self::BenefitOfTheDoubt(o) => return o.validate(target),
            Self::AdjustedMazziottaPareto {
                reference,
                min,
                max,
                ..
            } => {
                for (p, v) in [("reference", reference), ("min", min), ("max", max)] {
                    let vals: Vec<f64> = match v {
                        Some(ChildValues::All(x)) => vec![*x],
                        Some(ChildValues::Each(m)) => m.values().copied().collect(),
                        None => Vec::new(),
                    };
                    if let Some(x) = vals.iter().find(|x| !x.is_finite()) {
                        return bad("adjusted_mazziotta_pareto", p, format!("{x} is not finite"));
                    }
                }
            }
            Self::Owa { orness, weights } => match (orness, weights) {
                (Some(_), Some(_)) => {
                    return bad("owa", "orness", "give orness or weights, not both".into());
                }
                (Some(o), None) if !(0.0..=1.0).contains(o) => {
                    return bad("owa", "orness", format!("{o} is outside [0, 1]"));
                }
                (None, Some(w))
                    if w.is_empty()
                        || w.iter().any(|x| !(x.is_finite() && *x >= 0.0))
                        || w.iter().sum::<f64>() <= 0.0 =>
                {
                    return bad(
                        "owa",
                        "weights",
                        format!(
                            "{w:?}: need finite non-negative position weights with a positive sum"
                        ),
                    );
                }
                _ => {}
            },
            Self::MeanMin { alpha, beta, .. } => {
                if !(0.0..=1.0).contains(alpha) {
                    return bad("mean_min", "alpha", format!("{alpha} is outside [0, 1]"));
                }
                if !(beta.is_finite() && *beta >= 0.0) {
                    return bad(
                        "mean_min",
                        "beta",
                        format!("{beta} must be finite and non-negative"),
                    );
                }
            }
            _ => {}
        }
        if let Self::GeneralisedMean { p } = *self
            && (!p.is_finite() || p == 0.0)
        {
            return Err(Error::invalid(
                "generalised_mean",
                "p",
                target,
                format!(
                    "p = {p}: must be finite and non-zero (use geometric_mean for the limit p -> 0)"
                ),
            ));
        }
        Ok(())
    }
}

impl Aggregator for AggregateMethod {
    fn name(&self) -> &str {
        AggregateMethod::name(self)
    }

    fn aggregate_with_weights(
        &self,
        children: &[&[f64]],
        weights: &[f64],
        ctx: &NodeContext<'_>,
        out: &mut [f64],
    ) -> Result<Option<NodeWeights>> {
        match self {
            Self::BenefitOfTheDoubt(o) => {
                benefit_of_the_doubt::benefit_of_the_doubt(children, weights, o, ctx, out)
            }
            _ => self.aggregate(children, weights, ctx, out).map(|()| None),
        }
    }

    fn aggregate(
        &self,
        children: &[&[f64]],
        weights: &[f64],
        ctx: &NodeContext<'_>,
        out: &mut [f64],
    ) -> Result<()> {
        match self {
            Self::ArithmeticMean {} => {
                means::arithmetic_mean(children, weights, out);
                Ok(())
            }
            Self::GeometricMean {} => means::geometric_mean(children, weights, ctx, out),
            Self::HarmonicMean {} => means::harmonic_mean(children, weights, ctx, out),
            Self::GeneralisedMean { p } => means::generalised_mean(children, weights, *p, ctx, out),
            Self::Copeland {} => {
                copeland::copeland(children, weights, out);
                Ok(())
            }
            Self::BenefitOfTheDoubt(o) => {
                benefit_of_the_doubt::benefit_of_the_doubt(children, weights, o, ctx, out)
                    .map(|_| ())
            }
            Self::MazziottaPareto { polarity, sd } => {
                mazziotta_pareto::mazziotta_pareto(children, weights, *polarity, *sd, ctx, out)
            }
            Self::AdjustedMazziottaPareto {
                polarity,
                reference,
                min,
                max,
            } => mazziotta_pareto::adjusted_mazziotta_pareto(
                children,
                weights,
                *polarity,
                mazziotta_pareto::Goalposts {
                    reference: reference.as_ref(),
                    min: min.as_ref(),
                    max: max.as_ref(),
                },
                ctx,
                out,
            ),
            Self::Owa { orness, weights: w } => {
                owa::owa(children, weights, *orness, w.as_deref(), ctx, out)
            }
            Self::MeanMin {
                alpha,
                beta,
                standardise,
            } => mean_min::mean_min_standardised(
                children,
                weights,
                *alpha,
                *beta,
                *standardise,
                ctx,
                out,
            ),
            Self::Custom { name } => Err(Error::UnknownCode {
                kind: "custom aggregator",
                code: name.clone(),
                context: format!(
                    "aggregation of {:?} (register it with the pipeline)",
                    ctx.node
                ),
            }),
        }
    }
}
