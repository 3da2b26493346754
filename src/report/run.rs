//! The report of a pipeline run: its charts and its HTML page.

use super::html::{Block, HtmlReport, Section, Table};
use super::ranking::unit_labels;
use super::{
    CorrelationHeatmap, DistributionChart, DistributionKind, DistributionPlot, FrameworkChart,
    FrameworkSunburst, RankingChart, SobolChart, UncertaintyChart,
};
use crate::audit::{self, CorrelationMethod};
use crate::error::Result;
use crate::pipeline::Pipeline;
use crate::prepare::ScreenReason;
use crate::results::{Results, StepReport};
use crate::spec::Step;
use crate::uncertainty::{SensitivityResults, UncertaintyResults};

/// One chart of a report: a file stem, a title and the SVG text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem (`"ranking"`, `"uncertainty"`...), also the chart's id.
    pub name: String,
    /// Title.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// The report of a run: the charts ([`RunReport::charts`]) and a self-contained
/// HTML page ([`RunReport::html`]) with the summary, the ranking, the framework,
/// the step reports (treatment log, screening, imputation), correlations and,
/// when given, the uncertainty and sensitivity analyses.
///
/// ```
/// use composite_index::prelude::*;
/// use composite_index::report::RunReport;
///
/// # fn main() -> composite_index::Result<()> {
/// let data = Dataset::from_columns(
///     vec!["A".into(), "B".into(), "C".into()],
///     vec![("x".into(), vec![1.0, 2.0, 3.0]), ("y".into(), vec![3.0, 1.0, 2.0])],
/// )?;
/// let fw = FrameworkSpec::new(vec![
///     NodeSpec::new("Index", None),
///     NodeSpec::new("x", Some("Index")),
///     NodeSpec::new("y", Some("Index")),
/// ]);
/// let steps = vec![
///     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
///     Step::Aggregate(AggregateSpec::default()),
/// ];
/// let pipeline = Pipeline::new(IndexSpec::new(fw, steps).with_name("Toy index"), data)?;
/// let results = pipeline.run()?;
/// let report = RunReport::new(&pipeline, &results);
/// let charts = report.charts()?;
/// assert!(charts.iter().any(|c| c.name == "ranking"));
/// let html = report.html(&charts)?.to_html();
/// assert!(html.contains("Toy index"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RunReport<'a> {
    pipeline: &'a Pipeline,
    results: &'a Results,
    node: Option<String>,
    uncertainty: Option<&'a UncertaintyResults>,
    sensitivity: Option<&'a SensitivityResults>,
    sections: Vec<Section>,
    all_distributions: bool,
    what_if: bool,
}

impl<'a> RunReport<'a> {
    /// The report of `results`, a run of `pipeline`.
    #[must_use]
    pub fn new(pipeline: &'a Pipeline, results: &'a Results) -> Self {
        Self {
            pipeline,
            results,
            node: None,
            uncertainty: None,
            sensitivity: None,
            sections: Vec::new(),
            all_distributions: false,
            what_if: true,
        }
    }

    /// Adds (the default) or leaves out the what-if panel: sliders for the
    /// weights of the aggregates and a choice of mean that re-rank the units in
    /// the page.
    #[must_use]
    pub fn what_if(mut self, on: bool) -> Self {
        self.what_if = on;
        self
    }

    /// Ranks this node instead of the index.
    #[must_use]
    pub fn node(mut self, code: impl Into<String>) -> Self {
        self.node = Some(code.into());
        self
    }

    /// Adds the results of an uncertainty analysis of the same pipeline.
    #[must_use]
    pub fn uncertainty(mut self, results: &'a UncertaintyResults) -> Self {
        self.uncertainty = Some(results);
        self
    }

    /// Adds the results of a sensitivity analysis of the same pipeline.
    #[must_use]
    pub fn sensitivity(mut self, results: &'a SensitivityResults) -> Self {
        self.sensitivity = Some(results);
        self
    }

    /// Shows every indicator's distribution before and after treatment, not only
    /// those the treatment changed.
    #[must_use]
    pub fn all_distributions(mut self, all: bool) -> Self {
        self.all_distributions = all;
        self
    }

    /// Appends a section of your own (audit tables, notes...).
    #[must_use]
    pub fn section(mut self, section: Section) -> Self {
        self.sections.push(section);
        self
    }

    fn ranked_node(&self) -> String {
        let fw = self.pipeline.framework();
        self.node
            .clone()
            .unwrap_or_else(|| fw.code(fw.root()).to_owned())
    }

