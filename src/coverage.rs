//! Data-coverage rules: which units have enough data to be ranked.
//!
//! The GII includes an economy only when its data cover enough of the
//! framework: "at least 66% of the indicators in each sub-index and at least
//! two of the three sub-pillars in each pillar" (WIPO, GII technical notes of
//! the editions up to 2020; the thresholds are not restated for 2023-2025, so
//! they are parameters here, with these defaults). The rule is generic: any
//! level can carry the share rule and any level the children rule.
//!
//! # The rule, exactly
//!
//! Coverage is judged on the **raw** data (the input
//! [`Dataset`], before any pipeline step), so that it
//! does not depend on the method:
//!
//! 1. indicator `i` is *available* for unit `u` when `x_ui` is not missing;
//! 2. an aggregate node is *available* for `u` when at least one indicator
//!    below it is available (this is exactly when its arithmetic-mean score
//!    can be computed, missing children being skipped);
//! 3. **share rule**: for every node `N` at `share_level`,
//!    `share_u(N) = #{available indicators below N} / #{indicators below N}`;
//!    `u` falls short at `N` when `share_u(N) < min_share`;
//! 4. **children rule**: for every node `P` at `children_level`, `u` falls
//!    short at `P` when fewer than `min(min_children, #children of P)` of
//!    `P`'s children are available;
//! 5. `u` *meets* the rule when it falls short nowhere.
//!
//! A unit that falls short is flagged in the [`CoverageReport`]; with
//! `exclude = true` the pipeline also leaves it out before computing the index
//! (the GII's practice; see the shipped GII specifications,
//! [`instances::gii`](crate::instances::gii)).
//!
//! # Example
//!
//! ```
//! use composite_index::coverage::{CoverageRule, Shortfall, coverage};
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![
//!         ("a".into(), vec![1.0, 2.0, f64::NAN]),
//!         ("b".into(), vec![4.0, f64::NAN, f64::NAN]),
//!         ("c".into(), vec![7.0, 8.0, 9.0]),
//!     ],
//! )?;
//! // Index -> P1 (a, b) and P2 (c).
//! let tree = [("Index", None), ("P1", Some("Index")), ("P2", Some("Index")),
//!              ("a", Some("P1")), ("b", Some("P1")), ("c", Some("P2"))];
//! let nodes = tree.iter().map(|&(code, parent)| NodeSpec::new(code, parent)).collect();
//! let framework = Framework::new(FrameworkSpec::new(nodes), None)?;
//! // The GII's thresholds on this 3-level tree: 66% of the indicators below the
//! // index (level 3); 2 available children in each pillar (level 2), or all of
//! // them when a pillar has fewer.
//! let rule = CoverageRule {
//!     share_level: 3,
//!     children_level: 2,
//!     ..CoverageRule::gii()
//! };
//! let report = coverage(&framework, &data, &rule)?;
//! assert_eq!(report.meets("A"), Some(true));
//! // B has 2 of 3 indicators (67%), but only 1 of P1's 2 children.
//! let b = report.unit("B").unwrap();
//! assert_eq!(b.shares, vec![("Index".to_string(), 2.0 / 3.0)]);
//! let p1 = Shortfall::Children { node: "P1".into(), available: 1, required: 2 };
//! assert_eq!(b.shortfalls, [p1]);
//! // C falls short on both rules.
//! assert_eq!(report.unit("C").unwrap().shortfalls.len(), 2);
//! assert_eq!(report.below(), ["B", "C"]);
//! # Ok(())
//! # }
//! ```

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::Framework;

/// Thresholds of a coverage rule; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct CoverageRule {
    /// Level of the nodes carrying the share rule (GII: 4, the sub-indices).
    pub share_level: u32,
    /// Minimum share of available indicators below each node of `share_level`,
    /// in [0, 1] (GII: 0.66); `None` disables the share rule.
    pub min_share: Option<f64>,
    /// Level of the nodes carrying the children rule (GII: 3, the pillars).
    pub children_level: u32,
    /// Minimum number of available children of each node of `children_level`
    /// (GII: 2 of 3 sub-pillars); `None` disables the children rule.
    pub min_children: Option<usize>,
    /// Leave the units that fall short out of the computation (the GII's
    /// practice, so that they do not enter min-max ranges either); default
    /// `false`: compute every unit and flag those that fall short.
    #[cfg_attr(feature = "serde", serde(default))]
    pub exclude: bool,
}

