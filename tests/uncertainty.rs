//! Uncertainty and sensitivity analysis: exactness without uncertainty,
//! reproducibility across threads, Sobol estimators on functions with known
//! indices, failed runs, and validation before any run.

use composite_index::prelude::*;
use composite_index::uncertainty::*;

/// Tolerance of the Sobol estimators at N = 8192 with Sobol sampling (stated in the
/// issue's acceptance): absolute error on every first-order and total index.
const SOBOL_TOL: f64 = 0.02;

fn data() -> Dataset {
    // 12 units, 4 indicators, deterministic and varied
    let units: Vec<String> = (0..12).map(|i| format!("U{i:02}")).collect();
    let col = |k: f64| {
        (0..12)
            .map(|i| ((i as f64 * k).sin() * 10.0 + 20.0 + i as f64 * 0.5).abs())
            .collect::<Vec<f64>>()
    };
    Dataset::from_columns(
        units,
        vec![
            ("a".into(), col(1.3)),
            ("b".into(), col(2.1)),
            ("c".into(), col(0.7)),
            ("d".into(), col(3.3)),
        ],
    )
    .unwrap()
}

fn pipeline() -> Pipeline {
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P1", Some("Index")),
        NodeSpec::new("P2", Some("Index")),
        NodeSpec::new("a", Some("P1")),
        NodeSpec::new("b", Some("P1")).direction(-1.0),
        NodeSpec::new("c", Some("P2")),
        NodeSpec::new("d", Some("P2")),
    ]);
    let steps = vec![
        Step::Treat(TreatSpec::default()),
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 1.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::default()),
    ];
    Pipeline::new(IndexSpec::new(fw, steps), data()).unwrap()
}

fn vignette_inputs() -> Vec<UncertainInput> {
    vec![
        UncertainInput::Winmax {
            label: None,
            step: StepRef::Stage("treat".into()),
            values: vec![1, 2, 3, 4, 5],
            probabilities: vec![],
        },
        UncertainInput::Alternatives {
            label: Some("normalisation".into()),
            step: StepRef::Stage("normalise".into()),
            alternatives: vec![
                Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                    lo: 1.0,
                    hi: 100.0,
                })),
                Step::Normalise(NormaliseSpec::new(NormaliseMethod::ZScore {
                    mean: 10.0,
                    sd: 2.0,
                })),
            ],
            skip: false,
            probabilities: vec![],
        },
        UncertainInput::WeightNoise {
            label: None,
            level: 1,
            factor: 0.25,
            noise: Noise::Uniform {},
            replicates: None,
        },
        UncertainInput::WeightNoise {
            label: None,
            level: 2,
            factor: 0.25,
            noise: Noise::Uniform {},
            replicates: None,
        },
        UncertainInput::Alternatives {
            label: Some("aggregation".into()),
            step: StepRef::Stage("aggregate".into()),
            alternatives: vec![
                Step::Aggregate(AggregateSpec::default()),
                Step::Aggregate(AggregateSpec::new(AggregateMethod::GeometricMean {})),
            ],
            skip: false,
            probabilities: vec![],
        },
    ]
}

#[test]
fn no_uncertainty_reproduces_the_deterministic_result_exactly() {
    let p = pipeline();
    let nominal = p.run().unwrap();
    let spec = UncertaintySpec::new(vec![])
        .runs(20)
        .keep_distribution(true);
    let r = uncertainty_analysis(&p, &spec, Execution::Serial, None).unwrap();
    let idx = r.node("Index").unwrap();
    let ranks = nominal.ranks("Index").unwrap();
    let scores = nominal.scores("Index").unwrap();
    for (u, s) in idx.units.iter().enumerate() {
        let nr = f64::from(ranks[u].unwrap());
        assert_eq!(
            (s.median_rank, s.q05_rank, s.q95_rank, s.mean_rank),
            (nr, nr, nr, nr)
        );
        assert_eq!(s.median_score.to_bits(), scores[u].to_bits());
        assert_eq!(s.q95_score.to_bits(), scores[u].to_bits());
        assert_eq!(s.share_within, 1.0);
    }
    // an input whose only option is the nominal step changes nothing either
    let same = UncertaintySpec::new(vec![UncertainInput::Winmax {
        label: None,
        step: StepRef::Index(0),
        values: vec![5],
        probabilities: vec![],
    }])
    .runs(5);
    let r2 = uncertainty_analysis(&p, &same, Execution::Serial, None).unwrap();
    for (a, b) in r2.node("Index").unwrap().units.iter().zip(&idx.units) {
        assert_eq!(
            (a.median_rank, a.q05_rank, a.q95_rank),
            (b.median_rank, b.q05_rank, b.q95_rank)
        );
        assert_eq!(a.median_score.to_bits(), b.median_score.to_bits());
    }
}

