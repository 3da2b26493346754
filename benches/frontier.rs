//! Criterion benchmarks of the frontier methods on the GII's shape: Benefit of
//! the Doubt of 139 units x 7 pillars, and DEA of pillars 1-5 against 6-7.
//! The data are the pillar scores of the GII run on the synthetic economies
//! shipped in `data/gii/`. Results and how to reproduce them: BENCHMARKS.md.

use std::hint::black_box;

use composite_index::aggregate::NodeContext;
use composite_index::aggregate::benefit_of_the_doubt::{BodOptions, benefit_of_the_doubt};
use composite_index::audit::DataView;
use composite_index::efficiency::{DeaModel, Orientation, Returns, dea};
use composite_index::instances::gii;
use composite_index::io::{CsvRoles, read_dataset_file};
use criterion::{Criterion, criterion_group, criterion_main};

fn gii_run() -> gii::GiiRun {
    let roles = CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..CsvRoles::default()
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gii/synthetic_2025.csv");
    let data = read_dataset_file(&path, &roles).expect("synthetic GII data");
    gii::run(2025, data).expect("GII runs")
}

fn bench_frontier(c: &mut Criterion) {
    let run = gii_run();
    let agg = run.results.aggregated().expect("aggregated");
    let pillars: Vec<String> = (1..=7).map(|p| p.to_string()).collect();
    let cols: Vec<&[f64]> = pillars
        .iter()
        .map(|p| agg.column(p).expect("pillar"))
        .collect();
    let names: Vec<&str> = pillars.iter().map(String::as_str).collect();
    let ctx = NodeContext {
        node: "GII",
        children: &names,
        units: agg.unit_codes(),
    };
    let n = agg.unit_codes().len();
    let mut out = vec![0.0; n];
    let w = vec![1.0; 7];
    for (label, options) in [
        ("basic", BodOptions::new()),
        ("shares_0.05_0.4", BodOptions::new().shares(0.05, 0.4)),
    ] {
        c.bench_function(&format!("bod_{label}/139x7"), |b| {
            b.iter(|| {
                black_box(benefit_of_the_doubt(&cols, &w, &options, &ctx, &mut out).expect("BoD"));
            })
        });
    }
    let view = DataView::from(agg);
    let (ins, outs) = (&names[..5], &names[5..]);
    for model in [
        DeaModel::new(Returns::Constant, Orientation::Output),
        DeaModel::new(Returns::Variable, Orientation::Input),
    ] {
        c.bench_function(
            &format!("dea_gii_{}/139_units_5_in_2_out", model.name()),
            |b| b.iter(|| black_box(dea(view, ins, outs, model).expect("DEA"))),
        );
    }
}

criterion_group!(benches, bench_frontier);
criterion_main!(benches);
