//! The Global Innovation Index (GII, WIPO) as a configured instance.
//!
//! # The specification
//!
//! The GII of an edition is the shipped specification `gii-<year>`
//! (`src/instances/data/gii-2025.toml` and its node table
//! `gii-2025-nodes.csv`): [`spec`] returns it as an [`IndexSpec`], [`run`]
//! runs it with [`Pipeline`] exactly as a user's spec is run, and
//! [`editions`] lists the years shipped. Everything the GII needs is in the
//! file, in the spec format:
//!
//! - **framework**: the index `GII`, two sub-indices (`IN`: input, pillars
//!   1-5; `OUT`: output, pillars 6-7), 7 pillars (`"1"` to `"7"`), 21
//!   sub-pillars (`"1.1"` ... `"7.3"`) and 78 indicators (`"1.1.1"` ...
//!   `"7.3.3"`), each indicator with its type in `kind` (`data`, `index`,
//!   `survey`) and its direction. Levels: indicator 1, sub-pillar 2, pillar 3,
//!   sub-index 4, index 5 (the spec's `level_names`);
//! - **outliers**: an indicator is treated when `|skewness| > 2.25` **and**
//!   `kurtosis > 3.5` (Excel `SKEW`/`KURT`, see
//!   [`check_skew_kurt`](crate::prepare::check_skew_kurt)); it is first
//!   winsorised, up to 5 points; if it still fails, the winsorisation is
//!   discarded and the *original* values are transformed with
//!   [`gii_log`](crate::prepare::gii_log), `ln((M - 1)(x - m)/(M - m) + 1)`,
//!   or with `log_ct` where the maximum is not above 1 and `gii_log` is
//!   undefined (the `fallback` of the method; [`GiiRun::log_fallbacks`]);
//! - **no imputation**; **min-max** to [0, 100] of the treated values, bads
//!   reversed; **arithmetic means** of the available children at every level;
//! - **coverage**: an economy is ranked only when its data cover at least 66%
//!   of the indicators of each sub-index and at least 2 of the 3 sub-pillars of
//!   each pillar (the spec's `coverage`, see [`crate::coverage`]); by default
//!   the economies that fall short are computed and flagged, `exclude = true`
//!   leaves them out before computing, as WIPO does;
//! - the **Innovation Efficiency Ratio** `OUT / IN` (the spec's ratio
//!   `efficiency`, [`GiiRun::efficiency_ratios`]); WIPO published it until
//!   about 2020;
//! - **provenance**: how sure each of these facts is, and where it comes from.
//!
//! Codes are the GII's own numbers; WIPO's workbook writes them with a
//! sub-index prefix (`IN.1.1.1`, `OUT.6.1.2`): [`wipo_code`] and
//! [`code_from_wipo`] convert.
//!
//! ```
//! use composite_index::instances::gii;
//! let spec = gii::spec(2025)?;
//! assert_eq!(spec.provenance["coverage"].confidence.label(), "unconfirmed");
//! let fw = gii::framework(2025)?;
//! assert_eq!(fw.indicators().len(), 78);
//! assert_eq!(gii::wipo_code(2025, "6.1").as_deref(), Some("OUT.6.1"));
//! # Ok::<(), composite_index::Error>(())
//! ```
//!
//! # Strengths and weaknesses
//!
//! [`GiiRun::strengths_weaknesses`] applies WIPO's rule of the GII 2023 report
//! (Appendix on the economy profiles): indicator scores become percentile ranks;
//! an economy's strengths are its indicators (and sub-pillars and pillars) whose
//! percentile rank is at least its 10th highest indicator percentile rank, plus
//! any indicator it ranks 1st to 3rd on; weaknesses likewise from the bottom. A
//! rule relative to the economy's overall rank is also available, see
//! [`StrengthRule`].
//!
//! # Published figures
//!
//! [`published`] gives the ranks and scores published for an edition
//! (`gii-published.csv`), each row with its source (all
//! [`Confidence::Reported`](crate::spec::Confidence::Reported)).
//!
//! References: WIPO (2024), *Global Innovation Index 2024: Unlocking the
//! Promise of Social Entrepreneurship*, Geneva, and WIPO (2025), *Global
//! Innovation Index 2025*, Geneva: framework, economy profiles, Appendix
//! "Technical notes"; WIPO (2023), *Global Innovation Index 2023*, appendix on
//! the economy profiles (strengths and weaknesses); Saisana, Domínguez-Torreiro
//! and Vértesy, JRC statistical audits of the GII (treatment thresholds); Becker
//! (2023), COINr 1.1 documentation.