impl CoverageRule {
    /// The GII's rule with its published defaults: 66% of the indicators of each
    /// sub-index (level 4), 2 available sub-pillars in each pillar (level 3).
    #[must_use]
    pub fn gii() -> Self {
        Self {
            share_level: 4,
            min_share: Some(0.66),
            children_level: 3,
            min_children: Some(2),
            exclude: false,
        }
    }

    /// A rule that every unit meets.
    #[must_use]
    pub fn none() -> Self {
        Self {
            min_share: None,
            min_children: None,
            ..Self::gii()
        }
    }

    /// Sets the minimum share of the share rule.
    #[must_use]
    pub fn with_min_share(mut self, share: Option<f64>) -> Self {
        self.min_share = share;
        self
    }

    /// Sets the minimum number of available children of the children rule.
    #[must_use]
    pub fn with_min_children(mut self, n: Option<usize>) -> Self {
        self.min_children = n;
        self
    }

    /// Sets whether units that fall short are left out of the computation.
    #[must_use]
    pub fn with_exclude(mut self, exclude: bool) -> Self {
        self.exclude = exclude;
        self
    }

    /// Checks the rule against a framework.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a share outside [0, 1] or a level that is
    /// not an aggregate level of the framework (2 to the root's level).
    pub fn validate(&self, framework: &Framework) -> Result<()> {
        let top = framework.n_levels();
        if let Some(s) = self.min_share {
            if !(0.0..=1.0).contains(&s) {
                return Err(Error::invalid(
                    "coverage",
                    "min_share",
                    None,
                    format!("{s} is outside [0, 1]"),
                ));
            }
            if !(2..=top).contains(&self.share_level) {
                return Err(Error::invalid(
                    "coverage",
                    "share_level",
                    None,
                    format!(
                        "level {} is not an aggregate level (2 to {top})",
                        self.share_level
                    ),
                ));
            }
        }
        if self.min_children.is_some() && !(2..=top).contains(&self.children_level) {
            return Err(Error::invalid(
                "coverage",
                "children_level",
                None,
                format!(
                    "level {} is not an aggregate level (2 to {top})",
                    self.children_level
                ),
            ));
        }
        Ok(())
    }
}

impl Default for CoverageRule {
    /// [`CoverageRule::gii`].
    fn default() -> Self {
        Self::gii()
    }
}

/// Why a unit falls short of the coverage rule at one node.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Shortfall {
    /// Too small a share of available indicators below `node`.
    Share {
        /// The node (e.g. a sub-index).
        node: String,
        /// The unit's share of available indicators.
        share: f64,
        /// The minimum required.
        required: f64,
    },
    /// Too few available children of `node`.
    Children {
        /// The node (e.g. a pillar).
        node: String,
        /// Children available.
        available: usize,
        /// Children required.
        required: usize,
    },
}

impl std::fmt::Display for Shortfall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Share {
                node,
                share,
                required,
            } => write!(
                f,
                "{node}: {:.0}% of indicators available, {:.0}% required",
                share * 100.0,
                required * 100.0
            ),
            Self::Children {
                node,
                available,
                required,
            } => write!(
                f,
                "{node}: {available} component(s) available, {required} required"
            ),
        }
    }
}

