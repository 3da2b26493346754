//! Ten million units through a fitted pipeline, one chunk at a time (issue 16).
//!
//! `cargo run --release --example chunked -- [UNITS] [INDICATORS] [CHUNK] [--check]`
//! (default 10,000,000 units x 80 indicators in chunks of 1,000,000).
//!
//! The pipeline (COINr's case A design: denominate, group-mean imputation,
//! screening, treatment, min-max, arithmetic mean) is fitted once on the first
//! chunk, the reference. Every chunk, the first included, is then generated,
//! passed through [`FittedPipeline::apply_final_only`] and dropped, keeping only
//! the index scores. A fitted pipeline runs every step with the reference's
//! parameters, so a unit's scores do not depend on the other units of its chunk:
//! `--check` applies the fitted pipeline to all units at once as well and
//! requires bit-identical scores (use it at sizes that fit in memory at once).
//!
//! The full matrix is never held: peak memory is that of one chunk, read from
//! Linux's `/proc/self/status` (VmHWM); elsewhere it is not reported.

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

const MIB: f64 = 1_048_576.0;

fn no_index() -> composite_index::Error {
    composite_index::Error::Pipeline {
        step: 5,
        stage: "aggregate".into(),
        message: "the results have no index scores".into(),
    }
}

/// The units of every part in one data set (indicators, groups, denominators).
fn concat(parts: Vec<Dataset>) -> composite_index::Result<Dataset> {
    let first = &parts[0];
    let units = parts
        .iter()
        .flat_map(|p| p.unit_codes().iter().cloned())
        .collect();
    let columns = first
        .indicator_codes()
        .iter()
        .map(|code| {
            let col = parts
                .iter()
                .flat_map(|p| p.indicator(code).unwrap_or_default().iter().copied())
                .collect();
            (code.clone(), col)
        })
        .collect();
    let mut all = Dataset::from_columns(units, columns)?;
    for g in first.groups() {
        let values = parts
            .iter()
            .flat_map(|p| {
                p.group(&g.name)
                    .map(|c| c.values.clone())
                    .unwrap_or_default()
            })
            .collect();
        all = all.with_group(g.name.clone(), values)?;
    }
    for d in first.denominators() {
        let values = parts
            .iter()
            .flat_map(|p| p.denominator(&d.name).unwrap_or_default().iter().copied())
            .collect();
        all = all.with_denominator(d.name.clone(), values)?;
    }
    Ok(all)
}

fn main() -> composite_index::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let nums: Vec<usize> = args
        .iter()
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let n = nums.first().copied().unwrap_or(10_000_000);
    let k = nums.get(1).copied().unwrap_or(80);
    let chunk = nums.get(2).copied().unwrap_or(1_000_000).clamp(1, n.max(1));
    let parts = n.div_ceil(chunk);
    println!(
        "{n} units x {k} indicators in {parts} chunks of at most {chunk} units \
         (synthetic: 5% missing, heavy tails in every fifth indicator)"
    );
    let part =
        |c: usize| common::synthetic_part(c * chunk, chunk.min(n - c * chunk), k, 5, c as u64);

    let (framework, reference) = part(0);
    let t = Instant::now();
    let fitted =
        Pipeline::new(IndexSpec::new(framework, common::case_a_steps()), reference)?.fit()?;
    println!(
        "fitted on chunk 0 ({chunk} units): {:.2} s, peak resident {}",
        t.elapsed().as_secs_f64(),
        status("VmHWM:").map_or_else(|| "not available".into(), |p| format!("{:.1} MiB", p / MIB))
    );
    // Reset the high-water mark so that the chunks' peak is measured apart (Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");

    let (mut generate, mut apply) = (0.0, 0.0);
    let mut scores = Vec::with_capacity(n);
    let mut codes = Vec::new();
    for c in 0..parts {
        let t = Instant::now();
        let (_, data) = part(c);
        generate += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let results = fitted.apply_final_only(data)?;
        apply += t.elapsed().as_secs_f64();
        let s = results.scores("Index").ok_or_else(no_index)?;
        scores.extend_from_slice(s);
        if check {
            codes.extend(results.unit_codes().iter().cloned());
        }
    }
    let peak = status("VmHWM:");
    let full = (n * k * 8) as f64;
    println!(
        "applied to {} units in {apply:.2} s ({:.2} us per unit; generating the chunks took {generate:.2} s more)",
        scores.len(),
        apply * 1e6 / scores.len().max(1) as f64
    );
    println!(
        "one chunk's matrix: {:.1} MiB; the full matrix (never held): {:.1} MiB",
        (chunk * k * 8) as f64 / MIB,
        full / MIB
    );
    match peak {
        Some(p) => println!(
            "peak resident while applying: {:.1} MiB = {:.2} x one chunk's matrix, {:.2} x the full matrix",
            p / MIB,
            p / (chunk * k * 8) as f64,
            p / full
        ),
        None => println!("peak memory: not available on this platform"),
    }
    let screened = n - scores.len();
    let missing = scores.iter().filter(|v| v.is_nan()).count();
    println!("units screened out: {screened}; index scores missing: {missing}");

    if check {
        let t = Instant::now();
        let all = concat((0..parts).map(|c| part(c).1).collect())?;
        let whole = fitted.apply_final_only(all)?;
        let same = whole.unit_codes() == codes.as_slice()
            && whole.scores("Index").is_some_and(|w| {
                w.iter()
                    .zip(&scores)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            });
        println!(
            "check: chunked and whole ({:.2} s) scores are {}",
            t.elapsed().as_secs_f64(),
            if same { "bit-identical" } else { "DIFFERENT" }
        );
        if !same {
            std::process::exit(1);
        }
    }
    Ok(())
}
