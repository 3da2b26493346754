//! Criterion benchmarks of pipeline runs. Results and how to reproduce them:
//! BENCHMARKS.md.

mod common;

use std::hint::black_box;
use std::sync::Arc;

use composite_index::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_pipeline(c: &mut Criterion) {
    for (label, n, k, per) in [("asem_51x49", 51, 49, 6), ("gii_139x78", 139, 78, 4)] {
        let (fw, data) = common::synthetic(n, k, per);
        let spec = IndexSpec::new(fw, common::case_a_steps());
        let data = Arc::new(data);
        let pipeline = Pipeline::new(spec.clone(), Arc::clone(&data)).expect("valid pipeline");
        c.bench_function(&format!("full_run_case_a/{label}"), |b| {
            b.iter(|| black_box(pipeline.run().expect("run")))
        });
        // What COINr's `Regen` does: validate and resolve the spec, then run.
        c.bench_function(&format!("new_case_a/{label}"), |b| {
            b.iter(|| black_box(Pipeline::new(spec.clone(), Arc::clone(&data)).expect("new")))
        });
        c.bench_function(&format!("new_and_run_case_a/{label}"), |b| {
            b.iter(|| {
                let p = Pipeline::new(spec.clone(), Arc::clone(&data)).expect("new");
                black_box(p.run().expect("run"))
            })
        });
        let mut results = pipeline.run().expect("run");
        c.bench_function(&format!("rerun_all_steps_reusing_buffers/{label}"), |b| {
            b.iter(|| {
                pipeline.rerun_from(0, &mut results).expect("rerun");
                black_box(results.scores("Index").map(|s| s[0]))
            })
        });
        c.bench_function(&format!("rerun_from_treat/{label}"), |b| {
            b.iter(|| {
                pipeline.rerun_from(3, &mut results).expect("rerun");
                black_box(results.scores("Index").map(|s| s[0]))
            })
        });
    }
}

fn bench_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling_final_only_80_indicators");
    g.sample_size(10);
    for n in [10_000usize, 100_000, 1_000_000] {
        let (fw, data) = common::synthetic(n, 80, 5);
        let pipeline = Pipeline::new(IndexSpec::new(fw, common::case_a_steps()), data)
            .expect("valid pipeline");
        g.bench_function(format!("{n}_units"), |b| {
            b.iter(|| black_box(pipeline.run_final_only().expect("run")))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_pipeline, bench_scaling);
criterion_main!(benches);
