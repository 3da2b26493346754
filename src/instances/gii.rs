//! The Global Innovation Index (GII, WIPO) as a configured instance.
//!
//! # Framework
//!
//! [`framework`] gives the 2024 or 2025 tree ([`Edition`]): the index `GII`,
//! two sub-indices (`IN`: input, pillars 1-5; `OUT`: output, pillars 6-7),
//! 7 pillars (`"1"` to `"7"`), 21 sub-pillars (`"1.1"` ... `"7.3"`) and 78
//! indicators (`"1.1.1"` ... `"7.3.3"`), with each indicator's type
//! ([`IndicatorType`]: hard data, composite index, survey question) in the
//! node's `kind` and its direction. Codes are the GII's own numbers; WIPO's
//! workbook writes them with a sub-index prefix (`IN.1.1.1`, `OUT.6.1.2`):
//! [`wipo_code`] and [`code_from_wipo`] convert. The raw tables are
//! [`FRAMEWORK_2024`] and [`FRAMEWORK_2025`].
//!
//! Levels (as [`Framework`] counts them): indicator 1, sub-pillar 2, pillar 3,
//! sub-index 4, index 5 ([`Level::number`]).
//!
//! # Method
//!
//! [`spec`] returns the GII method as an [`IndexSpec`], runnable by
//! [`Pipeline`]; [`method_steps`] gives the same steps for any other framework
//! ([`spec_for`]). As described by WIPO (GII reports, Appendix "Technical
//! notes") and by COINr's author, who wrote WIPO's GII code:
//!
//! 1. **Outliers** (per indicator, on the non-missing raw values): an indicator
//!    is treated when `|skewness| > 2.25` **and** `kurtosis > 3.5` (Excel
//!    `SKEW`/`KURT`, see [`check_skew_kurt`](crate::prepare::check_skew_kurt));
//!    it is first winsorised, up to 5 points; if it still fails, the
//!    winsorisation is discarded and the *original* values are transformed with
//!    [`gii_log`](crate::prepare::gii_log), `ln((M - 1)(x - m)/(M - m) + 1)`
//!    (`m`, `M` the minimum and maximum).
//! 2. **No imputation**: missing values stay missing.
//! 3. **Normalisation**: min-max to [0, 100] of the treated values, "bads"
//!    (direction -1) reversed: `100 (x - m)/(M - m)`, or `100 (M - x)/(M - m)`.
//! 4. **Aggregation**: sub-pillar = weighted arithmetic mean of its available
//!    indicator scores (missing ones skipped, weights renormalised); pillar =
//!    mean of its sub-pillars; input sub-index = mean of pillars 1-5; output
//!    sub-index = mean of pillars 6-7; GII = mean of the two sub-indices.
//!
//! The **Innovation Efficiency Ratio** is `OUT / IN`
//! ([`GiiRun::efficiency_ratios`]); WIPO published it until about 2020.
//!
//! # Data coverage
//!
//! WIPO ranks an economy only when its data cover at least 66% of the
//! indicators of each sub-index and at least 2 of the 3 sub-pillars of each
//! pillar. [`run`] checks that rule on the raw data ([`CoverageRule::gii`],
//! the exact rule is in [`coverage`](mod@super::coverage)), flags the economies
//! that fall short and, when [`GiiOptions::exclude_below_coverage`] is set,
//! removes them before computing (so that they do not enter the min-max
//! ranges either, as in the GII).
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
//! # Provenance
//!
//! | fact | confidence |
//! |---|---|
//! | tree, names, indicator types | [`FRAMEWORK_PROVENANCE`] |
//! | the two bads' directions | [`DIRECTION_PROVENANCE`] |
//! | all weights 1 | [`WEIGHT_PROVENANCE`] |
//! | treatment, normalisation, aggregation | [`METHOD_PROVENANCE`] |
//! | coverage thresholds | [`COVERAGE_PROVENANCE`] |
//! | efficiency ratio | [`EFFICIENCY_PROVENANCE`] |
//! | strengths and weaknesses | [`STRENGTHS_PROVENANCE`] |
//! | published ranks and scores ([`PUBLISHED`]) | each row's `source`; [`Confidence::Reported`] |
//!
//! References: WIPO (2024), *Global Innovation Index 2024: Unlocking the
//! Promise of Social Entrepreneurship*, Geneva, and WIPO (2025), *Global
//! Innovation Index 2025*, Geneva: framework, economy profiles, Appendix
//! "Technical notes"; WIPO (2023), *Global Innovation Index 2023*, appendix on
//! the economy profiles (strengths and weaknesses); Saisana, Domínguez-Torreiro
//! and Vértesy, JRC statistical audits of the GII (treatment thresholds); Becker
//! (2023), COINr 1.1 documentation.

use crate::aggregate::AggregateMethod;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::{Framework, FrameworkSpec, NodeSpec};
use crate::insights::{StrengthRule, StrengthsWeaknesses, strengths_weaknesses};
use crate::normalise::NormaliseMethod;
use crate::pipeline::Pipeline;
use crate::prepare::{
    IndicatorTreatment, ScreenBy, ScreenSpec, SecondStage, SecondStageOn, TreatSpec,
};
use crate::results::Results;
use crate::spec::{AggregateSpec, IndexSpec, NormaliseSpec, Step};
use crate::stats;

use super::coverage::{CoverageReport, CoverageRule, CoverageStatus, coverage};
use super::{Confidence, Provenance};

/// A GII edition whose framework the crate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Edition {
    /// GII 2024 (133 economies, 78 indicators).
    Y2024,
    /// GII 2025 (139 economies, 78 indicators).
    Y2025,
}

