#![cfg(feature = "csv")]
//! The GII's DEA efficiency on the synthetic data shipped in `data/gii/`:
//! input pillars 1-5 against output pillars 6-7, beside the efficiency ratio.

use composite_index::efficiency::{DeaModel, Orientation, Returns};
use composite_index::instances::{gii, gii_efficiency};
use composite_index::io::{CsvRoles, read_dataset_file};

fn run() -> gii::GiiRun {
    let roles = CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..CsvRoles::default()
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gii/synthetic_2025.csv");
    let data = read_dataset_file(&path, &roles).expect("synthetic GII data");
    gii::run(2025, data).expect("GII runs")
}

#[test]
fn pillars_one_to_five_against_six_and_seven_with_peers() {
    let run = run();
    let eff = gii_efficiency::efficiency(&run, gii_efficiency::default_model()).unwrap();
    assert_eq!(eff.dea.inputs.len(), 5);
    assert_eq!(eff.dea.outputs.len(), 2);
    assert!(eff.skipped.is_empty());
    assert_eq!(eff.dea.units.len(), 139);
    let table = eff.table();
    assert!(table.windows(2).all(|w| w[0].score >= w[1].score));
    let frontier: Vec<&str> = table
        .iter()
        .filter(|r| r.score == 1.0)
        .map(|r| r.unit.as_str())
        .collect();
    assert!(!frontier.is_empty() && frontier.len() < 139);
    for row in &table {
        assert!(row.score > 0.0 && row.score <= 1.0);
        assert!(row.ratio.is_some());
        // Every peer is on the frontier.
        for (p, _, l) in &row.peers {
            assert!(*l > 0.0);
            assert!(
                frontier.contains(&p.as_str()),
                "{} has peer {p} off the frontier",
                row.unit
            );
        }
        let sentence = eff.describe(&row.unit).unwrap();
        if row.efficient {
            assert!(
                sentence.ends_with("is on the innovation-efficiency frontier"),
                "{sentence}"
            );
        } else {
            assert!(
                sentence.starts_with(&format!("{}'s frontier peers are ", row.name)),
                "{sentence}"
            );
        }
    }
    assert!(eff.describe("nobody").is_none());
    // Input orientation under constant returns: the same scores.
    let inp =
        gii_efficiency::efficiency(&run, DeaModel::new(Returns::Constant, Orientation::Input))
            .unwrap();
    for (a, b) in inp.dea.scores().iter().zip(eff.dea.scores()) {
        assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
    }
}
