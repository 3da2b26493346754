//! Comparisons across editions at any node: rank and score changes between
//! two editions, rank histories, streaks and the biggest movers.
//!
//! A rank change is `rank(from) - rank(to)`: positive means the unit moved up
//! (METHODS 7.5). Units are the same in two editions when they have the same
//! code and the [`UnitMapping`](super::UnitMapping) says nothing else; a unit
//! formed by a merger is compared with each of its predecessors and flagged,
//! never as one number. Every comparison carries the [`FrameworkBasis`] it was
//! made on, and says it.

use super::editions::{Edition, Editions};
use super::framework_changes::{FrameworkBasis, FrameworkChanges};
use super::units::Link;
use crate::error::{Error, Result};
use crate::insights::{DevelopmentOptions, fit_development, ordinal};

/// How a unit of the later edition relates to the earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "status", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum UnitStatus {
    /// The same unit in both editions.
    Same,
    /// The same unit under a new code (flagged).
    Recoded {
        /// Its code in the earlier edition.
        from: String,
    },
    /// Formed by merging earlier units (flagged; compared with each).
    Merged {
        /// The earlier units.
        from: Vec<String>,
    },
    /// Part of an earlier unit that was split (flagged).
    Split {
        /// The earlier unit.
        from: String,
    },
    /// Not in the earlier edition.
    Entered,
    /// Not in the later edition (its row holds the earlier rank only).
    Left,
    /// Not in the other edition, whose published table lists only some of the
    /// units it ranked: absent is not the same as entered or left.
    NotReported,
}

/// A predecessor of a merged or split unit in the earlier edition.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Predecessor {
    /// Code.
    pub unit: String,
    /// Name.
    pub name: String,
    /// Rank in the earlier edition.
    pub rank: Option<u32>,
    /// Score in the earlier edition.
    pub score: Option<f64>,
}

/// One unit's ranks and scores in two editions.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RankChange {
    /// Unit code (in the later edition; in the earlier one for a unit that left).
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// Rank in the earlier edition (same or recoded units only).
    pub rank_from: Option<u32>,
    /// Rank in the later edition.
    pub rank_to: Option<u32>,
    /// Units ranked in the earlier edition.
    pub ranked_from: usize,
    /// Units ranked in the later edition.
    pub ranked_to: usize,
    /// Score in the earlier edition (same or recoded units only).
    pub score_from: Option<f64>,
    /// Score in the later edition.
    pub score_to: Option<f64>,
    /// How the unit relates to the earlier edition.
    pub status: UnitStatus,
    /// The earlier units of a merged or split unit, with their ranks.
    pub predecessors: Vec<Predecessor>,
}

impl RankChange {
    /// `rank_from - rank_to` (positive: up), for a unit comparable as one.
    pub fn change(&self) -> Option<i64> {
        match (self.rank_from, self.rank_to) {
            (Some(a), Some(b)) => Some(i64::from(a) - i64::from(b)),
            _ => None,
        }
    }

    /// `score_to - score_from`, for a unit comparable as one.
    pub fn score_change(&self) -> Option<f64> {
        Some(self.score_to? - self.score_from?)
    }

    /// Whether the comparison crosses a change of units (recode, merger, split).
    pub fn is_flagged(&self) -> bool {
        !matches!(
            self.status,
            UnitStatus::Same | UnitStatus::Entered | UnitStatus::Left | UnitStatus::NotReported
        )
    }

