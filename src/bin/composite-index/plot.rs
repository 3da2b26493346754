//! `plot`: the charts COINr users expect, one SVG file each: scatter of two
//! variables, dot plot of a unit, distributions, framework sunburst and the
//! correlation matrix of a group.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use composite_index::Pipeline;
use composite_index::Results;
use composite_index::audit::CorrelationMethod;
use composite_index::insights::CovariateTransform;
use composite_index::report::{
    CorrelationHeatmap, DistributionKind, DistributionPlot, DotPlot, FrameworkSunburst,
    ScatterChart,
};
use composite_index::tables;

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load;
use crate::output::{Outputs, say};

/// Options of `plot`.
#[derive(Debug, Args)]
pub(crate) struct PlotArgs {
    #[command(subcommand)]
    pub(crate) chart: PlotChart,
}

/// Which chart.
#[derive(Debug, Subcommand)]
pub(crate) enum PlotChart {
    /// Two variables against each other, units labelled, with an optional trend (COINr plot_scatter).
    Scatter(ScatterArgs),
    /// One unit among all on some nodes (COINr plot_dot).
    Dot(DotArgs),
    /// Distributions of indicators or aggregates: box plots, violins or histograms (COINr plot_dist).
    Dist(DistArgs),
    /// The framework as a sunburst, angles the effective weights (COINr plot_framework).
    Sunburst(SunburstArgs),
    /// The full correlation matrix of the indicators of a group (COINr plot_corr).
    Corr(CorrArgs),
}

/// The SVG file to write.
#[derive(Debug, Clone, Args)]
pub(crate) struct OutArg {
    /// The SVG file to write.
    #[arg(long, short, value_name = "FILE.svg")]
    pub(crate) out: PathBuf,
}

/// Options of `plot scatter`.
#[derive(Debug, Args)]
pub(crate) struct ScatterArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) out: OutArg,
    /// Variable on the x axis: a column code of the final data set or of the input data (indicators, denominators), or DATASET:CODE (raw:LPI).
    #[arg(long, value_name = "VAR")]
    pub(crate) x: String,
    /// Variable on the y axis (as --x).
    #[arg(long, value_name = "VAR")]
    pub(crate) y: String,
    /// Draw a least-squares trend of y on x (log: on ln x, with x on a log scale).
    #[arg(long, value_enum)]
    pub(crate) fit: Option<FitArg>,
    /// Degree of the trend's polynomial.
    #[arg(long, default_value_t = 1)]
    pub(crate) degree: usize,
    /// Colour the points by this group column of the data.
    #[arg(long, value_name = "COL")]
    pub(crate) group: Option<String>,
    /// Units (codes) to highlight and label first, comma-separated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub(crate) highlight: Vec<String>,
}

/// The trend of a scatter plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FitArg {
    /// On x as it is.
    Linear,
    /// On ln x; x drawn on a log scale.
    Log,
}

/// Options of `plot dot`.
#[derive(Debug, Args)]
pub(crate) struct DotArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) out: OutArg,
    /// The unit shown (its code).
    #[arg(long, value_name = "CODE")]
    pub(crate) unit: String,
    /// Nodes shown, one row each, comma-separated [default: the index and the level below it].
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub(crate) nodes: Vec<String>,
}

/// Options of `plot dist`.
#[derive(Debug, Args)]
pub(crate) struct DistArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) out: OutArg,
    /// How each distribution is drawn.
    #[arg(long, value_enum, default_value_t = KindArg::Box)]
    pub(crate) kind: KindArg,
    /// Data set whose columns are drawn.
    #[arg(long, value_name = "NAME", default_value = "normalised")]
    pub(crate) dataset: String,
    /// Columns drawn, comma-separated [default: the indicators of --group, or all indicators].
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        conflicts_with = "group"
    )]
    pub(crate) nodes: Vec<String>,
    /// Draw the indicators below this node.
    #[arg(long, value_name = "NODE")]
    pub(crate) group: Option<String>,
}

/// How a distribution is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// Tukey box plots.
    Box,
    /// Kernel density violins.
    Violin,
    /// Histograms.
    Histogram,
}

/// Options of `plot sunburst`.
#[derive(Debug, Args)]
pub(crate) struct SunburstArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) out: OutArg,
}

/// Options of `plot corr`.
#[derive(Debug, Args)]
pub(crate) struct CorrArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) out: OutArg,
    /// The group: its indicators are correlated [default: the index, so all indicators].
    #[arg(long, value_name = "NODE")]
    pub(crate) group: Option<String>,
    /// Data set of the values.
    #[arg(long, value_name = "NAME", default_value = "normalised")]
    pub(crate) dataset: String,
    /// Correlation coefficient.
    #[arg(long, value_enum, default_value_t = crate::audit::Method::Pearson)]
    pub(crate) method: crate::audit::Method,
    /// Also write the matrix as CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub(crate) csv: Option<PathBuf>,
}

fn run_input(input: &InputArgs) -> Result<(Pipeline, Results), CliError> {
    let loaded = load::load(input)?;
    let pipeline = load::pipeline(&loaded)?;
    let results = pipeline
        .run()
        .map_err(|e| computing(&format!("running {}", loaded.spec_path.display()), &e))?;
    Ok((pipeline, results))
}

fn unknown_dataset(results: &Results, name: &str) -> CliError {
    let names: Vec<&str> = results.datasets().iter().map(|s| s.name()).collect();
    CliError::Usage(format!(
        "--dataset {name:?} is not a data set of this pipeline (it has {})",
        names.join(", ")
    ))
}

