//! Deterministic synthetic data sets for the benchmarks (no files needed).
#![allow(dead_code)]

use composite_index::prelude::*;
use composite_index::prepare::ScreenBy;
use composite_index::uncertainty::{Noise, StepRef, UncertainInput};

/// Units x `n_ind` indicators with an ASEM-like tree: pillars of `per_pillar`
/// indicators, pillars split into two sub-indices, one index; a group column
/// (`Group`, 4 groups), a denominator (`Pop`), 5% missing values, every fifth
/// indicator heavy-tailed so that treatment has work to do.
pub fn synthetic(n_units: usize, n_ind: usize, per_pillar: usize) -> (FrameworkSpec, Dataset) {
    synthetic_part(0, n_units, n_ind, per_pillar, 0)
}

/// As [`synthetic`], for units `first_unit..first_unit + n_units` (codes
/// `U0000000`...) drawn from the stream `stream` (0 is [`synthetic`]'s): the
/// parts of a data set too large to hold at once.
pub fn synthetic_part(
    first_unit: usize,
    n_units: usize,
    n_ind: usize,
    per_pillar: usize,
    stream: u64,
) -> (FrameworkSpec, Dataset) {
    let mut s: u64 = (0x9E37_79B9_7F4A_7C15 ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03)).max(1);
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let units: Vec<String> = (first_unit..first_unit + n_units)
        .map(|i| format!("U{i:07}"))
        .collect();
    let mut nodes = vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("S1", Some("Index")),
        NodeSpec::new("S2", Some("Index")),
    ];
    let n_pillars = n_ind.div_ceil(per_pillar);
    for p in 0..n_pillars {
        let sub = if p < n_pillars / 2 { "S1" } else { "S2" };
        nodes.push(NodeSpec::new(format!("P{p}"), Some(sub)));
    }
    let mut cols = Vec::with_capacity(n_ind);
    for j in 0..n_ind {
        let code = format!("I{j:03}");
        let mut node = NodeSpec::new(code.clone(), Some(&format!("P{}", j / per_pillar)));
        if j % 7 == 3 {
            node = node.direction(-1.0);
        }
        if j % 9 == 4 {
            node = node.denominator("Pop");
        }
        nodes.push(node);
        let heavy = j % 5 == 0;
        let col: Vec<f64> = (0..n_units)
            .map(|_| {
                let u = next();
                if next() < 0.05 {
                    f64::NAN
                } else if heavy {
                    (8.0 * u).exp()
                } else {
                    100.0 * u
                }
            })
            .collect();
        cols.push((code, col));
    }
    let groups = (first_unit..first_unit + n_units)
        .map(|i| Some(format!("G{}", i % 4)))
        .collect();
    let pop = (0..n_units).map(|_| 1.0 + 100.0 * next()).collect();
    let data = Dataset::from_columns(units, cols)
        .and_then(|d| d.with_group("Group", groups))
        .and_then(|d| d.with_denominator("Pop", pop))
        .expect("valid synthetic data");
    (FrameworkSpec::new(nodes), data)
}

/// COINr's example pipeline (case A): denominate, group-mean imputation, screen,
/// treat, min-max, arithmetic mean.
pub fn case_a_steps() -> Vec<Step> {
    vec![
        Step::Denominate(DenominateSpec::default()),
        Step::Impute(ImputeSpec::new(ImputeMethod::GroupMean {
            group: "Group".into(),
        })),
        Step::Screen(ScreenSpec::new(ScreenBy::MissingData { dat_thresh: 0.5 })),
        Step::Treat(TreatSpec::default()),
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 0.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
    ]
}

/// Treat, min-max [1, 100], arithmetic mean: the design COINr's uncertainty vignette perturbs.
pub fn vignette_steps() -> Vec<Step> {
    vec![
        Step::Treat(TreatSpec::default()),
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 1.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
    ]
}

/// Edition `y` of a synthetic panel: `data` with every value scaled by a factor
/// of the edition and the column, so that editions differ (panel benchmarks).
pub fn scaled_edition(data: &Dataset, y: usize) -> Dataset {
    let cols = data
        .indicator_codes()
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let f = 1.0 + 0.01 * y as f64 * ((j % 5) as f64 - 2.0);
            let v = data
                .indicator(c)
                .expect("column")
                .iter()
                .map(|x| x * f)
                .collect();
            (c.clone(), v)
        })
        .collect();
    let mut d = Dataset::from_columns(data.unit_codes().to_vec(), cols).expect("edition");
    for g in data.groups() {
        d = d
            .with_group(g.name.clone(), g.values.clone())
            .expect("group");
    }
    for c in data.denominators() {
        d = d
            .with_denominator(c.name.clone(), c.values.clone())
            .expect("denominator");
    }
    d
}

/// COINr's vignette: winmax 1-5; min-max [1, 100] vs z-score (10, 2); weight
/// noise 25% at levels 2 and 3; arithmetic vs geometric mean.
pub fn vignette_inputs() -> Vec<UncertainInput> {
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
            level: 2,
            factor: 0.25,
            noise: Noise::Uniform {},
            replicates: None,
        },
        UncertainInput::WeightNoise {
            label: None,
            level: 3,
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
