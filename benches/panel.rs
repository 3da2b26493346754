//! Criterion benchmarks of panel runs: a panel of 1,000 units x 80 indicators x
//! 20 editions against one edition of that size. Results: BENCHMARKS.md.

mod common;

use std::hint::black_box;

use composite_index::panel::{FitScope, Panel, PanelPipeline, PanelSpec};
use composite_index::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

/// Edition `y` of the panel: the synthetic data set with every value scaled by
/// a factor that depends on the edition and the column (so that editions differ).
fn edition(data: &Dataset, y: usize) -> Dataset {
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

fn bench_panel(c: &mut Criterion) {
    let (fw, data) = common::synthetic(1_000, 80, 5);
    let spec = IndexSpec::new(fw, common::case_a_steps());
    let single = Pipeline::new(spec.clone(), data.clone()).expect("valid pipeline");
    let panel = Panel::new(
        (0..20)
            .map(|y| (2006.0 + y as f64, edition(&data, y)))
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
