//! The GII instance: frameworks, method, coverage, efficiency ratio, the
//! synthetic data, and the encoded facts against `../shared/data/gii`.

use std::collections::HashMap;
use std::path::PathBuf;

use composite_index::coverage::{CoverageRule, Shortfall};
use composite_index::insights::StrengthRule;
use composite_index::instances::{self, gii};
use composite_index::prelude::*;
use composite_index::prepare::SecondStage;
use composite_index::spec::Confidence;

mod common;

#[allow(dead_code)]
#[path = "../examples/generate_synthetic.rs"]
mod generate_synthetic;

const TOL: f64 = 1e-12;

use common::shared_data as shared;

// ------------------------------------------------------------------ framework

/// The nodes of an edition's shipped framework, in file order.
fn nodes(edition: u16) -> &'static [NodeSpec] {
    &gii::framework(edition).unwrap().spec().nodes
}

/// The indicator nodes of an edition, in framework order.
fn indicators(edition: u16) -> Vec<&'static NodeSpec> {
    let fw = gii::framework(edition).unwrap();
    fw.indicators().iter().map(|&i| fw.node(i)).collect()
}

#[test]
fn frameworks_have_the_published_shape() {
    assert_eq!(gii::editions(), [2024, 2025]);
    for edition in gii::editions() {
        let fw = gii::framework(edition).unwrap();
        let count = |level: u32| fw.nodes_at_level(level).len();
        assert_eq!(count(5), 1, "{edition}");
        assert_eq!(count(4), 2, "{edition}");
        assert_eq!(count(3), 7, "{edition}");
        assert_eq!(count(2), 21, "{edition}");
        assert_eq!(count(1), 78, "{edition}");
        let kinds = |k: &str| {
            indicators(edition)
                .iter()
                .filter(|n| n.kind.as_deref() == Some(k))
                .count()
        };
        assert_eq!(
            (kinds("data"), kinds("index"), kinds("survey")),
            (63, 10, 5),
            "{edition}"
        );
        // The tree validates, with levels 1..5 and every indicator under a sub-pillar.
        assert_eq!(fw.n_levels(), 5);
        assert_eq!(fw.indicators().len(), 78);
        for (i, n) in nodes(edition).iter().enumerate() {
            assert_eq!(n.level, Some(fw.level(i)), "{}", n.code);
        }
        // The two bads, with an unconfirmed direction.
        let bads: Vec<&str> = indicators(edition)
            .iter()
            .filter(|n| n.direction < 0.0)
            .map(|n| n.code.as_str())
            .collect();
        assert_eq!(bads, ["2.1.5", "4.3.1"]);
        for n in indicators(edition).iter().filter(|n| n.direction < 0.0) {
            assert_eq!(n.confidence, Some(Confidence::Unconfirmed));
        }
        // Types are carried into the framework spec.
        let spec = gii::spec(edition).unwrap();
        let node = spec
            .framework
            .all_nodes()
            .into_iter()
            .find(|n| n.code == "1.3.1")
            .unwrap();
        assert_eq!(node.kind.as_deref(), Some("survey"));
    }
    // The 2025 changes named in the data README.
    let name = |e: u16, c: &str| {
        nodes(e)
            .iter()
            .find(|n| n.code == c)
            .and_then(|n| n.name.as_deref())
    };
    assert_eq!(name(2024, "3.1.4"), Some("E-participation"));
    assert_eq!(name(2025, "3.1.4"), None);
    assert_eq!(
        name(2025, "4.2.5"),
        Some("VC investor co-participation/bn PPP$ GDP")
    );
}

