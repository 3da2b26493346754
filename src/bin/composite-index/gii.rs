//! `gii`: the Global Innovation Index computed from WIPO's official workbook,
//! with the report of how far it is from WIPO's published scores and ranks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use composite_index::coverage::CoverageStatus;
use composite_index::insights::ReproductionReport;
use composite_index::instances::gii;
use composite_index::io::{read_wipo_data_csv, read_wipo_xlsx};
use composite_index::report::{Block, RunReport, Section, Table};

use crate::errors::{CliError, CliResult, computing, in_file};
use crate::output::{CsvTable, Outputs, cell, say};
use crate::run::write_run;

/// Options of `gii`.
#[derive(Debug, Args)]
pub(crate) struct GiiArgs {
    /// WIPO's official GII workbook (.xlsx, sheet "Data" with ISO3, NUM, VALUE_SCREEN, SCORE, RANK), or its Data sheet saved as CSV.
    #[arg(long, value_name = "FILE")]
    pub(crate) workbook: PathBuf,
    /// Edition of the GII whose framework the file follows.
    #[arg(long, default_value_t = 2025)]
    pub(crate) edition: u16,
    /// Drop the economies below WIPO's data-coverage thresholds before computing (WIPO's rule); by default they are computed and flagged.
    #[arg(long)]
    pub(crate) exclude: bool,
    /// Also write the data sets, results, reproduction table, charts and an HTML report here.
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Fail (exit code 1) unless every published score is reproduced within this absolute tolerance and every rank agrees.
    #[arg(long, value_name = "TOL")]
    pub(crate) check: Option<f64>,
    /// Economies shown in the printed ranking.
    #[arg(long, default_value_t = 10)]
    pub(crate) top: usize,
}