use std::sync::OnceLock;

use crate::coverage::CoverageReport;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::insights::{StrengthRule, StrengthsWeaknesses, strengths_weaknesses};
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::spec::IndexSpec;
use crate::stats;

use super::shipped::{self, Table};
use crate::coverage::CoverageStatus;

/// Name of the ratio of the spec that [`GiiRun::efficiency_ratios`] reports.
pub const EFFICIENCY_RATIO: &str = "efficiency";

/// The GII editions shipped with the crate (years with a `gii-<year>.toml`
/// specification), oldest first.
pub fn editions() -> Vec<u16> {
    shipped::editions("gii")
}

/// The GII of an edition as its shipped specification (`gii-<year>`), ready to
/// run or to adapt.
///
/// # Errors
/// [`Error::UnknownCode`] for an edition that is not shipped (the message lists
/// [`editions`]).
pub fn spec(year: u16) -> Result<IndexSpec> {
    super::spec(&shipped::edition_name("gii", year)?)
}

/// The validated framework of an edition (built once).
///
/// # Errors
/// As [`spec`].
pub fn framework(year: u16) -> Result<&'static Framework> {
    super::framework(&shipped::edition_name("gii", year)?)
}

/// WIPO's code for a framework code: `"1.1.1"` -> `"IN.1.1.1"`, `"6.1"` ->
/// `"OUT.6.1"`; the index and the sub-indices (`"GII"`, `"IN"`, `"OUT"`)
/// unchanged. `None` for a code that is not in the edition's framework, or an
/// edition that is not shipped.
pub fn wipo_code(year: u16, code: &str) -> Option<String> {
    let fw = framework(year).ok()?;
    let i = fw.index_of(code)?;
    let root = fw.root();
    if i == root || fw.parent(i) == Some(root) {
        return Some(code.to_owned());
    }
    // The sub-index above the node: its ancestor whose parent is the root.
    let mut sub = i;
    while let Some(p) = fw.parent(sub).filter(|&p| p != root) {
        sub = p;
    }
    Some(format!("{}.{code}", fw.code(sub)))
}

/// The framework code of a WIPO code (`NUM` column): `"IN.1.1.1"` -> `"1.1.1"`,
/// `"OUT.6"` -> `"6"`; `"IN"`, `"OUT"`, `"GII"` unchanged. The prefix must be
/// the right sub-index for the node (pillars 1-5 are `IN`, 6-7 `OUT`).
/// Surrounding spaces and case of the prefix are ignored. `None` for anything
/// that is not a node of the edition.
pub fn code_from_wipo(year: u16, num: &str) -> Option<String> {
    let num = num.trim();
    let upper = num.to_ascii_uppercase();
    if wipo_code(year, &upper).is_some_and(|w| w == upper) {
        return Some(upper);
    }
    let (prefix, rest) = num.split_once('.')?;
    let code = rest.trim();
    let expected = wipo_code(year, code)?;
    let prefix = prefix.trim().to_ascii_uppercase();
    (expected == format!("{prefix}.{code}")).then(|| code.to_owned())
}

/// A computed GII: the pipeline and its results, with the GII's ranking table,
/// efficiency ratios and strengths and weaknesses.
#[derive(Debug, Clone)]
pub struct GiiRun {
    /// The pipeline that was run.
    pub pipeline: Pipeline,
    /// The results (economies excluded by the coverage rule are absent).
    pub results: Results,
    index: String,
    input: String,
    output: String,
}

/// One row of [`GiiRun::table`].
#[derive(Debug, Clone, PartialEq)]
pub struct GiiRow {
    /// Unit code (ISO3 for WIPO data).
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// Index rank (`None` when excluded or without a score).
    pub rank: Option<u32>,
    /// Index score (NaN when excluded).
    pub score: f64,
    /// Input sub-index score.
    pub input: f64,
    /// Input sub-index rank.
    pub input_rank: Option<u32>,
    /// Output sub-index score.
    pub output: f64,
    /// Output sub-index rank.
    pub output_rank: Option<u32>,
    /// Innovation Efficiency Ratio `output / input`.
    pub efficiency: Option<f64>,
    /// Whether the economy meets the coverage rule (unknown is its own state; without a rule, every economy meets it).
    pub coverage: CoverageStatus,
    /// Whether the economy was excluded from the computation.
    pub excluded: bool,
}

impl GiiRun {
    /// Code of the index node (`"GII"`).
    pub fn index_code(&self) -> &str {
        &self.index
    }

