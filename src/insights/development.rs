//! Performance relative to development: the GII's "innovation overperformers".
//!
//! The GII plots each economy's score against its GDP per capita (PPP$, on a
//! log scale) with a fitted trend, and calls the economies above the trend
//! "performing above expectations for their level of development" (WIPO, GII
//! reports since 2012, section "innovation overperformers relative to
//! economic development"). This module fits that trend for any index and any
//! covariate.
//!
//! # Model
//!
//! With `t_i = f(c_i)` the transformed covariate ([`CovariateTransform`]:
//! natural log by default) and `y_i` the unit's score, the expected score is
//! the least-squares polynomial of degree `d` (default 1, a straight line):
//!
//! `E(y | t) = b_0 + b_1 t + ... + b_d t^d`, minimising `sum_i (y_i - E(y | t_i))^2`
//!
//! over the units with a score and a usable covariate (finite, and positive for
//! a log). Each such unit gets its expected score, its residual
//! `r_i = y_i - E(y | t_i)` and a [`Performance`]: above expectation when
//! `r_i > band_i`, below when `r_i < -band_i`, as expected otherwise, with
//! `band_i` the absolute margin plus the relative margin times `|E(y | t_i)|`
//! (both 0 by default: above means above the trend). The fit reports its
//! coefficients, `R^2 = 1 - SSR/SST` and the residual standard deviation
//! `sqrt(SSR/(n - d - 1))`.
//!
//! The coefficients are computed by a singular value decomposition of the
//! design matrix (nalgebra), which stays accurate for the low degrees used here.
//! WIPO does not state the degree of its trend line in the 2024-2025 reports;
//! the degree is therefore a parameter.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::results::Results;

use super::node_scores;

/// How the covariate enters the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum CovariateTransform {
    /// As is.
    Identity,
    /// Natural logarithm (units with a covariate `<= 0` are left out of the fit).
    #[default]
    Ln,
    /// Base-10 logarithm (same restriction).
    Log10,
}

impl CovariateTransform {
    /// The transformed value, `None` when undefined (missing, infinite, or `<= 0` for a log).
    pub fn apply(self, c: f64) -> Option<f64> {
        if !c.is_finite() {
            return None;
        }
        match self {
            Self::Identity => Some(c),
            Self::Ln => (c > 0.0).then(|| c.ln()),
            Self::Log10 => (c > 0.0).then(|| c.log10()),
        }
    }
}

/// Options of the fit; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DevelopmentOptions {
    /// Transform of the covariate (default natural log).
    pub transform: CovariateTransform,
    /// Degree of the polynomial (default 1: a straight line).
    pub degree: usize,
    /// Absolute margin (score points) of the "as expected" band (default 0).
    pub margin: f64,
    /// Relative margin of the band, as a share of the expected score (default 0;
    /// 0.1 means 10% above the expected score).
    pub relative_margin: f64,
}

impl Default for DevelopmentOptions {
    fn default() -> Self {
        Self {
            transform: CovariateTransform::Ln,
            degree: 1,
            margin: 0.0,
            relative_margin: 0.0,
        }
    }
}

impl DevelopmentOptions {
    /// Sets the polynomial degree.
    #[must_use]
    pub fn with_degree(mut self, degree: usize) -> Self {
        self.degree = degree;
        self
    }

    /// Sets the covariate transform.
    #[must_use]
    pub fn with_transform(mut self, transform: CovariateTransform) -> Self {
        self.transform = transform;
        self
    }

    /// Sets the absolute and relative margins of the "as expected" band.
    #[must_use]
    pub fn with_margins(mut self, absolute: f64, relative: f64) -> Self {
        self.margin = absolute;
        self.relative_margin = relative;
        self
    }
}

/// How a unit performs relative to the fitted trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Performance {
    /// Residual above the band: performs above expectation ("overperformer").
    Above,
    /// Residual within the band.
    AsExpected,
    /// Residual below the band.
    Below,
}

/// One unit's position relative to the trend.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitPerformance {
    /// Unit code.
    pub unit: String,
    /// The covariate as given (NaN when missing).
    pub covariate: f64,
    /// The score (NaN when missing).
    pub score: f64,
    /// Expected score `E(y | t)`; `None` when the unit could not enter the fit.
    pub expected: Option<f64>,
    /// Residual `score - expected`.
    pub residual: Option<f64>,
    /// Above, as expected or below.
    pub performance: Option<Performance>,
}

