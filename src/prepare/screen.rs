//! Screening of units by data availability and by zeros.
//!
//! A unit (row) is kept when
//!
//! - *missing data*: its share of non-missing indicators is at least `dat_thresh`
//!   (COINr default 2/3): `#{j : x_ij present} / p >= dat_thresh`;
//! - *zeros*: among its non-missing values, the share of non-zero ones is at least
//!   `nonzero_thresh` (default 0.05); a unit with no non-missing value fails;
//! - *both*: both rules hold.
//!
//! Units in `force_include` are kept whatever their data; units in
//! `force_exclude` are removed whatever their data. Every removed unit is reported
//! with the reason and the share that failed.
//!
//! Reference: COINr 1.1.14's `Screen()` (same rules and defaults).

use nalgebra::DMatrix;

use crate::error::{Error, Result};

/// The screening rule (closed set; serde tag `by`).
///
/// ```toml
/// by = "both"
/// dat_thresh = 0.66
/// nonzero_thresh = 0.05
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum ScreenBy {
    /// Keep a unit when its share of non-missing values is at least `dat_thresh`.
    MissingData {
        /// Minimum share of non-missing indicators, in [0, 1]; default 2/3.
        #[cfg_attr(feature = "serde", serde(default = "default_dat_thresh"))]
        dat_thresh: f64,
    },
    /// Keep a unit when its share of non-zero values (among non-missing) is at
    /// least `nonzero_thresh`.
    Zeros {
        /// Minimum share of non-zero values, in [0, 1]; default 0.05.
        #[cfg_attr(feature = "serde", serde(default = "default_nonzero_thresh"))]
        nonzero_thresh: f64,
    },
    /// Both rules.
    Both {
        /// Minimum share of non-missing indicators; default 2/3.
        #[cfg_attr(feature = "serde", serde(default = "default_dat_thresh"))]
        dat_thresh: f64,
        /// Minimum share of non-zero values; default 0.05.
        #[cfg_attr(feature = "serde", serde(default = "default_nonzero_thresh"))]
        nonzero_thresh: f64,
    },
}

fn default_dat_thresh() -> f64 {
    2.0 / 3.0
}

#[cfg_attr(not(feature = "serde"), allow(dead_code))]
fn default_nonzero_thresh() -> f64 {
    0.05
}

impl Default for ScreenBy {
    fn default() -> Self {
        Self::MissingData {
            dat_thresh: default_dat_thresh(),
        }
    }
}

impl ScreenBy {
    /// The thresholds `(dat_thresh, nonzero_thresh)` the rule uses (`None` for a rule not applied).
    pub fn thresholds(&self) -> (Option<f64>, Option<f64>) {
        match *self {
            Self::MissingData { dat_thresh } => (Some(dat_thresh), None),
            Self::Zeros { nonzero_thresh } => (None, Some(nonzero_thresh)),
            Self::Both {
                dat_thresh,
                nonzero_thresh,
            } => (Some(dat_thresh), Some(nonzero_thresh)),
        }
    }
}

/// Parameters of unit screening.
///
/// ```toml
/// force_exclude = ["BGR"]
/// [by]
/// by = "missing_data"
/// dat_thresh = 0.9
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct ScreenSpec {
    /// The rule; default missing data with `dat_thresh = 2/3`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub by: ScreenBy,
    /// Unit codes kept whatever their data.
    #[cfg_attr(feature = "serde", serde(default))]
    pub force_include: Vec<String>,
    /// Unit codes removed whatever their data.
    #[cfg_attr(feature = "serde", serde(default))]
    pub force_exclude: Vec<String>,
}

impl ScreenSpec {
    /// A specification with the given rule and no forced units.
    #[must_use]
    pub fn new(by: ScreenBy) -> Self {
        Self {
            by,
            ..Self::default()
        }
    }

    /// Sets the forced inclusions.
    #[must_use]
    pub fn with_force_include(mut self, codes: Vec<String>) -> Self {
        self.force_include = codes;
        self
    }

    /// Sets the forced exclusions.
    #[must_use]
    pub fn with_force_exclude(mut self, codes: Vec<String>) -> Self {
        self.force_exclude = codes;
        self
    }

