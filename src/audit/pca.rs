//! Principal component analysis of a group of columns (METHODS.md section 3).
//!
//! As R's `prcomp(x, scale. = TRUE)` on the complete rows: each of the `k` columns is
//! centred and divided by its standard deviation (denominator `n - 1`) over the
//! rows where every column is present, the correlation matrix
//! `R = Z' Z / (n - 1)` is decomposed (`R = V diag(lambda) V'`, nalgebra's
//! symmetric eigen-decomposition), and the components are sorted by decreasing
//! eigenvalue. Eigenvalues sum to `trace(R) = k`; variance shares are
//! `lambda_c / k`; loadings (the columns of `V`) are unit vectors.
//!
//! Signs of eigenvectors are arbitrary; each component is oriented so that the sum
//! of its loadings is positive (when that sum is zero, so that its largest loading
//! in absolute value is positive). COINr uses the raw first-component loadings as
//! weights; the weights offered here are the squared normalised loadings
//! `w_i = l_i^2 / sum_j l_j^2`, which are non-negative and sum to one (Nicoletti,
//! Scarpetta and Boylaud 2000, as in the OECD/JRC *Handbook* (2008), section 6.1).
//!
//! Rows with any missing value among the `k` columns are dropped and reported.

use nalgebra::{DMatrix, SymmetricEigen};

use super::{DataView, Grouped, codes_of, node_index, per_group};
use crate::error::{Error, Result};
use crate::framework::Framework;

/// A principal component analysis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Pca {
    /// The columns analysed.
    pub codes: Vec<String>,
    /// Eigenvalues of the correlation matrix, decreasing; they sum to `k`.
    pub eigenvalues: Vec<f64>,
    /// `eigenvalue / k` per component.
    pub variance_shares: Vec<f64>,
    /// Cumulative variance shares.
    pub cumulative_shares: Vec<f64>,
    /// Loadings, `k x k`: column `c` is component `c`, a unit vector, oriented so
    /// that its sum is positive.
    pub loadings: DMatrix<f64>,
    /// Weights from the first component: squared normalised loadings, summing to one.
    pub weights: Vec<f64>,
    /// Units of the complete rows used.
    pub units_used: Vec<String>,
    /// Units dropped because a value was missing.
    pub units_dropped: Vec<String>,
}

impl Pca {
    /// Loadings of component `c` (0 = first), `None` if out of range.
    pub fn component(&self, c: usize) -> Option<Vec<f64>> {
        (c < self.loadings.ncols()).then(|| self.loadings.column(c).iter().copied().collect())
    }

    /// Weights from component `c`: `l_i^2 / sum_j l_j^2`; `None` if out of range.
    pub fn weights_from(&self, c: usize) -> Option<Vec<f64>> {
        self.component(c).map(|l| squared_weights(&l))
    }
}

fn squared_weights(l: &[f64]) -> Vec<f64> {
    let s: f64 = l.iter().map(|v| v * v).sum();
    l.iter().map(|v| v * v / s).collect()
}

