//! Vietnam's Provincial Innovation Index (PII, Chỉ số Đổi mới sáng tạo cấp địa
//! phương) as a configured instance.
//!
//! The Ministry of Science and Technology (MoST) builds the PII on the GII
//! model. Editions 2023 and 2024 cover 63 provinces; the 2025 edition covers
//! the 34 provincial units formed by the mid-2025 merger ([`provinces`]).
//!
//! # The specification
//!
//! The PII of an edition is the shipped specification `pii-<year>`
//! (`src/instances/data/pii-2025.toml` and its node table `pii-2025-nodes.csv`):
//! [`spec`] returns it, [`run`] runs it through [`Pipeline`] like any spec.
//! What is known, and how surely, is in the file:
//!
//! | fact | where | confidence |
//! |---|---|---|
//! | 7 pillars (5 input, 2 output), Vietnamese and English names | nodes (`names["vi"]`) | published |
//! | 52 indicators, 18 sub-pillars in all | `provenance.framework` | reported |
//! | input = mean of pillars 1-5, output = mean of pillars 6-7, PII = mean of both | aggregate step, `provenance.aggregation` | verified: Bac Ninh's published 2025 pillar scores give its published 48.76 |
//! | sub-pillars 7.1 and 7.2 and their indicators | nodes | reported |
//! | 23 other indicators and their pillars | each node's `confidence`: reported (confirmed by the press) or inferred (likely), `note`: the source | per node |
//! | scores 0-100 with the best province at 100: min-max as in the GII; outlier, weight, coverage and missing-data rules: the GII's | steps, `provenance.method` | inferred |
//! | the 34 units of 2025 (short codes are this project's, not official) | [`provinces`], `pii-provinces-2025.csv` | reported |
//! | published scores | [`published`], `pii-published.csv` | reported (press and provincial releases) |
//!
//! # The framework is partial
//!
//! The official list of the 52 indicators is not public. The shipped tree
//! holds what is known: the index `PII`, sub-indices `IN` and `OUT`, the 7
//! pillars (`"1"` to `"7"`), the two published sub-pillars of pillar 7
//! (`"7.1"`, `"7.2"`) and, for pillars 1 to 6 whose sub-pillars are not known,
//! one placeholder sub-pillar each (`"1.0"` ... `"6.0"`) holding the indicators
//! known in that pillar, coded `"<pillar>.0.<k>"` (pillar 7's are `"7.1.k"`,
//! `"7.2.k"`). Pillar scores computed on that tree are the mean of the known
//! indicators, not MoST's.
//!
//! ```
//! use composite_index::instances::pii;
//! let fw = pii::framework(2025)?;
//! assert_eq!(fw.nodes_at_level(3).len(), 7);
//! let pillar = fw.node(fw.index_of("1").unwrap());
//! assert_eq!(pillar.names["vi"], "Thể chế");
//! assert_eq!(pii::province(2025, "Bac Ninh").map(|p| p.code.as_str()), Some("BNH"));
//! # Ok::<(), composite_index::Error>(())
//! ```
//!
//! [`from_pillar_scores`] and [`from_sub_index_scores`] aggregate published
//! pillar or sub-index scores with the PII's own means; [`run`] returns a
//! [`GiiRun`] (ranking table, coverage flags, efficiency ratio `OUT / IN`).
//!
//! References: Ministry of Science and Technology of Viet Nam, *Bộ Chỉ số Đổi
//! mới sáng tạo cấp địa phương (PII)*, 2023, 2024 and 2025 editions, as
//! reported by the Vietnamese press and provincial releases.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::spec::IndexSpec;

use super::gii::{self, GiiRun};
use super::shipped::{self, Table};
use super::spec_from_level;

/// The PII editions shipped with the crate (years with a `pii-<year>.toml`
/// specification), oldest first.
pub fn editions() -> Vec<u16> {
    shipped::editions("pii")
}

/// The PII of an edition as its shipped specification (`pii-<year>`): the
/// partial framework and the GII's method (inferred, see its provenance).
///
/// # Errors
/// [`Error::UnknownCode`] for an edition that is not shipped.
pub fn spec(year: u16) -> Result<IndexSpec> {
    super::spec(&shipped::edition_name("pii", year)?)
}

/// The validated partial framework of an edition (built once); see the
/// [module docs](self).
///
/// # Errors
/// As [`spec`].
pub fn framework(year: u16) -> Result<&'static Framework> {
    super::framework(&shipped::edition_name("pii", year)?)
}

/// Computes the PII of an edition on `data` (columns named by the indicator
/// codes of its framework) with its shipped specification; see
/// [`gii::run_spec`].
///
/// # Errors
/// As [`spec`] and [`gii::run_spec`].
pub fn run(year: u16, data: Dataset) -> Result<GiiRun> {
    gii::run_spec(spec(year)?, data)
}

/// Aggregates pillar scores (data columns `"1"` to `"7"`) into the sub-indices
/// and the index with the aggregation step of the edition's spec.
///
/// # Errors
/// As [`spec`]; [`Error::Framework`] when a pillar column is absent; the errors
/// of [`Pipeline::run`].
pub fn from_pillar_scores(year: u16, data: Dataset) -> Result<Results> {
    Pipeline::new(spec_from_level(&spec(year)?, 3)?, data)?.run()
}