    /// A sentence such as "Viet Nam: 44th in 2025, up 2 places from 46th in
    /// 2023" or, for a merged unit, its rank and each predecessor's.
    pub fn describe(&self, what: &str, from: &str, to: &str) -> String {
        let rank = |r: Option<u32>, of: usize| match r {
            Some(r) => format!("{} of {of}", ordinal(r)),
            None => "not ranked".into(),
        };
        match &self.status {
            UnitStatus::Merged { .. } | UnitStatus::Split { .. } => {
                let how = if matches!(self.status, UnitStatus::Merged { .. }) {
                    "formed by merging"
                } else {
                    "split from"
                };
                let preds: Vec<String> = self
                    .predecessors
                    .iter()
                    .map(|p| format!("{} {}", p.name, rank(p.rank, self.ranked_from)))
                    .collect();
                let names: Vec<&str> = self.predecessors.iter().map(|p| p.name.as_str()).collect();
                format!(
                    "{} ({how} {} in {to}): {what} {} in {to}; in {from}: {} (flagged: a different unit)",
                    self.name,
                    names.join(" and "),
                    rank(self.rank_to, self.ranked_to),
                    preds.join(", ")
                )
            }
            UnitStatus::Entered => format!(
                "{}: {what} {} in {to}; not ranked in {from}",
                self.name,
                rank(self.rank_to, self.ranked_to)
            ),
            UnitStatus::Left => format!(
                "{}: {what} {} in {from}; not in {to}",
                self.name,
                rank(self.rank_from, self.ranked_from)
            ),
            UnitStatus::NotReported => match self.rank_to {
                Some(_) => format!(
                    "{}: {what} {} in {to}; not reported in {from}",
                    self.name,
                    rank(self.rank_to, self.ranked_to)
                ),
                None => format!(
                    "{}: {what} {} in {from}; not reported in {to}",
                    self.name,
                    rank(self.rank_from, self.ranked_from)
                ),
            },
            UnitStatus::Same | UnitStatus::Recoded { .. } => {
                let moved = match self.change() {
                    None => "no comparison".to_owned(),
                    Some(0) => format!("unchanged from {from}"),
                    Some(c) => format!(
                        "{} {} place{} from {} in {from}",
                        if c > 0 { "up" } else { "down" },
                        c.abs(),
                        if c.abs() == 1 { "" } else { "s" },
                        self.rank_from.map_or_else(|| "?".into(), ordinal)
                    ),
                };
                let flag = match &self.status {
                    UnitStatus::Recoded { from: code } => format!(" (recoded; was {code})"),
                    _ => String::new(),
                };
                format!(
                    "{}{flag}: {what} {} in {to}, {moved}",
                    self.name,
                    self.rank_to.map_or_else(|| "not ranked".into(), ordinal)
                )
            }
        }
    }
}

/// Ranks and scores of every unit at one node in two editions.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Comparison {
    /// The node.
    pub node: String,
    /// The earlier edition.
    pub from: f64,
    /// The later edition.
    pub to: f64,
    /// One row per unit of the later edition (by rank), then the units that left.
    pub rows: Vec<RankChange>,
    /// On which frameworks the ranks were computed.
    pub basis: FrameworkBasis,
}

impl Comparison {
    /// The row of a unit.
    pub fn row(&self, unit: &str) -> Option<&RankChange> {
        self.rows.iter().find(|r| r.unit == unit)
    }

    /// The sentence every comparison output carries: the framework basis.
    pub fn note(&self) -> String {
        self.basis.describe()
    }
}

/// One edition of a unit's rank history.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HistoryPoint {
    /// The edition.
    pub time: f64,
    /// Rank (none when absent or unranked).
    pub rank: Option<u32>,
    /// Score.
    pub score: Option<f64>,
    /// Units ranked that edition.
    pub units_ranked: usize,
    /// A note when the unit changed at this edition (merged, recoded...).
    pub note: Option<String>,
}

/// A condition a unit meets, edition by edition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// Ranked at or above `k` (1: first; 10: in the top 10).
    RankAtMost(u32),
    /// Score at least this.
    ScoreAtLeast(f64),
    /// Among given units in each edition (`(time, units)`), e.g. those above
    /// their development-level fit ([`Editions::above_expectation`]).
    Among {
        /// What being among them means ("above its development-level fit").
        label: String,
        /// The units of each edition.
        units: Vec<(f64, Vec<String>)>,
    },
}

