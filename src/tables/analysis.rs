//! Tables of the audit and of the uncertainty and sensitivity analyses.

use super::{Cell, Table};
use crate::audit::{
    AncestorCorrelation, COINR_STATS_COLUMNS, CoinrFlag, CoinrStats, CollinearPair,
    CorrelationMatrix, CronbachAlpha, Grouped, IndicatorStats, Outcome, Pca,
};
use crate::data::Dataset;
use crate::uncertainty::{SensitivityResults, UncertaintyResults};

/// The indicator statistics table in the crate's columns (`code, n_units,
/// n_present, availability, min, max, mean, median, sd, skewness, kurtosis,
/// share_zeros, n_unique, outlier_flag, low_availability, many_zeros`).
pub fn statistics(stats: &[IndicatorStats]) -> Table {
    let mut t = Table::new(
        "statistics",
        [
            "code",
            "n_units",
            "n_present",
            "availability",
            "min",
            "max",
            "mean",
            "median",
            "sd",
            "skewness",
            "kurtosis",
            "share_zeros",
            "n_unique",
            "outlier_flag",
            "low_availability",
            "many_zeros",
        ],
    )
    .describe("Indicator statistics and flags (skewness and kurtosis are Excel's estimators).");
    for s in stats {
        t.push(vec![
            Cell::text(s.code.clone()),
            Cell::count(s.n_units),
            Cell::count(s.n_present),
            Cell::num(s.availability),
            Cell::opt(s.min),
            Cell::opt(s.max),
            Cell::opt(s.mean),
            Cell::opt(s.median),
            Cell::opt(s.sd),
            Cell::opt(s.skewness),
            Cell::opt(s.kurtosis),
            Cell::opt(s.share_zeros),
            Cell::count(s.n_unique),
            Cell::Bool(s.outlier_flag),
            Cell::Bool(s.low_availability),
            Cell::Bool(s.many_zeros),
        ]);
    }
    t
}

/// How COINr's flags are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FlagStyle {
    /// COINr's words: `ok`, `LOW`, `OUT`.
    #[default]
    Coinr,
    /// Flags: true when raised (`LOW` or `OUT`).
    Logical,
}

/// The indicator statistics table in COINr's columns
/// ([`COINR_STATS_COLUMNS`]: `iCode, Min, ..., N.Same, ..., Flag.SkewKurt`), flags
/// written as `style` says.
pub fn coinr_statistics(stats: &[CoinrStats], style: FlagStyle) -> Table {
    let mut t = Table::new("statistics", COINR_STATS_COLUMNS)
        .describe("Indicator statistics in COINr's columns (get_stats), at full precision.");
    let flag = |f: Option<CoinrFlag>| match (f, style) {
        (None, _) => Cell::Empty,
        (Some(f), FlagStyle::Coinr) => Cell::text(f.as_str()),
        (Some(f), FlagStyle::Logical) => Cell::Bool(f.is_raised()),
    };
    for s in stats {
        t.push(vec![
            Cell::text(s.code.clone()),
            Cell::opt(s.min),
            Cell::opt(s.max),
            Cell::opt(s.mean),
            Cell::opt(s.median),
            Cell::opt(s.std),
            Cell::opt(s.skew),
            Cell::opt(s.kurt),
            Cell::count(s.n_avail),
            Cell::count(s.n_nonzero),
            Cell::count(s.n_unique),
            s.n_same.map_or(Cell::Empty, Cell::count),
            Cell::opt(s.frc_avail),
            Cell::opt(s.frc_nonzero),
            Cell::opt(s.frc_unique),
            Cell::opt(s.frc_same),
            flag(Some(s.flag_avail)),
            flag(Some(s.flag_nonzero)),
            flag(Some(s.flag_unique)),
            flag(s.flag_skew_kurt),
        ]);
    }
    t
}