    /// Checks thresholds and force lists (without the data).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a threshold outside [0, 1] (or NaN) and for
    /// a unit code listed in both `force_include` and `force_exclude`.
    pub fn validate(&self) -> Result<()> {
        let (dat, nz) = self.by.thresholds();
        for (name, t) in [("dat_thresh", dat), ("nonzero_thresh", nz)] {
            if let Some(t) = t
                && !(0.0..=1.0).contains(&t)
            {
                return Err(Error::invalid(
                    "screen",
                    name,
                    None,
                    format!("threshold must be in [0, 1], got {t}"),
                ));
            }
        }
        if let Some(c) = self
            .force_include
            .iter()
            .find(|c| self.force_exclude.contains(c))
        {
            return Err(Error::invalid(
                "screen",
                "force_include",
                Some(c),
                "unit is listed in both force_include and force_exclude",
            ));
        }
        Ok(())
    }
}

/// Why a unit was removed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "reason", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum ScreenReason {
    /// Its share of non-missing values is below `dat_thresh`.
    MissingData {
        /// The unit's share of non-missing values.
        share: f64,
    },
    /// Its share of non-zero values among non-missing ones is below `nonzero_thresh`.
    Zeros {
        /// The unit's share of non-zero values (0 when it has no non-missing value).
        share: f64,
    },
    /// It is listed in `force_exclude`.
    ForcedExclude {},
}

/// A unit removed by screening.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RemovedUnit {
    /// Its row in the screened matrix.
    pub row: usize,
    /// Its unit code.
    pub code: String,
    /// Why it was removed (the missing-data rule is checked before the zeros rule).
    pub reason: ScreenReason,
}

/// Result of [`screen_units`].
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ScreenReport {
    /// Rows kept, in increasing order.
    pub kept: Vec<usize>,
    /// Units removed, in row order.
    pub removed: Vec<RemovedUnit>,
    /// Rows kept only because they are in `force_include` (they fail the rule).
    pub forced_in: Vec<usize>,
}

impl ScreenReport {
    /// The kept rows of `m` (e.g. the data matrix that was screened).
    pub fn select(&self, m: &DMatrix<f64>) -> DMatrix<f64> {
        let rows: Vec<usize> = self
            .kept
            .iter()
            .copied()
            .filter(|&i| i < m.nrows())
            .collect();
        m.select_rows(&rows)
    }
}

