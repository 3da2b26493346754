//! Frontier and non-compensatory aggregators as alternatives in an uncertainty
//! analysis ("arithmetic mean vs Benefit of the Doubt at the pillar level"),
//! and their specification round trip.

use composite_index::aggregate::{
    BodOptions, ChildValues, MeanMinStandardise, OrderM, Polarity, SdKind,
};
use composite_index::prelude::*;
use composite_index::uncertainty::*;

fn pipeline() -> Pipeline {
    let units: Vec<String> = (0..15).map(|i| format!("U{i:02}")).collect();
    let col = |k: f64| {
        (0..15)
            .map(|i| ((i as f64 * k).sin() * 10.0 + 20.0 + i as f64 * 0.7).abs())
            .collect::<Vec<f64>>()
    };
    let data = Dataset::from_columns(
        units,
        vec![
            ("a".into(), col(1.3)),
            ("b".into(), col(2.1)),
            ("c".into(), col(0.7)),
            ("d".into(), col(3.3)),
            ("e".into(), col(1.9)),
        ],
    )
    .unwrap();
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P1", Some("Index")),
        NodeSpec::new("P2", Some("Index")),
        NodeSpec::new("a", Some("P1")),
        NodeSpec::new("b", Some("P1")),
        NodeSpec::new("c", Some("P1")),
        NodeSpec::new("d", Some("P2")),
        NodeSpec::new("e", Some("P2")),
    ]);
    let steps = vec![
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 1.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::default()),
    ];
    Pipeline::new(IndexSpec::new(fw, steps), data).unwrap()
}

#[test]
fn arithmetic_mean_versus_bod_at_the_pillar_level() {
    let p = pipeline();
    let bod = AggregateSpec::default()
        .with_level(2, AggregateMethod::from(BodOptions::new().scale(100.0)));
    let spec = UncertaintySpec::new(vec![UncertainInput::Alternatives {
        label: Some("pillar aggregation".into()),
        step: StepRef::Stage("aggregate".into()),
        alternatives: vec![
            Step::Aggregate(AggregateSpec::default()),
            Step::Aggregate(bod.clone()),
        ],
        skip: false,
        probabilities: vec![],
    }])
    .runs(40)
    .seed(3)
    .keep_distribution(true);
    let r = uncertainty_analysis(&p, &spec, Execution::Serial, None).unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    let used: std::collections::BTreeSet<usize> = r.choices.iter().map(|c| c[0]).collect();
    assert_eq!(used.len(), 2, "both alternatives drawn");
    // The BoD runs give the ranks of the BoD pipeline, the others the nominal ones.
    let mut with_bod = p.clone();
    with_bod.set_step(1, Step::Aggregate(bod)).unwrap();
    let bod_ranks = with_bod.run().unwrap().ranks("Index").unwrap();
    let nominal = p.run().unwrap().ranks("Index").unwrap();
    assert_ne!(
        bod_ranks, nominal,
        "the alternatives must differ for this test to mean anything"
    );
    let dist = r.node("Index").unwrap().distribution.as_ref().unwrap();
    for (run, choice) in r.choices.iter().enumerate() {
        let want = if choice[0] == 1 { &bod_ranks } else { &nominal };
        for (u, w) in want.iter().enumerate() {
            assert_eq!(dist[run][u], f64::from(w.unwrap()), "run {run}, unit {u}");
        }
    }
    // Same seed, same results, in parallel too.
    let again = uncertainty_analysis(&p, &spec, Execution::Parallel, None).unwrap();
    assert_eq!(again.choices, r.choices);
    assert_eq!(
        again.node("Index").unwrap().distribution,
        r.node("Index").unwrap().distribution
    );
}

#[cfg(feature = "serde")]
#[test]
fn new_methods_round_trip_through_toml_and_json() {
    let methods = vec![
        AggregateMethod::from(BodOptions::new()),
        AggregateMethod::from(BodOptions::new().shares(0.05, 0.5).weights(
            Some(ChildValues::Each([("a".to_string(), 0.001)].into())),
            None,
        )),
        AggregateMethod::from(BodOptions::new().direction(ChildValues::All(1.0))),
        AggregateMethod::from(BodOptions::new().order_m(OrderM {
            m: 20,
            replicates: Some(200),
            seed: 9,
        })),
        AggregateMethod::MazziottaPareto {
            polarity: Polarity::Negative,
            sd: SdKind::Sample,
        },
        AggregateMethod::AdjustedMazziottaPareto {
            polarity: Polarity::Positive,
            reference: Some(ChildValues::All(50.0)),
            min: Some(ChildValues::Each([("a".to_string(), 0.0)].into())),
            max: None,
        },
        AggregateMethod::Owa {
            orness: Some(0.7),
            weights: None,
        },
        AggregateMethod::Owa {
            orness: None,
            weights: Some(vec![0.5, 0.5, 0.0]),
        },
        AggregateMethod::MeanMin {
            alpha: 0.5,
            beta: 1.0,
            standardise: MeanMinStandardise::None,
        },
        AggregateMethod::MeanMin {
            alpha: 0.5,
            beta: 1.0,
            standardise: MeanMinStandardise::Compind,
        },
    ];
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("I", None),
        NodeSpec::new("a", Some("I")),
    ]);
    for m in methods {
        let spec = IndexSpec::new(
            fw.clone(),
            vec![Step::Aggregate(AggregateSpec::new(m.clone()))],
        );
        let toml = spec.to_toml().unwrap();
        assert_eq!(IndexSpec::from_toml(&toml).unwrap(), spec, "{toml}");
        let json = spec.to_json().unwrap();
        assert_eq!(IndexSpec::from_json(&json).unwrap(), spec, "{json}");
    }
    // Unknown keys are rejected, in the newtype variant too.
    let bad = r#"spec_version = 1
[[framework.nodes]]
code = "I"
[[steps]]
stage = "aggregate"
default = { method = "benefit_of_the_doubt", share_maxx = 0.5 }
"#;
    let e = IndexSpec::from_toml(bad).unwrap_err().to_string();
    assert!(e.contains("share_maxx"), "{e}");
    let bad = bad.replace(
        r#"{ method = "benefit_of_the_doubt", share_maxx = 0.5 }"#,
        r#"{ method = "mean_min", alpha = 0.5, beta = 1, standardise = "zscore" }"#,
    );
    let e = IndexSpec::from_toml(&bad).unwrap_err().to_string();
    assert!(e.contains("zscore") && e.contains("z_score"), "{e}");
    for (bad, key) in [
        (r#"{ method = "owa", orness = 1.5 }"#, "orness"),
        (r#"{ method = "mean_min", alpha = 2, beta = 1 }"#, "alpha"),
        (
            r#"{ method = "benefit_of_the_doubt", share_min = 0.1, direction = 1 }"#,
            "direction",
        ),
        (
            r#"{ method = "benefit_of_the_doubt", order_m = { m = 0 } }"#,
            "order_m",
        ),
    ] {
        let text = format!(
            "spec_version = 1\n[[framework.nodes]]\ncode = \"I\"\n[[framework.nodes]]\ncode = \"a\"\nparent = \"I\"\n[[steps]]\nstage = \"aggregate\"\ndefault = {bad}\n"
        );
        let spec = IndexSpec::from_toml(&text).unwrap();
        let data = Dataset::from_columns(vec!["U".into()], vec![("a".into(), vec![1.0])]).unwrap();
        let e = Pipeline::new(spec, data).unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { ref parameter, .. } if parameter == key),
            "{bad}: {e}"
        );
    }
}
