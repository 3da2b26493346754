#![cfg(feature = "xlsx")]
//! The JRC COIN Tool's workbook layout read into a data set and a framework.
//!
//! The fixtures are written here with rust_xlsxwriter, cell by cell in the
//! layout COINr's `import_coin_tool` reads (Database rows 7 to 16 for the
//! indicator metadata, units from row 17 with names in B and codes in C, values
//! from column E; Framework codes in C, weights in E, names in H from row 5).
//! The ASEM test writes COINr's ASEM example in that layout and checks that the
//! import runs to the same index as COINr's own tables (skipped without
//! `../shared/reference`, failing under `CI=true`).

mod common;

use std::path::{Path, PathBuf};

use composite_index::io::{CoinToolOptions, read_coin_tool};
use composite_index::prelude::*;
use rust_xlsxwriter::Workbook;

/// One indicator column of the Database sheet.
struct Ind<'a> {
    code: &'a str,
    name: &'a str,
    lineage: [&'a str; 4], // sub-pillar, pillar, sub-index, index
    weight: f64,
    direction: f64,
    goalposts: Option<(f64, f64)>,
}

/// One unit row: name, code, a value per indicator (`None`: the text "n/a").
type Unit<'a> = (&'a str, &'a str, Vec<Option<f64>>);

/// Writes a COIN Tool workbook: `padding` extra template columns with a code
/// and no data, Framework rows `(code, name, weight)` from row 5 (6 for the
/// old tool).
fn write_coin_tool(
    path: &Path,
    inds: &[Ind<'_>],
    units: &[Unit<'_>],
    framework: &[(&str, &str, Option<f64>)],
    padding: usize,
    old_tool: bool,
) {
    let mut book = Workbook::new();
    let db = book.add_worksheet().set_name("Database").unwrap();
    db.write_string(0, 0, "COIN Tool - Database").unwrap();
    db.write_string(15, 1, "Unit name").unwrap();
    db.write_string(15, 2, "Unit code").unwrap();
    for (j, ind) in inds.iter().enumerate() {
        let c = 4 + j as u16;
        db.write_number(6, c, ind.weight).unwrap();
        db.write_number(7, c, ind.direction).unwrap();
        if let Some((lo, hi)) = ind.goalposts {
            db.write_number(8, c, lo).unwrap();
            db.write_number(9, c, hi).unwrap();
        }
        for (k, code) in ind.lineage.iter().enumerate() {
            db.write_string(13 - k as u32, c, *code).unwrap();
        }
        db.write_string(14, c, ind.name).unwrap();
        db.write_string(15, c, ind.code).unwrap();
    }
    for p in 0..padding {
        let c = 4 + (inds.len() + p) as u16;
        db.write_string(15, c, format!("Ind.{:02}", inds.len() + p + 1))
            .unwrap();
        db.write_string(14, c, "--").unwrap();
    }
    for (i, (name, code, values)) in units.iter().enumerate() {
        let r = 16 + i as u32;
        db.write_string(r, 1, *name).unwrap();
        db.write_string(r, 2, *code).unwrap();
        for (j, v) in values.iter().enumerate() {
            match v {
                Some(v) => db.write_number(r, 4 + j as u16, *v).unwrap(),
                None => db.write_string(r, 4 + j as u16, "n/a").unwrap(),
            };
        }
    }
    let fw = book.add_worksheet().set_name("Framework").unwrap();
    let top = if old_tool { 4 } else { 3 };
    for (j, h) in ["Dimension/indicator", "", "Weight", "", "", "Name"]
        .iter()
        .enumerate()
    {
        if !h.is_empty() {
            fw.write_string(top, 2 + j as u16, *h).unwrap();
        }
    }
    for (i, (code, name, weight)) in framework.iter().enumerate() {
        let r = top + 1 + i as u32;
        fw.write_string(r, 2, *code).unwrap();
        if let Some(w) = weight {
            fw.write_number(r, 4, *w).unwrap();
        }
        fw.write_string(r, 7, *name).unwrap();
    }
    // Unused template rows.
    for i in framework.len()..framework.len() + 3 {
        fw.write_string(top + 1 + i as u32, 2, "--").unwrap();
    }
    book.save(path).unwrap();
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("coin_tool");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn ind<'a>(code: &'a str, name: &'a str, lineage: [&'a str; 4], direction: f64) -> Ind<'a> {
    Ind {
        code,
        name,
        lineage,
        weight: 1.0,
        direction,
        goalposts: None,
    }
}

