//! Fitted (frozen) pipelines: applied to their reference data they give the plain
//! run's data sets bit for bit (also after a JSON round trip); applied to data in
//! chunks of any size they give the same scores as one pass; and they refuse what
//! cannot be frozen.

mod common;

use std::sync::Arc;

use composite_index::normalise::Ties;
use composite_index::prelude::*;
use composite_index::prepare::{IndicatorTreatment, SecondStage, SecondStageOn, TreatSpec};
use composite_index::results::Results;
use composite_index::{FittedPipeline, FittedStep};
use proptest::prelude::*;

/// Every data set of two results has the same units, columns and bits.
fn assert_bit_identical(a: &Results, b: &Results, what: &str) {
    assert_eq!(a.datasets().len(), b.datasets().len(), "{what}: data sets");
    for (x, y) in a.datasets().iter().zip(b.datasets()) {
        assert_eq!(x.name(), y.name(), "{what}");
        assert_eq!(
            x.unit_codes(),
            y.unit_codes(),
            "{what}: units of {}",
            x.name()
        );
        assert_eq!(x.columns(), y.columns(), "{what}: columns of {}", x.name());
        for (i, (p, q)) in x.values().iter().zip(y.values().iter()).enumerate() {
            assert!(
                p.to_bits() == q.to_bits(),
                "{what}: {} cell {i}: {p} vs {q}",
                x.name()
            );
        }
    }
}

#[cfg(feature = "serde")]
fn round_trip(f: &FittedPipeline) -> FittedPipeline {
    let json = f.to_json().unwrap();
    let back = FittedPipeline::from_json(&json).unwrap();
    assert!(
        back.spec() == f.spec(),
        "JSON round trip of the specification"
    );
    assert_eq!(back.reference_units(), f.reference_units());
    for (k, (a, b)) in back.steps().iter().zip(f.steps()).enumerate() {
        assert!(a == b, "JSON round trip of fitted step {k} ({})", a.stage());
    }
    back
}

#[cfg(not(feature = "serde"))]
fn round_trip(f: &FittedPipeline) -> FittedPipeline {
    f.clone()
}

#[cfg(feature = "serde")]
#[test]
fn asem_fitted_pipelines_reproduce_the_plain_runs_bit_for_bit() {
    let Some(dir) = common::asem_dir() else {
        return;
    };
    let (fw, data) = common::asem(&dir);
    let data = Arc::new(data);
    let base = common::case_a_steps();
    let mut variants: Vec<Vec<Step>> = vec![base.clone()];
    let normalisers = [
        NormaliseMethod::ZScore {
            mean: 10.0,
            sd: 2.0,
        },
        NormaliseMethod::Rank { ties: Ties::Min },
        NormaliseMethod::PercentileRank {},
        NormaliseMethod::DistanceToMax {},
        NormaliseMethod::Borda {},
        NormaliseMethod::DistanceToTarget {
            target: None,
            cap: true,
        },
    ];
    let seconds = [
        SecondStage::LogCtOrig {},
        SecondStage::LogCtPlus {},
        SecondStage::BoxCox {
            lambda: 0.5,
            shift: true,
        },
    ];
    for (k, n) in normalisers.iter().enumerate() {
        let mut steps = base.clone();
        let mut treat = TreatSpec::default();
        treat.second_stage = seconds[k % seconds.len()].clone();
        if k % 2 == 1 {
            treat.second_stage_on = SecondStageOn::Winsorised;
        }
        treat = treat.with_override("Goods", IndicatorTreatment::ForceWinsorise { winmax: None });
        steps[3] = Step::Treat(treat);
        steps[4] = Step::Normalise(NormaliseSpec::new(n.clone()));
        // EM is checked on smaller data in the library's unit tests (it is slow
        // on 49 indicators and 51 units in a debug build).
        steps[1] = Step::Impute(ImputeSpec::new(match k % 3 {
            0 => ImputeMethod::Median {},
            1 => ImputeMethod::GroupMedian {
                group: "GDP_group".into(),
            },
            _ => ImputeMethod::Mean {},
        }));
        variants.push(steps);
    }
    for (k, steps) in variants.into_iter().enumerate() {
        let spec = IndexSpec::new(fw.clone(), steps);
        let p = Pipeline::new(spec, Arc::clone(&data)).unwrap();
        let plain = p.run().unwrap();
        let (again, fitted) = p.run_and_fit().unwrap();
        assert_bit_identical(&plain, &again, &format!("variant {k}: run_and_fit"));
        let fitted = round_trip(&fitted);
        let applied = fitted.apply(Arc::clone(&data)).unwrap();
        assert_bit_identical(&plain, &applied, &format!("variant {k}: fitted, applied"));
        let last = fitted.apply_final_only(Arc::clone(&data)).unwrap();
        for (p, q) in plain
            .last()
            .values()
            .iter()
            .zip(last.last().values().iter())
        {
            assert_eq!(p.to_bits(), q.to_bits(), "variant {k}: final only");
        }
        // The treatment log of an applied run records what the frozen treatment did.
        if let (Some(a), Some(b)) = (plain.treatment_log(), applied.treatment_log()) {
            for (x, y) in a.iter().zip(b) {
                assert_eq!(x.indicator, y.indicator);
                assert_eq!(
                    x.second_stage, y.second_stage,
                    "variant {k}: {}",
                    x.indicator
                );
                if x.second_stage.is_none() {
                    assert_eq!(
                        x.n_winsorised, y.n_winsorised,
                        "variant {k}: {}",
                        x.indicator
                    );
                }
            }
        }
    }
}

