//! Bit-exactness guard for speed work (issue 16): runs ASEM case A (COINr's
//! reference data, when `../shared/reference/asem` is present), the benchmarks'
//! synthetic case A at ASEM and GII size, the PII, a fitted pipeline applied to
//! its data, re-runs, final-only runs, seeded uncertainty and sensitivity
//! analyses (serial and parallel) and raw Monte Carlo runs, and prints every
//! output value as the hexadecimal bits of the `f64` (`to_bits`), with the
//! `Debug` form of everything else (reports, summaries).
//!
//! ```sh
//! cargo run --release --example bit_guard > before.txt
//! # ... change the code ...
//! cargo run --release --example bit_guard > after.txt && cmp before.txt after.txt
//! ```
//!
//! This is a tool, not a test against a checked-in file: the runs call libm's
//! transcendental functions (`powf`, `ln`, `exp`), whose last bits may differ
//! between platforms and C libraries, so a golden file is only valid on the
//! machine that wrote it.

#[path = "../benches/common/mod.rs"]
mod bench_common;
#[path = "../tests/common/mod.rs"]
mod test_common;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use composite_index::instances::pii;
use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;
use composite_index::uncertainty::*;

fn bits(out: &mut String, label: &str, xs: &[f64]) {
    let _ = write!(out, "{label} [{}]", xs.len());
    for x in xs {
        let _ = write!(out, " {:016x}", x.to_bits());
    }
    out.push('\n');
}

fn results(out: &mut String, label: &str, r: &Results) {
    for d in r.datasets() {
        let _ = writeln!(
            out,
            "{label}/{} units {:?} columns {:?}",
            d.name(),
            d.units(),
            d.columns()
        );
        for (j, c) in d.columns().iter().enumerate() {
            bits(
                out,
                &format!("{label}/{}/{c}", d.name()),
                d.values().column(j).as_slice(),
            );
        }
    }
    let _ = writeln!(out, "{label}/reports {:?}", r.reports());
    let _ = writeln!(out, "{label}/treatment {:?}", r.treatment_log());
    let _ = writeln!(out, "{label}/final_only {}", r.is_final_only());
}

fn pipeline_runs(out: &mut String, label: &str, p: &Pipeline, data: Arc<Dataset>) -> Result<()> {
    let r = p.run()?;
    results(out, &format!("{label}/run"), &r);
    let mut again = p.run()?;
    for from in [3, 0] {
        if from < p.spec().steps.len() {
            p.rerun_from(from, &mut again)?;
            results(out, &format!("{label}/rerun_from_{from}"), &again);
        }
    }
    results(out, &format!("{label}/final_only"), &p.run_final_only()?);
    let fitted = p.fit()?;
    let _ = writeln!(out, "{label}/fitted {}", fitted.to_json()?);
    results(
        out,
        &format!("{label}/apply"),
        &fitted.apply(Arc::clone(&data))?,
    );
    results(
        out,
        &format!("{label}/apply_final_only"),
        &fitted.apply_final_only(data)?,
    );
    Ok(())
}

fn monte_carlo(out: &mut String, label: &str, p: &Pipeline, runs: usize) -> Result<()> {
    let mut spec = UncertaintySpec::new(bench_common::vignette_inputs())
        .runs(runs)
        .seed(11);
    spec.keep_distribution = true;
    for (name, ex) in [
        ("serial", Execution::Serial),
        ("parallel", Execution::Parallel),
    ] {
        let ua = uncertainty_analysis(p, &spec, ex, None)?;
        let _ = writeln!(out, "{label}/ua/{name} {ua:?}");
    }
    let mut runner = MonteCarloRunner::new(p, &spec)?;
    let mut u = vec![0.0; runner.n_inputs()];
    let mut scores = vec![0.0; runner.width()];
    for r in 0..runs {
        runner.draws(r, &mut u);
        runner.run(&u, &mut scores)?;
        bits(out, &format!("{label}/mc/{r}/u"), &u);
        bits(out, &format!("{label}/mc/{r}"), &scores);
    }
    let mut inputs = bench_common::vignette_inputs();
    inputs.remove(3);
    let mut sa = SensitivitySpec::new(inputs).n(64).seed(3);
    sa.bootstrap = 50;
    for (name, ex) in [
        ("serial", Execution::Serial),
        ("parallel", Execution::Parallel),
    ] {
        let s = sensitivity_analysis(p, &sa, ex, None)?;
        let _ = writeln!(out, "{label}/sa/{name} {s:?}");
    }
    Ok(())
}

fn main() -> Result<()> {
    let mut out = String::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let asem = root.join("../shared/reference/asem");
    if asem.join("iData.csv").is_file() {
        let (fw, data) = test_common::asem(&asem);
        let spec = IndexSpec::new(fw, test_common::case_a_steps());
        let data = Arc::new(data);
        let p = Pipeline::new(spec, Arc::clone(&data))?;
        pipeline_runs(&mut out, "asem_case_a", &p, data)?;
    } else {
        eprintln!(
            "SKIPPED: {} not found: ASEM case A not guarded",
            asem.display()
        );
    }

    for (label, n, k, per) in [("syn_51x49", 51, 49, 6), ("syn_139x78", 139, 78, 4)] {
        let (fw, data) = bench_common::synthetic(n, k, per);
        let data = Arc::new(data);
        let p = Pipeline::new(
            IndexSpec::new(fw.clone(), bench_common::case_a_steps()),
            Arc::clone(&data),
        )?;
        pipeline_runs(&mut out, label, &p, Arc::clone(&data))?;
        let v = Pipeline::new(IndexSpec::new(fw, bench_common::vignette_steps()), data)?;
        monte_carlo(&mut out, label, &v, 300)?;
    }

    let roles = CsvRoles {
        groups: vec!["Kind".into()],
        denominators: vec!["GRDPpc".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(root.join("data/pii/synthetic_2025.csv"), &roles)?;
    let run = pii::run(2025, data.clone())?;
    results(&mut out, "pii", &run.results);
    pipeline_runs(&mut out, "pii", &run.pipeline, Arc::new(data))?;

    print!("{out}");
    Ok(())
}
