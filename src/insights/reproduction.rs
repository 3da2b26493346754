//! How far a recomputed index is from a published one, level by level.
//!
//! A publisher's scores and ranks ([`PublishedScores`], e.g. the SCORE and RANK
//! columns of WIPO's GII workbook, read by `io::read_wipo_xlsx`) are
//! compared with the [`Results`] of a pipeline. For each level of the framework
//! (indicators, then each aggregate level) the [`ReproductionReport`] gives:
//!
//! - over the (unit, node) pairs with both a published and a recomputed score:
//!   the largest absolute difference `max |ours - published|`, where it occurs,
//!   and the mean absolute difference;
//! - over the pairs with both a published and a recomputed rank: how many ranks
//!   agree exactly (ranks are recomputed by [`Results::ranks`]: descending
//!   score, ties sharing the best rank, over the units of the results);
//! - the pairs published but not recomputed (the unit or the score missing on
//!   our side), which signal a difference in coverage or data.
//!
//! For indicators, the recomputed score is the normalised value in the final
//! data set (GII: the 0-100 indicator score).

use std::collections::BTreeMap;

use crate::framework::Framework;
use crate::results::Results;

/// A published score and rank of one unit on one node.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PublishedValue {
    /// The published score (`None` when not published).
    pub score: Option<f64>,
    /// The published rank (`None` when not published).
    pub rank: Option<u32>,
}

/// Published scores and ranks, by node code and unit code.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PublishedScores {
    values: BTreeMap<String, BTreeMap<String, PublishedValue>>,
}

impl PublishedScores {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the published score and rank of `unit` on `node`, returning the
    /// previous entry if any.
    pub fn insert(
        &mut self,
        node: impl Into<String>,
        unit: impl Into<String>,
        value: PublishedValue,
    ) -> Option<PublishedValue> {
        self.values
            .entry(node.into())
            .or_default()
            .insert(unit.into(), value)
    }

    /// The published value of `unit` on `node`.
    pub fn get(&self, node: &str, unit: &str) -> Option<PublishedValue> {
        self.values.get(node)?.get(unit).copied()
    }

    /// Number of (node, unit) entries.
    pub fn len(&self) -> usize {
        self.values.values().map(BTreeMap::len).sum()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether any entry has a score.
    pub fn has_scores(&self) -> bool {
        self.values
            .values()
            .flat_map(BTreeMap::values)
            .any(|v| v.score.is_some())
    }

    /// Node codes with entries.
    pub fn nodes(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// Entries of one node: `(unit, value)` by unit code.
    pub fn node(&self, node: &str) -> impl Iterator<Item = (&str, PublishedValue)> {
        self.values
            .get(node)
            .into_iter()
            .flat_map(|m| m.iter().map(|(u, v)| (u.as_str(), *v)))
    }
}

/// A (unit, node) pair whose recomputed score differs from the published one.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Discrepancy {
    /// Node code.
    pub node: String,
    /// Unit code.
    pub unit: String,
    /// Recomputed score.
    pub ours: f64,
    /// Published score.
    pub published: f64,
}

impl Discrepancy {
    /// `|ours - published|`.
    pub fn abs_diff(&self) -> f64 {
        (self.ours - self.published).abs()
    }
}

/// The comparison at one level; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LevelReproduction {
    /// Level number (1 = indicators).
    pub level: u32,
    /// Level label (`"indicator"`, `"pillar"`...).
    pub label: String,
    /// Number of (unit, node) scores compared.
    pub compared: usize,
    /// Largest absolute difference (0 when nothing was compared).
    pub max_abs_diff: f64,
    /// Mean absolute difference (0 when nothing was compared).
    pub mean_abs_diff: f64,
    /// Where the largest difference occurs (`None` when all agree exactly).
    pub worst: Option<Discrepancy>,
    /// Number of ranks compared.
    pub ranks_compared: usize,
    /// Number of ranks that agree exactly.
    pub ranks_agree: usize,
    /// Published scores without a recomputed counterpart.
    pub published_only: usize,
}