#[test]
fn wipo_codes_round_trip() {
    for edition in gii::editions() {
        for n in nodes(edition) {
            let w = gii::wipo_code(edition, &n.code).unwrap();
            assert_eq!(
                gii::code_from_wipo(edition, &w).as_deref(),
                Some(n.code.as_str())
            );
        }
    }
    let e = 2025;
    assert_eq!(gii::wipo_code(e, "1.1.1").as_deref(), Some("IN.1.1.1"));
    assert_eq!(gii::wipo_code(e, "6.1").as_deref(), Some("OUT.6.1"));
    assert_eq!(gii::wipo_code(e, "7").as_deref(), Some("OUT.7"));
    assert_eq!(
        gii::code_from_wipo(e, " in.5.2.1 ").as_deref(),
        Some("5.2.1")
    );
    assert_eq!(gii::code_from_wipo(e, "OUT.1.1.1"), None);
    assert_eq!(gii::code_from_wipo(e, "IN.3.1.4"), None);
    assert_eq!(
        gii::code_from_wipo(2024, "IN.3.1.4").as_deref(),
        Some("3.1.4")
    );
    assert_eq!(gii::spec(2025).unwrap().edition, Some(2025));
    assert!(gii::spec(2019).is_err());
    assert_eq!(gii::wipo_code(2019, "1.1.1"), None);
}

#[cfg(feature = "serde")]
#[test]
fn the_method_is_a_plain_spec() {
    let spec = gii::spec(2025).unwrap();
    let text = spec.to_toml().unwrap();
    assert!(text.contains("skew_thresh = 2.25"), "{text}");
    assert!(text.contains("gii_log"), "{text}");
    let mut back = IndexSpec::from_toml(&text).unwrap();
    back.framework
        .load_with(|f| Ok(instances::file(f).unwrap().to_owned()))
        .unwrap();
    assert_eq!(back, spec);
}

// ------------------------------------------------------------------ by hand

/// Excel SKEW and KURT, written out again for the hand computation.
fn skew_kurt(x: &[f64]) -> (f64, f64) {
    let v: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let (s2, s3, s4) = v.iter().fold((0.0, 0.0, 0.0), |(a, b, c), x| {
        let d = x - m;
        (a + d * d, b + d * d * d, c + d * d * d * d)
    });
    let g = n.sqrt() * s3 / s2.powf(1.5) * (n * (n - 1.0)).sqrt() / (n - 2.0);
    let r = n * s4 / (s2 * s2);
    let k = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
    (g, k)
}

fn fails(x: &[f64]) -> bool {
    let (g, k) = skew_kurt(x);
    g.abs() > 2.25 && k > 3.5
}

const N: usize = 60;
const BASE: [(&str, usize); 8] = [
    ("a1", 7),
    ("a2", 11),
    ("b1", 13),
    ("c1", 17),
    ("d1", 19),
    ("e1", 23),
    ("f1", 29),
    ("g1", 31),
];

/// The GII 2025 method on another framework: the shipped spec, tree replaced.
fn spec_for(framework: FrameworkSpec) -> IndexSpec {
    let mut spec = gii::spec(2025).unwrap();
    spec.framework = framework;
    spec
}

/// A small GII-shaped tree: IN has pillars P1, P2; OUT has P3; three
/// sub-pillars each. `w` will be winsorised, `l` log-transformed, `e1` is a bad.
fn small_framework() -> FrameworkSpec {
    let mut nodes = vec![
        NodeSpec::new("GII", None),
        NodeSpec::new("IN", Some("GII")),
        NodeSpec::new("OUT", Some("GII")),
        NodeSpec::new("P1", Some("IN")),
        NodeSpec::new("P2", Some("IN")),
        NodeSpec::new("P3", Some("OUT")),
    ];
    for (sp, p) in [
        ("S11", "P1"),
        ("S12", "P1"),
        ("S13", "P1"),
        ("S21", "P2"),
        ("S22", "P2"),
        ("S23", "P2"),
        ("S31", "P3"),
        ("S32", "P3"),
        ("S33", "P3"),
    ] {
        nodes.push(NodeSpec::new(sp, Some(p)));
    }
    for (code, sp) in [
        ("a1", "S11"),
        ("a2", "S11"),
        ("b1", "S12"),
        ("c1", "S13"),
        ("d1", "S21"),
        ("f1", "S23"),
        ("w", "S31"),
        ("l", "S32"),
        ("g1", "S33"),
    ] {
        nodes.push(NodeSpec::new(code, Some(sp)));
    }
    nodes.push(NodeSpec::new("e1", Some("S22")).direction(-1.0));
    FrameworkSpec::new(nodes)
}

