//! Helpers shared by the integration tests: locating COINr's reference outputs,
//! reading them, and comparing with a shared tolerance.
#![allow(dead_code)]

// `test`: the CLI helpers need the variables Cargo sets for test targets only
// (examples/bit_guard.rs includes this module too).
#[cfg(all(feature = "cli", test))]
pub mod cli;

use std::io::Write as _;
use std::path::PathBuf;

use composite_index::io::{CsvRoles, read_coinr_files, read_dataset_file};
use composite_index::prelude::*;

/// Relative tolerance of COINr parity (absolute only against a true zero).
pub const PARITY_TOL: f64 = 1e-9;

/// `path` (relative to `../shared/`) when `probe` (a file under it) exists, or
/// `None` after printing what is skipped. Under `CI=true` a missing file fails the
/// test instead.
pub fn shared(path: &str, probe: &str, skipped: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path);
    if p.join(probe).is_file() {
        return Some(p);
    }
    skip_or_fail(&format!("{} not found", p.join(probe).display()), skipped);
    None
}

/// Reports that something a test needs is missing (`missing`: what and why) and
/// that `skipped` is not checked; under `CI=true` the test fails instead.
pub fn skip_or_fail(missing: &str, skipped: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{missing} (required under CI=true)");
    }
    // Written to the stderr handle itself, which the test harness does not capture,
    // so that the skip is visible in a plain `cargo test`.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {missing}; {skipped}");
}

/// The ASEM reference folder; see [`shared`].
pub fn asem_dir() -> Option<PathBuf> {
    shared("reference/asem", "iData.csv", "COINr parity not checked")
}

/// A file of `../shared/data`; see [`shared`].
pub fn shared_data(file: &str) -> Option<PathBuf> {
    shared("data", file, "cross-check not run").map(|d| d.join(file))
}

/// The ASEM framework and raw data.
pub fn asem(dir: &std::path::Path) -> (FrameworkSpec, Dataset) {
    read_coinr_files(dir.join("iMeta.csv"), dir.join("iData.csv"))
        .expect("ASEM reference tables read")
}

/// A reference CSV (`uCode` + numeric columns; other text columns ignored).
pub fn reference_table(path: PathBuf, ignore: &[&str]) -> Dataset {
    let roles = CsvRoles {
        unit_name: None,
        time: None,
        ignore: ignore.iter().map(|s| s.to_string()).collect(),
        ..CsvRoles::default()
    };
    read_dataset_file(&path, &roles).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Whether two numbers agree: by relative error `|a - b| <= tol * max(|a|, |b|)`
/// when both are non-zero, by absolute error `|a - b| <= tol` only when one of
/// them is exactly zero (a relative error against 0 is always 1). Both missing
/// agree. So 1e-4 against 1.08e-4 fails, where an "absolute or relative" rule
/// would accept it.
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    let d = (a - b).abs();
    if a == 0.0 || b == 0.0 {
        d <= tol
    } else {
        d <= tol * a.abs().max(b.abs())
    }
}

/// Compares every column of `expected` present in `actual`, by unit code; returns the
/// number of cells compared. Panics with the first mismatch.
pub fn assert_matches(
    actual: &composite_index::results::StageData,
    expected: &Dataset,
    what: &str,
) -> usize {
    assert_eq!(
        actual.unit_codes().len(),
        expected.n_units(),
        "{what}: number of units"
    );
    let mut n = 0;
    for code in expected.indicator_codes() {
        let Some(a) = actual.column(code) else {
            panic!("{what}: column {code} missing from our output");
        };
        let e = expected.indicator(code).unwrap();
        for (i, u) in actual.unit_codes().iter().enumerate() {
            let r = expected
                .unit_index(u)
                .unwrap_or_else(|| panic!("{what}: unit {u} not in reference"));
            assert!(
                close(a[i], e[r], PARITY_TOL),
                "{what}: {code} for {u}: ours {} vs COINr {}",
                a[i],
                e[r]
            );
            n += 1;
        }
    }
    n
}

/// COINr's case A pipeline (the ASEM reference README), written as a TOML
/// specification so that every stage's TOML form is exercised too.
#[cfg(feature = "serde")]
pub const CASE_A_STEPS: &str = r#"
[[steps]]
stage = "denominate"          # denominators from iMeta's Denominator column

[[steps]]
stage = "impute"
method = { method = "group_mean", group = "EurAsia_group" }

[[steps]]
stage = "screen"
by = { by = "missing_data", dat_thresh = 0.9 }

[[steps]]
stage = "treat"               # COINr defaults: winmax 5, |skew| 2, kurtosis 3.5, log_ct

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"#;

/// The steps of [`CASE_A_STEPS`].
#[cfg(feature = "serde")]
pub fn case_a_steps() -> Vec<Step> {
    #[derive(serde::Deserialize)]
    struct Steps {
        steps: Vec<Step>,
    }
    let steps: Steps = toml::from_str(CASE_A_STEPS).expect("case A steps parse");
    steps.steps
}
