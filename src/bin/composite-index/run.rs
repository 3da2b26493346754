//! `run`: the pipeline, every data set, the results, the treatment log, charts
//! and the HTML report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use composite_index::Results;
use composite_index::pipeline::Pipeline;
use composite_index::report::RunReport;
use composite_index::results::StepReport;
use composite_index::tables;
use composite_index::workbook::Workbook;

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load::{self, Input};
use crate::output::{CsvTable, MAX_LISTED, Outputs, cell, say, warn};

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
    /// Also write everything as one Excel workbook, OUT/results.xlsx (a sheet per table).
    #[arg(long)]
    pub(crate) xlsx: bool,
    #[command(flatten)]
    pub(crate) profiles: crate::profiles::ProfileArgs,
    #[command(flatten)]
    pub(crate) panel: crate::panel::PanelArgs,
}

/// Runs `run`.
pub(crate) fn run(args: &RunArgs) -> CliResult {
    if let Some(panel) = crate::panel::detect(&args.input)? {
        return crate::panel::run_command(args, &panel);
    }
    let input = load::load(&args.input)?;
    let pipeline = load::pipeline(&input)?;
    if let Some(n) = &args.node
        && pipeline.framework().index_of(n).is_none()
    {
        let fw = pipeline.framework();
        return Err(CliError::Usage(format!(
            "--node {n:?} is not a node of the framework of {}{}",
            input.spec_path.display(),
            composite_index::suggest::hint(n, (0..fw.len()).map(|i| fw.code(i)))
        )));
    }
    let results = pipeline
        .run()
        .map_err(|e| computing(&format!("running {}", input.spec_path.display()), &e))?;
    let mut files = Outputs::new();
    write_run(&pipeline, &results, &args.out, &mut files)?;
    let profile_tables = crate::profiles::write_profiles(
        &args.profiles,
        &pipeline,
        &results,
        None,
        &args.out,
        &mut files,
    )?;
    if args.xlsx {
        let mut book =
            Workbook::run(&pipeline, &results).map_err(|e| computing("making the workbook", &e))?;
        book.tables.extend(profile_tables);
        files.workbook(&args.out.join("results.xlsx"), &book)?;
    }
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
        files.charts(&args.out.join("charts"), &charts)?;
        let html = report
            .html(&charts)
            .map_err(|e| computing("writing the report", &e))?;
        files.text(&args.out.join("report.html"), &html.to_html())?;
    }
    let written = files.commit()?;
    warn_made_missing(&results);
    print_summary(&input, &pipeline, &results);
    say(&format!(
        "Wrote {} files to {}{}",
        written.len(),
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

/// Prints a warning for every value that denomination set to missing (a zero or
/// missing denominator), naming the unit, the indicator and the denominator.
pub(crate) fn warn_made_missing(results: &Results) {
    let lost: Vec<String> = results
        .reports()
        .iter()
        .filter_map(|r| match r {
            StepReport::Denominate { made_missing } => Some(made_missing),
            _ => None,
        })
        .flatten()
        .map(ToString::to_string)
        .collect();
    for line in lost.iter().take(MAX_LISTED) {
        warn(line);
    }
    if lost.len() > MAX_LISTED {
        warn(&format!(
            "and {} more values set to missing by a zero or missing denominator (see the report)",
            composite_index::error::thousands(lost.len() - MAX_LISTED)
        ));
    }
}

/// Stages the data sets, results, rank tables, framework, treatment log and the
/// other step reports of a run in `out`.
///
/// # Errors
/// A file cannot be staged.
pub(crate) fn write_run(
    pipeline: &Pipeline,
    results: &Results,
    out: &Path,
    files: &mut Outputs,
) -> Result<(), CliError> {
    let sets = out.join("datasets");
    for s in results.datasets() {
        let path = sets.join(format!("{}.csv", s.name()));
        files.file(&path, |w| {
            s.write_csv(w)
                .map_err(|e| std::io::Error::other(e.to_string()))
        })?;
    }
    let tables =
        tables::run_tables(pipeline, results).map_err(|e| computing("writing the tables", &e))?;
    for t in &tables {
        files.table(out, t)?;
    }
    let json = results
        .to_json()
        .map_err(|e| computing("writing the results as JSON", &e))?;
    files.text(&out.join("results.json"), &json)?;
    write_optimal_weights(results, out, files)?;
    if let Some(log) = results.treatment_log() {
        files.json(&out.join("treatment_log.json"), &log)?;
    }
    Ok(())
}

/// Stages the weights Benefit of the Doubt chose for each unit, one file per
/// node: `optimal_weights/<node>.csv` with `uCode`, each child's share and
/// multiplier, and whether the unit's optimal weights are unique.
///
/// # Errors
/// A file cannot be staged.
fn write_optimal_weights(
    results: &Results,
    out: &Path,
    files: &mut Outputs,
) -> Result<(), CliError> {
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
        files.csv(&path, t)?;
    }
    Ok(())
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
                    .unit_codes()
                    .iter()
                    .position(|u| u == code)
                    .and_then(|i| names.get(last.units()[i]))
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