impl Condition {
    fn holds(&self, e: &Edition, unit: &str, node: &str) -> bool {
        match self {
            Self::RankAtMost(k) => e.rank(unit, node).is_some_and(|r| r <= *k),
            Self::ScoreAtLeast(x) => e.score(unit, node).is_some_and(|s| s >= *x),
            Self::Among { units, .. } => units
                .iter()
                .any(|(t, us)| *t == e.time() && us.iter().any(|u| u == unit)),
        }
    }

    /// What the condition says ("first", "in the top 10", ...).
    pub fn describe(&self) -> String {
        match self {
            Self::RankAtMost(1) => "first".into(),
            Self::RankAtMost(k) => format!("in the top {k}"),
            Self::ScoreAtLeast(x) => format!("scoring at least {x}"),
            Self::Among { label, .. } => label.clone(),
        }
    }
}

/// A run of consecutive editions in which a unit meets a condition, ending at
/// a given edition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Streak {
    /// Unit code (in the last edition of the streak).
    pub unit: String,
    /// The node.
    pub node: String,
    /// The condition, described.
    pub condition: String,
    /// Number of consecutive editions.
    pub length: usize,
    /// First edition of the streak.
    pub since: f64,
    /// Last edition of the streak.
    pub until: f64,
    /// The streak continues through a recode of the unit (flagged).
    pub through_recode: bool,
    /// Why it stops before `since`, when a change of units stops it
    /// ("formed by a merger in 2025").
    pub stopped_by: Option<String>,
}

impl Streak {
    /// "first 3 editions running (2023-2025)", or "first in 2025" for a streak
    /// of one edition.
    pub fn describe(&self) -> String {
        if self.length == 1 {
            return format!("{} in {}", self.condition, self.until);
        }
        format!(
            "{} {} editions running ({}-{})",
            self.condition, self.length, self.since, self.until
        )
    }
}

/// The units that moved most between two editions, overall and within groups.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Movers {
    /// The node.
    pub node: String,
    /// The earlier edition.
    pub from: f64,
    /// The later edition.
    pub to: f64,
    /// Units that moved up, biggest rise first.
    pub climbers: Vec<RankChange>,
    /// Units that moved down, biggest fall first.
    pub fallers: Vec<RankChange>,
    /// Per group label: `(label, climbers, fallers)`.
    pub groups: Vec<(String, Vec<RankChange>, Vec<RankChange>)>,
    /// Units not comparable as one (merged, split, entered, left), left out.
    pub not_compared: Vec<RankChange>,
    /// On which frameworks the ranks were computed.
    pub basis: FrameworkBasis,
}

fn split_movers(rows: &[RankChange]) -> (Vec<RankChange>, Vec<RankChange>) {
    let mut up: Vec<RankChange> = rows
        .iter()
        .filter(|r| r.change().is_some_and(|c| c > 0))
        .cloned()
        .collect();
    let mut down: Vec<RankChange> = rows
        .iter()
        .filter(|r| r.change().is_some_and(|c| c < 0))
        .cloned()
        .collect();
    up.sort_by(|a, b| b.change().cmp(&a.change()).then(a.unit.cmp(&b.unit)));
    down.sort_by(|a, b| a.change().cmp(&b.change()).then(a.unit.cmp(&b.unit)));
    (up, down)
}

impl Editions {
    /// The basis of comparisons between two editions: each on its own
    /// framework, with the changes when both frameworks are known.
    pub fn basis(&self, from: f64, to: f64) -> FrameworkBasis {
        let changes = match (
            self.edition(from).and_then(Edition::framework),
            self.edition(to).and_then(Edition::framework),
        ) {
            (Some(a), Some(b)) => Some(FrameworkChanges::between(from, a, to, b, &[])),
            _ => None,
        };
        FrameworkBasis::OwnFrameworks { changes }
    }

