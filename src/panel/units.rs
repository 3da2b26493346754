//! Units that change between editions: explicit old-to-new mappings.
//!
//! A unit is the same unit in two editions when it has the same code and no
//! mapping says otherwise. When units merge, split or are recoded (the PII's 63
//! provinces became 34 in 2025), a [`UnitMapping`] says so: each
//! [`UnitChange`] reads "from edition `edition` on, `old` is part of `new`". An
//! explicit mapping is the only way units with different codes are linked, and
//! a unit formed by a merger is never silently matched with a predecessor that
//! kept its code: every comparison across the change is flagged. Units are
//! never matched by name.

use std::collections::BTreeSet;

use crate::error::{Error, Result};

/// From edition `edition` on, unit `old` of the earlier editions is (part of)
/// unit `new`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitChange {
    /// The first edition with the new units.
    pub edition: f64,
    /// Code of the unit before.
    pub old: String,
    /// Code of the unit after.
    pub new: String,
}

/// How a unit of a later edition relates to the units of an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Link {
    /// The same unit (same code, no change, or an explicit one-to-one mapping
    /// onto the same code).
    Same,
    /// One unit under another code.
    Recoded {
        /// Its code in the earlier edition.
        from: String,
    },
    /// Several earlier units merged into this one.
    Merged {
        /// The earlier units.
        from: Vec<String>,
    },
    /// Part of an earlier unit that was split.
    Split {
        /// The earlier unit.
        from: String,
    },
}

/// A set of unit changes; see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitMapping {
    changes: Vec<UnitChange>,
}

impl UnitMapping {
    /// A mapping from its changes.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an empty code, a non-finite edition or the
    /// same change twice.
    pub fn new(changes: Vec<UnitChange>) -> Result<Self> {
        let mut seen = BTreeSet::new();
        for c in &changes {
            if c.old.trim().is_empty() || c.new.trim().is_empty() || !c.edition.is_finite() {
                return Err(Error::invalid(
                    "unit mapping",
                    "change",
                    None,
                    format!(
                        "{:?} -> {:?} at {}: codes must be non-empty and the edition finite",
                        c.old, c.new, c.edition
                    ),
                ));
            }
            if !seen.insert((c.edition.to_bits(), c.old.clone(), c.new.clone())) {
                return Err(Error::invalid(
                    "unit mapping",
                    "change",
                    None,
                    format!("{} -> {} at {} is listed twice", c.old, c.new, c.edition),
                ));
            }
        }
        Ok(Self { changes })
    }

    /// The changes.
    pub fn changes(&self) -> &[UnitChange] {
        &self.changes
    }

    /// Whether there is no change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Editions at which units change, in `(from, to]`, latest first.
    fn editions_between(&self, from: f64, to: f64) -> Vec<f64> {
        let mut e: Vec<f64> = self
            .changes
            .iter()
            .map(|c| c.edition)
            .filter(|&e| e > from && e <= to)
            .collect();
        e.sort_by(|a, b| b.total_cmp(a));
        e.dedup();
        e
    }

    /// The units of edition `from` that unit `unit` of edition `to` comes from
    /// (`from < to`), following every change in between; a unit no change names
    /// comes from itself.
    pub fn predecessors(&self, unit: &str, from: f64, to: f64) -> Vec<String> {
        let mut set: Vec<String> = vec![unit.to_owned()];
        for e in self.editions_between(from, to) {
            let mut next: Vec<String> = Vec::new();
            for u in &set {
                let olds: Vec<&String> = self
                    .changes
                    .iter()
                    .filter(|c| c.edition == e && c.new == *u)
                    .map(|c| &c.old)
                    .collect();
                if olds.is_empty() {
                    next.push(u.clone());
                } else {
                    next.extend(olds.into_iter().cloned());
                }
            }
            next.sort();
            next.dedup();
            set = next;
        }
        set
    }

