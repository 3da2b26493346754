//! The GII and PII instances over several editions: each edition on its own
//! framework, comparisons stating how the framework changed, and the PII across
//! the 2025 merger. Data are the crate's synthetic GII-shaped file (2025
//! framework), reshaped into a 2024 edition for the 2024 framework.
#![cfg(feature = "csv")]

use composite_index::instances::editions::{gii_editions, pii_merger_2025};
use composite_index::instances::gii;
use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::panel::{FrameworkBasis, Panel, UnitStatus};
use composite_index::prelude::*;

fn synthetic_2025() -> Dataset {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/gii/synthetic_2025.csv");
    let roles = CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..CsvRoles::default()
    };
    read_dataset_file(path, &roles).unwrap()
}

/// A 2024 edition on the 2024 framework: each 2024 indicator takes the 2025
/// column of the same code (or of the same name), values shifted; the last
/// economy is absent.
fn synthetic_2024(d25: &Dataset) -> Dataset {
    let f24 = gii::framework(2024).unwrap().spec();
    let f25 = gii::framework(2025).unwrap().spec();
    let n = d25.n_units() - 1;
    let leaves: Vec<&NodeSpec> = f24
        .nodes
        .iter()
        .filter(|x| {
            !f24.nodes
                .iter()
                .any(|y| y.parent.as_deref() == Some(x.code.as_str()))
        })
        .collect();
    let cols = leaves
        .iter()
        .map(|node| {
            let source = d25
                .indicator(&node.code)
                .or_else(|| {
                    f25.nodes
                        .iter()
                        .find(|m| m.name == node.name)
                        .and_then(|m| d25.indicator(&m.code))
                })
                .unwrap_or_else(|| d25.indicator("1.1.1").unwrap());
            let v = source[..n]
                .iter()
                .enumerate()
                .map(|(i, x)| x * (0.97 + 0.01 * (i % 7) as f64))
                .collect();
            (node.code.clone(), v)
        })
        .collect();
    let mut d = Dataset::from_columns(d25.unit_codes()[..n].to_vec(), cols).unwrap();
    d = d.with_unit_names(d25.unit_names()[..n].to_vec()).unwrap();
    for g in d25.groups() {
        d = d
            .with_group(g.name.clone(), g.values[..n].to_vec())
            .unwrap();
    }
    d
}

#[test]
fn gii_editions_run_each_edition_on_its_own_framework() {
    let d25 = synthetic_2025();
    let d24 = synthetic_2024(&d25);
    let panel = Panel::new(vec![(2024.0, d24), (2025.0, d25)]).unwrap();
    let (runs, eds) = gii_editions(&panel).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].pipeline.framework().indicators().len(), 78);
    let c = eds.compare("GII", 2024.0, 2025.0).unwrap();
    match &c.basis {
        FrameworkBasis::OwnFrameworks { changes: Some(ch) } => {
            assert_eq!(ch.common.len(), 70, "{}", ch.summary());
        }
        other => panic!("{other:?}"),
    }
    let last = d25_last(&panel);
    assert_eq!(c.row(&last).unwrap().status, UnitStatus::Entered);
    let moved = c
        .rows
        .iter()
        .filter(|r| r.change().is_some_and(|x| x != 0))
        .count();
    assert!(moved > 0, "ranks differ between the synthetic editions");
    // A year without a framework in the crate is refused, naming the edition.
    let p = Panel::new(vec![(2019.0, synthetic_2025())]).unwrap();
    let e = gii_editions(&p).unwrap_err();
    assert!(
        matches!(&e, Error::InEdition { time, .. } if *time == 2019.0),
        "{e}"
    );
}

fn d25_last(p: &Panel) -> String {
    p.edition(2025.0)
        .unwrap()
        .unit_codes()
        .last()
        .unwrap()
        .clone()
}

#[test]
fn the_merger_mapping_covers_every_province_once() {
    let m = pii_merger_2025().unwrap();
    let mut olds: Vec<&str> = m.changes().iter().map(|c| c.old.as_str()).collect();
    olds.sort_unstable();
    olds.dedup();
    assert_eq!(olds.len(), 63);
    // Three provinces became Ninh Binh; Ha Noi is unchanged.
    assert_eq!(
        m.predecessors("NBH", 2024.0, 2025.0),
        vec!["HNM", "NBH", "NDH"]
    );
    assert_eq!(m.predecessors("HNI", 2024.0, 2025.0), vec!["HNI"]);
}