/// Screens the units (rows) of `m` following `spec`; see the [module docs](self).
///
/// # Errors
/// - [`Error::InvalidParameter`] from [`ScreenSpec::validate`];
/// - [`Error::UnknownCode`] (kind `"unit"`) for a code in a force list that is
///   not in `unit_codes`;
/// - [`Error::DimensionMismatch`] when `unit_codes` does not have one code per row.
pub fn screen_units(
    m: &DMatrix<f64>,
    unit_codes: &[String],
    spec: &ScreenSpec,
) -> Result<ScreenReport> {
    spec.validate()?;
    let (n, p) = m.shape();
    if unit_codes.len() != n {
        return Err(Error::DimensionMismatch {
            what: "unit codes (one per row)".into(),
            expected: n,
            found: unit_codes.len(),
        });
    }
    let mut forced = vec![0i8; n];
    for (list, mark, name) in [
        (&spec.force_include, 1i8, "force_include"),
        (&spec.force_exclude, -1i8, "force_exclude"),
    ] {
        for c in list {
            let i = unit_codes
                .iter()
                .position(|u| u == c)
                .ok_or_else(|| Error::UnknownCode {
                    kind: "unit",
                    code: c.clone(),
                    context: format!("the screening {name} list"),
                })?;
            forced[i] = mark;
        }
    }
    let (dat, nz) = spec.by.thresholds();
    // Counts per row, accumulated column by column (contiguous in memory).
    let mut present_counts = vec![0usize; n];
    let mut nonzero_counts = vec![0usize; n];
    for j in 0..p {
        for (i, &v) in crate::data::col(m, j).iter().enumerate() {
            if !v.is_nan() {
                present_counts[i] += 1;
                if v != 0.0 {
                    nonzero_counts[i] += 1;
                }
            }
        }
    }
    let mut report = ScreenReport::default();
    for (i, &force) in forced.iter().enumerate() {
        if force < 0 {
            report.removed.push(RemovedUnit {
                row: i,
                code: unit_codes[i].clone(),
                reason: ScreenReason::ForcedExclude {},
            });
            continue;
        }
        let (present, nonzero) = (present_counts[i], nonzero_counts[i]);
        let mut failure = None;
        if let Some(t) = dat {
            let share = if p == 0 {
                0.0
            } else {
                present as f64 / p as f64
            };
            if share < t {
                failure = Some(ScreenReason::MissingData { share });
            }
        }
        if failure.is_none()
            && let Some(t) = nz
        {
            let share = if present == 0 {
                0.0
            } else {
                nonzero as f64 / present as f64
            };
            if share < t || present == 0 {
                failure = Some(ScreenReason::Zeros { share });
            }
        }
        match failure {
            None => report.kept.push(i),
            Some(_) if force > 0 => {
                report.kept.push(i);
                report.forced_in.push(i);
            }
            Some(reason) => report.removed.push(RemovedUnit {
                row: i,
                code: unit_codes[i].clone(),
                reason,
            }),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn data() -> (DMatrix<f64>, Vec<String>) {
        let m = DMatrix::from_row_slice(
            4,
            3,
            &[
                1.0, 2.0, 3.0, // A: complete
                1.0, NAN, NAN, // B: 1/3 present
                0.0, 0.0, NAN, // C: 2/3 present, all zeros
                NAN, NAN, NAN, // D: nothing
            ],
        );
        (m, codes(&["A", "B", "C", "D"]))
    }

    #[test]
    fn by_missing_data() {
        let (m, u) = data();
        let r = screen_units(&m, &u, &ScreenSpec::default()).unwrap();
        assert_eq!(r.kept, vec![0, 2]);
        assert_eq!(r.removed.len(), 2);
        assert_eq!(r.removed[0].code, "B");
        assert_eq!(
            r.removed[0].reason,
            ScreenReason::MissingData { share: 1.0 / 3.0 }
        );
        assert_eq!(
            r.removed[1].reason,
            ScreenReason::MissingData { share: 0.0 }
        );
        assert_eq!(r.select(&m).nrows(), 2);
    }

    #[test]
    fn by_zeros_and_both() {
        let (m, u) = data();
        let spec = ScreenSpec::new(ScreenBy::Zeros {
            nonzero_thresh: 0.05,
        });
        let r = screen_units(&m, &u, &spec).unwrap();
        assert_eq!(r.kept, vec![0, 1]);
        assert_eq!(r.removed[0].reason, ScreenReason::Zeros { share: 0.0 });
        assert_eq!(r.removed[1].code, "D");

        let spec = ScreenSpec::new(ScreenBy::Both {
            dat_thresh: 0.5,
            nonzero_thresh: 0.05,
        })
        .with_force_include(codes(&["C"]))
        .with_force_exclude(codes(&["A"]));
        let r = screen_units(&m, &u, &spec).unwrap();
        assert_eq!(r.kept, vec![2]);
        assert_eq!(r.forced_in, vec![2]);
        assert_eq!(r.removed[0].reason, ScreenReason::ForcedExclude {});
        assert_eq!(
            r.removed[1].reason,
            ScreenReason::MissingData { share: 1.0 / 3.0 }
        );
    }

    #[test]
    fn errors() {
        let (m, u) = data();
        let spec = ScreenSpec::default().with_force_include(codes(&["Z"]));
        assert!(matches!(
            screen_units(&m, &u, &spec),
            Err(Error::UnknownCode { kind: "unit", .. })
        ));
        let spec = ScreenSpec::new(ScreenBy::MissingData { dat_thresh: 1.5 });
        assert!(matches!(
            screen_units(&m, &u, &spec),
            Err(Error::InvalidParameter { .. })
        ));
        let spec = ScreenSpec::default()
            .with_force_include(codes(&["A"]))
            .with_force_exclude(codes(&["A"]));
        assert!(matches!(
            screen_units(&m, &u, &spec),
            Err(Error::InvalidParameter { .. })
        ));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_defaults() {
        let s: ScreenSpec = serde_json::from_str(r#"{"by": {"by": "zeros"}}"#).unwrap();
        assert_eq!(
            s.by,
            ScreenBy::Zeros {
                nonzero_thresh: 0.05
            }
        );
        let s: ScreenSpec = serde_json::from_str("{}").unwrap();
        assert_eq!(s, ScreenSpec::default());
        assert!(serde_json::from_str::<ScreenSpec>(r#"{"by": {"by": "zeros", "x": 1}}"#).is_err());
    }
}
