//! Times one full pipeline run (COINr's case A design) on large synthetic data and
//! reports the peak memory of the run against the size of the input matrix.
//!
//! `cargo run --release --example scaling -- [UNITS] [INDICATORS] [--keep-all | --consume]`
//! (default 1,000,000 units x 80 indicators, keeping only the final data set;
//! `--consume` runs [`Pipeline::into_final_only`], which works in the data's own
//! matrix instead of a copy).
//! Peak memory is read from Linux's `/proc/self/status` (VmHWM) after resetting it
//! once the data exist; elsewhere it is not reported.

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::Instant;

use composite_index::prelude::*;

fn status(field: &str) -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

fn main() -> composite_index::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep_all = args.iter().any(|a| a == "--keep-all");
    let consume = args.iter().any(|a| a == "--consume");
    let nums: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let (n, k) = (
        nums.first().copied().unwrap_or(1_000_000),
        nums.get(1).copied().unwrap_or(80),
    );
    println!(
        "synthetic data: {n} units x {k} indicators (5% missing, heavy tails in every fifth indicator)"
    );
    let (fw, data) = common::synthetic(n, k, 5);
    let pipeline = Pipeline::new(IndexSpec::new(fw, common::case_a_steps()), data)?;
    let input = (n * k * 8) as f64;
    // Reset the high-water mark so that only the run is measured (Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = status("VmRSS:");
    let t = Instant::now();
    let results = if keep_all {
        pipeline.run()?
    } else if consume {
        pipeline.into_final_only()?
    } else {
        pipeline.run_final_only()?
    };
    let secs = t.elapsed().as_secs_f64();
    let peak = status("VmHWM:");
    println!(
        "mode: {}",
        if keep_all {
            "keep every data set"
        } else if consume {
            "final data set only, in the data's own matrix (into_final_only)"
        } else {
            "final data set only"
        }
    );
    println!("run time: {secs:.3} s");
    println!("input matrix: {:.1} MiB", input / 1048576.0);
    if let (Some(b), Some(p)) = (before, peak) {
        println!(
            "resident before the run (data loaded): {:.1} MiB",
            b / 1048576.0
        );
        println!(
            "peak resident during the run: {:.1} MiB = {:.2} x the input matrix",
            p / 1048576.0,
            p / input
        );
    } else {
        println!("peak memory: not available on this platform");
    }
    let top = results.ranking("Index").and_then(|r| r.into_iter().next());
    println!("check: rank 1 is {:?}", top.map(|(u, s, _)| (u, s)));
    Ok(())
}