/// Five indicators in two sub-pillars of pillar p.01, one in p.02; two
/// sub-indices; goalposts on the first; template padding; a unit without data.
fn four_level_fixture(path: &Path, old_tool: bool) {
    let mut inds = vec![
        ind(
            "Ind.01",
            "Number of patents",
            ["sp.01", "p.01", "si.01", "Index"],
            1.0,
        ),
        ind(
            "Ind.02",
            "Broadband subscriptions",
            ["sp.01", "p.01", "si.01", "Index"],
            1.0,
        ),
        ind(
            "Ind.03",
            "Cost of starting a business",
            ["sp.02", "p.01", "si.01", "Index"],
            -1.0,
        ),
        ind(
            "Ind.04",
            "Exports of services",
            ["sp.03", "p.02", "si.02", "Index"],
            1.0,
        ),
        ind(
            "Ind.05",
            "Use of ICT",
            ["sp.03", "p.02", "si.02", "Index"],
            1.0,
        ),
    ];
    inds[0].goalposts = Some((0.0, 50.0));
    inds[3].weight = 2.0;
    let v = |x: [f64; 5]| x.iter().map(|&v| Some(v)).collect::<Vec<_>>();
    let mut b = v([3.0, 40.0, 7.0, 1.5, 60.0]);
    b[1] = None; // "n/a"
    let units: Vec<Unit<'_>> = vec![
        ("Avalon", "AVA", v([12.0, 55.0, 4.0, 3.0, 80.0])),
        ("Brightwater", "BRI", b),
        ("Coldharbour", "COL", v([25.0, 70.0, 2.0, 0.5, 72.0])),
        ("Dunmore", "DUN", v([8.0, 35.0, 9.0, 2.5, 41.0])),
        ("Empty Isle", "EMP", vec![None; 5]),
    ];
    let framework = [
        ("sp.01", "Knowledge creation", Some(1.0)),
        ("sp.02", "Business environment", Some(1.0)),
        ("sp.03", "Trade", Some(1.0)),
        ("p.01", "Inputs", Some(2.0)),
        ("p.02", "Outputs", Some(1.0)),
        ("p.09", "Never used", Some(1.0)),
        ("si.01", "Input sub-index", Some(1.0)),
        ("si.02", "Output sub-index", Some(1.0)),
        ("Index", "Innovation index", Some(1.0)),
    ];
    write_coin_tool(path, &inds, &units, &framework, 4, old_tool);
}

fn node<'a>(spec: &'a FrameworkSpec, code: &str) -> &'a NodeSpec {
    spec.nodes
        .iter()
        .find(|n| n.code == code)
        .unwrap_or_else(|| panic!("no node {code}"))
}

