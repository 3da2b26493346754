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
//! | [`FrontierChart`] | DEA score against the efficiency ratio, frontier peers labelled |
//!
//! [`RunReport`] draws every chart that applies to a run and assembles them with
//! the run's tables into an [`HtmlReport`]: one HTML file with inline styles and
//! inline SVG, which loads nothing and can be mailed as it is.
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

mod distribution;
mod frontier;
mod heatmap;
mod html;
mod ranking;
mod run;
mod sobol;
mod style;
mod tree;
mod uncertainty;

pub use distribution::{DistributionChart, DistributionPanel};
pub use frontier::FrontierChart;
pub use heatmap::CorrelationHeatmap;
pub use html::{Block, HtmlReport, Section, Table};
pub use ranking::RankingChart;
pub use run::{Chart, RunReport};
pub use sobol::SobolChart;
pub use tree::{FrameworkChart, TreeNode};
pub use uncertainty::UncertaintyChart;