/// Runs `gii`.
pub(crate) fn gii(args: &GiiArgs) -> CliResult {
    if let Some(tol) = args.check
        && !(tol.is_finite() && tol >= 0.0)
    {
        return Err(CliError::Usage(format!(
            "--check {tol} is not a tolerance: give a finite number, at least 0"
        )));
    }
    let edition = args.edition;
    let mut spec = gii::spec(edition).map_err(|e| {
        CliError::Usage(format!("--edition: {}", crate::errors::sentence(None, &e)))
    })?;
    if let Some(rule) = &mut spec.coverage {
        rule.exclude = args.exclude;
    }
    if !args.workbook.is_file() {
        return Err(CliError::Data(format!(
            "cannot read the workbook {}: no such file.",
            args.workbook.display()
        )));
    }
    let xlsx = args
        .workbook
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    let wb = if xlsx {
        read_wipo_xlsx(&args.workbook, edition)
    } else {
        read_wipo_data_csv(&args.workbook, edition)
    }
    .map_err(|e| in_file(&args.workbook, &e))?;
    let run = gii::run_spec(spec, wb.data.clone())
        .map_err(|e| computing(&format!("computing the GII {edition}"), &e))?;

    say(&format!(
        "Global Innovation Index {} from {}: {} economies, {} indicators.",
        edition,
        args.workbook.display(),
        wb.data.n_units(),
        wb.data.n_indicators()
    ));
    let below = run.coverage().map_or(0, |c| c.below().len());
    if below > 0 {
        say(&format!(
            "{below} economies are below WIPO's data-coverage thresholds ({}).",
            if args.exclude {
                "excluded"
            } else {
                "computed and flagged; pass --exclude to drop them"
            }
        ));
    }
    say(&format!(
        "{:>4}  {:<28} {:>7} {:>7} {:>7}",
        "rank", "economy", "GII", "input", "output"
    ));
    let table = run
        .table()
        .map_err(|e| computing("tabulating the GII", &e))?;
    for row in table.iter().take(args.top) {
        say(&format!(
            "{:>4}  {:<28} {:>7.2} {:>7.2} {:>7.2}{}",
            row.rank.map_or_else(|| "-".into(), |r| r.to_string()),
            row.name,
            row.score,
            row.input,
            row.output,
            match row.coverage {
                CoverageStatus::Meets => "",
                CoverageStatus::Below => "  (below coverage)",
                _ => "  (coverage unknown)",
            }
        ));
    }
    let report = wb.has_scores().then(|| wb.reproduction_report(&run));
    match &report {
        Some(r) => {
            say("\nReproduction of WIPO's published scores and ranks:");
            for line in r.to_string().lines() {
                say(line);
            }
            say(&format!(
                "Largest difference over all levels: {:.3e}.",
                r.max_abs_diff()
            ));
        }
        None => say(&format!(
            "\n{} carries no published scores (SCORE column), so there is nothing to compare.",
            args.workbook.display()
        )),
    }

    if let Some(out) = &args.out {
        let mut files = Outputs::new();
        write_run(&run.pipeline, &run.results, out, &mut files)?;
        let mut extra = Vec::new();
        if let Some(r) = &report {
            files.csv(&out.join("reproduction.csv"), reproduction_table(r))?;
            files.json(&out.join("reproduction.json"), r)?;
            extra.push(reproduction_section(r));
        }
        let mut rr = RunReport::new(&run.pipeline, &run.results);
        for s in extra {
            rr = rr.section(s);
        }
        let charts = rr
            .charts()
            .map_err(|e| computing("drawing the charts", &e))?;
        files.charts(&out.join("charts"), &charts)?;
        let html = rr
            .html(&charts)
            .map_err(|e| computing("writing the report", &e))?;
        files.text(&out.join("report.html"), &html.to_html())?;
        files.commit()?;
        say(&format!(
            "Wrote the data sets, results{} and report.html to {}.",
            if report.is_some() {
                ", reproduction.csv"
            } else {
                ""
            },
            out.display()
        ));
    }

    if let Some(tol) = args.check {
        match &report {
            Some(r) if r.agrees(tol) => {}
            Some(r) => {
                return Err(CliError::Data(format!(
                    "{}: the GII is not reproduced within {tol}: the largest difference is {:.3e} (see the table above).",
                    args.workbook.display(),
                    r.max_abs_diff()
                )));
            }
            None => {
                return Err(CliError::Data(format!(
                    "{}: --check needs published scores, and the file has none.",
                    args.workbook.display()
                )));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn reproduction_table(r: &ReproductionReport) -> CsvTable {
    let mut t = CsvTable::new(&[
        "level",
        "label",
        "scores_compared",
        "max_abs_diff",
        "mean_abs_diff",
        "worst_unit",
        "worst_node",
        "worst_ours",
        "worst_published",
        "ranks_compared",
        "ranks_agree",
        "published_only",
    ]);
    for l in &r.levels {
        let (u, n, o, p) = l.worst.as_ref().map_or_else(
            || (String::new(), String::new(), String::new(), String::new()),
            |w| {
                (
                    w.unit.clone(),
                    w.node.clone(),
                    cell(w.ours),
                    cell(w.published),
                )
            },
        );
        t.row([
            l.level.to_string(),
            l.label.clone(),
            l.compared.to_string(),
            cell(l.max_abs_diff),
            cell(l.mean_abs_diff),
            u,
            n,
            o,
            p,
            l.ranks_compared.to_string(),
            l.ranks_agree.to_string(),
            l.published_only.to_string(),
        ]);
    }
    t
}

fn reproduction_section(r: &ReproductionReport) -> Section {
    let mut t = Table::new([
        "level",
        "scores compared",
        "max |diff|",
        "mean |diff|",
        "largest at",
        "ranks agree",
        "published only",
    ]);
    for l in &r.levels {
        t.push([
            l.label.clone(),
            l.compared.to_string(),
            format!("{:.3e}", l.max_abs_diff),
            format!("{:.3e}", l.mean_abs_diff),
            l.worst
                .as_ref()
                .map_or_else(String::new, |w| format!("{} / {}", w.unit, w.node)),
            format!("{}/{}", l.ranks_agree, l.ranks_compared),
            l.published_only.to_string(),
        ]);
    }
    Section::new("Reproduction of WIPO's published scores").with(Block::Table(t))
}
