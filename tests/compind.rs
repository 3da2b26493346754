#![cfg(all(feature = "serde", feature = "csv"))]
//! Compind 3.4 parity on every open case of `../shared/reference/compind/`
//! (README there): Benefit of the Doubt scores and weights, the Mazziotta-Pareto
//! Index, the equal-weight geometric mean; and the robust order-m BoD against
//! the exact expectation of METHODS 8.4. The methods run through the pipeline,
//! from a TOML aggregation step. Skips without `../shared/reference`; fails
//! under `CI=true`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;

fn compind_dir() -> Option<PathBuf> {
    shared(
        "reference/compind",
        "README.md",
        "Compind parity not checked",
    )
}

/// A Compind CSV: unit column `unit_col`, the other listed columns ignored.
fn read(path: &Path, unit_col: &str, ignore: &[&str]) -> Dataset {
    let roles = CsvRoles {
        unit_code: unit_col.into(),
        unit_name: None,
        time: None,
        ignore: ignore.iter().map(|s| s.to_string()).collect(),
        ..CsvRoles::default()
    };
    read_dataset_file(path, &roles).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Aggregates every indicator of `data` into one node `CI` by `method` (a TOML
/// inline table), with no other step.
fn run(data: &Dataset, method: &str) -> Results {
    let mut toml = String::from("spec_version = 1\n[[framework.nodes]]\ncode = \"CI\"\n");
    for c in data.indicator_codes() {
        toml.push_str(&format!(
            "[[framework.nodes]]\ncode = \"{c}\"\nparent = \"CI\"\n"
        ));
    }
    toml.push_str(&format!(
        "[[steps]]\nstage = \"aggregate\"\ndefault = {method}\n"
    ));
    let spec = IndexSpec::from_toml(&toml).expect("spec parses");
    Pipeline::new(spec, data.clone())
        .expect("valid spec")
        .run()
        .expect("runs")
}

/// Compares a score column with a reference column, by unit code.
fn compare(ours: &Results, reference: &Dataset, col: &str, tol: f64, what: &str) -> usize {
    let scores = ours.scores("CI").expect("CI scores");
    let expected = reference.indicator(col).expect("reference column");
    for (i, u) in ours.unit_codes().iter().enumerate() {
        let r = reference
            .unit_index(u)
            .unwrap_or_else(|| panic!("{what}: unit {u} not in the reference"));
        assert!(
            close(scores[i], expected[r], tol),
            "{what}: {u}: ours {} vs Compind {}",
            scores[i],
            expected[r]
        );
    }
    scores.len()
}

/// Units whose optimal weights the aux file marks as not unique.
fn nonunique(case: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(case.join("ci_bod_weight_ranges_aux.csv")).expect("aux");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f.last() == Some(&"TRUE")).then(|| f[0].to_owned())
        })
        .collect()
}