/// 60 units: permutations of 1..60 for the plain indicators; `w` = 2..60 with
/// one outlier (unit 10: 1000); `l` = 1 for 52 units and 100 * 2^k for units
/// 0..7; unit 59 lacks b1 and c1 (so pillar P1 has 1 of 3 sub-pillars), unit 4
/// lacks d1.
fn small_data() -> HashMap<String, Vec<f64>> {
    let mut cols = HashMap::new();
    for (code, mult) in BASE {
        let j = mult % 5;
        let mut v: Vec<f64> = (0..N)
            .map(|i| ((i * mult + 3 * j) % N) as f64 + 1.0)
            .collect();
        match code {
            "b1" | "c1" => v[59] = f64::NAN,
            "d1" => v[4] = f64::NAN,
            _ => {}
        }
        cols.insert(code.to_string(), v);
    }
    let mut w: Vec<f64> = (0..N).map(|i| i as f64 + 1.0).collect();
    w[10] = 1000.0;
    w[0] = 11.0; // keep 11 present: 1 is absent, so the minimum is 2
    cols.insert("w".into(), w);
    let l: Vec<f64> = (0..N)
        .map(|i| {
            if i < 8 {
                100.0 * 2f64.powi(i as i32)
            } else {
                1.0
            }
        })
        .collect();
    cols.insert("l".into(), l);
    cols
}

fn dataset(cols: &HashMap<String, Vec<f64>>, keep: &[usize]) -> Dataset {
    let units: Vec<String> = keep.iter().map(|i| format!("U{:02}", i + 1)).collect();
    let mut columns: Vec<(String, Vec<f64>)> = cols
        .iter()
        .map(|(c, v)| (c.clone(), keep.iter().map(|&i| v[i]).collect()))
        .collect();
    columns.sort_by(|a, b| a.0.cmp(&b.0));
    Dataset::from_columns(units, columns).unwrap()
}

fn min_max(x: &[f64], dir: f64) -> Vec<f64> {
    let y: Vec<f64> = x.iter().map(|v| v * dir).collect();
    let p: Vec<f64> = y.iter().copied().filter(|v| !v.is_nan()).collect();
    let lo = p.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    y.iter().map(|v| (v - lo) / (hi - lo) * 100.0).collect()
}

fn mean(parts: &[&Vec<f64>]) -> Vec<f64> {
    (0..parts[0].len())
        .map(|i| {
            let p: Vec<f64> = parts.iter().map(|c| c[i]).filter(|v| !v.is_nan()).collect();
            if p.is_empty() {
                f64::NAN
            } else {
                p.iter().sum::<f64>() / p.len() as f64
            }
        })
        .collect()
}

