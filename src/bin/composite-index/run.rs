//! `run`: the pipeline, every data set, the results, the treatment log, charts
//! and the HTML report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use composite_index::Results;
use composite_index::pipeline::Pipeline;
use composite_index::prepare::{Side, TreatmentRecord};
use composite_index::report::RunReport;

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load::{self, Input};
use crate::output::{CsvTable, cell, mkdir, say, write, write_charts};

/// Options of `run`.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output directory (created if needed; files in it are replaced).
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Node ranked in the charts and the report [default: the index].
    #[arg(long, value_name = "CODE")]
    pub(crate) node: Option<String>,
    /// Write no charts and no HTML report.
    #[arg(long)]
    pub(crate) no_report: bool,
    /// Chart every indicator before and after treatment, not only the treated ones.
    #[arg(long)]
    pub(crate) all_distributions: bool,
}

/// Runs `run`.
pub(crate) fn run(args: &RunArgs) -> CliResult {
    let input = load::load(&args.input)?;
    let pipeline = load::pipeline(&input)?;
    let results = pipeline
        .run()
        .map_err(|e| computing(&format!("running {}", input.spec_path.display()), &e))?;
    let written = write_run(&pipeline, &results, &args.out)?;
    let mut report_files = Vec::new();
    if !args.no_report {
        let mut report =
            RunReport::new(&pipeline, &results).all_distributions(args.all_distributions);
        if let Some(n) = &args.node {
            if results.scores(n).is_none() {
                return Err(CliError::Usage(format!(
                    "--node {n:?} is not a node with scores in the results of {}",
                    input.spec_path.display()
                )));
            }
            report = report.node(n.clone());
        }
        let charts = report
            .charts()
            .map_err(|e| computing("drawing the charts", &e))?;
        report_files = write_charts(&args.out.join("charts"), &charts)?;
        let html = report
            .html(&charts)
            .map_err(|e| computing("writing the report", &e))?;
        let path = args.out.join("report.html");
        write(&path, &html.to_html())?;
        report_files.push(path);
    }
    print_summary(&input, &pipeline, &results);
    say(&format!(
        "Wrote {} files to {}{}",
        written.len() + report_files.len(),
        args.out.display(),
        if args.no_report {
            ".".to_owned()
        } else {
            format!(
                "; open {} in a browser.",
                args.out.join("report.html").display()
            )
        }
    ));
    Ok(ExitCode::SUCCESS)
}

