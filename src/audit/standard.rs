//! The standard audit of a run, in one call: what the command line's `audit`
//! writes (statistics in the crate's and COINr's columns, correlations of every
//! node with its ancestors, collinear siblings, Cronbach's alpha and principal
//! components of every group, the full correlation matrix), ready to be written
//! as tables ([`crate::tables`]) or as a workbook.

use super::{
    AncestorCorrelation, CoinrStats, CoinrThresholds, CollinearPair, CorrelationMatrix,
    CorrelationMethod, CronbachAlpha, Grouped, IndicatorStats, Pca, StatsThresholds,
    alpha_by_level, ancestor_correlations, coinr_stats, collinear_pairs, correlation_matrix,
    indicator_stats, pca_by_level,
};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::results::Results;

/// Options of [`standard_audit`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AuditOptions {
    /// Data set of the statistics tables (default `"raw"`).
    pub dataset: String,
    /// Correlation coefficient (default Pearson).
    pub method: CorrelationMethod,
    /// Correlations with an ancestor below this are flagged as weak (JRC: 0.3).
    pub weak: f64,
    /// Siblings correlated above this are flagged as collinear (JRC: 0.9).
    pub collinear: f64,
    /// Thresholds of the crate's statistics table.
    pub thresholds: StatsThresholds,
    /// Thresholds of COINr's statistics table.
    pub coinr_thresholds: CoinrThresholds,
}

impl Default for AuditOptions {
    fn default() -> Self {
        Self {
            dataset: "raw".into(),
            method: CorrelationMethod::Pearson,
            weak: 0.3,
            collinear: 0.9,
            thresholds: StatsThresholds::default(),
            coinr_thresholds: CoinrThresholds::default(),
        }
    }
}

/// What [`standard_audit`] computed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StandardAudit {
    /// The options used.
    pub options: AuditOptions,
    /// Statistics of the chosen data set ([`indicator_stats()`]).
    pub statistics: Vec<IndicatorStats>,
    /// The same in COINr's columns ([`coinr_stats()`]).
    pub coinr_statistics: Vec<CoinrStats>,
    /// Every node below the index with each of its ancestors ([`ancestor_correlations`]).
    pub ancestors: Vec<AncestorCorrelation>,
    /// Siblings correlated above the threshold ([`collinear_pairs`]).
    pub collinear: Vec<CollinearPair>,
    /// Cronbach's alpha of every group ([`alpha_by_level`]).
    pub cronbach: Vec<Grouped<CronbachAlpha>>,
    /// Principal components of every group ([`pca_by_level`]).
    pub pca: Vec<Grouped<Pca>>,
    /// Correlations between every column of the aggregated data set (indicators,
    /// then aggregates level by level).
    pub correlations: CorrelationMatrix,
}

/// The standard audit of `results`, a run of `pipeline` with an aggregation step.
///
/// # Errors
/// [`Error::UnknownCode`] for a data set the run does not have, or when it has
/// no aggregated data set; [`Error::InvalidParameter`] for invalid thresholds;
/// the errors of the audit functions.
pub fn standard_audit(
    pipeline: &Pipeline,
    results: &Results,
    options: &AuditOptions,
) -> Result<StandardAudit> {
    let fw = pipeline.framework();
    let stats_set = results
        .dataset(&options.dataset)
        .ok_or_else(|| Error::UnknownCode {
            kind: "data set",
            code: options.dataset.clone(),
            context: format!(
                "the run (it has {})",
                results
                    .datasets()
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
    let agg = results.aggregated().ok_or_else(|| Error::UnknownCode {
        kind: "data set",
        code: "aggregated".into(),
        context: "the run: the audit needs an aggregate step".into(),
    })?;
    let statistics = indicator_stats(stats_set, &options.thresholds)?;
    let coinr_statistics = coinr_stats(stats_set, &options.coinr_thresholds)?;
    let top = fw.n_levels();
    let mut ancestors = Vec::new();
    let mut collinear = Vec::new();
    for level in 1..top {
        ancestors.extend(ancestor_correlations(
            agg,
            fw,
            level,
            options.method,
            options.weak,
        )?);
        collinear.extend(collinear_pairs(
            agg,
            fw,
            level,
            options.method,
            options.collinear,
        )?);
    }
    let mut cronbach = Vec::new();
    let mut pca = Vec::new();
    for level in 2..=top {
        cronbach.extend(alpha_by_level(agg, fw, level)?);
        pca.extend(pca_by_level(agg, fw, level)?);
    }
    let correlations = correlation_matrix(agg, &agg.columns, options.method)?;
    Ok(StandardAudit {
        options: options.clone(),
        statistics,
        coinr_statistics,
        ancestors,
        collinear,
        cronbach,
        pca,
        correlations,
    })
}