/// Units x indicators from a proptest strategy, with a few missing values.
fn dataset(n: usize, values: &[f64], missing: &[bool]) -> Dataset {
    let p = values.len() / n;
    let cols = (0..p)
        .map(|j| {
            let c: Vec<f64> = (0..n)
                .map(|i| {
                    let k = j * n + i;
                    // Keep the first two units complete so that no column is empty.
                    if missing[k] && i >= 2 {
                        f64::NAN
                    } else {
                        values[k]
                    }
                })
                .collect();
            (format!("x{j}"), c)
        })
        .collect();
    Dataset::from_columns((0..n).map(|i| format!("U{i:03}")).collect(), cols).unwrap()
}

fn chunk_spec(p: usize, method: usize, geometric: bool) -> IndexSpec {
    let mut nodes = vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P1", Some("Index")),
        NodeSpec::new("P2", Some("Index")).weight(2.0),
    ];
    for j in 0..p {
        let parent = if j % 2 == 0 { "P1" } else { "P2" };
        let mut n = NodeSpec::new(format!("x{j}"), Some(parent));
        if j == 1 {
            n = n.direction(-1.0);
        }
        nodes.push(n);
    }
    let norm = match method {
        0 => NormaliseMethod::MinMax { lo: 1.0, hi: 100.0 },
        1 => NormaliseMethod::ZScore {
            mean: 50.0,
            sd: 10.0,
        },
        2 => NormaliseMethod::PercentileRank {},
        _ => NormaliseMethod::Rank { ties: Ties::Min },
    };
    let mut treat = TreatSpec::default();
    treat.skew_thresh = 1.0;
    treat.kurt_thresh = 0.5;
    treat.second_stage_on = SecondStageOn::Winsorised;
    let agg = if geometric && method != 1 {
        AggregateMethod::GeometricMean {}
    } else {
        AggregateMethod::ArithmeticMean {}
    };
    IndexSpec::new(
        FrameworkSpec::new(nodes),
        vec![
            Step::Impute(ImputeSpec::new(ImputeMethod::Median {})),
            Step::Treat(treat),
            Step::Normalise(NormaliseSpec::new(norm)),
            Step::Aggregate(AggregateSpec::new(agg)),
        ],
    )
}

fn rows(data: &Dataset, range: std::ops::Range<usize>) -> Dataset {
    let codes = data.unit_codes()[range.clone()].to_vec();
    let cols = data
        .indicator_codes()
        .iter()
        .map(|c| {
            (
                c.clone(),
                data.indicator(c).unwrap()[range.clone()].to_vec(),
            )
        })
        .collect();
    Dataset::from_columns(codes, cols).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A fitted pipeline scores data in chunks of any size exactly as in one pass,
    /// and one pass over the reference equals the plain run.
    #[test]
    fn chunks_of_any_size_give_the_same_scores(
        n in 6usize..30,
        p in 2usize..6,
        seed in proptest::collection::vec(0.5f64..1000.0, 180),
        gaps in proptest::collection::vec(proptest::bool::weighted(0.1), 180),
        chunk in 1usize..12,
        method in 0usize..4,
        geometric in any::<bool>(),
    ) {
        let values: Vec<f64> = seed.iter().cycle().take(n * p).copied().collect();
        let missing: Vec<bool> = gaps.iter().cycle().take(n * p).copied().collect();
        let data = dataset(n, &values, &missing);
        let pipeline = Pipeline::new(chunk_spec(p, method, geometric), data.clone()).unwrap();
        let plain = match pipeline.run() {
            Ok(r) => r,
            // Degenerate random columns (constant after winsorising...) are errors
            // of the plain run too: nothing to compare.
            Err(_) => return Ok(()),
        };
        let fitted = pipeline.fit().unwrap();
        let one = fitted.apply(data.clone()).unwrap();
        assert_bit_identical(&plain, &one, "one pass");
        let whole = one.scores("Index").unwrap().to_vec();
        let mut pieced = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let end = (start + chunk).min(n);
            let r = fitted.apply(rows(&data, start..end)).unwrap();
            prop_assert_eq!(r.unit_codes(), &data.unit_codes()[start..end]);
            pieced.extend_from_slice(r.scores("Index").unwrap());
            start = end;
        }
        for (a, b) in whole.iter().zip(&pieced) {
            prop_assert_eq!(a.to_bits(), b.to_bits());
        }
    }
}

