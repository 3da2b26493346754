//! # composite-index
//!
//! Build, analyse and audit composite indices: the kind of index that turns dozens
//! of indicators about economies or regions into scores and rankings, like WIPO's
//! Global Innovation Index (GII) or Vietnam's Provincial Innovation Index (PII).
//!
//! The crate follows the construction steps of the OECD/JRC *Handbook on
//! Constructing Composite Indicators* (2008) and reproduces the R package COINr
//! (1.1.14) to 1e-9 on its reference data, while fixing its known bugs (documented
//! where they matter) and running orders of magnitude faster.
//!
//! ## The shape of the data through the crate
//!
//! 1. A [`Dataset`]: units x indicators ([`nalgebra::DMatrix`], NaN = missing), with
//!    unit names, group columns, denominators and an optional time column. Read it
//!    from CSV with [`io::read_dataset`] or from COINr's `iData`/`iMeta` tables with
//!    [`io::read_coinr`].
//! 2. An [`IndexSpec`]: what the user writes (TOML, JSON or code): the indicator tree
//!    ([`FrameworkSpec`]) and the ordered pipeline steps: denominate, impute,
//!    screen, treat, normalise, aggregate, each with method, parameters and
//!    per-indicator or per-node overrides.
//! 3. A [`Pipeline`]: the spec validated against the data once (every framework
//!    problem reported together) and resolved into indices and method objects.
//! 4. [`Results`]: every data set computed, scores and ranks at every node,
//!    efficiency ratios, the treatment log and the other step reports; CSV export in
//!    COINr's layout and JSON.
//! 5. A [`FittedPipeline`] ([`Pipeline::fit`]): every parameter the steps learned,
//!    frozen, to score new data or chunks of a large data set without refitting.
//! 6. Over several editions, a [`panel::Panel`] runs through a
//!    [`panel::PanelPipeline`] (per year, pooled or fitted on a reference year),
//!    and [`panel::Editions`] compares the editions: rank changes, streaks,
//!    movers, trends, framework and unit changes.
//!
//! Method families live in their own modules, one file per method:
//! [`prepare`] (denominate, impute, screen, treat), [`normalise`] and
//! [`aggregate`]. Each family is a serde enum of built-in methods plus an open
//! trait ([`Normaliser`], [`Aggregator`]) for methods of your own.
//!
//! ## Features
//!
//! Every cargo feature of the crate:
//!
//! - `serde` (default): serialisation of specs, TOML and JSON reading and writing,
//!   JSON export of results.
//! - `csv` (default): CSV readers ([`io`]) and CSV export of results.
//! - `serde` and `csv` together: the shipped GII and PII specifications
//!   ([`instances`]), framework files by reference and panel readers.
//! - `rayon` (default): Monte Carlo and Sobol runs in parallel
//!   ([`uncertainty`]); results are bit-identical to a serial run on any number of
//!   threads.
//! - `xlsx` (default): reading WIPO's official GII workbook and the JRC COIN
//!   Tool's workbook ([`io`], with calamine).
//! - `report`: SVG charts and the self-contained HTML report of a run, an audit,
//!   an uncertainty analysis or a panel ([`report`], with plotters' SVG backend).
//! - `workbook`: runs, audits and analyses as one `.xlsx` workbook
//!   ([`workbook`], with rust_xlsxwriter).
//! - `cli`: the `composite-index` command-line tool (clap); implies `report`,
//!   `workbook`, `xlsx`, `serde` and `csv`.
//!
//! ## Quick start
//!
//! ```
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! // Three units, three indicators; "c" is a "bad" indicator (lower is better).
//! let data = Dataset::from_columns(
//!     vec!["AAA".into(), "BBB".into(), "CCC".into()],
//!     vec![
//!         ("a".into(), vec![1.0, 2.0, 3.0]),
//!         ("b".into(), vec![10.0, f64::NAN, 30.0]),
//!         ("c".into(), vec![5.0, 1.0, 3.0]),
//!     ],
//! )?;
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("P1", Some("Index")),
//!     NodeSpec::new("P2", Some("Index")),
//!     NodeSpec::new("a", Some("P1")),
//!     NodeSpec::new("b", Some("P1")),
//!     NodeSpec::new("c", Some("P2")).direction(-1.0),
//! ]);
//! let spec = IndexSpec::new(
//!     framework,
//!     vec![
//!         Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!         Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
//!     ],
//! );
//! let results = Pipeline::new(spec, data)?.run()?;
//! // BBB: P1 = 50 (b missing, skipped), P2 = 100 (lowest c) -> Index 75.
//! // CCC: P1 = 100, P2 = 50 -> also 75: tied units share the best rank.
//! assert_eq!(results.scores("Index").unwrap()[1], 75.0);
//! assert_eq!(results.ranks("Index").unwrap(), vec![Some(3), Some(1), Some(1)]);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod aggregate;
mod atomic;
pub mod audit;
pub mod coverage;
pub mod data;
mod defaults;
pub mod efficiency;
pub mod error;
pub mod fitted;
pub mod framework;
pub mod insights;
#[cfg(all(feature = "serde", feature = "csv"))]
pub mod instances;
#[cfg(feature = "csv")]
pub mod io;
mod lp;
pub mod normalise;
pub mod panel;
pub mod pipeline;
pub mod prepare;
#[cfg(feature = "report")]
pub mod report;
pub mod results;
mod shorthand;
pub mod spec;
pub mod stats;
pub mod suggest;
pub mod tables;
pub mod uncertainty;
#[cfg(feature = "workbook")]
pub mod workbook;

pub use aggregate::{AggregateMethod, Aggregator};
pub use data::Dataset;
pub use error::{Error, FrameworkProblem, Result};
pub use fitted::{FittedPipeline, FittedStep};
pub use framework::{Framework, FrameworkSpec, NodeSpec};
pub use normalise::{NormaliseMethod, Normaliser};
pub use pipeline::Pipeline;
pub use results::Results;
pub use spec::{AggregateSpec, DataSpec, IndexSpec, NormaliseSpec, Step};

/// The main types and traits, for `use composite_index::prelude::*`.
pub mod prelude {
    pub use crate::aggregate::{AggregateMethod, Aggregator};
    pub use crate::data::Dataset;
    pub use crate::error::{Error, Result};
    pub use crate::framework::{Framework, FrameworkSpec, NodeSpec};
    #[cfg(feature = "csv")]
    pub use crate::io::{CsvRoles, read_coinr_files, read_dataset_file};
    pub use crate::normalise::{NormaliseMethod, Normaliser};
    pub use crate::pipeline::Pipeline;
    pub use crate::prepare::{DenominateSpec, ImputeMethod, ImputeSpec, ScreenSpec, TreatSpec};
    pub use crate::results::Results;
    pub use crate::spec::{AggregateSpec, DataSpec, IndexSpec, NormaliseSpec, Step};
}
