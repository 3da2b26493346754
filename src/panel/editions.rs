//! Scores and ranks of every unit at every node, edition by edition: what
//! comparisons across editions work on.
//!
//! An [`Edition`] is filled from a computed run ([`Edition::from_results`]) or
//! from published figures ([`Edition::published`], then
//! [`Edition::set_rank`]): a publication gives a rank for some units only, out
//! of a known number of units ranked, so ranks are stored as given and not
//! recomputed from scores. [`Editions`] holds several editions in time order
//! with the [`UnitMapping`] that links units across changes.

use std::collections::HashMap;

use super::run::PanelResults;
use super::units::UnitMapping;
use crate::data::{Dataset, GroupColumn, NumericColumn};
use crate::error::{Error, Result};
use crate::framework::FrameworkSpec;
use crate::results::Results;
use crate::stats;

/// One edition's units, with their scores and ranks at each node.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    time: f64,
    label: Option<String>,
    units: Vec<String>,
    names: Vec<String>,
    lookup: HashMap<String, usize>,
    groups: Vec<GroupColumn>,
    covariates: Vec<NumericColumn>,
    nodes: Vec<String>,
    scores: Vec<Vec<f64>>,
    ranks: Vec<Vec<Option<u32>>>,
    units_ranked: Option<usize>,
    framework: Option<FrameworkSpec>,
}

impl Edition {
    /// An edition with no unit yet, for published figures: `units_ranked` is the
    /// number of units the publication ranks (when the table holds only some).
    pub fn published(time: f64, units_ranked: Option<usize>) -> Self {
        Self {
            time,
            label: None,
            units: Vec::new(),
            names: Vec::new(),
            lookup: HashMap::new(),
            groups: Vec::new(),
            covariates: Vec::new(),
            nodes: Vec::new(),
            scores: Vec::new(),
            ranks: Vec::new(),
            units_ranked,
            framework: None,
        }
    }

    /// The edition of a computed run: every node of the final data set, with
    /// ranks by descending score (ties share the best rank); names, group
    /// columns and numeric columns (denominators, for development fits) from
    /// `data`.
    pub fn from_results(time: f64, results: &Results, data: &Dataset) -> Self {
        let last = results.last();
        let units = last.unit_codes.to_vec();
        let names = last
            .units
            .iter()
            .map(|&r| data.unit_names().get(r).cloned().unwrap_or_default())
            .collect();
        let pick = |v: &[f64]| {
            last.units
                .iter()
                .map(|&r| v.get(r).copied().unwrap_or(f64::NAN))
                .collect::<Vec<f64>>()
        };
        let groups = data
            .groups()
            .iter()
            .map(|g| GroupColumn {
                name: g.name.clone(),
                values: last
                    .units
                    .iter()
                    .map(|&r| g.values.get(r).cloned().flatten())
                    .collect(),
            })
            .collect();
        let covariates = data
            .denominators()
            .iter()
            .map(|c| NumericColumn {
                name: c.name.clone(),
                values: pick(&c.values),
            })
            .collect();
        let mut e = Self::published(time, None);
        e.lookup = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.clone(), i))
            .collect();
        e.units = units;
        e.names = names;
        e.groups = groups;
        e.covariates = covariates;
        for code in results.node_codes() {
            if let Some(s) = results.scores(code) {
                e.nodes.push(code.clone());
                e.ranks.push(stats::rank_desc(s));
                e.scores.push(s.to_vec());
            }
        }
        e
    }

    /// Sets a label (`"GII 2025"`).
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the edition's framework (for framework-change reports).
    #[must_use]
    pub fn with_framework(mut self, framework: FrameworkSpec) -> Self {
        self.framework = Some(framework);
        self
    }

    /// Adds a group column (one label per unit, in unit order).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length.
    pub fn with_group(
        mut self,
        name: impl Into<String>,
        values: Vec<Option<String>>,
    ) -> Result<Self> {
        if values.len() != self.units.len() {
            return Err(Error::DimensionMismatch {
                what: "group column of an edition".into(),
                expected: self.units.len(),
                found: values.len(),
            });
        }
        self.groups.push(GroupColumn {
            name: name.into(),
            values,
        });
        Ok(self)
    }

    fn unit_row(&mut self, unit: &str, name: &str) -> usize {
        if let Some(&i) = self.lookup.get(unit) {
            return i;
        }
        let i = self.units.len();
        self.units.push(unit.to_owned());
        self.names.push(name.to_owned());
        self.lookup.insert(unit.to_owned(), i);
        for s in &mut self.scores {
            s.push(f64::NAN);
        }
        for r in &mut self.ranks {
            r.push(None);
        }
        for g in &mut self.groups {
            g.values.push(None);
        }
        for c in &mut self.covariates {
            c.values.push(f64::NAN);
        }
        i
    }

    fn node_column(&mut self, node: &str) -> usize {
        if let Some(k) = self.nodes.iter().position(|n| n == node) {
            return k;
        }
        self.nodes.push(node.to_owned());
        self.scores.push(vec![f64::NAN; self.units.len()]);
        self.ranks.push(vec![None; self.units.len()]);
        self.nodes.len() - 1
    }

    /// Records a published rank (and score) of a unit at a node, adding the unit
    /// (with its name) and the node as needed.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a rank of 0, a rank beyond the number of
    /// units ranked, or a non-finite score.
    pub fn set_rank(
        &mut self,
        unit: &str,
        name: &str,
        node: &str,
        rank: u32,
        score: Option<f64>,
    ) -> Result<()> {
        if rank == 0 || self.units_ranked.is_some_and(|n| rank as usize > n) {
            return Err(Error::invalid(
                "edition",
                "rank",
                Some(unit),
                format!(
                    "rank {rank} of {node:?} in {} is outside 1..={}",
                    self.time,
                    self.units_ranked.map_or("?".into(), |n| n.to_string())
                ),
            ));
        }
        if let Some(s) = score
            && !s.is_finite()
        {
            return Err(Error::invalid(
                "edition",
                "score",
                Some(unit),
                format!("{s} is not finite"),
            ));
        }
        let i = self.unit_row(unit, name);
        let k = self.node_column(node);
        self.ranks[k][i] = Some(rank);
        self.scores[k][i] = score.unwrap_or(f64::NAN);
        Ok(())
    }

    /// The edition's time.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// Its label, or the time.
    pub fn label(&self) -> String {
        self.label.clone().unwrap_or_else(|| self.time.to_string())
    }

    /// Unit codes.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// Whether the edition has this unit.
    pub fn has_unit(&self, unit: &str) -> bool {
        self.lookup.contains_key(unit)
    }

    /// A unit's name (its code when unknown).
    pub fn name<'a>(&'a self, unit: &'a str) -> &'a str {
        self.lookup
            .get(unit)
            .map(|&i| self.names[i].as_str())
            .filter(|n| !n.is_empty())
            .unwrap_or(unit)
    }

    /// Nodes with scores or ranks.
    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    /// The framework, when known.
    pub fn framework(&self) -> Option<&FrameworkSpec> {
        self.framework.as_ref()
    }

    /// A unit's rank at a node.
    pub fn rank(&self, unit: &str, node: &str) -> Option<u32> {
        let k = self.nodes.iter().position(|n| n == node)?;
        self.lookup.get(unit).and_then(|&i| self.ranks[k][i])
    }

    /// A unit's score at a node.
    pub fn score(&self, unit: &str, node: &str) -> Option<f64> {
        let k = self.nodes.iter().position(|n| n == node)?;
        self.lookup
            .get(unit)
            .map(|&i| self.scores[k][i])
            .filter(|v| !v.is_nan())
    }

    /// The number of units ranked at a node: the published count, or the
    /// number of ranks held.
    pub fn units_ranked(&self, node: &str) -> usize {
        self.units_ranked.unwrap_or_else(|| {
            self.nodes
                .iter()
                .position(|n| n == node)
                .map_or(0, |k| self.ranks[k].iter().flatten().count())
        })
    }

    /// Whether the edition holds fewer ranks at `node` than the units it ranked
    /// (a published table listing only some units).
    pub fn is_partial(&self, node: &str) -> bool {
        let held = self
            .nodes
            .iter()
            .position(|n| n == node)
            .map_or(0, |k| self.ranks[k].iter().flatten().count());
        self.units_ranked.is_some_and(|n| held < n)
    }

    /// A unit's label in a group column.
    pub fn group(&self, column: &str, unit: &str) -> Option<&str> {
        let g = self.groups.iter().find(|g| g.name == column)?;
        self.lookup.get(unit).and_then(|&i| g.values[i].as_deref())
    }

    /// A numeric column (denominator) by name, one value per unit.
    pub fn covariate(&self, name: &str) -> Option<&[f64]> {
        self.covariates
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.values.as_slice())
    }

    /// The scores of a node, one per unit (NaN = none).
    pub fn scores(&self, node: &str) -> Option<&[f64]> {
        self.nodes
            .iter()
            .position(|n| n == node)
            .map(|k| self.scores[k].as_slice())
    }
}

