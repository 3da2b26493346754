//! The Global Innovation Index, computed by the crate's GII instance.
//!
//! ```sh
//! cargo run --release --example gii                         # synthetic data shipped in data/gii/
//! cargo run --release --example gii -- GII-2025-tech1.xlsx  # WIPO's official workbook
//! cargo run --release --example gii -- Data.csv --edition 2024 --exclude
//! ```
//!
//! Without an argument it runs on `data/gii/synthetic_2025.csv`: 139
//! **synthetic** economies made by `examples/generate_synthetic.rs`, which
//! describe no real country. With the path of WIPO's workbook (`.xlsx`) or of
//! its `Data` sheet saved as CSV, it runs on the real data and, when the file
//! carries WIPO's scores, reports how far the recomputation is from them.
//!
//! Options: `--edition 2024|2025` (default 2025), `--exclude` (drop the
//! economies below the data-coverage thresholds before computing, as WIPO does;
//! by default they are computed and flagged).
//!
//! The GII is the crate's shipped specification `gii-<edition>` (a TOML file
//! and its node table, `composite-index specs gii-2025` prints it); this
//! example only changes its coverage rule (`--exclude`) before running it.
//!
//! It prints the ranking with the input and output sub-indices, the Innovation
//! Efficiency Ratio and the coverage flags, then the outlier treatments, ranks
//! within income groups, the indicators each economy leads, performance
//! relative to GDP per capita and the strengths and weaknesses of the leader.

use std::path::PathBuf;

use composite_index::coverage::CoverageStatus;
use composite_index::insights::{
    DevelopmentOptions, StrengthRule, group_ranks, leads, nodes_at_level, relative_to_development,
};
use composite_index::instances::gii::{self, GiiRun};
use composite_index::instances::gii_efficiency;
use composite_index::io::{CsvRoles, read_dataset_file, read_wipo_data_csv, read_wipo_xlsx};
use composite_index::prelude::*;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

struct Args {
    path: Option<PathBuf>,
    edition: u16,
    exclude: bool,
}

fn args() -> Result<Args> {
    let mut a = Args {
        path: None,
        edition: 2025,
        exclude: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--exclude" => a.exclude = true,
            "--edition" => {
                a.edition = it.next().and_then(|y| y.parse::<u16>().ok()).unwrap_or(0);
            }
            _ => a.path = Some(PathBuf::from(arg)),
        }
    }
    Ok(a)
}

fn run() -> Result<()> {
    let args = args()?;
    // The shipped specification of the edition; --exclude changes its coverage rule.
    let mut spec = gii::spec(args.edition)?;
    if let Some(rule) = &mut spec.coverage {
        rule.exclude = args.exclude;
    }
    let mut workbook = None;
    let (data, covariate, income) = match &args.path {
        None => {
            let path =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/gii/synthetic_2025.csv");
            let roles = CsvRoles {
                groups: vec!["Income".into(), "Region".into()],
                denominators: vec!["GDPpc".into()],
                ..CsvRoles::default()
            };
            println!("Global Innovation Index {} method", args.edition);
            println!(
                "NOTE: SYNTHETIC DATA. The 139 economies of {} are made up by\n\
                 examples/generate_synthetic.rs; no score below describes a real country.\n\
                 Pass the path of WIPO's GII workbook (.xlsx) to run on real data.\n",
                path.display()
            );
            (read_dataset_file(&path, &roles)?, "GDPpc", "Income")
        }
        Some(path) => {
            let wb = if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
            {
                read_wipo_xlsx(path, args.edition)?
            } else {
                read_wipo_data_csv(path, args.edition)?
            };
            println!("Global Innovation Index {}", args.edition);
            println!("Data: {} (WIPO)\n", wb.source);
            let data = wb.data.clone();
            workbook = Some(wb);
            (data, "PPPPC", "INCOME")
        }
    };
    let run = gii::run_spec(spec, data)?;

    print_ranking(&run)?;
    print_treatment(&run);
    print_coverage(&run);
    print_groups(&run, income)?;
    print_leads(&run)?;
    print_development(&run, covariate)?;
    print_strengths(&run)?;
    print_efficiency(&run)?;
    if let Some(wb) = workbook.filter(|w| w.has_scores()) {
        println!("\nReproduction of WIPO's published scores:");
        print!("{}", wb.reproduction_report(&run));
    }
    Ok(())
}

fn print_ranking(run: &GiiRun) -> Result<()> {
    println!(
        "{:>4}  {:<26} {:>6} {:>6} {:>4} {:>6} {:>4} {:>7}  coverage",
        "rank", "economy", "GII", "input", "rank", "output", "rank", "out/in"
    );
    let r = |x: Option<u32>| x.map_or_else(|| "-".to_string(), |v| v.to_string());
    for row in run.table()? {
        let ratio = row
            .efficiency
            .map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
        let flag = if row.excluded {
            "excluded (below thresholds)"
        } else {
            match row.coverage {
                CoverageStatus::Meets => "ok",
                CoverageStatus::Below => "FLAG: below thresholds",
                _ => "FLAG: coverage unknown",
            }
        };
        println!(
            "{:>4}  {:<26} {:>6.2} {:>6.2} {:>4} {:>6.2} {:>4} {ratio:>7}  {flag}",
            r(row.rank),
            row.name,
            row.score,
            row.input,
            r(row.input_rank),
            row.output,
            r(row.output_rank),
        );
    }
    Ok(())
}

