//! The index specification: framework plus an ordered list of pipeline steps.
//!
//! An [`IndexSpec`] is what a researcher writes (in TOML or JSON, or in code): the
//! indicator tree and the steps that turn raw data into scores, each with its
//! method, parameters and per-indicator or per-node overrides. Unknown keys are
//! rejected, so a typo never silently falls back to a default. Reading and writing
//! round-trips without loss.
//!
//! ```toml
//! spec_version = 1
//! name = "My index"
//!
//! [[framework.nodes]]
//! code = "Index"
//!
//! [[framework.nodes]]
//! code = "P1"
//! parent = "Index"
//!
//! [[framework.nodes]]
//! code = "x1"
//! parent = "P1"
//! direction = -1
//!
//! [[steps]]
//! stage = "normalise"
//! default = { method = "min_max", lo = 0, hi = 100 }
//! overrides = { x1 = { method = "rank" } }
//!
//! [[steps]]
//! stage = "aggregate"
//! default = { method = "arithmetic_mean" }
//! by_level = { 3 = { method = "geometric_mean" } }
//! ```

use std::collections::BTreeMap;

use crate::aggregate::AggregateMethod;
use crate::coverage::CoverageRule;
use crate::error::{Error, Result};
use crate::framework::FrameworkSpec;
use crate::normalise::NormaliseMethod;
use crate::panel::{PanelImputeSpec, PanelSpec};
use crate::prepare::{DenominateSpec, ImputeSpec, ScreenSpec, TreatSpec};

/// The specification version this crate reads and writes.
pub const SPEC_VERSION: u32 = 1;

/// A complete index specification. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct IndexSpec {
    /// Format version; must equal [`SPEC_VERSION`].
    pub spec_version: u32,
    /// Name of the index.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub name: Option<String>,
    /// The indicator tree (may be left out when a tool supplies it, e.g. the
    /// command line from COINr's iMeta).
    #[cfg_attr(feature = "serde", serde(default))]
    pub framework: FrameworkSpec,
    /// Pipeline steps, run in this order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub steps: Vec<Step>,
    /// Where the data come from, for tools that run a spec file on its own (the
    /// command line). The library itself takes a [`Dataset`](crate::Dataset).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub data: Option<DataSpec>,
    /// How the steps run over panel data (several editions): per year by
    /// default, or fitted on the pooled panel or on a reference year
    /// ([`PanelSpec`]). Ignored for a single data set.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub panel: Option<PanelSpec>,
    /// Edition (year) of the index this spec describes, if it is one of a series.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub edition: Option<u32>,
    /// Names of the framework's levels from the indicators up (`["indicator",
    /// "sub-pillar", "pillar", "sub-index", "index"]`), for reports.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub level_names: Vec<String>,
    /// The data-coverage rule: which units have enough data to be ranked, and
    /// whether the others are left out of the computation (see [`crate::coverage`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub coverage: Option<CoverageRule>,
    /// Ratios of two nodes' scores reported with the results, by name (the GII's
    /// efficiency ratio: `efficiency = { numerator = "OUT", denominator = "IN" }`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub ratios: BTreeMap<String, RatioSpec>,
    /// Group columns of the data that reports rank units within (income group,
    /// region), by column name.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub groups: BTreeMap<String, GroupSpec>,
    /// Where the facts of the spec come from and how sure they are, by topic
    /// (`framework`, `weights`, `method`, ...).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub provenance: BTreeMap<String, Provenance>,
}

/// A ratio of two nodes' scores, `numerator / denominator` per unit (missing
/// where either is missing or the denominator is 0).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct RatioSpec {
    /// Code of the node on top.
    pub numerator: String,
    /// Code of the node below.
    pub denominator: String,
}

/// A group column of the data, as reports name its groups.
///
/// ```toml
/// [groups.Income]
/// name = "income group"
/// among = { HI = "high-income economies", LM = "lower-middle-income economies" }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct GroupSpec {
    /// What the column is (`"income group"`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub name: Option<String>,
    /// Label -> the phrase for its units in a sentence ("2nd of 37
    /// *lower-middle-income economies*"); labels not listed are used as they are.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub among: BTreeMap<String, String>,
}