    fn weight_set(&self) -> Option<String> {
        self.pipeline
            .spec()
            .steps
            .iter()
            .rev()
            .find_map(|s| match s {
                Step::Aggregate(a) => Some(a.weights.clone()),
                _ => None,
            })
            .flatten()
    }

    /// Draws every chart that applies to this run: `ranking` (when the node has
    /// scores), `framework` and `sunburst`, `distributions` (box plots of the
    /// indicators as aggregated), `correlations` (indicators against the level
    /// above them), `aggregate-correlations` (between aggregates) and
    /// `correlation-matrix` (between all indicators), `treatment` (when a treat
    /// step changed an indicator), `uncertainty` and `sobol` (when given).
    ///
    /// # Errors
    /// [`Error::UnknownCode`](crate::Error::UnknownCode) for an unknown node or
    /// weight set; the errors of drawing.
    pub fn charts(&self) -> Result<Vec<Chart>> {
        let mut out = Vec::new();
        let mut push = |name: &str, title: &str, svg: String| {
            out.push(Chart {
                name: name.into(),
                title: title.into(),
                svg,
            });
        };
        let fw = self.pipeline.framework();
        let node = self.ranked_node();
        if self.results.scores(&node).is_some() {
            let chart = RankingChart::from_results(self.pipeline, self.results, &node)?;
            push("ranking", &chart.title, chart.to_svg()?);
        }
        let tree = FrameworkChart::from_framework(fw, self.weight_set().as_deref())?;
        push("framework", &tree.title, tree.to_svg()?);
        let sun = FrameworkSunburst::from_pipeline(self.pipeline)?;
        push("sunburst", &sun.title, sun.to_svg()?);
        if let Some(agg) = self.results.aggregated() {
            let indicators = fw.indicator_codes();
            let mut dist = DistributionPlot::from_dataset(agg, &indicators, DistributionKind::Box)?;
            dist.title = "Distributions of the indicators as aggregated".into();
            push("distributions", &dist.title, dist.to_svg()?);
            if indicators.len() > 1 {
                let m = CorrelationHeatmap::of_group(
                    agg,
                    fw,
                    fw.code(fw.root()),
                    CorrelationMethod::Pearson,
                )?;
                push("correlation-matrix", &m.title, m.to_svg()?);
            }
        }
        for (name, heat) in self.heatmaps()? {
            push(name, &heat.title, heat.to_svg()?);
        }
        if let Some(dist) = DistributionChart::from_treatment(self.results, self.all_distributions)
            && !dist.panels.is_empty()
        {
            push("treatment", &dist.title, dist.to_svg()?);
        }
        if let Some(ua) = self.uncertainty
            && let Some(n) = ua.nodes.first()
        {
            let labels = self.label_map();
            let chart = UncertaintyChart::from_node(n, ua.runs - ua.failed.len(), |u| {
                labels.get(u).cloned().unwrap_or_else(|| u.to_owned())
            });
            push("uncertainty", &chart.title, chart.to_svg()?);
        }
        if let Some(sa) = self.sensitivity {
            let chart = SobolChart::from_result(
                &sa.mean_rank_shift,
                &format!("the ranks of {}", sa.target),
            );
            push("sobol", &chart.title, chart.to_svg()?);
        }
        Ok(out)
    }

    fn label_map(&self) -> std::collections::HashMap<String, String> {
        self.results
            .unit_codes()
            .iter()
            .cloned()
            .zip(unit_labels(self.pipeline, self.results))
            .collect()
    }

    /// The correlation heatmaps: indicators against their parents' level, and
    /// between the aggregates, on the aggregated data set.
    fn heatmaps(&self) -> Result<Vec<(&'static str, CorrelationHeatmap)>> {
        let fw = self.pipeline.framework();
        let Some(agg) = self.results.aggregated() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let codes = |level: u32| -> Vec<String> {
            fw.nodes_at_level(level)
                .iter()
                .map(|&i| fw.code(i).to_owned())
                .collect()
        };
        let indicators = codes(1);
        let parents = codes(2);
        if !parents.is_empty() && indicators.len() > 1 {
            let m =
                audit::cross_correlation(agg, &indicators, &parents, CorrelationMethod::Pearson)?;
            let own: Vec<(usize, usize)> = indicators
                .iter()
                .enumerate()
                .filter_map(|(r, code)| {
                    let parent = fw.index_of(code).and_then(|i| fw.parent(i))?;
                    let c = parents.iter().position(|p| p == fw.code(parent))?;
                    Some((r, c))
                })
                .collect();
            out.push((
                "correlations",
                CorrelationHeatmap::from_matrix(
                    "Correlations of the indicators with the level above",
                    &m,
                )
                .subtitle(
                    "Pearson correlations on the aggregated data set; outlined: each indicator with its own parent.",
                )
                .with_highlight(own),
            ));
        }
        let aggregates: Vec<String> = (2..=fw.n_levels()).rev().flat_map(codes).collect();
        if aggregates.len() > 1 {
            let m = audit::correlation_matrix(agg, &aggregates, CorrelationMethod::Pearson)?;
            out.push((
                "aggregate-correlations",
                CorrelationHeatmap::from_matrix("Correlations between the aggregates", &m)
                    .subtitle("Pearson correlations of the aggregate scores, from the index down."),
            ));
        }
        Ok(out)
    }

