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