    /// Code of the input sub-index (`"IN"`).
    pub fn input_code(&self) -> &str {
        &self.input
    }

    /// Code of the output sub-index (`"OUT"`).
    pub fn output_code(&self) -> &str {
        &self.output
    }

    /// Coverage of every economy of the input data, when the spec has a
    /// coverage rule.
    pub fn coverage(&self) -> Option<&CoverageReport> {
        self.results.coverage()
    }

    /// Economies left out for short coverage (empty unless the spec's coverage
    /// rule says `exclude = true`).
    pub fn excluded(&self) -> Vec<String> {
        match (self.results.spec().coverage.as_ref(), self.coverage()) {
            (Some(rule), Some(report)) if rule.exclude => report.below(),
            _ => Vec::new(),
        }
    }

    /// Indicators whose second-stage transform was the fallback of `gii_log`
    /// (their maximum is not above 1), from the treatment log.
    pub fn log_fallbacks(&self) -> Vec<String> {
        self.results
            .treatment_log()
            .into_iter()
            .flatten()
            .filter(|r| r.fallback_for.is_some())
            .map(|r| r.indicator.clone())
            .collect()
    }

    /// Innovation Efficiency Ratio per unit of the results
    /// ([`Results::unit_codes`]): the spec's ratio [`EFFICIENCY_RATIO`]
    /// (`OUT / IN` in the shipped specs); `None` where a score is missing or the
    /// denominator is 0.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] when the spec defines no such ratio or the results
    /// hold no scores of its nodes.
    pub fn efficiency_ratios(&self) -> Result<Vec<Option<f64>>> {
        self.results.ratio(EFFICIENCY_RATIO)
    }

    /// The ranking table: every economy of the input data, ranked ones first by
    /// rank, then those without a score (excluded ones last).
    ///
    /// # Errors
    /// As [`GiiRun::efficiency_ratios`].
    pub fn table(&self) -> Result<Vec<GiiRow>> {
        let data = self.pipeline.data();
        let res = &self.results;
        let n = res.unit_codes().len();
        let nan = vec![f64::NAN; n];
        let get = |c: &str| res.scores(c).map_or_else(|| nan.clone(), <[f64]>::to_vec);
        let (gii, inp, out) = (get(&self.index), get(&self.input), get(&self.output));
        let (r_gii, r_in, r_out) = (
            stats::rank_desc(&gii),
            stats::rank_desc(&inp),
            stats::rank_desc(&out),
        );
        let eff = self.efficiency_ratios()?;
        let coverage = |unit: &str| {
            self.coverage()
                .map_or(CoverageStatus::Meets, |c| c.status(unit))
        };
        let rows_of = &res.last().units;
        let mut rows: Vec<GiiRow> = Vec::with_capacity(data.n_units());
        for (i, &r) in rows_of.iter().enumerate() {
            let unit = data.unit_codes()[r].clone();
            rows.push(GiiRow {
                coverage: coverage(&unit),
                name: data.unit_names()[r].clone(),
                unit,
                rank: r_gii[i],
                score: gii[i],
                input: inp[i],
                input_rank: r_in[i],
                output: out[i],
                output_rank: r_out[i],
                efficiency: eff.get(i).copied().flatten(),
                excluded: false,
            });
        }
        for (r, unit) in data.unit_codes().iter().enumerate() {
            if rows_of.contains(&r) {
                continue;
            }
            rows.push(GiiRow {
                unit: unit.clone(),
                name: data.unit_names()[r].clone(),
                rank: None,
                score: f64::NAN,
                input: f64::NAN,
                input_rank: None,
                output: f64::NAN,
                output_rank: None,
                efficiency: None,
                coverage: coverage(unit),
                excluded: true,
            });
        }
        rows.sort_by_key(|r| (r.excluded, r.rank.unwrap_or(u32::MAX)));
        Ok(rows)
    }

    /// Strengths and weaknesses of one economy: its indicators, sub-pillars and
    /// pillars whose percentile rank is far above or below its others, under
    /// `rule` ([`StrengthRule::gii`] for WIPO's rule).
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a unit absent from the results.
    pub fn strengths_weaknesses(
        &self,
        unit: &str,
        rule: &StrengthRule,
    ) -> Result<StrengthsWeaknesses> {
        let fw = self.pipeline.framework();
        let codes = |level: u32| -> Vec<String> {
            fw.nodes_at_level(level)
                .iter()
                .map(|&i| fw.code(i).to_owned())
                .collect()
        };
        let indicators = codes(1);
        let mut others = codes(2);
        others.extend(codes(3));
        strengths_weaknesses(&self.results, unit, &self.index, &indicators, &others, rule)
    }
}