#[test]
fn reads_a_four_level_coin_tool_workbook() {
    let path = scratch("four_levels.xlsx");
    four_level_fixture(&path, false);
    let ct = read_coin_tool(&path, &CoinToolOptions::default()).unwrap();
    let fw = &ct.framework;
    // 5 indicators, 3 sub-pillars, 2 pillars, 2 sub-indices, the index.
    assert_eq!(fw.nodes.len(), 5 + 3 + 2 + 2 + 1);
    assert_eq!(node(fw, "Ind.03").parent.as_deref(), Some("sp.02"));
    assert_eq!(node(fw, "Ind.03").direction, -1.0);
    assert_eq!(node(fw, "Ind.04").weight, 2.0);
    assert_eq!(
        node(fw, "Ind.01").name.as_deref(),
        Some("Number of patents")
    );
    assert_eq!(node(fw, "sp.02").parent.as_deref(), Some("p.01"));
    assert_eq!(node(fw, "p.01").parent.as_deref(), Some("si.01"));
    assert_eq!(node(fw, "p.01").weight, 2.0);
    assert_eq!(node(fw, "p.01").name.as_deref(), Some("Inputs"));
    assert_eq!(node(fw, "si.02").parent.as_deref(), Some("Index"));
    assert_eq!(node(fw, "Index").parent, None);
    assert!(fw.nodes.iter().all(|n| n.code != "p.09"));
    // Data: 4 units (the one without data left out), n/a missing.
    let d = &ct.data;
    assert_eq!(d.unit_codes(), ["AVA", "BRI", "COL", "DUN"]);
    assert_eq!(d.unit_names()[2], "Coldharbour");
    assert_eq!(d.indicator_codes().len(), 5);
    assert_eq!(d.indicator("Ind.04").unwrap(), [3.0, 1.5, 0.5, 2.5]);
    assert!(d.indicator("Ind.02").unwrap()[1].is_nan());
    assert_eq!(ct.goalposts, [("Ind.01".to_owned(), 0.0, 50.0)]);
    let notes = ct.notes.join("\n");
    assert!(notes.contains("\"EMP\" (row 21) left out"), "{notes}");
    assert!(
        notes.contains("4 indicator columns without any data"),
        "{notes}"
    );
    assert!(
        notes.contains("\"p.09\" (Framework row 10) left out"),
        "{notes}"
    );
    // The framework is valid for the data and the index runs.
    let spec = IndexSpec::new(
        ct.framework.clone(),
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::default()),
        ],
    );
    let results = Pipeline::new(spec, ct.data.clone()).unwrap().run().unwrap();
    assert_eq!(results.ranks("Index").unwrap().len(), 4);
    // The old tool has the Framework table one row lower.
    let old = scratch("four_levels_old.xlsx");
    four_level_fixture(&old, true);
    let opts = CoinToolOptions {
        old_tool: true,
        ..CoinToolOptions::default()
    };
    assert_eq!(read_coin_tool(&old, &opts).unwrap().framework, ct.framework);
    // Read as the old tool, the new layout misses its first Framework row.
    let e = read_coin_tool(&path, &opts).unwrap_err();
    assert!(e.to_string().contains("\"sp.01\""), "{e}");
}

#[test]
fn codes_can_be_made_from_names() {
    let path = scratch("make_codes.xlsx");
    four_level_fixture(&path, false);
    let opts = CoinToolOptions {
        make_codes: true,
        ..CoinToolOptions::default()
    };
    let ct = read_coin_tool(&path, &opts).unwrap();
    assert_eq!(
        ct.data.indicator_codes(),
        ["NumbPate", "BroaSubs", "CostStar", "ExpoServ", "ICT"]
    );
    assert_eq!(
        node(&ct.framework, "CostStar").parent.as_deref(),
        Some("sp.02")
    );
    assert_eq!(ct.goalposts[0].0, "NumbPate");
}

#[test]
fn an_unused_level_is_left_out() {
    // Every indicator has the sub-pillar code "sp.01": the level is unused.
    let inds = [
        ind("a", "A", ["sp.01", "p.01", "si.01", "Index"], 1.0),
        ind("b", "B", ["sp.01", "p.02", "si.01", "Index"], 1.0),
        ind("c", "C", ["sp.01", "p.02", "si.01", "Index"], 1.0),
    ];
    let units: Vec<Unit<'_>> = vec![
        ("U1", "U1", vec![Some(1.0), Some(2.0), Some(3.0)]),
        ("U2", "U2", vec![Some(2.0), Some(1.0), Some(5.0)]),
    ];
    let framework = [
        ("sp.01", "All", Some(1.0)),
        ("p.01", "P1", Some(1.0)),
        ("p.02", "P2", Some(1.0)),
        ("si.01", "S", Some(1.0)),
        ("Index", "Index", None),
    ];
    let path = scratch("unused_level.xlsx");
    write_coin_tool(&path, &inds, &units, &framework, 0, false);
    let ct = read_coin_tool(&path, &CoinToolOptions::default()).unwrap();
    assert_eq!(node(&ct.framework, "a").parent.as_deref(), Some("p.01"));
    assert!(ct.framework.nodes.iter().all(|n| n.code != "sp.01"));
    assert!(ct.notes.iter().any(|n| n.contains("\"sub-pillar\" unused")));
    // The index's weight may be empty.
    assert_eq!(node(&ct.framework, "Index").weight, 1.0);
    composite_index::Framework::new(ct.framework, Some(ct.data.indicator_codes())).unwrap();
}