fn print_treatment(run: &GiiRun) {
    let Some(log) = run.results.treatment_log() else {
        return;
    };
    let winsorised: Vec<&str> = log
        .iter()
        .filter(|r| r.n_winsorised > 0 && r.second_stage.is_none())
        .map(|r| r.indicator.as_str())
        .collect();
    let logged: Vec<String> = log
        .iter()
        .filter_map(|r| {
            r.second_stage
                .as_ref()
                .map(|t| format!("{} ({t})", r.indicator))
        })
        .collect();
    // The thresholds are those of the spec's treatment step.
    let Some(Step::Treat(treat)) = run
        .pipeline
        .spec()
        .steps
        .iter()
        .find(|s| matches!(s, Step::Treat(_)))
    else {
        return;
    };
    println!(
        "\nOutlier treatment (|skew| > {} and kurtosis > {}):",
        treat.skew_thresh, treat.kurt_thresh
    );
    println!(
        "  winsorised (up to {} points): {}",
        treat.winmax,
        join(&winsorised)
    );
    println!("  log-transformed: {}", logged.join(", "));
    let fallbacks = run.log_fallbacks();
    if !fallbacks.is_empty() {
        println!(
            "  (maximum not above 1, so log_ct instead of gii_log: {})",
            fallbacks.join(", ")
        );
    }
}

fn print_coverage(run: &GiiRun) {
    let Some(coverage) = run.coverage() else {
        return;
    };
    let below: Vec<_> = coverage.units.iter().filter(|u| !u.meets()).collect();
    println!(
        "\nData coverage (>= 66% of indicators per sub-index, >= 2 of 3 sub-pillars per pillar): {} economies below",
        below.len()
    );
    for u in below {
        let why: Vec<String> = u.shortfalls.iter().map(ToString::to_string).collect();
        println!("  {:<8} {}", u.unit, why.join("; "));
    }
}

fn print_groups(run: &GiiRun, income: &str) -> Result<()> {
    if run.pipeline.data().group(income).is_none() {
        return Ok(());
    }
    let ranks = group_ranks(&run.results, run.pipeline.data(), run.index_code(), income)?;
    println!("\nLeaders of each income group:");
    let mut seen: Vec<&str> = Vec::new();
    for row in run.table()? {
        let Some((_, Some(g))) = ranks.iter().find(|(u, _)| *u == row.unit) else {
            continue;
        };
        if g.rank == 1 && !seen.contains(&g.group.as_str()) {
            seen.push(&g.group);
            println!(
                "  {}: {}",
                row.name,
                g.describe(&format!("{} economies", g.group.to_lowercase()))
            );
        }
    }
    Ok(())
}

fn print_leads(run: &GiiRun) -> Result<()> {
    let fw = run.pipeline.framework();
    let l = leads(&run.results, &nodes_at_level(fw, 1))?;
    println!("\nIndicators led (best score among all economies):");
    for (unit, n) in l.table().into_iter().take(5) {
        println!("  {unit:<8} leads {n:>2} of {} indicators", l.total());
    }
    Ok(())
}

fn print_development(run: &GiiRun, covariate: &str) -> Result<()> {
    let data = run.pipeline.data();
    if data.denominator(covariate).is_none() {
        return Ok(());
    }
    let fit = relative_to_development(
        &run.results,
        data,
        run.index_code(),
        covariate,
        &DevelopmentOptions::default(),
    )?;
    println!(
        "\nGII against ln(GDP per capita, PPP$): GII = {:.2} {} {:.2} ln(GDPpc), R^2 = {:.3}, {} economies",
        fit.intercept(),
        if fit.slope() < 0.0 { "-" } else { "+" },
        fit.slope().abs(),
        fit.r_squared,
        fit.n_used
    );
    println!("Top overperformers (score above the line):");
    for u in fit.overperformers().into_iter().take(8) {
        println!(
            "  {:<8} score {:>6.2}  expected {:>6.2}  residual {:>+6.2}",
            u.unit,
            u.score,
            u.expected.unwrap_or(f64::NAN),
            u.residual.unwrap_or(f64::NAN)
        );
    }
    Ok(())
}

fn print_strengths(run: &GiiRun) -> Result<()> {
    let Some(top) = run.table()?.into_iter().next() else {
        return Ok(());
    };
    let sw = run.strengths_weaknesses(&top.unit, &StrengthRule::gii())?;
    let list = |v: &[composite_index::insights::Signal]| {
        v.iter()
            .map(|s| format!("{} (rank {})", s.node, s.rank))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("\nStrengths and weaknesses of {} (WIPO's rule):", top.name);
    println!("  strengths:  {}", list(&sw.strengths));
    println!("  weaknesses: {}", list(&sw.weaknesses));
    Ok(())
}

fn print_efficiency(run: &GiiRun) -> Result<()> {
    let eff = gii_efficiency::efficiency(run, gii_efficiency::default_model())?;
    let table = eff.table();
    let on = table.iter().filter(|r| r.efficient).count();
    println!(
        "\nInnovation efficiency by DEA (pillars 1-5 -> 6-7, CCR output-oriented): {on} economies on the frontier"
    );
    for r in table.iter().take(5) {
        let ratio = r.ratio.map_or_else(|| "-".into(), |v| format!("{v:.3}"));
        println!("  {:<26} DEA {:.3}  out/in {ratio}", r.name, r.score);
    }
    let unit = if eff.dea.unit_index("VNM").is_some() {
        "VNM"
    } else {
        &table[table.len() / 2].unit
    };
    println!("  {}", eff.describe(unit).unwrap_or_default());
    Ok(())
}

fn join(v: &[&str]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
