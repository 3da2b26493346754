//! What changed in the framework between two editions, and on which basis
//! two editions are compared.
//!
//! Indicator codes are reused across editions for different indicators (GII
//! 2025's 5.1.2 is 2024's 5.1.5; 2024's 5.1.2 was dropped), so a code alone does
//! not identify an indicator. Two indicators of two editions are matched when:
//!
//! 1. an explicit mapping says so (`old code -> new code`);
//! 2. they have the same code and the same name (or a name is unknown);
//! 3. they have the same name under different codes ("renumbered"; reported).
//!
//! The same code under a different name is *not* matched ("code kept, name
//! changed"): it may be a renamed indicator or a different one, so it is listed
//! for the user to map explicitly. Names are compared after trimming and
//! ignoring case.

use std::collections::{BTreeMap, HashMap};

use crate::framework::FrameworkSpec;

/// One indicator-level difference between two frameworks.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "change", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum IndicatorChange {
    /// Only in the later edition.
    Added {
        /// Code.
        code: String,
        /// Name.
        name: String,
    },
    /// Only in the earlier edition.
    Removed {
        /// Code.
        code: String,
        /// Name.
        name: String,
    },
    /// The same name under a new code (matched).
    Renumbered {
        /// Code before.
        old: String,
        /// Code after.
        new: String,
        /// Name.
        name: String,
    },
    /// The same code under a new name (not matched unless mapped).
    Renamed {
        /// Code.
        code: String,
        /// Name before.
        old_name: String,
        /// Name after.
        new_name: String,
    },
    /// Matched by an explicit mapping.
    Mapped {
        /// Code before.
        old: String,
        /// Code after.
        new: String,
    },
    /// A matched indicator under another parent.
    Moved {
        /// Code after.
        code: String,
        /// Parent before.
        old_parent: String,
        /// Parent after.
        new_parent: String,
    },
    /// A matched indicator with another direction.
    Redirected {
        /// Code after.
        code: String,
        /// Direction before.
        old: f64,
        /// Direction after.
        new: f64,
    },
    /// A matched indicator with another weight.
    Reweighted {
        /// Code after.
        code: String,
        /// Weight before.
        old: f64,
        /// Weight after.
        new: f64,
    },
}

/// The differences between the frameworks of two editions and the indicators
/// they have in common.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FrameworkChanges {
    /// The earlier edition.
    pub from: f64,
    /// The later edition.
    pub to: f64,
    /// Matched indicators: `(code before, code after)`, in the later framework's order.
    pub common: Vec<(String, String)>,
    /// Every difference found.
    pub changes: Vec<IndicatorChange>,
    /// Aggregate codes only in the later framework.
    pub aggregates_added: Vec<String>,
    /// Aggregate codes only in the earlier framework.
    pub aggregates_removed: Vec<String>,
}

fn norm(name: &str) -> String {
    name.trim().to_lowercase()
}

/// `(code, name, parent, direction, weight)` of the leaves of a framework.
fn leaves(f: &FrameworkSpec) -> Vec<(&str, Option<&str>, &str, f64, f64)> {
    let parents: std::collections::HashSet<&str> =
        f.nodes.iter().filter_map(|n| n.parent.as_deref()).collect();
    f.nodes
        .iter()
        .filter(|n| !parents.contains(n.code.as_str()))
        .map(|n| {
            (
                n.code.as_str(),
                n.name.as_deref(),
                n.parent.as_deref().unwrap_or(""),
                n.direction,
                n.weight,
            )
        })
        .collect()
}

fn aggregates(f: &FrameworkSpec) -> Vec<&str> {
    let parents: std::collections::HashSet<&str> =
        f.nodes.iter().filter_map(|n| n.parent.as_deref()).collect();
    f.nodes
        .iter()
        .filter(|n| parents.contains(n.code.as_str()))
        .map(|n| n.code.as_str())
        .collect()
}

