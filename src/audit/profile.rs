//! Unit profiles: scores and ranks at every level, strengths and weaknesses
//! (COINr `get_unit_summary` and `get_str_weak`; the GII's economy profiles).
//!
//! A node's rank for a unit is its rank among all units of the data on that node:
//! descending scores, ties at the minimum rank, missing scores unranked
//! ([`stats::rank_desc`]). *Strengths* are the unit's `n` nodes of a chosen level
//! with the best (smallest) ranks, *weaknesses* the `n` with the worst, ties broken
//! by framework order; a node is not both. Ranks assume that higher is better, as
//! in the normalised and aggregated data sets, where directions have been applied;
//! on earlier data sets set [`ProfileOptions::use_directions`] to rank indicators
//! by `direction * value`.

use super::{DataView, check_level};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::stats;

/// Options of [`unit_profile`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProfileOptions {
    /// Level whose nodes are candidates for strengths and weaknesses (default 1,
    /// the indicators).
    pub level: u32,
    /// Number of strengths and of weaknesses (default 5).
    pub n: usize,
    /// Rank indicators by `direction * value` (for data sets before
    /// normalisation; default false).
    pub use_directions: bool,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        Self {
            level: 1,
            n: 5,
            use_directions: false,
        }
    }
}

/// A unit's score and rank on one node.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NodeScore {
    /// Node code.
    pub code: String,
    /// Node name.
    pub name: String,
    /// Level (1 = indicator).
    pub level: u32,
    /// The unit's score (`None` if missing).
    pub score: Option<f64>,
    /// The unit's rank among the units (`None` if its score is missing).
    pub rank: Option<u32>,
    /// Number of units with a score on this node.
    pub n_ranked: usize,
}

/// The profile of one unit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnitProfile {
    /// Unit code.
    pub unit: String,
    /// Scores and ranks on every framework node present in the data, from the root
    /// down, level by level, framework order within a level.
    pub nodes: Vec<NodeScore>,
    /// The best-ranked nodes of the chosen level, best first.
    pub strengths: Vec<NodeScore>,
    /// The worst-ranked nodes of the chosen level, worst first.
    pub weaknesses: Vec<NodeScore>,
}

/// Ranks of every framework node present in `data`, per node: (node, scores, ranks).
struct Ranked {
    nodes: Vec<(usize, Vec<f64>, Vec<Option<u32>>)>,
}

fn rank_all(data: &DataView<'_>, fw: &Framework, use_directions: bool) -> Result<Ranked> {
    let mut nodes = Vec::new();
    for level in (1..=fw.n_levels()).rev() {
        for &i in fw.nodes_at_level(level) {
            let Ok(x) = data.column(fw.code(i)) else {
                continue;
            };
            let dir = if use_directions && level == 1 {
                fw.node(i).direction
            } else {
                1.0
            };
            let ranks = stats::rank_desc(&x.iter().map(|v| v * dir).collect::<Vec<_>>());
            nodes.push((i, x.to_vec(), ranks));
        }
    }
    if nodes.is_empty() {
        return Err(Error::UnknownCode {
            kind: "node",
            code: fw.code(fw.root()).into(),
            context: "unit profiles: no framework node is a column of the data".into(),
        });
    }
    Ok(Ranked { nodes })
}

fn profile_of(
    fw: &Framework,
    ranked: &Ranked,
    unit: &str,
    u: usize,
    opt: &ProfileOptions,
) -> UnitProfile {
    let nodes: Vec<NodeScore> = ranked
        .nodes
        .iter()
        .map(|(i, x, r)| NodeScore {
            code: fw.code(*i).to_owned(),
            name: fw.name(*i).to_owned(),
            level: fw.level(*i),
            score: (!x[u].is_nan()).then_some(x[u]),
            rank: r[u],
            n_ranked: r.iter().flatten().count(),
        })
        .collect();
    let mut candidates: Vec<&NodeScore> = nodes
        .iter()
        .filter(|s| s.level == opt.level && s.rank.is_some())
        .collect();
    // Framework order within the level, then by rank (stable sort keeps framework order on ties).
    candidates.sort_by_key(|s| s.rank);
    let strengths: Vec<NodeScore> = candidates.iter().take(opt.n).map(|&s| s.clone()).collect();
    let weaknesses: Vec<NodeScore> = candidates
        .iter()
        .skip(strengths.len())
        .rev()
        .take(opt.n)
        .map(|&s| s.clone())
        .collect();
    UnitProfile {
        unit: unit.to_owned(),
        nodes,
        strengths,
        weaknesses,
    }
}

/// The profile of one unit. See the [module docs](self). Nodes absent from `data`
/// are left out (use the aggregated data set for every level).
///
/// # Errors
/// [`Error::UnknownCode`] for a unit absent from `data` or when no framework node is
/// a column of `data`; [`Error::InvalidParameter`] for a level that does not exist.
pub fn unit_profile<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    unit: &str,
    options: &ProfileOptions,
) -> Result<UnitProfile> {
    let data = data.into();
    check_level(framework, options.level, "unit_profile")?;
    let u = data
        .units()
        .iter()
        .position(|c| c == unit)
        .ok_or_else(|| Error::UnknownCode {
            kind: "unit",
            code: unit.into(),
            context: "unit_profile".into(),
        })?;
    let ranked = rank_all(&data, framework, options.use_directions)?;
    Ok(profile_of(framework, &ranked, unit, u, options))
}

/// Profiles of every unit of `data`, in row order (ranks computed once).
///
/// # Errors
/// As [`unit_profile`].
pub fn unit_profiles<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    options: &ProfileOptions,
) -> Result<Vec<UnitProfile>> {
    let data = data.into();
    check_level(framework, options.level, "unit_profiles")?;
    let ranked = rank_all(&data, framework, options.use_directions)?;
    Ok(data
        .units()
        .iter()
        .enumerate()
        .map(|(u, code)| profile_of(framework, &ranked, code, u, options))
        .collect())
}
