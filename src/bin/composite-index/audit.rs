//! `audit`: statistics, correlations, Cronbach's alpha and PCA tables of a run.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use composite_index::audit::{
    self, AncestorCorrelation, CollinearPair, CorrelationMethod, CronbachAlpha, Grouped,
    IndicatorStats, Outcome, Pca, StatsThresholds,
};
use composite_index::report::{Block, CorrelationHeatmap, HtmlReport, Section, Table};

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load;
use crate::output::{CsvTable, MAX_LISTED, Outputs, capped, cell, opt_cell, say};

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
    let stats_set = results.dataset(&args.dataset).ok_or_else(|| {
        let names: Vec<&str> = results.datasets().iter().map(|s| s.name.as_str()).collect();
        CliError::Usage(format!(
            "--dataset {:?} is not a data set of this pipeline (it has {})",
            args.dataset,
            names.join(", ")
        ))
    })?;
    let agg = results.aggregated().ok_or_else(|| {
        CliError::Data(format!(
            "{}: the audit needs an aggregate step (correlations with pillars, Cronbach's alpha and PCA are computed on the aggregated data set).",
            input.spec_path.display()
        ))
    })?;
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: composite_index::Error| computing(&what, &e)
    };
    let stats = audit::indicator_stats(stats_set, &StatsThresholds::default())
        .map_err(fail("computing the statistics"))?;
    let top = fw.n_levels();
    let mut ancestors = Vec::new();
    let mut collinear = Vec::new();
    for level in 1..top {
        ancestors.extend(
            audit::ancestor_correlations(agg, fw, level, method, args.weak)
                .map_err(fail("computing the correlations"))?,
        );
        collinear.extend(
            audit::collinear_pairs(agg, fw, level, method, args.collinear)
                .map_err(fail("computing the collinear pairs"))?,
        );
    }
    let mut alphas = Vec::new();
    let mut pcas = Vec::new();
    for level in 2..=top {
        alphas.extend(
            audit::alpha_by_level(agg, fw, level).map_err(fail("computing Cronbach's alpha"))?,
        );
        pcas.extend(audit::pca_by_level(agg, fw, level).map_err(fail("computing the PCA"))?);
    }

    let mut files = Outputs::new();
    files.csv(&args.out.join("statistics.csv"), stats_table(&stats))?;
    let mut t = CsvTable::new(&[
        "code",
        "level",
        "ancestor",
        "ancestor_level",
        "is_parent",
        "r",
        "p_value",
        "n",
        "weak",
    ]);
    for a in &ancestors {
        t.row([
            a.code.clone(),
            a.level.to_string(),
            a.ancestor.clone(),
            a.ancestor_level.to_string(),
            a.is_parent.to_string(),
            opt_cell(a.correlation.r),
            opt_cell(a.correlation.p_value),
            a.correlation.n.to_string(),
            a.weak.to_string(),
        ]);
    }
    files.csv(&args.out.join("correlations.csv"), t)?;
    let mut t = CsvTable::new(&["a", "b", "parent", "r", "n"]);
    for p in &collinear {
        t.row([
            p.a.clone(),
            p.b.clone(),
            p.parent.clone(),
            opt_cell(p.correlation.r),
            p.correlation.n.to_string(),
        ]);
    }
    files.csv(&args.out.join("collinear_pairs.csv"), t)?;
    let mut t = CsvTable::new(&[
        "node",
        "level",
        "k",
        "alpha",
        "n_complete",
        "min_pairs",
        "skipped",
    ]);
    for g in &alphas {
        match &g.outcome {
            Outcome::Computed(a) => t.row([
                g.node.clone(),
                g.level.to_string(),
                a.k.to_string(),
                cell(a.alpha),
                a.n_complete.to_string(),
                a.min_pairs.to_string(),
                String::new(),
            ]),
            Outcome::Skipped { reason } => t.row([
                g.node.clone(),
                g.level.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                reason.clone(),
            ]),
        }
    }
    files.csv(&args.out.join("cronbach.csv"), t)?;
    let mut t = CsvTable::new(&[
        "node",
        "level",
        "component",
        "eigenvalue",
        "variance_share",
        "cumulative_share",
        "units_used",
        "skipped",
    ]);
    let mut loadings = CsvTable::new(&["node", "code", "loading_pc1", "weight_pc1"]);
    for g in &pcas {
        match &g.outcome {
            Outcome::Computed(p) => {
                for (c, ev) in p.eigenvalues.iter().enumerate() {
                    t.row([
                        g.node.clone(),
                        g.level.to_string(),
                        (c + 1).to_string(),
                        cell(*ev),
                        cell(p.variance_shares[c]),
                        cell(p.cumulative_shares[c]),
                        p.units_used.len().to_string(),
                        String::new(),
                    ]);
                }
                let first = p.component(0).unwrap_or_default();
                for (k, code) in p.codes.iter().enumerate() {
                    loadings.row([
                        g.node.clone(),
                        code.clone(),
                        first.get(k).copied().map_or_else(String::new, cell),
                        p.weights.get(k).copied().map_or_else(String::new, cell),
                    ]);
                }
            }
            Outcome::Skipped { reason } => t.row([
                g.node.clone(),
                g.level.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                reason.clone(),
            ]),
        }
    }
    files.csv(&args.out.join("pca.csv"), t)?;
    files.csv(&args.out.join("pca_loadings.csv"), loadings)?;
    files.json(
        &args.out.join("audit.json"),
        &AuditJson {
            dataset: &args.dataset,
            statistics: &stats,
            ancestor_correlations: &ancestors,
            collinear_pairs: &collinear,
            cronbach: &alphas,
            pca: &pcas,
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
        &pipeline
            .spec()
            .name
            .clone()
            .unwrap_or_else(|| fw.name(fw.root()).to_owned()),
        args,
        &stats,
        &ancestors,
        &collinear,
        &alphas,
        &pcas,
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
        "Wrote statistics.csv, correlations.csv, collinear_pairs.csv, cronbach.csv, pca.csv, pca_loadings.csv, audit.json, correlations.svg and audit.html to {}.",
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
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

fn stats_table(stats: &[IndicatorStats]) -> CsvTable {
    let mut t = CsvTable::new(&[
        "code",
        "n_units",
        "n_present",
        "availability",
        "min",
        "max",
        "mean",
        "median",
        "sd",
        "skewness",
        "kurtosis",
        "share_zeros",
        "n_unique",
        "outlier_flag",
        "low_availability",
        "many_zeros",
    ]);
    for s in stats {
        t.row([
            s.code.clone(),
            s.n_units.to_string(),
            s.n_present.to_string(),
            cell(s.availability),
            opt_cell(s.min),
            opt_cell(s.max),
            opt_cell(s.mean),
            opt_cell(s.median),
            opt_cell(s.sd),
            opt_cell(s.skewness),
            opt_cell(s.kurtosis),
            opt_cell(s.share_zeros),
            s.n_unique.to_string(),
            s.outlier_flag.to_string(),
            s.low_availability.to_string(),
            s.many_zeros.to_string(),
        ]);
    }
    t
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