/// The fitted trend and every unit's position; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DevelopmentFit {
    /// The options used.
    pub options: DevelopmentOptions,
    /// Coefficients `b_0 ... b_d` of the polynomial in the transformed covariate.
    pub coefficients: Vec<f64>,
    /// Coefficient of determination `1 - SSR/SST` (NaN when SST = 0).
    pub r_squared: f64,
    /// Residual standard deviation `sqrt(SSR/(n - d - 1))` (NaN when `n = d + 1`).
    pub residual_sd: f64,
    /// Number of units in the fit.
    pub n_used: usize,
    /// Every unit, in input order.
    pub units: Vec<UnitPerformance>,
}

impl DevelopmentFit {
    /// Expected score at a covariate value (before the transform); `None` where
    /// the transform is undefined.
    pub fn expected_at(&self, covariate: f64) -> Option<f64> {
        let t = self.options.transform.apply(covariate)?;
        Some(poly(&self.coefficients, t))
    }

    /// Intercept `b_0`.
    pub fn intercept(&self) -> f64 {
        self.coefficients.first().copied().unwrap_or(f64::NAN)
    }

    /// Slope `b_1` (NaN for degree 0).
    pub fn slope(&self) -> f64 {
        self.coefficients.get(1).copied().unwrap_or(f64::NAN)
    }

    /// The unit of a code.
    pub fn unit(&self, code: &str) -> Option<&UnitPerformance> {
        self.units.iter().find(|u| u.unit == code)
    }

    /// Units performing above expectation, by decreasing residual.
    pub fn overperformers(&self) -> Vec<&UnitPerformance> {
        let mut v: Vec<&UnitPerformance> = self
            .units
            .iter()
            .filter(|u| u.performance == Some(Performance::Above))
            .collect();
        v.sort_by(|a, b| {
            b.residual
                .unwrap_or(f64::NAN)
                .total_cmp(&a.residual.unwrap_or(f64::NAN))
        });
        v
    }
}

fn poly(b: &[f64], t: f64) -> f64 {
    b.iter().rev().fold(0.0, |acc, &c| acc * t + c)
}

/// Fits scores against a covariate; see the [module docs](self).
///
/// `units`, `scores` and `covariate` are aligned (one entry per unit; NaN = missing).
///
/// # Errors
/// [`Error::DimensionMismatch`] for slices of different lengths;
/// [`Error::InvalidParameter`] for negative or non-finite margins;
/// [`Error::DegenerateColumn`] (naming `covariate_name`) when fewer than
/// `degree + 2` units can enter the fit or their covariate values do not
/// determine the polynomial (too few distinct values).
pub fn fit_development(
    units: &[String],
    scores: &[f64],
    covariate: &[f64],
    covariate_name: &str,
    options: &DevelopmentOptions,
) -> Result<DevelopmentFit> {
    for (what, len) in [("scores", scores.len()), ("covariate", covariate.len())] {
        if len != units.len() {
            return Err(Error::DimensionMismatch {
                what: format!("{what} (one per unit) in the development fit"),
                expected: units.len(),
                found: len,
            });
        }
    }
    for (name, m) in [
        ("margin", options.margin),
        ("relative_margin", options.relative_margin),
    ] {
        if !(m.is_finite() && m >= 0.0) {
            return Err(Error::invalid(
                "development fit",
                name,
                None,
                format!("must be finite and non-negative, got {m}"),
            ));
        }
    }
    let p = options.degree + 1;
    let used: Vec<(usize, f64)> = (0..units.len())
        .filter(|&i| !scores[i].is_nan())
        .filter_map(|i| options.transform.apply(covariate[i]).map(|t| (i, t)))
        .collect();
    let n = used.len();
    if n < p + 1 {
        return Err(Error::degenerate(
            covariate_name,
            "development fit",
            format!(
                "{n} unit(s) have both a score and a usable covariate; a polynomial of degree {} needs at least {}",
                options.degree,
                p + 1
            ),
        ));
    }
    let x = DMatrix::from_fn(n, p, |r, k| used[r].1.powi(k as i32));
    let y = DVector::from_iterator(n, used.iter().map(|&(i, _)| scores[i]));
    let svd = x.clone().svd(true, true);
    let smax = svd.singular_values.max();
    let tol = smax * 1e-12 * n as f64;
    if svd.rank(tol) < p {
        return Err(Error::degenerate(
            covariate_name,
            "development fit",
            format!(
                "the covariate takes too few distinct values to fit a polynomial of degree {}",
                options.degree
            ),
        ));
    }
    let b = svd
        .solve(&y, tol)
        .map_err(|m| Error::degenerate(covariate_name, "development fit", m.to_string()))?;
    let coefficients: Vec<f64> = b.iter().copied().collect();
    let fitted = &x * &b;
    let mean = y.mean();
    let ssr: f64 = y
        .iter()
        .zip(fitted.iter())
        .map(|(a, f)| (a - f).powi(2))
        .sum();
    let sst: f64 = y.iter().map(|a| (a - mean).powi(2)).sum();
    let mut out: Vec<UnitPerformance> = units
        .iter()
        .zip(scores)
        .zip(covariate)
        .map(|((u, &s), &c)| UnitPerformance {
            unit: u.clone(),
            covariate: c,
            score: s,
            expected: None,
            residual: None,
            performance: None,
        })
        .collect();
    for (r, &(i, _)) in used.iter().enumerate() {
        let e = fitted[r];
        let res = scores[i] - e;
        let band = options.margin + options.relative_margin * e.abs();
        out[i].expected = Some(e);
        out[i].residual = Some(res);
        out[i].performance = Some(if res > band {
            Performance::Above
        } else if res < -band {
            Performance::Below
        } else {
            Performance::AsExpected
        });
    }
    Ok(DevelopmentFit {
        options: *options,
        coefficients,
        r_squared: if sst > 0.0 { 1.0 - ssr / sst } else { f64::NAN },
        residual_sd: if n > p {
            (ssr / (n - p) as f64).sqrt()
        } else {
            f64::NAN
        },
        n_used: n,
        units: out,
    })
}

