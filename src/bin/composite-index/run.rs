//! `run`: the pipeline, every data set, the results, the treatment log, charts
//! and the HTML report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use composite_index::Results;
use composite_index::pipeline::Pipeline;
use composite_index::report::RunReport;
use composite_index::tables;
use composite_index::workbook::Workbook;

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load::{self, Input};
use crate::output::{mkdir, save_table, save_workbook, say, write, write_charts};

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
}

/// Runs `run`.
pub(crate) fn run(args: &RunArgs) -> CliResult {
    let input = load::load(&args.input)?;
    let pipeline = load::pipeline(&input)?;
    let results = pipeline
        .run()
        .map_err(|e| computing(&format!("running {}", input.spec_path.display()), &e))?;
    let mut written = write_run(&pipeline, &results, &args.out)?;
    let profile_tables =
        crate::profiles::write_profiles(&args.profiles, &pipeline, &results, None, &args.out)?;
    if args.xlsx {
        let mut book =
            Workbook::run(&pipeline, &results).map_err(|e| computing("making the workbook", &e))?;
        book.tables.extend(profile_tables);
        let path = args.out.join("results.xlsx");
        save_workbook(&path, &book)?;
        written.push(path);
    }
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

/// Writes the data sets, results, rank tables, framework, treatment log and the
/// other step reports of a run into `out`.
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
    let tables =
        tables::run_tables(pipeline, results).map_err(|e| computing("writing the tables", &e))?;
    for t in &tables {
        written.push(save_table(out, t)?);
    }
    let path = out.join("results.json");
    let json = results
        .to_json()
        .map_err(|e| computing("writing the results as JSON", &e))?;
    write(&path, &json)?;
    written.push(path);
    if let Some(log) = results.treatment_log() {
        let path = out.join("treatment_log.json");
        crate::output::write_json(&path, &log)?;
        written.push(path);
    }
    Ok(written)
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
