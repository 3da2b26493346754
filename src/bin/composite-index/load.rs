//! Finding and reading the specification and its data.
//!
//! `SPEC` is either an index specification (TOML or JSON, the crate's
//! [`IndexSpec`]) or a *project file*: a small TOML file that names the
//! specification and its data, so that a command needs no data options:
//!
//! ```toml
//! spec = "spec.toml"            # paths are relative to the project file
//!
//! [data]
//! csv = "data.csv"              # or: imeta = "iMeta.csv" and idata = "iData.csv"
//! groups = ["Region"]           # optional roles of the CSV columns
//! denominators = ["Population"]
//! ignore = ["Notes"]
//! unit_code = "uCode"           # defaults: uCode, uName, Time
//! unit_name = "uName"
//! time = "Time"
//! ```
//!
//! Data options on the command line (`--data`, `--imeta`/`--idata`) replace the
//! project's data; role options (`--groups`...) add to them.
//!
//! `SPEC` may also name a specification shipped with the crate (`gii-2025`,
//! see `composite-index specs`) when no file of that name exists.
//!
//! Roles of the CSV columns: the framework's indicators are indicators; columns
//! named as a denominator in the spec (a node's `denominator`, a denominate step)
//! or with `--denominators` are denominators; the unit code, name and time
//! columns are what they say; every other column is read as a group (text)
//! column, so that labels such as regions or income groups need no option.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use composite_index::io::{
    CoinToolOptions, CsvRoles, read_coinr_files, read_dataset_file, read_imeta,
};
use composite_index::prelude::*;
use composite_index::spec::Step;

use crate::InputArgs;
use crate::errors::{CliError, in_file, io};

/// The data table of a project file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataTable {
    csv: Option<PathBuf>,
    imeta: Option<PathBuf>,
    idata: Option<PathBuf>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    denominators: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    unit_code: Option<String>,
    unit_name: Option<String>,
    time: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    spec: PathBuf,
    data: Option<DataTable>,
}

/// Where the data come from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// A units x columns CSV table.
    Csv {
        path: PathBuf,
        groups: Vec<String>,
        denominators: Vec<String>,
        ignore: Vec<String>,
        unit_code: Option<String>,
        unit_name: Option<String>,
        time: Option<String>,
    },
    /// COINr's iMeta and iData tables.
    Coinr { imeta: PathBuf, idata: PathBuf },
    /// A JRC COIN Tool workbook.
    CoinTool { path: PathBuf },
}

impl Source {
    /// The data files, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Csv { path, .. } => path.display().to_string(),
            Self::Coinr { imeta, idata } => format!("{} and {}", imeta.display(), idata.display()),
            Self::CoinTool { path } => path.display().to_string(),
        }
    }
}

/// The specification and data source named by the command line.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    /// The specification file.
    pub(crate) spec: PathBuf,
    /// The data, when given.
    pub(crate) source: Option<Source>,
}

/// Loaded specification and data.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub(crate) spec_path: PathBuf,
    pub(crate) spec: IndexSpec,
    pub(crate) data: Dataset,
    pub(crate) source: Source,
}