/// The GII method computed by hand on the units `keep`.
fn by_hand(cols: &HashMap<String, Vec<f64>>, keep: &[usize]) -> HashMap<String, Vec<f64>> {
    let raw = |c: &str| -> Vec<f64> { keep.iter().map(|&i| cols[c][i]).collect() };
    // Treatment decisions, checked with the Excel formulas.
    for (code, _) in BASE {
        assert!(!fails(&raw(code)), "{code} should pass untreated");
    }
    let w = raw("w");
    assert!(fails(&w), "w fails before treatment");
    // Winsorise one point: 1000 -> the largest value below it (60).
    let second = w
        .iter()
        .copied()
        .filter(|&v| v < 1000.0)
        .fold(f64::MIN, f64::max);
    let w_t: Vec<f64> = w
        .iter()
        .map(|&v| if v == 1000.0 { second } else { v })
        .collect();
    assert!(!fails(&w_t), "w passes after one winsorised point");
    let l = raw("l");
    // Winsorising five points (the five largest values) is not enough.
    let mut l_w = l.clone();
    let mut sorted = l.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let sixth = sorted[5];
    l_w.iter_mut().for_each(|v| *v = v.min(sixth));
    assert!(fails(&l), "l fails before treatment");
    assert!(fails(&l_w), "l still fails after 5 winsorised points");
    // gii_log on the original values.
    let (m, big) = (1.0, sorted[0]);
    let l_t: Vec<f64> = l
        .iter()
        .map(|&x| ((big - 1.0) * (x - m) / (big - m) + 1.0).ln())
        .collect();

    let mut s: HashMap<String, Vec<f64>> = HashMap::new();
    for (code, _) in BASE {
        let dir = if code == "e1" { -1.0 } else { 1.0 };
        s.insert(code.into(), min_max(&raw(code), dir));
    }
    s.insert("w".into(), min_max(&w_t, 1.0));
    s.insert("l".into(), min_max(&l_t, 1.0));
    let m1 = |a: &str| s[a].clone();
    let sub = [
        ("S11", mean(&[&s["a1"], &s["a2"]])),
        ("S12", m1("b1")),
        ("S13", m1("c1")),
        ("S21", m1("d1")),
        ("S22", m1("e1")),
        ("S23", m1("f1")),
        ("S31", m1("w")),
        ("S32", m1("l")),
        ("S33", m1("g1")),
    ];
    for (k, v) in sub {
        s.insert(k.into(), v);
    }
    let p1 = mean(&[&s["S11"], &s["S12"], &s["S13"]]);
    let p2 = mean(&[&s["S21"], &s["S22"], &s["S23"]]);
    let p3 = mean(&[&s["S31"], &s["S32"], &s["S33"]]);
    s.insert("P1".into(), p1);
    s.insert("P2".into(), p2);
    s.insert("P3".into(), p3);
    let input = mean(&[&s["P1"], &s["P2"]]);
    let output = s["P3"].clone();
    s.insert("IN".into(), input);
    s.insert("OUT".into(), output);
    let gii = mean(&[&s["IN"], &s["OUT"]]);
    s.insert("GII".into(), gii);
    s
}

fn assert_close(ours: &[f64], expected: &[f64], what: &str) {
    assert_eq!(ours.len(), expected.len(), "{what}");
    for (i, (a, b)) in ours.iter().zip(expected).enumerate() {
        assert!(
            (a.is_nan() && b.is_nan()) || (a - b).abs() <= TOL * b.abs().max(1.0),
            "{what} unit {i}: ours {a}, by hand {b}"
        );
    }
}

#[test]
fn gii_method_matches_a_hand_computation() {
    let cols = small_data();
    let all: Vec<usize> = (0..N).collect();
    let spec = spec_for(small_framework());
    let run = gii::run_spec(spec.clone(), dataset(&cols, &all)).unwrap();

    // Treatment log: w winsorised (one point, unit U11), l log-transformed.
    let log = run.results.treatment_log().unwrap();
    let rec = |c: &str| log.iter().find(|r| r.indicator == c).unwrap();
    assert_eq!(rec("w").n_winsorised, 1);
    assert_eq!(rec("w").winsorised[0].unit, "U11");
    assert_eq!(rec("w").second_stage, None);
    assert_eq!(rec("l").second_stage.as_deref(), Some("gii_log"));
    for (code, _) in BASE {
        assert!(!rec(code).changed(), "{code}");
    }

    // Coverage: only U60 falls short, at pillar P1 (1 of 3 sub-pillars).
    assert_eq!(run.coverage().unwrap().below(), vec!["U60"]);
    assert_eq!(
        run.coverage().unwrap().unit("U60").unwrap().shortfalls,
        vec![Shortfall::Children {
            node: "P1".into(),
            available: 1,
            required: 2
        }]
    );
    assert!(run.excluded().is_empty());

    // Every node, every unit, against the hand computation.
    let expected = by_hand(&cols, &all);
    for (code, v) in &expected {
        assert_close(run.results.scores(code).unwrap(), v, code);
    }
    // Efficiency ratio = OUT / IN.
    let eff = run.efficiency_ratios().unwrap();
    for (i, e) in eff.iter().enumerate() {
        let r = expected["OUT"][i] / expected["IN"][i];
        assert!((e.unwrap() - r).abs() < 1e-12);
    }
    // The table flags U60 and keeps its rank.
    let table = run.table().unwrap();
    let u60 = table.iter().find(|r| r.unit == "U60").unwrap();
    assert!(
        u60.coverage == composite_index::coverage::CoverageStatus::Below
            && !u60.excluded
            && u60.rank.is_some()
    );
    assert!(table.windows(2).all(|w| w[0].rank <= w[1].rank));

    // Excluding U60: it disappears and the min-max ranges are those of the 59 others.
    let keep: Vec<usize> = (0..N - 1).collect();
    let mut excluding = spec.clone();
    excluding.coverage = Some(CoverageRule::gii().with_exclude(true));
    let ex = gii::run_spec(excluding, dataset(&cols, &all)).unwrap();
    assert_eq!(ex.excluded(), vec!["U60"]);
    assert_eq!(ex.results.unit_codes().len(), 59);
    let expected = by_hand(&cols, &keep);
    for (code, v) in &expected {
        assert_close(ex.results.scores(code).unwrap(), v, code);
    }
    let t = ex.table().unwrap();
    assert_eq!(t.len(), 60);
    assert!(t[59].excluded && t[59].unit == "U60" && t[59].rank.is_none());

    // Thresholds are parameters: with 1 sub-pillar required, nobody is flagged.
    let mut lax = spec;
    lax.coverage = Some(CoverageRule::gii().with_min_children(Some(1)));
    let r = gii::run_spec(lax, dataset(&cols, &all)).unwrap();
    assert!(r.coverage().unwrap().below().is_empty());
}