/// Aggregates sub-index scores (data columns `"IN"`, `"OUT"`) into the index.
///
/// # Errors
/// As [`from_pillar_scores`].
pub fn from_sub_index_scores(year: u16, data: Dataset) -> Result<Results> {
    Pipeline::new(spec_from_level(&spec(year)?, 4)?, data)?.run()
}

/// Kind of a provincial unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UnitKind {
    /// A centrally governed city (thành phố trực thuộc trung ương).
    City,
    /// A province (tỉnh).
    Province,
}

/// A provincial unit (a row of the shipped `pii-provinces-<year>.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Short code chosen by this project (not an official code).
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Name without diacritics (for terminals and file names).
    pub name_ascii: String,
    /// City or province.
    pub kind: UnitKind,
    /// Where the unit and its code come from.
    pub source: String,
}

fn read_provinces(name: &str) -> Result<Vec<Province>> {
    let t = Table::read(name)?;
    let (code, vi, ascii, kind, source) = (
        t.column("code")?,
        t.column("name")?,
        t.column("name_ascii")?,
        t.column("kind")?,
        t.column("source")?,
    );
    (0..t.len())
        .map(|r| {
            let kind = match t.text(r, kind) {
                "city" => UnitKind::City,
                "province" => UnitKind::Province,
                other => {
                    return Err(Error::Table {
                        context: name.to_owned(),
                        row: Some(r as u64 + 2),
                        column: Some("kind".into()),
                        message: format!("{other:?} is neither city nor province"),
                    });
                }
            };
            Ok(Province {
                code: t.text(r, code).to_owned(),
                name: t.text(r, vi).to_owned(),
                name_ascii: t.text(r, ascii).to_owned(),
                kind,
                source: t.text(r, source).to_owned(),
            })
        })
        .collect()
}

/// The provincial units of an edition year, from the shipped
/// `pii-provinces-<year>.csv` (2025: the 34 units after the mid-2025 merger,
/// with this project's short codes).
///
/// # Errors
/// [`Error::UnknownCode`] for a year without a shipped table.
pub fn provinces(year: u16) -> Result<&'static [Province]> {
    static CACHE: OnceLock<BTreeMap<u16, std::result::Result<Vec<Province>, String>>> =
        OnceLock::new();
    shipped::by_year(&CACHE, "pii-provinces-", year, read_provinces).map(Vec::as_slice)
}

/// The unit of an edition year with this short code (any case), Vietnamese
/// name, or name without diacritics (any case).
pub fn province(year: u16, code_or_name: &str) -> Option<&'static Province> {
    let s = code_or_name.trim();
    provinces(year).ok()?.iter().find(|p| {
        p.code.eq_ignore_ascii_case(s) || p.name == s || p.name_ascii.eq_ignore_ascii_case(s)
    })
}

/// A published PII result (a row of the shipped `pii-published.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedPii {
    /// Edition year.
    pub edition: u16,
    /// Province name as published.
    pub province: String,
    /// Short code of the unit in [`provinces`] (2025 rows only).
    pub code: Option<String>,
    /// Rank.
    pub rank: u32,
    /// PII score (2 decimals).
    pub score: f64,
    /// Input sub-index score, when published.
    pub input: Option<f64>,
    /// Output sub-index score, when published.
    pub output: Option<f64>,
    /// Pillar scores 1-7, when published.
    pub pillars: [Option<f64>; 7],
    /// Number of units ranked.
    pub units_ranked: u32,
    /// Where the figures come from (all
    /// [`Confidence::Reported`](crate::spec::Confidence::Reported)).
    pub source: String,
}

fn read_published(name: &str) -> Result<Vec<PublishedPii>> {
    let t = Table::read(name)?;
    let c = |n: &str| t.column(n);
    let (edition, province, code, rank, score) = (
        c("edition")?,
        c("province")?,
        c("code")?,
        c("rank")?,
        c("pii_score")?,
    );
    let (input, output, ranked, source) = (
        c("input_score")?,
        c("output_score")?,
        c("units_ranked")?,
        c("source")?,
    );
    let pillars = (1..=7)
        .map(|k| c(&format!("p{k}")))
        .collect::<Result<Vec<usize>>>()?;
    (0..t.len())
        .map(|r| {
            let mut p = [None; 7];
            for (slot, &col) in p.iter_mut().zip(&pillars) {
                *slot = t.opt(r, col)?;
            }
            Ok(PublishedPii {
                edition: t.get(r, edition)?,
                province: t.text(r, province).to_owned(),
                code: t.opt(r, code)?,
                rank: t.get(r, rank)?,
                score: t.get(r, score)?,
                input: t.opt(r, input)?,
                output: t.opt(r, output)?,
                pillars: p,
                units_ranked: t.get(r, ranked)?,
                source: t.text(r, source).to_owned(),
            })
        })
        .collect()
}

/// Every published PII row (press and provincial releases), in file order.
///
/// # Errors
/// [`Error::SpecParse`] if the shipped table does not parse (a bug of the crate,
/// which its tests rule out).
pub fn published_all() -> Result<&'static [PublishedPii]> {
    static CACHE: OnceLock<std::result::Result<Vec<PublishedPii>, String>> = OnceLock::new();
    shipped::once(&CACHE, "pii-published.csv", read_published).map(Vec::as_slice)
}

/// The published rows of one edition year.
///
/// # Errors
/// As [`published_all`].
pub fn published(year: u16) -> Result<impl Iterator<Item = &'static PublishedPii>> {
    Ok(published_all()?.iter().filter(move |p| p.edition == year))
}
