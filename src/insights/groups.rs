//! Ranks within groups: "2nd among lower-middle-income economies".
//!
//! Within each group (the units sharing a label of a group column such as
//! income group or region), units are ranked by descending score, ties sharing
//! the best (minimum) rank, as [`Results::ranks`] does over all units. Units
//! without a score or without a group label get no group rank and do not count
//! in their group's size.

use std::collections::HashMap;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::results::Results;
use crate::stats;

use super::node_scores;

/// A unit's rank within its group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupRank {
    /// The group label (e.g. `"Lower middle income"`).
    pub group: String,
    /// Rank within the group (1 = best).
    pub rank: u32,
    /// Number of units of the group with a score.
    pub of: usize,
}

impl GroupRank {
    /// A sentence fragment such as `"2nd of 35 among lower-middle-income economies"`,
    /// with the caller's phrase for the group.
    pub fn describe(&self, among: &str) -> String {
        format!("{} of {} among {among}", ordinal(self.rank), self.of)
    }
}

/// English ordinal of a positive number: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st...
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Ranks of `scores` within the groups given by `groups` (one label per unit,
/// `None` = no group); see the [module docs](self).
///
/// # Errors
/// [`Error::DimensionMismatch`] when the slices differ in length.
pub fn ranks_within_groups(
    scores: &[f64],
    groups: &[Option<String>],
) -> Result<Vec<Option<GroupRank>>> {
    if scores.len() != groups.len() {
        return Err(Error::DimensionMismatch {
            what: "group labels (one per unit)".into(),
            expected: scores.len(),
            found: groups.len(),
        });
    }
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(g) = g
            && !scores[i].is_nan()
        {
            members.entry(g.as_str()).or_default().push(i);
        }
    }
    let mut out = vec![None; scores.len()];
    for (g, idx) in members {
        let sub: Vec<f64> = idx.iter().map(|&i| scores[i]).collect();
        for (&i, r) in idx.iter().zip(stats::rank_desc(&sub)) {
            if let Some(rank) = r {
                out[i] = Some(GroupRank {
                    group: g.to_owned(),
                    rank,
                    of: idx.len(),
                });
            }
        }
    }
    Ok(out)
}

/// Ranks within groups of one node's scores, with the groups of a column of the
/// input data set. Returns `(unit code, group rank)` for every unit of the
/// results, in their order.
///
/// # Errors
/// [`Error::UnknownCode`] for a node not in the final data set or a group
/// column not in `data`; [`Error::DimensionMismatch`] if `results` does not
/// come from `data`.
pub fn group_ranks(
    results: &Results,
    data: &Dataset,
    node: &str,
    group_column: &str,
) -> Result<Vec<(String, Option<GroupRank>)>> {
    let scores = node_scores(results, node, "group ranks")?;
    let group = data.group(group_column).ok_or_else(|| Error::UnknownCode {
        kind: "group column",
        code: group_column.into(),
        context: "the data set (group ranks)".into(),
    })?;
    let rows = &results.last().units;
    let labels = rows
        .iter()
        .map(|&r| {
            group
                .values
                .get(r)
                .cloned()
                .ok_or(Error::DimensionMismatch {
                    what: "units of the results against the data set".into(),
                    expected: data.n_units(),
                    found: r + 1,
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let ranks = ranks_within_groups(scores, &labels)?;
    Ok(results.unit_codes().iter().cloned().zip(ranks).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
    }

    #[test]
    fn ranks_by_group_with_ties_and_missing() {
        let g = |s: &str| Some(s.to_string());
        let scores = [50.0, 70.0, 60.0, 70.0, f64::NAN, 10.0];
        let groups = [g("a"), g("a"), g("b"), g("a"), g("a"), None];
        let r = ranks_within_groups(&scores, &groups).unwrap();
        let rank = |i: usize| r[i].as_ref().map(|x| (x.rank, x.of));
        assert_eq!(rank(0), Some((3, 3)));
        assert_eq!(rank(1), Some((1, 3)));
        assert_eq!(rank(3), Some((1, 3)));
        assert_eq!(rank(2), Some((1, 1)));
        assert_eq!(rank(4), None);
        assert_eq!(rank(5), None);
        assert_eq!(
            r[0].as_ref().unwrap().describe("group a units"),
            "3rd of 3 among group a units"
        );
        assert!(ranks_within_groups(&scores, &groups[..2]).is_err());
    }
}