impl GroupSpec {
    /// The phrase for the units of `label`.
    pub fn among<'a>(&'a self, label: &'a str) -> &'a str {
        self.among.get(label).map_or(label, String::as_str)
    }
}

/// How sure a fact is. Ordered from the most to the least certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Confidence {
    /// Stated in the publisher's own publication (report, technical notes,
    /// official workbook).
    Published,
    /// Reproduced from published numbers (a test recomputes the published
    /// figure from other published figures).
    Verified,
    /// Reported by secondary sources (press, public analyses) quoting the
    /// publisher, not checked against a primary source.
    Reported,
    /// Deduced by analogy with a related index or from the shape of published
    /// numbers; a reasonable default, not a fact.
    Inferred,
    /// Standard in earlier editions or plausible, but not confirmed for the
    /// edition concerned.
    Unconfirmed,
}

impl Confidence {
    /// A short lower-case label (`"published"`, ...).
    pub fn label(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Verified => "verified",
            Self::Reported => "reported",
            Self::Inferred => "inferred",
            Self::Unconfirmed => "unconfirmed",
        }
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a fact comes from and how sure it is.
///
/// ```toml
/// [provenance.weights]
/// source = "equal weights within each parent (technical notes)"
/// confidence = "unconfirmed"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Provenance {
    /// The source, in words (publication, section, or the kind of secondary source).
    pub source: String,
    /// How sure the fact is.
    pub confidence: Confidence,
}

impl Provenance {
    /// A provenance record.
    pub fn new(source: impl Into<String>, confidence: Confidence) -> Self {
        Self {
            source: source.into(),
            confidence,
        }
    }
}

/// The data of an index, named in its specification: either one CSV table
/// (`csv`, with the roles of its columns) or COINr's `imeta` and `idata` tables.
/// Relative paths are relative to the specification file.
///
/// ```toml
/// [data]
/// csv = "data.csv"
/// groups = ["Region"]
/// denominators = ["Population"]
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct DataSpec {
    /// A units x columns CSV table.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub csv: Option<String>,
    /// COINr's metadata table (with `idata`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub imeta: Option<String>,
    /// COINr's data table (with `imeta`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub idata: Option<String>,
    /// Group (label) columns of the CSV table.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub groups: Vec<String>,
    /// Denominator columns of the CSV table.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub denominators: Vec<String>,
    /// Columns of the CSV table to skip.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub ignore: Vec<String>,
    /// Column of unit codes (default `uCode`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub unit_code: Option<String>,
    /// Column of unit names (default `uName`, when present).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub unit_name: Option<String>,
    /// Time column (default `Time`, when present).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub time: Option<String>,
}

impl IndexSpec {
    /// A spec with the current version, the given framework and steps.
    #[must_use]
    pub fn new(framework: FrameworkSpec, steps: Vec<Step>) -> Self {
        Self {
            spec_version: SPEC_VERSION,
            name: None,
            framework,
            steps,
            data: None,
            edition: None,
            level_names: Vec::new(),
            coverage: None,
            ratios: BTreeMap::new(),
            groups: BTreeMap::new(),
            provenance: BTreeMap::new(),
            panel: None,
        }
    }

    /// Names the data (for the command line).
    #[must_use]
    pub fn with_data(mut self, data: DataSpec) -> Self {
        self.data = Some(data);
        self
    }