    /// The units of edition `to` that unit `unit` of edition `from` became.
    pub fn successors(&self, unit: &str, from: f64, to: f64) -> Vec<String> {
        let mut eds = self.editions_between(from, to);
        eds.reverse();
        let mut set: Vec<String> = vec![unit.to_owned()];
        for e in eds {
            let mut next: Vec<String> = Vec::new();
            for u in &set {
                let news: Vec<&String> = self
                    .changes
                    .iter()
                    .filter(|c| c.edition == e && c.old == *u)
                    .map(|c| &c.new)
                    .collect();
                if news.is_empty() {
                    next.push(u.clone());
                } else {
                    next.extend(news.into_iter().cloned());
                }
            }
            next.sort();
            next.dedup();
            set = next;
        }
        set
    }

    /// How unit `unit` of edition `to` relates to the units of edition `from`.
    pub fn link(&self, unit: &str, from: f64, to: f64) -> Link {
        let preds = self.predecessors(unit, from, to);
        if preds.len() > 1 {
            return Link::Merged { from: preds };
        }
        let Some(p) = preds.into_iter().next() else {
            return Link::Same;
        };
        if self.successors(&p, from, to).len() > 1 {
            return Link::Split { from: p };
        }
        if p == unit {
            Link::Same
        } else {
            Link::Recoded { from: p }
        }
    }

    /// Reads a mapping from CSV with the columns `edition`, `old` and `new` (other
    /// columns are ignored).
    ///
    /// # Errors
    /// [`Error::Csv`], [`Error::MissingColumn`], [`Error::NonNumeric`] for an
    /// edition that is not a number; the errors of [`UnitMapping::new`].
    #[cfg(feature = "csv")]
    pub fn read_csv<R: std::io::Read>(reader: R, context: &str) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| crate::io::csv_error(context, e))?
            .iter()
            .map(str::to_owned)
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| Error::MissingColumn {
                    column: name.into(),
                    context: context.into(),
                })
        };
        let (ce, co, cn) = (col("edition")?, col("old")?, col("new")?);
        let mut changes = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| crate::io::csv_error(context, e))?;
            let get = |c: usize| rec.get(c).unwrap_or("").to_owned();
            let old = get(co);
            let edition = crate::io::parse_cell(&get(ce), i + 1, &old, "edition")?;
            changes.push(UnitChange {
                edition,
                old,
                new: get(cn),
            });
        }
        Self::new(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(e: f64, old: &str, new: &str) -> UnitChange {
        UnitChange {
            edition: e,
            old: old.into(),
            new: new.into(),
        }
    }

    #[test]
    fn merges_recodes_and_splits() {
        let m = UnitMapping::new(vec![
            ch(2025.0, "BNH", "BNH"),
            ch(2025.0, "BGG", "BNH"),
            ch(2025.0, "XX", "YY"),
            ch(2024.0, "S", "S1"),
            ch(2024.0, "S", "S2"),
        ])
        .unwrap();
        assert_eq!(m.predecessors("BNH", 2024.0, 2025.0), vec!["BGG", "BNH"]);
        assert_eq!(
            m.link("BNH", 2023.0, 2025.0),
            Link::Merged {
                from: vec!["BGG".into(), "BNH".into()]
            }
        );
        assert_eq!(
            m.link("YY", 2024.0, 2025.0),
            Link::Recoded { from: "XX".into() }
        );
        assert_eq!(m.link("HNI", 2023.0, 2025.0), Link::Same);
        // Before the change edition, nothing changes.
        assert_eq!(m.link("BNH", 2023.0, 2024.0), Link::Same);
        assert_eq!(m.successors("BGG", 2024.0, 2025.0), vec!["BNH"]);
        assert_eq!(
            m.link("S1", 2023.0, 2024.0),
            Link::Split { from: "S".into() }
        );
        assert!(UnitMapping::new(vec![ch(2025.0, "A", "B"), ch(2025.0, "A", "B")]).is_err());
        assert!(UnitMapping::new(vec![ch(2025.0, "", "B")]).is_err());
    }
}
