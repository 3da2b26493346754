//! The report of a panel run: "changes since the previous edition", rank
//! trajectories and scores over time, beside the latest edition's own report.

use super::html::{Block, HtmlReport, Section, Table};
use super::run::{Chart, RunReport};
use super::{BumpChart, ScoreChart};
use crate::error::{Error, Result};
use crate::panel::{Condition, Editions, PanelPipeline, PanelResults, UnitStatus};

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// The section "Changes since the previous edition" at `node`: the basis of the
/// comparison (frameworks), the leader's streak, the biggest climbers and
/// fallers (`top` of each), and a table of every unit of the latest edition
/// with its rank and score in both editions.
///
/// # Errors
/// The errors of [`Editions::compare`].
pub fn changes_section(editions: &Editions, node: &str, top: usize) -> Result<Section> {
    let mut s = Section::new("Changes since the previous edition");
    let eds = editions.editions();
    let (Some(last), Some(prev)) = (eds.last(), eds.len().checked_sub(2).map(|k| &eds[k])) else {
        s.push(Block::Text(
            "The panel has a single edition: there is nothing to compare.".into(),
        ));
        return Ok(s);
    };
    let (from, to) = (prev.time(), last.time());
    let (fl, tl) = (from.to_string(), to.to_string());
    let cmp = editions.compare(node, from, to)?;
    s.push(Block::Text(format!(
        "{} against {}, at {node}: {}.",
        last.label(),
        prev.label(),
        cmp.note()
    )));
    let mut sentences = Vec::new();
    if let Some(leader) = last.units().iter().find(|u| last.rank(u, node) == Some(1))
        && let Some(streak) = editions.streak(leader, node, &Condition::RankAtMost(1), None)?
    {
        sentences.push(format!("{}: {}.", last.name(leader), streak.describe()));
    }
    let movers = editions.movers(node, from, to, None)?;
    for r in movers
        .climbers
        .iter()
        .take(top)
        .chain(movers.fallers.iter().take(top))
    {
        sentences.push(format!("{}.", r.describe("ranked", &fl, &tl)));
    }
    let entered = cmp
        .rows
        .iter()
        .filter(|r| r.status == UnitStatus::Entered)
        .count();
    let left = cmp
        .rows
        .iter()
        .filter(|r| r.status == UnitStatus::Left)
        .count();
    if entered + left > 0 {
        sentences.push(format!(
            "{entered} unit(s) entered the ranking and {left} left it."
        ));
    }
    for r in cmp.rows.iter().filter(|r| r.is_flagged()) {
        sentences.push(format!("{}.", r.describe("ranked", &fl, &tl)));
    }
    s.push(Block::List(sentences));
    let mut t = Table::new([
        format!("rank {tl}"),
        "unit".into(),
        "name".into(),
        format!("rank {fl}"),
        "change".into(),
        format!("score {tl}"),
        format!("score {fl}"),
        "score change".into(),
        "note".into(),
    ]);
    for r in &cmp.rows {
        let change = match (&r.status, r.change()) {
            (_, Some(0)) => "=".to_owned(),
            (_, Some(c)) if c > 0 => format!("+{c}"),
            (_, Some(c)) => c.to_string(),
            (UnitStatus::Entered, _) => "new".into(),
            (UnitStatus::Left, _) => "left".into(),
            _ => String::new(),
        };
        let note = match &r.status {
            UnitStatus::Same | UnitStatus::Entered | UnitStatus::Left => String::new(),
            UnitStatus::NotReported => "not reported in the other edition".into(),
            UnitStatus::Recoded { from } => format!("recoded (was {from})"),
            UnitStatus::Merged { from } => format!("merged from {}", from.join(", ")),
            UnitStatus::Split { from } => format!("split from {from}"),
        };
        t.push([
            r.rank_to.map_or_else(String::new, |v| v.to_string()),
            r.unit.clone(),
            r.name.clone(),
            r.rank_from.map_or_else(String::new, |v| v.to_string()),
            change,
            num(r.score_to),
            num(r.score_from),
            num(r.score_change()),
            note,
        ]);
    }
    s.push(Block::Table(t.caption(format!(
        "Every unit of {}, by rank; rank changes are positive when a unit moved up",
        last.label()
    ))));
    Ok(s)
}

