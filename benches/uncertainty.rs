//! Criterion benchmarks of the uncertainty and sensitivity analyses (COINr's
//! vignette design). Results and how to reproduce them: BENCHMARKS.md.

mod common;

use std::hint::black_box;

use composite_index::prelude::*;
use composite_index::uncertainty::*;
use criterion::{Criterion, criterion_group, criterion_main};

/// COINr's vignette: winmax 1-5; min-max [1, 100] vs z-score (10, 2); weight
/// noise 25% at levels 2 and 3; arithmetic vs geometric mean.
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

fn bench_analyses(c: &mut Criterion) {
    let (fw, data) = common::synthetic(51, 49, 6);
    let pipeline =
        Pipeline::new(IndexSpec::new(fw, common::vignette_steps()), data).expect("valid pipeline");
    let mut g = c.benchmark_group("asem_51x49");
    g.sample_size(20);
    let ua = UncertaintySpec::new(vignette_inputs()).runs(1000).seed(1);
    for (name, ex) in [
        ("serial", Execution::Serial),
        ("parallel", Execution::Parallel),
    ] {
        g.bench_function(format!("uncertainty_1000_runs/{name}"), |b| {
            b.iter(|| black_box(uncertainty_analysis(&pipeline, &ua, ex, None).expect("ua")))
        });
    }
    // d = 4: winmax, normalisation, one weight-noise level, aggregation
    let mut inputs = vignette_inputs();
    inputs.remove(3);
    let mut sa = SensitivitySpec::new(inputs).n(1000).seed(1);
    sa.bootstrap = 1000;
    for (name, ex) in [
        ("serial", Execution::Serial),
        ("parallel", Execution::Parallel),
    ] {
        g.bench_function(format!("sobol_n1000_d4/{name}"), |b| {
            b.iter(|| black_box(sensitivity_analysis(&pipeline, &sa, ex, None).expect("sa")))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_analyses);
criterion_main!(benches);