/// Computes the GII of an edition on `data` with its shipped specification;
/// see [`run_spec`].
///
/// # Errors
/// As [`spec`] and [`run_spec`].
pub fn run(year: u16, data: Dataset) -> Result<GiiRun> {
    run_spec(spec(year)?, data)
}

/// Runs a GII-shaped specification (a shipped one, adapted, or one of your
/// own) on `data`, through [`Pipeline::new`] and [`Pipeline::run`] like any
/// spec: the coverage rule, the exclusion of economies, the fallback of
/// `gii_log` and the efficiency ratio are the spec's.
///
/// The root of the framework must have exactly two children: the input and
/// the output sub-indices, in that order.
///
/// # Errors
/// The errors of [`Pipeline::new`] and [`Pipeline::run`];
/// [`Error::InvalidParameter`] when the root does not have two children.
pub fn run_spec(spec: IndexSpec, data: Dataset) -> Result<GiiRun> {
    let pipeline = Pipeline::new(spec, data)?;
    let fw = pipeline.framework();
    let root = fw.root();
    let kids = fw.children(root);
    if kids.len() != 2 {
        return Err(Error::invalid(
            "gii",
            "framework",
            Some(fw.code(root)),
            format!(
                "the index must have exactly two children (input, output sub-indices); it has {}",
                kids.len()
            ),
        ));
    }
    let (index, input, output) = (
        fw.code(root).to_owned(),
        fw.code(kids[0]).to_owned(),
        fw.code(kids[1]).to_owned(),
    );
    let results = pipeline.run()?;
    Ok(GiiRun {
        pipeline,
        results,
        index,
        input,
        output,
    })
}

/// A published GII result, to sanity-check against (a row of the shipped
/// `gii-published.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedGii {
    /// Edition year.
    pub edition: u16,
    /// Economy name as published.
    pub economy: String,
    /// ISO 3166-1 alpha-3 code.
    pub iso3: String,
    /// GII rank.
    pub rank: u32,
    /// GII score, when reported (press figures have one decimal).
    pub score: Option<f64>,
    /// Input sub-index rank, when reported.
    pub input_rank: Option<u32>,
    /// Output sub-index rank, when reported.
    pub output_rank: Option<u32>,
    /// Number of economies ranked in that edition.
    pub economies_ranked: u32,
    /// Where the figures come from (all
    /// [`Confidence::Reported`](crate::spec::Confidence::Reported)).
    pub source: String,
}

fn read_published(name: &str) -> Result<Vec<PublishedGii>> {
    let t = Table::read(name)?;
    let c = |n: &str| t.column(n);
    let (edition, economy, iso3, rank, score) = (
        c("edition")?,
        c("economy")?,
        c("iso3")?,
        c("gii_rank")?,
        c("gii_score")?,
    );
    let (input_rank, output_rank, ranked, source) = (
        c("input_rank")?,
        c("output_rank")?,
        c("economies_ranked")?,
        c("source")?,
    );
    (0..t.len())
        .map(|r| {
            Ok(PublishedGii {
                edition: t.get(r, edition)?,
                economy: t.text(r, economy).to_owned(),
                iso3: t.text(r, iso3).to_owned(),
                rank: t.get(r, rank)?,
                score: t.opt(r, score)?,
                input_rank: t.opt(r, input_rank)?,
                output_rank: t.opt(r, output_rank)?,
                economies_ranked: t.get(r, ranked)?,
                source: t.text(r, source).to_owned(),
            })
        })
        .collect()
}

/// Every published GII row (2023-2025), as reported by WIPO's workbooks quoted
/// in public analyses and by the press, in file order.
///
/// # Errors
/// [`Error::SpecParse`] if the shipped table does not parse (a bug of the crate,
/// which its tests rule out).
pub fn published_all() -> Result<&'static [PublishedGii]> {
    static CACHE: OnceLock<std::result::Result<Vec<PublishedGii>, String>> = OnceLock::new();
    shipped::once(&CACHE, "gii-published.csv", read_published).map(Vec::as_slice)
}

/// The published rows of one edition year (2023, 2024 or 2025).
///
/// # Errors
/// As [`published_all`].
pub fn published(year: u16) -> Result<impl Iterator<Item = &'static PublishedGii>> {
    Ok(published_all()?.iter().filter(move |p| p.edition == year))
}
