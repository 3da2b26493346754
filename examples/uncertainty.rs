//! Uncertainty and sensitivity analysis of the GII on the synthetic data shipped
//! in `data/gii/` (139 made-up economies; no result describes a real country).
//!
//! `cargo run --release --example uncertainty [RUNS] [SOBOL_N]` (defaults 1000 and 256)
//!
//! The assumptions varied follow the JRC audits of the GII (indicative): the
//! winsorisation limit, the normalisation, weights perturbed by +/-25% at the
//! indicator and pillar levels, and arithmetic versus geometric aggregation of
//! the pillars. It prints each economy's nominal rank, median rank and 90%
//! interval, then the Sobol indices of the assumptions.

use std::path::PathBuf;
use std::time::Instant;

use composite_index::instances::gii;
use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;
use composite_index::uncertainty::*;

fn inputs() -> Vec<UncertainInput> {
    vec![
        UncertainInput::Winmax {
            label: Some("winsorisation limit (1-5)".into()),
            step: StepRef::Stage("treat".into()),
            values: vec![1, 2, 3, 4, 5],
            probabilities: vec![],
        },
        UncertainInput::Alternatives {
            label: Some("normalisation (min-max / z-score)".into()),
            step: StepRef::Stage("normalise".into()),
            alternatives: vec![
                Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                    lo: 0.0,
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
            label: Some("indicator weights +/-25%".into()),
            level: 1,
            factor: 0.25,
            noise: Noise::Uniform {},
            replicates: None,
        },
        UncertainInput::WeightNoise {
            label: Some("pillar weights +/-25%".into()),
            level: 3,
            factor: 0.25,
            noise: Noise::Uniform {},
            replicates: None,
        },
        UncertainInput::Alternatives {
            label: Some("pillar aggregation (arithmetic / geometric)".into()),
            step: StepRef::Stage("aggregate".into()),
            alternatives: vec![
                Step::Aggregate(AggregateSpec::default()),
                Step::Aggregate(
                    AggregateSpec::default().with_level(4, AggregateMethod::GeometricMean {}),
                ),
            ],
            skip: false,
            probabilities: vec![],
        },
    ]
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<usize>().ok());
    let runs = args.next().unwrap_or(1000);
    let sobol_n = args.next().unwrap_or(256);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/gii/synthetic_2025.csv");
    let roles = CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(&path, &roles)?;
    println!(
        "GII 2025 method on SYNTHETIC data ({}): no result describes a real country.\n",
        path.display()
    );
    let gii_run = gii::run(2025, data)?;
    let pipeline = &gii_run.pipeline;

    let spec = UncertaintySpec::new(inputs()).runs(runs).seed(2025);
    let t = Instant::now();
    let ua = uncertainty_analysis(pipeline, &spec, Execution::Parallel, None)?;
    println!(
        "Uncertainty analysis: {} runs in {:.3} s ({} failed{})",
        ua.runs,
        t.elapsed().as_secs_f64(),
        ua.failed.len(),
        ua.failed
            .first()
            .map(|f| format!("; e.g. run {}: {}", f.run, f.reason))
            .unwrap_or_default()
    );
    let names = pipeline.data().unit_names();
    let index = ua.node("GII").ok_or_else(|| Error::UnknownCode {
        kind: "node",
        code: "GII".into(),
        context: "uncertainty results".into(),
    })?;
    let mut rows: Vec<_> = index.units.iter().enumerate().collect();
    rows.sort_by_key(|(_, u)| u.nominal_rank.unwrap_or(u32::MAX));
    println!(
        "\n{:>7} {:<24} {:>7} {:>13} {:>9}",
        "nominal", "economy", "median", "90% interval", "within 3"
    );
    for (i, u) in rows.iter().take(25) {
        let row = pipeline.data().unit_index(&u.unit).unwrap_or(*i);
        println!(
            "{:>7} {:<24} {:>7.1} {:>6.0} - {:<4.0} {:>8.0}%",
            u.nominal_rank.map_or("-".into(), |r| r.to_string()),
            names[row],
            u.median_rank,
            u.q05_rank,
            u.q95_rank,
            100.0 * u.share_within
        );
    }
    println!("  ... ({} economies in all)", rows.len());

    let mut sa_spec = SensitivitySpec::new(inputs()).n(sobol_n).seed(2025);
    sa_spec.bootstrap = 500;
    let t = Instant::now();
    let sa = sensitivity_analysis(pipeline, &sa_spec, Execution::Parallel, None)?;
    println!(
        "\nSensitivity analysis (Sobol sampling, N = {sobol_n}, {} runs) in {:.3} s; output: mean |rank shift| of the GII",
        sa.runs,
        t.elapsed().as_secs_f64()
    );
    println!("{:<46} {:>16} {:>16}", "assumption", "first-order", "total");
    for s in &sa.mean_rank_shift.indices {
        println!(
            "{:<46} {:>5.2} [{:>5.2},{:>5.2}] {:>5.2} [{:>5.2},{:>5.2}]",
            s.input,
            s.first,
            s.first_interval.0,
            s.first_interval.1,
            s.total,
            s.total_interval.0,
            s.total_interval.1
        );
    }
    println!(
        "(90% bootstrap intervals; {} failed runs dropped from the estimates)",
        sa.failed.len()
    );
    Ok(())
}
