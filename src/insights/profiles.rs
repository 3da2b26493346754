//! Economy profiles: one page per unit, as the GII and PII publish them.
//!
//! A profile gathers what this module's other functions say about one unit,
//! computed once for all units:
//!
//! - its score and rank on the index and on every aggregate (sub-indices,
//!   pillars, sub-pillars), and on every indicator (with the raw value);
//! - its rank within each group it belongs to ([`group_ranks`]: "2nd of 37
//!   lower-middle-income economies");
//! - its strengths and weaknesses ([`strengths_weaknesses`], WIPO's rule by
//!   default);
//! - the indicators it leads ([`leads()`]);
//! - its score against the trend of the index on a development covariate
//!   ([`fit_development`]), when a covariate is given;
//! - its rank interval from an uncertainty analysis, when one ran.
//!
//! [`economy_profiles`] makes them; the `report` module draws them as HTML
//! pages (feature `report`) and [`tables::profiles`](crate::tables::profiles)
//! lays them out as tables for CSV files and the workbook.

use std::collections::HashMap;

use super::{
    DevelopmentFit, DevelopmentOptions, GroupRank, Performance, Signal, StrengthRule,
    fit_development, group_ranks, leads, ordinal, strengths_weaknesses,
};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::stats;
use crate::uncertainty::{UncertaintyResults, UnitSummary};

/// A covariate for the development fit of the profiles: a numeric (denominator)
/// column of the input data, or the ratio of two (GDP per capita as GDP over
/// population).
#[derive(Debug, Clone, PartialEq)]
pub struct DevelopmentCovariate {
    /// Numeric column of the input data.
    pub column: String,
    /// Divide by this numeric column (`None`: the column as it is).
    pub per: Option<String>,
    /// Options of the fit (default: a straight line on the natural log).
    pub options: DevelopmentOptions,
}

impl DevelopmentCovariate {
    /// The covariate `column`, with the default fit.
    #[must_use]
    pub fn new(column: impl Into<String>) -> Self {
        Self {
            column: column.into(),
            per: None,
            options: DevelopmentOptions::default(),
        }
    }

    /// Divides by another column.
    #[must_use]
    pub fn per(mut self, column: impl Into<String>) -> Self {
        self.per = Some(column.into());
        self
    }

    /// Its name in the profiles (`"GDP"`, `"GDP / Population"`).
    pub fn name(&self) -> String {
        match &self.per {
            Some(p) => format!("{} / {p}", self.column),
            None => self.column.clone(),
        }
    }
}

/// Options of [`economy_profiles`].
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyProfileOptions {
    /// Group columns of the input data to rank within (`None`: all of them).
    pub groups: Option<Vec<String>>,
    /// What a unit is called in sentences ("economies", "provinces"; default "units").
    pub noun: String,
    /// How strengths and weaknesses are chosen (default WIPO's rule).
    pub rule: StrengthRule,
    /// The development fit, if any.
    pub development: Option<DevelopmentCovariate>,
}

impl Default for EconomyProfileOptions {
    fn default() -> Self {
        Self {
            groups: None,
            noun: "units".into(),
            rule: StrengthRule::default(),
            development: None,
        }
    }
}

/// A strength or a weakness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum SignalKind {
    /// A strength.
    Strength,
    /// A weakness.
    Weakness,
}

/// A unit's standing on one node.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Standing {
    /// Node code.
    pub code: String,
    /// Node name.
    pub name: String,
    /// Level (1 = indicator).
    pub level: u32,
    /// The unit's raw value (indicators only; `None` when missing).
    pub value: Option<f64>,
    /// The unit's score (the normalised value of an indicator); `None` when missing.
    pub score: Option<f64>,
    /// Its rank among the units (ties share the best rank).
    pub rank: Option<u32>,
    /// Number of units with a score.
    pub of: usize,
    /// Whether the node is one of its strengths or weaknesses.
    pub signal: Option<SignalKind>,
    /// Whether the unit leads the node (indicators only).
    pub leads: bool,
}

/// A unit's rank within one group column.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GroupStanding {
    /// The group column (`"Income"`).
    pub column: String,
    /// The rank within the unit's group.
    pub rank: GroupRank,
}

impl GroupStanding {
    /// `"2nd of 37 economies in Lower middle income (Income)"`.
    pub fn describe(&self, noun: &str) -> String {
        format!(
            "{} of {} {noun} in {} ({})",
            ordinal(self.rank.rank),
            self.rank.of,
            self.rank.group,
            self.column
        )
    }
}