/// Fits one node's scores against a numeric column of the input data set (a
/// denominator column such as GDP per capita, or an indicator column). Units
/// are those of the results.
///
/// # Errors
/// [`Error::UnknownCode`] for a node not in the final data set or a column not
/// in `data`; the errors of [`fit_development`].
pub fn relative_to_development(
    results: &Results,
    data: &Dataset,
    node: &str,
    covariate_column: &str,
    options: &DevelopmentOptions,
) -> Result<DevelopmentFit> {
    let scores = node_scores(results, node, "development fit")?;
    let cov = data
        .denominator(covariate_column)
        .or_else(|| data.indicator(covariate_column))
        .ok_or_else(|| Error::UnknownCode {
            kind: "numeric column",
            code: covariate_column.into(),
            context: "the data set (development fit covariate)".into(),
        })?;
    let c: Vec<f64> = results
        .last()
        .units
        .iter()
        .map(|&r| cov.get(r).copied().unwrap_or(f64::NAN))
        .collect();
    fit_development(results.unit_codes(), scores, &c, covariate_column, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratic_recovered_and_errors() {
        let units: Vec<String> = (0..6).map(|i| format!("u{i}")).collect();
        let c = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let y: Vec<f64> = c.iter().map(|t| 1.0 - 2.0 * t + 0.5 * t * t).collect();
        let o = DevelopmentOptions::default()
            .with_transform(CovariateTransform::Identity)
            .with_degree(2);
        let f = fit_development(&units, &y, &c, "c", &o).unwrap();
        for (a, b) in f.coefficients.iter().zip([1.0, -2.0, 0.5]) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        assert!((f.r_squared - 1.0).abs() < 1e-12);
        assert!((f.expected_at(10.0).unwrap() - 31.0).abs() < 1e-8);
        // Too few units, constant covariate, bad margin.
        assert!(fit_development(&units[..3], &y[..3], &c[..3], "c", &o).is_err());
        let flat = [2.0; 6];
        let lin = DevelopmentOptions::default().with_transform(CovariateTransform::Identity);
        assert!(matches!(
            fit_development(&units, &y, &flat, "c", &lin),
            Err(Error::DegenerateColumn { .. })
        ));
        assert!(fit_development(&units, &y, &c, "c", &lin.with_margins(-1.0, 0.0)).is_err());
        // Non-positive covariates are left out under a log.
        let mut c2 = c;
        c2[0] = 0.0;
        let f = fit_development(&units, &y, &c2, "c", &DevelopmentOptions::default()).unwrap();
        assert_eq!(f.n_used, 5);
        assert_eq!(f.units[0].expected, None);
    }
}
