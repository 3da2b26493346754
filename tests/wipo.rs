//! The reader of WIPO's GII workbook and the reproduction report, on small
//! fixture files written here in WIPO's layout (sheets `Data`, `Index
//! Structure`, `Economies`; and the `Data` sheet as CSV).
#![cfg(feature = "xlsx")]

use std::path::{Path, PathBuf};

use composite_index::instances::gii::{self, GiiRun};
use composite_index::io::{read_wipo_data_csv, read_wipo_xlsx};
use composite_index::prelude::*;
use rust_xlsxwriter::Workbook;

const EDITION: u16 = 2025;

/// The nodes of the edition's framework, in file order, with their levels.
fn nodes() -> Vec<(&'static NodeSpec, u32)> {
    let fw = gii::framework(EDITION).unwrap();
    (0..fw.len()).map(|i| (fw.node(i), fw.level(i))).collect()
}
const ECONOMIES: [(&str, &str, &str, &str); 8] = [
    ("AAA", "Aland", "High income", "Europe"),
    ("BBB", "Bland", "High income", "Asia"),
    ("CCC", "Cland", "Upper middle income", "Africa"),
    ("DDD", "Dland", "Upper middle income", "Europe"),
    ("EEE", "Eland", "Lower middle income", "Asia"),
    ("FFF", "Fland", "Lower middle income", "Africa"),
    ("GGG", "Gland", "Low income", "Americas"),
    ("HHH", "Hland", "Low income", "Americas"),
];
const HEADER: [&str; 12] = [
    "ISO3",
    "ECONOMY_NAME",
    "NUM",
    "NAME",
    "DATAYR",
    "VALUE_SCREEN",
    "SCORE",
    "RANK",
    "SW_OVERALL",
    "SW_INCGRP",
    "OUTDATED",
    "DMC",
];

/// Raw value of economy `i` on indicator `j` (NaN for two missing cells).
fn value(i: usize, j: usize) -> f64 {
    if (i, j) == (3, 5) || (i, j) == (3, 40) {
        return f64::NAN;
    }
    1.0 + ((i * 7 + j * 13) % 17) as f64 + 0.25 * j as f64
}

fn raw_dataset() -> Dataset {
    let units = ECONOMIES.iter().map(|e| e.0.to_string()).collect();
    let cols = gii::framework(EDITION)
        .unwrap()
        .indicator_codes()
        .into_iter()
        .enumerate()
        .map(|(j, code)| (code, (0..8).map(|i| value(i, j)).collect()))
        .collect();
    Dataset::from_columns(units, cols).unwrap()
}

fn computed() -> GiiRun {
    gii::run(EDITION, raw_dataset()).unwrap()
}

/// One row of the `Data` sheet per economy and node.
struct DataRow {
    iso: &'static str,
    name: &'static str,
    num: String,
    node_name: &'static str,
    value: Option<f64>,
    score: Option<f64>,
    rank: Option<u32>,
}