/// The report of a panel run: the latest edition's [`RunReport`], with the
/// section "Changes since the previous edition", how the panel was run, and the
/// rank trajectories ([`BumpChart`]) and scores over time ([`ScoreChart`]).
#[derive(Debug, Clone)]
pub struct PanelReport<'a> {
    pipeline: &'a PanelPipeline,
    results: &'a PanelResults,
    editions: Editions,
    node: Option<String>,
    units: Vec<String>,
}

impl<'a> PanelReport<'a> {
    /// The report of `results`, a run of `pipeline`.
    pub fn new(pipeline: &'a PanelPipeline, results: &'a PanelResults) -> Self {
        Self {
            pipeline,
            results,
            editions: results.to_editions(),
            node: None,
            units: Vec::new(),
        }
    }

    /// Uses these unit changes between editions.
    #[must_use]
    pub fn mapping(mut self, mapping: crate::panel::UnitMapping) -> Self {
        self.editions = self.editions.with_mapping(mapping);
        self
    }

    /// Ranks this node instead of the index.
    #[must_use]
    pub fn node(mut self, code: impl Into<String>) -> Self {
        self.node = Some(code.into());
        self
    }

    /// Draws these units in the charts over time (default: the top 10 of the
    /// latest edition).
    #[must_use]
    pub fn units(mut self, units: Vec<String>) -> Self {
        self.units = units;
        self
    }

    fn latest(
        &self,
    ) -> Result<(
        f64,
        &'a crate::results::Results,
        &'a crate::pipeline::Pipeline,
    )> {
        let t = *self
            .results
            .times()
            .last()
            .ok_or_else(|| Error::invalid("report", "panel", None, "no edition"))?;
        let r = self
            .results
            .edition(t)
            .ok_or_else(|| Error::invalid("report", "panel", None, "no results"))?;
        let p = self
            .pipeline
            .pipeline(t)
            .ok_or_else(|| Error::invalid("report", "panel", None, "no pipeline"))?;
        Ok((t, r, p))
    }

    fn ranked_node(&self) -> Result<String> {
        if let Some(n) = &self.node {
            return Ok(n.clone());
        }
        let (_, _, p) = self.latest()?;
        let fw = p.framework();
        Ok(fw.code(fw.root()).to_owned())
    }

    /// The charts: `bump` and `scores` over the editions, then the latest
    /// edition's charts ([`RunReport::charts`]).
    ///
    /// # Errors
    /// The errors of drawing.
    pub fn charts(&self) -> Result<Vec<Chart>> {
        let node = self.ranked_node()?;
        let bump = BumpChart::from_editions(&self.editions, &node, &self.units);
        let scores = ScoreChart::from_editions(&self.editions, &node, &self.units);
        let mut out = vec![
            Chart {
                name: "bump".into(),
                title: bump.title.clone(),
                svg: bump.to_svg()?,
            },
            Chart {
                name: "scores".into(),
                title: scores.title.clone(),
                svg: scores.to_svg()?,
            },
        ];
        let (_, r, p) = self.latest()?;
        out.extend(self.latest_report(p, r).charts()?);
        Ok(out)
    }

    fn latest_report(
        &self,
        p: &'a crate::pipeline::Pipeline,
        r: &'a crate::results::Results,
    ) -> RunReport<'a> {
        let report = RunReport::new(p, r);
        match &self.node {
            Some(n) => report.node(n.clone()),
            None => report,
        }
    }

    /// The HTML page with the given charts (from [`PanelReport::charts`]).
    ///
    /// # Errors
    /// The errors of [`changes_section`] and [`RunReport::html`].
    pub fn html(&self, charts: &[Chart]) -> Result<HtmlReport> {
        let node = self.ranked_node()?;
        let (t, r, p) = self.latest()?;
        let mut panel = Section::new("Editions");
        panel.push(Block::Text(format!(
            "{} editions ({}); the rest of this report shows the latest, {t}.",
            self.results.times().len(),
            self.results
                .times()
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )));
        panel.push(Block::List(self.results.describe_scopes()));
        for (step, rep) in self.results.panel_imputation() {
            panel.push(Block::Text(format!(
                "Step {step} filled {} cells from the units' other editions ({}); {} series could not be filled.",
                rep.cells.len(),
                rep.method.name(),
                rep.skipped.len()
            )));
        }
        for name in ["bump", "scores"] {
            if let Some(c) = charts.iter().find(|c| c.name == name) {
                panel.push(Block::Svg(c.svg.clone()));
            }
        }
        let changes = changes_section(&self.editions, &node, 5)?;
        self.latest_report(p, r)
            .section(changes)
            .section(panel)
            .html(charts)
    }
}