impl Edition {
    /// Every known edition, oldest first.
    pub const ALL: [Edition; 2] = [Edition::Y2024, Edition::Y2025];

    /// The year.
    pub fn year(self) -> u16 {
        match self {
            Self::Y2024 => 2024,
            Self::Y2025 => 2025,
        }
    }

    /// The edition of a year.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a year whose framework the crate does not know.
    pub fn from_year(year: u16) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|e| e.year() == year)
            .ok_or_else(|| {
                Error::invalid(
                    "gii",
                    "edition",
                    None,
                    format!("no GII framework for {year}; known editions: 2024, 2025"),
                )
            })
    }

    /// Number of economies ranked in the edition (WIPO).
    pub fn economies_ranked(self) -> usize {
        match self {
            Self::Y2024 => 133,
            Self::Y2025 => 139,
        }
    }
}

impl std::fmt::Display for Edition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GII {}", self.year())
    }
}

/// Level of a node in the GII tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Level {
    /// An indicator (level 1).
    Indicator,
    /// A sub-pillar (level 2).
    SubPillar,
    /// A pillar (level 3).
    Pillar,
    /// A sub-index, input or output (level 4).
    SubIndex,
    /// The index (level 5).
    Index,
}

impl Level {
    /// Every level, from indicators up.
    pub const ALL: [Level; 5] = [
        Level::Indicator,
        Level::SubPillar,
        Level::Pillar,
        Level::SubIndex,
        Level::Index,
    ];

    /// The level number as [`Framework::level`] counts it (indicator 1 ... index 5).
    pub fn number(self) -> u32 {
        match self {
            Self::Indicator => 1,
            Self::SubPillar => 2,
            Self::Pillar => 3,
            Self::SubIndex => 4,
            Self::Index => 5,
        }
    }

    /// A lower-case label (`"sub-pillar"`, ...).
    pub fn label(self) -> &'static str {
        match self {
            Self::Indicator => "indicator",
            Self::SubPillar => "sub-pillar",
            Self::Pillar => "pillar",
            Self::SubIndex => "sub-index",
            Self::Index => "index",
        }
    }
}

/// The labels of the GII levels, indexed by level number minus one, for
/// [`reproduction_report`](crate::insights::reproduction_report).
pub const LEVEL_LABELS: [&str; 5] = ["indicator", "sub-pillar", "pillar", "sub-index", "index"];

/// Type of a GII indicator, as the economy profiles mark it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IndicatorType {
    /// A hard data series.
    Data,
    /// A composite indicator (an index), marked with an asterisk.
    Index,
    /// A survey question, marked with a dagger.
    Survey,
}

impl IndicatorType {
    /// The label stored in [`NodeSpec::kind`] (`"data"`, `"index"`, `"survey"`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Data => "data",
            Self::Index => "index",
            Self::Survey => "survey",
        }
    }
}

/// One node of a GII framework table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GiiNode {
    /// Code: `"GII"`, `"IN"`, `"OUT"`, pillar `"1"`, sub-pillar `"1.1"`, indicator `"1.1.1"`.
    pub code: &'static str,
    /// Name as published.
    pub name: &'static str,
    /// Level.
    pub level: Level,
    /// Parent code (`None` for the index).
    pub parent: Option<&'static str>,
    /// Indicator type (`None` for aggregates).
    pub kind: Option<IndicatorType>,
    /// +1 when higher is better, -1 for a "bad".
    pub direction: i8,
    /// A note on the node (e.g. an unconfirmed direction).
    pub note: Option<&'static str>,
}

impl GiiNode {
    /// A table row.
    pub const fn new(
        code: &'static str,
        name: &'static str,
        level: Level,
        parent: Option<&'static str>,
        kind: Option<IndicatorType>,
        direction: i8,
        note: Option<&'static str>,
    ) -> Self {
        Self {
            code,
            name,
            level,
            parent,
            kind,
            direction,
            note,
        }
    }

    /// How sure the node's direction is: [`DIRECTION_PROVENANCE`] for the bads,
    /// [`FRAMEWORK_PROVENANCE`] otherwise.
    pub fn direction_provenance(&self) -> Provenance {
        if self.direction < 0 {
            DIRECTION_PROVENANCE
        } else {
            FRAMEWORK_PROVENANCE
        }
    }
}

/// Provenance of the frameworks (tree, names, indicator types).
pub const FRAMEWORK_PROVENANCE: Provenance = Provenance::new(
    "WIPO, Global Innovation Index 2024 and 2025 reports: framework and economy profiles \
     (types marked with * for indices and a dagger for survey questions)",
    Confidence::Published,
);

/// Provenance of the directions of the two "bads" (2.1.5 pupil-teacher ratio,
/// 4.3.1 applied tariff rate): standard in the GII, not confirmed for 2024-2025.
pub const DIRECTION_PROVENANCE: Provenance = Provenance::new(
    "standard GII bads in earlier technical notes; not restated for 2024-2025",
    Confidence::Unconfirmed,
);

/// Provenance of the weights: all 1 (half weights, if any, are not known).
pub const WEIGHT_PROVENANCE: Provenance = Provenance::new(
    "equal weights within each parent; any half weights of these editions are not known",
    Confidence::Unconfirmed,
);

/// Provenance of the method (treatment thresholds, gii_log, min-max, means).
pub const METHOD_PROVENANCE: Provenance = Provenance::new(
    "WIPO GII reports, Appendix 'Technical notes', and COINr's author (who wrote WIPO's GII code)",
    Confidence::Reported,
);

/// Provenance of the data-coverage thresholds (66% per sub-index, 2 of 3
/// sub-pillars per pillar).
pub const COVERAGE_PROVENANCE: Provenance = Provenance::new(
    "GII technical notes of earlier editions; unconfirmed for 2023-2025",
    Confidence::Unconfirmed,
);

