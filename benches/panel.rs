//! Criterion benchmarks of panel runs: a panel of 1,000 units x 80 indicators x
//! 20 editions against one edition of that size. Results: BENCHMARKS.md.

mod common;

use std::hint::black_box;

use composite_index::panel::{FitScope, Panel, PanelPipeline, PanelSpec};
use composite_index::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_panel(c: &mut Criterion) {
    let (fw, data) = common::synthetic(1_000, 80, 5);
    let spec = IndexSpec::new(fw, common::case_a_steps());
    let single = Pipeline::new(spec.clone(), data.clone()).expect("valid pipeline");
    let panel = Panel::new(
        (0..20)
            .map(|y| (2006.0 + y as f64, common::scaled_edition(&data, y)))
            .collect(),
    )
    .expect("panel");
    let per_year = PanelPipeline::new(spec.clone(), &panel).expect("valid panel");
    let pooled = PanelPipeline::new(spec, &panel)
        .expect("valid panel")
        .with_options(PanelSpec::per_year().normalise(FitScope::Pooled {}))
        .expect("options");
    let mut g = c.benchmark_group("panel_1000x80");
    g.sample_size(20);
    g.bench_function("one_edition", |b| {
        b.iter(|| black_box(single.run().expect("run")))
    });
    g.bench_function("20_editions_per_year", |b| {
        b.iter(|| black_box(per_year.run().expect("run")))
    });
    g.bench_function("20_editions_pooled_normalisation", |b| {
        b.iter(|| black_box(pooled.run().expect("run")))
    });
    g.finish();
}

criterion_group!(benches, bench_panel);
criterion_main!(benches);
