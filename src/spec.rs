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
    /// The indicator tree.
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
        let mut framework = FrameworkSpec {
            nodes: self
                .framework
                .nodes
                .iter()
                .filter(|n| !gone(&n.code))
                .cloned()
                .collect(),
            ..self.framework.clone()
        };
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
        let spec: Self = toml::from_str(text).map_err(|e| Error::SpecParse {
            message: e.to_string(),
        })?;
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
        let spec: Self = serde_json::from_str(text).map_err(|e| Error::SpecParse {
            message: e.to_string(),
        })?;
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
    /// anything else TOML).
    ///
    /// # Errors
    /// [`Error::Io`] and the errors of the parsers.
    #[cfg(feature = "serde")]
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Self::from_json(&text)
        } else {
            Self::from_toml(&text)
        }
    }
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
    #[cfg_attr(feature = "serde", serde(default))]
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
    #[cfg_attr(feature = "serde", serde(default))]
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