/// The comparison at every level; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReproductionReport {
    /// One entry per framework level, indicators first.
    pub levels: Vec<LevelReproduction>,
}

impl ReproductionReport {
    /// The entry of one level.
    pub fn level(&self, level: u32) -> Option<&LevelReproduction> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The largest absolute difference over all levels.
    pub fn max_abs_diff(&self) -> f64 {
        self.levels
            .iter()
            .map(|l| l.max_abs_diff)
            .fold(0.0, f64::max)
    }

    /// Whether every compared score agrees within `tol` and every compared rank agrees.
    pub fn agrees(&self, tol: f64) -> bool {
        self.levels
            .iter()
            .all(|l| l.max_abs_diff <= tol && l.ranks_agree == l.ranks_compared)
    }
}

impl std::fmt::Display for ReproductionReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<12} {:>8} {:>12} {:>12} {:>13} {:>10}",
            "level", "scores", "max |diff|", "mean |diff|", "ranks agree", "not ours"
        )?;
        for l in &self.levels {
            writeln!(
                f,
                "{:<12} {:>8} {:>12.3e} {:>12.3e} {:>6}/{:<6} {:>10}",
                l.label,
                l.compared,
                l.max_abs_diff,
                l.mean_abs_diff,
                l.ranks_agree,
                l.ranks_compared,
                l.published_only
            )?;
            if let Some(w) = &l.worst {
                writeln!(
                    f,
                    "{:<12} largest at {} / {}: ours {} vs published {}",
                    "", w.unit, w.node, w.ours, w.published
                )?;
            }
        }
        Ok(())
    }
}

/// Compares `results` with `published`, level by level; see the [module docs](self).
///
/// `framework` gives the levels (use the pipeline's); `labels[level - 1]` names a
/// level (`"level N"` when absent). Nodes of the framework without published
/// entries are skipped; published nodes not in the framework are ignored.
pub fn reproduction_report(
    results: &Results,
    framework: &Framework,
    published: &PublishedScores,
    labels: &[&str],
) -> ReproductionReport {
    let units = results.unit_codes();
    let mut levels = Vec::new();
    for level in 1..=framework.n_levels() {
        let mut l = LevelReproduction {
            level,
            label: labels
                .get(level as usize - 1)
                .map_or_else(|| format!("level {level}"), |s| (*s).to_owned()),
            compared: 0,
            max_abs_diff: 0.0,
            mean_abs_diff: 0.0,
            worst: None,
            ranks_compared: 0,
            ranks_agree: 0,
            published_only: 0,
        };
        let mut sum = 0.0;
        for &node in framework.nodes_at_level(level) {
            let code = framework.code(node);
            let scores = results.scores(code);
            let ranks = results.ranks(code);
            for (unit, pv) in published.node(code) {
                let i = units.iter().position(|u| u == unit);
                let ours = match (i, scores) {
                    (Some(i), Some(s)) if !s[i].is_nan() => Some(s[i]),
                    _ => None,
                };
                if let Some(p) = pv.score {
                    match ours {
                        Some(o) => {
                            let d = (o - p).abs();
                            l.compared += 1;
                            sum += d;
                            if d > l.max_abs_diff || (d.is_nan() && !l.max_abs_diff.is_nan()) {
                                l.max_abs_diff = d;
                                l.worst = Some(Discrepancy {
                                    node: code.to_owned(),
                                    unit: unit.to_owned(),
                                    ours: o,
                                    published: p,
                                });
                            }
                        }
                        None => l.published_only += 1,
                    }
                }
                if let (Some(pr), Some(i), Some(r)) = (pv.rank, i, ranks.as_ref())
                    && let Some(ours_rank) = r[i]
                {
                    l.ranks_compared += 1;
                    if ours_rank == pr {
                        l.ranks_agree += 1;
                    }
                }
            }
        }
        if l.compared > 0 {
            l.mean_abs_diff = sum / l.compared as f64;
        }
        if l.compared > 0 || l.ranks_compared > 0 || l.published_only > 0 {
            levels.push(l);
        }
    }
    ReproductionReport { levels }
}