fn small() -> (IndexSpec, Dataset) {
    let spec = chunk_spec(2, 0, false);
    let data = Dataset::from_columns(
        vec!["A".into(), "B".into(), "C".into(), "D".into()],
        vec![
            ("x0".into(), vec![1.0, 2.0, 3.0, 40.0]),
            ("x1".into(), vec![4.0, 3.0, f64::NAN, 1.0]),
        ],
    )
    .unwrap();
    (spec, data)
}

#[test]
fn new_units_are_scored_against_the_reference() {
    let (spec, data) = small();
    let fitted = Pipeline::new(spec, data).unwrap().fit().unwrap();
    // E beyond the reference range on both indicators: min-max extrapolates.
    let new = Dataset::from_columns(
        vec!["E".into()],
        vec![("x0".into(), vec![0.0]), ("x1".into(), vec![f64::NAN])],
    )
    .unwrap();
    let r = fitted.apply(new).unwrap();
    let x0 = r.dataset("normalised").unwrap().column("x0").unwrap()[0];
    assert!(x0 < 1.0, "below the reference minimum: {x0}");
    // x1 is imputed with the reference median (3, of 4, 3, 1).
    let imputed = r.dataset("imputed").unwrap().column("x1").unwrap()[0];
    assert_eq!(imputed, 3.0);
    assert_eq!(fitted.reference_units(), ["A", "B", "C", "D"]);
    assert!(matches!(fitted.steps()[0], FittedStep::Impute(_)));
}

#[test]
fn what_cannot_be_frozen_is_refused() {
    let (mut spec, data) = small();
    spec.steps[3] = Step::Aggregate(AggregateSpec::new(AggregateMethod::Copeland {}));
    let p = Pipeline::new(spec.clone(), data.clone()).unwrap();
    assert!(p.run().is_ok());
    let e = p.fit().unwrap_err();
    assert!(
        matches!(&e, Error::Pipeline { stage, .. } if stage == "aggregate"),
        "{e}"
    );
    assert!(e.to_string().contains("copeland"), "{e}");
    // A fitted pipeline with the wrong number of steps.
    let (spec, data) = small();
    let fitted = Pipeline::new(spec.clone(), data.clone())
        .unwrap()
        .fit()
        .unwrap();
    let mut steps = fitted.steps().to_vec();
    steps.pop();
    assert!(FittedPipeline::new(spec.clone(), steps, vec![]).is_err());
    // New data without an indicator of the framework.
    let lacking = Dataset::from_columns(vec!["Z".into()], vec![("x0".into(), vec![1.0])]).unwrap();
    assert!(matches!(fitted.apply(lacking), Err(Error::Framework(_))));
}

#[cfg(feature = "serde")]
#[test]
fn fitted_files_with_bad_parameters_are_refused() {
    let (spec, data) = small();
    let fitted = Pipeline::new(spec, data).unwrap().fit().unwrap();
    let json = fitted.to_json().unwrap();
    assert!(json.contains("\"stage\": \"normalise\""), "{json}");
    // A maximum below the minimum.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut bad = v.clone();
    let cols = bad["steps"][2]["columns"].as_array_mut().unwrap();
    cols[0]["max"] = serde_json::json!(-1e9);
    let e = FittedPipeline::from_json(&bad.to_string()).unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { .. }), "{e}");
    // An unknown key.
    let mut bad = v;
    bad["extra"] = serde_json::json!(1);
    assert!(matches!(
        FittedPipeline::from_json(&bad.to_string()),
        Err(Error::SpecParse { .. })
    ));
}

#[test]
fn a_log_transform_outside_its_fitted_domain_names_the_unit() {
    // One heavy-tailed indicator: winsorising 1 point is not enough, log_ct runs.
    let mut values: Vec<f64> = (0..20).map(|i| 1.0 + f64::from(i) * 0.1).collect();
    values.extend([300.0, 500.0, 900.0, 1500.0, 2500.0, 5000.0, 9000.0]);
    let n = values.len();
    let data = Dataset::from_columns(
        (0..n).map(|i| format!("U{i}")).collect(),
        vec![
            ("x".into(), values.clone()),
            ("y".into(), values.iter().rev().copied().collect()),
        ],
    )
    .unwrap();
    let mut treat = TreatSpec::default();
    treat.winmax = 1;
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("x", Some("Index")),
        NodeSpec::new("y", Some("Index")),
    ]);
    let spec = IndexSpec::new(
        fw,
        vec![
            Step::Treat(treat),
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let (results, fitted) = Pipeline::new(spec, data).unwrap().run_and_fit().unwrap();
    assert_eq!(
        results.treatment_log().unwrap()[0].second_stage.as_deref(),
        Some("log_ct")
    );
    let new = Dataset::from_columns(
        vec!["FAR".into()],
        vec![("x".into(), vec![-1e6]), ("y".into(), vec![2.0])],
    )
    .unwrap();
    let e = fitted.apply(new).unwrap_err();
    assert!(
        matches!(&e, Error::Domain { unit, node, .. } if unit == "FAR" && node == "x"),
        "{e}"
    );
}