/// Provenance of the Innovation Efficiency Ratio (output / input).
pub const EFFICIENCY_PROVENANCE: Provenance = Provenance::new(
    "GII reports until about 2020 (ratio of the output to the input sub-index score)",
    Confidence::Published,
);

/// Provenance of the strengths-and-weaknesses rule ([`StrengthRule::gii`]).
pub const STRENGTHS_PROVENANCE: Provenance = Provenance::new(
    "WIPO, GII 2023 report, appendix on the economy profiles; assumed unchanged for 2024-2025",
    Confidence::Reported,
);

/// Skewness threshold of the GII treatment: treat when `|skew| > 2.25` ...
pub const SKEW_THRESHOLD: f64 = 2.25;
/// ... and `kurtosis > 3.5`.
pub const KURT_THRESHOLD: f64 = 3.5;
/// Maximum number of winsorised points.
pub const WINMAX: usize = 5;

/// The framework table of an edition.
pub fn nodes(edition: Edition) -> &'static [GiiNode] {
    match edition {
        Edition::Y2024 => FRAMEWORK_2024,
        Edition::Y2025 => FRAMEWORK_2025,
    }
}

/// The indicator rows of an edition's table, in framework order.
pub fn indicators(edition: Edition) -> impl Iterator<Item = &'static GiiNode> {
    nodes(edition)
        .iter()
        .filter(|n| n.level == Level::Indicator)
}

/// The framework of an edition as a [`FrameworkSpec`]: codes, names, parents,
/// weights 1, directions, indicator types in `kind`, levels stated.
pub fn framework(edition: Edition) -> FrameworkSpec {
    FrameworkSpec::new(
        nodes(edition)
            .iter()
            .map(|n| {
                let mut s = NodeSpec::new(n.code, n.parent)
                    .name(n.name)
                    .direction(f64::from(n.direction))
                    .level(n.level.number());
                s.kind = n.kind.map(|k| k.label().to_owned());
                s
            })
            .collect(),
    )
}

/// The GII's treatment step: thresholds 2.25 / 3.5, up to 5 winsorised points,
/// then [`SecondStage::GiiLog`] on the original values.
pub fn treat_spec() -> TreatSpec {
    TreatSpec {
        winmax: WINMAX,
        skew_thresh: SKEW_THRESHOLD,
        kurt_thresh: KURT_THRESHOLD,
        second_stage: SecondStage::GiiLog {},
        second_stage_on: SecondStageOn::Original,
        ..TreatSpec::default()
    }
}

/// The GII method as pipeline steps, for any GII-shaped framework: treat
/// ([`treat_spec`]), min-max to [0, 100] with directions, weighted arithmetic
/// means at every level. No imputation.
pub fn method_steps() -> Vec<Step> {
    vec![
        Step::Treat(treat_spec()),
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 0.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
    ]
}

/// The GII method on another framework (e.g. a small test tree, or a future edition).
pub fn spec_for(framework: FrameworkSpec) -> IndexSpec {
    IndexSpec::new(framework, method_steps())
}

/// The GII of an edition as a ready specification: [`framework`] plus [`method_steps`].
pub fn spec(edition: Edition) -> IndexSpec {
    spec_for(framework(edition)).with_name(format!("Global Innovation Index {}", edition.year()))
}

/// WIPO's code for a framework code: `"1.1.1"` -> `"IN.1.1.1"`, `"6.1"` ->
/// `"OUT.6.1"`, `"IN"`, `"OUT"` and `"GII"` unchanged. `None` for a code that
/// is not in the edition's framework.
pub fn wipo_code(edition: Edition, code: &str) -> Option<String> {
    let node = nodes(edition).iter().find(|n| n.code == code)?;
    Some(match node.level {
        Level::Index | Level::SubIndex => code.to_owned(),
        _ => {
            let pillar = code.split('.').next().unwrap_or_default();
            let sub = nodes(edition)
                .iter()
                .find(|n| n.code == pillar)
                .and_then(|n| n.parent)
                .unwrap_or("IN");
            format!("{sub}.{code}")
        }
    })
}

/// The framework code of a WIPO code (`NUM` column): `"IN.1.1.1"` -> `"1.1.1"`,
/// `"OUT.6"` -> `"6"`; `"IN"`, `"OUT"`, `"GII"` unchanged. The prefix must be
/// the right sub-index for the pillar (pillars 1-5 are `IN`, 6-7 `OUT`).
/// Surrounding spaces and case of the prefix are ignored. `None` for anything
/// that is not a node of the edition.
pub fn code_from_wipo(edition: Edition, num: &str) -> Option<String> {
    let num = num.trim();
    let upper = num.to_ascii_uppercase();
    if matches!(upper.as_str(), "GII" | "IN" | "OUT") {
        return Some(upper);
    }
    let (prefix, rest) = num.split_once('.')?;
    let code = rest.trim();
    let expected = wipo_code(edition, code)?;
    let prefix = prefix.trim().to_ascii_uppercase();
    (expected == format!("{prefix}.{code}")).then(|| code.to_owned())
}

/// Options of [`run`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GiiOptions {
    /// The data-coverage rule (default [`CoverageRule::gii`]).
    pub coverage: CoverageRule,
    /// Remove the economies that fall short of the coverage rule before
    /// computing, as WIPO does (default `false`: compute everybody and flag).
    pub exclude_below_coverage: bool,
    /// Transform used instead of `gii_log` for indicators whose maximum is not
    /// above 1, where `gii_log` is undefined (it would reverse the order); the
    /// indicators concerned are listed in [`GiiRun::log_fallbacks`]. Default
    /// `Some(LogCt)`; `None` lets the run fail with the error of
    /// [`gii_log`](crate::prepare::gii_log) naming the indicator.
    pub small_max_fallback: Option<SecondStage>,
}