    /// Sets the name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The specification without some framework nodes: the nodes, their weight
    /// set entries and the step overrides naming them are dropped; a denominate
    /// or impute_panel step left with none of its listed indicators is dropped.
    /// `removed` should be closed under descendants (remove a node's children
    /// with it); aggregate nodes are not removed automatically.
    pub fn without(&self, removed: &std::collections::HashSet<&str>) -> IndexSpec {
        let gone = |c: &String| removed.contains(c.as_str());
        let mut framework = self.framework.inlined();
        framework.nodes.retain(|n| !gone(&n.code));
        for set in framework.weight_sets.values_mut() {
            set.retain(|c, _| !gone(c));
        }
        let mut steps = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            let mut step = step.clone();
            match &mut step {
                Step::Denominate(s) => {
                    let had = !s.denominators.is_empty();
                    s.denominators.retain(|c, _| !gone(c));
                    s.scale_by.retain(|c, _| !gone(c));
                    if had && s.denominators.is_empty() {
                        continue;
                    }
                }
                Step::Impute(s) => s.overrides.retain(|c, _| !gone(c)),
                Step::Screen(_) => {}
                Step::Treat(s) => s.overrides.retain(|c, _| !gone(c)),
                Step::Normalise(s) => s.overrides.retain(|c, _| !gone(c)),
                Step::Aggregate(s) => s.by_node.retain(|c, _| !gone(c)),
                Step::ImputePanel(s) => {
                    let had = !s.columns.is_empty();
                    s.columns.retain(|c| !gone(c));
                    if had && s.columns.is_empty() {
                        continue;
                    }
                }
            }
            steps.push(step);
        }
        IndexSpec {
            framework,
            steps,
            ..self.clone()
        }
    }

    /// Checks the version.
    ///
    /// # Errors
    /// [`Error::UnsupportedSpecVersion`].
    pub fn check_version(&self) -> Result<()> {
        if self.spec_version != SPEC_VERSION {
            return Err(Error::UnsupportedSpecVersion {
                found: self.spec_version,
                supported: SPEC_VERSION,
            });
        }
        Ok(())
    }

    /// Parses a TOML specification.
    ///
    /// # Errors
    /// [`Error::SpecParse`] (syntax, unknown keys, wrong types; the message names the
    /// key and line) and [`Error::UnsupportedSpecVersion`].
    #[cfg(feature = "serde")]
    pub fn from_toml(text: &str) -> Result<Self> {
        let spec: Self = parse_toml(text)?;
        spec.check_version()?;
        Ok(spec)
    }

    /// Writes the specification as TOML.
    ///
    /// # Errors
    /// [`Error::SpecParse`] if a value cannot be represented in TOML (e.g. NaN weights).
    #[cfg(feature = "serde")]
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::SpecParse {
            message: e.to_string(),
        })
    }

    /// Parses a JSON specification.
    ///
    /// # Errors
    /// As [`IndexSpec::from_toml`].
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<Self> {
        let spec: Self = parse_json(text)?;
        spec.check_version()?;
        Ok(spec)
    }

    /// Writes the specification as pretty-printed JSON.
    ///
    /// # Errors
    /// [`Error::SpecParse`] if serialisation fails.
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::SpecParse {
            message: e.to_string(),
        })
    }

    /// Reads a specification file, TOML or JSON by extension (`.json` is JSON,
    /// anything else TOML), and the node file its framework names (`imeta` or
    /// `csv`, relative to the spec file's folder; needs the `csv` feature).
    ///
    /// # Errors
    /// [`Error::Io`] and the errors of the parsers and of
    /// [`FrameworkSpec::load_files`].
    #[cfg(feature = "serde")]
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        #[allow(unused_mut)]
        let mut spec = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Self::from_json(&text)?
        } else {
            Self::from_toml(&text)?
        };
        #[cfg(feature = "csv")]
        spec.framework
            .load_files(path.parent().unwrap_or_else(|| std::path::Path::new("")))?;
        Ok(spec)
    }
}

/// Parses TOML into any specification type, with the crate's error conventions:
/// [`Error::SpecParse`] whose message starts `TOML parse error at line L, column C`
/// and points at the offending key itself (the parser points an unknown key at
/// the table that holds it), and adds a "did you mean" suggestion for an unknown
/// key or method name.
///
/// # Errors
/// [`Error::SpecParse`] for a syntax error, an unknown key or a wrong type.
#[cfg(feature = "serde")]
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::SpecParse {
        message: toml_message(text, &e),
    })
}

/// Parses JSON into any specification type; see [`parse_toml`].
///
/// # Errors
/// [`Error::SpecParse`] (the message ends `at line L column C`).
#[cfg(feature = "serde")]
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::SpecParse {
        message: crate::suggest::serde_message(&e.to_string()),
    })
}