/// Correlations of nodes with their ancestors (`code, level, ancestor,
/// ancestor_level, is_parent, r, p_value, n, weak`).
pub fn ancestor_correlations(rows: &[AncestorCorrelation]) -> Table {
    let mut t = Table::new(
        "correlations",
        [
            "code",
            "level",
            "ancestor",
            "ancestor_level",
            "is_parent",
            "r",
            "p_value",
            "n",
            "weak",
        ],
    )
    .describe("Correlation of every node with its parent and further ancestors; weak: below the threshold.");
    for a in rows {
        t.push(vec![
            Cell::text(a.code.clone()),
            Cell::count(a.level as usize),
            Cell::text(a.ancestor.clone()),
            Cell::count(a.ancestor_level as usize),
            Cell::Bool(a.is_parent),
            Cell::opt(a.correlation.r),
            Cell::opt(a.correlation.p_value),
            Cell::count(a.correlation.n),
            Cell::Bool(a.weak),
        ]);
    }
    t
}

/// Siblings correlated above the collinearity threshold (`a, b, parent, r, n`).
pub fn collinear_pairs(pairs: &[CollinearPair]) -> Table {
    let mut t = Table::new("collinear_pairs", ["a", "b", "parent", "r", "n"])
        .describe(
            "Siblings correlated above the collinearity threshold (possible double counting).",
        )
        .keys(3);
    for p in pairs {
        t.push(vec![
            Cell::text(p.a.clone()),
            Cell::text(p.b.clone()),
            Cell::text(p.parent.clone()),
            Cell::opt(p.correlation.r),
            Cell::count(p.correlation.n),
        ]);
    }
    t
}

/// A full correlation matrix: `code`, then one column per column of the matrix
/// (empty where a coefficient is undefined).
pub fn correlation_matrix(m: &CorrelationMatrix) -> Table {
    let mut t = Table::new(
        "correlation_matrix",
        std::iter::once("code".to_owned()).chain(m.columns.iter().cloned()),
    )
    .describe(format!(
        "{:?} correlations between every pair of columns of the aggregated data set (pairwise-complete observations).",
        m.method
    ));
    for (i, code) in m.rows.iter().enumerate() {
        let mut row = vec![Cell::text(code.clone())];
        row.extend((0..m.columns.len()).map(|j| Cell::num(m.r[(i, j)])));
        t.push(row);
    }
    t
}

/// Cronbach's alpha of every group (`node, level, k, alpha, n_complete,
/// min_pairs, skipped`).
pub fn cronbach(groups: &[Grouped<CronbachAlpha>]) -> Table {
    let mut t = Table::new(
        "cronbach",
        [
            "node",
            "level",
            "k",
            "alpha",
            "n_complete",
            "min_pairs",
            "skipped",
        ],
    )
    .describe("Cronbach's alpha of the children of every aggregate.");
    for g in groups {
        let mut row = vec![Cell::text(g.node.clone()), Cell::count(g.level as usize)];
        match &g.outcome {
            Outcome::Computed(a) => row.extend([
                Cell::count(a.k),
                Cell::num(a.alpha),
                Cell::count(a.n_complete),
                Cell::count(a.min_pairs),
                Cell::Empty,
            ]),
            Outcome::Skipped { reason } => row.extend([
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(reason.clone()),
            ]),
        }
        t.push(row);
    }
    t
}

/// Principal components of every group, one row per component (`node, level,
/// component, eigenvalue, variance_share, cumulative_share, units_used,
/// skipped`).
pub fn pca(groups: &[Grouped<Pca>]) -> Table {
    let mut t = Table::new(
        "pca",
        [
            "node",
            "level",
            "component",
            "eigenvalue",
            "variance_share",
            "cumulative_share",
            "units_used",
            "skipped",
        ],
    )
    .describe(
        "Principal components of the children of every aggregate (complete rows, standardised).",
    );
    for g in groups {
        match &g.outcome {
            Outcome::Computed(p) => {
                for (c, ev) in p.eigenvalues.iter().enumerate() {
                    t.push(vec![
                        Cell::text(g.node.clone()),
                        Cell::count(g.level as usize),
                        Cell::count(c + 1),
                        Cell::num(*ev),
                        Cell::num(p.variance_shares[c]),
                        Cell::num(p.cumulative_shares[c]),
                        Cell::count(p.units_used.len()),
                        Cell::Empty,
                    ]);
                }
            }
            Outcome::Skipped { reason } => t.push(vec![
                Cell::text(g.node.clone()),
                Cell::count(g.level as usize),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(reason.clone()),
            ]),
        }
    }
    t
}