    /// Ranks and scores of every unit at `node` in editions `from` and `to`.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an edition that is not there.
    pub fn compare(&self, node: &str, from: f64, to: f64) -> Result<Comparison> {
        let (a, b) = (self.get(from)?, self.get(to)?);
        let map = self.mapping();
        let mut rows = Vec::new();
        let mut order: Vec<&String> = b.units().iter().collect();
        order.sort_by_key(|u| (b.rank(u, node).unwrap_or(u32::MAX), (*u).clone()));
        for u in order {
            let mut row = RankChange {
                unit: u.clone(),
                name: b.name(u).to_owned(),
                rank_from: None,
                rank_to: b.rank(u, node),
                ranked_from: a.units_ranked(node),
                ranked_to: b.units_ranked(node),
                score_from: None,
                score_to: b.score(u, node),
                status: UnitStatus::Entered,
                predecessors: Vec::new(),
            };
            let pred = |code: &str| Predecessor {
                unit: code.to_owned(),
                name: a.name(code).to_owned(),
                rank: a.rank(code, node),
                score: a.score(code, node),
            };
            match map.link(u, from, to) {
                Link::Same if !a.has_unit(u) && a.is_partial(node) => {
                    row.status = UnitStatus::NotReported;
                }
                Link::Same if a.has_unit(u) => {
                    row.status = UnitStatus::Same;
                    row.rank_from = a.rank(u, node);
                    row.score_from = a.score(u, node);
                }
                Link::Recoded { from: p } if a.has_unit(&p) => {
                    row.rank_from = a.rank(&p, node);
                    row.score_from = a.score(&p, node);
                    row.status = UnitStatus::Recoded { from: p };
                }
                Link::Merged { from: ps } => {
                    row.predecessors = ps
                        .iter()
                        .filter(|p| a.has_unit(p))
                        .map(|p| pred(p))
                        .collect();
                    row.status = UnitStatus::Merged { from: ps };
                }
                Link::Split { from: p } => {
                    if a.has_unit(&p) {
                        row.predecessors = vec![pred(&p)];
                    }
                    row.status = UnitStatus::Split { from: p };
                }
                _ => {}
            }
            rows.push(row);
        }
        for u in a.units() {
            let gone = map.successors(u, from, to).iter().all(|s| !b.has_unit(s));
            if gone {
                let status = if b.is_partial(node) {
                    UnitStatus::NotReported
                } else {
                    UnitStatus::Left
                };
                rows.push(RankChange {
                    unit: u.clone(),
                    name: a.name(u).to_owned(),
                    rank_from: a.rank(u, node),
                    rank_to: None,
                    ranked_from: a.units_ranked(node),
                    ranked_to: b.units_ranked(node),
                    score_from: a.score(u, node),
                    score_to: None,
                    status,
                    predecessors: Vec::new(),
                });
            }
        }
        Ok(Comparison {
            node: node.to_owned(),
            from,
            to,
            rows,
            basis: self.basis(from, to),
        })
    }

    /// A unit's rank and score at `node` in every edition (by its code; a note
    /// marks the editions where the unit changed).
    pub fn history(&self, unit: &str, node: &str) -> Vec<HistoryPoint> {
        let mut out: Vec<HistoryPoint> = Vec::with_capacity(self.editions().len());
        let mut prev: Option<f64> = None;
        for e in self.editions() {
            let note = prev.and_then(|p| match self.mapping().link(unit, p, e.time()) {
                Link::Same => None,
                Link::Recoded { from } => Some(format!("recoded in {} (was {from})", e.time())),
                Link::Merged { from } => Some(format!(
                    "formed in {} by merging {}",
                    e.time(),
                    from.join(", ")
                )),
                Link::Split { from } => Some(format!("split from {from} in {}", e.time())),
            });
            out.push(HistoryPoint {
                time: e.time(),
                rank: e.rank(unit, node),
                score: e.score(unit, node),
                units_ranked: e.units_ranked(node),
                note,
            });
            prev = Some(e.time());
        }
        out
    }

