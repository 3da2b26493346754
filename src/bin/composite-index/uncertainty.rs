//! `uncertainty`: Monte Carlo rank intervals and Sobol sensitivity indices, with
//! a progress bar.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use composite_index::Framework;
use composite_index::report::{RunReport, SobolChart, UncertaintyChart};
use composite_index::tables;
use composite_index::uncertainty::{
    Execution, Noise, Progress, Sampling, SensitivitySpec, UncertainInput, UncertaintySpec,
    sensitivity_analysis, uncertainty_analysis,
};
use composite_index::workbook::Workbook;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing, in_file};
use crate::load;
use crate::output::{Outputs, say};

/// Options of `uncertainty`.
#[derive(Debug, Args)]
pub(crate) struct UncertaintyArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output directory (created if needed).
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Analysis file (TOML or JSON, the crate's UncertaintySpec: runs, seed, inputs, targets, within). Default: ±25% uniform noise on the weights of every level below the index.
    #[arg(long, value_name = "FILE")]
    pub(crate) analysis: Option<PathBuf>,
    /// Number of Monte Carlo runs (overrides the analysis file) [default: 1000].
    #[arg(long)]
    pub(crate) runs: Option<usize>,
    /// Seed of the random streams (overrides the analysis file) [default: 0].
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Also compute Sobol sensitivity indices of the same inputs with this base sample size N (N x (inputs + 2) runs).
    #[arg(long, value_name = "N")]
    pub(crate) sobol: Option<usize>,
    /// Bootstrap resamples of the Sobol intervals.
    #[arg(long, default_value_t = 1000)]
    pub(crate) bootstrap: usize,
    /// Sampling of the Sobol design.
    #[arg(long, value_enum, default_value_t = SamplingArg::Sobol)]
    pub(crate) sampling: SamplingArg,
    /// Worker threads [default: all cores]; results are the same for any number.
    #[arg(long)]
    pub(crate) threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Also write the results and the analyses as one Excel workbook, OUT/uncertainty.xlsx (and OUT/results.csv).
    #[arg(long)]
    pub(crate) xlsx: bool,
    #[command(flatten)]
    pub(crate) profiles: crate::profiles::ProfileArgs,
}

/// Sampling of the Sobol design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SamplingArg {
    /// Quasi-random Sobol sequence.
    Sobol,
    /// Plain Monte Carlo.
    MonteCarlo,
}

fn analysis_spec(args: &UncertaintyArgs, fw: &Framework) -> Result<UncertaintySpec, CliError> {
    let mut spec = match &args.analysis {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| crate::errors::io(path, "read", &e))?;
            let parsed = if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            {
                composite_index::spec::parse_json::<UncertaintySpec>(&text)
            } else {
                composite_index::spec::parse_toml::<UncertaintySpec>(&text)
            };
            parsed.map_err(|e| in_file(path, &e))?
        }
        None => UncertaintySpec::new(
            (1..fw.n_levels())
                .map(|level| UncertainInput::WeightNoise {
                    label: None,
                    level,
                    factor: 0.25,
                    noise: Noise::Uniform {},
                    replicates: None,
                })
                .collect(),
        ),
    };
    if let Some(r) = args.runs {
        spec.runs = r;
    }
    if let Some(s) = args.seed {
        spec.seed = s;
    }
    Ok(spec)
}

fn bar(total: usize, what: &str, quiet: bool) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(
        Some(total as u64),
        if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>12} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, about {eta} left",
    ) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_owned());
    pb
}

