//! Criterion benchmarks of full pipeline runs. Results and how to reproduce them:
//! BENCHMARKS.md.

use std::hint::black_box;

use composite_index::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

/// A deterministic units x indicators data set with an ASEM-like tree: `n_ind`
/// indicators in pillars of `per_pillar`, pillars in two sub-indices, one index.
fn synthetic(n_units: usize, n_ind: usize, per_pillar: usize) -> (FrameworkSpec, Dataset) {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let units: Vec<String> = (0..n_units).map(|i| format!("U{i:05}")).collect();
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
    let mut cols = Vec::new();
    for j in 0..n_ind {
        let code = format!("I{j:03}");
        nodes.push(
            NodeSpec::new(code.clone(), Some(&format!("P{}", j / per_pillar)))
                .direction(if j % 7 == 3 { -1.0 } else { 1.0 }),
        );
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
    (
        FrameworkSpec::new(nodes),
        Dataset::from_columns(units, cols).expect("valid synthetic data"),
    )
}

fn case_a_like_steps() -> Vec<Step> {
    vec![
        Step::Treat(TreatSpec::default()),
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 0.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
    ]
}

fn bench_pipeline(c: &mut Criterion) {
    for (label, n, k, per) in [("asem_51x49", 51, 49, 6), ("gii_139x78", 139, 78, 4)] {
        let (fw, data) = synthetic(n, k, per);
        let pipeline =
            Pipeline::new(IndexSpec::new(fw, case_a_like_steps()), data).expect("valid pipeline");
        c.bench_function(&format!("full_run/{label}"), |b| {
            b.iter(|| black_box(pipeline.run().expect("run")))
        });
        let mut results = pipeline.run().expect("run");
        c.bench_function(&format!("rerun_from_normalise/{label}"), |b| {
            b.iter(|| {
                pipeline.rerun_from(1, &mut results).expect("rerun");
                black_box(results.scores("Index").map(|s| s[0]))
            })
        });
    }
}

criterion_group!(benches, bench_pipeline);
criterion_main!(benches);
