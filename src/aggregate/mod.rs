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
//!
//! The built-in methods form the serde enum [`AggregateMethod`]; any other method
//! can be plugged in by implementing [`Aggregator`] and registering it with the
//! pipeline (see [`AggregateMethod::Custom`]).
//!
//! References: OECD/JRC (2008), *Handbook on Constructing Composite Indicators*,
//! section 6; Munda and Nardo (2009), *Noncompensatory/nonlinear composite
//! indicators for ranking countries*, Applied Economics 41(12) (Copeland rule).

pub mod copeland;
pub mod means;

use std::fmt::Debug;

use crate::error::{Error, Result};

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
    /// A method registered with the pipeline under `name` (an [`Aggregator`]).
    Custom {
        /// The registered name.
        name: String,
    },
}

#[cfg(feature = "serde")]
crate::shorthand::string_or_table!(AggregateMethod, "method");

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
            Self::Custom { name } => name,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a generalised mean whose `p` is zero or not finite.
    pub fn validate(&self, target: Option<&str>) -> Result<()> {
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
