//! Strengths and weaknesses of a unit: the components on which it does far
//! better or far worse than on its others.
//!
//! Scores are first turned into **percentile ranks** per node, over the units
//! with a score: `p = #{units with a strictly lower score} / (n - 1)` (Excel's
//! `PERCENTRANK.INC`; 1 for the best, 0 for the worst, ties sharing a value;
//! `p = 1` when `n = 1`). Two rules are available ([`StrengthRule`]):
//!
//! - **WIPO's rule** ([`StrengthRule::TopK`], GII 2023 report, appendix on the
//!   economy profiles): the cut-off is the unit's `k`-th highest indicator
//!   percentile rank (`k = 10`); its strengths are the indicators, and the other
//!   nodes given (sub-pillars, pillars), whose percentile rank is at least that
//!   cut-off, plus every indicator on which it ranks within the top
//!   `auto_rank` (3); ties can give more than `k` strengths. Weaknesses are
//!   defined in the same way from the `k`-th lowest indicator percentile rank,
//!   leaving out nodes that are already strengths.
//! - **Relative to the overall rank** ([`StrengthRule::RelativeToOverall`]): a
//!   node is a strength when its percentile rank exceeds the unit's
//!   percentile rank on the index by at least `margin`, a weakness when it
//!   falls short of it by at least `margin`.
//!
//! WIPO does not signal strengths on pillars and sub-pillars below its data
//! coverage minimum; filter the result with a
//! [`CoverageReport`](crate::coverage::CoverageReport) if needed.

use crate::error::{Error, Result};
use crate::results::Results;
use crate::stats;

use super::node_scores;

/// Percentile ranks of scores (NaN = missing gets `None`); see the [module docs](self).
pub fn percentile_ranks(scores: &[f64]) -> Vec<Option<f64>> {
    let mut sorted: Vec<f64> = stats::present(scores).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    scores
        .iter()
        .map(|&v| {
            if v.is_nan() {
                return None;
            }
            if n <= 1 {
                return Some(1.0);
            }
            let below = sorted.partition_point(|&x| x < v);
            Some(below as f64 / (n - 1) as f64)
        })
        .collect()
}

/// How strengths and weaknesses are chosen; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum StrengthRule {
    /// WIPO's rule: the `k` best and worst indicator percentile ranks of the
    /// unit set the cut-offs; an indicator ranked `auto_rank` or better is
    /// always a strength.
    TopK {
        /// Number of indicators setting each cut-off (WIPO: 10).
        k: usize,
        /// Ranks up to this one are always strengths (WIPO: 3; 0 disables).
        auto_rank: u32,
    },
    /// Percentile rank at least `margin` above (strength) or below (weakness)
    /// the unit's percentile rank on the index.
    RelativeToOverall {
        /// Margin in percentile-rank units, in (0, 1].
        margin: f64,
    },
}

impl StrengthRule {
    /// WIPO's rule: `TopK { k: 10, auto_rank: 3 }`.
    pub fn gii() -> Self {
        Self::TopK {
            k: 10,
            auto_rank: 3,
        }
    }
}

impl Default for StrengthRule {
    /// [`StrengthRule::gii`].
    fn default() -> Self {
        Self::gii()
    }
}

/// One node signalled as a strength or a weakness.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Signal {
    /// Node code.
    pub node: String,
    /// The unit's score on it.
    pub score: f64,
    /// The unit's rank on it.
    pub rank: u32,
    /// Number of units with a score on it.
    pub of: usize,
    /// The unit's percentile rank on it.
    pub percentile: f64,
}

/// Strengths and weaknesses of one unit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StrengthsWeaknesses {
    /// Unit code.
    pub unit: String,
    /// The unit's percentile rank on the overall index (`None` without a score).
    pub overall_percentile: Option<f64>,
    /// Strengths, best percentile first.
    pub strengths: Vec<Signal>,
    /// Weaknesses, worst percentile first.
    pub weaknesses: Vec<Signal>,
}

