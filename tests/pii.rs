//! The PII instance: published aggregation checks, the partial framework, the
//! provinces, the synthetic data, and the encoded facts against `../shared/data/pii`.

use std::collections::HashSet;
use std::path::PathBuf;

use composite_index::instances::gii::GiiOptions;
use composite_index::instances::pii::{self, UnitKind};
use composite_index::instances::{Confidence, round_published};
use composite_index::prelude::*;

mod common;

#[allow(dead_code)]
#[path = "../examples/generate_synthetic.rs"]
mod generate_synthetic;

use common::shared_data as shared;

fn published_2025(code: &str) -> &'static pii::PublishedPii {
    pii::published(2025)
        .find(|p| p.code == Some(code))
        .unwrap_or_else(|| panic!("no published 2025 row for {code}"))
}

#[test]
fn bac_ninh_pillars_give_the_published_index() {
    let p = published_2025("BNH");
    let pillars: Vec<f64> = p.pillars.iter().map(|v| v.unwrap()).collect();
    let data = Dataset::from_columns(
        vec!["BNH".into()],
        (1..=7)
            .map(|k| k.to_string())
            .zip(pillars.iter().map(|&v| vec![v]))
            .collect(),
    )
    .unwrap();
    let r = pii::from_pillar_scores(data).unwrap();
    let index = r.scores("PII").unwrap()[0];
    assert_eq!(round_published(index, 2), 48.76);
    assert_eq!(round_published(index, 2), p.score);
    // Input = mean of pillars 1-5, output = mean of 6-7.
    let input = pillars[..5].iter().sum::<f64>() / 5.0;
    let output = (pillars[5] + pillars[6]) / 2.0;
    assert!((r.scores("IN").unwrap()[0] - input).abs() < 1e-12);
    assert!((r.scores("OUT").unwrap()[0] - output).abs() < 1e-12);
}

#[test]
fn hue_sub_indices_give_the_published_index() {
    let p = published_2025("HUE");
    let data = Dataset::from_columns(
        vec!["HUE".into()],
        vec![
            ("IN".into(), vec![p.input.unwrap()]),
            ("OUT".into(), vec![p.output.unwrap()]),
        ],
    )
    .unwrap();
    let r = pii::from_sub_index_scores(data).unwrap();
    assert_eq!(round_published(r.scores("PII").unwrap()[0], 2), 49.37);
    assert_eq!(p.score, 49.37);
}

#[test]
fn partial_framework_and_provenance() {
    assert_eq!(pii::PILLARS.len(), pii::N_PILLARS);
    let fw = Framework::new(pii::framework(), None).unwrap();
    assert_eq!(fw.n_levels(), 5);
    assert_eq!(fw.nodes_at_level(3).len(), 7);
    assert_eq!(fw.indicators().len(), pii::INDICATORS_KNOWN.len());
    assert!(pii::INDICATORS_KNOWN.len() < pii::N_INDICATORS);
    const { assert!(pii::FRAMEWORK_IS_PARTIAL) };
    assert_eq!(pii::METHOD_PROVENANCE.confidence, Confidence::Inferred);
    assert_eq!(pii::AGGREGATION_PROVENANCE.confidence, Confidence::Verified);
    // Pillars 1-5 feed the input sub-index, 6-7 the output.
    let parents: Vec<&str> = pii::PILLARS.iter().map(|p| p.parent.unwrap()).collect();
    assert_eq!(parents, ["IN", "IN", "IN", "IN", "IN", "OUT", "OUT"]);
    assert_eq!(pii::PILLARS[6].name_vi, "Tác động");
    // Only pillar 7's sub-pillars are published; each indicator's pillar agrees with its code.
    assert_eq!(pii::SUB_PILLARS.iter().filter(|s| s.published).count(), 2);
    for i in pii::INDICATORS_KNOWN {
        assert!(i.code.starts_with(&format!("{}.", i.pillar)), "{}", i.code);
        assert!(i.code.starts_with(i.sub_pillar), "{}", i.code);
        assert!(matches!(
            i.placement,
            Confidence::Reported | Confidence::Inferred
        ));
    }
}

#[test]
fn provinces_of_2025() {
    assert_eq!(pii::PROVINCES_2025.len(), 34);
    let codes: HashSet<&str> = pii::PROVINCES_2025.iter().map(|p| p.code).collect();
    assert_eq!(codes.len(), 34);
    let cities = pii::PROVINCES_2025
        .iter()
        .filter(|p| p.kind == UnitKind::City)
        .count();
    assert_eq!(cities, 6);
    assert_eq!(pii::province("Bac Ninh").unwrap().code, "BNH");
    assert_eq!(pii::province("Hà Nội").unwrap().code, "HNI");
    assert_eq!(pii::province("dlk").unwrap().name_ascii, "Dak Lak");
    assert!(pii::PROVINCES_2025.iter().all(|p| p.name_ascii.is_ascii()));
    // Every 2025 published row names a province of the list.
    for p in pii::published(2025) {
        let code = p.code.unwrap();
        assert_eq!(pii::province(code).unwrap().name, p.province);
        assert_eq!(p.units_ranked, 34);
    }
}

