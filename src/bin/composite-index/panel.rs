//! Panel data on the command line: detecting a table with several editions,
//! reading it, running the specification over it and writing the long tables.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Args;
use composite_index::io::{
    LongRoles, read_coinr_panel_files, read_imeta, read_long_panel_file, read_panel_file,
};
use composite_index::panel::{
    Comparison, Editions, Panel, PanelPipeline, PanelResults, UnitMapping, UnitStatus,
};
use composite_index::prelude::*;

use crate::InputArgs;
use crate::errors::{CliError, computing, in_file, io};
use crate::load::{self, Source};
use crate::output::{CsvTable, cell, opt_cell};

/// Options of commands that work on panel data.
#[derive(Debug, Clone, Args)]
pub(crate) struct PanelArgs {
    /// One specification per edition, as YEAR=FILE (repeatable): that edition runs on
    /// its own framework; editions not listed use SPEC.
    #[arg(long = "edition-spec", value_name = "YEAR=FILE")]
    pub(crate) edition_specs: Vec<String>,
    /// Units drawn in the charts over time, comma-separated [default: the top 10 of the last edition].
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub(crate) units: Vec<String>,
    /// Units that change between editions: a CSV with the columns edition, old, new
    /// (from that edition on, unit old is part of unit new). Merged, split and
    /// recoded units are compared with their predecessors and flagged.
    #[arg(long, value_name = "FILE.csv")]
    pub(crate) unit_mapping: Option<PathBuf>,
}

impl PanelArgs {
    /// The unit mapping of `--unit-mapping` (empty without it).
    ///
    /// # Errors
    /// The file cannot be read or is malformed.
    pub(crate) fn mapping(&self) -> Result<UnitMapping, CliError> {
        let Some(path) = &self.unit_mapping else {
            return Ok(UnitMapping::default());
        };
        let file = std::fs::File::open(path).map_err(|e| io(path, "open", &e))?;
        UnitMapping::read_csv(file, &path.display().to_string()).map_err(|e| in_file(path, &e))
    }
}

/// A specification and panel data.
#[derive(Debug, Clone)]
pub(crate) struct PanelInput {
    pub(crate) spec_path: PathBuf,
    pub(crate) spec: IndexSpec,
    pub(crate) panel: Panel,
    pub(crate) source: Source,
}

/// The distinct values of column `time` of a CSV file, when it has that column.
fn distinct_times(path: &Path, time: &str) -> Result<Option<usize>, CliError> {
    let header = load::csv_header(path)?;
    let Some(j) = header.iter().position(|h| h == time) else {
        return Ok(None);
    };
    let file = std::fs::File::open(path).map_err(|e| io(path, "open the data file", &e))?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let mut seen = BTreeSet::new();
    for rec in rdr.records() {
        let Ok(rec) = rec else { break };
        if let Some(v) = rec.get(j) {
            seen.insert(v.trim().to_owned());
        }
    }
    Ok(Some(seen.len()))
}

/// Whether the data have a time column with more than one value.
///
/// # Errors
/// The data file cannot be read.
pub(crate) fn is_panel(source: &Source) -> Result<bool, CliError> {
    let (path, time) = match source {
        Source::Csv { path, time, .. } => {
            (path.clone(), time.clone().unwrap_or_else(|| "Time".into()))
        }
        Source::Coinr { idata, .. } => (idata.clone(), "Time".into()),
        // A COIN Tool workbook holds one edition.
        Source::CoinTool { .. } => return Ok(false),
    };
    Ok(distinct_times(&path, &time)?.is_some_and(|n| n > 1))
}

