//! Vietnam's Provincial Innovation Index (PII), computed by the crate's PII
//! instance on **synthetic** provincial data.
//!
//! ```sh
//! cargo run --release --example pii
//! ```
//!
//! The 34 units of `data/pii/synthetic_2025.csv` ("Synthetic province 01" ...)
//! are made up by `examples/generate_synthetic.rs`; their numbers describe no
//! real province. The framework is the part of the PII known from public
//! sources (31 of the 52 indicators) and the method below the pillars is the
//! GII's, which MoST has not published (inferred): all of it is the crate's
//! shipped specification `pii-2025` (`composite-index specs pii-2025` prints
//! it). The example then checks the PII's aggregation on real published
//! figures: Bac Ninh's 2025 pillar scores and Hue's 2025 sub-indices.

use std::path::PathBuf;

use composite_index::insights::{group_ranks, leads, nodes_at_level};
use composite_index::instances::{pii, round_published};
use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/pii/synthetic_2025.csv");
    let roles = CsvRoles {
        groups: vec!["Kind".into()],
        denominators: vec!["GRDPpc".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(&path, &roles)?;
    let spec = pii::spec(2025)?;
    let fw = pii::framework(2025)?;

    println!("Provincial Innovation Index (PII), Viet Nam: framework and GII-derived method");
    println!(
        "NOTE: SYNTHETIC DATA. The 34 units of {} are made up;\n\
         no score below describes a real province. The framework holds the {} indicators\n\
         known from public sources, and the treatment and normalisation rules are the\n\
         GII's (inferred, not published by MoST).",
        path.display(),
        fw.indicators().len(),
    );
    for topic in ["framework", "method"] {
        let p = &spec.provenance[topic];
        println!("  {topic} ({}): {}", p.confidence, p.source);
    }
    println!();
    println!("Pillars:");
    for &i in fw.nodes_at_level(3) {
        let p = fw.node(i);
        println!(
            "  {} [{}] {} / {}",
            p.code,
            p.parent.as_deref().unwrap_or(""),
            p.names.get("vi").map_or("", String::as_str),
            p.name.as_deref().unwrap_or("")
        );
    }

    let run = pii::run(2025, data)?;
    let kinds = group_ranks(&run.results, run.pipeline.data(), "PII", "Kind")?;
    println!(
        "\n{:>4}  {:<22} {:>6} {:>6} {:>6} {:>7}  within kind",
        "rank", "unit", "PII", "input", "output", "out/in"
    );
    for row in run.table()? {
        let within = kinds
            .iter()
            .find(|(u, _)| *u == row.unit)
            .and_then(|(_, g)| g.as_ref())
            .map_or_else(String::new, |g| {
                g.describe(if g.group == "City" {
                    "cities"
                } else {
                    "provinces"
                })
            });
        println!(
            "{:>4}  {:<22} {:>6.2} {:>6.2} {:>6.2} {:>7}  {within}{}",
            row.rank.map_or_else(|| "-".into(), |r| r.to_string()),
            row.name,
            row.score,
            row.input,
            row.output,
            row.efficiency
                .map_or_else(|| "-".into(), |v| format!("{v:.3}")),
            if row.coverage.meets() {
                ""
            } else {
                "  [coverage flag]"
            }
        );
    }

    let fw = run.pipeline.framework();
    let l = leads(&run.results, &nodes_at_level(fw, 1))?;
    println!("\nIndicators led:");
    for (unit, n) in l.table().into_iter().take(3) {
        println!("  {unit} leads {n} of {} indicators", l.total());
    }

    println!("\nCheck of the PII aggregation on published 2025 figures (real data, press):");
    for p in pii::published(2025)? {
        if let [
            Some(p1),
            Some(p2),
            Some(p3),
            Some(p4),
            Some(p5),
            Some(p6),
            Some(p7),
        ] = p.pillars
        {
            let pillars = Dataset::from_columns(
                vec![p.code.clone().unwrap_or_else(|| "X".into())],
                (1..=7)
                    .map(|k| k.to_string())
                    .zip([p1, p2, p3, p4, p5, p6, p7])
                    .map(|(c, v)| (c, vec![v]))
                    .collect(),
            )?;
            let r = pii::from_pillar_scores(2025, pillars)?;
            let score = round_published(r.scores("PII").map_or(f64::NAN, |s| s[0]), 2);
            println!(
                "  {}: pillars {p1}, {p2}, {p3}, {p4}, {p5}, {p6}, {p7} give {score:.2} (published {:.2})",
                p.province, p.score
            );
        }
        if let (Some(i), Some(o)) = (p.input, p.output) {
            let subs = Dataset::from_columns(
                vec![p.code.clone().unwrap_or_else(|| "X".into())],
                vec![("IN".into(), vec![i]), ("OUT".into(), vec![o])],
            )?;
            let r = pii::from_sub_index_scores(2025, subs)?;
            let score = round_published(r.scores("PII").map_or(f64::NAN, |s| s[0]), 2);
            println!(
                "  {}: input {i:.2}, output {o:.2} give {score:.2} (published {:.2})",
                p.province, p.score
            );
        }
    }
    Ok(())
}
