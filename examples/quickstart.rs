//! Runs the fictional "Example Innovation Index" shipped in `data/example/`:
//! reads the TOML specification and the CSV data, runs the pipeline, and prints
//! the ranking with sub-indices, efficiency ratios and the outlier treatments.
//!
//! `cargo run --release --example quickstart [SPEC.toml DATA.csv]`

use std::path::PathBuf;

use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/example");
    let mut args = std::env::args().skip(1);
    let spec_path = args
        .next()
        .map_or_else(|| dir.join("spec.toml"), PathBuf::from);
    let data_path = args
        .next()
        .map_or_else(|| dir.join("data.csv"), PathBuf::from);

    let spec = IndexSpec::from_path(&spec_path)?;
    let roles = CsvRoles {
        groups: vec!["Region".into()],
        denominators: vec!["Population".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(&data_path, &roles)?;
    let pipeline = Pipeline::new(spec, data)?;
    let results = pipeline.run()?;

    println!("{}", pipeline.spec().name.as_deref().unwrap_or("Index"));
    println!(
        "NOTE: the units and values are fictional (data/example/generate.py); they describe no real place.\n"
    );
    let names = pipeline.data().unit_names();
    let ranking = results.ranking("Index").ok_or_else(|| missing("Index"))?;
    let input = results.scores("IN").ok_or_else(|| missing("IN"))?;
    let output = results.scores("OUT").ok_or_else(|| missing("OUT"))?;
    let eff = results.efficiency_ratio("OUT", "IN")?;
    println!(
        "{:>4}  {:<16} {:>7} {:>7} {:>7} {:>10}",
        "rank", "unit", "index", "input", "output", "out/in"
    );
    for (code, score, rank) in ranking {
        let i = results
            .unit_codes()
            .iter()
            .position(|u| *u == code)
            .unwrap_or_default();
        let row = results.datasets()[0].units()[i];
        let rank = rank.map_or_else(|| "-".to_string(), |r| r.to_string());
        let ratio = eff[i].map_or_else(|| "-".to_string(), |r| format!("{r:.3}"));
        println!(
            "{rank:>4}  {:<16} {score:>7.2} {:>7.2} {:>7.2} {ratio:>10}",
            names[row], input[i], output[i]
        );
    }
    if let Some(log) = results.treatment_log() {
        println!("\nOutlier treatment:");
        for rec in log
            .iter()
            .filter(|r| r.n_winsorised > 0 || r.second_stage.is_some())
        {
            let before = rec.before.as_ref().map_or(String::new(), |s| {
                format!("skew {:.2}, kurtosis {:.2}", s.skew, s.kurt)
            });
            let what = match &rec.second_stage {
                Some(t) => format!("{t} after winsorising did not suffice"),
                None => format!("{} point(s) winsorised", rec.n_winsorised),
            };
            let passes = rec
                .passes
                .map_or("n/a", |p| if p { "passes" } else { "still fails" });
            println!("  {:<16} {before}: {what}; {passes}", rec.indicator);
        }
    }
    Ok(())
}

fn missing(code: &str) -> Error {
    Error::UnknownCode {
        kind: "node",
        code: code.into(),
        context: "the example's results".into(),
    }
}
