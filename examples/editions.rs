//! Editions over time: the sentences the GII and PII reports print, computed by
//! the crate from published ranks, and, where they need data the crate does not
//! ship, from a **synthetic** panel.
//!
//! ```sh
//! cargo run --example editions
//! ```
//!
//! Part 1 uses the GII ranks 2023-2025 published by WIPO and the PII ranks
//! 2023-2025 published by Viet Nam's Ministry of Science and Technology, as
//! reported by the press (`data/editions/`). Part 2 makes up 40 economies over
//! 13 editions (2013-2025) to show the sentences that need whole rankings and
//! indicator data: the fastest climbers within a group, a streak above the
//! development-level fit, "in the top 10 since", the indicators a unit leads.

use composite_index::insights::{DevelopmentOptions, leads, ordinal};
use composite_index::instances::editions::{gii_published, pii_published};
use composite_index::panel::{Condition, Editions, HistoryPoint, Panel, PanelPipeline};
use composite_index::prelude::*;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// "57th (2023) -> 53rd (2024) -> 50th (2025)".
fn trajectory(h: &[HistoryPoint]) -> String {
    h.iter()
        .map(|p| {
            format!(
                "{} ({})",
                p.rank.map_or_else(|| "-".into(), ordinal),
                p.time
            )
        })
        .collect::<Vec<_>>()
        .join(" -> ")
}

fn run() -> Result<()> {
    println!("PART 1: published ranks (WIPO and MoST figures as reported by the press)\n");
    let gii = gii_published()?;
    println!("Global Innovation Index, Viet Nam:");
    for (node, what) in [("GII", "overall"), ("IN", "input"), ("OUT", "output")] {
        let h = gii.history("VNM", node);
        println!("  {what:<8} {}", trajectory(&h));
        for (a, b) in [(2023.0, 2024.0), (2024.0, 2025.0)] {
            let c = gii.compare(node, a, b)?;
            if let Some(r) = c.row("VNM") {
                println!(
                    "           {}",
                    r.describe(&format!("{what} rank"), &a.to_string(), &b.to_string())
                );
            }
        }
    }
    let c = gii.compare("GII", 2023.0, 2025.0)?;
    println!(
        "  {}",
        c.row("VNM")
            .map(|r| r.describe("ranked", "2023", "2025"))
            .unwrap_or_default()
    );
    println!("  Basis 2023 -> 2025: {}.", c.note());
    println!(
        "  Basis 2024 -> 2025: {}.\n",
        gii.compare("GII", 2024.0, 2025.0)?.note()
    );

    let pii = pii_published()?;
    println!("Provincial Innovation Index (63 provinces in 2023 and 2024, 34 units in 2025):");
    if let Some(s) = pii.streak("HNI", "PII", &Condition::RankAtMost(1), None)? {
        println!("  Hà Nội: {}.", s.describe());
    }
    let c = pii.compare("PII", 2023.0, 2024.0)?;
    if let Some(r) = c.row("BNH") {
        println!("  {}.", r.describe("ranked", "2023", "2024"));
        let top10 = |t: f64| {
            pii.edition(t)
                .and_then(|e| e.rank("BNH", "PII"))
                .is_some_and(|r| r <= 10)
        };
        if top10(2023.0) && !top10(2024.0) {
            println!(
                "  Bắc Ninh was {} in 2023 and out of the top 10 in 2024 ({}).",
                r.rank_from.map_or_else(|| "-".into(), ordinal),
                r.rank_to.map_or_else(|| "-".into(), ordinal)
            );
        }
    }
    let c = pii.compare("PII", 2024.0, 2025.0)?;
    if let Some(r) = c.row("BNH") {
        println!("  {}.", r.describe("ranked", "2024", "2025"));
    }
    println!("  Basis: {}.\n", c.note());

    println!("PART 2: SYNTHETIC PANEL (40 made-up economies, 2013-2025; no real country)\n");
    let panel = synthetic_panel()?;
    let results = PanelPipeline::new(synthetic_spec(), &panel)?.run()?;
    println!(
        "  How each step ran: {}.",
        results.describe_scopes().join("; ")
    );
    let eds = Editions::from_panel(&results);
    let movers = eds.movers("Index", 2013.0, 2025.0, Some("Income"))?;
    if let Some((_, up, _)) = movers.groups.iter().find(|(g, _, _)| g == "Middle") {
        let n = up.len().min(9);
        if let Some(first) = up.first() {
            println!(
                "  {} is one of the {n} middle-income economies that climbed fastest since 2013 (up {} places, from {} to {}).",
                first.name,
                first.change().unwrap_or(0),
                first.rank_from.map_or_else(|| "-".into(), ordinal),
                first.rank_to.map_or_else(|| "-".into(), ordinal)
            );
        }
    }
    let above = eds.above_expectation("Index", "GDPpc", &DevelopmentOptions::default())?;
    if let Some(s) = eds.streak("SYN07", "Index", &above, None)? {
        println!(
            "  {} has been {}.",
            eds.editions()[0].name("SYN07"),
            s.describe()
        );
    }
    let last = eds.editions().last().map(|e| e.time()).unwrap_or(2025.0);
    let leader = eds
        .edition(last)
        .and_then(|e| {
            e.units()
                .iter()
                .find(|u| e.rank(u, "Index") == Some(1))
                .cloned()
        })
        .unwrap_or_default();
    if let (Some(s), Some(r)) = (
        eds.streak(&leader, "Index", &Condition::RankAtMost(1), None)?,
        results.edition(last),
    ) {
        let indicators: Vec<String> = (1..=8).map(|j| format!("x{j}")).collect();
        println!(
            "  {}: {}, and {} in {last}.",
            eds.editions()[0].name(&leader),
            s.describe(),
            leads(r, &indicators)?.describe(&leader, "indicators")
        );
    }
    // The unit of the latest top 10 that entered it last, and since when.
    let mut latest_entry: Option<(String, f64)> = None;
    if let Some(e) = eds.edition(last) {
        for u in e.units() {
            if let Some(s) = eds.streak(u, "Index", &Condition::RankAtMost(10), None)?
                && latest_entry
                    .as_ref()
                    .is_none_or(|(_, since)| s.since > *since)
            {
                latest_entry = Some((u.clone(), s.since));
            }
        }
    }
    if let Some((u, since)) = latest_entry {
        println!(
            "  {} has been in the top 10 since {since}.",
            eds.editions()[0].name(&u)
        );
    }
    Ok(())
}