/// Several editions in time order and the unit changes between them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Editions {
    editions: Vec<Edition>,
    mapping: UnitMapping,
}

impl Editions {
    /// Editions in any order.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for two editions with the same time.
    pub fn new(mut editions: Vec<Edition>) -> Result<Self> {
        editions.sort_by(|a, b| a.time.total_cmp(&b.time));
        if let Some(w) = editions.windows(2).find(|w| w[0].time == w[1].time) {
            return Err(Error::invalid(
                "editions",
                "time",
                None,
                format!("two editions for {}", w[0].time),
            ));
        }
        Ok(Self {
            editions,
            mapping: UnitMapping::default(),
        })
    }

    /// The editions of a panel run, with each edition's framework.
    pub fn from_panel(results: &PanelResults) -> Self {
        let editions = results
            .editions()
            .zip(results.panel().editions())
            .zip(results.frameworks())
            .map(|(((t, r), (_, d)), f)| Edition::from_results(t, r, d).with_framework(f.clone()))
            .collect();
        Self {
            editions,
            mapping: UnitMapping::default(),
        }
    }

    /// Sets the unit changes between editions.
    #[must_use]
    pub fn with_mapping(mut self, mapping: UnitMapping) -> Self {
        self.mapping = mapping;
        self
    }

    /// The unit changes.
    pub fn mapping(&self) -> &UnitMapping {
        &self.mapping
    }

    /// The editions, in time order.
    pub fn editions(&self) -> &[Edition] {
        &self.editions
    }

    /// The editions' times.
    pub fn times(&self) -> Vec<f64> {
        self.editions.iter().map(|e| e.time).collect()
    }

    /// One edition.
    pub fn edition(&self, time: f64) -> Option<&Edition> {
        self.editions.iter().find(|e| e.time == time)
    }

    /// One edition, or an error naming the editions there are.
    pub(crate) fn get(&self, time: f64) -> Result<&Edition> {
        self.edition(time).ok_or_else(|| Error::UnknownCode {
            kind: "edition",
            code: time.to_string(),
            context: format!(
                "the editions ({})",
                self.times()
                    .iter()
                    .map(f64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }
}