#[test]
fn bad_workbooks_give_errors_naming_sheet_row_and_column() {
    let inds = [
        ind("a", "A", ["sp.01", "p.01", "si.01", "Index"], 1.0),
        ind("b", "B", ["sp.01", "p.02", "si.01", "Index"], 1.0),
    ];
    let framework = [
        ("p.01", "P1", Some(1.0)),
        ("p.02", "P2", Some(1.0)),
        ("si.01", "S", Some(1.0)),
        ("Index", "Index", Some(1.0)),
    ];
    // Text in the data (F17 holds "12,5").
    let path = scratch("bad_text.xlsx");
    {
        let mut book = Workbook::new();
        let db = book.add_worksheet().set_name("Database").unwrap();
        for (j, i) in inds.iter().enumerate() {
            let c = 4 + j as u16;
            db.write_number(6, c, 1.0).unwrap();
            db.write_number(7, c, 1.0).unwrap();
            for (k, code) in i.lineage.iter().enumerate() {
                db.write_string(13 - k as u32, c, *code).unwrap();
            }
            db.write_string(15, c, i.code).unwrap();
        }
        db.write_string(16, 2, "U1").unwrap();
        db.write_number(16, 4, 1.0).unwrap();
        db.write_string(16, 5, "12,5").unwrap();
        let fw = book.add_worksheet().set_name("Framework").unwrap();
        for (i, (code, name, w)) in framework.iter().enumerate() {
            fw.write_string(4 + i as u32, 2, *code).unwrap();
            fw.write_number(4 + i as u32, 4, w.unwrap()).unwrap();
            fw.write_string(4 + i as u32, 7, *name).unwrap();
        }
        book.save(&path).unwrap();
    }
    let e = read_coin_tool(&path, &CoinToolOptions::default()).unwrap_err();
    match &e {
        Error::Table {
            context,
            row,
            column,
            message,
        } => {
            assert!(context.contains("\"Database\""), "{e}");
            assert_eq!((*row, column.as_deref()), (Some(17), Some("F")), "{e}");
            assert!(message.contains("\"12,5\" is not a number"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // An aggregate the Framework sheet does not list.
    let path = scratch("bad_aggregate.xlsx");
    write_coin_tool(
        &path,
        &inds,
        &[("U1", "U1", vec![Some(1.0), Some(2.0)])],
        &framework[1..],
        0,
        false,
    );
    let e = read_coin_tool(&path, &CoinToolOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("aggregate \"p.01\" (of indicator \"a\") is not in the Framework sheet"),
        "{e}"
    );
    // Duplicate unit codes name both rows.
    let path = scratch("bad_duplicate.xlsx");
    write_coin_tool(
        &path,
        &inds,
        &[
            ("U1", "U1", vec![Some(1.0), Some(2.0)]),
            ("U1 again", "U1", vec![Some(3.0), Some(4.0)]),
        ],
        &framework,
        0,
        false,
    );
    let e = read_coin_tool(&path, &CoinToolOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("row 18") && e.to_string().contains("row 17"),
        "{e}"
    );
    // Not a COIN Tool workbook.
    let path = scratch("not_coin_tool.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Data").unwrap();
    book.save(&path).unwrap();
    let e = read_coin_tool(&path, &CoinToolOptions::default()).unwrap_err();
    assert!(e.to_string().contains("no sheet named \"Database\""), "{e}");
    // A missing file.
    assert!(matches!(
        read_coin_tool(scratch("absent.xlsx"), &CoinToolOptions::default()),
        Err(Error::Io { .. })
    ));
}

/// COINr's ASEM example written in the COIN Tool's layout (pillars renamed
/// `p.01`..., sub-indices `si.01`..., named after their ASEM codes) reads back
/// to the same data and framework, and runs to the same index.
#[test]
fn asem_moves_over_from_the_coin_tool() {
    let Some(dir) = common::asem_dir() else {
        return;
    };
    let (framework, data) = common::asem(&dir);
    let fw = Framework::new(framework.clone(), Some(data.indicator_codes())).unwrap();
    // COIN Tool codes of the aggregates, named after the ASEM codes.
    let mut tool_code = std::collections::HashMap::new();
    for (level, prefix) in [(2, "p."), (3, "si.")] {
        for (k, &i) in fw.nodes_at_level(level).iter().enumerate() {
            tool_code.insert(fw.code(i).to_owned(), format!("{prefix}{:02}", k + 1));
        }
    }
    tool_code.insert(fw.code(fw.root()).to_owned(), "Index".to_owned());
    let inds: Vec<Ind<'_>> = fw
        .indicators()
        .iter()
        .map(|&i| {
            let n = fw.node(i);
            let p = fw.parent(i).unwrap();
            let si = fw.parent(p).unwrap();
            Ind {
                code: &n.code,
                name: fw.name(i),
                lineage: [
                    "sp.01",
                    tool_code[fw.code(p)].as_str(),
                    tool_code[fw.code(si)].as_str(),
                    "Index",
                ],
                weight: n.weight,
                direction: n.direction,
                goalposts: None,
            }
        })
        .collect();
    let units: Vec<Unit<'_>> = (0..data.n_units())
        .map(|u| {
            (
                data.unit_names()[u].as_str(),
                data.unit_codes()[u].as_str(),
                fw.indicators()
                    .iter()
                    .map(|&i| {
                        let v = data.indicator(fw.code(i)).unwrap()[u];
                        (!v.is_nan()).then_some(v)
                    })
                    .collect(),
            )
        })
        .collect();
    let fw_rows: Vec<(&str, &str, Option<f64>)> = (2..=fw.n_levels())
        .flat_map(|l| fw.nodes_at_level(l).iter().copied())
        .map(|i| {
            (
                tool_code[fw.code(i)].as_str(),
                fw.code(i),
                Some(fw.node(i).weight),
            )
        })
        .collect();
    let path = scratch("asem.xlsx");
    write_coin_tool(&path, &inds, &units, &fw_rows, 99 - inds.len(), false);
    let ct = read_coin_tool(&path, &CoinToolOptions::default()).unwrap();
    assert_eq!(ct.data.unit_codes(), data.unit_codes());
    assert_eq!(ct.data.unit_names(), data.unit_names());
    for code in data
        .indicator_codes()
        .iter()
        .filter(|c| fw.index_of(c).is_some())
    {
        let (a, b) = (
            ct.data.indicator(code).unwrap(),
            data.indicator(code).unwrap(),
        );
        assert!(
            a.iter()
                .zip(b)
                .all(|(x, y)| x == y || (x.is_nan() && y.is_nan())),
            "{code}"
        );
    }
    // The same tree, aggregates renamed: each node's parent and weight.
    let asem_of: std::collections::HashMap<&str, &str> = tool_code
        .iter()
        .map(|(asem, tool)| (tool.as_str(), asem.as_str()))
        .collect();
    assert_eq!(ct.framework.nodes.len(), fw.len());
    for n in &ct.framework.nodes {
        let asem_code = asem_of.get(n.code.as_str()).copied().unwrap_or(&n.code);
        let i = fw
            .index_of(asem_code)
            .unwrap_or_else(|| panic!("{asem_code}"));
        assert_eq!(n.weight, fw.node(i).weight, "{}", n.code);
        assert_eq!(n.direction, fw.node(i).direction, "{}", n.code);
        let parent = fw.parent(i).map(|p| tool_code[fw.code(p)].clone());
        assert_eq!(n.parent, parent, "{}", n.code);
    }
    // Same steps on both: the same index, to the last bit.
    let steps = || {
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::default()),
        ]
    };
    let ours = Pipeline::new(IndexSpec::new(ct.framework, steps()), ct.data)
        .unwrap()
        .run()
        .unwrap();
    let theirs = Pipeline::new(IndexSpec::new(framework, steps()), data)
        .unwrap()
        .run()
        .unwrap();
    assert_eq!(
        ours.scores("Index").unwrap(),
        theirs.scores(fw.code(fw.root())).unwrap()
    );
    assert!(ct.notes.iter().any(|n| n.contains("\"sub-pillar\" unused")));
}
