//! `audit`: statistics, correlations, Cronbach's alpha and PCA tables of a run.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use composite_index::audit::{
    self, AncestorCorrelation, AuditOptions, CollinearPair, CorrelationMethod, CronbachAlpha,
    Grouped, IndicatorStats, Outcome, Pca, StandardAudit,
};
use composite_index::report::{Block, CorrelationHeatmap, HtmlReport, Section, Table};
use composite_index::tables::FlagStyle;
use composite_index::workbook::{StatsLayout, Workbook, audit_tables};

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load;
use crate::output::{MAX_LISTED, Outputs, capped, say};

/// Options of `audit`.
#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output directory (created if needed).
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Data set of the statistics table (raw, denominated, imputed, screened, treated, normalised, aggregated).
    #[arg(long, value_name = "NAME", default_value = "raw")]
    pub(crate) dataset: String,
    /// Correlation coefficient.
    #[arg(long, value_enum, default_value_t = Method::Pearson)]
    pub(crate) method: Method,
    /// Correlations with an ancestor below this are flagged as weak (JRC: 0.3).
    #[arg(long, default_value_t = 0.3)]
    pub(crate) weak: f64,
    /// Siblings correlated above this are flagged as collinear (JRC: 0.9).
    #[arg(long, default_value_t = 0.9)]
    pub(crate) collinear: f64,
    /// Columns of statistics.csv: the crate's, or COINr's get_stats columns (N.Same, Frc.Unique, Flag.SkewKurt...).
    #[arg(long, value_enum, default_value_t = StatsLayoutArg::Crate)]
    pub(crate) stats_layout: StatsLayoutArg,
    /// How the flags of COINr's columns are written: COINr's ok/LOW/OUT, or true/false.
    #[arg(long, value_enum, default_value_t = FlagsArg::Coinr)]
    pub(crate) flags: FlagsArg,
    /// Also write every table as one Excel workbook, OUT/audit.xlsx.
    #[arg(long)]
    pub(crate) xlsx: bool,
}

/// Columns of the statistics table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatsLayoutArg {
    /// The crate's columns (n_present, availability, outlier_flag...).
    Crate,
    /// COINr's get_stats columns (N.Avail, N.Same, Frc.Unique, Flag.SkewKurt...).
    Coinr,
}

/// How COINr's flags are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FlagsArg {
    /// ok, LOW, OUT.
    Coinr,
    /// true when raised.
    Logical,
}

/// Correlation coefficient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Method {
    /// Pearson's product-moment correlation.
    Pearson,
    /// Spearman's rank correlation.
    Spearman,
}

#[derive(serde::Serialize)]
struct AuditJson<'a> {
    dataset: &'a str,
    statistics: &'a [IndicatorStats],
    ancestor_correlations: &'a [AncestorCorrelation],
    collinear_pairs: &'a [CollinearPair],
    cronbach: &'a [Grouped<CronbachAlpha>],
    pca: &'a [Grouped<Pca>],
}

