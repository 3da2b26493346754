//! `validate`: every problem of the specification and the data, at once.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use composite_index::io::{CsvRoles, parse_cell, read_dataset_file, read_imeta};
use composite_index::prelude::*;
use composite_index::results::StepReport;
use composite_index::suggest::closest;
use composite_index::{Framework, FrameworkProblem};

use crate::InputArgs;
use crate::errors::{CliResult, end, sentence};
use crate::load::{self, Source};
use crate::output::say;

/// At most this many bad cells are listed one by one.
const MAX_CELL_PROBLEMS: usize = 50;

/// Options of `validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Skip the trial run of the pipeline made when every check passes.
    #[arg(long)]
    pub(crate) no_run: bool,
}

#[derive(Debug, Default)]
struct Findings {
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Findings {
    fn error(&mut self, s: impl Into<String>) {
        self.errors.push(end(&s.into()));
    }
    fn warn(&mut self, s: impl Into<String>) {
        self.warnings.push(end(&s.into()));
    }
}

/// Runs `validate`.
pub(crate) fn validate(args: &ValidateArgs) -> CliResult {
    let located = load::locate(&args.input)?;
    if let Some(src) = &located.source
        && crate::panel::is_panel(src)?
    {
        return crate::panel::validate(&args.input, args.no_run);
    }
    let mut f = Findings::default();
    let spec_path = located.spec.clone();
    let mut spec = match load::read_spec(&spec_path) {
        Ok(s) => Some(s),
        Err(e) => {
            f.errors.push(e.message().to_owned());
            None
        }
    };
    let mut data_columns: Vec<String> = Vec::new();
    let data = match &located.source {
        Some(src) => check_data(src, spec.as_mut(), &mut f, &mut data_columns),
        None => {
            f.warn("no data given (--data, or --imeta and --idata): only the specification was checked");
            None
        }
    };
    if let Some(spec) = &spec {
        check_spec(
            spec,
            &spec_path,
            data.as_ref(),
            &data_columns,
            args.no_run,
            &mut f,
        );
    }
    for w in &f.warnings {
        say(&format!("warning: {w}"));
    }
    for e in &f.errors {
        say(&format!("error: {e}"));
    }
    let what = match &located.source {
        Some(s) => format!("{} with {}", spec_path.display(), s.describe()),
        None => spec_path.display().to_string(),
    };
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if f.errors.is_empty() {
        let detail = match (&spec, &data) {
            (Some(s), Some(d)) => format!(
                ": {} units, {} indicators, {} steps{}",
                d.n_units(),
                Framework::new(s.framework.clone(), None)
                    .map(|fw| fw.indicators().len())
                    .unwrap_or(0),
                s.steps.len(),
                if args.no_run {
                    ""
                } else {
                    "; a trial run succeeded"
                }
            ),
            _ => String::new(),
        };
        say(&format!(
            "OK: {what} is valid{detail} ({}).",
            plural(f.warnings.len(), "warning")
        ));
        Ok(ExitCode::SUCCESS)
    } else {
        say(&format!(
            "{what}: {}, {}.",
            plural(f.errors.len(), "error"),
            plural(f.warnings.len(), "warning")
        ));
        Ok(ExitCode::from(1))
    }
}

/// Checks the data file(s) cell by cell, then reads them; `None` when they hold
/// errors.
fn check_data(
    source: &Source,
    spec: Option<&mut IndexSpec>,
    f: &mut Findings,
    columns: &mut Vec<String>,
) -> Option<Dataset> {
    let errors_before = f.errors.len();
    match source {
        Source::Csv {
            path,
            unit_name,
            time,
            ..
        } => {
            let header = match load::csv_header(path) {
                Ok(h) => h,
                Err(e) => {
                    f.errors.push(e.message().to_owned());
                    return None;
                }
            };
            *columns = header.clone();
            let (roles, extra) = load::csv_roles(&header, spec.as_deref(), source);
            for (opt, what) in [(unit_name, "--unit-names"), (time, "--time")] {
                if let Some(c) = opt
                    && !header.contains(c)
                {
                    f.error(format!(
                        "{}: there is no column {c:?} (named by {what})",
                        path.display()
                    ));
                }
            }
            for c in &extra {
                f.warn(format!(
                    "{}: column {c:?} is not in the framework nor named as a denominator; it is read as a group (label) column",
                    path.display()
                ));
            }
            let (mut roles, guessing) = (roles, spec.is_none());
            let labels = scan_table(path, &roles, guessing, f);
            roles.groups.extend(labels);
            if f.errors.len() > errors_before {
                return None;
            }
            match read_dataset_file(path, &roles) {
                Ok(d) => Some(d),
                Err(e) => {
                    f.errors.push(sentence(Some(path), &e));
                    None
                }
            }
        }
        Source::Coinr { imeta, idata } => {
            let meta = match std::fs::File::open(imeta)
                .map_err(|e| format!("cannot open {}: {e}", imeta.display()))
                .and_then(|file| {
                    read_imeta(file, &imeta.display().to_string())
                        .map_err(|e| sentence(Some(imeta), &e))
                }) {
                Ok(m) => m,
                Err(e) => {
                    f.error(e);
                    return None;
                }
            };
            // The framework comes from iMeta as soon as iMeta is read, so that
            // problems of iData do not make the framework look empty.
            if let Some(spec) = spec
                && !spec.framework.has_nodes()
            {
                // The tree comes from iMeta; the spec's weight sets and overrides stay.
                spec.framework.imeta = Some(imeta.display().to_string());
                if let Err(e) = spec.framework.load_files(std::path::Path::new("")) {
                    f.errors.push(sentence(Some(imeta), &e));
                    return None;
                }
            }
            let parents: BTreeSet<&str> = meta
                .framework
                .nodes
                .iter()
                .filter_map(|n| n.parent.as_deref())
                .collect();
            let indicators: Vec<String> = meta
                .framework
                .nodes
                .iter()
                .filter(|n| !parents.contains(n.code.as_str()))
                .map(|n| n.code.clone())
                .collect();
            let roles = CsvRoles {
                groups: meta.groups.clone(),
                denominators: meta.denominators.clone(),
                ignore: meta.other.clone(),
                indicators: Some(indicators),
                ..CsvRoles::default()
            };
            if let Ok(h) = load::csv_header(idata) {
                *columns = h;
            }
            scan_table(idata, &roles, false, f);
            if f.errors.len() > errors_before {
                return None;
            }
            match composite_index::io::read_coinr_files(imeta, idata) {
                Ok((_, data)) => Some(data),
                Err(e) => {
                    f.errors.push(sentence(Some(idata), &e));
                    None
                }
            }
        }
        Source::CoinTool { path } => match load::read_coin_tool_source(path, spec) {
            Ok(d) => {
                *columns = d.indicator_codes().to_vec();
                Some(d)
            }
            Err(e) => {
                f.errors.push(e.message().to_owned());
                None
            }
        },
    }
}

/// Reads a CSV table cell by cell and records every problem: duplicate or missing
/// columns, ragged lines, empty or repeated unit codes, cells that are not
/// numbers or are infinite in numeric columns. With `guess_labels`, columns of
/// mostly text are taken for labels; their names are returned.
fn scan_table(path: &Path, roles: &CsvRoles, guess_labels: bool, f: &mut Findings) -> Vec<String> {
    let p = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            f.error(format!("cannot open {p}: {e}"));
            return Vec::new();
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(file);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            f.error(format!("{p}, line 1: the header is not valid CSV: {e}"));
            return Vec::new();
        }
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (j, h) in header.iter().enumerate() {
        if let Some(first) = seen.insert(h.as_str(), j) {
            f.error(format!(
                "{p}: the column {h:?} appears twice (columns {} and {})",
                first + 1,
                j + 1
            ));
        }
    }
    let pos = |c: &str| header.iter().position(|h| h == c);
    let code_col = pos(&roles.unit_code);
    if code_col.is_none() {
        f.error(format!(
            "{p}: there is no unit code column {:?} (name another with --unit-code)",
            roles.unit_code
        ));
    }
    for (kind, cols) in [
        ("group", &roles.groups),
        ("denominator", &roles.denominators),
        ("ignored", &roles.ignore),
    ] {
        for c in cols.iter().filter(|c| pos(c).is_none()) {
            f.error(format!("{p}: there is no {kind} column {c:?}"));
        }
    }
    let mut taken: BTreeSet<usize> = code_col.into_iter().collect();
    for c in [roles.unit_name.as_deref(), roles.time.as_deref()]
        .into_iter()
        .flatten()
        .chain(roles.groups.iter().map(String::as_str))
        .chain(roles.ignore.iter().map(String::as_str))
    {
        taken.extend(pos(c));
    }
    let mut numeric: Vec<usize> = roles.denominators.iter().filter_map(|c| pos(c)).collect();
    numeric.extend(roles.time.as_deref().and_then(pos));
    match &roles.indicators {
        Some(list) => {
            for (j, h) in header.iter().enumerate() {
                let listed = list.contains(h);
                if listed {
                    numeric.push(j);
                } else if !taken.contains(&j) && !numeric.contains(&j) {
                    if h.is_empty() {
                        f.error(format!(
                            "{p}: column {} has no name (a trailing comma in the header?)",
                            j + 1
                        ));
                    } else {
                        f.error(format!(
                            "{p}: the column {h:?} is not in iMeta (declare it there, with Type Other to leave it out of the index)"
                        ));
                    }
                }
            }
        }
        None => {
            let dens: BTreeSet<usize> = numeric.iter().copied().collect();
            numeric.extend((0..header.len()).filter(|j| !taken.contains(j) && !dens.contains(j)));
        }
    }
    let mut records = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => records.push(r),
            Err(e) => {
                f.errors
                    .push(sentence(Some(path), &composite_index::io::csv_error(&p, e)));
                break;
            }
        }
    }
    let mut labels = Vec::new();
    if guess_labels {
        // Without a readable spec the indicators are unknown: a column whose
        // cells are mostly text is taken for labels rather than reported cell by cell.
        numeric.retain(|&j| {
            let (mut text, mut num) = (0, 0);
            for r in &records {
                match parse_cell(r.get(j).unwrap_or(""), 0, "", "") {
                    Ok(v) if v.is_nan() => {}
                    Err(Error::NonNumeric { .. }) => text += 1,
                    _ => num += 1,
                }
            }
            if text > num {
                labels.push(header[j].clone());
            }
            text <= num
        });
    }
    let mut units: HashMap<String, usize> = HashMap::new();
    let mut bad_cells = 0usize;
    for (i, rec) in records.iter().enumerate() {
        // The header is line 1 (quoted fields spanning lines are not counted).
        let line = i + 2;
        if rec.len() != header.len() {
            f.error(format!(
                "{p}, line {line}: the line has {} fields but the header has {}",
                rec.len(),
                header.len()
            ));
            continue;
        }
        let unit = code_col
            .and_then(|c| rec.get(c))
            .unwrap_or("")
            .trim()
            .to_owned();
        if code_col.is_some() {
            if unit.is_empty() {
                f.error(format!("{p}, line {line}: the unit code is empty"));
            } else if let Some(first) = units.insert(unit.clone(), line) {
                f.error(format!(
                    "{p}: unit code {unit:?} appears twice, on lines {first} and {line}"
                ));
            }
        }
        for &j in &numeric {
            let text = rec.get(j).unwrap_or("");
            let problem = match parse_cell(text, line, &unit, &header[j]) {
                Err(Error::NonNumeric { .. }) => Some(crate::errors::not_a_number(text)),
                Err(Error::InfiniteValue { value, .. }) => {
                    Some(format!("the value {value} is infinite"))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                bad_cells += 1;
                if bad_cells <= MAX_CELL_PROBLEMS {
                    f.error(format!(
                        "{p}, line {line} (unit {unit:?}), column {:?}: {problem}",
                        header[j]
                    ));
                }
            }
        }
    }
    if bad_cells > MAX_CELL_PROBLEMS {
        f.error(format!(
            "{p}: {} more cells are not finite numbers (only the first {MAX_CELL_PROBLEMS} are listed; is the separator a comma?)",
            bad_cells - MAX_CELL_PROBLEMS
        ));
    }
    labels
}

