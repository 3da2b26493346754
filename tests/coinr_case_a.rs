#![cfg(all(feature = "serde", feature = "csv"))]
//! COINr parity, case A (COINr's example pipeline) stage by stage on the ASEM data:
//! denominate, impute by group mean, screen, treat, normalise, aggregate.
//!
//! The steps are written as a TOML specification, so this also checks that every
//! stage reads from TOML. Skips without `../shared/reference`; fails under `CI=true`.

mod common;

use common::*;
use composite_index::prelude::*;
use composite_index::prepare::Side;
use composite_index::results::StepReport;

fn case_a_results() -> Option<(std::path::PathBuf, Results)> {
    let dir = asem_dir()?;
    let (framework, data) = asem(&dir);
    let spec = IndexSpec::new(framework, case_a_steps());
    let results = Pipeline::new(spec, data)
        .expect("valid case A")
        .run()
        .expect("case A runs");
    Some((dir.join("case_a_default"), results))
}

#[test]
fn case_a_every_stage_matches_coinr() {
    let Some((case, results)) = case_a_results() else {
        return;
    };
    for (ours, file) in [
        ("denominated", "denominated.csv"),
        ("imputed", "imputed.csv"),
        ("screened", "screened.csv"),
        ("treated", "treated.csv"),
        ("normalised", "normalised.csv"),
        ("aggregated", "aggregated.csv"),
    ] {
        let n = assert_matches(
            results.dataset(ours).unwrap(),
            &reference_table(case.join(file), &[]),
            ours,
        );
        assert!(n >= 51 * 49, "{ours}: only {n} cells compared");
    }
    let ranked = reference_table(case.join("results_ranked.csv"), &["uName"]);
    let ours = results.ranks("Index").unwrap();
    let theirs = ranked.indicator("Rank").unwrap();
    for (i, u) in results.unit_codes().iter().enumerate() {
        assert_eq!(
            ours[i].map(f64::from),
            Some(theirs[ranked.unit_index(u).unwrap()]),
            "rank of {u}"
        );
    }
}

#[test]
fn case_a_treatment_log_matches_coinr() {
    let Some((case, results)) = case_a_results() else {
        return;
    };
    let text = std::fs::read_to_string(case.join("treatment_log.csv")).unwrap();
    let treated = reference_table(case.join("treated.csv"), &[]);
    let mut winsorised_points = 0;
    let log = results.treatment_log().expect("a treatment log");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "iCode");
    let mut checked = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let rec = log
            .iter()
            .find(|r| r.indicator == f[0])
            .unwrap_or_else(|| panic!("{} not in our log", f[0]));
        let before = rec.before.as_ref().expect("statistics before");
        assert_eq!(before.pass, f[1] == "TRUE", "{}: pass before", f[0]);
        assert!(
            close(before.skew, f[2].parse().unwrap(), PARITY_TOL),
            "{}: skew",
            f[0]
        );
        assert!(
            close(before.kurt, f[3].parse().unwrap(), PARITY_TOL),
            "{}: kurt",
            f[0]
        );
        if f[4].is_empty() {
            assert_eq!(rec.n_winsorised, 0, "{}", f[0]);
        } else {
            assert_eq!(
                rec.n_winsorised.to_string(),
                f[4],
                "{}: points winsorised",
                f[0]
            );
            let after = rec
                .after_winsorisation
                .as_ref()
                .expect("statistics after winsorisation");
            assert_eq!(after.pass, f[5] == "TRUE", "{}: pass after", f[0]);
            assert!(
                close(after.skew, f[6].parse().unwrap(), PARITY_TOL),
                "{}: skew after",
                f[0]
            );
            assert!(
                close(after.kurt, f[7].parse().unwrap(), PARITY_TOL),
                "{}: kurt after",
                f[0]
            );
            // Each point moved towards the others, to the value COINr's treated
            // data set holds for that unit (case A runs no second stage).
            assert_eq!(rec.second_stage, None, "{}", f[0]);
            for p in &rec.winsorised {
                match p.side {
                    Side::High => assert!(p.winsorised < p.original, "{}: {p:?}", f[0]),
                    Side::Low => assert!(p.winsorised > p.original, "{}: {p:?}", f[0]),
                }
                let r = treated
                    .unit_index(&p.unit)
                    .unwrap_or_else(|| panic!("{} not in COINr's treated data", p.unit));
                let theirs = treated.indicator(f[0]).unwrap()[r];
                assert!(
                    close(p.winsorised, theirs, PARITY_TOL),
                    "{} / {}: winsorised to {}, COINr {theirs}",
                    f[0],
                    p.unit,
                    p.winsorised
                );
            }
            winsorised_points += rec.winsorised.len();
        }
        checked += 1;
    }
    assert_eq!(checked, 49);
    assert!(winsorised_points > 0, "case A winsorises some points");
    // the other reports are there too
    assert!(
        results
            .reports()
            .iter()
            .any(|r| matches!(r, StepReport::Screen(s) if s.removed.is_empty()))
    );
}

