//! Panel data: editions over time (COINr's "purse"; METHODS 7).
//!
//! Every index this crate exists for is a yearly series, and what its readers
//! take away is a comparison across editions. This module holds the data, runs
//! a specification over it, and compares editions:
//!
//! | concern | file | main items |
//! |---|---|---|
//! | the data: one data set per edition | `data.rs` | [`Panel`] |
//! | where each step is fitted | `spec.rs` | [`PanelSpec`], [`FitScope`] |
//! | filling gaps from other editions | `impute.rs` | [`PanelImputeSpec`], [`impute_panel`] |
//! | running a spec over the editions | `run.rs` | [`PanelPipeline`], [`PanelResults`] |
//! | a data set over all editions | `stacked.rs` | [`StackedData`] |
//! | trends (CAGR, % change) | `trends.rs` | [`trends()`], [`TrendOptions`] |
//! | ranks and scores by edition | `editions.rs` | [`Editions`], [`Edition`] |
//! | rank changes, histories, streaks, movers | `compare.rs` | [`Comparison`], [`Streak`], [`Movers`] |
//! | framework changes between editions | `framework_changes.rs` | [`FrameworkChanges`] |
//! | units that change between editions | `units.rs` | [`UnitMapping`] |
//!
//! Reading panel tables (a `Time` column, COINr's `iData`, or a long table of
//! unit, time, indicator and value) is in [`crate::io`] (feature `csv`).
//!
//! # Per year by default
//!
//! A panel run computes every step per edition, as each edition is published.
//! This differs from COINr, whose `Normalise()` on a purse pools all years unless
//! told `global = FALSE`: here pooling is asked for with
//! `[panel] normalise = { fit = "pooled" }`, and a run says where each step was
//! fitted ([`PanelResults::describe_scopes`]).
//!
//! # Example
//!
//! ```
//! use composite_index::panel::{Editions, Panel, PanelPipeline};
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! // Two editions: x changes, y does not.
//! let edition = |x: [f64; 3]| {
//!     let columns = vec![("x".into(), x.to_vec()), ("y".into(), vec![30.0, 10.0, 20.0])];
//!     Dataset::from_columns(vec!["A".into(), "B".into(), "C".into()], columns)
//! };
//! let panel = Panel::new(vec![
//!     (2023.0, edition([1.0, 2.0, 3.0])?),
//!     (2024.0, edition([3.0, 2.0, 1.0])?),
//! ])?;
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("x", Some("Index")),
//!     NodeSpec::new("y", Some("Index")),
//! ]);
//! let steps = vec![
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::default()),
//! ];
//! let results = PanelPipeline::new(IndexSpec::new(framework, steps), &panel)?.run()?;
//! // Each edition is normalised on its own: 2023 gives 50, 25, 75; 2024 gives 100, 25, 25.
//! assert_eq!(results.edition(2023.0).unwrap().scores("Index").unwrap(), [50.0, 25.0, 75.0]);
//! assert_eq!(results.edition(2024.0).unwrap().scores("Index").unwrap(), [100.0, 25.0, 25.0]);
//! let comparison = Editions::from_panel(&results).compare("Index", 2023.0, 2024.0)?;
//! let a = comparison.row("A").unwrap();
//! assert_eq!((a.rank_from, a.rank_to, a.change()), (Some(2), Some(1), Some(1)));
//! assert_eq!(comparison.row("C").unwrap().change(), Some(-1));
//! # Ok(())
//! # }
//! ```

pub mod compare;
mod data;
pub mod editions;
pub mod framework_changes;
pub mod impute;
mod run;
mod spec;
mod stacked;
pub mod trends;
pub mod units;

pub use compare::{
    Comparison, Condition, HistoryPoint, Movers, Predecessor, RankChange, Streak, UnitStatus,
};
pub use data::Panel;
pub use editions::{Edition, Editions};
pub use framework_changes::{FrameworkBasis, FrameworkChanges, IndicatorChange};
pub use impute::{
    CellSource, ImputedCell, PanelImputeMethod, PanelImputeReport, PanelImputeSpec, PanelSlice,
    SkipReason, SkippedSeries, impute_panel,
};
pub use run::{PanelPipeline, PanelResults, StepScope};
pub use spec::{FitScope, PanelSpec};
pub use stacked::StackedData;
pub use trends::{Trend, TrendMetric, TrendOptions, TrendRow, Undefined, trends};
pub use units::{Link, UnitChange, UnitMapping};