/// The message of a TOML error, located at the unknown key (or the unknown method
/// name, or the string of the wrong type) itself when the parser located it at its
/// table, with a suggestion.
#[cfg(feature = "serde")]
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = crate::suggest::serde_message(e.message());
    let Some(span) = e.span() else {
        return e.to_string();
    };
    let raw = e.message();
    let culprit = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| raw.strip_prefix(p))
        .and_then(|rest| rest.split('`').next())
        .or_else(|| {
            raw.strip_prefix("invalid type: string \"")
                .and_then(|rest| rest.split('"').next())
        });
    // The parser's span may cover only the table header (an array of tables is
    // one value): look in it, then after it, then anywhere.
    let start = culprit
        .and_then(|name| {
            find_name(text, span.clone(), name)
                .or_else(|| find_name(text, span.start..text.len(), name))
                .or_else(|| find_name(text, 0..text.len(), name))
        })
        .unwrap_or(span.start)
        .min(text.len());
    // 1-based line and column (in characters) of `start`.
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let line_text = text[line_start..].lines().next().unwrap_or("");
    format!(
        "TOML parse error at line {line}, column {column}\n  |\n{line} | {line_text}\n  | {}^\n{message}\n",
        " ".repeat(column - 1)
    )
}

/// Where `name` appears as a key (`name =`, `name.`, `"name" =`) or as a quoted
/// value within `span` of `text`.
#[cfg(feature = "serde")]
fn find_name(text: &str, span: std::ops::Range<usize>, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let end = span.end.min(text.len());
    let hay = text.get(span.start..end)?;
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let prev = at.checked_sub(1).map(|k| bytes[k]);
        let quoted = matches!(prev, Some(b'"' | b'\''));
        let key_start = match prev {
            None => true,
            Some(c) => {
                c.is_ascii_whitespace() || matches!(c, b'{' | b',' | b'.' | b'[' | b'"' | b'\'')
            }
        };
        if !key_start {
            continue;
        }
        let mut rest = hay[at + name.len()..].trim_start_matches([' ', '\t']);
        if quoted {
            match rest.strip_prefix(['"', '\'']) {
                Some(r) => rest = r.trim_start_matches([' ', '\t']),
                None => continue,
            }
        }
        let key = rest.starts_with('=') || rest.starts_with('.');
        let value = quoted && !key;
        if key || value {
            return Some(span.start + at - usize::from(quoted));
        }
    }
    None
}

/// One pipeline step (serde: internally tagged by `stage`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "stage", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Step {
    /// Divide indicators by denominator columns (METHODS 2.1).
    Denominate(DenominateSpec),
    /// Fill missing values (METHODS 2.2).
    Impute(ImputeSpec),
    /// Remove units with too much missing data or too many zeros (METHODS 2.3).
    Screen(ScreenSpec),
    /// Treat outliers (METHODS 2.4).
    Treat(TreatSpec),
    /// Normalise indicators (METHODS 2.5).
    Normalise(NormaliseSpec),
    /// Aggregate up the tree (METHODS 2.7).
    Aggregate(AggregateSpec),
    /// Fill missing values from the same unit's other editions (METHODS 7.2;
    /// panel data only, see [`crate::panel`]).
    ImputePanel(PanelImputeSpec),
}

impl Step {
    /// The stage name (`"normalise"`, ...).
    pub fn stage(&self) -> &'static str {
        match self {
            Self::Denominate(_) => "denominate",
            Self::Impute(_) => "impute",
            Self::Screen(_) => "screen",
            Self::Treat(_) => "treat",
            Self::Normalise(_) => "normalise",
            Self::Aggregate(_) => "aggregate",
            Self::ImputePanel(_) => "impute_panel",
        }
    }

    /// Name of the data set the step writes, as in COINr (`"denominated"`, ...).
    pub fn output_name(&self) -> &'static str {
        match self {
            Self::Denominate(_) => "denominated",
            Self::Impute(_) => "imputed",
            Self::Screen(_) => "screened",
            Self::Treat(_) => "treated",
            Self::Normalise(_) => "normalised",
            Self::Aggregate(_) => "aggregated",
            Self::ImputePanel(_) => "imputed",
        }
    }
}