/// `validate` on panel data: every edition validated and, unless `no_run`, a
/// trial run of the panel.
///
/// # Errors
/// Usage errors of the command line.
pub(crate) fn validate(args: &InputArgs, no_run: bool) -> crate::errors::CliResult {
    use crate::output::say;
    let located = load::locate(args)?;
    let what = match &located.source {
        Some(s) => format!("{} with {}", located.spec.display(), s.describe()),
        None => located.spec.display().to_string(),
    };
    let outcome = detect(args).and_then(|input| {
        let input = input.ok_or_else(|| CliError::Data("the data are not a panel".into()))?;
        let no_options = PanelArgs {
            edition_specs: Vec::new(),
            units: Vec::new(),
            unit_mapping: None,
        };
        let p = pipeline(&input, &no_options)?;
        if !no_run {
            run(&input, &p)?;
        }
        Ok(input)
    });
    match outcome {
        Ok(input) => {
            let times: Vec<String> = input.panel.times().iter().map(f64::to_string).collect();
            say(&format!(
                "OK: {what} is valid: {} editions ({}), {} units in all, {} steps{} (0 warnings).",
                times.len(),
                times.join(", "),
                input.panel.units().len(),
                input.spec.steps.len(),
                if no_run {
                    ""
                } else {
                    "; a trial run succeeded"
                }
            ));
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(CliError::Usage(m)) => Err(CliError::Usage(m)),
        Err(CliError::Data(m)) => {
            say(&format!("error: {m}"));
            say(&format!("{what}: 1 error, 0 warnings."));
            Ok(std::process::ExitCode::from(1))
        }
    }
}

/// The input as a panel when its data have a time column with more than one
/// value; `None` for a single data set.
///
/// # Errors
/// Usage and data errors of locating and reading the input.
pub(crate) fn detect(args: &InputArgs) -> Result<Option<PanelInput>, CliError> {
    let located = load::locate(args)?;
    let Some(source) = located.source.clone() else {
        return Ok(None);
    };
    if !is_panel(&source)? {
        return Ok(None);
    }
    let mut spec = load::read_spec(&located.spec)?;
    let panel = match &source {
        Source::Csv {
            path,
            groups,
            denominators,
            ..
        } => {
            let header = load::csv_header(path)?;
            if let Some(long) = long_roles(&header, &spec, groups, denominators) {
                read_long_panel_file(path, &long).map_err(|e| in_file(path, &e))?
            } else {
                let (roles, _) = load::csv_roles(&header, Some(&spec), &source);
                read_panel_file(path, &roles).map_err(|e| in_file(path, &e))?
            }
        }
        Source::Coinr { imeta, idata } => {
            let file = std::fs::File::open(imeta).map_err(|e| io(imeta, "open", &e))?;
            read_imeta(file, &imeta.display().to_string()).map_err(|e| in_file(imeta, &e))?;
            let (_, panel) =
                read_coinr_panel_files(imeta, idata).map_err(|e| in_file(idata, &e))?;
            if !spec.framework.has_nodes() {
                // The tree comes from iMeta; the spec's weight sets and overrides stay.
                spec.framework.imeta = Some(imeta.display().to_string());
                spec.framework
                    .load_files(std::path::Path::new(""))
                    .map_err(|e| in_file(imeta, &e))?;
            }
            panel
        }
        Source::CoinTool { .. } => return Ok(None),
    };
    Ok(Some(PanelInput {
        spec_path: located.spec,
        spec,
        panel,
        source,
    }))
}

/// The roles of a long table (`uCode`, `Time`, `iCode`, `Value`, optionally
/// `uName`, and nothing else), or `None` for a wide table. Variables named as
/// denominators by the specification or `--denominators` are denominators; those
/// named by `--groups` are labels.
fn long_roles(
    header: &[String],
    spec: &IndexSpec,
    groups: &[String],
    denominators: &[String],
) -> Option<LongRoles> {
    let r = LongRoles::default();
    let known = [&r.unit_code, &r.time, &r.variable, &r.value];
    let is_long = known.iter().all(|k| header.contains(k))
        && header
            .iter()
            .all(|h| known.contains(&h) || Some(h) == r.unit_name.as_ref());
    if !is_long {
        return None;
    }
    let mut dens: Vec<String> = denominators.to_vec();
    dens.extend(load::spec_denominators(spec));
    Some(LongRoles {
        groups: groups.to_vec(),
        denominators: dens,
        ..r
    })
}

/// The panel pipeline: SPEC for every edition, or the `--edition-spec` files.
///
/// # Errors
/// Usage errors for a malformed `--edition-spec`; data errors of validation.
pub(crate) fn pipeline(input: &PanelInput, args: &PanelArgs) -> Result<PanelPipeline, CliError> {
    let mut specs: Vec<(f64, IndexSpec)> = input
        .panel
        .times()
        .iter()
        .map(|&t| (t, input.spec.clone()))
        .collect();
    for e in &args.edition_specs {
        let (year, file) = e
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("--edition-spec {e:?} is not YEAR=FILE")))?;
        let t: f64 = year.trim().parse().map_err(|_| {
            CliError::Usage(format!("--edition-spec {e:?}: {year:?} is not a year"))
        })?;
        let slot = specs.iter_mut().find(|(x, _)| *x == t).ok_or_else(|| {
            CliError::Usage(format!(
                "--edition-spec {e:?}: {t} is not an edition of the data ({})",
                input
                    .panel
                    .times()
                    .iter()
                    .map(f64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        slot.1 = load::read_spec(Path::new(file.trim()))?;
    }
    PanelPipeline::per_edition(specs, &input.panel).map_err(|e| in_file(&input.spec_path, &e))
}

/// Runs the panel pipeline.
///
/// # Errors
/// The computation's error, naming the edition.
pub(crate) fn run(input: &PanelInput, pipeline: &PanelPipeline) -> Result<PanelResults, CliError> {
    pipeline.run().map_err(|e| {
        computing(
            &format!(
                "running {} over {} editions",
                input.spec_path.display(),
                input.panel.len()
            ),
            &e,
        )
    })
}

/// The nodes of the editions' frameworks: index first, aggregates from the top
/// level down, then the indicators; each once.
pub(crate) fn node_order(pipeline: &PanelPipeline) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &t in pipeline.times() {
        if let Some(p) = pipeline.pipeline(t) {
            let fw = p.framework();
            for level in (1..=fw.n_levels()).rev() {
                for &i in fw.nodes_at_level(level) {
                    let c = fw.code(i).to_owned();
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}

/// Scores and ranks of every node, one row per unit and edition: `uCode`,
/// `uName`, `Time`, then `<node>`, `<node>_rank`.
pub(crate) fn results_table(eds: &Editions, nodes: &[String]) -> CsvTable {
    let mut header = vec!["uCode".to_owned(), "uName".to_owned(), "Time".to_owned()];
    for n in nodes {
        header.push(n.clone());
        header.push(format!("{n}_rank"));
    }
    let mut t = CsvTable::new(&header);
    for e in eds.editions() {
        let mut units: Vec<&String> = e.units().iter().collect();
        units.sort();
        for u in units {
            let mut row = vec![u.clone(), e.name(u).to_owned(), e.time().to_string()];
            for n in nodes {
                row.push(opt_cell(e.score(u, n)));
                row.push(e.rank(u, n).map_or_else(String::new, |r| r.to_string()));
            }
            t.row(row);
        }
    }
    t
}

/// An empty table of rank changes (see [`push_comparison`]).
pub(crate) fn comparison_table() -> CsvTable {
    CsvTable::new(&[
        "node",
        "from",
        "to",
        "uCode",
        "uName",
        "rank_from",
        "rank_to",
        "change",
        "score_from",
        "score_to",
        "score_change",
        "status",
        "basis",
    ])
}

/// Adds the rows of one comparison to a table of [`comparison_table`].
pub(crate) fn push_comparison(t: &mut CsvTable, c: &Comparison) {
    let basis = c.note();
    for r in &c.rows {
        if r.rank_from.is_none() && r.rank_to.is_none() && r.score_to.is_none() {
            continue;
        }
        let status = match &r.status {
            UnitStatus::Same => "same".to_owned(),
            UnitStatus::Entered => "entered".into(),
            UnitStatus::Left => "left".into(),
            UnitStatus::NotReported => "not reported".into(),
            UnitStatus::Recoded { from } => format!("recoded from {from}"),
            UnitStatus::Merged { from } => format!("merged from {}", from.join(" ")),
            UnitStatus::Split { from } => format!("split from {from}"),
            _ => "changed".into(),
        };
        t.row([
            c.node.clone(),
            c.from.to_string(),
            c.to.to_string(),
            r.unit.clone(),
            r.name.clone(),
            r.rank_from.map_or_else(String::new, |v| v.to_string()),
            r.rank_to.map_or_else(String::new, |v| v.to_string()),
            r.change().map_or_else(String::new, |v| v.to_string()),
            opt_cell(r.score_from),
            opt_cell(r.score_to),
            opt_cell(r.score_change()),
            status,
            basis.clone(),
        ]);
    }
}

/// Rank changes between consecutive editions (and first to last), at every node.
///
/// # Errors
/// A comparison fails (an edition missing: a bug).
pub(crate) fn changes_table(eds: &Editions, nodes: &[String]) -> Result<CsvTable, CliError> {
    let mut t = comparison_table();
    let times = eds.times();
    let mut pairs: Vec<(f64, f64)> = times.windows(2).map(|w| (w[0], w[1])).collect();
    if times.len() > 2 {
        pairs.push((times[0], times[times.len() - 1]));
    }
    for n in nodes {
        for &(a, b) in &pairs {
            let c = eds
                .compare(n, a, b)
                .map_err(|e| computing("comparing editions", &e))?;
            push_comparison(&mut t, &c);
        }
    }
    Ok(t)
}

/// The cells filled by panel imputation.
pub(crate) fn imputation_table(results: &PanelResults) -> Option<CsvTable> {
    let reports = results.panel_imputation();
    if reports.is_empty() {
        return None;
    }
    let mut t = CsvTable::new(&["step", "uCode", "Time", "iCode", "value", "source"]);
    for (step, r) in reports {
        for c in &r.cells {
            let source = match c.source {
                composite_index::panel::CellSource::Edition { time } => format!("value of {time}"),
                composite_index::panel::CellSource::Interpolated { before, after } => {
                    format!("interpolated between {before} and {after}")
                }
                _ => String::new(),
            };
            t.row([
                step.to_string(),
                c.unit.clone(),
                c.time.to_string(),
                c.indicator.clone(),
                cell(c.value),
                source,
            ]);
        }
    }
    Some(t)
}

/// `run` on panel data: every data set as one long CSV (`uCode`, `Time`, then
/// the columns, sorted by time then unit), the results and rank changes of every
/// node, the panel imputation cells, the charts over time and the HTML report of
/// the latest edition with the changes since the previous one.
///
/// # Errors
/// Reading, computing or writing fails.
pub(crate) fn run_command(
    args: &crate::run::RunArgs,
    input: &PanelInput,
) -> crate::errors::CliResult {
    use composite_index::report::PanelReport;

    use crate::output::{Outputs, say};
    let pipeline = pipeline(input, &args.panel)?;
    let results = run(input, &pipeline)?;
    let out = &args.out;
    let mut files = Outputs::new();
    for name in results.dataset_names() {
        if let Some(d) = results.dataset(&name) {
            files.file(&out.join("datasets").join(format!("{name}.csv")), |w| {
                d.write_csv(w)
                    .map_err(|e| std::io::Error::other(e.to_string()))
            })?;
        }
    }
    let mapping = args.panel.mapping()?;
    let eds = results.to_editions().with_mapping(mapping.clone());
    let nodes = node_order(&pipeline);
    files.csv(&out.join("results.csv"), results_table(&eds, &nodes))?;
    files.csv(&out.join("changes.csv"), changes_table(&eds, &nodes)?)?;
    if let Some(t) = imputation_table(&results) {
        files.csv(&out.join("panel_imputation.csv"), t)?;
    }
    for (t, r) in results.editions() {
        if let Some(log) = r.treatment_log() {
            let mut table = composite_index::tables::treatment_log(log);
            table.name = format!("treatment_log_{t}");
            files.table(out, &table)?;
        }
    }
    if !args.no_report {
        let mut report = PanelReport::new(&pipeline, &results)
            .units(args.panel.units.clone())
            .mapping(mapping);
        if let Some(n) = &args.node {
            if !nodes.contains(n) {
                return Err(CliError::Usage(format!(
                    "--node {n:?} is not a node of {}",
                    input.spec_path.display()
                )));
            }
            report = report.node(n.clone());
        }
        let charts = report
            .charts()
            .map_err(|e| computing("drawing the charts", &e))?;
        files.charts(&out.join("charts"), &charts)?;
        let html = report
            .html(&charts)
            .map_err(|e| computing("writing the report", &e))?;
        files.text(&out.join("report.html"), &html.to_html())?;
    }
    let written = files.commit()?.len();
    let times: Vec<String> = results.times().iter().map(f64::to_string).collect();
    say(&format!(
        "{}: {} editions ({}), {} units in all, {} steps (data: {}).",
        input.spec.name.as_deref().unwrap_or("Panel"),
        times.len(),
        times.join(", "),
        input.panel.units().len(),
        input.spec.steps.len(),
        input.source.describe()
    ));
    say(&format!(
        "How each step ran: {}.",
        results.describe_scopes().join("; ")
    ));
    if let (Some(root), Some(last)) = (nodes.first(), eds.editions().last()) {
        let mut top: Vec<(u32, &String)> = last
            .units()
            .iter()
            .filter_map(|u| last.rank(u, root).map(|r| (r, u)))
            .collect();
        top.sort();
        let shown: Vec<String> = top
            .iter()
            .take(5)
            .map(|(r, u)| format!("{r}. {}", last.name(u)))
            .collect();
        say(&format!(
            "Top of {root} in {}: {}.",
            last.time(),
            shown.join(", ")
        ));
    }
    say(&format!(
        "Wrote {written} files to {}{}",
        out.display(),
        if args.no_report {
            ".".to_owned()
        } else {
            format!("; open {} in a browser.", out.join("report.html").display())
        }
    ));
    Ok(std::process::ExitCode::SUCCESS)
}