/// `p` relative to the folder of `base`, with `dir/..` pairs removed.
fn relative(base: &Path, p: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.parent().unwrap_or(Path::new("")).join(p)
    };
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Reads the command line's specification path (following a project file) and
/// data options.
///
/// # Errors
/// A project file that cannot be read or parsed (data error); conflicting data
/// options (usage error).
pub(crate) fn locate(args: &InputArgs) -> Result<Located, CliError> {
    if let Some(path) = &args.coin_tool {
        return coin_tool_source(args, path);
    }
    let mut spec = args.spec.clone();
    let mut table: Option<DataTable> = None;
    if is_project(&args.spec)? {
        let p = read_project(&args.spec)?;
        spec = relative(&args.spec, &p.spec);
        if let Some(mut d) = p.data {
            for f in [&mut d.csv, &mut d.imeta, &mut d.idata]
                .into_iter()
                .flatten()
            {
                *f = relative(&args.spec, f);
            }
            table = Some(d);
        }
    }
    let cli_data = args.data.is_some() || args.idata.is_some();
    if table.is_none() && !cli_data {
        // A `[data]` table in the specification itself (paths relative to it).
        table = spec_data_table(&spec)?;
    }
    let base = if cli_data {
        DataTable {
            csv: args.data.clone(),
            imeta: args.imeta.clone(),
            idata: args.idata.clone(),
            ..DataTable::default()
        }
    } else {
        table.clone().unwrap_or_default()
    };
    let from_project = table.is_some() && !cli_data;
    let mut d = base;
    if from_project && let Some(t) = &table {
        d.groups.clone_from(&t.groups);
        d.denominators.clone_from(&t.denominators);
        d.ignore.clone_from(&t.ignore);
    }
    d.groups.extend(args.groups.iter().cloned());
    d.denominators.extend(args.denominators.iter().cloned());
    d.ignore.extend(args.ignore.iter().cloned());
    d.unit_code = args.unit_code.clone().or(d.unit_code);
    d.unit_name = args.unit_names.clone().or(d.unit_name);
    d.time = args.time.clone().or(d.time);
    let where_ = if from_project {
        format!("the [data] table of {}", args.spec.display())
    } else {
        "the command line".to_owned()
    };
    let source = match (d.csv, d.imeta, d.idata) {
        (None, None, None) => None,
        (Some(path), None, None) => Some(Source::Csv {
            path,
            groups: d.groups,
            denominators: d.denominators,
            ignore: d.ignore,
            unit_code: d.unit_code,
            unit_name: d.unit_name,
            time: d.time,
        }),
        (None, Some(imeta), Some(idata)) => {
            if !(d.groups.is_empty() && d.denominators.is_empty() && d.ignore.is_empty()) {
                return Err(CliError::Usage(format!(
                    "{where_} gives COINr tables, whose column roles come from iMeta: --groups, --denominators and --ignore apply only to a CSV table given with --data"
                )));
            }
            Some(Source::Coinr { imeta, idata })
        }
        (None, Some(_), None) | (None, None, Some(_)) => {
            return Err(CliError::Usage(format!(
                "{where_} gives only one of the COINr tables: give both imeta and idata"
            )));
        }
        (Some(_), _, _) => {
            return Err(CliError::Usage(format!(
                "{where_} gives both a CSV table and COINr tables: give one or the other"
            )));
        }
    };
    Ok(Located { spec, source })
}

/// The specification (following a project file) with a COIN Tool workbook as
/// its data; the roles of columns do not apply to a workbook.
fn coin_tool_source(args: &InputArgs, path: &Path) -> Result<Located, CliError> {
    if !(args.groups.is_empty() && args.denominators.is_empty() && args.ignore.is_empty())
        || args.unit_code.is_some()
        || args.unit_names.is_some()
        || args.time.is_some()
    {
        return Err(CliError::Usage(
            "--coin-tool reads the COIN Tool's own layout: the options of CSV columns (--groups, --denominators, --ignore, --unit-code, --unit-names, --time) do not apply".into(),
        ));
    }
    let mut spec = args.spec.clone();
    if is_project(&args.spec)? {
        let p = read_project(&args.spec)?;
        spec = relative(&args.spec, &p.spec);
    }
    Ok(Located {
        spec,
        source: Some(Source::CoinTool {
            path: path.to_path_buf(),
        }),
    })
}

/// Reads a COIN Tool workbook; with a spec whose framework has no nodes, the
/// framework comes from the workbook.
pub(crate) fn read_coin_tool_source(
    path: &Path,
    spec: Option<&mut IndexSpec>,
) -> Result<Dataset, CliError> {
    let ct = composite_index::io::read_coin_tool(path, &CoinToolOptions::default())
        .map_err(|e| in_file(path, &e))?;
    if let Some(spec) = spec
        && spec.framework.nodes.is_empty()
    {
        spec.framework = ct.framework;
    }
    Ok(ct.data)
}

/// The `[data]` table of a specification file, if it has one, with its paths made
/// relative to the file. A file that does not parse is left to `read_spec`, which
/// reports the error with its line.
fn spec_data_table(spec: &Path) -> Result<Option<DataTable>, CliError> {
    let Ok(parsed) = IndexSpec::from_path(spec) else {
        return Ok(None);
    };
    Ok(parsed.data.map(|d| {
        let path = |p: Option<String>| p.map(|p| relative(spec, Path::new(&p)));
        DataTable {
            csv: path(d.csv),
            imeta: path(d.imeta),
            idata: path(d.idata),
            groups: d.groups,
            denominators: d.denominators,
            ignore: d.ignore,
            unit_code: d.unit_code,
            unit_name: d.unit_name,
            time: d.time,
        }
    }))
}