/// Runs `plot`.
pub(crate) fn plot(args: &PlotArgs) -> CliResult {
    let draw = |what: &str| {
        let what = what.to_owned();
        move |e: composite_index::Error| computing(&what, &e)
    };
    let mut files = Outputs::new();
    let (out, svg, what) = match &args.chart {
        PlotChart::Scatter(a) => {
            let (p, r) = run_input(&a.input)?;
            let mut c = ScatterChart::from_results(&p, &r, &a.x, &a.y)
                .map_err(|e| CliError::Usage(crate::errors::sentence(None, &e)))?;
            if let Some(g) = &a.group {
                c = c
                    .grouped_by(&p, &r, g)
                    .map_err(|e| CliError::Usage(crate::errors::sentence(None, &e)))?;
            }
            if let Some(f) = a.fit {
                let t = match f {
                    FitArg::Linear => CovariateTransform::Identity,
                    FitArg::Log => CovariateTransform::Ln,
                };
                c = c.with_fit(t, a.degree).map_err(draw("fitting the trend"))?;
            }
            let codes = r.unit_codes();
            c.highlight = a
                .highlight
                .iter()
                .map(|h| {
                    codes.iter().position(|u| u == h).ok_or_else(|| {
                        CliError::Usage(format!("--highlight {h:?} is not a unit of the results"))
                    })
                })
                .collect::<Result<_, _>>()?;
            (
                &a.out.out,
                c.to_svg().map_err(draw("drawing the scatter plot"))?,
                "scatter plot",
            )
        }
        PlotChart::Dot(a) => {
            let (p, r) = run_input(&a.input)?;
            let fw = p.framework();
            let nodes = if a.nodes.is_empty() {
                let root = fw.root();
                std::iter::once(root)
                    .chain(fw.children(root).iter().copied())
                    .map(|i| fw.code(i).to_owned())
                    .collect()
            } else {
                a.nodes.clone()
            };
            let c = DotPlot::from_results(&p, &r, &a.unit, &nodes)
                .map_err(|e| CliError::Usage(crate::errors::sentence(None, &e)))?;
            (
                &a.out.out,
                c.to_svg().map_err(draw("drawing the dot plot"))?,
                "dot plot",
            )
        }
        PlotChart::Dist(a) => {
            let (p, r) = run_input(&a.input)?;
            let fw = p.framework();
            let set = r
                .dataset(&a.dataset)
                .ok_or_else(|| unknown_dataset(&r, &a.dataset))?;
            let codes: Vec<String> = if !a.nodes.is_empty() {
                a.nodes.clone()
            } else {
                let under = match &a.group {
                    Some(g) => Some(fw.index_of(g).ok_or_else(|| {
                        CliError::Usage(format!("--group {g:?} is not a node of the framework"))
                    })?),
                    None => None,
                };
                fw.indicators()
                    .iter()
                    .copied()
                    .filter(|&k| under.is_none_or(|g| k == g || fw.ancestors(k).any(|x| x == g)))
                    .map(|k| fw.code(k).to_owned())
                    .collect()
            };
            let kind = match a.kind {
                KindArg::Box => DistributionKind::Box,
                KindArg::Violin => DistributionKind::Violin,
                KindArg::Histogram => DistributionKind::Histogram,
            };
            let c = DistributionPlot::from_dataset(set, &codes, kind)
                .map_err(|e| CliError::Usage(crate::errors::sentence(None, &e)))?;
            (
                &a.out.out,
                c.to_svg().map_err(draw("drawing the distributions"))?,
                "distribution plot",
            )
        }
        PlotChart::Sunburst(a) => {
            let (p, _) = run_input(&a.input)?;
            let c = FrameworkSunburst::from_pipeline(&p).map_err(draw("drawing the sunburst"))?;
            (
                &a.out.out,
                c.to_svg().map_err(draw("drawing the sunburst"))?,
                "sunburst",
            )
        }
        PlotChart::Corr(a) => {
            let (p, r) = run_input(&a.input)?;
            let fw = p.framework();
            let set = r
                .dataset(&a.dataset)
                .ok_or_else(|| unknown_dataset(&r, &a.dataset))?;
            let group = a
                .group
                .clone()
                .unwrap_or_else(|| fw.code(fw.root()).to_owned());
            let method = match a.method {
                crate::audit::Method::Pearson => CorrelationMethod::Pearson,
                crate::audit::Method::Spearman => CorrelationMethod::Spearman,
            };
            let c = CorrelationHeatmap::of_group(set, fw, &group, method)
                .map_err(|e| CliError::Usage(crate::errors::sentence(None, &e)))?;
            if let Some(csv) = &a.csv {
                let m = CorrelationHeatmap::group_matrix(set, fw, &group, method)
                    .map_err(draw("computing the correlations"))?;
                let mut t = tables::correlation_matrix(&m);
                t.name = csv.file_stem().map_or_else(
                    || "correlation_matrix".into(),
                    |s| s.to_string_lossy().into_owned(),
                );
                let dir = csv
                    .parent()
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_default();
                files.table(&dir, &t)?;
            }
            (
                &a.out.out,
                c.to_svg().map_err(draw("drawing the correlation matrix"))?,
                "correlation matrix",
            )
        }
    };
    files.text(out, &svg)?;
    files.commit()?;
    say(&format!("Wrote the {what} to {}.", out.display()));
    Ok(ExitCode::SUCCESS)
}
