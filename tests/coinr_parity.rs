#![cfg(feature = "csv")]
//! COINr parity on the ASEM reference data (`../shared/reference/asem`).
//!
//! Skips with a message when the folder is absent; fails under `CI=true`.

mod common;

use common::*;
use composite_index::prelude::*;

#[test]
fn case_b_zscore_arithmetic_from_raw() {
    let Some(dir) = asem_dir() else { return };
    let (framework, data) = asem(&dir);
    let spec = IndexSpec::new(
        framework,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::ZScore {
                mean: 10.0,
                sd: 2.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let results = Pipeline::new(spec, data).unwrap().run().unwrap();
    let case = dir.join("case_b_zscore_nomissingfill");
    let n = assert_matches(
        results.dataset("normalised").unwrap(),
        &reference_table(case.join("normalised.csv"), &[]),
        "case B normalised",
    );
    assert_eq!(n, 51 * 49);
    let n = assert_matches(
        results.dataset("aggregated").unwrap(),
        &reference_table(case.join("aggregated.csv"), &[]),
        "case B aggregated",
    );
    assert_eq!(n, 51 * (49 + 8 + 2 + 1));
}

#[test]
fn case_a_minmax_arithmetic_from_treated() {
    let Some(dir) = asem_dir() else { return };
    let (framework, _) = asem(&dir);
    let case = dir.join("case_a_default");
    let treated = reference_table(case.join("treated.csv"), &[]);
    let spec = IndexSpec::new(
        framework,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let results = Pipeline::new(spec, treated).unwrap().run().unwrap();
    assert_matches(
        results.dataset("normalised").unwrap(),
        &reference_table(case.join("normalised.csv"), &[]),
        "case A normalised",
    );
    assert_matches(
        results.dataset("aggregated").unwrap(),
        &reference_table(case.join("aggregated.csv"), &[]),
        "case A aggregated",
    );
    // Ranks of every node in results_ranked.csv (the Rank column is the index's).
    let ranked = reference_table(case.join("results_ranked.csv"), &["uName"]);
    let ours = results.ranks("Index").unwrap();
    let theirs = ranked.indicator("Rank").unwrap();
    for (i, u) in results.unit_codes().iter().enumerate() {
        let r = ranked.unit_index(u).unwrap();
        assert_eq!(ours[i].map(f64::from), Some(theirs[r]), "rank of {u}");
    }
}

/// The parity comparison itself: relative for non-zero cells.
#[test]
fn close_compares_small_cells_relatively() {
    assert!(close(1.0, 1.0 + 1e-10, PARITY_TOL));
    assert!(!close(1e-4, 1.08e-4, PARITY_TOL));
    assert!(!close(1e-12, 3e-12, PARITY_TOL));
    assert!(close(0.0, 1e-12, PARITY_TOL));
    assert!(!close(0.0, 1e-6, PARITY_TOL));
    assert!(close(f64::NAN, f64::NAN, PARITY_TOL) && !close(f64::NAN, 0.0, PARITY_TOL));
}