#[test]
fn same_seed_gives_bit_identical_results_on_any_thread_count() {
    let p = pipeline();
    let spec = UncertaintySpec::new(vignette_inputs())
        .runs(300)
        .seed(7)
        .keep_distribution(true);
    let serial = uncertainty_analysis(&p, &spec, Execution::Serial, None).unwrap();
    let one = uncertainty_analysis(&p, &spec, Execution::Threads(1), None).unwrap();
    let two = uncertainty_analysis(&p, &spec, Execution::Threads(2), None).unwrap();
    let par = uncertainty_analysis(&p, &spec, Execution::Parallel, None).unwrap();
    let bits = |r: &UncertaintyResults| -> Vec<u64> {
        let n = r.node("Index").unwrap();
        n.distribution
            .as_ref()
            .unwrap()
            .iter()
            .flatten()
            .map(|v| v.to_bits())
            .chain(n.units.iter().flat_map(|u| {
                [
                    u.mean_score.to_bits(),
                    u.q05_score.to_bits(),
                    u.q95_score.to_bits(),
                ]
            }))
            .collect()
    };
    assert_eq!(bits(&serial), bits(&one));
    assert_eq!(bits(&serial), bits(&two));
    assert_eq!(bits(&serial), bits(&par));
    assert_eq!(serial.choices, two.choices);
    // the uncertainty does move ranks
    assert!(
        serial
            .node("Index")
            .unwrap()
            .units
            .iter()
            .any(|u| u.q95_rank > u.q05_rank)
    );
    // a different seed gives different draws
    let other = uncertainty_analysis(&p, &spec.clone().seed(8), Execution::Serial, None).unwrap();
    assert_ne!(other.choices, serial.choices);
}

#[test]
fn every_option_is_drawn_with_its_probability() {
    let p = pipeline();
    let spec = UncertaintySpec::new(vec![UncertainInput::Winmax {
        label: None,
        step: StepRef::Stage("treat".into()),
        values: vec![1, 3],
        probabilities: vec![0.25, 0.75],
    }])
    .runs(4000)
    .seed(1);
    let r = uncertainty_analysis(&p, &spec, Execution::Parallel, None).unwrap();
    let share = r.choices.iter().filter(|c| c[0] == 1).count() as f64 / 4000.0;
    assert!((share - 0.75).abs() < 0.03, "share {share}");
}

#[test]
fn failed_runs_are_counted_with_their_reason() {
    let p = pipeline();
    // min-max to [0, 100] puts zeros in the data: the geometric mean must fail
    let spec = UncertaintySpec::new(vec![
        UncertainInput::Alternatives {
            label: Some("normalisation".into()),
            step: StepRef::Stage("normalise".into()),
            alternatives: vec![Step::Normalise(NormaliseSpec::new(
                NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 },
            ))],
            skip: false,
            probabilities: vec![],
        },
        UncertainInput::Alternatives {
            label: Some("aggregation".into()),
            step: StepRef::Stage("aggregate".into()),
            alternatives: vec![
                Step::Aggregate(AggregateSpec::default()),
                Step::Aggregate(AggregateSpec::new(AggregateMethod::GeometricMean {})),
            ],
            skip: false,
            probabilities: vec![],
        },
    ])
    .runs(200)
    .seed(3);
    let r = uncertainty_analysis(&p, &spec, Execution::Parallel, None).unwrap();
    let geometric = r.choices.iter().filter(|c| c[1] == 1).count();
    assert_eq!(r.failed.len(), geometric);
    assert!(geometric > 50);
    assert!(r.failed.iter().all(|f| f.reason.contains("geometric")));
    assert!(
        r.node("Index")
            .unwrap()
            .units
            .iter()
            .all(|u| u.runs == 200 - geometric)
    );
}

