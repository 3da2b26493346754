//! The shipped specifications (`src/instances/data/`): every one parses,
//! validates, runs through the same path as a user's spec, and round-trips;
//! the instance modules hold no framework tables.
#![cfg(all(feature = "serde", feature = "csv"))]

use std::path::PathBuf;

use composite_index::instances;
use composite_index::prelude::*;

/// A shipped spec read from its embedded text, its node table loaded.
fn load(name: &str) -> IndexSpec {
    let text = instances::file(&format!("{name}.toml")).unwrap();
    let mut spec = IndexSpec::from_toml(text).unwrap();
    spec.framework
        .load_with(|f| Ok(instances::file(f).unwrap().to_owned()))
        .unwrap();
    spec
}

/// Made-up data for every indicator of a framework: 40 units, no missing value.
fn data_for(fw: &Framework) -> Dataset {
    let units = (0..40).map(|i| format!("U{i:02}")).collect();
    let cols = fw
        .indicator_codes()
        .into_iter()
        .enumerate()
        .map(|(j, c)| {
            let v = (0..40)
                .map(|i| 2.0 + ((i * 7 + j * 13) % 37) as f64)
                .collect();
            (c, v)
        })
        .collect();
    Dataset::from_columns(units, cols).unwrap()
}

#[test]
fn the_registry_lists_every_shipped_file() {
    assert_eq!(instances::names(), ["gii-2024", "gii-2025", "pii-2025"]);
    assert_eq!(
        instances::files(),
        [
            "gii-2024-nodes.csv",
            "gii-2024.toml",
            "gii-2025-nodes.csv",
            "gii-2025.toml",
            "gii-published.csv",
            "pii-2025-nodes.csv",
            "pii-2025.toml",
            "pii-provinces-2025.csv",
            "pii-published.csv",
        ]
    );
    // The embedded texts are the files of src/instances/data/.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/instances/data");
    for f in instances::files() {
        assert_eq!(
            std::fs::read_to_string(dir.join(f)).unwrap(),
            instances::file(f).unwrap(),
            "{f}"
        );
    }
    assert_eq!(instances::file("nothing.csv"), None);
    let e = instances::spec("gii-1999").unwrap_err().to_string();
    assert!(
        e.contains("gii-1999") && e.contains("gii-2025, pii-2025"),
        "{e}"
    );
    // The file extension is optional.
    assert_eq!(
        instances::spec("gii-2025.toml").unwrap(),
        instances::spec("gii-2025").unwrap()
    );
    assert_eq!(instances::gii::editions(), [2024, 2025]);
    assert_eq!(instances::pii::editions(), [2025]);
}

#[test]
fn shipped_specs_parse_validate_run_and_round_trip() {
    for name in instances::names() {
        let spec = load(name);
        assert_eq!(spec, instances::spec(name).unwrap(), "{name}");
        assert!(spec.name.is_some(), "{name}");
        assert!(spec.edition.is_some(), "{name}");
        assert_eq!(spec.level_names.len(), 5, "{name}");
        // The framework validates and has the levels named.
        let fw = Framework::new(spec.framework.clone(), None).unwrap();
        assert_eq!(fw.n_levels() as usize, spec.level_names.len(), "{name}");
        // Everything a shipped index needs comes from the file: the coverage
        // rule, the efficiency ratio, the provenance of its facts.
        let coverage = spec.coverage.as_ref().unwrap();
        coverage.validate(&fw).unwrap();
        assert_eq!(spec.ratios["efficiency"].numerator, "OUT", "{name}");
        for topic in ["framework", "method", "coverage"] {
            assert!(spec.provenance.contains_key(topic), "{name}: {topic}");
        }
        // It runs through the same path as a user's spec.
        let data = data_for(&fw);
        let pipeline = Pipeline::new(spec.clone(), data).unwrap();
        let results = pipeline.run().unwrap();
        assert!(pipeline.coverage().is_some(), "{name}");
        let eff = results.ratio("efficiency").unwrap();
        let (inp, out) = (
            results.scores("IN").unwrap(),
            results.scores("OUT").unwrap(),
        );
        for (k, e) in eff.iter().enumerate() {
            assert!((e.unwrap() - out[k] / inp[k]).abs() < 1e-12, "{name}");
        }
        // TOML -> IndexSpec -> TOML -> IndexSpec: equal, and written back in
        // the short form (the node table by reference).
        let text = spec.to_toml().unwrap();
        assert!(
            text.contains(&format!("csv = \"{name}-nodes.csv\"")),
            "{text}"
        );
        assert!(!text.contains("[[framework.nodes]]"), "{text}");
        let mut back = IndexSpec::from_toml(&text).unwrap();
        back.framework
            .load_with(|f| Ok(instances::file(f).unwrap().to_owned()))
            .unwrap();
        assert_eq!(back, spec, "{name}");
        assert_eq!(back.to_toml().unwrap(), text, "{name}");
        // JSON too.
        let mut back = IndexSpec::from_json(&spec.to_json().unwrap()).unwrap();
        back.framework
            .load_with(|f| Ok(instances::file(f).unwrap().to_owned()))
            .unwrap();
        assert_eq!(back, spec, "{name}");
        // The results record the spec with its framework written out.
        assert_eq!(
            results.spec().framework.nodes.len(),
            spec.framework.all_nodes().len()
        );
    }
}

#[test]
fn every_fact_carries_its_provenance() {
    for name in instances::names() {
        let spec = instances::spec(name).unwrap();
        for (topic, p) in &spec.provenance {
            assert!(!p.source.trim().is_empty(), "{name}: {topic}");
        }
    }
    // The GII's two bads and every PII node say how sure they are, and why.
    for year in instances::gii::editions() {
        let fw = instances::gii::framework(year).unwrap();
        for n in &fw.spec().nodes {
            if n.direction < 0.0 {
                assert!(n.confidence.is_some() && n.note.is_some(), "{}", n.code);
            }
        }
    }
    let fw = instances::pii::framework(2025).unwrap();
    for n in &fw.spec().nodes {
        assert!(n.confidence.is_some() && n.note.is_some(), "{}", n.code);
    }
    for p in instances::gii::published_all().unwrap() {
        assert!(!p.source.is_empty());
    }
    for p in instances::pii::published_all().unwrap() {
        assert!(!p.source.is_empty());
    }
    for p in instances::pii::provinces(2025).unwrap() {
        assert!(!p.source.is_empty());
    }
}

/// `src/instances/` holds code, not framework tables: no Rust file there is
/// longer than a few hundred lines, and none builds nodes.
#[test]
fn the_instance_modules_hold_no_framework_tables() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/instances");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        seen += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = text.lines().count();
        assert!(lines <= 600, "{}: {lines} lines", path.display());
        for (k, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for pattern in ["NodeSpec::new(", "NodeSpec {", "name_vi:", "\"Pupil"] {
                assert!(
                    !code.contains(pattern),
                    "{}:{}: {line}",
                    path.display(),
                    k + 1
                );
            }
        }
    }
    assert!(seen >= 3);
}