/// The rows, with WIPO's SCORE and RANK taken from `run` (a perturbation
/// `(node, economy, delta)` is added to one score).
fn data_rows(run: &GiiRun, perturb: Option<(&str, &str, f64)>) -> Vec<DataRow> {
    let mut rows = Vec::new();
    for (i, e) in ECONOMIES.iter().enumerate() {
        let mut j = 0;
        for (n, level) in nodes() {
            let scores = run.results.scores(&n.code).unwrap();
            let ranks = run.results.ranks(&n.code).unwrap();
            let mut score = Some(scores[i]).filter(|v| !v.is_nan());
            if let (Some((node, unit, d)), Some(s)) = (perturb, score.as_mut())
                && node == n.code
                && unit == e.0
            {
                *s += d;
            }
            let value = if level == 1 {
                j += 1;
                Some(value(i, j - 1)).filter(|v| !v.is_nan())
            } else {
                None
            };
            rows.push(DataRow {
                iso: e.0,
                name: e.1,
                num: gii::wipo_code(EDITION, &n.code).unwrap(),
                node_name: n.name.as_deref().unwrap(),
                value,
                score,
                rank: ranks[i],
            });
        }
    }
    rows
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("composite_index_wipo_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Writes a workbook in WIPO's layout. `bad_value` replaces one VALUE_SCREEN
/// cell (row index into `rows`) by a text; `data_sheet` names the data sheet.
fn write_xlsx(path: &Path, rows: &[DataRow], bad_value: Option<(usize, &str)>, data_sheet: &str) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(data_sheet).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (k, r) in rows.iter().enumerate() {
        let row = k as u32 + 1;
        ws.write_string(row, 0, r.iso).unwrap();
        ws.write_string(row, 1, r.name).unwrap();
        ws.write_string(row, 2, &r.num).unwrap();
        ws.write_string(row, 3, r.node_name).unwrap();
        ws.write_number(row, 4, 2023.0).unwrap();
        match (bad_value, r.value) {
            (Some((b, text)), _) if b == k => {
                ws.write_string(row, 5, text).unwrap();
            }
            (_, Some(v)) => {
                ws.write_number(row, 5, v).unwrap();
            }
            _ => {}
        }
        if let Some(s) = r.score {
            ws.write_number(row, 6, s).unwrap();
        }
        if let Some(rk) = r.rank {
            ws.write_number(row, 7, f64::from(rk)).unwrap();
        }
        ws.write_string(row, 8, "").unwrap();
        ws.write_string(row, 11, "Yes").unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Index Structure").unwrap();
    for (c, h) in ["NUM", "NAME", "LEVEL", "TYPE"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let labels = gii::spec(EDITION).unwrap().level_names;
    for (k, (n, level)) in nodes().into_iter().enumerate() {
        let row = k as u32 + 1;
        ws.write_string(row, 0, gii::wipo_code(EDITION, &n.code).unwrap())
            .unwrap();
        ws.write_string(row, 1, n.name.as_deref().unwrap()).unwrap();
        ws.write_string(row, 2, &labels[level as usize - 1])
            .unwrap();
        ws.write_string(row, 3, n.kind.as_deref().unwrap_or(""))
            .unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Economies").unwrap();
    for (c, h) in [
        "ISO3",
        "ECONOMY_NAME",
        "INCOME",
        "REG_UN",
        "POP",
        "PPPGDP",
        "PPPPC",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (k, e) in ECONOMIES.iter().enumerate() {
        let row = k as u32 + 1;
        ws.write_string(row, 0, e.0).unwrap();
        ws.write_string(row, 1, e.1).unwrap();
        ws.write_string(row, 2, e.2).unwrap();
        ws.write_string(row, 3, e.3).unwrap();
        let pop = 5.0 + k as f64;
        let pc = 60000.0 / (k as f64 + 1.0);
        ws.write_number(row, 4, pop).unwrap();
        ws.write_number(row, 5, pop * pc / 1000.0).unwrap();
        ws.write_number(row, 6, pc).unwrap();
    }
    wb.save(path).unwrap();
}

fn write_csv(path: &Path, rows: &[DataRow]) {
    let num = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    let mut text = HEADER.join(",") + "\n";
    for r in rows {
        text.push_str(&format!(
            "{},{},{},\"{}\",2023,{},{},{},,,,Yes\n",
            r.iso,
            r.name,
            r.num,
            r.node_name.replace('"', "\"\""),
            num(r.value),
            num(r.score),
            r.rank.map_or_else(String::new, |v| v.to_string())
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn count_scores(run: &GiiRun, level: u32) -> usize {
    nodes()
        .into_iter()
        .filter(|(_, l)| *l == level)
        .map(|(n, _)| {
            run.results
                .scores(&n.code)
                .unwrap()
                .iter()
                .filter(|v| !v.is_nan())
                .count()
        })
        .sum()
}

#[test]
fn known_scores_give_zero_difference() {
    let reference = computed();
    let path = tmp("zero.xlsx");
    write_xlsx(&path, &data_rows(&reference, None), None, "Data");
    let wb = read_wipo_xlsx(&path, EDITION).unwrap();

    // The raw data, the groups and numbers of the Economies sheet, the structure.
    assert_eq!(wb.data.n_units(), 8);
    assert_eq!(wb.data.n_indicators(), 78);
    assert_eq!(wb.data.unit_names()[1], "Bland");
    let raw = raw_dataset();
    for code in raw.indicator_codes() {
        let (a, b) = (
            wb.data.indicator(code).unwrap(),
            raw.indicator(code).unwrap(),
        );
        assert!(
            a.iter()
                .zip(b)
                .all(|(x, y)| x == y || (x.is_nan() && y.is_nan())),
            "{code}"
        );
    }
    assert_eq!(
        wb.data.group("INCOME").unwrap().values[6].as_deref(),
        Some("Low income")
    );
    assert_eq!(wb.data.denominator("PPPPC").unwrap()[1], 30000.0);
    assert_eq!(wb.structure.len(), nodes().len());
    assert!(wb.structure.iter().all(|s| s.code.is_some()));
    assert!(wb.has_scores());

    // Recompute from the file and compare with its SCORE and RANK columns.
    let run = gii::run(EDITION, wb.data.clone()).unwrap();
    let report = wb.reproduction_report(&run);
    assert_eq!(report.levels.len(), 5);
    for l in &report.levels {
        assert_eq!(l.max_abs_diff, 0.0, "{}", l.label);
        assert_eq!(l.mean_abs_diff, 0.0, "{}", l.label);
        assert_eq!(l.ranks_agree, l.ranks_compared, "{}", l.label);
        assert_eq!(l.published_only, 0, "{}", l.label);
        assert!(l.worst.is_none());
    }
    let labels: Vec<&str> = report.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        ["indicator", "sub-pillar", "pillar", "sub-index", "index"]
    );
    assert_eq!(report.level(1).unwrap().compared, 8 * 78 - 2);
    assert_eq!(report.level(2).unwrap().compared, count_scores(&run, 2));
    assert_eq!(report.level(3).unwrap().compared, 8 * 7);
    assert_eq!(report.level(5).unwrap().compared, 8);
    assert_eq!(report.level(5).unwrap().ranks_compared, 8);
    assert!(report.agrees(0.0));
}

#[test]
fn a_perturbed_score_is_reported_exactly() {
    let reference = computed();
    let delta = 0.125;
    let path = tmp("perturbed.xlsx");
    write_xlsx(
        &path,
        &data_rows(&reference, Some(("3", "CCC", delta))),
        None,
        "Data",
    );
    let wb = read_wipo_xlsx(&path, EDITION).unwrap();
    let run = gii::run(EDITION, wb.data.clone()).unwrap();
    let report = wb.reproduction_report(&run);
    let pillar = report.level(3).unwrap();
    assert!(
        (pillar.max_abs_diff - delta).abs() < 1e-12,
        "{}",
        pillar.max_abs_diff
    );
    assert!((pillar.mean_abs_diff - delta / 56.0).abs() < 1e-12);
    let w = pillar.worst.as_ref().unwrap();
    assert_eq!((w.node.as_str(), w.unit.as_str()), ("3", "CCC"));
    assert!((w.published - w.ours - delta).abs() < 1e-12);
    for l in report.levels.iter().filter(|l| l.level != 3) {
        assert_eq!(l.max_abs_diff, 0.0, "{}", l.label);
    }
    assert!(!report.agrees(0.1));
    assert!(report.agrees(0.2));
    assert!(report.to_string().contains("largest at CCC / 3"));
}

#[test]
fn the_data_sheet_as_csv() {
    let reference = computed();
    let path = tmp("data.csv");
    write_csv(&path, &data_rows(&reference, None));
    let wb = read_wipo_data_csv(&path, EDITION).unwrap();
    assert!(wb.structure.is_empty());
    assert!(wb.data.groups().is_empty());
    let run = gii::run(EDITION, wb.data.clone()).unwrap();
    let report = wb.reproduction_report(&run);
    assert_eq!(report.levels.len(), 5);
    assert!(report.agrees(0.0), "{report}");
}

#[test]
fn malformed_files_name_sheet_row_and_column() {
    let reference = computed();
    let rows = data_rows(&reference, None);
    // Row index 12 of `rows` is an indicator row (the index, sub-indices and
    // pillars come first); it sits on spreadsheet row 14 (header on row 1).
    let k = rows.iter().position(|r| r.value.is_some()).unwrap() + 2;
    assert!(rows[k].value.is_some());
    let path = tmp("bad_value.xlsx");
    write_xlsx(&path, &rows, Some((k, "12,5 (est.)")), "Data");
    let e = read_wipo_xlsx(&path, EDITION).unwrap_err();
    let excel_row = k as u64 + 2;
    match &e {
        Error::Table {
            context,
            row,
            column,
            message,
        } => {
            assert!(context.contains("sheet \"Data\""), "{context}");
            assert_eq!(*row, Some(excel_row));
            assert_eq!(column.as_deref(), Some("VALUE_SCREEN (F)"));
            assert!(message.contains("12,5 (est.)"), "{message}");
            assert!(message.contains(rows[k].iso), "{message}");
            let text = e.to_string();
            assert!(
                text.contains(&format!("at row {excel_row}, column VALUE_SCREEN (F)")),
                "{text}"
            );
        }
        other => panic!("expected a table error, got {other:?}"),
    }

    // No Data sheet.
    let path = tmp("no_data.xlsx");
    write_xlsx(&path, &rows, None, "Daten");
    let msg = read_wipo_xlsx(&path, EDITION).unwrap_err().to_string();
    assert!(msg.contains("no sheet named \"Data\""), "{msg}");

    // A NUM code outside the framework names its row and column.
    let mut bad = data_rows(&reference, None);
    bad[20].num = "IN.9.9.9".into();
    let path = tmp("bad_code.xlsx");
    write_xlsx(&path, &bad, None, "Data");
    match read_wipo_xlsx(&path, EDITION).unwrap_err() {
        Error::UnknownCode { code, context, .. } => {
            assert_eq!(code, "IN.9.9.9");
            assert!(
                context.contains("row 22") && context.contains("NUM (C)"),
                "{context}"
            );
        }
        other => panic!("expected an unknown-code error, got {other:?}"),
    }

    // Not a workbook at all, and a missing file.
    let path = tmp("not.xlsx");
    std::fs::write(&path, "ISO3,NUM\n").unwrap();
    assert!(read_wipo_xlsx(&path, EDITION).is_err());
    assert!(matches!(
        read_wipo_xlsx(tmp("absent.xlsx"), EDITION),
        Err(Error::Io { .. })
    ));
}
