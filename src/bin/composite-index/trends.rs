//! `trends`: comparisons across the editions of panel data: rank changes,
//! streaks, biggest movers, trends (CAGR or percentage change) and the charts
//! over time.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use composite_index::panel::{
    Condition, Editions, Trend, TrendMetric, TrendOptions, trends as compute,
};
use composite_index::report::{BumpChart, ScoreChart};

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::output::{CsvTable, Outputs, cell, opt_cell, say};
use crate::panel::{self, PanelArgs};

/// The trend metric on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Metric {
    /// Compound annual growth rate (a fraction).
    Cagr,
    /// Percentage change per time unit.
    PrcChange,
}

/// Options of `trends`.
#[derive(Debug, Args)]
pub(crate) struct TrendsArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) panel: PanelArgs,
    /// Output directory (created if needed; files in it are replaced).
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Nodes compared, comma-separated [default: the index and every aggregate].
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub(crate) node: Vec<String>,
    /// Trend metric.
    #[arg(long, value_enum, default_value = "cagr")]
    pub(crate) metric: Metric,
    /// Use only the latest N points of each series for the trends.
    #[arg(long, value_name = "N")]
    pub(crate) use_latest: Option<usize>,
    /// Interpolate missing values at these times before the trends ("all": every edition).
    #[arg(long, value_name = "TIMES|all", value_delimiter = ',')]
    pub(crate) interp_at: Vec<String>,
    /// Group column for the movers within groups (e.g. an income group).
    #[arg(long, value_name = "COL")]
    pub(crate) group: Option<String>,
    /// Number of climbers and fallers listed per group.
    #[arg(long, value_name = "N", default_value = "10")]
    pub(crate) top: usize,
    /// Also compare consecutive editions whose frameworks differ on the indicators
    /// they have in common (both recomputed), in rank_changes_common.csv.
    #[arg(long)]
    pub(crate) common: bool,
    /// An explicit match of indicators between editions for --common, as OLD=NEW
    /// (repeatable), e.g. an indicator renamed under the same code.
    #[arg(long = "match-indicator", value_name = "OLD=NEW")]
    pub(crate) match_indicator: Vec<String>,
}

fn parse_times(values: &[String], what: &str) -> Result<Option<Vec<f64>>, CliError> {
    if values.is_empty() {
        return Ok(None);
    }
    if values.len() == 1 && values[0].trim().eq_ignore_ascii_case("all") {
        return Ok(Some(Vec::new()));
    }
    values
        .iter()
        .map(|v| {
            v.trim()
                .parse::<f64>()
                .map_err(|_| CliError::Usage(format!("{what} {v:?} is not a time")))
        })
        .collect::<Result<Vec<f64>, _>>()
        .map(Some)
}

/// Every framework change between consecutive editions, or `None` when the
/// frameworks do not change.
fn framework_changes_table(eds: &Editions) -> Option<CsvTable> {
    use composite_index::panel::{FrameworkBasis, IndicatorChange};
    let mut t = CsvTable::new(&["from", "to", "change", "code", "previous", "detail"]);
    let mut any = false;
    let times = eds.times();
    for w in times.windows(2) {
        let FrameworkBasis::OwnFrameworks { changes: Some(c) } = eds.basis(w[0], w[1]) else {
            continue;
        };
        for ch in &c.changes {
            let (kind, code, prev, detail) = match ch {
                IndicatorChange::Added { code, name } => {
                    ("added", code.clone(), String::new(), name.clone())
                }
                IndicatorChange::Removed { code, name } => {
                    ("removed", code.clone(), String::new(), name.clone())
                }
                IndicatorChange::Renumbered { old, new, name } => {
                    ("renumbered", new.clone(), old.clone(), name.clone())
                }
                IndicatorChange::Renamed {
                    code,
                    old_name,
                    new_name,
                } => (
                    "renamed (not compared unless mapped)",
                    code.clone(),
                    code.clone(),
                    format!("{old_name} -> {new_name}"),
                ),
                IndicatorChange::Mapped { old, new } => {
                    ("mapped", new.clone(), old.clone(), String::new())
                }
                IndicatorChange::Moved {
                    code,
                    old_parent,
                    new_parent,
                } => (
                    "moved",
                    code.clone(),
                    String::new(),
                    format!("{old_parent} -> {new_parent}"),
                ),
                IndicatorChange::Redirected { code, old, new } => (
                    "direction",
                    code.clone(),
                    String::new(),
                    format!("{old} -> {new}"),
                ),
                IndicatorChange::Reweighted { code, old, new } => (
                    "weight",
                    code.clone(),
                    String::new(),
                    format!("{old} -> {new}"),
                ),
                _ => ("changed", String::new(), String::new(), String::new()),
            };
            any = true;
            t.row([
                w[0].to_string(),
                w[1].to_string(),
                kind.to_owned(),
                code,
                prev,
                detail,
            ]);
        }
    }
    any.then_some(t)
}

