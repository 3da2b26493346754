//! Tables of a pipeline run: data sets, results, ranks, framework, step reports.

use std::collections::HashMap;

use super::{BoolText, Cell, Table};
use crate::error::Result;
use crate::framework::Framework;
use crate::insights;
use crate::pipeline::Pipeline;
use crate::prepare::{ScreenReason, Side, SkewKurt, TreatmentRecord};
use crate::results::{Results, StageData, StepReport};
use crate::spec::Step;
use crate::stats;

/// Name of each unit of the final data set (empty when the data set has none).
fn unit_names(pipeline: &Pipeline, results: &Results) -> Vec<String> {
    let names = pipeline.data().unit_names();
    let last = results.last();
    last.units
        .iter()
        .map(|&r| names.get(r).cloned().unwrap_or_default())
        .collect()
}

/// The weight set of the pipeline's aggregation step (`None`: the nodes' own weights).
pub(crate) fn aggregation_weight_set(pipeline: &Pipeline) -> Option<String> {
    pipeline
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

/// The tables of a run other than its data sets, in the order the workbook and
/// the command line write them: [`results`], [`ranks`], [`framework`] (under
/// the aggregation step's weight set), [`treatment_log`] (when the pipeline
/// treats outliers) and the [`step_reports`].
///
/// # Errors
/// The errors of [`ranks`] and [`framework`].
pub fn run_tables(pipeline: &Pipeline, results: &Results) -> Result<Vec<Table>> {
    let set = aggregation_weight_set(pipeline);
    let mut out = vec![
        self::results(pipeline, results),
        ranks(pipeline, results)?,
        framework(pipeline.framework(), set.as_deref())?,
    ];
    if let Some(log) = results.treatment_log() {
        out.push(treatment_log(log));
    }
    out.extend(step_reports(results));
    Ok(out)
}

/// One data set in COINr's layout: `uCode`, then one column per indicator or
/// aggregate, exactly the cells of [`StageData::write_csv`]. The normalised and
/// aggregated data sets mark every column as scores.
pub fn dataset(stage: &StageData) -> Table {
    let mut t = Table::new(
        stage.name.clone(),
        std::iter::once("uCode".to_owned()).chain(stage.columns.iter().cloned()),
    )
    .describe(format!(
        "The {} data set: one row per unit, one column per {}.",
        stage.name,
        if stage.name == "aggregated" {
            "indicator and aggregate"
        } else {
            "indicator"
        }
    ));
    for (i, u) in stage.unit_codes.iter().enumerate() {
        let mut row = Vec::with_capacity(stage.columns.len() + 1);
        row.push(Cell::text(u.clone()));
        row.extend((0..stage.columns.len()).map(|j| Cell::num(stage.values[(i, j)])));
        t.push(row);
    }
    if matches!(stage.name.as_str(), "normalised" | "aggregated") {
        t.score_columns = (1..=stage.columns.len()).collect();
    }
    t
}

/// Scores and ranks of every node, one row per unit in order of the index's
/// rank: `uCode, uName`, then `<node>, <node>_rank` for the index, the
/// aggregates from the top level down and the indicators (their scores are the
/// values of the final data set). Ranks: descending scores, ties sharing the
/// best rank, no rank for a missing score.
pub fn results(pipeline: &Pipeline, results: &Results) -> Table {
    let fw = pipeline.framework();
    let mut order_nodes: Vec<usize> = Vec::new();
    for level in (1..=fw.n_levels()).rev() {
        order_nodes.extend(fw.nodes_at_level(level));
    }
    /// A node's code, scores and ranks.
    type Column<'a> = (&'a str, &'a [f64], Vec<Option<u32>>);
    let nodes: Vec<Column<'_>> = order_nodes
        .iter()
        .filter_map(|&i| {
            let code = fw.code(i);
            let s = results.scores(code)?;
            Some((code, s, stats::rank_desc(s)))
        })
        .collect();
    let mut header = vec!["uCode".to_owned(), "uName".to_owned()];
    for (code, _, _) in &nodes {
        header.push((*code).to_owned());
        header.push(format!("{code}_rank"));
    }
    let mut t = Table::new("results", header)
        .describe("Scores and ranks of every node (index, aggregates, indicators), units by rank of the index.")
        .keys(2);
    t.score_columns = (0..nodes.len()).map(|k| 2 + 2 * k).collect();
    let names = unit_names(pipeline, results);
    let last = results.last();
    let mut order: Vec<usize> = (0..last.unit_codes.len()).collect();
    if let Some((_, _, ranks)) = nodes.first() {
        order.sort_by_key(|&u| ranks[u].unwrap_or(u32::MAX));
    }
    for u in order {
        let mut row = vec![
            Cell::text(last.unit_codes[u].clone()),
            Cell::text(names[u].clone()),
        ];
        for (_, s, r) in &nodes {
            row.push(Cell::num(s[u]));
            row.push(Cell::rank(r[u]));
        }
        t.push(row);
    }
    t
}

/// Rank tables: `uCode, uName`, the unit's label in each group column, its rank
/// on every aggregate (index first, then level by level down), and its rank on
/// the index within each group (`<index>_rank_in_<group>`, see
/// [`insights::group_ranks`]), units in order of the index's rank.
///
/// # Errors
/// The errors of [`insights::group_ranks`] (none for results of `pipeline`).
pub fn ranks(pipeline: &Pipeline, results: &Results) -> Result<Table> {
    let fw = pipeline.framework();
    let data = pipeline.data();
    let root = fw.code(fw.root());
    let mut nodes: Vec<(&str, Vec<Option<u32>>)> = Vec::new();
    for level in (2..=fw.n_levels()).rev() {
        for &i in fw.nodes_at_level(level) {
            if let Some(r) = results.ranks(fw.code(i)) {
                nodes.push((fw.code(i), r));
            }
        }
    }
    let groups = data.groups();
    let mut within = Vec::new();
    if results.scores(root).is_some() {
        for g in groups {
            let r = insights::group_ranks(results, data, root, &g.name)?;
            within.push((g.name.as_str(), r));
        }
    }
    let mut header = vec!["uCode".to_owned(), "uName".to_owned()];
    header.extend(groups.iter().map(|g| g.name.clone()));
    header.extend(nodes.iter().map(|(c, _)| format!("{c}_rank")));
    header.extend(within.iter().map(|(g, _)| format!("{root}_rank_in_{g}")));
    let mut t = Table::new("ranks", header)
        .describe("Ranks of every aggregate, and of the index within each group, units by rank of the index.")
        .keys(2 + groups.len());
    let names = unit_names(pipeline, results);
    let last = results.last();
    let mut order: Vec<usize> = (0..last.unit_codes.len()).collect();
    if let Some((_, r)) = nodes.first() {
        order.sort_by_key(|&u| r[u].unwrap_or(u32::MAX));
    }
    for u in order {
        let mut row = vec![
            Cell::text(last.unit_codes[u].clone()),
            Cell::text(names[u].clone()),
        ];
        let data_row = last.units[u];
        row.extend(groups.iter().map(|g| {
            g.values
                .get(data_row)
                .cloned()
                .flatten()
                .map_or(Cell::Empty, Cell::text)
        }));
        row.extend(nodes.iter().map(|(_, r)| Cell::rank(r[u])));
        row.extend(
            within
                .iter()
                .map(|(_, r)| Cell::rank(r[u].1.as_ref().map(|g| g.rank))),
        );
        t.push(row);
    }
    Ok(t)
}

/// The framework in the layout of COINr's `iMeta`, indicators first, then the
/// aggregates level by level: `iCode, iName, Level, Parent, Type, Direction,
/// Weight, EffectiveWeight, Unit, Kind, Denominator, Target`. `Weight` is the
/// weight under the weight set `set` (`None`: the nodes' own weights) and
/// `EffectiveWeight` the node's share of the index
/// ([`Framework::effective_weights`]).
///
/// # Errors
/// [`Error::UnknownCode`](crate::Error::UnknownCode) for an unknown weight set.
pub fn framework(framework: &Framework, set: Option<&str>) -> Result<Table> {
    let w = framework.weights(set)?;
    let eff = framework.effective_weights(set)?;
    let mut t = Table::new(
        "framework",
        [
            "iCode",
            "iName",
            "Level",
            "Parent",
            "Type",
            "Direction",
            "Weight",
            "EffectiveWeight",
            "Unit",
            "Kind",
            "Denominator",
            "Target",
        ],
    )
    .describe(format!(
        "The indicator tree: levels, parents, weights{} and effective weights (each node's share of the index).",
        set.map(|s| format!(" (weight set {s:?})")).unwrap_or_default()
    ))
    .keys(2);
    for level in 1..=framework.n_levels() {
        for &i in framework.nodes_at_level(level) {
            let n = framework.node(i);
            let leaf = level == 1;
            t.push(vec![
                Cell::text(n.code.clone()),
                Cell::text(framework.name(i)),
                Cell::count(level as usize),
                framework
                    .parent(i)
                    .map_or(Cell::Empty, |p| Cell::text(framework.code(p))),
                Cell::text(if leaf { "Indicator" } else { "Aggregate" }),
                if leaf {
                    Cell::num(n.direction)
                } else {
                    Cell::Empty
                },
                Cell::num(w[i]),
                Cell::num(eff[i]),
                Cell::text(n.unit.clone().unwrap_or_default()),
                Cell::text(n.kind.clone().unwrap_or_default()),
                Cell::text(n.denominator.clone().unwrap_or_default()),
                Cell::opt(n.target),
            ]);
        }
    }
    Ok(t)
}

/// The treatment log in COINr's layout (`iCode`, `check_SkewKurt0.*`,
/// `winsorise.nwin`, `check_SkewKurt1.*`), followed by the second stage, the
/// check after it, whether the indicator passes in the end and the units moved.
/// Flags are written `TRUE`/`FALSE` in CSV, as COINr does.
pub fn treatment_log(log: &[TreatmentRecord]) -> Table {
    let mut t = Table::new(
        "treatment_log",
        [
            "iCode",
            "check_SkewKurt0.Pass",
            "check_SkewKurt0.Skew",
            "check_SkewKurt0.Kurt",
            "winsorise.nwin",
            "check_SkewKurt1.Pass",
            "check_SkewKurt1.Skew",
            "check_SkewKurt1.Kurt",
            "second_stage",
            "check_SkewKurt2.Pass",
            "check_SkewKurt2.Skew",
            "check_SkewKurt2.Kurt",
            "passes",
            "winsorised_units",
        ],
    )
    .describe(
        "Outlier treatment: skewness and kurtosis before and after, points winsorised, transforms.",
    );
    t.bools = BoolText::Upper;
    let check = |s: Option<SkewKurt>| match s {
        Some(s) => [Cell::Bool(s.pass), Cell::num(s.skew), Cell::num(s.kurt)],
        None => [Cell::Empty, Cell::Empty, Cell::Empty],
    };
    for r in log {
        let [p0, s0, k0] = check(r.before);
        let [p1, s1, k1] = check(r.after_winsorisation);
        let [p2, s2, k2] = check(r.after_second_stage);
        let moved: Vec<String> = r
            .winsorised
            .iter()
            .map(|w| {
                let side = match w.side {
                    Side::High => "high",
                    Side::Low => "low",
                };
                format!("{} ({side}: {} -> {})", w.unit, w.original, w.winsorised)
            })
            .collect();
        t.push(vec![
            Cell::text(r.indicator.clone()),
            p0,
            s0,
            k0,
            if r.n_winsorised > 0 {
                Cell::count(r.n_winsorised)
            } else {
                Cell::Empty
            },
            p1,
            s1,
            k1,
            Cell::text(r.second_stage.clone().unwrap_or_default()),
            p2,
            s2,
            k2,
            r.passes.map_or(Cell::Empty, Cell::Bool),
            Cell::text(moved.join("; ")),
        ]);
    }
    t
}

/// The reports of the denominate, impute and screen steps of a run, one table
/// each (a name used twice gets the step number appended):
///
/// - `denominated_missing`: `uCode, iCode` of each cell made missing by a zero
///   or missing denominator;
/// - `imputation`: `iCode, uCode, value` of each imputed cell (its value in the
///   imputed data set; not available after
///   [`Pipeline::run_final_only`](crate::Pipeline::run_final_only));
/// - `screening`: `uCode, removed, reason, share` of each unit removed, or kept
///   only because it is forced in.
///
/// The treatment log is [`treatment_log`].
pub fn step_reports(results: &Results) -> Vec<Table> {
    let sets = results.datasets();
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    let mut out = Vec::new();
    for (s, report) in results.reports().iter().enumerate() {
        // Input and output of step s (full runs only).
        let input = (!results.is_final_only()).then(|| sets.get(s)).flatten();
        let output = (!results.is_final_only())
            .then(|| sets.get(s + 1))
            .flatten();
        let table = match report {
            StepReport::Denominate { made_missing } => {
                let mut t = Table::new(
                    "denominated_missing",
                    ["uCode", "iCode", "denominator", "denominator_value"],
                )
                .describe(
                    "Cells made missing by the denominate step (zero or missing denominator, \
                     or a quotient too large for a number).",
                );
                for m in made_missing {
                    t.push(vec![
                        Cell::text(m.unit.clone()),
                        Cell::text(m.indicator.clone()),
                        Cell::text(m.denominator.clone()),
                        Cell::num(m.denominator_value),
                    ]);
                }
                t
            }
            StepReport::Impute(rep) => {
                let Some(out) = output else { continue };
                let mut t = Table::new("imputation", ["iCode", "uCode", "value"])
                    .describe("Cells filled by the impute step, with the value imputed.");
                for (ind, rows) in &rep.imputed {
                    let col = out.column(ind);
                    for &r in rows {
                        t.push(vec![
                            Cell::text(ind.clone()),
                            out.unit_codes
                                .get(r)
                                .map_or(Cell::Empty, |u| Cell::text(u.clone())),
                            col.and_then(|c| c.get(r))
                                .map_or(Cell::Empty, |&v| Cell::num(v)),
                        ]);
                    }
                }
                t
            }
            StepReport::Screen(rep) => {
                let mut t = Table::new("screening", ["uCode", "removed", "reason", "share"])
                    .describe("Units removed by the screen step (and units kept only because forced in), with the share of data that decided it.");
                for u in &rep.removed {
                    let (reason, share) = match u.reason {
                        ScreenReason::MissingData { share } => ("missing_data", Cell::num(share)),
                        ScreenReason::Zeros { share } => ("zeros", Cell::num(share)),
                        ScreenReason::ForcedExclude {} => ("forced_exclude", Cell::Empty),
                    };
                    t.push(vec![
                        Cell::text(u.code.clone()),
                        Cell::Bool(true),
                        Cell::text(reason),
                        share,
                    ]);
                }
                for &r in &rep.forced_in {
                    let code = input.and_then(|i| i.unit_codes.get(r));
                    t.push(vec![
                        code.map_or(Cell::Empty, |c| Cell::text(c.clone())),
                        Cell::Bool(false),
                        Cell::text("forced_include"),
                        Cell::Empty,
                    ]);
                }
                t
            }
            _ => continue,
        };
        let k = seen.entry(step_key(report)).or_insert(0);
        *k += 1;
        let mut table = table;
        if *k > 1 {
            table.name = format!("{}_{}", table.name, s + 1);
        }
        out.push(table);
    }
    out
}

fn step_key(r: &StepReport) -> &'static str {
    match r {
        StepReport::Denominate { .. } => "denominate",
        StepReport::Impute(_) => "impute",
        StepReport::Screen(_) => "screen",
        _ => "other",
    }
}