/// Strengths and weaknesses of `unit`: `indicators` set the cut-offs of WIPO's
/// rule, `others` (sub-pillars, pillars) are judged against them too; `overall`
/// is the index node. See the [module docs](self).
///
/// # Errors
/// [`Error::UnknownCode`] for a unit not in the results or a node not in the
/// final data set; [`Error::InvalidParameter`] for `k = 0` or a margin outside (0, 1].
pub fn strengths_weaknesses(
    results: &Results,
    unit: &str,
    overall: &str,
    indicators: &[String],
    others: &[String],
    rule: &StrengthRule,
) -> Result<StrengthsWeaknesses> {
    match *rule {
        StrengthRule::TopK { k: 0, .. } => {
            return Err(Error::invalid(
                "strengths",
                "k",
                None,
                "k must be at least 1",
            ));
        }
        StrengthRule::RelativeToOverall { margin } if !(margin > 0.0 && margin <= 1.0) => {
            return Err(Error::invalid(
                "strengths",
                "margin",
                None,
                format!("{margin} is outside (0, 1]"),
            ));
        }
        _ => {}
    }
    let u = results
        .unit_codes()
        .iter()
        .position(|c| c == unit)
        .ok_or_else(|| Error::UnknownCode {
            kind: "unit",
            code: unit.into(),
            context: "the results (strengths and weaknesses)".into(),
        })?;
    let signal = |node: &String| -> Result<Option<Signal>> {
        let s = node_scores(results, node, "strengths and weaknesses")?;
        let p = percentile_ranks(s)[u];
        let r = stats::rank_desc(s)[u];
        Ok(match (p, r) {
            (Some(percentile), Some(rank)) => Some(Signal {
                node: node.clone(),
                score: s[u],
                rank,
                of: stats::count(s),
                percentile,
            }),
            _ => None,
        })
    };
    let ind: Vec<Signal> = indicators
        .iter()
        .map(signal)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let oth: Vec<Signal> = others
        .iter()
        .map(signal)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let overall_percentile = percentile_ranks(node_scores(results, overall, "strengths")?)[u];
    let mut strengths = Vec::new();
    let mut weaknesses = Vec::new();
    match *rule {
        StrengthRule::TopK { k, auto_rank } => {
            let mut ps: Vec<f64> = ind.iter().map(|s| s.percentile).collect();
            ps.sort_by(|a, b| b.total_cmp(a));
            if let (Some(&hi), Some(&lo)) = (
                ps.get(k - 1).or(ps.last()),
                ps.get(ps.len().saturating_sub(k)).or(ps.first()),
            ) {
                for s in &ind {
                    if s.percentile >= hi || s.rank <= auto_rank {
                        strengths.push(s.clone());
                    } else if s.percentile <= lo {
                        weaknesses.push(s.clone());
                    }
                }
                for s in &oth {
                    if s.percentile >= hi {
                        strengths.push(s.clone());
                    } else if s.percentile <= lo {
                        weaknesses.push(s.clone());
                    }
                }
            }
        }
        StrengthRule::RelativeToOverall { margin } => {
            if let Some(o) = overall_percentile {
                for s in ind.iter().chain(&oth) {
                    if s.percentile - o >= margin {
                        strengths.push(s.clone());
                    } else if o - s.percentile >= margin {
                        weaknesses.push(s.clone());
                    }
                }
            }
        }
    }
    strengths.sort_by(|a, b| b.percentile.total_cmp(&a.percentile));
    weaknesses.sort_by(|a, b| a.percentile.total_cmp(&b.percentile));
    Ok(StrengthsWeaknesses {
        unit: unit.into(),
        overall_percentile,
        strengths,
        weaknesses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_ranks_with_ties() {
        let p = percentile_ranks(&[10.0, 30.0, 20.0, 30.0, f64::NAN]);
        assert_eq!(
            p,
            vec![
                Some(0.0),
                Some(2.0 / 3.0),
                Some(1.0 / 3.0),
                Some(2.0 / 3.0),
                None
            ]
        );
        assert_eq!(percentile_ranks(&[5.0]), vec![Some(1.0)]);
    }
}
