//! Paired timing of a panel run against a single edition: a panel of 1,000
//! units x 80 indicators x 20 editions, per year, against one edition of that
//! size. The two are timed in alternation, and the ratio is taken pair by pair,
//! so that a machine whose speed drifts (other jobs) moves both alike.
//!
//! ```sh
//! cargo run --release --example panel_timing        # 15 pairs
//! cargo run --release --example panel_timing -- 40  # 40 pairs
//! ```
//!
//! The criterion benchmark `benches/panel.rs` times the same runs one after the
//! other; see BENCHMARKS.md.

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::Instant;

use composite_index::panel::{Panel, PanelPipeline};
use composite_index::prelude::*;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<()> {
    let pairs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15);
    let (fw, data) = common::synthetic(1_000, 80, 5);
    let spec = IndexSpec::new(fw, common::case_a_steps());
    let single = Pipeline::new(spec.clone(), data.clone())?;
    let editions = (0..20)
        .map(|y| (2006.0 + y as f64, common::scaled_edition(&data, y)))
        .collect();
    let panel = PanelPipeline::new(spec, &Panel::new(editions)?)?;
    // Warm-up.
    single.run()?;
    panel.run()?;
    let (mut ratios, mut one, mut all) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        let mut t1 = Vec::with_capacity(20);
        for _ in 0..20 {
            let t = Instant::now();
            std::hint::black_box(single.run()?);
            t1.push(t.elapsed().as_secs_f64());
        }
        let s = median(&mut t1);
        let t = Instant::now();
        std::hint::black_box(panel.run()?);
        let p = t.elapsed().as_secs_f64();
        ratios.push(p / s);
        one.push(s);
        all.push(p);
    }
    println!(
        "{pairs} pairs: one edition {:.2} ms (median), 20 editions {:.1} ms (median); ratio per pair: median {:.1}x, min {:.1}x, max {:.1}x",
        median(&mut one) * 1e3,
        median(&mut all) * 1e3,
        median(&mut ratios.clone()),
        ratios.iter().copied().fold(f64::INFINITY, f64::min),
        ratios.iter().copied().fold(0.0, f64::max)
    );
    Ok(())
}
