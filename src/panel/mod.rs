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
