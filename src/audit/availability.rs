//! Data availability per unit, overall and within each group of the framework
//! (COINr `get_data_avail`).
//!
//! For unit `u` and a set `G` of indicators, availability is
//! `#{i in G : x_ui not missing} / #G`. Overall availability uses every indicator
//! of the framework; group availability uses the indicators under each node of a
//! chosen aggregate level (e.g. level 2, the first aggregates). The share of zeros
//! is `#{i : x_ui = 0} / #{i : x_ui not missing}`, as in the screening stage
//! (METHODS.md 2.3).
//!
//! Reference: OECD/JRC *Handbook on Constructing Composite Indicators* (2008),
//! step 3 (missing data): coverage rules such as the GII's 66% per sub-index
//! (METHODS.md 5) are read from this table.

use super::{DataView, check_aggregate_level, codes_of, leaf_descendants};
use crate::error::Result;
use crate::framework::Framework;

/// Availability of one unit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnitAvailability {
    /// Unit code.
    pub unit: String,
    /// Number of non-missing indicators.
    pub n_present: usize,
    /// Number of indicators in the framework.
    pub n_indicators: usize,
    /// `n_present / n_indicators`.
    pub availability: f64,
    /// Share of zeros among the unit's non-missing indicators (`None` if it has none).
    pub share_zeros: Option<f64>,
    /// Availability within each group, aligned with [`AvailabilityTable::groups`].
    pub by_group: Vec<f64>,
    /// The smallest of `by_group`.
    pub min_group: f64,
}

/// Data availability of every unit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AvailabilityTable {
    /// Level of the groups (2 = the aggregates just above the indicators).
    pub level: u32,
    /// Codes of the groups (nodes at `level`), in framework order.
    pub groups: Vec<String>,
    /// Indicators under each group, aligned with `groups`.
    pub group_indicators: Vec<Vec<String>>,
    /// One row per unit, in the data's order.
    pub units: Vec<UnitAvailability>,
}

/// Availability of each unit overall and within each group of nodes at `level`.
///
/// `data` must hold every indicator of the framework as a column (any data set of
/// the pipeline does: raw, ..., normalised, aggregated); other columns are ignored.
/// Missing = NaN.
///
/// # Errors
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `level` is not an
/// aggregate level (2 to the root's level); [`Error::UnknownCode`](crate::Error::UnknownCode)
/// for an indicator absent from `data`.
pub fn data_availability<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    level: u32,
) -> Result<AvailabilityTable> {
    let data = data.into();
    check_aggregate_level(framework, level, "data_availability")?;
    let inds = framework.indicators();
    let cols = super::columns_of(&data, framework, inds)?;
    let groups = framework.nodes_at_level(level);
    // Position of each group's indicators within `inds`.
    let members: Vec<Vec<usize>> = groups
        .iter()
        .map(|&g| {
            leaf_descendants(framework, g)
                .into_iter()
                .filter_map(|i| inds.iter().position(|&k| k == i))
                .collect()
        })
        .collect();
    let units = data
        .units()
        .iter()
        .enumerate()
        .map(|(u, code)| {
            let present: Vec<bool> = cols.iter().map(|c| !c[u].is_nan()).collect();
            let n_present = present.iter().filter(|&&p| p).count();
            let zeros = cols.iter().filter(|c| c[u] == 0.0).count();
            let by_group: Vec<f64> = members
                .iter()
                .map(|m| m.iter().filter(|&&k| present[k]).count() as f64 / m.len() as f64)
                .collect();
            let min_group = by_group.iter().copied().fold(f64::INFINITY, f64::min);
            UnitAvailability {
                unit: code.clone(),
                n_present,
                n_indicators: inds.len(),
                availability: n_present as f64 / inds.len() as f64,
                share_zeros: (n_present > 0).then(|| zeros as f64 / n_present as f64),
                by_group,
                min_group,
            }
        })
        .collect();
    Ok(AvailabilityTable {
        level,
        groups: codes_of(framework, groups),
        group_indicators: members
            .iter()
            .map(|m| {
                m.iter()
                    .map(|&k| framework.code(inds[k]).to_owned())
                    .collect()
            })
            .collect(),
        units,
    })
}