/// Runs `trends`.
pub(crate) fn trends(args: &TrendsArgs) -> CliResult {
    let input = panel::detect(&args.input)?.ok_or_else(|| {
        CliError::Usage(
            "trends needs panel data: a Time column with at least two editions (name another column with --time)"
                .into(),
        )
    })?;
    let pipeline = panel::pipeline(&input, &args.panel)?;
    let results = panel::run(&input, &pipeline)?;
    let mapping = args.panel.mapping()?;
    let eds: Editions = results.to_editions().with_mapping(mapping.clone());
    let all = panel::node_order(&pipeline);
    let aggregates: Vec<String> = {
        let mut v = Vec::new();
        for &t in pipeline.times() {
            if let Some(p) = pipeline.pipeline(t) {
                let fw = p.framework();
                for level in (2..=fw.n_levels()).rev() {
                    for &i in fw.nodes_at_level(level) {
                        let c = fw.code(i).to_owned();
                        if !v.contains(&c) {
                            v.push(c);
                        }
                    }
                }
            }
        }
        v
    };
    let nodes = if args.node.is_empty() {
        aggregates
    } else {
        for n in &args.node {
            if !all.contains(n) {
                return Err(CliError::Usage(format!(
                    "--node {n:?} is not a node of {}",
                    input.spec_path.display()
                )));
            }
        }
        args.node.clone()
    };
    let Some(first_node) = nodes.first().cloned() else {
        return Err(CliError::Data(format!(
            "{}: the framework has no aggregate to compare (name nodes with --node).",
            input.spec_path.display()
        )));
    };
    let out = &args.out;
    let mut files = Outputs::new();
    let mut written = 0;
    files.csv(
        &out.join("rank_changes.csv"),
        panel::changes_table(&eds, &nodes)?,
    )?;
    written += 1;

    // Streaks of every unit of the last edition: first, top 10.
    let last = eds.editions().last().map(|e| e.time()).unwrap_or(f64::NAN);
    let mut st = CsvTable::new(&[
        "node",
        "uCode",
        "uName",
        "condition",
        "editions",
        "since",
        "until",
        "stopped_by",
    ]);
    let mut sentences: Vec<String> = Vec::new();
    if let Some(e) = eds.editions().last() {
        for n in &nodes {
            for cond in [Condition::RankAtMost(1), Condition::RankAtMost(10)] {
                let mut units: Vec<&String> = e.units().iter().collect();
                units.sort_by_key(|u| (e.rank(u, n).unwrap_or(u32::MAX), (*u).clone()));
                for u in units {
                    let s = eds
                        .streak(u, n, &cond, None)
                        .map_err(|err| computing("computing streaks", &err))?;
                    if let Some(s) = s {
                        if *n == first_node && matches!(cond, Condition::RankAtMost(1)) {
                            sentences.push(format!("{}: {} at {n}.", e.name(u), s.describe()));
                        }
                        st.row([
                            n.clone(),
                            u.clone(),
                            e.name(u).to_owned(),
                            s.condition.clone(),
                            s.length.to_string(),
                            s.since.to_string(),
                            s.until.to_string(),
                            s.stopped_by.clone().unwrap_or_default(),
                        ]);
                    }
                }
            }
        }
    }
    files.csv(&out.join("streaks.csv"), st)?;
    written += 1;

    // Biggest movers, first to last edition, overall and within groups.
    let first = eds.times().first().copied().unwrap_or(f64::NAN);
    let mut mv = CsvTable::new(&[
        "node",
        "group",
        "direction",
        "position",
        "uCode",
        "uName",
        "rank_from",
        "rank_to",
        "change",
    ]);
    for n in &nodes {
        let m = eds
            .movers(n, first, last, args.group.as_deref())
            .map_err(|e| computing("finding the biggest movers", &e))?;
        let mut lists: Vec<(String, &str, &Vec<composite_index::panel::RankChange>)> = vec![
            ("all".into(), "up", &m.climbers),
            ("all".into(), "down", &m.fallers),
        ];
        for (g, up, down) in &m.groups {
            lists.push((g.clone(), "up", up));
            lists.push((g.clone(), "down", down));
        }
        for (g, dir, rows) in lists {
            for (k, r) in rows.iter().take(args.top).enumerate() {
                mv.row([
                    n.clone(),
                    g.clone(),
                    dir.to_owned(),
                    (k + 1).to_string(),
                    r.unit.clone(),
                    r.name.clone(),
                    r.rank_from.map_or_else(String::new, |v| v.to_string()),
                    r.rank_to.map_or_else(String::new, |v| v.to_string()),
                    r.change().map_or_else(String::new, |v| v.to_string()),
                ]);
            }
        }
        if *n == first_node
            && let Some(r) = m.climbers.first()
        {
            sentences.push(format!(
                "Biggest climber at {n}: {}.",
                r.describe("ranked", &first.to_string(), &last.to_string())
            ));
        }
    }
    files.csv(&out.join("movers.csv"), mv)?;
    written += 1;

    // Trends of every chosen node.
    let metric = match args.metric {
        Metric::Cagr => TrendMetric::Cagr,
        Metric::PrcChange => TrendMetric::PrcChange,
    };
    let mut options = TrendOptions::new(metric);
    options.use_latest = args.use_latest;
    options.interp_at = parse_times(&args.interp_at, "--interp-at")?;
    let aggregated = results
        .dataset("aggregated")
        .or_else(|| results.dataset("normalised"))
        .ok_or_else(|| CliError::Data("the specification computes no aggregated or normalised data set to take trends of.".into()))?;
    let cols: Vec<String> = nodes
        .iter()
        .filter(|n| aggregated.column(n).is_some())
        .cloned()
        .collect();
    let rows = compute(&aggregated, &cols, None, &options)
        .map_err(|e| computing("computing the trends", &e))?;
    let mut tr = CsvTable::new(&[
        "uCode",
        "iCode",
        metric.coinr_name(),
        "undefined",
        "Avail",
        "t_first",
        "t_latest",
        "Avail_use_latest",
        "t_first_use_latest",
    ]);
    for r in &rows {
        let (value, why) = match r.trend {
            Trend::Value(v) => (cell(v), String::new()),
            Trend::TooFewPoints => (String::new(), "fewer than two observations".into()),
            Trend::Undefined(u) => (String::new(), u.describe().into()),
            _ => (String::new(), String::new()),
        };
        tr.row([
            r.unit.clone(),
            r.column.clone(),
            value,
            why,
            cell(r.avail),
            opt_cell(r.t_first),
            opt_cell(r.t_latest),
            opt_cell(r.avail_use_latest),
            opt_cell(r.t_first_use_latest),
        ]);
    }
    files.csv(&out.join("trends.csv"), tr)?;
    written += 1;

    // Framework changes between consecutive editions, when they differ.
    let times = eds.times();
    let mut fc = Vec::new();
    for w in times.windows(2) {
        fc.push(format!(
            "{} -> {}: {}",
            w[0],
            w[1],
            eds.basis(w[0], w[1]).describe()
        ));
    }
    files.text(&out.join("basis.txt"), &(fc.join("\n") + "\n"))?;
    written += 1;
    if let Some(t) = framework_changes_table(&eds) {
        files.csv(&out.join("framework_changes.csv"), t)?;
        written += 1;
    }
    if args.common {
        let matches = args
            .match_indicator
            .iter()
            .map(|m| {
                m.split_once('=')
                    .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
                    .ok_or_else(|| {
                        CliError::Usage(format!("--match-indicator {m:?} is not OLD=NEW"))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut t = panel::comparison_table();
        for w in times.windows(2) {
            let changed = match eds.basis(w[0], w[1]) {
                composite_index::panel::FrameworkBasis::OwnFrameworks { changes: Some(c) } => {
                    !c.is_empty()
                }
                _ => false,
            };
            if !changed && matches.is_empty() {
                continue;
            }
            for n in &nodes {
                let c = match pipeline.compare_on_common(n, w[0], w[1], &matches, &mapping) {
                    Ok(c) => c,
                    // A node without indicators in common in either edition.
                    Err(_) => continue,
                };
                panel::push_comparison(&mut t, &c);
            }
        }
        files.csv(&out.join("rank_changes_common.csv"), t)?;
        written += 1;
    }

    // Charts over time.
    let node = &first_node;
    let bump = BumpChart::from_editions(&eds, node, &args.panel.units);
    let scores = ScoreChart::from_editions(&eds, node, &args.panel.units);
    for (name, svg) in [
        (
            "bump",
            bump.to_svg()
                .map_err(|e| computing("drawing the bump chart", &e))?,
        ),
        (
            "scores",
            scores
                .to_svg()
                .map_err(|e| computing("drawing the score chart", &e))?,
        ),
    ] {
        files.text(&out.join(format!("{name}.svg")), &svg)?;
        written += 1;
    }
    files.commit()?;

    say(&format!(
        "{} editions ({}), {} nodes compared; {}",
        times.len(),
        times
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        nodes.len(),
        fc.last().cloned().unwrap_or_default()
    ));
    for s in sentences.iter().take(6) {
        say(s);
    }
    say(&format!("Wrote {written} files to {}.", out.display()));
    Ok(ExitCode::SUCCESS)
}