/// Normalisation step: a default method and per-indicator overrides.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct NormaliseSpec {
    /// Method for every indicator without an override (default min-max [0, 100]).
    /// In a spec file, `method = "rank"` says the same as `default = "rank"`.
    #[cfg_attr(feature = "serde", serde(default, alias = "method"))]
    pub default: NormaliseMethod,
    /// Indicator code -> method.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub overrides: BTreeMap<String, NormaliseMethod>,
    /// Multiply each column by its direction first (default true, as COINr).
    #[cfg_attr(
        feature = "serde",
        serde(
            default = "crate::defaults::yes",
            skip_serializing_if = "crate::defaults::is_true"
        )
    )]
    pub use_directions: bool,
}

impl Default for NormaliseSpec {
    fn default() -> Self {
        Self::new(NormaliseMethod::default())
    }
}

impl NormaliseSpec {
    /// A step applying `method` to every indicator, directions on.
    #[must_use]
    pub fn new(method: NormaliseMethod) -> Self {
        Self {
            default: method,
            overrides: BTreeMap::new(),
            use_directions: true,
        }
    }

    /// Adds a per-indicator override.
    #[must_use]
    pub fn with_override(mut self, indicator: impl Into<String>, method: NormaliseMethod) -> Self {
        self.overrides.insert(indicator.into(), method);
        self
    }
}

/// Aggregation step: method per level and per node, missing-data thresholds, weights.
///
/// The method for a node is, in order of precedence: `by_node`, `by_level`,
/// `default`. COINr can only choose one method for all levels (its issue #35).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct AggregateSpec {
    /// Method for every node without a more specific choice (default arithmetic mean).
    /// In a spec file, `method = "geometric_mean"` says the same as `default = ...`.
    #[cfg_attr(feature = "serde", serde(default, alias = "method"))]
    pub default: AggregateMethod,
    /// Level (2 = first aggregate level) -> method.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            with = "level_keys"
        )
    )]
    pub by_level: BTreeMap<u32, AggregateMethod>,
    /// Node code -> method.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub by_node: BTreeMap<String, AggregateMethod>,
    /// Minimum share of non-missing children for an aggregate to be computed
    /// (`None`: no threshold, COINr's default).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub dat_thresh: Option<f64>,
    /// Level -> threshold, overriding `dat_thresh` at that level.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            with = "level_keys"
        )
    )]
    pub dat_thresh_by_level: BTreeMap<u32, f64>,
    /// Name of a framework weight set (`None`: the nodes' own weights).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub weights: Option<String>,
}

impl AggregateSpec {
    /// A step using `method` everywhere.
    #[must_use]
    pub fn new(method: AggregateMethod) -> Self {
        Self {
            default: method,
            ..Self::default()
        }
    }

    /// Sets the method of one level.
    #[must_use]
    pub fn with_level(mut self, level: u32, method: AggregateMethod) -> Self {
        self.by_level.insert(level, method);
        self
    }

    /// Sets the method of one node.
    #[must_use]
    pub fn with_node(mut self, node: impl Into<String>, method: AggregateMethod) -> Self {
        self.by_node.insert(node.into(), method);
        self
    }

    /// Sets the missing-data threshold for all levels.
    #[must_use]
    pub fn with_dat_thresh(mut self, thresh: f64) -> Self {
        self.dat_thresh = Some(thresh);
        self
    }
}

/// Maps keyed by level are written with string keys (`"2"`), which TOML and JSON
/// both require, and read back as integers.
#[cfg(feature = "serde")]
mod level_keys {
    use std::collections::BTreeMap;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, V: Serialize>(
        map: &BTreeMap<u32, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let m: BTreeMap<String, &V> = map.iter().map(|(k, v)| (k.to_string(), v)).collect();
        m.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        d: D,
    ) -> Result<BTreeMap<u32, V>, D::Error> {
        let m: BTreeMap<String, V> = BTreeMap::deserialize(d)?;
        m.into_iter()
            .map(|(k, v)| {
                k.trim().parse::<u32>().map(|k| (k, v)).map_err(|_| {
                    D::Error::custom(format!("level key {k:?} is not a positive integer"))
                })
            })
            .collect()
    }
}