/// Checks the framework, each step and a trial run.
fn check_spec(
    spec: &IndexSpec,
    path: &Path,
    data: Option<&Dataset>,
    columns: &[String],
    no_run: bool,
    f: &mut Findings,
) {
    let p = path.display().to_string();
    let errors_before = f.errors.len();
    // Without readable data, the indicators are checked against the header.
    let data_cols = data
        .map(Dataset::indicator_codes)
        .or((!columns.is_empty()).then_some(columns));
    let framework = match Framework::new(spec.framework.clone(), data_cols) {
        Ok(fw) => Some(fw),
        Err(Error::Framework(problems)) => {
            let total = problems.len();
            for problem in problems.into_iter().take(MAX_CELL_PROBLEMS) {
                let hint = match &problem {
                    FrameworkProblem::IndicatorNotInData {
                        code,
                        suggestion: None,
                    } => closest(code, columns.iter().map(String::as_str))
                        .map(|c| format!(" (the data has a column {c:?}: a typo?)"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                f.error(format!("{p}: {problem}{hint}"));
            }
            if total > MAX_CELL_PROBLEMS {
                f.error(format!(
                    "{p}: {} more framework problems (only the first {MAX_CELL_PROBLEMS} are listed)",
                    composite_index::error::thousands(total - MAX_CELL_PROBLEMS)
                ));
            }
            None
        }
        Err(e) => {
            f.errors.push(sentence(Some(path), &e));
            None
        }
    };
    let n = spec.steps.len();
    for (i, s) in spec.steps.iter().enumerate() {
        if matches!(s, Step::Aggregate(_)) && i + 1 != n {
            f.error(format!(
                "{p}: step {} (aggregate) must be the last step: later steps would treat aggregates as indicators",
                i + 1
            ));
        }
    }
    if !spec.steps.iter().any(|s| matches!(s, Step::Aggregate(_))) {
        f.warn(format!(
            "{p}: the pipeline has no aggregate step, so there are no aggregate scores or ranks of the index"
        ));
    }
    let (Some(fw), Some(data)) = (framework, data) else {
        if data.is_some() || errors_before == f.errors.len() {
            return;
        }
        f.warn(format!(
            "{p}: the steps were not checked because the framework or the data have errors"
        ));
        return;
    };
    let data = Arc::new(data.clone());
    for i in 0..n {
        // Each step is checked on its own, after placeholder steps that keep its number.
        let mut steps = vec![Step::Normalise(NormaliseSpec::default()); i];
        steps.push(spec.steps[i].clone());
        let probe = IndexSpec {
            steps,
            ..spec.clone()
        };
        if let Err(e) = Pipeline::new(probe, data.clone()) {
            f.errors.push(sentence(Some(path), &e));
        }
    }
    check_values(&fw, &data, f);
    if f.errors.len() == errors_before && !no_run {
        let run = Pipeline::new(spec.clone(), data).and_then(|pl| pl.run());
        match run {
            Err(e) => f.error(format!(
                "a trial run of the pipeline failed: {}",
                sentence(None, &e)
            )),
            Ok(results) => warn_made_missing(&results, f),
        }
    }
}

/// A warning for each value the trial run's denominate steps set to missing.
fn warn_made_missing(results: &Results, f: &mut Findings) {
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
    for line in lost.iter().take(MAX_CELL_PROBLEMS) {
        f.warn(line.clone());
    }
    if lost.len() > MAX_CELL_PROBLEMS {
        f.warn(format!(
            "{} more values are set to missing by a zero or missing denominator (only the first {MAX_CELL_PROBLEMS} are listed)",
            composite_index::error::thousands(lost.len() - MAX_CELL_PROBLEMS)
        ));
    }
}

/// Warnings about the values: indicators without data or constant, units
/// without data.
fn check_values(fw: &Framework, data: &Dataset, f: &mut Findings) {
    for i in 0..fw.len() {
        if let Some(p) = fw.parent(i)
            && fw.node(i).weight == 0.0
        {
            f.warn(format!(
                "node {:?} has weight 0, so it takes no part in {:?}",
                fw.code(i),
                fw.code(p)
            ));
        }
    }
    for &i in fw.indicators() {
        let code = fw.code(i);
        let Some(x) = data.indicator(code) else {
            continue;
        };
        let present: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        if present.is_empty() {
            f.warn(format!("indicator {code:?} has no value at all"));
        } else if composite_index::stats::is_constant(&present) {
            f.warn(format!(
                "indicator {code:?} has the same value for every unit; methods that divide by its range or spread will fail"
            ));
        } else if present.len() * 2 < x.len() {
            f.warn(format!(
                "indicator {code:?} is missing for {} of {} units",
                x.len() - present.len(),
                x.len()
            ));
        }
    }
    let ind: Vec<usize> = fw
        .indicators()
        .iter()
        .filter_map(|&i| data.indicator_index(fw.code(i)))
        .collect();
    for (u, code) in data.unit_codes().iter().enumerate() {
        if !ind.is_empty() && ind.iter().all(|&j| data.values()[(u, j)].is_nan()) {
            f.warn(format!("unit {code:?} has no indicator value at all"));
        }
    }
}