#[test]
fn small_maximum_falls_back_to_log_ct() {
    let mut cols = small_data();
    let l: Vec<f64> = cols["l"].iter().map(|v| v / 1e6).collect();
    cols.insert("l".into(), l);
    let all: Vec<usize> = (0..N).collect();
    let spec = spec_for(small_framework());
    let run = gii::run_spec(spec.clone(), dataset(&cols, &all)).unwrap();
    assert!(run.log_fallbacks().contains(&"l".to_string()));
    let log = run.results.treatment_log().unwrap();
    let rec = log.iter().find(|r| r.indicator == "l").unwrap();
    assert_eq!(rec.second_stage.as_deref(), Some("log_ct"));
    assert_eq!(rec.fallback_for.as_deref(), Some("gii_log"));
    // Without the fallback, gii_log refuses the column and names it.
    let mut strict = spec;
    for step in &mut strict.steps {
        if let Step::Treat(t) = step {
            t.second_stage = SecondStage::gii_log();
        }
    }
    match gii::run_spec(strict, dataset(&cols, &all)) {
        Err(Error::DegenerateColumn { indicator, .. }) => assert_eq!(indicator, "l"),
        other => panic!("expected a degenerate-column error, got {other:?}"),
    }
}

// ------------------------------------------------------------------ synthetic data

#[test]
fn synthetic_data_regenerate_identically() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shipped = std::fs::read_to_string(root.join(generate_synthetic::GII_PATH)).unwrap();
    assert!(
        shipped == generate_synthetic::gii_csv(),
        "data/gii/synthetic_2025.csv differs from what examples/generate_synthetic.rs makes; \
         run `cargo run --example generate_synthetic`"
    );
    let share = generate_synthetic::missing_share(&shipped, 5);
    assert!((0.10..=0.12).contains(&share), "missing share {share}");
}