    /// The HTML page, with the given charts (from [`RunReport::charts`]) inline.
    ///
    /// # Errors
    /// [`Error::UnknownCode`](crate::Error::UnknownCode) for an unknown node or
    /// weight set.
    pub fn html(&self, charts: &[Chart]) -> Result<HtmlReport> {
        let fw = self.pipeline.framework();
        let spec = self.pipeline.spec();
        let chart = |name: &str| {
            charts
                .iter()
                .find(|c| c.name == name)
                .map(|c| Block::Svg(c.svg.clone()))
        };
        let title = spec
            .name
            .clone()
            .unwrap_or_else(|| fw.name(fw.root()).to_owned());
        let results = self.results;
        let mut report = HtmlReport::new(title).subtitle(format!(
            "{} units, {} indicators, {} levels, {} pipeline steps.",
            results.unit_codes().len(),
            fw.indicators().len(),
            fw.n_levels(),
            spec.steps.len()
        ));

        // Summary: steps and data sets.
        let mut summary = Section::new("Summary");
        summary.push(Block::Text(
            "The pipeline ran these steps, in order; each writes the data set named after it."
                .into(),
        ));
        summary.push(Block::List(
            spec.steps
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {}: {}", i + 1, s.stage(), describe_step(s)))
                .collect(),
        ));
        let mut sets = Table::new(["data set", "units", "columns", "missing cells"]);
        for s in results.datasets() {
            let missing = s.values.iter().filter(|v| v.is_nan()).count();
            let total = s.values.len().max(1);
            sets.push([
                s.name.clone(),
                s.unit_codes.len().to_string(),
                s.columns.len().to_string(),
                format!("{missing} ({:.1}%)", 100.0 * missing as f64 / total as f64),
            ]);
        }
        summary.push(Block::Table(sets));
        report = report.section(summary);

        // Ranking.
        let node = self.ranked_node();
        if let Some(scores) = results.scores(&node) {
            let mut sec = Section::new("Ranking");
            if let Some(b) = chart("ranking") {
                sec.push(b);
            }
            sec.push(Block::Table(self.ranking_table(&node, scores)));
            report = report.section(sec);
        }
        if self.what_if {
            report = report.section(super::whatif::what_if_section(self.pipeline, results));
        }

        let mut sec = Section::new("Framework");
        for name in ["framework", "sunburst"] {
            if let Some(b) = chart(name) {
                sec.push(b);
            }
        }
        report = report.section(sec);
        if let Some(b) = chart("distributions") {
            report = report.section(Section::new("Distributions").with(b));
        }

        for (i, r) in results.reports().iter().enumerate() {
            if let Some(sec) = step_section(i, r, &chart) {
                report = report.section(sec);
            }
        }

        let heat: Vec<Block> = [
            "correlations",
            "aggregate-correlations",
            "correlation-matrix",
        ]
        .iter()
        .filter_map(|n| chart(n))
        .collect();
        if !heat.is_empty() {
            let mut sec = Section::new("Correlations");
            sec.blocks = heat;
            report = report.section(sec);
        }

        if let Some(ua) = self.uncertainty {
            report = report.section(self.uncertainty_section(ua, &chart));
        }
        if let Some(sa) = self.sensitivity {
            report = report.section(sensitivity_section(sa, &chart));
        }
        for s in &self.sections {
            report = report.section(s.clone());
        }
        Ok(report)
    }

