//! Preparation stages that come before normalisation, in COINr's order:
//!
//! 1. [`denominate`]: divide extensive indicators by a size variable
//!    ([`denominate_column`], [`denominate_matrix`], [`DenominateSpec`]);
//! 2. [`impute`]: fill missing values column-wise (mean, median, group mean or
//!    median) or by expectation-maximisation ([`impute_em`], [`impute_matrix`],
//!    [`ImputeSpec`]);
//! 3. [`screen`]: drop units with too little data or too many zeros
//!    ([`screen_units`], [`ScreenSpec`]);
//! 4. [`treat`]: check skewness and kurtosis, winsorise, then transform
//!    ([`treat_column`], [`treat_matrix`], [`TreatSpec`]).
//!
//! Every function works on NaN-as-missing data, never changes observed values
//! it does not have to, and reports what it did.
//!
//! # Example
//!
//! ```
//! use composite_index::prepare::{denominate_column, impute_median};
//!
//! // Exports divided by GDP (per thousand): a zero denominator makes the value missing.
//! let mut exports = [10.0, 30.0, f64::NAN, 8.0];
//! let lost = denominate_column(&mut exports, &[2.0, 5.0, 4.0, 0.0], 1000.0);
//! assert_eq!(lost, [3]);
//! assert_eq!(exports[..2], [5000.0, 6000.0]);
//! // Fill the missing entries with the median of the others.
//! let filled = impute_median(&mut exports);
//! assert_eq!(filled, [2, 3]);
//! assert_eq!(exports, [5000.0, 6000.0, 5500.0, 5500.0]);
//! ```

use crate::error::{Error, Result};

/// Checks that there is one indicator code per column and that every override
/// names one of them (`what` names the overrides in the error, e.g. "the treatment
/// overrides").
pub(crate) fn check_codes_and_overrides<'a>(
    n_columns: usize,
    indicator_codes: &[String],
    overrides: impl IntoIterator<Item = &'a String>,
    what: &str,
) -> Result<()> {
    if indicator_codes.len() != n_columns {
        return Err(Error::DimensionMismatch {
            what: "indicator codes (one per column)".into(),
            expected: n_columns,
            found: indicator_codes.len(),
        });
    }
    for code in overrides {
        if !indicator_codes.contains(code) {
            return Err(Error::UnknownCode {
                kind: "indicator",
                code: code.clone(),
                context: what.into(),
            });
        }
    }
    Ok(())
}

pub mod denominate;
pub mod impute;
pub mod screen;
pub mod treat;

pub use denominate::{DenominateReport, DenominateSpec, denominate_column, denominate_matrix};
pub use impute::{
    EmFit, EmReport, FittedImpute, FittedImputeColumn, ImputeMethod, ImputeReport, ImputeSpec,
    impute_em, impute_group_mean, impute_group_median, impute_matrix, impute_mean, impute_median,
};
pub use screen::{RemovedUnit, ScreenBy, ScreenReason, ScreenReport, ScreenSpec, screen_units};
pub use treat::{
    FittedTransform, FittedTreatment, IndicatorTreatment, SecondStage, SecondStageOn, Side,
    SkewKurt, TreatParams, TreatSpec, TreatmentMode, TreatmentRecord, WinsorisedPoint, box_cox,
    check_skew_kurt, fit_treatment, gii_log, log_ct, log_ct_orig, log_ct_plus, treat_column,
    treat_matrix,
};