impl Default for GiiOptions {
    fn default() -> Self {
        Self {
            coverage: CoverageRule::gii(),
            exclude_below_coverage: false,
            small_max_fallback: Some(SecondStage::LogCt {}),
        }
    }
}

impl GiiOptions {
    /// Sets the coverage rule.
    #[must_use]
    pub fn with_coverage(mut self, rule: CoverageRule) -> Self {
        self.coverage = rule;
        self
    }

    /// Sets whether economies below the coverage thresholds are excluded.
    #[must_use]
    pub fn exclude_below_coverage(mut self, exclude: bool) -> Self {
        self.exclude_below_coverage = exclude;
        self
    }

    /// Sets the fallback for indicators whose maximum is not above 1.
    #[must_use]
    pub fn with_small_max_fallback(mut self, fallback: Option<SecondStage>) -> Self {
        self.small_max_fallback = fallback;
        self
    }
}

/// A computed GII: the pipeline, its results, the coverage flags.
#[derive(Debug, Clone)]
pub struct GiiRun {
    /// The pipeline that was run (its spec holds the steps actually used,
    /// including the exclusion screen and fallbacks, if any).
    pub pipeline: Pipeline,
    /// The results (excluded economies are absent).
    pub results: Results,
    /// Coverage of every economy of the input data.
    pub coverage: CoverageReport,
    /// Economies removed for short coverage (empty unless
    /// [`GiiOptions::exclude_below_coverage`]).
    pub excluded: Vec<String>,
    /// Indicators whose maximum is not above 1, given
    /// [`GiiOptions::small_max_fallback`] instead of `gii_log`.
    pub log_fallbacks: Vec<String>,
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
    /// Whether the economy meets the coverage rule (unknown is its own state).
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