#[cfg(feature = "csv")]
#[test]
fn synthetic_gii_runs_with_both_treatments_and_flags() {
    use composite_index::io::{CsvRoles, read_dataset_file};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/gii/synthetic_2025.csv");
    let roles = CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(&path, &roles).unwrap();
    assert_eq!(data.n_units(), 139);
    assert!(
        data.unit_names()
            .iter()
            .all(|n| n.starts_with("Synthetic economy"))
    );
    let run = gii::run(2025, data).unwrap();
    let log = run.results.treatment_log().unwrap();
    let winsorised_only = log
        .iter()
        .filter(|r| r.n_winsorised > 0 && r.second_stage.is_none())
        .count();
    let logged = log
        .iter()
        .filter(|r| r.second_stage.as_deref() == Some("gii_log"))
        .count();
    assert!(winsorised_only >= 1, "no indicator winsorised only");
    assert!(logged >= 1, "no indicator log-transformed");
    // Coverage flags: the sparse economies fall short, the others do not.
    let below = run.coverage().unwrap().below();
    assert!(!below.is_empty() && below.len() < 10, "{below:?}");
    // Scores in [0, 100]; ratio = OUT / IN.
    let gii_scores = run.results.scores("GII").unwrap();
    assert!(gii_scores.iter().all(|v| (0.0..=100.0).contains(v)));
    let (inp, out) = (
        run.results.scores("IN").unwrap(),
        run.results.scores("OUT").unwrap(),
    );
    for (i, e) in run.efficiency_ratios().unwrap().iter().enumerate() {
        assert!((e.unwrap() - out[i] / inp[i]).abs() < 1e-12);
    }
    // GII = mean of the sub-indices.
    for i in 0..gii_scores.len() {
        assert!((gii_scores[i] - (inp[i] + out[i]) / 2.0).abs() < 1e-12);
    }
    // Strengths and weaknesses of the leader under WIPO's rule.
    let top = run.table().unwrap()[0].unit.clone();
    let sw = run
        .strengths_weaknesses(&top, &StrengthRule::gii())
        .unwrap();
    assert!(sw.strengths.len() >= 10);
    assert!(
        sw.strengths
            .iter()
            .all(|s| !sw.weaknesses.iter().any(|w| w.node == s.node))
    );
    assert!(
        run.strengths_weaknesses("nobody", &StrengthRule::gii())
            .is_err()
    );
}

// ------------------------------------------------------------------ shared facts

/// Splits a CSV line with quoted fields.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn frameworks_match_shared_data() {
    for edition in gii::editions() {
        let Some(path) = shared(&format!("gii/framework_{edition}.csv")) else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let rows: Vec<Vec<String>> = text.lines().skip(1).map(fields).collect();
        let fw = gii::framework(edition).unwrap();
        let nodes = nodes(edition);
        assert_eq!(rows.len(), nodes.len());
        for (i, (r, n)) in rows.iter().zip(nodes).enumerate() {
            assert_eq!(r[0], n.code);
            assert_eq!(r[1], n.name.as_deref().unwrap(), "{}", n.code);
            let level = ["indicator", "sub_pillar", "pillar", "sub_index", "index"]
                [fw.level(i) as usize - 1];
            assert_eq!(r[2], level, "{}", n.code);
            assert_eq!(r[3], n.parent.as_deref().unwrap_or(""), "{}", n.code);
            assert_eq!(r[4], n.kind.as_deref().unwrap_or(""), "{}", n.code);
            if !r[5].is_empty() {
                assert_eq!(r[5].parse::<f64>().unwrap(), n.direction, "{}", n.code);
            }
            assert_eq!(r[7], n.note.as_deref().unwrap_or(""), "{}", n.code);
        }
    }
}

#[test]
fn published_checks_match_shared_data() {
    let Some(path) = shared("gii/published.csv") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let rows: Vec<Vec<String>> = text.lines().skip(1).map(fields).collect();
    let published = gii::published_all().unwrap();
    assert_eq!(rows.len(), published.len());
    for (r, p) in rows.iter().zip(published) {
        assert_eq!(r[0].parse::<u16>().unwrap(), p.edition);
        assert_eq!(
            (r[1].as_str(), r[2].as_str()),
            (p.economy.as_str(), p.iso3.as_str())
        );
        assert_eq!(r[3].parse::<u32>().unwrap(), p.rank);
        assert_eq!(r[4].parse::<f64>().ok(), p.score);
        assert_eq!(r[5].parse::<u32>().ok(), p.input_rank);
        assert_eq!(r[6].parse::<u32>().ok(), p.output_rank);
        assert_eq!(r[7].parse::<u32>().unwrap(), p.economies_ranked);
        assert_eq!(r[8], p.source);
    }
    assert_eq!(gii::published(2025).unwrap().count(), 9);
    assert_eq!(
        gii::published(2025)
            .unwrap()
            .map(|p| p.economies_ranked)
            .max(),
        Some(139)
    );
}