impl FrameworkChanges {
    /// Compares the framework of edition `from` with that of edition `to`;
    /// `mapping` lists explicit `(old code, new code)` matches. See the [module
    /// docs](self) for the matching rules.
    pub fn between(
        from: f64,
        old: &FrameworkSpec,
        to: f64,
        new: &FrameworkSpec,
        mapping: &[(String, String)],
    ) -> Self {
        let (lo, ln) = (leaves(old), leaves(new));
        let old_by_code: HashMap<&str, usize> =
            lo.iter().enumerate().map(|(i, l)| (l.0, i)).collect();
        let mut old_by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, l) in lo.iter().enumerate() {
            if let Some(n) = l.1 {
                old_by_name.entry(norm(n)).or_default().push(i);
            }
        }
        let explicit: BTreeMap<&str, &str> = mapping
            .iter()
            .map(|(a, b)| (b.as_str(), a.as_str()))
            .collect();
        let mut used = vec![false; lo.len()];
        let mut out = Self {
            from,
            to,
            ..Self::default()
        };
        let mut pairs: Vec<Option<usize>> = vec![None; ln.len()];
        // 1. explicit, 2. code and name, then 3. name under another code.
        for (k, l) in ln.iter().enumerate() {
            if let Some(&o) = explicit.get(l.0)
                && let Some(&i) = old_by_code.get(o)
                && !used[i]
            {
                used[i] = true;
                pairs[k] = Some(i);
                out.changes.push(IndicatorChange::Mapped {
                    old: o.to_owned(),
                    new: l.0.to_owned(),
                });
            }
        }
        for (k, l) in ln.iter().enumerate() {
            if pairs[k].is_some() {
                continue;
            }
            if let Some(&i) = old_by_code.get(l.0)
                && !used[i]
            {
                match (lo[i].1, l.1) {
                    (Some(a), Some(b)) if norm(a) != norm(b) => {}
                    _ => {
                        used[i] = true;
                        pairs[k] = Some(i);
                    }
                }
            }
        }
        for (k, l) in ln.iter().enumerate() {
            if pairs[k].is_some() {
                continue;
            }
            if let Some(name) = l.1
                && let Some(cands) = old_by_name.get(&norm(name))
                && let Some(&i) = cands.iter().find(|&&i| !used[i])
            {
                used[i] = true;
                pairs[k] = Some(i);
                out.changes.push(IndicatorChange::Renumbered {
                    old: lo[i].0.to_owned(),
                    new: l.0.to_owned(),
                    name: name.to_owned(),
                });
            }
        }
        for (k, l) in ln.iter().enumerate() {
            match pairs[k] {
                Some(i) => {
                    let o = &lo[i];
                    out.common.push((o.0.to_owned(), l.0.to_owned()));
                    if o.2 != l.2 {
                        out.changes.push(IndicatorChange::Moved {
                            code: l.0.to_owned(),
                            old_parent: o.2.to_owned(),
                            new_parent: l.2.to_owned(),
                        });
                    }
                    if o.3 != l.3 {
                        out.changes.push(IndicatorChange::Redirected {
                            code: l.0.to_owned(),
                            old: o.3,
                            new: l.3,
                        });
                    }
                    if o.4 != l.4 {
                        out.changes.push(IndicatorChange::Reweighted {
                            code: l.0.to_owned(),
                            old: o.4,
                            new: l.4,
                        });
                    }
                }
                None => match old_by_code.get(l.0).map(|&i| &lo[i]) {
                    Some(o) if !used[old_by_code[l.0]] => {
                        out.changes.push(IndicatorChange::Renamed {
                            code: l.0.to_owned(),
                            old_name: o.1.unwrap_or("").to_owned(),
                            new_name: l.1.unwrap_or("").to_owned(),
                        })
                    }
                    _ => out.changes.push(IndicatorChange::Added {
                        code: l.0.to_owned(),
                        name: l.1.unwrap_or("").to_owned(),
                    }),
                },
            }
        }
        for (i, o) in lo.iter().enumerate() {
            let renamed = out
                .changes
                .iter()
                .any(|c| matches!(c, IndicatorChange::Renamed { code, .. } if code == o.0));
            if !used[i] && !renamed {
                out.changes.push(IndicatorChange::Removed {
                    code: o.0.to_owned(),
                    name: o.1.unwrap_or("").to_owned(),
                });
            }
        }
        let (ao, an) = (aggregates(old), aggregates(new));
        out.aggregates_added = an
            .iter()
            .filter(|c| !ao.contains(c))
            .map(|c| (*c).to_owned())
            .collect();
        out.aggregates_removed = ao
            .iter()
            .filter(|c| !an.contains(c))
            .map(|c| (*c).to_owned())
            .collect();
        out
    }

    /// Whether the two frameworks have the same indicators, tree, directions
    /// and weights.
    pub fn is_empty(&self) -> bool {
        self.changes
            .iter()
            .all(|c| matches!(c, IndicatorChange::Mapped { .. }))
            && self.aggregates_added.is_empty()
            && self.aggregates_removed.is_empty()
    }

    fn count(&self, f: impl Fn(&IndicatorChange) -> bool) -> usize {
        self.changes.iter().filter(|c| f(c)).count()
    }

    /// One sentence: what changed, with counts.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return format!(
                "the framework did not change between {} and {}",
                self.from, self.to
            );
        }
        let mut parts = Vec::new();
        let mut say = |n: usize, what: &str| {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        };
        say(
            self.count(|c| matches!(c, IndicatorChange::Added { .. })),
            "indicator(s) added",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Removed { .. })),
            "removed",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Renumbered { .. })),
            "renumbered",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Renamed { .. })),
            "with a code kept but a new name (not compared unless mapped)",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Moved { .. })),
            "moved to another parent",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Redirected { .. })),
            "with a new direction",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Reweighted { .. })),
            "reweighted",
        );
        say(
            self.count(|c| matches!(c, IndicatorChange::Mapped { .. })),
            "matched by the mapping given",
        );
        say(self.aggregates_added.len(), "aggregate(s) added");
        say(self.aggregates_removed.len(), "aggregate(s) removed");
        format!(
            "between {} and {} the framework changed: {}; {} indicators in common",
            self.from,
            self.to,
            parts.join(", "),
            self.common.len()
        )
    }
}