    /// Innovation Efficiency Ratio `OUT / IN` per unit of the results
    /// ([`Results::unit_codes`]); `None` where a score is missing or the input is 0.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] when the results hold no scores of the input or
    /// output sub-index (a specification without their aggregation).
    pub fn efficiency_ratios(&self) -> Result<Vec<Option<f64>>> {
        self.results.efficiency_ratio(&self.output, &self.input)
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
        let rows_of = &res.last().units;
        let mut rows: Vec<GiiRow> = Vec::with_capacity(data.n_units());
        for (i, &r) in rows_of.iter().enumerate() {
            let unit = data.unit_codes()[r].clone();
            rows.push(GiiRow {
                coverage: self.coverage.status(&unit),
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
                coverage: self.coverage.status(unit),
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

/// Computes the GII of an edition on `data`; see [`run_spec`].
///
/// # Errors
/// As [`run_spec`].
pub fn run(edition: Edition, data: Dataset, options: &GiiOptions) -> Result<GiiRun> {
    run_spec(spec(edition), data, options)
}

/// Computes an index with the GII's post-processing: checks coverage on the raw
/// data, optionally excludes the economies that fall short (by a screening step
/// put first, with `force_exclude`), gives the fallback transform to
/// indicators whose maximum is not above 1 when the treatment uses `gii_log`,
/// then runs the pipeline.
///
/// The root of the framework must have exactly two children: the input and
/// the output sub-indices, in that order.
///
/// # Errors
/// [`Error::Framework`] and the other errors of [`Pipeline::new`] and
/// [`Pipeline::run`]; the errors of [`coverage`]; [`Error::InvalidParameter`]
/// when the root does not have two children.
pub fn run_spec(mut spec: IndexSpec, data: Dataset, options: &GiiOptions) -> Result<GiiRun> {
    let fw = Framework::new(spec.framework.clone(), Some(data.indicator_codes()))?;
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
    let cov = coverage(&fw, &data, &options.coverage)?;
    let excluded = if options.exclude_below_coverage {
        cov.below()
    } else {
        Vec::new()
    };
    let mut log_fallbacks = Vec::new();
    if let Some(fallback) = &options.small_max_fallback {
        let kept: Vec<usize> = (0..data.n_units())
            .filter(|&r| !excluded.contains(&data.unit_codes()[r]))
            .collect();
        for step in &mut spec.steps {
            let Step::Treat(t) = step else { continue };
            for &i in fw.indicators() {
                let code = fw.code(i);
                let uses_gii_log = match t.params_for(code) {
                    Some(p) => matches!(p.second_stage, SecondStage::GiiLog {}),
                    None => false,
                };
                if !uses_gii_log || t.overrides.contains_key(code) {
                    continue;
                }
                let Some(col) = data.indicator(code) else {
                    continue;
                };
                let vals: Vec<f64> = kept.iter().map(|&r| col[r]).collect();
                if stats::min_max(&vals).is_some_and(|(_, hi)| hi <= 1.0) {
                    t.overrides.insert(
                        code.to_owned(),
                        IndicatorTreatment::Custom {
                            winmax: None,
                            skew_thresh: None,
                            kurt_thresh: None,
                            second_stage: Some(fallback.clone()),
                            second_stage_on: None,
                        },
                    );
                    if !log_fallbacks.iter().any(|c| c == code) {
                        log_fallbacks.push(code.to_owned());
                    }
                }
            }
        }
    }
    if !excluded.is_empty() {
        let screen = ScreenSpec::new(ScreenBy::MissingData { dat_thresh: 0.0 })
            .with_force_exclude(excluded.clone());
        spec.steps.insert(0, Step::Screen(screen));
    }
    let pipeline = Pipeline::new(spec, data)?;
    let results = pipeline.run()?;
    Ok(GiiRun {
        pipeline,
        results,
        coverage: cov,
        excluded,
        log_fallbacks,
        index,
        input,
        output,
    })
}

/// A published GII result, to sanity-check against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedGii {
    /// Edition year.
    pub edition: u16,
    /// Economy name as published.
    pub economy: &'static str,
    /// ISO 3166-1 alpha-3 code.
    pub iso3: &'static str,
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
    /// Where the figures come from (all [`Confidence::Reported`]).
    pub source: &'static str,
}

/// Published GII ranks and scores (2023-2025) as reported by WIPO's workbooks
/// quoted in public analyses and by the press. Confidence:
/// [`Confidence::Reported`]; each row names its source.
pub const PUBLISHED: &[PublishedGii] = &[
    PublishedGii {
        edition: 2025,
        economy: "Switzerland",
        iso3: "CHE",
        rank: 1,
        score: Some(65.962),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "WIPO 2025 workbook value as reported in public analyses; press: 66.0",
    },
    PublishedGii {
        edition: 2025,
        economy: "Sweden",
        iso3: "SWE",
        rank: 2,
        score: Some(62.6),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "United States of America",
        iso3: "USA",
        rank: 3,
        score: Some(61.7),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "Republic of Korea",
        iso3: "KOR",
        rank: 4,
        score: Some(60.0),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "Singapore",
        iso3: "SGP",
        rank: 5,
        score: Some(59.9),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "United Kingdom",
        iso3: "GBR",
        rank: 6,
        score: Some(59.1),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "China",
        iso3: "CHN",
        rank: 10,
        score: Some(56.6),
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "India",
        iso3: "IND",
        rank: 38,
        score: None,
        input_rank: None,
        output_rank: None,
        economies_ranked: 139,
        source: "press coverage of GII 2025",
    },
    PublishedGii {
        edition: 2025,
        economy: "Viet Nam",
        iso3: "VNM",
        rank: 44,
        score: None,
        input_rank: Some(50),
        output_rank: Some(37),
        economies_ranked: 139,
        source: "seed articles and Vietnamese press (GII 2025)",
    },
    PublishedGii {
        edition: 2024,
        economy: "Switzerland",
        iso3: "CHE",
        rank: 1,
        score: Some(67.4731),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "WIPO 2024 workbook value as reported in public analyses; press: 67.5",
    },
    PublishedGii {
        edition: 2024,
        economy: "Sweden",
        iso3: "SWE",
        rank: 2,
        score: Some(64.5),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "United States of America",
        iso3: "USA",
        rank: 3,
        score: Some(62.4),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "Singapore",
        iso3: "SGP",
        rank: 4,
        score: Some(61.2),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "United Kingdom",
        iso3: "GBR",
        rank: 5,
        score: Some(61.0),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "Republic of Korea",
        iso3: "KOR",
        rank: 6,
        score: Some(60.9),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "China",
        iso3: "CHN",
        rank: 11,
        score: Some(56.3),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "India",
        iso3: "IND",
        rank: 39,
        score: Some(38.3),
        input_rank: None,
        output_rank: None,
        economies_ranked: 133,
        source: "press coverage of GII 2024",
    },
    PublishedGii {
        edition: 2024,
        economy: "Viet Nam",
        iso3: "VNM",
        rank: 44,
        score: None,
        input_rank: Some(53),
        output_rank: Some(36),
        economies_ranked: 133,
        source: "seed articles and Vietnamese press (GII 2024)",
    },
    PublishedGii {
        edition: 2023,
        economy: "Switzerland",
        iso3: "CHE",
        rank: 1,
        score: Some(67.6),
        input_rank: None,
        output_rank: None,
        economies_ranked: 132,
        source: "press coverage of GII 2023",
    },
    PublishedGii {
        edition: 2023,
        economy: "Sweden",
        iso3: "SWE",
        rank: 2,
        score: Some(64.2),
        input_rank: None,
        output_rank: None,
        economies_ranked: 132,
        source: "press coverage of GII 2023",
    },
    PublishedGii {
        edition: 2023,
        economy: "United States of America",
        iso3: "USA",
        rank: 3,
        score: Some(63.5),
        input_rank: None,
        output_rank: None,
        economies_ranked: 132,
        source: "press coverage of GII 2023",
    },
    PublishedGii {
        edition: 2023,
        economy: "United Kingdom",
        iso3: "GBR",
        rank: 4,
        score: Some(62.4),
        input_rank: None,
        output_rank: None,
        economies_ranked: 132,
        source: "press coverage of GII 2023",
    },
    PublishedGii {
        edition: 2023,
        economy: "Singapore",
        iso3: "SGP",
        rank: 5,
        score: Some(61.5),
        input_rank: None,
        output_rank: None,
        economies_ranked: 132,
        source: "press coverage of GII 2023",
    },
    PublishedGii {
        edition: 2023,
        economy: "Viet Nam",
        iso3: "VNM",
        rank: 46,
        score: None,
        input_rank: Some(57),
        output_rank: Some(40),
        economies_ranked: 132,
        source: "Vietnamese press (GII 2023/2024 comparisons)",
    },
];

/// The published rows of one edition year (2023, 2024 or 2025).
pub fn published(year: u16) -> impl Iterator<Item = &'static PublishedGii> {
    PUBLISHED.iter().filter(move |p| p.edition == year)
}

/// The GII 2024 framework: 109 nodes (index, 2 sub-indices, 7 pillars, 21
/// sub-pillars, 78 indicators), transcribed from the GII 2024 report's framework
/// (see [`FRAMEWORK_PROVENANCE`]).
pub const FRAMEWORK_2024: &[GiiNode] = &[
    GiiNode::new(
        "GII",
        "Global Innovation Index",
        Level::Index,
        None,
        None,
        1,
        None,
    ),
    GiiNode::new(
        "IN",
        "Innovation Input Sub-Index",
        Level::SubIndex,
        Some("GII"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "OUT",
        "Innovation Output Sub-Index",
        Level::SubIndex,
        Some("GII"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1",
        "Institutions",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2",
        "Human capital and research",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3",
        "Infrastructure",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "4",
        "Market sophistication",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5",
        "Business sophistication",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6",
        "Knowledge and technology outputs",
        Level::Pillar,
        Some("OUT"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7",
        "Creative outputs",
        Level::Pillar,
        Some("OUT"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.1",
        "Institutional environment",
        Level::SubPillar,
        Some("1"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.2",
        "Regulatory environment",
        Level::SubPillar,
        Some("1"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.3",
        "Business environment",
        Level::SubPillar,
        Some("1"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2.1",
        "Education",
        Level::SubPillar,
        Some("2"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2.2",
        "Tertiary education",
        Level::SubPillar,
        Some("2"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2.3",
        "Research and development (R&D)",
        Level::SubPillar,
        Some("2"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3.1",
        "Information and communication technologies (ICTs)",
        Level::SubPillar,
        Some("3"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3.2",
        "General infrastructure",
        Level::SubPillar,
        Some("3"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3.3",
        "Ecological sustainability",
        Level::SubPillar,
        Some("3"),
        None,
        1,
        None,
    ),
    GiiNode::new("4.1", "Credit", Level::SubPillar, Some("4"), None, 1, None),
    GiiNode::new(
        "4.2",
        "Investment",
        Level::SubPillar,
        Some("4"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "4.3",
        "Trade, diversification and market scale",
        Level::SubPillar,
        Some("4"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5.1",
        "Knowledge workers",
        Level::SubPillar,
        Some("5"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5.2",
        "Innovation linkages",
        Level::SubPillar,
        Some("5"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5.3",
        "Knowledge absorption",
        Level::SubPillar,
        Some("5"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6.1",
        "Knowledge creation",
        Level::SubPillar,
        Some("6"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6.2",
        "Knowledge impact",
        Level::SubPillar,
        Some("6"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6.3",
        "Knowledge diffusion",
        Level::SubPillar,
        Some("6"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7.1",
        "Intangible assets",
        Level::SubPillar,
        Some("7"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7.2",
        "Creative goods and services",
        Level::SubPillar,
        Some("7"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7.3",
        "Online creativity",
        Level::SubPillar,
        Some("7"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.1.1",
        "Operational stability for businesses",
        Level::Indicator,
        Some("1.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.1.2",
        "Government effectiveness",
        Level::Indicator,
        Some("1.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.2.1",
        "Regulatory quality",
        Level::Indicator,
        Some("1.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.2.2",
        "Rule of law",
        Level::Indicator,
        Some("1.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.3.1",
        "Policy stability for doing business",
        Level::Indicator,
        Some("1.3"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "1.3.2",
        "Entrepreneurship policies and culture",
        Level::Indicator,
        Some("1.3"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.1",
        "Expenditure on education, % GDP",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.2",
        "Government funding/pupil, secondary, % GDP/cap",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.3",
        "School life expectancy, years",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.4",
        "PISA scales in reading, maths and science",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.5",
        "Pupil-teacher ratio, secondary",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        -1,
        Some("direction unconfirmed (standard GII bad)"),
    ),
    GiiNode::new(
        "2.2.1",
        "Tertiary enrolment, % gross",
        Level::Indicator,
        Some("2.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.2.2",
        "Graduates in science and engineering, %",
        Level::Indicator,
        Some("2.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.2.3",
        "Tertiary inbound mobility, %",
        Level::Indicator,
        Some("2.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.1",
        "Researchers, FTE/mn pop.",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.2",
        "Gross expenditure on R&D, % GDP",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.3",
        "Global corporate R&D investors, top 3, mn USD",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.4",
        "QS university ranking, top 3",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.1",
        "ICT access",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.2",
        "ICT use",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.3",
        "Government's online service",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.4",
        "E-participation",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.2.1",
        "Electricity output, GWh/mn pop.",
        Level::Indicator,
        Some("3.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.2.2",
        "Logistics performance",
        Level::Indicator,
        Some("3.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.2.3",
        "Gross capital formation, % GDP",
        Level::Indicator,
        Some("3.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.3.1",
        "GDP/unit of energy use",
        Level::Indicator,
        Some("3.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.3.2",
        "Low-carbon energy use, %",
        Level::Indicator,
        Some("3.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.3.3",
        "ISO 14001 environment/bn PPP$ GDP",
        Level::Indicator,
        Some("3.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.1.1",
        "Finance for startups and scaleups",
        Level::Indicator,
        Some("4.1"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "4.1.2",
        "Domestic credit to private sector, % GDP",
        Level::Indicator,
        Some("4.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.1.3",
        "Loans from microfinance institutions, % GDP",
        Level::Indicator,
        Some("4.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.1",
        "Market capitalization, % GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.2",
        "Venture capital (VC) investors, deals/bn PPP$ GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.3",
        "VC recipients, deals/bn PPP$ GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.4",
        "VC received, value, % GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.3.1",
        "Applied tariff rate, weighted avg., %",
        Level::Indicator,
        Some("4.3"),
        Some(IndicatorType::Data),
        -1,
        Some("direction unconfirmed (standard GII bad)"),
    ),
    GiiNode::new(
        "4.3.2",
        "Domestic industry diversification",
        Level::Indicator,
        Some("4.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.3.3",
        "Domestic market scale, bn PPP$",
        Level::Indicator,
        Some("4.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.1",
        "Knowledge-intensive employment, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.2",
        "Firms offering formal training, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.3",
        "GERD performed by business, % GDP",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.4",
        "GERD financed by business, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.5",
        "Females employed w/advanced degrees, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.1",
        "Public research-industry co-publications, %",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.2",
        "University-industry R&D collaboration",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.3",
        "State of cluster development",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.4",
        "Joint venture/strategic alliance deals/bn PPP$ GDP",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.5",
        "Patent families/bn PPP$ GDP",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.1",
        "Intellectual property payments, % total trade",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.2",
        "High-tech imports, % total trade",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.3",
        "ICT services imports, % total trade",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.4",
        "FDI net inflows, % GDP",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.5",
        "Research talent, % in businesses",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.1",
        "Patents by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.2",
        "PCT patents by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.3",
        "Utility models by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.4",
        "Scientific and technical articles/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.5",
        "Citable documents H-index",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.1",
        "Labor productivity growth, %",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.2",
        "Unicorn valuation, % GDP",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.3",
        "Software spending, % GDP",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.4",
        "High-tech manufacturing, %",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.1",
        "Intellectual property receipts, % total trade",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.2",
        "Production and export complexity",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.3",
        "High-tech exports, % total trade",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.4",
        "ICT services exports, % total trade",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.5",
        "ISO 9001 quality/bn PPP$ GDP",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.1",
        "Intangible asset intensity, top 15, %",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.2",
        "Trademarks by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.3",
        "Global brand value, top 5,000, % GDP",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.4",
        "Industrial designs by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.1",
        "Cultural and creative services exports, % total trade",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.2",
        "National feature films/mn pop. 15-69",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.3",
        "Entertainment and media market/th pop. 15-69",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.4",
        "Creative goods exports, % total trade",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.3.1",
        "Top-level domains (TLDs)/th pop. 15-69",
        Level::Indicator,
        Some("7.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.3.2",
        "GitHub commits/mn pop. 15-69",
        Level::Indicator,
        Some("7.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.3.3",
        "Mobile app creation/bn PPP$ GDP",
        Level::Indicator,
        Some("7.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
];

/// The GII 2025 framework: 109 nodes (index, 2 sub-indices, 7 pillars, 21
/// sub-pillars, 78 indicators), transcribed from the GII 2025 report's framework
/// (see [`FRAMEWORK_PROVENANCE`]).
pub const FRAMEWORK_2025: &[GiiNode] = &[
    GiiNode::new(
        "GII",
        "Global Innovation Index",
        Level::Index,
        None,
        None,
        1,
        None,
    ),
    GiiNode::new(
        "IN",
        "Innovation Input Sub-Index",
        Level::SubIndex,
        Some("GII"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "OUT",
        "Innovation Output Sub-Index",
        Level::SubIndex,
        Some("GII"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1",
        "Institutions",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2",
        "Human capital and research",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3",
        "Infrastructure",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "4",
        "Market sophistication",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5",
        "Business sophistication",
        Level::Pillar,
        Some("IN"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6",
        "Knowledge and technology outputs",
        Level::Pillar,
        Some("OUT"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7",
        "Creative outputs",
        Level::Pillar,
        Some("OUT"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.1",
        "Institutional environment",
        Level::SubPillar,
        Some("1"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.2",
        "Regulatory environment",
        Level::SubPillar,
        Some("1"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.3",
        "Business environment",
        Level::SubPillar,
        Some("1"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2.1",
        "Education",
        Level::SubPillar,
        Some("2"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2.2",
        "Tertiary education",
        Level::SubPillar,
        Some("2"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "2.3",
        "Research and development (R&D)",
        Level::SubPillar,
        Some("2"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3.1",
        "Information and communication technology (ICT)",
        Level::SubPillar,
        Some("3"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3.2",
        "General infrastructure",
        Level::SubPillar,
        Some("3"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "3.3",
        "Ecological sustainability",
        Level::SubPillar,
        Some("3"),
        None,
        1,
        None,
    ),
    GiiNode::new("4.1", "Credit", Level::SubPillar, Some("4"), None, 1, None),
    GiiNode::new(
        "4.2",
        "Investment",
        Level::SubPillar,
        Some("4"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "4.3",
        "Trade, diversification and market scale",
        Level::SubPillar,
        Some("4"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5.1",
        "Knowledge workers",
        Level::SubPillar,
        Some("5"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5.2",
        "Innovation linkages",
        Level::SubPillar,
        Some("5"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "5.3",
        "Knowledge absorption",
        Level::SubPillar,
        Some("5"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6.1",
        "Knowledge creation",
        Level::SubPillar,
        Some("6"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6.2",
        "Knowledge impact",
        Level::SubPillar,
        Some("6"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "6.3",
        "Knowledge diffusion",
        Level::SubPillar,
        Some("6"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7.1",
        "Intangible assets",
        Level::SubPillar,
        Some("7"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7.2",
        "Creative goods and services",
        Level::SubPillar,
        Some("7"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "7.3",
        "Online creativity",
        Level::SubPillar,
        Some("7"),
        None,
        1,
        None,
    ),
    GiiNode::new(
        "1.1.1",
        "Operational stability for businesses",
        Level::Indicator,
        Some("1.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.1.2",
        "Government effectiveness",
        Level::Indicator,
        Some("1.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.2.1",
        "Regulatory quality",
        Level::Indicator,
        Some("1.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.2.2",
        "Rule of law",
        Level::Indicator,
        Some("1.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "1.3.1",
        "Policy stability for doing business",
        Level::Indicator,
        Some("1.3"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "1.3.2",
        "Entrepreneurship policies and culture",
        Level::Indicator,
        Some("1.3"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.1",
        "Expenditure on education, % GDP",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.2",
        "Government funding/pupil, secondary, % GDP/cap",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.3",
        "School life expectancy, years",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.4",
        "PISA scales in reading, maths and science",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.1.5",
        "Pupil-teacher ratio, secondary",
        Level::Indicator,
        Some("2.1"),
        Some(IndicatorType::Data),
        -1,
        Some("direction unconfirmed (standard GII bad)"),
    ),
    GiiNode::new(
        "2.2.1",
        "Tertiary enrolment, % gross",
        Level::Indicator,
        Some("2.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.2.2",
        "Graduates in science and engineering, %",
        Level::Indicator,
        Some("2.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.2.3",
        "Tertiary inbound mobility, %",
        Level::Indicator,
        Some("2.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.1",
        "Researchers, FTE/mn pop.",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.2",
        "Gross expenditure on R&D, % GDP",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.3",
        "Global corporate R&D investors, top 3, mn USD",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "2.3.4",
        "QS university ranking, top 3",
        Level::Indicator,
        Some("2.3"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.1",
        "ICT access",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.2",
        "ICT use",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.1.3",
        "Government online service",
        Level::Indicator,
        Some("3.1"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.2.1",
        "Electricity output, GWh/mn pop.",
        Level::Indicator,
        Some("3.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.2.2",
        "Logistics performance",
        Level::Indicator,
        Some("3.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "3.2.3",
        "Gross capital formation, % GDP",
        Level::Indicator,
        Some("3.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.3.1",
        "GDP/unit of energy use",
        Level::Indicator,
        Some("3.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.3.2",
        "Low-carbon energy use, %",
        Level::Indicator,
        Some("3.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "3.3.3",
        "ISO 14001 environment/bn PPP$ GDP",
        Level::Indicator,
        Some("3.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.1.1",
        "Finance for startups and scaleups",
        Level::Indicator,
        Some("4.1"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "4.1.2",
        "Domestic credit to private sector, % GDP",
        Level::Indicator,
        Some("4.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.1.3",
        "Loans from microfinance institutions, % GDP",
        Level::Indicator,
        Some("4.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.1",
        "Market capitalization, % GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.2",
        "Venture capital (VC) received, deal count/bn PPP$ GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.3",
        "Late-stage VC deal count, % global VC",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.4",
        "VC investors, deal count/bn PPP$ GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.2.5",
        "VC investor co-participation/bn PPP$ GDP",
        Level::Indicator,
        Some("4.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.3.1",
        "Applied tariff rate, weighted avg., %",
        Level::Indicator,
        Some("4.3"),
        Some(IndicatorType::Data),
        -1,
        Some("direction unconfirmed (standard GII bad)"),
    ),
    GiiNode::new(
        "4.3.2",
        "Domestic industry diversification",
        Level::Indicator,
        Some("4.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "4.3.3",
        "Domestic market scale, bn PPP$",
        Level::Indicator,
        Some("4.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.1",
        "Knowledge-intensive employment, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.2",
        "Females employed w/advanced degrees, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.3",
        "Youth demographic dividend, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.4",
        "GERD performed by business, % GDP",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.1.5",
        "GERD financed by business, %",
        Level::Indicator,
        Some("5.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.1",
        "Public research-industry co-publications, %",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.2",
        "University-industry R&D collaboration",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.3",
        "University industry & international engagement, top 5",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Index),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.4",
        "State of cluster development",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Survey),
        1,
        None,
    ),
    GiiNode::new(
        "5.2.5",
        "Patent families/bn PPP$ GDP",
        Level::Indicator,
        Some("5.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.1",
        "Intellectual property payments, % total trade",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.2",
        "High-tech imports, % total trade",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.3",
        "ICT services imports, % total trade",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.4",
        "FDI net inflows, % GDP",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "5.3.5",
        "Research talent, % in businesses",
        Level::Indicator,
        Some("5.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.1",
        "Patents by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.2",
        "PCT patents by inventor origin/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.3",
        "Utility models by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.4",
        "Scientific and technical articles/bn PPP$ GDP",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.1.5",
        "Citable documents H-index",
        Level::Indicator,
        Some("6.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.1",
        "Labor productivity growth, %",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.2",
        "Unicorn valuation, % GDP",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.3",
        "Software spending, % GDP",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.2.4",
        "High-tech manufacturing, %",
        Level::Indicator,
        Some("6.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.1",
        "Intellectual property receipts, % total trade",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.2",
        "Production and export complexity",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.3",
        "High-tech exports, % total trade",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.4",
        "ICT services exports, % total trade",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "6.3.5",
        "ISO 9001 quality/bn PPP$ GDP",
        Level::Indicator,
        Some("6.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.1",
        "Intangible asset intensity, top 15, %",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.2",
        "Trademarks by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.3",
        "Global brand value, top 5,000, % GDP",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.1.4",
        "Industrial designs by origin/bn PPP$ GDP",
        Level::Indicator,
        Some("7.1"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.1",
        "Cultural and creative services exports, % total trade",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.2",
        "National feature films/mn pop. 15-69",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.3",
        "Entertainment and media market/th pop. 15-69",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.2.4",
        "Creative goods exports, % total trade",
        Level::Indicator,
        Some("7.2"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.3.1",
        "Top-level domains (TLDs)/th pop. 15-69",
        Level::Indicator,
        Some("7.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.3.2",
        "GitHub commits/mn pop. 15-69",
        Level::Indicator,
        Some("7.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
    GiiNode::new(
        "7.3.3",
        "Mobile app creation/bn PPP$ GDP",
        Level::Indicator,
        Some("7.3"),
        Some(IndicatorType::Data),
        1,
        None,
    ),
];