/// A deterministic number in (0, 1) from three integers (splitmix64).
fn noise(a: u64, b: u64, c: u64) -> f64 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ b.wrapping_mul(0xBF58_476D_1CE4_E5B9)
        ^ c.wrapping_mul(0x94D0_49BB_1331_11EB);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// 40 synthetic economies x 8 indicators, 2013-2025: scores follow log GDP per
/// capita, SYN07 is always well above that trend, some middle-income economies
/// climb steadily.
fn synthetic_panel() -> Result<Panel> {
    let mut editions = Vec::new();
    for (k, year) in (2013u32..=2025).enumerate() {
        let n = 40;
        let units: Vec<String> = (1..=n).map(|i| format!("SYN{i:02}")).collect();
        let names: Vec<String> = (1..=n)
            .map(|i| format!("Synthetic economy {i:02}"))
            .collect();
        let band = |i: usize| match i {
            0..=9 => "High",
            10..=29 => "Middle",
            _ => "Low",
        };
        let gdp: Vec<f64> = (0..n)
            .map(|i| 60_000.0 * (-(i as f64) / 12.0).exp() * (1.0 + 0.02 * k as f64))
            .collect();
        let cols = (1..=8)
            .map(|j| {
                let v = (0..n)
                    .map(|i| {
                        let base = 10.0 * gdp[i].ln();
                        let climb = if (10..20).contains(&i) {
                            (i - 9) as f64 * 0.6 * k as f64 * (0.4 + 1.2 * noise(i as u64, j, 7))
                        } else {
                            0.0
                        };
                        let star = if i == 6 { 15.0 } else { 0.0 };
                        base + climb + star + 8.0 * noise(i as u64, j, u64::from(year))
                    })
                    .collect();
                (format!("x{j}"), v)
            })
            .collect();
        let d = Dataset::from_columns(units, cols)?
            .with_unit_names(names)?
            .with_group("Income", (0..n).map(|i| Some(band(i).to_owned())).collect())?
            .with_denominator("GDPpc", gdp)?;
        editions.push((f64::from(year), d));
    }
    Panel::new(editions)
}

fn synthetic_spec() -> IndexSpec {
    let mut nodes = vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P1", Some("Index")),
        NodeSpec::new("P2", Some("Index")),
    ];
    for j in 1..=8 {
        nodes.push(NodeSpec::new(
            format!("x{j}"),
            Some(if j <= 4 { "P1" } else { "P2" }),
        ));
    }
    IndexSpec::new(
        FrameworkSpec::new(nodes),
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    )
}