    /// The streak of editions ending at `until` (default: the latest edition)
    /// in which `unit` meets `condition` at `node`. `None` when the unit does not
    /// meet it at `until`. A recode does not break a streak (it is flagged); a
    /// merger or split does, and `stopped_by` says so.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an `until` that is not an edition.
    pub fn streak(
        &self,
        unit: &str,
        node: &str,
        condition: &Condition,
        until: Option<f64>,
    ) -> Result<Option<Streak>> {
        let eds = self.editions();
        let end = match until {
            Some(t) => {
                eds.iter()
                    .position(|e| e.time() == t)
                    .ok_or_else(|| Error::UnknownCode {
                        kind: "edition",
                        code: t.to_string(),
                        context: "the editions (streak)".into(),
                    })?
            }
            None => match eds.len().checked_sub(1) {
                Some(k) => k,
                None => return Ok(None),
            },
        };
        let mut code = unit.to_owned();
        let mut length = 0;
        let mut since = eds[end].time();
        let mut through_recode = false;
        let mut stopped_by = None;
        let mut k = end;
        loop {
            let e = &eds[k];
            if !condition.holds(e, &code, node) {
                break;
            }
            length += 1;
            since = e.time();
            if k == 0 {
                break;
            }
            let prev = eds[k - 1].time();
            match self.mapping().link(&code, prev, e.time()) {
                Link::Same => {}
                Link::Recoded { from } => {
                    through_recode = true;
                    code = from;
                }
                Link::Merged { from } => {
                    stopped_by = Some(format!(
                        "formed in {} by merging {}",
                        e.time(),
                        from.join(", ")
                    ));
                    break;
                }
                Link::Split { from } => {
                    stopped_by = Some(format!("split from {from} in {}", e.time()));
                    break;
                }
            }
            k -= 1;
        }
        Ok((length > 0).then(|| Streak {
            unit: unit.to_owned(),
            node: node.to_owned(),
            condition: condition.describe(),
            length,
            since,
            until: eds[end].time(),
            through_recode,
            stopped_by,
        }))
    }