/// The spec a COINr user writes for case A: at most 20 lines, the framework taken
/// from iMeta by reference. Run from a folder holding the spec and COINr's tables.
#[test]
fn case_a_as_a_short_spec_file_matches_coinr() {
    let Some(dir) = asem_dir() else {
        return;
    };
    let text = include_str!("fixtures/asem_case_a.toml");
    assert!(
        text.lines().count() <= 20,
        "the case A spec grew past 20 lines"
    );
    let work = std::env::temp_dir().join(format!("ci-case-a-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    for f in ["iMeta.csv", "iData.csv"] {
        std::fs::copy(dir.join(f), work.join(f)).unwrap();
    }
    std::fs::write(work.join("spec.toml"), text).unwrap();
    let spec = IndexSpec::from_path(work.join("spec.toml")).expect("the short spec reads");
    let paths = spec.data.clone().expect("the spec names its data");
    let (_, data) = composite_index::io::read_coinr_files(
        work.join(paths.imeta.unwrap()),
        work.join(paths.idata.unwrap()),
    )
    .unwrap();
    // Written back, the spec keeps its short form: no copy of the tree.
    assert!(spec.framework.nodes.is_empty());
    assert!(!spec.to_toml().unwrap().contains("[[framework.nodes]]"));
    let results = Pipeline::new(spec, data).unwrap().run().unwrap();
    std::fs::remove_dir_all(&work).unwrap();
    let case = dir.join("case_a_default");
    for (ours, file) in [("treated", "treated.csv"), ("aggregated", "aggregated.csv")] {
        let n = assert_matches(
            results.dataset(ours).unwrap(),
            &reference_table(case.join(file), &[]),
            ours,
        );
        assert!(n >= 51 * 49, "{ours}: only {n} cells compared");
    }
}

/// COINr's treatment alone: its screened data in, its treated data and its
/// treatment log out (the default treatment: winmax 5, |skew| 2, kurtosis 3.5).
#[test]
fn case_a_treatment_alone_matches_coinr() {
    let Some(dir) = asem_dir() else {
        return;
    };
    let case = dir.join("case_a_default");
    let screened = reference_table(case.join("screened.csv"), &[]);
    let treated = reference_table(case.join("treated.csv"), &[]);
    let mut m = screened.values().clone();
    let log = composite_index::prepare::treat_matrix(
        &mut m,
        &TreatSpec::default(),
        screened.indicator_codes(),
        screened.unit_codes(),
    )
    .expect("COINr's screened data treat");
    let mut compared = 0;
    for (j, code) in screened.indicator_codes().iter().enumerate() {
        let theirs = treated.indicator(code).expect("same columns");
        for (i, u) in screened.unit_codes().iter().enumerate() {
            let r = treated.unit_index(u).expect("same units");
            assert!(
                close(m[(i, j)], theirs[r], PARITY_TOL),
                "treated {code} / {u}: ours {}, COINr {}",
                m[(i, j)],
                theirs[r]
            );
            compared += 1;
        }
    }
    assert_eq!(compared, screened.n_units() * screened.n_indicators());
    let text = std::fs::read_to_string(case.join("treatment_log.csv")).unwrap();
    assert_eq!(text.lines().count() - 1, log.len());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let rec = log.iter().find(|r| r.indicator == f[0]).unwrap();
        let before = rec.before.expect("statistics before");
        assert_eq!(before.pass, f[1] == "TRUE", "{}", f[0]);
        assert!(
            close(before.skew, f[2].parse().unwrap(), PARITY_TOL),
            "{}",
            f[0]
        );
        assert!(
            close(before.kurt, f[3].parse().unwrap(), PARITY_TOL),
            "{}",
            f[0]
        );
        assert_eq!(
            rec.n_winsorised.to_string(),
            if f[4].is_empty() { "0" } else { f[4] }
        );
        assert_eq!(rec.second_stage, None, "{}", f[0]);
    }
}