/// A unit's score against the development trend.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DevelopmentStanding {
    /// The covariate's name.
    pub covariate: String,
    /// The unit's covariate value.
    pub value: f64,
    /// Expected score at that value.
    pub expected: f64,
    /// Score minus expected score.
    pub residual: f64,
    /// Above, as expected or below.
    pub performance: Performance,
    /// R² of the fit over all units.
    pub r_squared: f64,
}

/// The profile of one unit; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EconomyProfile {
    /// Unit code.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// What a unit is called ("economies").
    pub noun: String,
    /// Standing on the index.
    pub overall: Standing,
    /// Standing on every aggregate below the index, level by level from the
    /// top, framework order within a level.
    pub aggregates: Vec<Standing>,
    /// Standing on every indicator, framework order.
    pub indicators: Vec<Standing>,
    /// Rank within each group column.
    pub groups: Vec<GroupStanding>,
    /// Strengths (best percentile rank first).
    pub strengths: Vec<Signal>,
    /// Weaknesses (worst percentile rank first).
    pub weaknesses: Vec<Signal>,
    /// Codes of the indicators the unit leads.
    pub leads: Vec<String>,
    /// Score against the development trend, when a covariate was given and the
    /// unit entered the fit.
    pub development: Option<DevelopmentStanding>,
    /// Rank interval of the index from an uncertainty analysis.
    pub uncertainty: Option<UnitSummary>,
}

impl EconomyProfile {
    /// A one-sentence summary: `"Austria ranks 7th of 51 units (score 61.9); 3rd
    /// of 30 units in Europe (EurAsia_group); leads 2 of 49 indicators."`
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        match (self.overall.rank, self.overall.score) {
            (Some(r), Some(s)) => parts.push(format!(
                "{} ranks {} of {} {} (score {s:.1})",
                self.name,
                ordinal(r),
                self.overall.of,
                self.noun
            )),
            _ => parts.push(format!("{} has no score on the index", self.name)),
        }
        parts.extend(self.groups.iter().map(|g| g.describe(&self.noun)));
        parts.push(format!(
            "leads {} of {} indicators",
            self.leads.len(),
            self.indicators.len()
        ));
        format!("{}.", parts.join("; "))
    }
}

/// A node's scores, ranks and number of units with a score.
type Ranked<'a> = (&'a [f64], Vec<Option<u32>>, usize);