/// Runs `audit`.
pub(crate) fn audit(args: &AuditArgs) -> CliResult {
    for (name, v) in [("--weak", args.weak), ("--collinear", args.collinear)] {
        if !(-1.0..=1.0).contains(&v) {
            return Err(CliError::Usage(format!(
                "{name} {v} is not a correlation: give a number between -1 and 1"
            )));
        }
    }
    let input = load::load(&args.input)?;
    let pipeline = load::pipeline(&input)?;
    let names: Vec<&str> = std::iter::once("raw")
        .chain(pipeline.spec().steps.iter().map(|s| s.output_name()))
        .collect();
    if !names.contains(&args.dataset.as_str()) {
        return Err(CliError::Usage(format!(
            "--dataset {:?} is not a data set of this pipeline (it has {}){}",
            args.dataset,
            names.join(", "),
            composite_index::suggest::hint(&args.dataset, names.iter().copied())
        )));
    }
    if !names.contains(&"aggregated") {
        return Err(CliError::Data(format!(
            "{}: the audit needs an aggregate step (correlations with pillars, Cronbach's alpha and PCA are computed on the aggregated data set).",
            input.spec_path.display()
        )));
    }
    let results = pipeline
        .run()
        .map_err(|e| computing(&format!("running {}", input.spec_path.display()), &e))?;
    let fw = pipeline.framework();
    let method = match args.method {
        Method::Pearson => CorrelationMethod::Pearson,
        Method::Spearman => CorrelationMethod::Spearman,
    };
    if results.dataset(&args.dataset).is_none() {
        let names: Vec<&str> = results.datasets().iter().map(|s| s.name()).collect();
        return Err(CliError::Usage(format!(
            "--dataset {:?} is not a data set of this pipeline (it has {})",
            args.dataset,
            names.join(", ")
        )));
    }
    let Some(agg) = results.aggregated() else {
        return Err(CliError::Data(format!(
            "{}: the audit needs an aggregate step (correlations with pillars, Cronbach's alpha and PCA are computed on the aggregated data set).",
            input.spec_path.display()
        )));
    };
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: composite_index::Error| computing(&what, &e)
    };
    let options = AuditOptions {
        dataset: args.dataset.clone(),
        method,
        weak: args.weak,
        collinear: args.collinear,
        ..AuditOptions::default()
    };
    let report =
        audit::standard_audit(&pipeline, &results, &options).map_err(fail("auditing the run"))?;
    let StandardAudit {
        statistics: stats,
        ancestors,
        collinear,
        cronbach: alphas,
        pca: pcas,
        ..
    } = &report;

    let mut files = Outputs::new();
    let layout = match args.stats_layout {
        StatsLayoutArg::Crate => StatsLayout::Crate,
        StatsLayoutArg::Coinr => StatsLayout::Coinr(match args.flags {
            FlagsArg::Coinr => FlagStyle::Coinr,
            FlagsArg::Logical => FlagStyle::Logical,
        }),
    };
    let tables = audit_tables(&report, layout);
    for t in &tables {
        files.table(&args.out, t)?;
    }
    if args.xlsx {
        let mut book = Workbook::new(format!("{}: statistical audit", index_name(&pipeline)));
        book.spec = Some(
            results
                .spec()
                .to_toml()
                .map_err(fail("writing the specification"))?,
        );
        book.tables = tables;
        files.workbook(&args.out.join("audit.xlsx"), &book)?;
    }
    files.json(
        &args.out.join("audit.json"),
        &AuditJson {
            dataset: &args.dataset,
            statistics: stats,
            ancestor_correlations: ancestors,
            collinear_pairs: collinear,
            cronbach: alphas,
            pca: pcas,
        },
    )?;

    // Heatmap of every indicator with every aggregate of the level above.
    let level = |l: u32| -> Vec<String> {
        fw.nodes_at_level(l)
            .iter()
            .map(|&i| fw.code(i).to_owned())
            .collect()
    };
    let (rows, cols) = (level(1), level(2));
    let m = audit::cross_correlation(agg, &rows, &cols, method)
        .map_err(fail("computing the correlations"))?;
    let own: Vec<(usize, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(r, code)| {
            let p = fw.index_of(code).and_then(|i| fw.parent(i))?;
            Some((r, cols.iter().position(|c| c == fw.code(p))?))
        })
        .collect();
    let heat = CorrelationHeatmap::from_matrix("Indicators against the level above", &m)
        .subtitle(format!(
            "{:?} correlations on the aggregated data set; outlined: each indicator with its own parent.",
            args.method
        ))
        .with_highlight(own);
    let svg = heat
        .to_svg()
        .map_err(fail("drawing the correlation heatmap"))?;
    files.text(&args.out.join("correlations.svg"), &svg)?;

    let html = audit_html(
        &index_name(&pipeline),
        args,
        stats,
        ancestors,
        collinear,
        alphas,
        pcas,
        svg,
    );
    files.text(&args.out.join("audit.html"), &html.to_html())?;
    files.commit()?;

    let flagged: Vec<&str> = stats
        .iter()
        .filter(|s| s.outlier_flag)
        .map(|s| s.code.as_str())
        .collect();
    let low: Vec<&str> = stats
        .iter()
        .filter(|s| s.low_availability)
        .map(|s| s.code.as_str())
        .collect();
    let weak: Vec<String> = ancestors
        .iter()
        .filter(|a| a.weak && a.is_parent)
        .map(|a| format!("{} ~ {}", a.code, a.ancestor))
        .collect();
    say(&format!(
        "Audit of {} ({} units, {} indicators; statistics of the {} data set):",
        input.spec_path.display(),
        results.unit_codes().len(),
        fw.indicators().len(),
        args.dataset
    ));
    say(&format!(
        "  skewed with high kurtosis: {}; availability below 65%: {}.",
        list(&flagged),
        list(&low)
    ));
    say(&format!(
        "  weak correlations with the parent (r < {}): {}; collinear siblings (r > {}): {}.",
        args.weak,
        list(&weak.iter().map(String::as_str).collect::<Vec<_>>()),
        args.collinear,
        collinear.len()
    ));
    let alpha_text: Vec<String> = alphas
        .iter()
        .filter_map(|g| match &g.outcome {
            Outcome::Computed(a) => Some(format!("{} {:.2}", g.node, a.alpha)),
            Outcome::Skipped { .. } => None,
        })
        .collect();
    say(&format!("  Cronbach's alpha: {}.", list_owned(&alpha_text)));
    let pca_text: Vec<String> = pcas
        .iter()
        .filter_map(|g| match &g.outcome {
            Outcome::Computed(p) => p
                .variance_shares
                .first()
                .map(|s| format!("{} {:.0}%", g.node, 100.0 * s)),
            Outcome::Skipped { .. } => None,
        })
        .collect();
    say(&format!(
        "  variance explained by the first principal component: {}.",
        list_owned(&pca_text)
    ));
    say(&format!(
        "Wrote statistics.csv, correlations.csv, collinear_pairs.csv, cronbach.csv, pca.csv, pca_loadings.csv, correlation_matrix.csv, audit.json, correlations.svg{} and audit.html to {}.",
        if args.xlsx { ", audit.xlsx" } else { "" },
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn index_name(pipeline: &composite_index::Pipeline) -> String {
    let fw = pipeline.framework();
    pipeline
        .spec()
        .name
        .clone()
        .unwrap_or_else(|| fw.name(fw.root()).to_owned())
}

fn list(items: &[&str]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        capped(items, MAX_LISTED, ", ")
    }
}

fn list_owned(items: &[String]) -> String {
    list(&items.iter().map(String::as_str).collect::<Vec<_>>())
}

#[allow(clippy::too_many_arguments)]
fn audit_html(
    name: &str,
    args: &AuditArgs,
    stats: &[IndicatorStats],
    ancestors: &[AncestorCorrelation],
    collinear: &[CollinearPair],
    alphas: &[Grouped<CronbachAlpha>],
    pcas: &[Grouped<Pca>],
    heatmap: String,
) -> HtmlReport {
    let f = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"));
    let mut t = Table::new([
        "indicator",
        "available",
        "min",
        "max",
        "mean",
        "median",
        "sd",
        "skewness",
        "kurtosis",
        "flags",
    ]);
    for s in stats {
        let mut flags = Vec::new();
        if s.outlier_flag {
            flags.push("outliers");
        }
        if s.low_availability {
            flags.push("low availability");
        }
        if s.many_zeros {
            flags.push("many zeros");
        }
        t.push([
            s.code.clone(),
            format!("{:.0}%", 100.0 * s.availability),
            f(s.min),
            f(s.max),
            f(s.mean),
            f(s.median),
            f(s.sd),
            f(s.skewness),
            f(s.kurtosis),
            flags.join(", "),
        ]);
    }
    let stats_sec = Section::new("Indicator statistics")
        .with(Block::Text(format!(
            "Statistics of the {} data set; skewness and kurtosis are Excel's estimators.",
            args.dataset
        )))
        .with(Block::Table(t));
    let mut t = Table::new(["node", "parent", "r", "n", "weak"]);
    for a in ancestors.iter().filter(|a| a.is_parent) {
        t.push([
            a.code.clone(),
            a.ancestor.clone(),
            f(a.correlation.r),
            a.correlation.n.to_string(),
            if a.weak { "weak".into() } else { String::new() },
        ]);
    }
    let mut corr_sec = Section::new("Correlations")
        .with(Block::Svg(heatmap))
        .with(Block::Table(t.caption(format!(
            "Each node with its parent ({:?}; weak below {})",
            args.method, args.weak
        ))));
    if !collinear.is_empty() {
        let mut c = Table::new(["a", "b", "parent", "r"]).caption(format!(
            "Siblings correlated above {} (possible double counting)",
            args.collinear
        ));
        for p in collinear {
            c.push([
                p.a.clone(),
                p.b.clone(),
                p.parent.clone(),
                f(p.correlation.r),
            ]);
        }
        corr_sec.push(Block::Table(c));
    }
    let mut t = Table::new([
        "group",
        "level",
        "members",
        "alpha",
        "complete units",
        "note",
    ]);
    for g in alphas {
        match &g.outcome {
            Outcome::Computed(a) => t.push([
                g.node.clone(),
                g.level.to_string(),
                a.k.to_string(),
                f(Some(a.alpha)),
                a.n_complete.to_string(),
                String::new(),
            ]),
            Outcome::Skipped { reason } => t.push([
                g.node.clone(),
                g.level.to_string(),
                String::new(),
                "n/a".into(),
                String::new(),
                reason.clone(),
            ]),
        }
    }
    let alpha_sec = Section::new("Cronbach's alpha").with(Block::Table(t));
    let mut t = Table::new([
        "group",
        "level",
        "members",
        "PC1 share",
        "PC1+PC2 share",
        "units used",
        "note",
    ]);
    for g in pcas {
        match &g.outcome {
            Outcome::Computed(p) => t.push([
                g.node.clone(),
                g.level.to_string(),
                p.codes.len().to_string(),
                f(p.variance_shares.first().copied()),
                f(p.cumulative_shares.get(1).copied()),
                p.units_used.len().to_string(),
                String::new(),
            ]),
            Outcome::Skipped { reason } => t.push([
                g.node.clone(),
                g.level.to_string(),
                String::new(),
                "n/a".into(),
                "n/a".into(),
                String::new(),
                reason.clone(),
            ]),
        }
    }
    let pca_sec = Section::new("Principal components").with(Block::Table(t));
    HtmlReport::new(format!("{name}: statistical audit"))
        .section(stats_sec)
        .section(corr_sec)
        .section(alpha_sec)
        .section(pca_sec)
}
