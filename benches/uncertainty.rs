//! Criterion benchmarks of the uncertainty and sensitivity analyses (COINr's
//! vignette design). Results and how to reproduce them: BENCHMARKS.md.

mod common;

use std::hint::black_box;

use composite_index::prelude::*;
use composite_index::uncertainty::*;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_analyses(c: &mut Criterion) {
    let (fw, data) = common::synthetic(51, 49, 6);
    let pipeline =
        Pipeline::new(IndexSpec::new(fw, common::vignette_steps()), data).expect("valid pipeline");
    let mut g = c.benchmark_group("asem_51x49");
    g.sample_size(20);
    let ua = UncertaintySpec::new(common::vignette_inputs())
        .runs(1000)
        .seed(1);
    for (name, ex) in [
        ("serial", Execution::Serial),
        ("parallel", Execution::Parallel),
    ] {
        g.bench_function(format!("uncertainty_1000_runs/{name}"), |b| {
            b.iter(|| black_box(uncertainty_analysis(&pipeline, &ua, ex, None).expect("ua")))
        });
    }
    // d = 4: winmax, normalisation, one weight-noise level, aggregation
    let mut inputs = common::vignette_inputs();
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
