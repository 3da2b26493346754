//! Runs one benchmark workload many times, for profilers and instruction counts
//! (`perf record -g`, `perf stat -e instructions`, valgrind's callgrind), which
//! are steadier than wall-clock times on a loaded machine.
//!
//! ```sh
//! cargo run --release --example profile_driver -- full_run_51x49 2000
//! perf stat -e instructions:u target/release/examples/profile_driver ua_parallel 20
//! ```
//!
//! Workloads (the data and designs of `benches/`): `full_run_51x49`,
//! `full_run_139x78` (one fresh run of COINr's case A), `new_and_run_51x49`,
//! `ua_serial`, `ua_parallel` (the 1,000-run uncertainty analysis of COINr's
//! vignette), `final_only_<units>x80`. With 0 iterations only the set-up runs, so
//! the difference of two counts is the cost of the iterations.

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::Arc;

use composite_index::prelude::*;
use composite_index::uncertainty::*;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let workload = args.next().unwrap_or_else(|| "full_run_51x49".into());
    let iterations: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let case_a = |n, k, per| -> Result<(Pipeline, IndexSpec, Arc<Dataset>)> {
        let (fw, data) = common::synthetic(n, k, per);
        let spec = IndexSpec::new(fw, common::case_a_steps());
        let data = Arc::new(data);
        Ok((Pipeline::new(spec.clone(), Arc::clone(&data))?, spec, data))
    };
    match workload.as_str() {
        "full_run_51x49" | "full_run_139x78" => {
            let (p, _, _) = if workload.ends_with("51x49") {
                case_a(51, 49, 6)?
            } else {
                case_a(139, 78, 4)?
            };
            for _ in 0..iterations {
                black_box(p.run()?);
            }
        }
        "new_and_run_51x49" => {
            let (_, spec, data) = case_a(51, 49, 6)?;
            for _ in 0..iterations {
                black_box(Pipeline::new(spec.clone(), Arc::clone(&data))?.run()?);
            }
        }
        "ua_serial" | "ua_parallel" => {
            let (fw, data) = common::synthetic(51, 49, 6);
            let p = Pipeline::new(IndexSpec::new(fw, common::vignette_steps()), data)?;
            let spec = UncertaintySpec::new(common::vignette_inputs())
                .runs(1000)
                .seed(1);
            let ex = if workload == "ua_serial" {
                Execution::Serial
            } else {
                Execution::Parallel
            };
            for _ in 0..iterations {
                black_box(uncertainty_analysis(&p, &spec, ex, None)?);
            }
        }
        other => {
            let Some(n) = other
                .strip_prefix("final_only_")
                .and_then(|s| s.strip_suffix("x80"))
                .and_then(|s| s.parse::<usize>().ok())
            else {
                eprintln!("unknown workload {other:?} (see the example's docs)");
                std::process::exit(2);
            };
            let (fw, data) = common::synthetic(n, 80, 5);
            let p = Pipeline::new(IndexSpec::new(fw, common::case_a_steps()), data)?;
            for _ in 0..iterations {
                black_box(p.run_final_only()?);
            }
        }
    }
    Ok(())
}