/// BoD scores to 1e-9; weights to 1e-8 where unique, feasibility and optimality
/// where not; and our uniqueness report equal to the aux file's.
fn check_bod(input: &Dataset, case: &Path, what: &str) {
    let results = run(input, r#"{ method = "benefit_of_the_doubt" }"#);
    let scores_ref = read(&case.join("ci_bod_scores.csv"), "unit", &[]);
    compare(&results, &scores_ref, "ci_bod_est", PARITY_TOL, what);
    let weights_ref = read(&case.join("ci_bod_weights.csv"), "unit", &[]);
    let w = results
        .optimal_weights("CI")
        .expect("BoD weights in the results");
    let scores = results.scores("CI").unwrap();
    let degenerate = nonunique(case);
    let ours: BTreeSet<String> = w
        .units
        .iter()
        .zip(&w.unique)
        .filter(|(_, u)| !**u)
        .map(|(c, _)| c.clone())
        .collect();
    assert_eq!(ours, degenerate, "{what}: units with non-unique weights");
    let n = input.n_units();
    for (k, u) in w.units.iter().enumerate() {
        let v: Vec<f64> = (0..w.children.len())
            .map(|j| w.multipliers[(k, j)])
            .collect();
        let y = |i: usize| -> Vec<f64> {
            w.children
                .iter()
                .map(|c| input.indicator(c).unwrap()[i])
                .collect()
        };
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        assert!(v.iter().all(|x| *x >= 0.0), "{what}: {u}: negative weight");
        let top = (0..n).map(|i| dot(&v, &y(i))).fold(0.0, f64::max);
        assert!(
            top <= 1.0 + 1e-9,
            "{what}: {u}: weights put a unit at {top}"
        );
        let k_in = input.unit_index(u).unwrap();
        assert!(
            (dot(&v, &y(k_in)) - scores[k]).abs() <= 1e-9,
            "{what}: {u}: v·y_k differs from the score"
        );
        let sum_shares: f64 = (0..w.children.len()).map(|j| w.shares[(k, j)]).sum();
        assert!(scores[k] == 0.0 || (sum_shares - 1.0).abs() < 1e-9);
        if w.unique[k] {
            let r = weights_ref.unit_index(u).unwrap();
            for (j, c) in w.children.iter().enumerate() {
                let e = weights_ref.indicator(c).unwrap()[r];
                assert!(
                    close(v[j], e, 1e-8),
                    "{what}: {u}: weight of {c}: ours {} vs Compind {e}",
                    v[j]
                );
            }
        }
    }
}

#[test]
fn o1_bod_eu_nuts1_minmax() {
    let Some(dir) = compind_dir() else { return };
    let case = dir.join("o1_eu_nuts1_minmax");
    check_bod(
        &read(&case.join("input_minmax.csv"), "unit", &[]),
        &case,
        "o1",
    );
}

#[test]
fn o4_bod_and_geometric_mean_bli_raw() {
    let Some(dir) = compind_dir() else { return };
    let case = dir.join("o4_bli_raw");
    let bli = read(&dir.join("bli_2017.csv"), "country", &[]);
    check_bod(&bli, &case, "o4");
    let geo = run(&bli, r#"{ method = "geometric_mean" }"#);
    let reference = read(&case.join("ci_geom_gen_equal.csv"), "unit", &[]);
    compare(
        &geo,
        &reference,
        "ci_mean_geom_est",
        1e-12,
        "o4 geometric mean",
    );
    // Shares in [0, 1] (Compind's ci_bod_constr with up_w = 1, low_w = 0) give
    // ci_bod's scores through the restricted model.
    let restricted = run(
        &bli,
        r#"{ method = "benefit_of_the_doubt", share_min = 0, share_max = 1 }"#,
    );
    let scores_ref = read(&case.join("ci_bod_scores.csv"), "unit", &[]);
    compare(
        &restricted,
        &scores_ref,
        "ci_bod_est",
        PARITY_TOL,
        "o4 restricted",
    );
}

#[test]
fn o5_bod_bli_minmax() {
    let Some(dir) = compind_dir() else { return };
    let case = dir.join("o5_bli_minmax");
    check_bod(
        &read(&case.join("input_minmax.csv"), "unit", &[]),
        &case,
        "o5",
    );
}

fn check_mpi(case: &Path, what: &str) {
    let input = read(&case.join("input_z100_10.csv"), "unit", &[]);
    let reference = read(&case.join("ci_mpi.csv"), "unit", &[]);
    for (polarity, col) in [("positive", "mpi_pos"), ("negative", "mpi_neg")] {
        let r = run(
            &input,
            &format!(
                r#"{{ method = "mazziotta_pareto", polarity = "{polarity}", sd = "sample" }}"#
            ),
        );
        compare(&r, &reference, col, 1e-12, what);
        // The paper's population sd gives a smaller penalty.
        let p = run(
            &input,
            &format!(r#"{{ method = "mazziotta_pareto", polarity = "{polarity}" }}"#),
        );
        let (a, b) = (r.scores("CI").unwrap(), p.scores("CI").unwrap());
        let mean = run(&input, r#"{ method = "arithmetic_mean" }"#);
        let m = mean.scores("CI").unwrap();
        for i in 0..a.len() {
            assert!((b[i] - m[i]).abs() <= (a[i] - m[i]).abs() + 1e-12, "{what}");
        }
    }
}

#[test]
fn o2_mpi_eu_nuts1() {
    let Some(dir) = compind_dir() else { return };
    check_mpi(&dir.join("o2_eu_nuts1_mpi"), "o2");
}

#[test]
fn o6_mpi_and_geometric_mean_bli() {
    let Some(dir) = compind_dir() else { return };
    let case = dir.join("o6_bli_mpi");
    check_mpi(&case, "o6");
    let input = read(&case.join("input_z100_10.csv"), "unit", &[]);
    let geo = run(&input, r#"{ method = "geometric_mean" }"#);
    let reference = read(&case.join("ci_geom_gen_equal.csv"), "unit", &[]);
    compare(
        &geo,
        &reference,
        "ci_mean_geom_est",
        1e-12,
        "o6 geometric mean",
    );
}

#[test]
fn o3_geometric_mean_eu_nuts1_raw() {
    let Some(dir) = compind_dir() else { return };
    let data = read(
        &dir.join("eu_nuts1.csv"),
        "NUTS_CODE",
        &["NUTS1", "Long", "Lat"],
    );
    let geo = run(&data, r#"{ method = "geometric_mean" }"#);
    let reference = read(
        &dir.join("o3_eu_nuts1_geom/ci_geom_gen_equal.csv"),
        "unit",
        &[],
    );
    assert_eq!(
        compare(&geo, &reference, "ci_mean_geom_est", 1e-12, "o3"),
        34
    );
}

/// `E[e]` and `E[e^2]` of the maximum of `m` draws with replacement from `r`,
/// written out independently of the crate (METHODS 8.4).
fn order_m_moments(r: &[f64], m: i32) -> (f64, f64) {
    let mut s = r.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len() as f64;
    let (mut e1, mut e2) = (0.0, 0.0);
    for (l, v) in s.iter().enumerate() {
        let p = ((l + 1) as f64 / n).powi(m) - (l as f64 / n).powi(m);
        e1 += v * p;
        e2 += v * v * p;
    }
    (e1, e2)
}

#[test]
fn order_m_bod_matches_the_exact_expectation() {
    let Some(dir) = compind_dir() else { return };
    let bli = read(&dir.join("bli_2017.csv"), "country", &[]);
    let codes = bli.indicator_codes().to_vec();
    let n = bli.n_units();
    let y = |i: usize| -> Vec<f64> { codes.iter().map(|c| bli.indicator(c).unwrap()[i]).collect() };
    let (m, b) = (20, 4000);
    let exact = run(
        &bli,
        r#"{ method = "benefit_of_the_doubt", order_m = { m = 20 } }"#,
    );
    let mc_spec = format!(
        r#"{{ method = "benefit_of_the_doubt", order_m = {{ m = {m}, replicates = {b}, seed = 11 }} }}"#
    );
    let mc = run(&bli, &mc_spec);
    let again = run(&bli, &mc_spec);
    let other_seed = run(&bli, &mc_spec.replace("seed = 11", "seed = 12"));
    let (ex, mcs) = (exact.scores("CI").unwrap(), mc.scores("CI").unwrap());
    assert_eq!(mcs, again.scores("CI").unwrap(), "same seed, same scores");
    assert_ne!(
        mcs,
        other_seed.scores("CI").unwrap(),
        "another seed, other draws"
    );
    let mut above_one = 0;
    for k in 0..n {
        let yk = y(k);
        let r: Vec<f64> = (0..n)
            .map(|i| {
                yk.iter()
                    .zip(y(i))
                    .map(|(a, b)| b / a)
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let (e1, e2) = order_m_moments(&r, m);
        assert!(close(ex[k], 1.0 / e1, 1e-12), "exact order-m for unit {k}");
        // The Monte Carlo mean of e lies within 5 standard errors of E[e].
        let se = ((e2 - e1 * e1).max(0.0) / b as f64).sqrt();
        assert!(
            (1.0 / mcs[k] - e1).abs() <= 5.0 * se + 1e-12,
            "unit {k}: Monte Carlo 1/CI {} vs E[e] {e1} (se {se})",
            1.0 / mcs[k]
        );
        above_one += usize::from(ex[k] > 1.0);
    }
    // Order-m scores can exceed 1: the drawn sample need not hold the frontier.
    assert!(above_one > 0);
}

/// Compind's `ci_mean_min` help example (METHODS 8.8 and 8.10, bug B2):
/// EU_NUTS1 min-max normalised (roads "NEG", trains "POS"), alpha = 0.5,
/// beta = 1. `standardise = "compind"` reproduces Compind's recycled column
/// statistics (DE1 83.53), `"z_score"` the documented method (DE1 99.85);
/// every unit is checked against the formulas of METHODS 8.8 computed here.
#[test]
fn mean_min_standardisation_eu_nuts1() {
    let Some(dir) = compind_dir() else { return };
    let raw = read(
        &dir.join("eu_nuts1.csv"),
        "NUTS_CODE",
        &["NUTS1", "Long", "Lat"],
    );
    let minmax = |v: &[f64], neg: bool| -> Vec<f64> {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        v.iter()
            .map(|&x| if neg { hi - x } else { x - lo } / (hi - lo))
            .collect()
    };
    let cols = [
        minmax(raw.indicator("roads").expect("roads"), true),
        minmax(raw.indicator("trains").expect("trains"), false),
    ];
    let data = Dataset::from_columns(
        raw.unit_codes().to_vec(),
        vec![
            ("roads".into(), cols[0].clone()),
            ("trains".into(), cols[1].clone()),
        ],
    )
    .expect("normalised data");
    let (n, m) = (cols[0].len(), cols.len());
    let moments: Vec<(f64, f64)> = cols
        .iter()
        .map(|c| {
            let mu = c.iter().sum::<f64>() / n as f64;
            let var = c.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / (n - 1) as f64;
            (mu, var.sqrt())
        })
        .collect();
    let mmf = |z: &[f64]| {
        let mean = z.iter().sum::<f64>() / z.len() as f64;
        let min = z.iter().copied().fold(f64::INFINITY, f64::min);
        mean - 0.5 * (((mean - min).powi(2) + 1.0).sqrt() - 1.0)
    };
    let de1 = data.unit_index("DE1").expect("DE1");
    for (key, recycled, de1_compind_doc) in [("z_score", false, 99.85), ("compind", true, 83.53)] {
        let ours = run(
            &data,
            &format!(
                r#"{{ method = "mean_min", alpha = 0.5, beta = 1.0, standardise = "{key}" }}"#
            ),
        );
        let scores = ours.scores("CI").expect("CI");
        for (i, u) in ours.unit_codes().iter().enumerate() {
            let k = data.unit_index(u).expect("unit");
            let z: Vec<f64> = (0..m)
                .map(|j| {
                    let c = if recycled { (j * n + k) % m } else { j };
                    (cols[j][k] - moments[c].0) / moments[c].1 * 10.0 + 100.0
                })
                .collect();
            assert!(
                close(scores[i], mmf(&z), 1e-12),
                "{key}: {u}: {} vs {}",
                scores[i],
                mmf(&z)
            );
            if k == de1 {
                assert!(
                    (scores[i] - de1_compind_doc).abs() < 0.005,
                    "{key}: DE1 {} vs {de1_compind_doc} (METHODS 8.10)",
                    scores[i]
                );
            }
        }
    }
    // The default takes the children as they are: neither of the above.
    let plain = run(&data, r#"{ method = "mean_min", alpha = 0.5, beta = 1.0 }"#);
    let i = plain
        .unit_codes()
        .iter()
        .position(|u| u == "DE1")
        .expect("DE1");
    let z = [cols[0][de1], cols[1][de1]];
    assert!(close(plain.scores("CI").expect("CI")[i], mmf(&z), 1e-12));
}