#[test]
fn skipping_a_step_and_excluding_nodes() {
    let p = pipeline();
    let spec = UncertaintySpec::new(vec![
        UncertainInput::Alternatives {
            label: None,
            step: StepRef::Index(0),
            alternatives: vec![],
            skip: true,
            probabilities: vec![],
        },
        UncertainInput::Exclude {
            label: None,
            options: vec![vec!["a".into()]],
            probabilities: vec![],
        },
    ])
    .runs(3);
    let r = uncertainty_analysis(&p, &spec, Execution::Serial, None).unwrap();
    // every run: no treatment, indicator a excluded. Build that by hand.
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P1", Some("Index")),
        NodeSpec::new("P2", Some("Index")),
        NodeSpec::new("b", Some("P1")).direction(-1.0),
        NodeSpec::new("c", Some("P2")),
        NodeSpec::new("d", Some("P2")),
    ]);
    let steps = vec![
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 1.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::default()),
    ];
    let by_hand = Pipeline::new(IndexSpec::new(fw, steps), data())
        .unwrap()
        .run()
        .unwrap();
    let expected = by_hand.scores("Index").unwrap();
    for (u, s) in r.node("Index").unwrap().units.iter().enumerate() {
        assert!((s.median_score - expected[u]).abs() < 1e-12, "{}", s.unit);
    }
}

fn expect_rejected(inputs: Vec<UncertainInput>, needle: &str) {
    let p = pipeline();
    let e = uncertainty_analysis(
        &p,
        &UncertaintySpec::new(inputs).runs(10),
        Execution::Serial,
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains(needle),
        "{e} does not mention {needle:?}"
    );
}

#[test]
fn impossible_specs_are_rejected_before_any_run_naming_the_step() {
    expect_rejected(
        vec![UncertainInput::Alternatives {
            label: None,
            step: StepRef::Stage("impute".into()),
            alternatives: vec![Step::Impute(ImputeSpec::new(ImputeMethod::Mean {}))],
            skip: true,
            probabilities: vec![],
        }],
        "\"impute\" step, but the pipeline has none",
    );
    expect_rejected(
        vec![UncertainInput::Winmax {
            label: None,
            step: StepRef::Index(9),
            values: vec![1],
            probabilities: vec![],
        }],
        "step 9",
    );
    expect_rejected(
        vec![UncertainInput::Winmax {
            label: None,
            step: StepRef::Stage("normalise".into()),
            values: vec![1],
            probabilities: vec![],
        }],
        "only a treat step has",
    );
    expect_rejected(
        vec![UncertainInput::Winmax {
            label: None,
            step: StepRef::Index(0),
            values: vec![0, 2],
            probabilities: vec![],
        }],
        "at least 1",
    );
    expect_rejected(
        vec![UncertainInput::Alternatives {
            label: Some("norm".into()),
            step: StepRef::Stage("normalise".into()),
            alternatives: vec![Step::Aggregate(AggregateSpec::default())],
            skip: false,
            probabilities: vec![],
        }],
        "alternative 0 is a aggregate step",
    );
    expect_rejected(
        vec![UncertainInput::Winmax {
            label: None,
            step: StepRef::Index(0),
            values: vec![1, 2],
            probabilities: vec![0.5, 0.6],
        }],
        "sum to",
    );
    expect_rejected(
        vec![UncertainInput::Winmax {
            label: None,
            step: StepRef::Index(0),
            values: vec![1, 2],
            probabilities: vec![1.0],
        }],
        "1 probabilities for 2 options",
    );
    expect_rejected(
        vec![UncertainInput::WeightNoise {
            label: None,
            level: 3,
            factor: 0.2,
            noise: Noise::Uniform {},
            replicates: None,
        }],
        "level 3",
    );
    expect_rejected(
        vec![UncertainInput::WeightNoise {
            label: None,
            level: 1,
            factor: 1.5,
            noise: Noise::Uniform {},
            replicates: None,
        }],
        "factor 1.5",
    );
    expect_rejected(
        vec![UncertainInput::Exclude {
            label: None,
            options: vec![vec!["zz".into()]],
            probabilities: vec![],
        }],
        "\"zz\"",
    );
    expect_rejected(
        vec![UncertainInput::Exclude {
            label: None,
            options: vec![vec!["c".into(), "d".into()]],
            probabilities: vec![],
        }],
        "every child of \"P2\"",
    );
    expect_rejected(
        vec![
            UncertainInput::Winmax {
                label: Some("w1".into()),
                step: StepRef::Index(0),
                values: vec![1],
                probabilities: vec![],
            },
            UncertainInput::Winmax {
                label: Some("w2".into()),
                step: StepRef::Index(0),
                values: vec![2],
                probabilities: vec![],
            },
        ],
        "both perturb this step",
    );
    // a pipeline without aggregation cannot take weight noise
    let p = Pipeline::new(
        IndexSpec::new(
            pipeline().spec().framework.clone(),
            vec![Step::Normalise(NormaliseSpec::default())],
        ),
        data(),
    )
    .unwrap();
    let spec = UncertaintySpec::new(vec![UncertainInput::WeightNoise {
        label: None,
        level: 1,
        factor: 0.2,
        noise: Noise::Uniform {},
        replicates: None,
    }]);
    assert!(
        uncertainty_analysis(&p, &spec, Execution::Serial, None)
            .unwrap_err()
            .to_string()
            .contains("no aggregate step")
    );
}

fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u
        .iter()
        .map(|v| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * v)
        .collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

#[test]
fn sobol_estimators_recover_the_ishigami_indices() {
    // Analytic values for a = 7, b = 0.1 (Ishigami and Homma 1990; Saltelli et al. 2008).
    let (a, b) = (7.0f64, 0.1f64);
    let pi4 = std::f64::consts::PI.powi(4);
    let pi8 = pi4 * pi4;
    let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = 8.0 * b * b * pi8 / 225.0;
    let v = v1 + v2 + v13;
    let first = [v1 / v, v2 / v, 0.0];
    let total = [(v1 + v13) / v, v2 / v, v13 / v];
    let r = sobol_indices_of(ishigami, 3, 8192, Sampling::Sobol, 0, 200).unwrap();
    for i in 0..3 {
        assert!(
            (r.indices[i].first - first[i]).abs() < SOBOL_TOL,
            "S{} = {} vs {}",
            i + 1,
            r.indices[i].first,
            first[i]
        );
        assert!(
            (r.indices[i].total - total[i]).abs() < SOBOL_TOL,
            "ST{} = {} vs {}",
            i + 1,
            r.indices[i].total,
            total[i]
        );
        let (lo, hi) = r.indices[i].total_interval;
        assert!(lo <= r.indices[i].total && r.indices[i].total <= hi);
    }
    assert_eq!(r.convergence.last().unwrap().n, 8192);
    // plain Monte Carlo converges more slowly: a looser, stated tolerance of 0.05
    let mc = sobol_indices_of(ishigami, 3, 8192, Sampling::MonteCarlo, 11, 0).unwrap();
    for (i, (idx, t)) in mc.indices.iter().zip(total).enumerate() {
        assert!((idx.total - t).abs() < 0.05, "MC ST{}", i + 1);
    }
}

#[test]
fn sobol_estimators_recover_a_linear_model() {
    // y = 1 x1 + 2 x2 + 3 x3 with independent uniforms: S_i = ST_i = a_i^2 / sum a^2
    let r = sobol_indices_of(
        |u| u[0] + 2.0 * u[1] + 3.0 * u[2],
        3,
        4096,
        Sampling::Sobol,
        0,
        0,
    )
    .unwrap();
    for (i, a) in [1.0f64, 2.0, 3.0].iter().enumerate() {
        let s = a * a / 14.0;
        assert!((r.indices[i].first - s).abs() < 0.01, "S{}", i + 1);
        assert!((r.indices[i].total - s).abs() < 0.01, "ST{}", i + 1);
    }
}