/// PCA of the named columns of `data`, on the rows where all are present. See the
/// [module docs](self). A single column gives eigenvalue 1, loading 1, weight 1.
///
/// # Errors
/// [`Error::UnknownCode`] for a code absent from `data`; [`Error::InvalidParameter`]
/// for an empty list of codes; [`Error::DegenerateColumn`] for fewer than 2 complete
/// rows, or a column constant on the complete rows (naming it): its range is
/// negligible against its magnitude ([`stats::is_constant`](crate::stats::is_constant),
/// relative tolerance 1e-12).
pub fn pca<'a, S: AsRef<str>>(data: impl Into<DataView<'a>>, codes: &[S]) -> Result<Pca> {
    let data = data.into();
    if codes.is_empty() {
        return Err(Error::invalid(
            "pca",
            "codes",
            None,
            "no columns to analyse",
        ));
    }
    let names: Vec<String> = codes.iter().map(|c| c.as_ref().to_owned()).collect();
    let cols = names
        .iter()
        .map(|c| data.column(c))
        .collect::<Result<Vec<_>>>()?;
    let k = cols.len();
    let (used, dropped): (Vec<usize>, Vec<usize>) =
        (0..data.n_units()).partition(|&r| cols.iter().all(|c| !c[r].is_nan()));
    let n = used.len();
    if n < 2 {
        return Err(Error::degenerate(
            names.join(", "),
            "pca",
            format!("{n} complete row(s); at least 2 are needed"),
        ));
    }
    let mut z = DMatrix::zeros(n, k);
    for (j, c) in cols.iter().enumerate() {
        let mut x: Vec<f64> = used.iter().map(|&r| c[r]).collect();
        if crate::stats::is_constant(&x) {
            return Err(Error::degenerate(
                names[j].clone(),
                "pca",
                format!(
                    "constant on the {n} complete rows (range below {} of the magnitude): zero standard deviation",
                    crate::stats::CONSTANT_RTOL
                ),
            ));
        }
        // Standardised values do not change under an exact power-of-two scale.
        crate::stats::rescale_in_place(&mut x);
        let m = x.iter().sum::<f64>() / n as f64;
        let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
        let sd = (ss / (n - 1) as f64).sqrt();
        if sd == 0.0 || !sd.is_finite() {
            return Err(Error::degenerate(
                names[j].clone(),
                "pca",
                "constant on the complete rows (zero standard deviation)",
            ));
        }
        for (i, v) in x.iter().enumerate() {
            z[(i, j)] = (v - m) / sd;
        }
    }
    let r = (z.transpose() * &z) / (n - 1) as f64;
    let eig = SymmetricEigen::new(r);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let eigenvalues: Vec<f64> = order.iter().map(|&c| eig.eigenvalues[c]).collect();
    let mut loadings = DMatrix::zeros(k, k);
    for (c, &src) in order.iter().enumerate() {
        let v = eig.eigenvectors.column(src);
        let sum: f64 = v.iter().sum();
        let sign = if sum.abs() > 1e-12 * k as f64 {
            sum.signum()
        } else {
            // The largest loading in absolute value (first on ties) made positive.
            let big = v
                .iter()
                .copied()
                .fold(0.0_f64, |acc, x| if x.abs() > acc.abs() { x } else { acc });
            if big < 0.0 { -1.0 } else { 1.0 }
        };
        loadings.set_column(c, &(v * sign));
    }
    let total: f64 = k as f64;
    let variance_shares: Vec<f64> = eigenvalues.iter().map(|l| l / total).collect();
    let cumulative_shares = variance_shares
        .iter()
        .scan(0.0, |acc, s| {
            *acc += s;
            Some(*acc)
        })
        .collect();
    let first: Vec<f64> = loadings.column(0).iter().copied().collect();
    Ok(Pca {
        codes: names,
        eigenvalues,
        variance_shares,
        cumulative_shares,
        weights: squared_weights(&first),
        loadings,
        units_used: used.iter().map(|&r| data.units()[r].clone()).collect(),
        units_dropped: dropped.iter().map(|&r| data.units()[r].clone()).collect(),
    })
}

/// PCA of the children of `node`.
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown node or a child absent from `data` (use the
/// aggregated data set for groups of aggregates); [`Error::DegenerateColumn`] for an
/// indicator (no children) and as [`pca()`].
pub fn group_pca<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    node: &str,
) -> Result<Pca> {
    let i = node_index(framework, node, "group_pca")?;
    let children = framework.children(i);
    if children.is_empty() {
        return Err(Error::degenerate(
            node,
            "pca",
            "an indicator has no children",
        ));
    }
    pca(data, &codes_of(framework, children))
}

/// PCA of the children of every node at `level` (an aggregate level); a group that
/// cannot be analysed is [`Outcome::Skipped`](super::Outcome::Skipped) with the reason.
///
/// # Errors
/// [`Error::InvalidParameter`] if `level` is not an aggregate level.
pub fn pca_by_level<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
    level: u32,
) -> Result<Vec<Grouped<Pca>>> {
    let data = data.into();
    per_group(framework, level, "pca_by_level", |node| {
        group_pca(data, framework, node)
    })
}