/// Coverage of one unit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitCoverage {
    /// Unit code.
    pub unit: String,
    /// Share of available indicators below each node of the share level
    /// `(node, share)`, in framework order.
    pub shares: Vec<(String, f64)>,
    /// Available children of each node of the children level
    /// `(node, available, total)`, in framework order.
    pub children: Vec<(String, usize, usize)>,
    /// Where the unit falls short (empty when it meets the rule).
    pub shortfalls: Vec<Shortfall>,
}

impl UnitCoverage {
    /// Whether the unit meets the rule.
    pub fn meets(&self) -> bool {
        self.shortfalls.is_empty()
    }
}

/// Whether a unit meets a coverage rule, as far as the report knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CoverageStatus {
    /// The unit meets the rule.
    Meets,
    /// The unit falls short somewhere (see its [`UnitCoverage::shortfalls`]).
    Below,
    /// The report has no entry for the unit, so nothing is known.
    Unknown,
}

impl CoverageStatus {
    /// Whether the unit is known to meet the rule.
    pub fn meets(self) -> bool {
        self == Self::Meets
    }
}

impl std::fmt::Display for CoverageStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Meets => "meets coverage",
            Self::Below => "below coverage",
            Self::Unknown => "coverage unknown",
        })
    }
}

/// Coverage of every unit of a data set under one rule.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoverageReport {
    /// The rule applied.
    pub rule: CoverageRule,
    /// One entry per unit, in data order.
    pub units: Vec<UnitCoverage>,
}

impl CoverageReport {
    /// The coverage of one unit.
    pub fn unit(&self, code: &str) -> Option<&UnitCoverage> {
        self.units.iter().find(|u| u.unit == code)
    }

    /// Whether a unit meets the rule (`None` for an unknown unit).
    pub fn meets(&self, code: &str) -> Option<bool> {
        self.unit(code).map(UnitCoverage::meets)
    }

    /// The coverage status of a unit: [`CoverageStatus::Unknown`] for a unit the
    /// report does not cover, never taken for "meets".
    pub fn status(&self, code: &str) -> CoverageStatus {
        match self.meets(code) {
            Some(true) => CoverageStatus::Meets,
            Some(false) => CoverageStatus::Below,
            None => CoverageStatus::Unknown,
        }
    }

    /// Codes of the units that fall short, in data order.
    pub fn below(&self) -> Vec<String> {
        self.units
            .iter()
            .filter(|u| !u.meets())
            .map(|u| u.unit.clone())
            .collect()
    }
}