/// On which frameworks two editions are compared; stated in every comparison.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "basis", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum FrameworkBasis {
    /// Each edition on its own framework, as published: a rank is a rank of its
    /// year. `changes` is `None` when a framework is not known.
    OwnFrameworks {
        /// What changed, when both frameworks are known.
        changes: Option<FrameworkChanges>,
    },
    /// Both editions recomputed on the indicators they have in common.
    CommonIndicators {
        /// What changed, and the indicators kept.
        changes: FrameworkChanges,
    },
}

impl FrameworkBasis {
    /// The sentence every comparison output carries.
    pub fn describe(&self) -> String {
        match self {
            Self::OwnFrameworks { changes: None } => {
                "compared on each edition's own framework, as published (a rank is a rank of its year); the frameworks are not both known, so their changes are not reported".into()
            }
            Self::OwnFrameworks { changes: Some(c) } => format!(
                "compared on each edition's own framework, as published (a rank is a rank of its year); {}",
                c.summary()
            ),
            Self::CommonIndicators { changes } => format!(
                "both editions recomputed on the {} indicators they have in common; {}",
                changes.common.len(),
                changes.summary()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::NodeSpec;

    fn fw(leaves: &[(&str, &str, &str)]) -> FrameworkSpec {
        let mut nodes = vec![
            NodeSpec::new("I", None),
            NodeSpec::new("P1", Some("I")),
            NodeSpec::new("P2", Some("I")),
        ];
        for (c, n, p) in leaves {
            nodes.push(NodeSpec::new(*c, Some(p)).name(*n));
        }
        FrameworkSpec::new(nodes)
    }

    #[test]
    fn reused_codes_are_not_matched_and_renumbered_names_are() {
        let old = fw(&[
            ("1.1", "Alpha", "P1"),
            ("1.2", "Training", "P1"),
            ("1.3", "Females", "P1"),
            ("2.1", "Gov's service", "P2"),
            ("2.2", "Dropped", "P2"),
        ]);
        let new = fw(&[
            ("1.1", "alpha ", "P1"),
            ("1.2", "Females", "P1"),
            ("1.3", "Youth", "P2"),
            ("2.1", "Gov service", "P2"),
        ]);
        let c = FrameworkChanges::between(2024.0, &old, 2025.0, &new, &[]);
        assert_eq!(
            c.common,
            vec![
                ("1.1".to_string(), "1.1".to_string()),
                ("1.3".to_string(), "1.2".to_string())
            ]
        );
        assert!(c.changes.contains(&IndicatorChange::Renumbered {
            old: "1.3".into(),
            new: "1.2".into(),
            name: "Females".into()
        }));
        assert!(
            c.changes
                .iter()
                .any(|x| matches!(x, IndicatorChange::Renamed { code, .. } if code == "2.1"))
        );
        assert!(
            c.changes
                .iter()
                .any(|x| matches!(x, IndicatorChange::Removed { code, .. } if code == "2.2"))
        );
        assert!(
            c.changes
                .iter()
                .any(|x| matches!(x, IndicatorChange::Removed { code, .. } if code == "1.2"))
        );
        assert!(
            c.changes
                .iter()
                .any(|x| matches!(x, IndicatorChange::Added { code, .. } if code == "1.3"))
        );
        assert!(
            c.summary().contains("2 indicators in common"),
            "{}",
            c.summary()
        );
        // An explicit mapping matches the renamed indicator.
        let m =
            FrameworkChanges::between(2024.0, &old, 2025.0, &new, &[("2.1".into(), "2.1".into())]);
        assert_eq!(m.common.len(), 3);
        assert!(FrameworkChanges::between(1.0, &old, 2.0, &old, &[]).is_empty());
        let basis = FrameworkBasis::OwnFrameworks { changes: Some(c) };
        assert!(
            basis
                .describe()
                .starts_with("compared on each edition's own framework")
        );
    }
}