#[test]
fn sensitivity_analysis_of_the_pipeline() {
    let p = pipeline();
    let mut spec = SensitivitySpec::new(vignette_inputs()).n(256).seed(5);
    spec.bootstrap = 100;
    spec.per_unit = true;
    let serial = sensitivity_analysis(&p, &spec, Execution::Serial, None).unwrap();
    let par = sensitivity_analysis(&p, &spec, Execution::Threads(2), None).unwrap();
    // bit-identical (Debug prints every f64 exactly, and NaN as NaN)
    assert_eq!(format!("{serial:?}"), format!("{par:?}"));
    assert_eq!(serial.runs, 256 * 7);
    assert!(serial.failed.is_empty(), "{:?}", serial.failed.first());
    let s = &serial.mean_rank_shift;
    assert_eq!(s.indices.len(), 5);
    for idx in &s.indices {
        // total effects dominate first-order ones, up to estimation error
        assert!(
            idx.total >= idx.first - 0.1,
            "{}: S {} ST {}",
            idx.input,
            idx.first,
            idx.total
        );
        assert!(idx.total > -0.05);
    }
    assert_eq!(serial.per_unit.len(), 12);
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let cb = |pr: Progress| {
        assert!(pr.done <= pr.total);
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let small = SensitivitySpec::new(vignette_inputs()).n(8);
    sensitivity_analysis(&p, &small, Execution::Parallel, Some(&cb)).unwrap();
    assert_eq!(calls.into_inner(), 8 * 7);
}

#[cfg(feature = "serde")]
#[test]
fn uncertainty_and_sensitivity_specs_read_from_toml() {
    let text = r#"
runs = 500
seed = 42
targets = ["Index", "P1"]
keep_distribution = true

[[inputs]]
kind = "winmax"
step = "treat"
values = [1, 2, 3, 4, 5]

[[inputs]]
kind = "alternatives"
label = "normalisation"
step = 1
alternatives = [
  { stage = "normalise", default = { method = "min_max", lo = 1, hi = 100 } },
  { stage = "normalise", default = { method = "z_score", mean = 10, sd = 2 } },
]

[[inputs]]
kind = "weight_noise"
level = 2
factor = 0.25
noise = { distribution = "triangular" }

[[inputs]]
kind = "exclude"
options = [[], ["a"], ["c"]]
probabilities = [0.5, 0.25, 0.25]
"#;
    let spec: UncertaintySpec = toml::from_str(text).unwrap();
    assert_eq!(spec.runs, 500);
    assert_eq!(spec.inputs.len(), 4);
    assert!(
        matches!(&spec.inputs[0], UncertainInput::Winmax { step: StepRef::Stage(s), .. } if s == "treat")
    );
    assert!(matches!(
        &spec.inputs[1],
        UncertainInput::Alternatives {
            step: StepRef::Index(1),
            ..
        }
    ));
    let back: UncertaintySpec = toml::from_str(&toml::to_string(&spec).unwrap()).unwrap();
    assert_eq!(back, spec);
    let r = uncertainty_analysis(
        &pipeline(),
        &spec.clone().runs(50),
        Execution::Parallel,
        None,
    )
    .unwrap();
    assert_eq!(r.nodes.len(), 2);
    assert!(
        r.node("P1")
            .unwrap()
            .distribution
            .as_ref()
            .is_some_and(|d| d.len() == 50)
    );
    // unknown keys are rejected
    assert!(toml::from_str::<UncertaintySpec>("runs = 5\nrunz = 6\n").is_err());
    assert!(
        toml::from_str::<UncertaintySpec>(
            "[[inputs]]\nkind = \"winmax\"\nstep = \"treat\"\nvalues = [1]\nfactor = 2\n"
        )
        .is_err()
    );
    let sa: SensitivitySpec = toml::from_str("n = 64\nsampling = \"monte_carlo\"\n[[inputs]]\nkind = \"winmax\"\nstep = 0\nvalues = [1, 5]\n").unwrap();
    assert_eq!(sa.sampling, Sampling::MonteCarlo);
}
