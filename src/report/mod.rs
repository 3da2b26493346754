//! Charts as SVG and a self-contained HTML report of a run (feature `report`).
//!
//! Each chart is a plain data struct, filled from results by a `from_*`
//! constructor (or by hand) and drawn by `to_svg()`:
//!
//! | chart | what it shows |
//! |---|---|
//! | [`RankingChart`] | scores and ranks, each bar split into the contributions of the node's children |
//! | [`UncertaintyChart`] | nominal and median rank of each unit with its 5th-95th percentile interval |
//! | [`CorrelationHeatmap`] | a correlation table, blue (-1) to red (+1) |
//! | [`FrameworkChart`] | the indicator tree, with effective weights |
//! | [`DistributionChart`] | indicator histograms before and after outlier treatment |
//! | [`SobolChart`] | first-order and total Sobol indices with their intervals |
//! | [`ScatterChart`] | any two variables, units labelled, with an optional fitted trend (COINr `plot_scatter`) |
//! | [`DotPlot`] | one unit among all on one or more nodes (COINr `plot_dot`) |
//! | [`DistributionPlot`] | distributions as box plots, violins or histograms (COINr `plot_dist`) |
//! | [`FrameworkSunburst`] | the framework as rings, angles the effective weights (COINr `plot_framework`) |
//! | [`BumpChart`] | ranks of chosen units over the editions of a panel |
//! | [`ScoreChart`] | scores of chosen units over the editions of a panel |
//! | [`FrontierChart`] | DEA score against the efficiency ratio, frontier peers labelled |
//!
//! [`CorrelationHeatmap::of_group`] draws the full correlation matrix of the
//! indicators of a group (COINr `plot_corr`); [`profile_pages`] makes the
//! economy profiles of [`insights::economy_profiles`](crate::insights::economy_profiles)
//! into one page per unit.
//!
//! [`RunReport`] draws every chart that applies to a run and assembles them with
//! the run's tables into an [`HtmlReport`]: one HTML file with inline styles and
//! inline SVG, which loads nothing and can be mailed as it is. Its what-if
//! panel has sliders for the weights of the sub-indices and pillars and a
//! choice of arithmetic or geometric mean, and re-ranks every unit live in the
//! page from the data embedded in the file, computing exactly what the library
//! computes ([`RunReport::what_if`]).
//!
//! [`PanelReport`] does the same for a panel run, adding the section "Changes since
//! the previous edition" ([`changes_section`]) and the charts over time.
//!
//! The charts are drawn with plotters' SVG backend only. Text is written as SVG
//! `<text>` elements in the generic `sans-serif` family, so making a chart reads
//! no font file (none is needed on the machine); the browser or viewer renders
//! the text with its own fonts. Label widths are estimated from the number and
//! kind of characters.
//!
//! ```
//! use composite_index::report::UncertaintyChart;
//!
//! # fn main() -> composite_index::Result<()> {
//! let chart = UncertaintyChart {
//!     title: "Uncertainty".into(),
//!     subtitle: None,
//!     labels: vec!["Avalon".into(), "Brightwater".into()],
//!     nominal: vec![Some(1), Some(2)],
//!     median: vec![1.0, 2.5],
//!     lo: vec![1.0, 1.0],
//!     hi: vec![2.0, 3.0],
//! };
//! let svg = chart.to_svg()?;
//! assert!(svg.starts_with("<svg") && svg.contains("Brightwater"));
//! # Ok(())
//! # }
//! ```

mod axes;
mod bump;
mod changes;
mod corr_group;
mod distribution;
mod dot;
mod frontier;
mod heatmap;
mod html;
mod profile;
mod ranking;
mod run;
mod scatter;
mod sobol;
mod spread;
mod style;
mod sunburst;
mod timeline;
mod tree;
mod uncertainty;
mod whatif;

pub use axes::variable;
pub use bump::BumpChart;
pub use changes::{PanelReport, changes_section};
pub use distribution::{DistributionChart, DistributionPanel};
pub use dot::{DotPlot, DotRow};
pub use frontier::FrontierChart;
pub use heatmap::CorrelationHeatmap;
pub use html::{Block, HtmlReport, Section, Table};
pub use profile::{ProfilePage, profile_page, profile_pages};
pub use ranking::RankingChart;
pub use run::{Chart, RunReport};
pub use scatter::ScatterChart;
pub use sobol::SobolChart;
pub use spread::{DistributionKind, DistributionPlot};
pub use sunburst::{FrameworkSunburst, SunburstNode};
pub use timeline::ScoreChart;
pub use tree::{FrameworkChart, TreeNode};
pub use uncertainty::UncertaintyChart;
pub use whatif::WHAT_IF_MAX_CELLS;