/// Writes the data sets, results and treatment log of a run into `out`.
///
/// # Errors
/// A file cannot be written.
pub(crate) fn write_run(
    pipeline: &Pipeline,
    results: &Results,
    out: &Path,
) -> Result<Vec<PathBuf>, CliError> {
    mkdir(out)?;
    let sets = out.join("datasets");
    results
        .write_csv_dir(&sets)
        .map_err(|e| computing("writing the data sets", &e))?;
    let mut written: Vec<PathBuf> = results
        .datasets()
        .iter()
        .map(|s| sets.join(format!("{}.csv", s.name)))
        .collect();
    let path = out.join("results.csv");
    results_table(pipeline, results).save(&path)?;
    written.push(path);
    let path = out.join("results.json");
    let json = results
        .to_json()
        .map_err(|e| computing("writing the results as JSON", &e))?;
    write(&path, &json)?;
    written.push(path);
    written.extend(write_optimal_weights(results, out)?);
    if let Some(log) = results.treatment_log() {
        let path = out.join("treatment_log.csv");
        treatment_table(log).save(&path)?;
        written.push(path);
        let path = out.join("treatment_log.json");
        crate::output::write_json(&path, &log)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes the weights Benefit of the Doubt chose for each unit, one file per
/// node: `optimal_weights/<node>.csv` with `uCode`, each child's share and
/// multiplier, and whether the unit's optimal weights are unique.
///
/// # Errors
/// A file cannot be written.
fn write_optimal_weights(results: &Results, out: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut written = Vec::new();
    for code in results.node_codes() {
        let Some(w) = results.optimal_weights(code) else {
            continue;
        };
        let mut header = vec!["uCode".to_owned()];
        header.extend(w.children.iter().map(|c| format!("share_{c}")));
        header.extend(w.children.iter().map(|c| format!("multiplier_{c}")));
        header.push("unique".into());
        let mut t = CsvTable::new(&header);
        for (k, u) in w.units.iter().enumerate() {
            let mut row = vec![u.clone()];
            row.extend((0..w.children.len()).map(|j| cell(w.shares[(k, j)])));
            row.extend((0..w.children.len()).map(|j| cell(w.multipliers[(k, j)])));
            row.push(w.unique[k].to_string());
            t.row(row);
        }
        let path = out.join("optimal_weights").join(format!("{code}.csv"));
        t.save(&path)?;
        written.push(path);
    }
    Ok(written)
}

/// Scores and ranks of every node, one row per unit in order of the index's rank:
/// `uCode, uName`, then `<node>, <node>_rank` for the index, the aggregates from
/// the top level down and the indicators.
pub(crate) fn results_table(pipeline: &Pipeline, results: &Results) -> CsvTable {
    let fw = pipeline.framework();
    let mut nodes: Vec<usize> = Vec::new();
    for level in (1..=fw.n_levels()).rev() {
        nodes.extend(fw.nodes_at_level(level));
    }
    /// A node's code, scores and ranks.
    type Column<'a> = (&'a str, &'a [f64], Vec<Option<u32>>);
    let nodes: Vec<Column<'_>> = nodes
        .iter()
        .filter_map(|&i| {
            let code = fw.code(i);
            let s = results.scores(code)?;
            Some((code, s, composite_index::stats::rank_desc(s)))
        })
        .collect();
    let mut header = vec!["uCode".to_owned(), "uName".to_owned()];
    for (code, _, _) in &nodes {
        header.push((*code).to_owned());
        header.push(format!("{code}_rank"));
    }
    let mut t = CsvTable::new(&header);
    let names = pipeline.data().unit_names();
    let last = results.last();
    let mut order: Vec<usize> = (0..last.unit_codes.len()).collect();
    if let Some((_, _, ranks)) = nodes.first() {
        order.sort_by_key(|&u| ranks[u].unwrap_or(u32::MAX));
    }
    for u in order {
        let mut row = vec![
            last.unit_codes[u].clone(),
            names.get(last.units[u]).cloned().unwrap_or_default(),
        ];
        for (_, s, r) in &nodes {
            row.push(cell(s[u]));
            row.push(r[u].map_or_else(String::new, |r| r.to_string()));
        }
        t.row(row);
    }
    t
}

/// The treatment log in COINr's layout (`iCode`, `check_SkewKurt0.*`,
/// `winsorise.nwin`, `check_SkewKurt1.*`), followed by the second stage, the check
/// after it, whether the indicator passes in the end and the units moved.
pub(crate) fn treatment_table(log: &[TreatmentRecord]) -> CsvTable {
    let mut t = CsvTable::new(&[
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
    ]);
    let b = |v: bool| if v { "TRUE" } else { "FALSE" }.to_owned();
    for r in log {
        let check = |s: Option<composite_index::prepare::SkewKurt>| match s {
            Some(s) => [b(s.pass), cell(s.skew), cell(s.kurt)],
            None => [String::new(), String::new(), String::new()],
        };
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
        t.row([
            r.indicator.clone(),
            p0,
            s0,
            k0,
            if r.n_winsorised > 0 {
                r.n_winsorised.to_string()
            } else {
                String::new()
            },
            p1,
            s1,
            k1,
            r.second_stage.clone().unwrap_or_default(),
            p2,
            s2,
            k2,
            r.passes.map_or_else(String::new, b),
            moved.join("; "),
        ]);
    }
    t
}

fn print_summary(input: &Input, pipeline: &Pipeline, results: &Results) {
    let fw = pipeline.framework();
    let root = fw.code(fw.root());
    say(&format!(
        "{}: {} units, {} indicators, {} steps (data: {}).",
        pipeline
            .spec()
            .name
            .as_deref()
            .unwrap_or(fw.name(fw.root())),
        results.unit_codes().len(),
        fw.indicators().len(),
        pipeline.spec().steps.len(),
        input.source.describe()
    ));
    if let Some(ranking) = results.ranking(root) {
        let names = pipeline.data().unit_names();
        let last = results.last();
        let shown: Vec<String> = ranking
            .iter()
            .take(5)
            .map(|(code, score, rank)| {
                let name = last
                    .unit_codes
                    .iter()
                    .position(|u| u == code)
                    .and_then(|i| names.get(last.units[i]))
                    .unwrap_or(code);
                format!(
                    "{}. {name} ({})",
                    rank.map_or_else(|| "-".into(), |r| r.to_string()),
                    crate::output::cell((score * 100.0).round() / 100.0)
                )
            })
            .collect();
        say(&format!("Top of {root}: {}.", shown.join(", ")));
    }
}