/// The shipped specification that `path` names (`gii-2025` or
/// `gii-2025.toml`), when no file of that name exists.
pub(crate) fn shipped(path: &Path) -> Option<&'static str> {
    if path.exists() {
        return None;
    }
    let s = path.to_str()?;
    let s = s.strip_suffix(".toml").unwrap_or(s);
    composite_index::instances::names()
        .into_iter()
        .find(|n| *n == s)
}

/// Reads a project file.
fn read_project(path: &Path) -> Result<ProjectFile, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| io(path, "read", &e))?;
    toml::from_str(&text).map_err(|e| {
        in_file(
            path,
            &Error::SpecParse {
                message: format!("project file: {e}"),
            },
        )
    })
}

/// Whether a file is a project file (TOML with a top-level `spec` key).
fn is_project(path: &Path) -> Result<bool, CliError> {
    if shipped(path).is_some()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return Ok(false);
    }
    let text = std::fs::read_to_string(path).map_err(|e| io(path, "read", &e))?;
    Ok(toml::from_str::<toml::Table>(&text).is_ok_and(|t| {
        t.get("spec").is_some_and(toml::Value::is_str) && !t.contains_key("framework")
    }))
}

/// The data source or a usage error saying how to give one.
pub(crate) fn require_source(l: &Located) -> Result<Source, CliError> {
    l.source.clone().ok_or_else(|| {
        CliError::Usage(
            "no data given: pass --data FILE.csv, or --imeta iMeta.csv with --idata iData.csv, or --coin-tool FILE.xlsx, or name the data in a [data] table of the specification or of a project file"
                .into(),
        )
    })
}

/// Reads the specification (a file, or a shipped specification by name).
///
/// # Errors
/// The file cannot be read or parsed.
pub(crate) fn read_spec(path: &Path) -> Result<IndexSpec, CliError> {
    if let Some(name) = shipped(path) {
        return composite_index::instances::spec(name).map_err(|e| in_file(path, &e));
    }
    if !path.is_file() {
        return Err(CliError::Data(format!(
            "cannot read the specification {}: no such file (shipped specifications, usable by name: {}; see `composite-index specs`).",
            path.display(),
            composite_index::instances::names().join(", ")
        )));
    }
    IndexSpec::from_path(path).map_err(|e| in_file(path, &e))
}

/// Columns the specification names as denominators.
pub(crate) fn spec_denominators(spec: &IndexSpec) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = spec
        .framework
        .all_nodes()
        .into_iter()
        .filter_map(|n| n.denominator)
        .filter(|d| !d.trim().is_empty())
        .collect();
    for s in &spec.steps {
        if let Step::Denominate(d) = s {
            out.extend(d.denominators.values().cloned());
        }
    }
    out
}

/// The header of a CSV file.
///
/// # Errors
/// The file cannot be opened or its first line is not CSV.
pub(crate) fn csv_header(path: &Path) -> Result<Vec<String>, CliError> {
    let file = std::fs::File::open(path).map_err(|e| io(path, "open the data file", &e))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(file);
    let header = rdr.headers().map_err(|e| {
        CliError::Data(format!(
            "{}, line 1: the header is not valid CSV: {e}.",
            path.display()
        ))
    })?;
    Ok(header.iter().map(str::to_owned).collect())
}