/// The profiles of every unit of `results` (a run of `pipeline`), with the
/// rank intervals of `uncertainty` when given (its first node that is the
/// index); see the [module docs](self).
///
/// # Errors
/// [`Error::UnknownCode`] for a group or covariate column not in the data, or
/// when the results have no index scores; the errors of the development fit
/// (too few units with a covariate) and of [`strengths_weaknesses`].
pub fn economy_profiles(
    pipeline: &Pipeline,
    results: &Results,
    options: &EconomyProfileOptions,
    uncertainty: Option<&UncertaintyResults>,
) -> Result<Vec<EconomyProfile>> {
    let fw = pipeline.framework();
    let data = pipeline.data();
    let root = fw.code(fw.root()).to_owned();
    let overall = results.scores(&root).ok_or_else(|| Error::UnknownCode {
        kind: "node",
        code: root.clone(),
        context: "the final data set (profiles need the index's scores)".into(),
    })?;
    let units = results.unit_codes();
    let rows = &results.last().units;
    let names = data.unit_names();
    let indicators: Vec<String> = fw.indicator_codes();
    let aggregates: Vec<String> = (2..fw.n_levels())
        .rev()
        .flat_map(|l| fw.nodes_at_level(l).iter().map(|&i| fw.code(i).to_owned()))
        .filter(|c| results.scores(c).is_some())
        .collect();
    // Group ranks, once per column.
    let columns: Vec<String> = match &options.groups {
        Some(g) => g.clone(),
        None => data.groups().iter().map(|g| g.name.clone()).collect(),
    };
    let mut by_group = Vec::with_capacity(columns.len());
    for c in &columns {
        by_group.push((c.clone(), group_ranks(results, data, &root, c)?));
    }
    // Who leads which indicator, once.
    let led = leads(results, &indicators)?;
    // The development fit, once.
    let fit: Option<(String, DevelopmentFit, Vec<f64>)> = match &options.development {
        None => None,
        Some(d) => {
            let col = |c: &str| {
                data.denominator(c).ok_or_else(|| Error::UnknownCode {
                    kind: "numeric column",
                    code: c.into(),
                    context: "the input data (development covariate of the profiles)".into(),
                })
            };
            let num = col(&d.column)?;
            let den = d.per.as_deref().map(col).transpose()?;
            let cov: Vec<f64> = rows
                .iter()
                .map(|&r| match den {
                    Some(den) if den[r] != 0.0 => num[r] / den[r],
                    Some(_) => f64::NAN,
                    None => num[r],
                })
                .collect();
            let f = fit_development(units, overall, &cov, &d.name(), &d.options)?;
            Some((d.name(), f, cov))
        }
    };
    let ua = uncertainty.and_then(|ua| ua.nodes.iter().find(|n| n.node == root));
    let ua_of: HashMap<&str, &UnitSummary> = ua
        .map(|n| n.units.iter().map(|s| (s.unit.as_str(), s)).collect())
        .unwrap_or_default();
    // Ranks of every node, once.
    let ranked: HashMap<&str, Ranked<'_>> = std::iter::once(&root)
        .chain(&aggregates)
        .chain(&indicators)
        .filter_map(|c| {
            let s = results.scores(c)?;
            Some((c.as_str(), (s, stats::rank_desc(s), stats::count(s))))
        })
        .collect();
    let raw = results.dataset("raw");
    let raw_pos: HashMap<&str, usize> = raw
        .map(|r| {
            r.unit_codes
                .iter()
                .enumerate()
                .map(|(i, u)| (u.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::with_capacity(units.len());
    for (u, code) in units.iter().enumerate() {
        let sw = strengths_weaknesses(
            results,
            code,
            &root,
            &indicators,
            &aggregates,
            &options.rule,
        )?;
        let signal = |node: &str| {
            if sw.strengths.iter().any(|s| s.node == node) {
                Some(SignalKind::Strength)
            } else if sw.weaknesses.iter().any(|s| s.node == node) {
                Some(SignalKind::Weakness)
            } else {
                None
            }
        };
        let led_here: Vec<String> = led.led_by(code).into_iter().map(str::to_owned).collect();
        let standing = |node: &str, with_value: bool| -> Standing {
            let i = fw.index_of(node);
            let (score, rank, of) = match ranked.get(node) {
                Some((s, r, n)) => ((!s[u].is_nan()).then_some(s[u]), r[u], *n),
                None => (None, None, 0),
            };
            let value = if with_value {
                raw.and_then(|r| r.column(node))
                    .and_then(|c| raw_pos.get(code.as_str()).map(|&p| c[p]))
                    .filter(|v| !v.is_nan())
            } else {
                None
            };
            Standing {
                code: node.to_owned(),
                name: i.map_or_else(|| node.to_owned(), |i| fw.name(i).to_owned()),
                level: i.map_or(0, |i| fw.level(i)),
                value,
                score,
                rank,
                of,
                signal: signal(node),
                leads: led_here.iter().any(|l| l == node),
            }
        };
        let development = fit.as_ref().and_then(|(name, f, cov)| {
            let p = &f.units[u];
            Some(DevelopmentStanding {
                covariate: name.clone(),
                value: cov[u],
                expected: p.expected?,
                residual: p.residual?,
                performance: p.performance?,
                r_squared: f.r_squared,
            })
        });
        out.push(EconomyProfile {
            unit: code.clone(),
            name: names
                .get(rows[u])
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| code.clone()),
            noun: options.noun.clone(),
            overall: standing(&root, false),
            aggregates: aggregates.iter().map(|a| standing(a, false)).collect(),
            indicators: indicators.iter().map(|i| standing(i, true)).collect(),
            groups: by_group
                .iter()
                .filter_map(|(c, r)| {
                    r[u].1.clone().map(|rank| GroupStanding {
                        column: c.clone(),
                        rank,
                    })
                })
                .collect(),
            strengths: sw.strengths,
            weaknesses: sw.weaknesses,
            leads: led_here,
            development,
            uncertainty: ua_of.get(code.as_str()).map(|s| (*s).clone()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// Six units in two groups, four indicators in two pillars.
    fn run() -> (Pipeline, Results) {
        let units: Vec<String> = ["A", "B", "C", "D", "E", "F"].map(String::from).to_vec();
        let data = Dataset::from_columns(
            units,
            vec![
                ("a".into(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
                ("b".into(), vec![6.0, 5.0, 4.0, 3.0, 2.0, 1.0]),
                ("c".into(), vec![2.0, 9.0, 4.0, 4.0, 1.0, 7.0]),
                ("d".into(), vec![3.0, 1.0, f64::NAN, 8.0, 2.0, 5.0]),
            ],
        )
        .unwrap()
        .with_group(
            "Region",
            ["N", "N", "S", "S", "S", "N"]
                .map(|s| Some(s.to_owned()))
                .to_vec(),
        )
        .unwrap()
        .with_denominator("GDP", vec![10.0, 20.0, 40.0, 80.0, 160.0, 320.0])
        .unwrap();
        let fw = FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("P", Some("Index")),
            NodeSpec::new("Q", Some("Index")),
            NodeSpec::new("a", Some("P")),
            NodeSpec::new("b", Some("P")),
            NodeSpec::new("c", Some("Q")),
            NodeSpec::new("d", Some("Q")),
        ]);
        let steps = vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::default()),
        ];
        let p = Pipeline::new(IndexSpec::new(fw, steps), data).unwrap();
        let r = p.run().unwrap();
        (p, r)
    }

    #[test]
    fn a_profile_gathers_what_the_insights_say() {
        let (p, r) = run();
        let options = EconomyProfileOptions {
            development: Some(DevelopmentCovariate::new("GDP")),
            rule: StrengthRule::TopK { k: 1, auto_rank: 1 },
            ..EconomyProfileOptions::default()
        };
        let profiles = economy_profiles(&p, &r, &options, None).unwrap();
        assert_eq!(profiles.len(), 6);
        let groups = group_ranks(&r, p.data(), "Index", "Region").unwrap();
        let led = leads(&r, &p.framework().indicator_codes()).unwrap();
        let fit = fit_development(
            r.unit_codes(),
            r.scores("Index").unwrap(),
            p.data().denominator("GDP").unwrap(),
            "GDP",
            &DevelopmentOptions::default(),
        )
        .unwrap();
        for (u, pr) in profiles.iter().enumerate() {
            assert_eq!(pr.overall.rank, r.ranks("Index").unwrap()[u]);
            assert_eq!(pr.overall.of, 6);
            assert_eq!(
                pr.aggregates
                    .iter()
                    .map(|s| s.code.as_str())
                    .collect::<Vec<_>>(),
                ["P", "Q"]
            );
            assert_eq!(pr.groups[0].rank, groups[u].1.clone().unwrap());
            assert_eq!(pr.leads, led.led_by(&pr.unit));
            let sw = strengths_weaknesses(
                &r,
                &pr.unit,
                "Index",
                &p.framework().indicator_codes(),
                &["P".to_owned(), "Q".to_owned()],
                &options.rule,
            )
            .unwrap();
            assert_eq!(pr.strengths, sw.strengths);
            assert_eq!(pr.weaknesses, sw.weaknesses);
            for s in pr.indicators.iter().chain(&pr.aggregates) {
                let marked = match s.signal {
                    Some(SignalKind::Strength) => sw.strengths.iter().any(|x| x.node == s.code),
                    Some(SignalKind::Weakness) => sw.weaknesses.iter().any(|x| x.node == s.code),
                    None => !sw
                        .strengths
                        .iter()
                        .chain(&sw.weaknesses)
                        .any(|x| x.node == s.code),
                };
                assert!(marked, "{} {}", pr.unit, s.code);
            }
            let d = pr.development.as_ref().unwrap();
            assert_eq!(Some(d.expected), fit.units[u].expected);
            assert!(pr.uncertainty.is_none());
        }
        // Raw values, and a missing one.
        let c = &profiles[2];
        assert_eq!(c.indicators[0].value, Some(3.0));
        assert_eq!(c.indicators[3].value, None);
        assert!(
            c.headline().contains("of 3 units in S (Region)"),
            "{}",
            c.headline()
        );
        // An unknown covariate is an error naming it.
        let bad = EconomyProfileOptions {
            development: Some(DevelopmentCovariate::new("GNI")),
            ..EconomyProfileOptions::default()
        };
        let e = economy_profiles(&p, &r, &bad, None).unwrap_err();
        assert!(e.to_string().contains("GNI"), "{e}");
        // Tables: one summary row per unit, one row per unit and node.
        let [summary, nodes] = crate::tables::profiles(&profiles);
        assert_eq!(summary.rows.len(), 6);
        assert_eq!(nodes.rows.len(), 6 * (1 + 2 + 4));
    }
}
