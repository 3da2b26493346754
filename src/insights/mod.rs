//! What index publications report beyond the score, for any index.
//!
//! The GII and PII reports do not stop at a ranking. They say where a unit
//! stands within its group ("2nd among lower-middle-income economies": see
//! [`groups`]), how many components it leads ("Ha Noi leads 18 of 52
//! indicators": [`leads`](mod@leads)), how it performs relative to its level of
//! development (the GII's "innovation overperformers": [`development`]), which
//! indicators are its strengths and weaknesses ([`strengths`]), and, for a
//! reproduction of a published index, how far the recomputed scores are from
//! the published ones ([`reproduction`]). [`profiles`] gathers all of it for
//! each unit, as the GII's and PII's economy profiles do.
//!
//! Every function works on [`Results`] of any pipeline (or on
//! plain slices) and knows nothing about a particular index.
//!
//! # Example
//!
//! ```
//! use composite_index::insights::{group_ranks, leads, nodes_at_level};
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into(), "D".into()],
//!     vec![("x".into(), vec![1.0, 2.0, 3.0, 5.0]), ("y".into(), vec![50.0, 10.0, 20.0, 40.0])],
//! )?
//! .with_group("income", ["High", "Low", "High", "Low"].map(|g| Some(g.to_string())).to_vec())?;
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("x", Some("Index")),
//!     NodeSpec::new("y", Some("Index")),
//! ]);
//! let steps = vec![
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::default()),
//! ];
//! let pipeline = Pipeline::new(IndexSpec::new(framework, steps), data)?;
//! let results = pipeline.run()?;
//! // Index: A 50, B 12.5, C 37.5, D 87.5.
//! let by_income = group_ranks(&results, pipeline.data(), "Index", "income")?;
//! let (unit, rank) = &by_income[2];
//! assert_eq!(unit, "C");
//! let rank = rank.as_ref().unwrap();
//! assert_eq!(rank.describe("high-income units"), "2nd of 2 among high-income units");
//! let led = leads(&results, &nodes_at_level(pipeline.framework(), 1))?;
//! assert_eq!(led.describe("D", "indicators"), "leads 1 of 2 indicators");
//! assert_eq!(led.led_by("A"), ["y"]);
//! # Ok(())
//! # }
//! ```

pub mod development;
pub mod groups;
pub mod leads;
pub mod profiles;
pub mod reproduction;
pub mod strengths;

pub use development::{
    CovariateTransform, DevelopmentFit, DevelopmentOptions, Performance, UnitPerformance,
    fit_development, relative_to_development,
};
pub use groups::{GroupRank, group_ranks, ordinal, ranks_within_groups};
pub use leads::{Leads, leads, nodes_at_level};
pub use profiles::{
    DevelopmentCovariate, DevelopmentStanding, EconomyProfile, EconomyProfileOptions,
    GroupStanding, SignalKind, Standing, economy_profiles,
};
pub use reproduction::{
    Discrepancy, LevelReproduction, PublishedScores, PublishedValue, ReproductionReport,
    reproduction_report,
};
pub use strengths::{
    Signal, StrengthRule, StrengthsWeaknesses, percentile_ranks, strengths_weaknesses,
};

use crate::error::{Error, Result};
use crate::results::Results;

/// Scores of a node in the final data set, or an [`Error::UnknownCode`] naming `context`.
pub(crate) fn node_scores<'a>(
    results: &'a Results,
    node: &str,
    context: &str,
) -> Result<&'a [f64]> {
    results.scores(node).ok_or_else(|| Error::UnknownCode {
        kind: "node",
        code: node.into(),
        context: format!("{context} (not in the final data set)"),
    })
}