/// Runs `uncertainty`.
pub(crate) fn uncertainty(args: &UncertaintyArgs) -> CliResult {
    // Every option is checked before any work, so that a wrong one costs nothing
    // and changes no file.
    for (name, value, min) in [
        ("--runs", args.runs, 1),
        ("--sobol", args.sobol, 2),
        ("--threads", args.threads, 1),
    ] {
        if let Some(v) = value
            && v < min
        {
            return Err(CliError::Usage(format!(
                "{name} {v} is too small: give at least {min}{}",
                if name == "--sobol" {
                    " (the base sample size N of the Sobol design)"
                } else {
                    ""
                }
            )));
        }
    }
    let execution = match args.threads {
        Some(n) => Execution::Threads(n),
        None => Execution::Parallel,
    };
    let input = load::load(&args.input)?;
    let pipeline = load::pipeline(&input)?;
    let spec = analysis_spec(args, pipeline.framework())?;
    let where_ = args
        .analysis
        .as_deref()
        .map_or_else(|| input.spec_path.clone(), std::path::Path::to_path_buf);
    let sensitivity = args.sobol.map(|n| {
        let mut s = SensitivitySpec::new(spec.inputs.clone())
            .n(n)
            .seed(spec.seed)
            .sampling(match args.sampling {
                SamplingArg::Sobol => Sampling::Sobol,
                SamplingArg::MonteCarlo => Sampling::MonteCarlo,
            });
        s.bootstrap = args.bootstrap;
        s.target = spec.targets.first().cloned();
        s
    });
    let mut files = Outputs::new();

    let pb = bar(spec.runs, "uncertainty", args.quiet);
    let tick = |p: Progress| pb.set_position(p.done as u64);
    let ua = uncertainty_analysis(&pipeline, &spec, execution, Some(&tick))
        .map_err(|e| in_file(&where_, &e))?;
    pb.finish_and_clear();

    let results = pipeline
        .run()
        .map_err(|e| computing("running the pipeline", &e))?;
    let names = pipeline.data().unit_names();
    let name_of = |code: &str| {
        pipeline
            .data()
            .unit_index(code)
            .and_then(|i| names.get(i))
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    };
    let mut book_tables = vec![tables::rank_intervals(&ua, pipeline.data())];
    if !ua.failed.is_empty() {
        book_tables.push(tables::failed_runs(&ua));
    }
    for t in &book_tables {
        files.table(&args.out, t)?;
    }
    files.json(&args.out.join("uncertainty.json"), &ua)?;
    if let Some(node) = ua.nodes.first() {
        let chart = UncertaintyChart::from_node(node, ua.runs - ua.failed.len(), name_of);
        let svg = chart
            .to_svg()
            .map_err(|e| computing("drawing the uncertainty chart", &e))?;
        files.text(&args.out.join("uncertainty.svg"), &svg)?;
    }

    let mut sa = None;
    if let Some(s) = &sensitivity {
        let total = s.n * (spec.inputs.len() + 2);
        let pb = bar(total, "sensitivity", args.quiet);
        let tick = |p: Progress| pb.set_position(p.done as u64);
        let r = sensitivity_analysis(&pipeline, s, execution, Some(&tick))
            .map_err(|e| in_file(&where_, &e))?;
        pb.finish_and_clear();
        let t = tables::sobol(&r);
        files.table(&args.out, &t)?;
        book_tables.push(t);
        files.json(&args.out.join("sensitivity.json"), &r)?;
        let chart =
            SobolChart::from_result(&r.mean_rank_shift, &format!("the ranks of {}", r.target));
        let svg = chart
            .to_svg()
            .map_err(|e| computing("drawing the Sobol chart", &e))?;
        files.text(&args.out.join("sobol.svg"), &svg)?;
        sa = Some(r);
    }

    let mut report = RunReport::new(&pipeline, &results).uncertainty(&ua);
    if let Some(r) = &sa {
        report = report.sensitivity(r);
    }
    let charts = report
        .charts()
        .map_err(|e| computing("drawing the charts", &e))?;
    let html = report
        .html(&charts)
        .map_err(|e| computing("writing the report", &e))?;
    files.text(&args.out.join("report.html"), &html.to_html())?;
    let profile_tables = crate::profiles::write_profiles(
        &args.profiles,
        &pipeline,
        &results,
        Some(&ua),
        &args.out,
        &mut files,
    )?;
    if args.xlsx {
        let results_table = tables::results(&pipeline, &results);
        files.table(&args.out, &results_table)?;
        let mut book = Workbook::new(format!(
            "{}: uncertainty analysis",
            pipeline.spec().name.clone().unwrap_or_else(|| pipeline
                .framework()
                .name(pipeline.framework().root())
                .to_owned())
        ));
        book.spec = Some(
            results
                .spec()
                .to_toml()
                .map_err(|e| computing("writing the specification", &e))?,
        );
        book.push(results_table);
        book.tables.extend(book_tables);
        book.tables.extend(profile_tables);
        files.workbook(&args.out.join("uncertainty.xlsx"), &book)?;
    }
    files.commit()?;

    say(&format!(
        "Uncertainty analysis: {} runs ({} failed), inputs: {}.",
        ua.runs,
        ua.failed.len(),
        ua.inputs.join(", ")
    ));
    if let Some(node) = ua.nodes.first() {
        let widest = node
            .units
            .iter()
            .filter(|s| s.q95_rank.is_finite() && s.q05_rank.is_finite())
            .max_by(|a, b| (a.q95_rank - a.q05_rank).total_cmp(&(b.q95_rank - b.q05_rank)));
        if let Some(w) = widest {
            say(&format!(
                "Widest 90% rank interval of {}: {} ({} to {}).",
                node.node,
                name_of(&w.unit),
                w.q05_rank,
                w.q95_rank
            ));
        }
    }
    if let Some(r) = &sa {
        let parts: Vec<String> = r
            .mean_rank_shift
            .indices
            .iter()
            .map(|i| format!("{} S={:.3} ST={:.3}", i.input, i.first, i.total))
            .collect();
        say(&format!(
            "Sobol indices ({} runs): {}.",
            r.runs,
            parts.join("; ")
        ));
    }
    say(&format!(
        "Wrote rank_intervals.csv, uncertainty.json{}{} and report.html to {}.",
        if sa.is_some() {
            ", sobol.csv, sensitivity.json"
        } else {
            ""
        },
        if args.xlsx {
            ", results.csv, uncertainty.xlsx"
        } else {
            ""
        },
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}
