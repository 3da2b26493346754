//! `composite-index`: run, validate, audit and explain a composite index from the
//! command line, without writing Rust.
//!
//! ```text
//! composite-index run spec.toml --data data.csv --out out      # data sets, results, report.html
//! composite-index trends spec.toml --data panel.csv --out t    # rank changes, streaks, trends
//! composite-index validate spec.toml --data data.csv           # every problem at once
//! composite-index audit spec.toml --data data.csv --out audit  # statistics, correlations, alpha, PCA
//! composite-index uncertainty spec.toml --data data.csv --out ua --runs 1000 --sobol 500
//! composite-index efficiency spec.toml --data data.csv --out eff  # DEA: peers, slacks, frontier chart
//! composite-index gii --workbook GII-2025-tech1.xlsx           # WIPO's workbook, reproduction report
//! composite-index init --meta iMeta.csv --out spec.toml        # starter spec from COINr's iMeta
//! composite-index specs                                        # the shipped specs (GII, PII)
//! composite-index run gii-2025 --data my.csv --out out         # a shipped spec on your data
//! composite-index plot scatter spec.toml --data data.csv --x GDP --y Index --fit log --out s.svg
//! ```
//!
//! Exit codes: 0 success, 1 a problem with the specification or the data (or a
//! failed computation), 2 a usage error (unknown option, missing argument).
//! Every error is printed as one sentence naming the file, line and column
//! concerned.

mod audit;
mod efficiency;
mod errors;
mod gii;
mod init;
mod load;
mod output;
mod panel;
mod plot;
mod profiles;
mod run;
mod specs;
mod trends;
mod uncertainty;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Build, check, audit and explain composite indices (COINr-style pipelines)
/// from a TOML specification and CSV data.
#[derive(Debug, Parser)]
#[command(
    name = "composite-index",
    version,
    about,
    long_about = None,
    after_help = after_help()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn after_help() -> String {
    format!(
        "SPEC is an index specification (TOML or JSON), a project file naming a specification and its data, or the name of a specification shipped with composite-index ({}: see `composite-index specs`).\nSee the README section \"Command line\" for the file formats.",
        composite_index::instances::names().join(", ")
    )
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the pipeline: write every data set, the results, the treatment log, charts and an HTML report.
    /// On panel data (a Time column with several editions) every data set is one long table.
    Run(run::RunArgs),
    /// Compare the editions of panel data: rank changes, streaks, biggest movers and trends.
    Trends(trends::TrendsArgs),
    /// Check a specification and its data and report every problem found.
    Validate(validate::ValidateArgs),
    /// Audit a run: indicator statistics, correlations, Cronbach's alpha and PCA tables.
    Audit(audit::AuditArgs),
    /// Uncertainty (Monte Carlo) and sensitivity (Sobol) analysis of the ranks.
    Uncertainty(uncertainty::UncertaintyArgs),
    /// Data envelopment analysis of chosen inputs and outputs: scores, peers, lambdas, slacks and the frontier chart.
    Efficiency(efficiency::EfficiencyArgs),
    /// Run the Global Innovation Index on WIPO's official workbook and print the reproduction report.
    Gii(gii::GiiArgs),
    /// Write a starter specification from a COINr-style iMeta table or a COIN Tool workbook.
    Init(init::InitArgs),
    /// List the specifications shipped with composite-index (GII, PII), print one, or copy one to adapt it.
    Specs(specs::SpecsArgs),
    /// Draw one chart as SVG: scatter, dot, dist (box/violin/histogram), sunburst, corr.
    Plot(plot::PlotArgs),
}

/// The specification and where its data come from (shared by run, validate,
/// audit and uncertainty).
#[derive(Debug, Clone, Args)]
pub(crate) struct InputArgs {
    /// Index specification (TOML or JSON), a project file (TOML with `spec = "..."` and a [data] table), or a shipped specification's name (gii-2025; see `specs`).
    #[arg(value_name = "SPEC")]
    pub(crate) spec: PathBuf,
    /// Data table (CSV): a unit code column (uCode), optional uName and Time, one column per indicator.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["imeta", "idata"])]
    pub(crate) data: Option<PathBuf>,
    /// COINr iMeta table: says which iData columns are groups, denominators or other (use with --idata).
    #[arg(long, value_name = "FILE.csv", requires = "idata")]
    pub(crate) imeta: Option<PathBuf>,
    /// COINr iData table (use with --imeta).
    #[arg(long, value_name = "FILE.csv", requires = "imeta")]
    pub(crate) idata: Option<PathBuf>,
    /// A JRC COIN Tool workbook (its Database and Framework sheets); a spec with `framework = { nodes = [] }` takes its framework from it.
    #[arg(long, value_name = "FILE.xlsx", conflicts_with_all = ["data", "imeta", "idata"])]
    pub(crate) coin_tool: Option<PathBuf>,
    /// Group (categorical) columns of --data, comma-separated. Columns not in the framework are groups anyway.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub(crate) groups: Vec<String>,
    /// Denominator columns of --data, comma-separated. Columns named as a denominator in the spec are found without it.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub(crate) denominators: Vec<String>,
    /// Columns of --data to skip, comma-separated.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
    /// Column of unit codes in --data [default: uCode].
    #[arg(long, value_name = "COL")]
    pub(crate) unit_code: Option<String>,
    /// Column of unit names in --data [default: uName, when present].
    #[arg(long, value_name = "COL")]
    pub(crate) unit_names: Option<String>,
    /// Time column in --data [default: Time, when present].
    #[arg(long, value_name = "COL")]
    pub(crate) time: Option<String>,
}

/// The message of the last panic, printed only if it reaches `main` (the library
/// catches the panics of a dependency that it turns into errors).
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut p) = PANIC.lock() {
            *p = Some(format!("{msg}{at}"));
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return errors::clap_error(&e),
    };
    let run = std::panic::catch_unwind(|| match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Trends(a) => trends::trends(&a),
        Command::Validate(a) => validate::validate(&a),
        Command::Audit(a) => audit::audit(&a),
        Command::Uncertainty(a) => uncertainty::uncertainty(&a),
        Command::Efficiency(a) => efficiency::efficiency(&a),
        Command::Gii(a) => gii::gii(&a),
        Command::Init(a) => init::init(&a),
        Command::Specs(a) => specs::specs(&a),
        Command::Plot(a) => plot::plot(&a),
    });
    let result = match run {
        Ok(r) => r,
        Err(_) => {
            let msg = PANIC
                .lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_else(|| "unknown failure".into());
            eprintln!(
                "error: internal error ({msg}); this is a bug of composite-index, please report it with the command you ran."
            );
            return ExitCode::from(101);
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", errors::end(e.message()));
            e.exit_code()
        }
    }
}