#[test]
fn synthetic_data_regenerate_identically() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shipped = std::fs::read_to_string(root.join(generate_synthetic::PII_PATH)).unwrap();
    assert!(
        shipped == generate_synthetic::pii_csv(),
        "data/pii/synthetic_2025.csv differs from what examples/generate_synthetic.rs makes; \
         run `cargo run --example generate_synthetic`"
    );
}

#[cfg(feature = "csv")]
#[test]
fn synthetic_pii_runs() {
    use composite_index::io::{CsvRoles, read_dataset_file};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/pii/synthetic_2025.csv");
    let roles = CsvRoles {
        groups: vec!["Kind".into()],
        denominators: vec!["GRDPpc".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(&path, &roles).unwrap();
    assert_eq!(data.n_units(), 34);
    assert!(
        data.unit_names()
            .iter()
            .all(|n| n.starts_with("Synthetic province"))
    );
    let run = pii::run(data, &GiiOptions::default()).unwrap();
    let s = run.results.scores("PII").unwrap();
    assert_eq!(s.len(), 34);
    assert!(s.iter().all(|v| (0.0..=100.0).contains(v)));
    let (i, o) = (
        run.results.scores("IN").unwrap(),
        run.results.scores("OUT").unwrap(),
    );
    for k in 0..34 {
        assert!((s[k] - (i[k] + o[k]) / 2.0).abs() < 1e-12);
        assert!((run.efficiency_ratios().unwrap()[k].unwrap() - o[k] / i[k]).abs() < 1e-12);
    }
}

// ------------------------------------------------------------------ shared facts

fn rows(file: &str) -> Option<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(shared(file)?).unwrap();
    Some(
        text.lines()
            .skip(1)
            .map(|l| {
                let mut out = vec![String::new()];
                let mut q = false;
                for c in l.chars() {
                    match c {
                        '"' => q = !q,
                        ',' if !q => out.push(String::new()),
                        _ => out.last_mut().unwrap().push(c),
                    }
                }
                out
            })
            .collect(),
    )
}

#[test]
fn encoded_facts_match_shared_data() {
    let Some(pillars) = rows("pii/pillars.csv") else {
        return;
    };
    let nodes: Vec<&pii::PiiNode> = pii::TOP.iter().chain(&pii::PILLARS).collect();
    assert_eq!(pillars.len(), nodes.len());
    for (r, n) in pillars.iter().zip(&nodes) {
        assert_eq!(
            (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[4].as_str()),
            (n.code, n.name_en, n.name_vi, n.parent.unwrap_or(""))
        );
    }
    let Some(provinces) = rows("pii/provinces_2025.csv") else {
        return;
    };
    assert_eq!(provinces.len(), 34);
    for (r, p) in provinces.iter().zip(&pii::PROVINCES_2025) {
        assert_eq!((r[0].as_str(), r[1].as_str()), (p.code, p.name));
        let kind = if p.kind == UnitKind::City {
            "city"
        } else {
            "province"
        };
        assert_eq!(r[2], kind);
    }
    let Some(indicators) = rows("pii/indicators_known.csv") else {
        return;
    };
    assert_eq!(indicators.len(), pii::INDICATORS_KNOWN.len());
    for (r, i) in indicators.iter().zip(pii::INDICATORS_KNOWN) {
        assert_eq!(r[0].parse::<u8>().unwrap(), i.pillar);
        assert_eq!(r[2], i.name);
        assert_eq!(r[3], i.unit);
        assert_eq!(r[4].parse::<i8>().unwrap(), i.direction);
        let conf = if r[5] == "confirmed" {
            Confidence::Reported
        } else {
            Confidence::Inferred
        };
        assert_eq!(conf, i.placement, "{}", i.name);
        assert_eq!(r[6], i.source);
        if !r[1].is_empty() {
            assert!(r[1].starts_with(i.sub_pillar), "{}", i.name);
        }
    }
    let Some(published) = rows("pii/published.csv") else {
        return;
    };
    assert_eq!(published.len(), pii::PUBLISHED.len());
    let opt = |s: &str| s.parse::<f64>().ok();
    for (r, p) in published.iter().zip(pii::PUBLISHED) {
        assert_eq!(r[0].parse::<u16>().unwrap(), p.edition);
        assert_eq!(r[1], p.province);
        assert_eq!(r[2].parse::<u32>().unwrap(), p.rank);
        assert_eq!(r[3].parse::<f64>().unwrap(), p.score);
        assert_eq!((opt(&r[4]), opt(&r[5])), (p.input, p.output));
        for k in 0..7 {
            assert_eq!(opt(&r[6 + k]), p.pillars[k]);
        }
        assert_eq!(r[13].parse::<u32>().unwrap(), p.units_ranked);
        assert_eq!(r[14], p.source);
    }
}
