//! COINr parity on its panel example data (`../shared/reference/asem_panel/`,
//! see its README): case P1 (panel imputation "linear-constant", per-year
//! min-max, arithmetic aggregation, CAGR and percentage-change trends) and case
//! P2 (min-max pooled over all years), stage by stage, to 1e-9 relative.
//! Skipped without `../shared`, failing under `CI=true`.
#![cfg(all(feature = "csv", feature = "serde"))]

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{PARITY_TOL, close, shared};
use composite_index::io::{parse_cell, read_coinr_panel_files};
use composite_index::panel::{
    FitScope, Panel, PanelImputeMethod, PanelImputeSpec, PanelPipeline, PanelResults, PanelSpec,
    StackedData, TrendMetric, TrendOptions, trends,
};
use composite_index::prelude::*;

fn dir() -> Option<std::path::PathBuf> {
    shared(
        "reference/asem_panel",
        "iData_p.csv",
        "COINr panel parity not checked",
    )
}

fn read(reference: &Path, file: &str) -> (FrameworkSpec, Panel) {
    let meta = reference.join("../asem/iMeta.csv");
    read_coinr_panel_files(&meta, reference.join(file)).expect("ASEM panel tables read")
}

/// A reference table keyed by the values of `keys` (joined by '|'): column -> value.
fn reference_rows(
    path: &Path,
    keys: &[&str],
) -> (Vec<String>, HashMap<String, HashMap<String, f64>>) {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let mut out = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.unwrap();
        let key: Vec<String> = keys
            .iter()
            .map(|k| {
                let j = header.iter().position(|h| h == k).unwrap();
                normalise_key(&rec[j])
            })
            .collect();
        let mut row = HashMap::new();
        for (j, h) in header.iter().enumerate() {
            if keys.contains(&h.as_str()) {
                continue;
            }
            if let Ok(v) = parse_cell(&rec[j], i + 1, "ref", h) {
                row.insert(h.clone(), v);
            }
        }
        assert!(
            out.insert(key.join("|"), row).is_none(),
            "duplicate key in {}",
            path.display()
        );
    }
    (header, out)
}

/// "2018" and "2018.0" are the same time.
fn normalise_key(s: &str) -> String {
    s.parse::<f64>()
        .map_or_else(|_| s.to_owned(), |v| v.to_string())
}

/// Compares every reference cell of a data set with ours; returns the number compared.
fn assert_stage(ours: &StackedData, path: &Path) -> usize {
    let (header, rows) = reference_rows(path, &["uCode", "Time"]);
    assert_eq!(
        rows.len(),
        ours.unit_codes.len(),
        "{}: number of rows",
        path.display()
    );
    let mut n = 0;
    for col in header.iter().filter(|h| *h != "uCode" && *h != "Time") {
        let x = ours
            .column(col)
            .unwrap_or_else(|| panic!("{}: column {col} missing from our output", path.display()));
        for (i, (u, t)) in ours.unit_codes.iter().zip(&ours.time).enumerate() {
            let key = format!("{u}|{t}");
            let row = rows
                .get(&key)
                .unwrap_or_else(|| panic!("{}: {key} not in the reference", path.display()));
            let e = row[col];
            assert!(
                close(x[i], e, PARITY_TOL),
                "{}: {col} for {key}: ours {} vs COINr {e}",
                path.display(),
                x[i]
            );
            n += 1;
        }
    }
    n
}

