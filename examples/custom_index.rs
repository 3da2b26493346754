//! A researcher's own index, defined in a TOML file and run on a CSV, without
//! writing any Rust beyond this example.
//!
//! ```sh
//! cargo run --example custom_index                        # examples/custom_index.{toml,csv}
//! cargo run --example custom_index -- spec.toml data.csv  # your own index
//! ```
//!
//! The specification (`examples/custom_index.toml`, documented line by line)
//! names the indicator tree and the steps. The CSV has a `uCode` column, an
//! optional `uName`, the indicator columns named in the specification, and any
//! other columns: numeric ones are read as denominators (usable by the
//! `denominate` step), text ones as groups (the example ranks units within
//! each group). The example prints the ranking with the scores one level below
//! the index, ranks within the first group column, and how many indicators
//! each unit leads. The shipped data describe 20 fictional cities.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use composite_index::insights::{group_ranks, leads, nodes_at_level};
use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut args = std::env::args().skip(1);
    let spec_path = args
        .next()
        .map_or_else(|| dir.join("custom_index.toml"), PathBuf::from);
    let data_path = args
        .next()
        .map_or_else(|| dir.join("custom_index.csv"), PathBuf::from);

    let spec = IndexSpec::from_path(&spec_path)?;
    let roles = roles_for(&spec, &data_path)?;
    let data = read_dataset_file(&data_path, &roles)?;
    let pipeline = Pipeline::new(spec, data)?;
    let results = pipeline.run()?;
    let fw = pipeline.framework();
    let root = fw.code(fw.root()).to_owned();
    let pillars: Vec<String> = fw
        .children(fw.root())
        .iter()
        .map(|&i| fw.code(i).to_owned())
        .collect();

    println!(
        "{}\n(spec {}, data {})\n",
        pipeline.spec().name.as_deref().unwrap_or("Index"),
        spec_path.display(),
        data_path.display()
    );
    let group = roles.groups.first();
    let within = match group {
        Some(g) => group_ranks(&results, pipeline.data(), &root, g)?,
        None => Vec::new(),
    };
    print!("{:>4}  {:<16} {:>7}", "rank", "unit", root);
    for p in &pillars {
        print!(" {p:>7}");
    }
    println!("  {}", group.map_or("", |g| g.as_str()));
    let names = pipeline.data().unit_names();
    let rows = &results.last().units();
    for (code, score, rank) in results.ranking(&root).ok_or_else(|| unknown(&root))? {
        let i = results
            .unit_codes()
            .iter()
            .position(|u| *u == code)
            .unwrap_or_default();
        print!(
            "{:>4}  {:<16} {score:>7.2}",
            rank.map_or_else(|| "-".into(), |r| r.to_string()),
            names[rows[i]]
        );
        for p in &pillars {
            let s = results.scores(p).ok_or_else(|| unknown(p))?;
            print!(" {:>7.2}", s[i]);
        }
        let g = within
            .get(i)
            .and_then(|(_, g)| g.as_ref())
            .map_or_else(String::new, |g| g.describe(&g.group));
        println!("  {g}");
    }
    let l = leads(&results, &nodes_at_level(fw, 1))?;
    println!("\nIndicators led:");
    for (unit, n) in l.table().into_iter().filter(|(_, n)| *n > 0) {
        println!(
            "  {unit:<6} {n} of {}: {}",
            l.total(),
            l.led_by(unit).join(", ")
        );
    }
    if let Some(log) = results.treatment_log() {
        for rec in log
            .iter()
            .filter(|r| r.n_winsorised > 0 || r.second_stage.is_some())
        {
            println!(
                "\nOutliers in {}: {} point(s) winsorised{}",
                rec.indicator,
                rec.n_winsorised,
                rec.second_stage
                    .as_ref()
                    .map_or_else(String::new, |t| format!(
                        ", then {t} on the original values"
                    ))
            );
        }
    }
    Ok(())
}

/// Roles of the CSV columns: the specification's indicators; other columns
/// are denominators when every cell is a number or empty, groups otherwise.
fn roles_for(spec: &IndexSpec, data: &Path) -> Result<CsvRoles> {
    let parents: HashSet<&str> = spec
        .framework
        .nodes
        .iter()
        .filter_map(|n| n.parent.as_deref())
        .collect();
    let indicators: HashSet<&str> = spec
        .framework
        .nodes
        .iter()
        .map(|n| n.code.as_str())
        .filter(|c| !parents.contains(c))
        .collect();
    let io = |source| Error::Io {
        path: data.display().to_string(),
        source,
    };
    let mut rdr = csv::Reader::from_path(data).map_err(|e| Error::Csv {
        context: data.display().to_string(),
        line: None,
        message: e.to_string(),
    })?;
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| io(std::io::Error::other(e)))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut numeric = vec![true; header.len()];
    for rec in rdr.records() {
        let rec = rec.map_err(|e| io(std::io::Error::other(e)))?;
        for (j, cell) in rec.iter().enumerate() {
            let t = cell.trim();
            if !(t.is_empty() || t == "NA" || t.parse::<f64>().is_ok())
                && let Some(n) = numeric.get_mut(j)
            {
                *n = false;
            }
        }
    }
    let mut roles = CsvRoles::default();
    for (j, h) in header.iter().enumerate() {
        if h == "uCode" || h == "uName" || h == "Time" || indicators.contains(h.as_str()) {
            continue;
        }
        if numeric[j] {
            roles.denominators.push(h.clone());
        } else {
            roles.groups.push(h.clone());
        }
    }
    Ok(roles)
}

fn unknown(code: &str) -> Error {
    Error::UnknownCode {
        kind: "node",
        code: code.into(),
        context: "the results".into(),
    }
}