    fn ranking_table(&self, node: &str, scores: &[f64]) -> Table {
        let fw = self.pipeline.framework();
        let results = self.results;
        // The node, then its descendants level by level while the table stays readable.
        let mut columns: Vec<usize> = fw.index_of(node).into_iter().collect();
        let mut frontier = columns.clone();
        loop {
            let next: Vec<usize> = frontier
                .iter()
                .flat_map(|&i| fw.children(i).iter().copied())
                .filter(|&c| fw.level(c) > 1)
                .collect();
            if next.is_empty() || columns.len() + next.len() > 16 {
                break;
            }
            columns.extend(&next);
            frontier = next;
        }
        let mut headers = vec!["rank".to_owned(), "code".to_owned(), "name".to_owned()];
        headers.extend(columns.iter().map(|&i| fw.code(i).to_owned()));
        let mut t = Table::new(headers);
        let labels = unit_labels(self.pipeline, results);
        let ranks = crate::stats::rank_desc(scores);
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by_key(|&u| (ranks[u].unwrap_or(u32::MAX), labels[u].clone()));
        let cols: Vec<Option<&[f64]>> = columns
            .iter()
            .map(|&i| results.scores(fw.code(i)))
            .collect();
        for u in order {
            let mut row = vec![
                ranks[u].map_or_else(|| "–".into(), |r| r.to_string()),
                results.unit_codes()[u].clone(),
                labels[u].clone(),
            ];
            row.extend(
                cols.iter()
                    .map(|c| c.map_or_else(|| "n/a".into(), |c| super::style::num(c[u], 2))),
            );
            t.rows.push(row);
        }
        t
    }

    fn uncertainty_section(
        &self,
        ua: &UncertaintyResults,
        chart: &dyn Fn(&str) -> Option<Block>,
    ) -> Section {
        let mut sec = Section::new("Uncertainty analysis");
        sec.push(Block::Text(format!(
            "{} Monte Carlo runs ({} failed) varying: {}.",
            ua.runs,
            ua.failed.len(),
            if ua.inputs.is_empty() {
                "nothing".to_owned()
            } else {
                ua.inputs.join(", ")
            }
        )));
        if let Some(b) = chart("uncertainty") {
            sec.push(b);
        }
        let labels = self.label_map();
        for n in &ua.nodes {
            let mut t = Table::new([
                "unit",
                "name",
                "nominal rank",
                "median rank",
                "5th pct",
                "95th pct",
                "mean rank",
                &format!("share within ±{}", ua.within),
            ])
            .caption(format!("Ranks of {} over the runs", n.node));
            let mut units: Vec<_> = n.units.iter().collect();
            units.sort_by_key(|s| s.nominal_rank.unwrap_or(u32::MAX));
            for s in units {
                t.push([
                    s.unit.clone(),
                    labels.get(&s.unit).cloned().unwrap_or_default(),
                    s.nominal_rank.map_or_else(|| "–".into(), |r| r.to_string()),
                    super::style::num(s.median_rank, 1),
                    super::style::num(s.q05_rank, 1),
                    super::style::num(s.q95_rank, 1),
                    super::style::num(s.mean_rank, 2),
                    super::style::num(s.share_within, 3),
                ]);
            }
            sec.push(Block::Table(t));
        }
        if !ua.failed.is_empty() {
            sec.push(Block::List(
                ua.failed
                    .iter()
                    .take(20)
                    .map(|f| format!("run {}: {}", f.run, f.reason))
                    .collect(),
            ));
        }
        sec
    }
}

fn sensitivity_section(sa: &SensitivityResults, chart: &dyn Fn(&str) -> Option<Block>) -> Section {
    let mut sec = Section::new("Sensitivity analysis");
    sec.push(Block::Text(format!(
        "{} runs ({} failed); output: the mean absolute shift of the ranks of {} from their nominal values.",
        sa.runs,
        sa.failed.len(),
        sa.target
    )));
    if let Some(b) = chart("sobol") {
        sec.push(b);
    }
    sec.push(Block::Table(sobol_table(&sa.mean_rank_shift)));
    sec
}

/// The Sobol indices of one output as a table.
pub(crate) fn sobol_table(r: &crate::uncertainty::SobolResult) -> Table {
    let mut t = Table::new([
        "input",
        "first-order S",
        "S low",
        "S high",
        "total ST",
        "ST low",
        "ST high",
    ]);
    let n = |v: f64| super::style::num(v, 3);
    for i in &r.indices {
        t.push([
            i.input.clone(),
            n(i.first),
            n(i.first_interval.0),
            n(i.first_interval.1),
            n(i.total),
            n(i.total_interval.0),
            n(i.total_interval.1),
        ]);
    }
    t
}