fn p1_spec(fw: FrameworkSpec) -> IndexSpec {
    IndexSpec::new(
        fw,
        vec![
            Step::ImputePanel(PanelImputeSpec::new(PanelImputeMethod::LinearConstant {})),
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    )
}

fn run_p1(d: &Path) -> PanelResults {
    let (fw, panel) = read(d, "iData_p_gaps.csv");
    assert_eq!(panel.times(), &[2018.0, 2019.0, 2020.0, 2021.0, 2022.0]);
    PanelPipeline::new(p1_spec(fw), &panel)
        .unwrap()
        .run()
        .unwrap()
}

#[test]
fn p1_panel_imputation_per_year_minmax_and_aggregation() {
    let Some(d) = dir() else { return };
    let results = run_p1(&d);
    let case = d.join("p1_linconst_minmax_year");
    let mut n = 0;
    for (name, file) in [
        ("imputed", "imputed.csv"),
        ("normalised", "normalised.csv"),
        ("aggregated", "aggregated.csv"),
    ] {
        n += assert_stage(&results.dataset(name).unwrap(), &case.join(file));
    }
    assert!(n > 3 * 255 * 49, "{n} cells compared");
    // 1766 missing cells, 315 of them in all-years-missing series: 1451 filled.
    let report = &results.panel_imputation()[0].1;
    assert_eq!(report.cells.len(), 1766 - 315);
    assert_eq!(report.remaining.iter().map(|r| r.2).sum::<usize>(), 315);
    assert!(results.describe_scopes()[1].contains("per year"));
}

#[test]
fn p1_trends_match_coinr() {
    let Some(d) = dir() else { return };
    let results = run_p1(&d);
    let aggregated = results.dataset("aggregated").unwrap();
    let levels: [&[&str]; 3] = [
        &["Index"],
        &["Conn", "Sust"],
        &[
            "ConEcFin",
            "Environ",
            "Instit",
            "P2P",
            "Physical",
            "Political",
            "Social",
            "SusEcFin",
        ],
    ];
    for (metric, file) in [
        (TrendMetric::Cagr, "trends_CAGR.csv"),
        (TrendMetric::PrcChange, "trends_prc_change.csv"),
    ] {
        let (_, rows) = reference_rows(
            &d.join("p1_linconst_minmax_year").join(file),
            &["uCode", "iCode"],
        );
        let mut n = 0;
        for codes in levels {
            let cols: Vec<String> = codes.iter().map(|s| s.to_string()).collect();
            for r in trends(&aggregated, &cols, None, &TrendOptions::new(metric)).unwrap() {
                let row = rows
                    .get(&format!("{}|{}", r.unit, r.column))
                    .unwrap_or_else(|| panic!("{} {} not in {file}", r.unit, r.column));
                let want = row[metric.coinr_name()];
                let got = r.trend.value().unwrap_or(f64::NAN);
                assert!(
                    close(got, want, PARITY_TOL),
                    "{file}: {} {}: ours {got} vs COINr {want}",
                    r.unit,
                    r.column
                );
                assert!(close(r.avail, row["Avail"], PARITY_TOL));
                assert!(close(r.t_first.unwrap_or(f64::NAN), row["t_first"], 0.0));
                assert!(close(r.t_latest.unwrap_or(f64::NAN), row["t_latest"], 0.0));
                n += 1;
            }
        }
        assert_eq!(n, rows.len(), "{file}: every reference row compared");
    }
}

#[test]
fn p2_pooled_minmax_and_aggregation() {
    let Some(d) = dir() else { return };
    let (fw, panel) = read(&d, "iData_p.csv");
    let spec = IndexSpec::new(
        fw,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let results = PanelPipeline::new(spec, &panel)
        .unwrap()
        .with_options(PanelSpec::per_year().normalise(FitScope::Pooled {}))
        .unwrap()
        .run()
        .unwrap();
    let case = d.join("p2_global_minmax");
    let mut n = 0;
    for (name, file) in [
        ("normalised", "normalised.csv"),
        ("aggregated", "aggregated.csv"),
    ] {
        n += assert_stage(&results.dataset(name).unwrap(), &case.join(file));
    }
    assert!(n > 2 * 255 * 49, "{n} cells compared");
    assert!(results.describe_scopes()[0].contains("pooled"));
}

/// The same P2 run written as a TOML specification with a `[panel]` table.
#[test]
fn p2_from_a_toml_specification() {
    let Some(d) = dir() else { return };
    let (fw, panel) = read(&d, "iData_p.csv");
    let steps = r#"
spec_version = 1
framework = { nodes = [] }

[panel]
normalise = { fit = "pooled" }

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
"#;
    let mut spec = IndexSpec::from_toml(steps).unwrap();
    spec.framework = fw;
    let results = PanelPipeline::new(spec, &panel).unwrap().run().unwrap();
    assert_stage(
        &results.dataset("normalised").unwrap(),
        &d.join("p2_global_minmax/normalised.csv"),
    );
}
