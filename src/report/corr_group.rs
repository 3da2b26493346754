//! The full correlation matrix of a group's indicators (COINr's `plot_corr`).

use super::CorrelationHeatmap;
use crate::audit::{CorrelationMatrix, CorrelationMethod, DataView, correlation_matrix};
use crate::error::{Error, Result};
use crate::framework::Framework;

impl CorrelationHeatmap {
    /// The full matrix of correlations between the indicators below `node` (all
    /// of them for the index), in framework order, on `data` (the normalised or
    /// aggregated data set, say).
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a node not in the framework or an indicator
    /// not in `data`; [`Error::DegenerateColumn`] for a node with fewer than two
    /// indicators.
    pub fn of_group<'a>(
        data: impl Into<DataView<'a>>,
        framework: &Framework,
        node: &str,
        method: CorrelationMethod,
    ) -> Result<Self> {
        let m = Self::group_matrix(data, framework, node, method)?;
        let name = framework.index_of(node).map_or(node, |i| framework.name(i));
        Ok(Self::from_matrix(
            format!("Correlations between the indicators of {name}"),
            &m,
        )
        .subtitle(format!(
            "{:?} correlations on pairwise-complete observations, {} indicators in framework order.",
            method,
            m.rows.len()
        )))
    }

    /// The matrix [`CorrelationHeatmap::of_group`] draws.
    ///
    /// # Errors
    /// As [`CorrelationHeatmap::of_group`].
    pub fn group_matrix<'a>(
        data: impl Into<DataView<'a>>,
        framework: &Framework,
        node: &str,
        method: CorrelationMethod,
    ) -> Result<CorrelationMatrix> {
        let i = framework.index_of(node).ok_or_else(|| Error::UnknownCode {
            kind: "node",
            code: node.into(),
            context: "the framework (correlation matrix)".into(),
        })?;
        let codes: Vec<String> = framework
            .indicators()
            .iter()
            .copied()
            .filter(|&k| k == i || framework.ancestors(k).any(|a| a == i))
            .map(|k| framework.code(k).to_owned())
            .collect();
        if codes.len() < 2 {
            return Err(Error::DegenerateColumn {
                indicator: node.into(),
                method: "correlation matrix".into(),
                reason: "it has fewer than two indicators below it".into(),
            });
        }
        correlation_matrix(data, &codes, method)
    }
}
