//! The PII instance: published aggregation checks, the partial framework, the
//! provinces, the synthetic data, and the encoded facts against `../shared/data/pii`.

use std::collections::HashSet;
use std::path::PathBuf;

use composite_index::instances::pii::{self, UnitKind};
use composite_index::instances::round_published;
use composite_index::prelude::*;
use composite_index::spec::Confidence;

mod common;

#[allow(dead_code)]
#[path = "../examples/generate_synthetic.rs"]
mod generate_synthetic;

use common::shared_data as shared;

fn published_2025(code: &str) -> &'static pii::PublishedPii {
    pii::published(2025)
        .unwrap()
        .find(|p| p.code.as_deref() == Some(code))
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
    let r = pii::from_pillar_scores(2025, data).unwrap();
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
    let r = pii::from_sub_index_scores(2025, data).unwrap();
    assert_eq!(round_published(r.scores("PII").unwrap()[0], 2), 49.37);
    assert_eq!(p.score, 49.37);
}

/// The nodes of the shipped PII 2025 framework, in file order.
fn nodes() -> &'static [NodeSpec] {
    &pii::framework(2025).unwrap().spec().nodes
}

#[test]
fn partial_framework_and_provenance() {
    let fw = pii::framework(2025).unwrap();
    assert_eq!(fw.n_levels(), 5);
    assert_eq!(fw.nodes_at_level(3).len(), 7);
    assert_eq!(fw.indicators().len(), 31);
    let spec = pii::spec(2025).unwrap();
    // The framework is partial, and says so: 31 of the official 52 indicators.
    let framework = &spec.provenance["framework"];
    assert!(
        framework.source.contains("52 indicators"),
        "{}",
        framework.source
    );
    assert!(fw.indicators().len() < 52);
    assert_eq!(spec.provenance["method"].confidence, Confidence::Inferred);
    assert_eq!(
        spec.provenance["aggregation"].confidence,
        Confidence::Verified
    );
    // Pillars 1-5 feed the input sub-index, 6-7 the output.
    let pillars: Vec<&NodeSpec> = fw.nodes_at_level(3).iter().map(|&i| fw.node(i)).collect();
    let parents: Vec<&str> = pillars
        .iter()
        .map(|p| p.parent.as_deref().unwrap())
        .collect();
    assert_eq!(parents, ["IN", "IN", "IN", "IN", "IN", "OUT", "OUT"]);
    assert_eq!(pillars[6].names["vi"], "Tác động");
    // Only pillar 7's sub-pillars are published; each indicator's pillar agrees with its code.
    let subs: Vec<&NodeSpec> = fw.nodes_at_level(2).iter().map(|&i| fw.node(i)).collect();
    assert_eq!(subs.len(), 8);
    assert_eq!(
        subs.iter()
            .filter(|s| s.confidence == Some(Confidence::Reported))
            .count(),
        2
    );
    for &i in fw.indicators() {
        let n = fw.node(i);
        let pillar = fw.code(fw.parent(fw.parent(i).unwrap()).unwrap());
        let sub = n.parent.as_deref().unwrap();
        assert!(n.code.starts_with(&format!("{pillar}.")), "{}", n.code);
        assert!(n.code.starts_with(sub), "{}", n.code);
        assert!(matches!(
            n.confidence,
            Some(Confidence::Reported | Confidence::Inferred)
        ));
    }
}

#[test]
fn provinces_of_2025() {
    let provinces = pii::provinces(2025).unwrap();
    assert_eq!(provinces.len(), 34);
    let codes: HashSet<&str> = provinces.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes.len(), 34);
    let cities = provinces
        .iter()
        .filter(|p| p.kind == UnitKind::City)
        .count();
    assert_eq!(cities, 6);
    assert_eq!(pii::province(2025, "Bac Ninh").unwrap().code, "BNH");
    assert_eq!(pii::province(2025, "Hà Nội").unwrap().code, "HNI");
    assert_eq!(pii::province(2025, "dlk").unwrap().name_ascii, "Dak Lak");
    assert!(provinces.iter().all(|p| p.name_ascii.is_ascii()));
    assert!(pii::provinces(2024).is_err());
    // Every 2025 published row names a province of the list.
    for p in pii::published(2025).unwrap() {
        let code = p.code.as_deref().unwrap();
        assert_eq!(pii::province(2025, code).unwrap().name, p.province);
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
    let run = pii::run(2025, data).unwrap();
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
    let nodes = nodes();
    for (r, n) in pillars.iter().zip(nodes) {
        assert_eq!(
            (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[4].as_str()),
            (
                n.code.as_str(),
                n.name.as_deref().unwrap(),
                n.names["vi"].as_str(),
                n.parent.as_deref().unwrap_or("")
            )
        );
    }
    let fw = pii::framework(2025).unwrap();
    assert_eq!(pillars.len(), fw.nodes_at_level(3).len() + 3);
    let Some(provinces) = rows("pii/provinces_2025.csv") else {
        return;
    };
    let ours = pii::provinces(2025).unwrap();
    assert_eq!(provinces.len(), 34);
    for (r, p) in provinces.iter().zip(ours) {
        assert_eq!(
            (r[0].as_str(), r[1].as_str()),
            (p.code.as_str(), p.name.as_str())
        );
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
    assert_eq!(indicators.len(), fw.indicators().len());
    for (r, &i) in indicators.iter().zip(fw.indicators()) {
        let n = fw.node(i);
        let pillar = fw.code(fw.parent(fw.parent(i).unwrap()).unwrap());
        assert_eq!(r[0], pillar);
        assert_eq!(r[2], n.name.as_deref().unwrap());
        assert_eq!(r[3], n.unit.as_deref().unwrap_or("n/a"));
        assert_eq!(r[4].parse::<f64>().unwrap(), n.direction);
        let conf = if r[5] == "confirmed" {
            Confidence::Reported
        } else {
            Confidence::Inferred
        };
        assert_eq!(Some(conf), n.confidence, "{}", r[2]);
        assert_eq!(r[6], n.note.as_deref().unwrap(), "{}", r[2]);
        if !r[1].is_empty() {
            assert!(r[1].starts_with(n.parent.as_deref().unwrap()), "{}", r[2]);
        }
    }
    let Some(published) = rows("pii/published.csv") else {
        return;
    };
    let ours = pii::published_all().unwrap();
    assert_eq!(published.len(), ours.len());
    let opt = |s: &str| s.parse::<f64>().ok();
    for (r, p) in published.iter().zip(ours) {
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