    /// The units above their development-level fit at `node` in each edition
    /// (the GII's "performing above expectations for their level of
    /// development"): per edition, the score is fitted against the numeric
    /// column `covariate` ([`fit_development`]). Editions without the column or
    /// with too few units are left out.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for bad options.
    pub fn above_expectation(
        &self,
        node: &str,
        covariate: &str,
        options: &DevelopmentOptions,
    ) -> Result<Condition> {
        let mut units = Vec::new();
        for e in self.editions() {
            let (Some(s), Some(c)) = (e.scores(node), e.covariate(covariate)) else {
                continue;
            };
            match fit_development(e.units(), s, c, covariate, options) {
                Ok(fit) => units.push((
                    e.time(),
                    fit.overperformers()
                        .iter()
                        .map(|u| u.unit.clone())
                        .collect(),
                )),
                Err(Error::DegenerateColumn { .. }) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(Condition::Among {
            label: "above its development-level fit".into(),
            units,
        })
    }

    /// The units that moved most at `node` between `from` and `to`, overall and
    /// within the groups of the group column `group` (labels of the later
    /// edition).
    ///
    /// # Errors
    /// As [`Editions::compare`].
    pub fn movers(&self, node: &str, from: f64, to: f64, group: Option<&str>) -> Result<Movers> {
        let cmp = self.compare(node, from, to)?;
        let (comparable, not_compared): (Vec<RankChange>, Vec<RankChange>) =
            cmp.rows.iter().cloned().partition(|r| r.change().is_some());
        let (climbers, fallers) = split_movers(&comparable);
        let mut groups = Vec::new();
        if let Some(column) = group {
            let b = self.get(to)?;
            let mut labels: Vec<String> = comparable
                .iter()
                .filter_map(|r| b.group(column, &r.unit).map(str::to_owned))
                .collect();
            labels.sort();
            labels.dedup();
            for label in labels {
                let members: Vec<RankChange> = comparable
                    .iter()
                    .filter(|r| b.group(column, &r.unit) == Some(label.as_str()))
                    .cloned()
                    .collect();
                let (up, down) = split_movers(&members);
                groups.push((label, up, down));
            }
        }
        Ok(Movers {
            node: node.to_owned(),
            from,
            to,
            climbers,
            fallers,
            groups,
            not_compared,
            basis: cmp.basis,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::units::{UnitChange, UnitMapping};

    fn eds() -> Editions {
        let mut a = Edition::published(2023.0, Some(63));
        let mut b = Edition::published(2024.0, Some(63));
        let mut c = Edition::published(2025.0, Some(34));
        for (e, rows) in [
            (&mut a, vec![("HNI", 1), ("BNH", 6), ("BGG", 12)]),
            (&mut b, vec![("HNI", 1), ("BNH", 11), ("BGG", 10)]),
            (&mut c, vec![("HNI", 1), ("BNH", 6)]),
        ] {
            for (u, r) in rows {
                e.set_rank(u, u, "PII", r, None).unwrap();
            }
        }
        let m = UnitMapping::new(vec![
            UnitChange {
                edition: 2025.0,
                old: "BNH".into(),
                new: "BNH".into(),
            },
            UnitChange {
                edition: 2025.0,
                old: "BGG".into(),
                new: "BNH".into(),
            },
        ])
        .unwrap();
        Editions::new(vec![c, a, b]).unwrap().with_mapping(m)
    }

    #[test]
    fn streaks_and_top_ten() {
        let e = eds();
        let s = e
            .streak("HNI", "PII", &Condition::RankAtMost(1), None)
            .unwrap()
            .unwrap();
        assert_eq!((s.length, s.since, s.until), (3, 2023.0, 2025.0));
        assert_eq!(s.describe(), "first 3 editions running (2023-2025)");
        // Bac Ninh: 6th in 2023, 11th in 2024 (out of the top 10); 2025 is a merged unit.
        let c = e.compare("PII", 2023.0, 2024.0).unwrap();
        let bn = c.row("BNH").unwrap();
        assert_eq!(
            (bn.rank_from, bn.rank_to, bn.change()),
            (Some(6), Some(11), Some(-5))
        );
        assert!(
            e.streak("BNH", "PII", &Condition::RankAtMost(10), Some(2024.0))
                .unwrap()
                .is_none()
        );
        let s = e
            .streak("BNH", "PII", &Condition::RankAtMost(10), None)
            .unwrap()
            .unwrap();
        assert_eq!(s.length, 1);
        assert!(s.stopped_by.unwrap().contains("merging"));
        let c = e.compare("PII", 2024.0, 2025.0).unwrap();
        let bn = c.row("BNH").unwrap();
        assert_eq!(bn.change(), None);
        assert!(bn.is_flagged());
        assert_eq!(bn.predecessors.len(), 2);
        assert!(
            bn.describe("ranked", "2024", "2025")
                .contains("formed by merging")
        );
        // Bac Giang left (it is part of Bac Ninh): not listed as leaving.
        assert!(c.row("BGG").is_none());
        assert!(c.note().contains("frameworks are not both known"));
        let h = e.history("BNH", "PII");
        assert_eq!(
            h.iter().map(|p| p.rank).collect::<Vec<_>>(),
            vec![Some(6), Some(11), Some(6)]
        );
        assert!(h[2].note.as_deref().unwrap().contains("merging"));
    }

    #[test]
    fn movers_overall() {
        let e = eds();
        let m = e.movers("PII", 2023.0, 2024.0, None).unwrap();
        assert_eq!(m.climbers[0].unit, "BGG");
        assert_eq!(m.fallers[0].unit, "BNH");
        let m = e.movers("PII", 2024.0, 2025.0, None).unwrap();
        assert_eq!(m.not_compared.len(), 1);
    }
}