/// A section for a step's report, if it has anything to say.
fn step_section(
    i: usize,
    r: &StepReport,
    chart: &dyn Fn(&str) -> Option<Block>,
) -> Option<Section> {
    match r {
        StepReport::Denominate { made_missing } if !made_missing.is_empty() => {
            let mut t = Table::new(["unit", "indicator", "denominator", "its value"]);
            for m in made_missing {
                t.push([
                    m.unit.clone(),
                    m.indicator.clone(),
                    m.denominator.clone(),
                    if m.denominator_value.is_nan() {
                        "missing".to_owned()
                    } else {
                        m.denominator_value.to_string()
                    },
                ]);
            }
            Some(
                Section::new(format!("Step {}: denominators", i + 1))
                    .with(Block::Text(format!(
                        "{} cells became missing because their denominator is zero or missing.",
                        made_missing.len()
                    )))
                    .with(Block::Table(t)),
            )
        }
        StepReport::Impute(rep) => {
            let filled: usize = rep.imputed.iter().map(|(_, r)| r.len()).sum();
            let mut t = Table::new(["indicator", "cells filled"]);
            for (ind, rows) in &rep.imputed {
                t.push([ind.clone(), rows.len().to_string()]);
            }
            let mut sec =
                Section::new(format!("Step {}: imputation", i + 1)).with(Block::Text(format!(
                    "{filled} missing cells filled in {} indicators.",
                    rep.imputed.len()
                )));
            if !rep.imputed.is_empty() {
                sec.push(Block::Table(t));
            }
            if !rep.remaining.is_empty() {
                sec.push(Block::List(
                    rep.remaining
                        .iter()
                        .map(|(ind, n)| format!("{ind}: {n} cells still missing"))
                        .collect(),
                ));
            }
            Some(sec)
        }
        StepReport::Screen(rep) => {
            let mut t = Table::new(["unit", "reason"]);
            for u in &rep.removed {
                let why = match &u.reason {
                    ScreenReason::MissingData { share } => {
                        format!("only {:.1}% of its data present", 100.0 * share)
                    }
                    ScreenReason::Zeros { share } => {
                        format!("only {:.1}% of its values non-zero", 100.0 * share)
                    }
                    ScreenReason::ForcedExclude {} => "excluded by the specification".into(),
                };
                t.push([u.code.clone(), why]);
            }
            let mut sec =
                Section::new(format!("Step {}: screening", i + 1)).with(Block::Text(format!(
                    "{} units kept, {} removed.",
                    rep.kept.len(),
                    rep.removed.len()
                )));
            if !rep.removed.is_empty() {
                sec.push(Block::Table(t));
            }
            Some(sec)
        }
        StepReport::Treat(log) => {
            let mut t = Table::new([
                "indicator",
                "skew before",
                "kurtosis before",
                "points winsorised",
                "transform",
                "skew after",
                "kurtosis after",
                "passes",
            ]);
            let n = |v: Option<f64>| v.map_or_else(|| "–".into(), |v| super::style::num(v, 2));
            for r in log {
                let after = r.after_second_stage.or(r.after_winsorisation);
                t.push([
                    r.indicator.clone(),
                    n(r.before.map(|s| s.skew)),
                    n(r.before.map(|s| s.kurt)),
                    r.n_winsorised.to_string(),
                    r.second_stage.clone().unwrap_or_default(),
                    n(after.map(|s| s.skew)),
                    n(after.map(|s| s.kurt)),
                    match r.passes {
                        Some(true) => "yes".into(),
                        Some(false) => "no".into(),
                        None => "–".into(),
                    },
                ]);
            }
            let changed = log.iter().filter(|r| r.changed()).count();
            let mut sec = Section::new(format!("Step {}: outlier treatment", i + 1)).with(
                Block::Text(format!(
                    "{changed} of {} indicators were treated. Skewness and kurtosis are Excel's (sample) estimators.",
                    log.len()
                )),
            );
            if let Some(b) = chart("treatment") {
                sec.push(b);
            }
            sec.push(Block::Table(t));
            Some(sec)
        }
        _ => None,
    }
}

/// One line describing a step's settings in the inline-TOML form of the
/// specification (`default = { method = "min_max", lo = 0.0, hi = 100.0 }`), empty
/// settings left out; Rust debug output without the `serde` feature.
fn describe_step(s: &Step) -> String {
    #[cfg(feature = "serde")]
    {
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(s) {
            let parts: Vec<String> = m
                .iter()
                .filter(|(k, v)| k.as_str() != "stage" && !is_empty(v))
                .map(|(k, v)| format!("{k} = {}", inline(v)))
                .collect();
            return if parts.is_empty() {
                "default settings".into()
            } else {
                parts.join(", ")
            };
        }
    }
    format!("{s:?}")
}

#[cfg(feature = "serde")]
fn is_empty(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(m) => m.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Null => true,
        _ => false,
    }
}

#[cfg(feature = "serde")]
fn inline(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .filter(|(_, v)| !is_empty(v))
                .map(|(k, v)| format!("{k} = {}", inline(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}