/// Loadings of the first principal component and the weights made from them
/// (`node, code, loading_pc1, weight_pc1`).
pub fn pca_loadings(groups: &[Grouped<Pca>]) -> Table {
    let mut t = Table::new(
        "pca_loadings",
        ["node", "code", "loading_pc1", "weight_pc1"],
    )
    .describe(
        "Loadings of the first principal component of every group, and the weights made from them.",
    )
    .keys(2);
    for g in groups {
        if let Outcome::Computed(p) = &g.outcome {
            let first = p.component(0).unwrap_or_default();
            for (k, code) in p.codes.iter().enumerate() {
                t.push(vec![
                    Cell::text(g.node.clone()),
                    Cell::text(code.clone()),
                    first.get(k).map_or(Cell::Empty, |&v| Cell::num(v)),
                    p.weights.get(k).map_or(Cell::Empty, |&v| Cell::num(v)),
                ]);
            }
        }
    }
    t
}

/// Rank and score intervals of an uncertainty analysis, one row per node and
/// unit in order of the nominal rank; unit names from `data`.
pub fn rank_intervals(ua: &UncertaintyResults, data: &Dataset) -> Table {
    let within = format!("share_within_{}", ua.within);
    let mut t = Table::new(
        "rank_intervals",
        [
            "node",
            "uCode",
            "uName",
            "nominal_rank",
            "median_rank",
            "q05_rank",
            "q95_rank",
            "mean_rank",
            within.as_str(),
            "nominal_score",
            "median_score",
            "q05_score",
            "q95_score",
            "mean_score",
            "runs",
        ],
    )
    .describe("Uncertainty analysis: nominal, median, mean and 5th-95th percentile ranks and scores of every unit over the runs.")
    .keys(3);
    let names = data.unit_names();
    for n in &ua.nodes {
        let mut units: Vec<_> = n.units.iter().collect();
        units.sort_by_key(|s| s.nominal_rank.unwrap_or(u32::MAX));
        for s in units {
            let name = data
                .unit_index(&s.unit)
                .and_then(|i| names.get(i))
                .cloned()
                .unwrap_or_else(|| s.unit.clone());
            t.push(vec![
                Cell::text(n.node.clone()),
                Cell::text(s.unit.clone()),
                Cell::text(name),
                Cell::rank(s.nominal_rank),
                Cell::num(s.median_rank),
                Cell::num(s.q05_rank),
                Cell::num(s.q95_rank),
                Cell::num(s.mean_rank),
                Cell::num(s.share_within),
                Cell::num(s.nominal_score),
                Cell::num(s.median_score),
                Cell::num(s.q05_score),
                Cell::num(s.q95_score),
                Cell::num(s.mean_score),
                Cell::count(s.runs),
            ]);
        }
    }
    t
}

/// The failed runs of an uncertainty analysis (`run, reason`).
pub fn failed_runs(ua: &UncertaintyResults) -> Table {
    let mut t = Table::new("failed_runs", ["run", "reason"])
        .describe("Monte Carlo runs that failed, with the reason.");
    for r in &ua.failed {
        t.push(vec![Cell::count(r.run), Cell::text(r.reason.clone())]);
    }
    t
}

/// First-order and total Sobol indices of the mean absolute rank shift, with
/// their bootstrap intervals (`input, S, S_low, S_high, ST, ST_low, ST_high`).
pub fn sobol(sa: &SensitivityResults) -> Table {
    let mut t = Table::new(
        "sobol",
        ["input", "S", "S_low", "S_high", "ST", "ST_low", "ST_high"],
    )
    .describe(format!(
        "Sensitivity analysis: Sobol indices of the mean absolute shift of the ranks of {} ({} runs).",
        sa.target, sa.runs
    ));
    for i in &sa.mean_rank_shift.indices {
        t.push(vec![
            Cell::text(i.input.clone()),
            Cell::num(i.first),
            Cell::num(i.first_interval.0),
            Cell::num(i.first_interval.1),
            Cell::num(i.total),
            Cell::num(i.total_interval.0),
            Cell::num(i.total_interval.1),
        ]);
    }
    t
}
