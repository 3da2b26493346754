//! Denomination: dividing indicators by a size variable (GDP, population, area...).
//!
//! An *extensive* indicator (total exports, number of patents) is made comparable
//! across units of different sizes by dividing it by a denominator column:
//!
//! ```text
//! x'_i = x_i / d_i * s
//! ```
//!
//! where `d_i` is the unit's value of the indicator's denominator and `s` a scale
//! factor (1 by default; e.g. 1e6 for "per million inhabitants"). Indicators
//! without a denominator pass through unchanged.
//!
//! Missing-data policy: a missing `x_i` stays missing. When `d_i` is zero or
//! missing and `x_i` is present, the result is set to missing (never an infinity
//! or NaN from `0/0`) and the unit is recorded, so that the caller can report it.
//!
//! Reference: OECD/JRC (2008), *Handbook on Constructing Composite Indicators:
//! Methodology and User Guide* (scaling extensive variables by size); COINr's
//! `Denominate()`.

use std::collections::BTreeMap;

use nalgebra::DMatrix;

use crate::data::{NumericColumn, col_mut};
use crate::error::{Error, Result};

/// Parameters of the denomination stage (what the user writes).
///
/// ```toml
/// scale = 1.0
/// [denominators]
/// Goods = "GDP"
/// [scale_by]
/// Goods = 1e6
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct DenominateSpec {
    /// Indicator code -> denominator column name. An empty map means "use the
    /// framework's denominators" (COINr's `Denominator` column of `iMeta`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub denominators: BTreeMap<String, String>,
    /// Scale factor `s` applied after division (default 1).
    #[cfg_attr(feature = "serde", serde(default = "default_scale"))]
    pub scale: f64,
    /// Per-indicator scale factors overriding [`scale`](Self::scale).
    #[cfg_attr(feature = "serde", serde(default))]
    pub scale_by: BTreeMap<String, f64>,
}

fn default_scale() -> f64 {
    1.0
}

impl Default for DenominateSpec {
    fn default() -> Self {
        Self {
            denominators: BTreeMap::new(),
            scale: default_scale(),
            scale_by: BTreeMap::new(),
        }
    }
}

impl DenominateSpec {
    /// A specification with the given indicator -> denominator map and scale 1.
    #[must_use]
    pub fn new(denominators: BTreeMap<String, String>) -> Self {
        Self {
            denominators,
            ..Self::default()
        }
    }

    /// Sets the global scale factor.
    #[must_use]
    pub fn with_scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    /// The scale factor that applies to `indicator`: its entry in
    /// [`scale_by`](Self::scale_by), else [`scale`](Self::scale).
    pub fn scale_for(&self, indicator: &str) -> f64 {
        self.scale_by.get(indicator).copied().unwrap_or(self.scale)
    }

    /// The indicator -> denominator map to use: this specification's map, or
    /// `framework` when this one is empty.
    pub fn pairs<'a>(
        &'a self,
        framework: &'a BTreeMap<String, String>,
    ) -> &'a BTreeMap<String, String> {
        if self.denominators.is_empty() {
            framework
        } else {
            &self.denominators
        }
    }

    /// Checks the scale factors: each must be finite and non-zero.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the parameter (`scale` or `scale_by`) and,
    /// for an override, the indicator.
    pub fn validate(&self) -> Result<()> {
        check_scale(self.scale, "scale", None)?;
        for (code, &s) in &self.scale_by {
            check_scale(s, "scale_by", Some(code))?;
        }
        Ok(())
    }
}

fn check_scale(s: f64, parameter: &str, target: Option<&str>) -> Result<()> {
    if !s.is_finite() || s == 0.0 {
        return Err(Error::invalid(
            "denominate",
            parameter,
            target,
            format!("scale factor must be finite and non-zero, got {s}"),
        ));
    }
    Ok(())
}

/// Divides a column by its denominator in place: `x_i <- x_i / d_i * scale`.
///
/// Returns the rows where `x_i` was present but could not be denominated because
/// `d_i` is zero or missing (or the quotient overflowed to an infinity): those
/// entries are set to missing (NaN). Missing `x_i` stay missing and are not
/// reported. Rows of `x` beyond the length of `denom` are treated as having a
/// missing denominator (callers should pass slices of equal length;
/// [`denominate_matrix`] checks it).
pub fn denominate_column(x: &mut [f64], denom: &[f64], scale: f64) -> Vec<usize> {
    let mut bad = Vec::new();
    for (i, xi) in x.iter_mut().enumerate() {
        if xi.is_nan() {
            continue;
        }
        let d = denom.get(i).copied().unwrap_or(f64::NAN);
        let v = *xi / d * scale;
        if d == 0.0 || !v.is_finite() {
            *xi = f64::NAN;
            bad.push(i);
        } else {
            *xi = v;
        }
    }
    bad
}

/// What [`denominate_matrix`] did.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct DenominateReport {
    /// `(indicator, denominator, scale)` for every denominated indicator, in column order.
    pub denominated: Vec<(String, String, f64)>,
    /// `(indicator, rows)`: present values set to missing because the denominator
    /// was zero or missing, per indicator (only indicators with such rows).
    pub lost: Vec<(String, Vec<usize>)>,
}

