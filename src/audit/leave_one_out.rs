//! Leave-one-out: how ranks change when an indicator or an aggregate is removed.
//!
//! For each node `k` removed, the whole pipeline is re-run on a framework without
//! `k` (and, for an aggregate, without its subtree), the rest of the specification
//! unchanged, and the ranks of the target (the index by default) are compared unit
//! by unit: `shift_u = rank_u(without k) - rank_u(nominal)` (positive: the unit
//! falls), summarised by the mean and maximum of `|shift_u|`. The siblings of `k`
//! share its weight, since weights are relative among siblings.
//!
//! Reference: OECD/JRC *Handbook* (2008), step 7 (robustness and sensitivity),
//! where excluding one indicator at a time is one of the tests of robustness; the
//! JRC statistical audits of the GII report such rank shifts.

use super::{Grouped, Outcome, in_subtree, node_index};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::stats;

/// Ranks of the target without one node, against the nominal ranks.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RankShift {
    /// Ranks without the node, aligned with [`LeaveOneOut::units`] (`None`: missing
    /// score, or unit screened out in this run).
    pub ranks: Vec<Option<u32>>,
    /// `rank without - nominal rank` per unit (`None` where either is missing).
    pub shifts: Vec<Option<i64>>,
    /// Mean of `|shift|` over the units with both ranks (`None` if there are none).
    pub mean_abs_shift: Option<f64>,
    /// Largest `|shift|` (`None` if no unit has both ranks).
    pub max_abs_shift: Option<u64>,
}

/// Leave-one-out rank changes.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LeaveOneOut {
    /// The node whose ranks are compared.
    pub target: String,
    /// Units of the nominal run.
    pub units: Vec<String>,
    /// Nominal ranks of the target (descending scores, ties at the minimum rank).
    pub nominal_ranks: Vec<Option<u32>>,
    /// One entry per node removed, in the order asked; a removal that cannot be made
    /// (the root, the target or one of its ancestors, a node whose parent it would
    /// leave empty, a run that fails) is [`Outcome::Skipped`] with the reason.
    pub removals: Vec<Grouped<RankShift>>,
}

/// The pipeline without `node` (and its subtree): framework, weight sets and the
/// steps' per-indicator and per-node overrides cleaned of the removed codes.
///
/// A denominate step whose explicit denominator map names only removed
/// indicators is dropped (an empty map would otherwise mean "use the framework's
/// denominators"). Custom normalisers or aggregators registered with
/// [`Pipeline::builder`] are not carried over: a pipeline using one fails with
/// [`Error::UnknownCode`].
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown node; [`Error::InvalidParameter`] for the
/// root; [`Error::DegenerateColumn`] when `node` is its parent's only child (the
/// parent would become an indicator without data: remove the parent instead); any
/// error of [`Pipeline::new`] on the reduced specification.
pub fn leave_out(pipeline: &Pipeline, node: &str) -> Result<Pipeline> {
    let fw = pipeline.framework();
    let k = node_index(fw, node, "leave_out")?;
    let Some(parent) = fw.parent(k) else {
        return Err(Error::invalid(
            "leave_out",
            "node",
            Some(node),
            "the root (the index itself) cannot be left out",
        ));
    };
    if fw.children(parent).len() < 2 {
        return Err(Error::degenerate(
            node,
            "leave_out",
            format!(
                "it is the only child of {:?}, which would be left empty; leave out {:?} instead",
                fw.code(parent),
                fw.code(parent)
            ),
        ));
    }
    let removed: std::collections::HashSet<&str> = (0..fw.len())
        .filter(|&i| in_subtree(fw, i, k))
        .map(|i| fw.code(i))
        .collect();
    let new_spec = pipeline.spec().without(&removed);
    Pipeline::new(new_spec, pipeline.data().clone())
}

/// Rank changes of `target` (default: the index) when each of `nodes` is left out
/// in turn (see [`leave_out`]); pass the codes of a level, e.g.
/// `framework.nodes_at_level(2)`, to leave out each pillar. Units are matched by
/// code, so a unit screened out in one run has no rank there.
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown node or target, or a target without scores
/// in the final data set; any error of the nominal run. Problems with single
/// removals are reported in [`LeaveOneOut::removals`], not as errors.
pub fn leave_one_out<S: AsRef<str>>(
    pipeline: &Pipeline,
    nodes: &[S],
    target: Option<&str>,
) -> Result<LeaveOneOut> {
    let fw = pipeline.framework();
    let target = target.unwrap_or(fw.code(fw.root()));
    let t = node_index(fw, target, "leave_one_out target")?;
    let idx = nodes
        .iter()
        .map(|n| node_index(fw, n.as_ref(), "leave_one_out"))
        .collect::<Result<Vec<_>>>()?;
    let nominal = pipeline.run()?;
    let scores = nominal.scores(target).ok_or_else(|| Error::UnknownCode {
        kind: "node",
        code: target.into(),
        context: "the final data set of the pipeline (is there an aggregation step?)".into(),
    })?;
    let nominal_ranks = stats::rank_desc(scores);
    let units = nominal.unit_codes().to_vec();
    let removals = idx
        .iter()
        .map(|&k| {
            let code = fw.code(k);
            let outcome = if in_subtree(fw, t, k) {
                Outcome::Skipped {
                    reason: format!("{code:?} is the target {target:?} or one of its ancestors"),
                }
            } else {
                Outcome::from_result(shift(pipeline, code, target, &units, &nominal_ranks))
            };
            Grouped {
                node: code.to_owned(),
                level: fw.level(k),
                outcome,
            }
        })
        .collect();
    Ok(LeaveOneOut {
        target: target.to_owned(),
        units,
        nominal_ranks,
        removals,
    })
}

fn shift(
    pipeline: &Pipeline,
    node: &str,
    target: &str,
    units: &[String],
    nominal: &[Option<u32>],
) -> Result<RankShift> {
    let res = leave_out(pipeline, node)?.run()?;
    let scores = res.scores(target).ok_or_else(|| Error::UnknownCode {
        kind: "node",
        code: target.into(),
        context: format!("the final data set without {node:?}"),
    })?;
    let new = stats::rank_desc(scores);
    let pos: std::collections::HashMap<&str, usize> = res
        .unit_codes()
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    let ranks: Vec<Option<u32>> = units
        .iter()
        .map(|u| pos.get(u.as_str()).and_then(|&i| new[i]))
        .collect();
    let shifts: Vec<Option<i64>> = ranks
        .iter()
        .zip(nominal)
        .map(|(a, b)| Some(i64::from((*a)?) - i64::from((*b)?)))
        .collect();
    let abs: Vec<u64> = shifts.iter().flatten().map(|s| s.unsigned_abs()).collect();
    Ok(RankShift {
        mean_abs_shift: (!abs.is_empty())
            .then(|| abs.iter().sum::<u64>() as f64 / abs.len() as f64),
        max_abs_shift: abs.iter().copied().max(),
        ranks,
        shifts,
    })
}