/// The roles of the columns of a CSV table, and the columns read as groups only
/// because nothing else claims them.
pub(crate) fn csv_roles(
    header: &[String],
    spec: Option<&IndexSpec>,
    source: &Source,
) -> (CsvRoles, Vec<String>) {
    let Source::Csv {
        groups,
        denominators,
        ignore,
        unit_code,
        unit_name,
        time,
        ..
    } = source
    else {
        return (CsvRoles::default(), Vec::new());
    };
    let code = unit_code.clone().unwrap_or_else(|| "uCode".into());
    let name = unit_name.clone().unwrap_or_else(|| "uName".into());
    let time = time.clone().unwrap_or_else(|| "Time".into());
    let indicators: BTreeSet<String> = spec
        .map(|s| {
            let nodes = s.framework.all_nodes();
            let parents: BTreeSet<&str> =
                nodes.iter().filter_map(|n| n.parent.as_deref()).collect();
            nodes
                .iter()
                .filter(|n| !parents.contains(n.code.as_str()))
                .map(|n| n.code.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut dens: Vec<String> = denominators.clone();
    if let Some(s) = spec {
        for d in spec_denominators(s) {
            if header.contains(&d) && !dens.contains(&d) && !indicators.contains(&d) {
                dens.push(d);
            }
        }
    }
    let mut grps = groups.clone();
    let mut extra = Vec::new();
    for h in header {
        let taken = *h == code
            || *h == name
            || *h == time
            || indicators.contains(h)
            || dens.contains(h)
            || grps.contains(h)
            || ignore.contains(h);
        if !taken && spec.is_some() {
            grps.push(h.clone());
            extra.push(h.clone());
        }
    }
    let roles = CsvRoles {
        unit_code: code,
        unit_name: Some(name),
        time: Some(time),
        groups: grps,
        denominators: dens,
        indicators: None,
        ignore: ignore.clone(),
    };
    (roles, extra)
}

/// Reads the data of `source` for `spec`. With COINr tables and a spec whose
/// framework has no nodes, the framework comes from iMeta.
///
/// # Errors
/// Any reading error, naming the file, line and column.
pub(crate) fn read_data(source: &Source, spec: &mut IndexSpec) -> Result<Dataset, CliError> {
    match source {
        Source::Csv {
            path,
            unit_name,
            time,
            ..
        } => {
            let header = csv_header(path)?;
            for (opt, what) in [(unit_name, "--unit-names"), (time, "--time")] {
                if let Some(c) = opt
                    && !header.contains(c)
                {
                    return Err(CliError::Data(format!(
                        "{}: there is no column {c:?} (named by {what}).",
                        path.display()
                    )));
                }
            }
            let (roles, _) = csv_roles(&header, Some(spec), source);
            read_dataset_file(path, &roles).map_err(|e| in_file(path, &e))
        }
        Source::Coinr { imeta, idata } => {
            let file = std::fs::File::open(imeta).map_err(|e| io(imeta, "open", &e))?;
            read_imeta(file, &imeta.display().to_string()).map_err(|e| in_file(imeta, &e))?;
            let (_, data) = read_coinr_files(imeta, idata).map_err(|e| in_file(idata, &e))?;
            if !spec.framework.has_nodes() {
                // The tree comes from iMeta; the spec's weight sets and overrides stay.
                spec.framework.imeta = Some(imeta.display().to_string());
                spec.framework
                    .load_files(std::path::Path::new(""))
                    .map_err(|e| in_file(imeta, &e))?;
            }
            Ok(data)
        }
        Source::CoinTool { path } => read_coin_tool_source(path, Some(spec)),
    }
}

/// Locates, reads and returns the specification and the data.
///
/// # Errors
/// Usage errors for missing or conflicting options; data errors naming the
/// file, line and column.
pub(crate) fn load(args: &InputArgs) -> Result<Input, CliError> {
    let located = locate(args)?;
    // A specification that does not parse is the first problem to report (its
    // [data] table, if any, could not be read either).
    let mut spec = read_spec(&located.spec)?;
    let source = require_source(&located)?;
    if crate::panel::is_panel(&source)? {
        return Err(CliError::Usage(format!(
            "the data ({}) hold several editions (a Time column with more than one value); this command works on one edition: keep one edition's rows, or use run, validate or trends, which read panel data",
            source.describe()
        )));
    }
    let data = read_data(&source, &mut spec)?;
    Ok(Input {
        spec_path: located.spec,
        spec,
        data,
        source,
    })
}

/// Validates the pipeline of an input.
///
/// # Errors
/// The validation error, naming the specification.
pub(crate) fn pipeline(input: &Input) -> Result<Pipeline, CliError> {
    Pipeline::new(input.spec.clone(), input.data.clone()).map_err(|e| in_file(&input.spec_path, &e))
}