/// Applies a coverage rule to the raw data; see the [module docs](self).
///
/// # Errors
/// [`Error::InvalidParameter`] from [`CoverageRule::validate`];
/// [`Error::UnknownCode`] for an indicator of the framework absent from the data.
pub fn coverage(
    framework: &Framework,
    data: &Dataset,
    rule: &CoverageRule,
) -> Result<CoverageReport> {
    rule.validate(framework)?;
    let n = framework.len();
    // Data column of each indicator node.
    let mut column = vec![usize::MAX; n];
    for &i in framework.indicators() {
        column[i] = data
            .indicator_index(framework.code(i))
            .ok_or_else(|| Error::UnknownCode {
                kind: "indicator",
                code: framework.code(i).to_owned(),
                context: "the data set (coverage check)".into(),
            })?;
    }
    // Indicators below each node.
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &i in framework.indicators() {
        below[i].push(i);
        for a in framework.ancestors(i) {
            below[a].push(i);
        }
    }
    let share_nodes: &[usize] = if rule.min_share.is_some() {
        framework.nodes_at_level(rule.share_level)
    } else {
        &[]
    };
    let child_nodes: &[usize] = if rule.min_children.is_some() {
        framework.nodes_at_level(rule.children_level)
    } else {
        &[]
    };
    let values = data.values();
    let mut units = Vec::with_capacity(data.n_units());
    for (u, code) in data.unit_codes().iter().enumerate() {
        let present = |i: usize| !values[(u, column[i])].is_nan();
        let available = |node: usize| below[node].iter().any(|&i| present(i));
        let mut uc = UnitCoverage {
            unit: code.clone(),
            shares: Vec::new(),
            children: Vec::new(),
            shortfalls: Vec::new(),
        };
        if let Some(min) = rule.min_share {
            for &node in share_nodes {
                let total = below[node].len();
                let have = below[node].iter().filter(|&&i| present(i)).count();
                let share = have as f64 / total as f64;
                uc.shares.push((framework.code(node).to_owned(), share));
                if share < min {
                    uc.shortfalls.push(Shortfall::Share {
                        node: framework.code(node).to_owned(),
                        share,
                        required: min,
                    });
                }
            }
        }
        if let Some(min) = rule.min_children {
            for &node in child_nodes {
                let kids = framework.children(node);
                let have = kids.iter().filter(|&&c| available(c)).count();
                let required = min.min(kids.len());
                uc.children
                    .push((framework.code(node).to_owned(), have, kids.len()));
                if have < required {
                    uc.shortfalls.push(Shortfall::Children {
                        node: framework.code(node).to_owned(),
                        available: have,
                        required,
                    });
                }
            }
        }
        units.push(uc);
    }
    Ok(CoverageReport {
        rule: rule.clone(),
        units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{FrameworkSpec, NodeSpec};

    fn tree() -> Framework {
        // Index(5) > S(4) > P(3) > {a, b, c}(2) > leaves(1)
        let mut nodes = vec![
            NodeSpec::new("I", None),
            NodeSpec::new("S", Some("I")),
            NodeSpec::new("P", Some("S")),
        ];
        for sp in ["a", "b", "c"] {
            nodes.push(NodeSpec::new(sp, Some("P")));
            nodes.push(NodeSpec::new(format!("{sp}1"), Some(sp)));
            nodes.push(NodeSpec::new(format!("{sp}2"), Some(sp)));
        }
        Framework::new(FrameworkSpec::new(nodes), None).unwrap()
    }

    #[test]
    fn share_and_children_rules() {
        let fw = tree();
        let nan = f64::NAN;
        let cols = |v: [f64; 3]| -> Vec<f64> { v.to_vec() };
        let data = Dataset::from_columns(
            vec!["u1".into(), "u2".into(), "u3".into()],
            vec![
                ("a1".into(), cols([1.0, 1.0, nan])),
                ("a2".into(), cols([1.0, nan, nan])),
                ("b1".into(), cols([1.0, 1.0, nan])),
                ("b2".into(), cols([1.0, 1.0, nan])),
                ("c1".into(), cols([1.0, nan, 1.0])),
                ("c2".into(), cols([1.0, nan, 1.0])),
            ],
        )
        .unwrap();
        let r = coverage(&fw, &data, &CoverageRule::gii()).unwrap();
        assert!(r.meets("u1").unwrap());
        // u2: 3/6 = 50% < 66%; sub-pillars a, b available: 2 of 3 is enough.
        let u2 = r.unit("u2").unwrap();
        assert_eq!(u2.shares, vec![("S".to_string(), 0.5)]);
        assert_eq!(u2.children, vec![("P".to_string(), 2, 3)]);
        assert_eq!(u2.shortfalls.len(), 1);
        // u3: 2/6 and only sub-pillar c.
        assert_eq!(r.unit("u3").unwrap().shortfalls.len(), 2);
        assert_eq!(r.below(), vec!["u2", "u3"]);
        // Disabled rules: everybody meets.
        let r = coverage(&fw, &data, &CoverageRule::none()).unwrap();
        assert!(r.below().is_empty());
        // Bad parameters.
        let bad = CoverageRule::gii().with_min_share(Some(1.5));
        assert!(coverage(&fw, &data, &bad).is_err());
        let bad = CoverageRule {
            children_level: 9,
            ..CoverageRule::gii()
        };
        assert!(coverage(&fw, &data, &bad).is_err());
    }
}