/// Denominates every indicator that has a denominator, in place.
///
/// `m` is units x indicators with columns named by `indicator_codes`;
/// `denominators` are the available denominator columns (e.g.
/// [`Dataset::denominators`](crate::data::Dataset::denominators)); the
/// indicator -> denominator pairs are `spec.denominators`, or `framework` when
/// that map is empty (see [`DenominateSpec::pairs`]). Each pair is applied with
/// [`denominate_column`] and the scale from [`DenominateSpec::scale_for`].
///
/// # Errors
/// - [`Error::InvalidParameter`] for a bad scale factor ([`DenominateSpec::validate`]);
/// - [`Error::UnknownCode`] (kind `"indicator"`) for a pair naming an indicator
///   that is not a column of `m`, or kind `"denominator column"` for an
///   unavailable denominator, or kind `"indicator"` for a `scale_by` entry naming
///   an unknown indicator;
/// - [`Error::DimensionMismatch`] if `indicator_codes` or a denominator column
///   does not match the shape of `m`.
///
/// On error, `m` is left unchanged.
pub fn denominate_matrix(
    m: &mut DMatrix<f64>,
    indicator_codes: &[String],
    denominators: &[NumericColumn],
    spec: &DenominateSpec,
    framework: &BTreeMap<String, String>,
) -> Result<DenominateReport> {
    spec.validate()?;
    if indicator_codes.len() != m.ncols() {
        return Err(Error::DimensionMismatch {
            what: "indicator codes (one per column)".into(),
            expected: m.ncols(),
            found: indicator_codes.len(),
        });
    }
    let pairs = spec.pairs(framework);
    let context = "the denomination specification";
    for code in spec.scale_by.keys() {
        if !indicator_codes.contains(code) {
            return Err(Error::UnknownCode {
                kind: "indicator",
                code: code.clone(),
                context: context.into(),
            });
        }
    }
    // Resolve every pair before changing anything.
    let mut plan = Vec::with_capacity(pairs.len());
    for (ind, den) in pairs {
        let j = indicator_codes
            .iter()
            .position(|c| c == ind)
            .ok_or_else(|| Error::UnknownCode {
                kind: "indicator",
                code: ind.clone(),
                context: context.into(),
            })?;
        let d = denominators
            .iter()
            .find(|c| &c.name == den)
            .ok_or_else(|| Error::UnknownCode {
                kind: "denominator column",
                code: den.clone(),
                context: format!("the denominator of indicator {ind:?}"),
            })?;
        if d.values.len() != m.nrows() {
            return Err(Error::DimensionMismatch {
                what: format!("length of denominator column {den:?}"),
                expected: m.nrows(),
                found: d.values.len(),
            });
        }
        plan.push((j, ind, den, d.values.as_slice()));
    }
    plan.sort_by_key(|p| p.0);
    let mut report = DenominateReport::default();
    for (j, ind, den, d) in plan {
        let s = spec.scale_for(ind);
        let lost = denominate_column(col_mut(m, j), d, s);
        report.denominated.push((ind.clone(), den.clone(), s));
        if !lost.is_empty() {
            report.lost.push((ind.clone(), lost));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    #[test]
    fn divides_and_scales() {
        let mut x = [10.0, 4.0, NAN];
        let lost = denominate_column(&mut x, &[2.0, 8.0, 1.0], 100.0);
        assert_eq!(&x[..2], &[500.0, 50.0]);
        assert!(x[2].is_nan());
        assert!(lost.is_empty());
    }

    #[test]
    fn zero_or_missing_denominator_gives_missing_and_is_recorded() {
        let mut x = [1.0, 2.0, 3.0, NAN, 0.0];
        let lost = denominate_column(&mut x, &[0.0, NAN, 3.0, 0.0, 0.0], 1.0);
        assert_eq!(lost, vec![0, 1, 4]);
        assert!(x[0].is_nan() && x[1].is_nan() && x[3].is_nan() && x[4].is_nan());
        assert_eq!(x[2], 1.0);
        assert!(x.iter().all(|v| !v.is_infinite()));
    }

    #[test]
    fn short_denominator_counts_as_missing() {
        let mut x = [1.0, 2.0];
        assert_eq!(denominate_column(&mut x, &[1.0], 1.0), vec![1]);
    }

    #[test]
    fn matrix_uses_framework_pairs_and_overrides() {
        let mut m = DMatrix::from_column_slice(2, 2, &[2.0, 4.0, 1.0, 1.0]);
        let codes = vec!["a".to_string(), "b".to_string()];
        let dens = vec![NumericColumn {
            name: "GDP".into(),
            values: vec![2.0, 0.0],
        }];
        let fw: BTreeMap<String, String> = [("a".to_string(), "GDP".to_string())].into();
        let mut spec = DenominateSpec::default().with_scale(10.0);
        spec.scale_by.insert("a".into(), 3.0);
        let r = denominate_matrix(&mut m, &codes, &dens, &spec, &fw).unwrap();
        assert_eq!(m[(0, 0)], 3.0);
        assert!(m[(1, 0)].is_nan());
        assert_eq!(m[(0, 1)], 1.0);
        assert_eq!(r.lost, vec![("a".to_string(), vec![1])]);
        assert_eq!(r.denominated.len(), 1);

        let bad = DenominateSpec::new([("a".to_string(), "POP".to_string())].into());
        let e = denominate_matrix(&mut m, &codes, &dens, &bad, &fw).unwrap_err();
        assert!(matches!(
            e,
            Error::UnknownCode {
                kind: "denominator column",
                ..
            }
        ));
        let e = DenominateSpec::default()
            .with_scale(0.0)
            .validate()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { .. }));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_defaults_and_unknown_fields() {
        let s: DenominateSpec = serde_json::from_str(r#"{"denominators": {"a": "GDP"}}"#).unwrap();
        assert_eq!(s.scale, 1.0);
        assert!(serde_json::from_str::<DenominateSpec>(r#"{"scal": 2}"#).is_err());
    }
}
