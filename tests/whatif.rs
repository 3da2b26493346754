#![cfg(all(feature = "report", feature = "csv", feature = "serde"))]
//! The what-if panel of the HTML report, in a real headless Chromium driven by
//! playwright-core (`tests/browser/whatif.mjs`): for random weight sets and each
//! choice of mean, the scores the page shows equal the library's scores for the
//! same weights to 1e-9, the ranks are the library's ranks, the moved ranks are
//! marked, errors are reported where the library fails, and Reset returns to
//! the specification.
//!
//! Needs `node`, Chromium (`/usr/bin/chromium` or `$CHROMIUM`) and
//! `tests/browser/node_modules` (`npm ci --prefix tests/browser`); `.ci/run`
//! installs them. Without them the test is skipped with a message, and fails
//! under `CI=true`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use composite_index::io::{CsvRoles, read_dataset_file};
use composite_index::prelude::*;
use composite_index::report::RunReport;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The browser tools, or `None` after reporting what is missing.
fn browser() -> Option<PathBuf> {
    let script = manifest().join("tests/browser/whatif.mjs");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node_ok {
        Some("node not found".to_owned())
    } else if !Path::new(&chromium).exists() {
        Some(format!("{chromium} not found"))
    } else if !manifest()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        Some(
            "tests/browser/node_modules/playwright-core not found (npm ci --prefix tests/browser)"
                .into(),
        )
    } else {
        None
    };
    match missing {
        Some(m) => {
            common::skip_or_fail(&m, "the what-if panel is not checked in a browser");
            None
        }
        None => Some(script),
    }
}

/// One page to test: its pipeline, its report, and the weight cases.
struct PageCase {
    name: &'static str,
    pipeline: Pipeline,
    html: PathBuf,
    /// `(weights of the slider nodes, mean)` per case.
    cases: Vec<(BTreeMap<String, f64>, &'static str)>,
}

fn example_data() -> Dataset {
    let roles = CsvRoles {
        groups: vec!["Region".into()],
        denominators: vec!["Population".into()],
        ..CsvRoles::default()
    };
    read_dataset_file(manifest().join("data/example/data.csv"), &roles).unwrap()
}

/// The nodes with a slider: aggregates below the index.
fn slider_nodes(p: &Pipeline) -> Vec<(String, f64)> {
    let fw = p.framework();
    let w = fw.weights(None).unwrap();
    (2..fw.n_levels())
        .flat_map(|l| fw.nodes_at_level(l).iter().copied())
        .map(|i| (fw.code(i).to_owned(), w[i]))
        .collect()
}

/// Random weights within each slider's range [0, max(4 w, 1)].
fn random_weights(p: &Pipeline, rng: &mut ChaCha8Rng, zeros: usize) -> BTreeMap<String, f64> {
    let nodes = slider_nodes(p);
    let mut out: BTreeMap<String, f64> = nodes
        .iter()
        .map(|(c, w)| (c.clone(), rng.random_range(0.05..(3.0 * w).max(0.75))))
        .collect();
    for _ in 0..zeros {
        let k = rng.random_range(0..nodes.len());
        out.insert(nodes[k].0.clone(), 0.0);
    }
    out
}

/// Sets every child of the first aggregate of the level below the index to 0.
fn all_zero_children(p: &Pipeline, rng: &mut ChaCha8Rng) -> (BTreeMap<String, f64>, String) {
    let fw = p.framework();
    let mut w = random_weights(p, rng, 0);
    let parent = fw
        .nodes_at_level(fw.n_levels() - 1)
        .iter()
        .copied()
        .find(|&i| fw.level(fw.children(i)[0]) > 1)
        .expect("an aggregate whose children have sliders");
    for &c in fw.children(parent) {
        w.insert(fw.code(c).to_owned(), 0.0);
    }
    (w, fw.code(parent).to_owned())
}

fn cases(p: &Pipeline, seed: u64) -> Vec<(BTreeMap<String, f64>, &'static str)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    vec![
        (random_weights(p, &mut rng, 0), "spec"),
        (random_weights(p, &mut rng, 0), "arithmetic_mean"),
        (random_weights(p, &mut rng, 0), "geometric_mean"),
        (random_weights(p, &mut rng, 2), "spec"),
        (all_zero_children(p, &mut rng).0, "arithmetic_mean"),
        (random_weights(p, &mut rng, 1), "geometric_mean"),
        (random_weights(p, &mut rng, 0), "spec"),
    ]
}

fn write_report(name: &str, p: &Pipeline) -> PathBuf {
    let results = p.run().unwrap();
    let report = RunReport::new(p, &results);
    let html = report.html(&report.charts().unwrap()).unwrap().to_html();
    assert!(html.contains("id=\"whatif\""), "{name}: no what-if panel");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("whatif");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.html"));
    std::fs::write(&path, html).unwrap();
    path
}

fn page(name: &'static str, pipeline: Pipeline, seed: u64) -> PageCase {
    let html = write_report(name, &pipeline);
    let cases = cases(&pipeline, seed);
    PageCase {
        name,
        pipeline,
        html,
        cases,
    }
}

/// The library's run of `p` with the slider weights `w` and mean `method`.
fn library(
    p: &Pipeline,
    w: &BTreeMap<String, f64>,
    method: &str,
) -> composite_index::Result<Results> {
    let mut spec = p.spec().clone();
    for n in &mut spec.framework.nodes {
        if let Some(&v) = w.get(&n.code) {
            n.weight = v;
        }
    }
    if method != "spec" {
        let m = match method {
            "arithmetic_mean" => AggregateMethod::ArithmeticMean {},
            "geometric_mean" => AggregateMethod::GeometricMean {},
            other => panic!("{other}"),
        };
        for s in &mut spec.steps {
            if let Step::Aggregate(a) = s {
                a.default = m.clone();
                a.by_level.clear();
                a.by_node.clear();
            }
        }
    }
    Pipeline::new(spec, p.data().clone())?.run()
}

/// Checks what a page shows against the library's results.
fn check_rows(what: &str, shown: &Value, results: &Results, nominal: &[Option<u32>]) {
    assert!(
        shown["error"].is_null(),
        "{what}: the page reports {}",
        shown["error"]
    );
    let root = results.node_codes().last().unwrap().clone();
    let scores = results.scores(&root).unwrap();
    let ranks = results.ranks(&root).unwrap();
    let rows = shown["rows"].as_array().unwrap();
    assert_eq!(rows.len(), scores.len(), "{what}: number of rows");
    let mut previous = 0;
    for r in rows {
        let unit = r["unit"].as_str().unwrap();
        let u = results.unit_codes().iter().position(|c| c == unit).unwrap();
        let page_score: f64 = match r["score"].as_str().unwrap() {
            "" => f64::NAN,
            s => s.parse().unwrap(),
        };
        assert!(
            common::close(page_score, scores[u], 1e-9),
            "{what}: score of {unit}: page {page_score} vs library {}",
            scores[u]
        );
        let page_rank: Option<u32> = r["rank"].as_str().unwrap().parse().ok();
        assert_eq!(page_rank, ranks[u], "{what}: rank of {unit}");
        assert_eq!(
            r["moved"].as_bool().unwrap(),
            ranks[u] != nominal[u],
            "{what}: moved flag of {unit}"
        );
        // Rows in order of rank.
        let k = page_rank.unwrap_or(u32::MAX);
        assert!(k >= previous, "{what}: rows out of rank order at {unit}");
        previous = k;
    }
}

#[test]
fn the_what_if_panel_computes_what_the_library_computes() {
    let Some(script) = browser() else {
        return;
    };
    let example_spec = IndexSpec::from_path(manifest().join("data/example/spec.toml")).unwrap();
    let mut pages = vec![page(
        "example",
        Pipeline::new(example_spec.clone(), example_data()).unwrap(),
        1,
    )];
    // The example normalised to [1, 100] with geometric means at the pillar
    // level: every choice of mean computes, and "as specified" mixes two means.
    let mut geo = example_spec;
    for s in &mut geo.steps {
        match s {
            Step::Normalise(n) => n.default = NormaliseMethod::MinMax { lo: 1.0, hi: 100.0 },
            Step::Aggregate(a) => {
                a.by_level.insert(2, AggregateMethod::GeometricMean {});
            }
            _ => {}
        }
    }
    pages.push(page(
        "example_geometric",
        Pipeline::new(geo, example_data()).unwrap(),
        2,
    ));
    if let Some(dir) = common::asem_dir() {
        let (framework, data) = common::asem(&dir);
        let spec = IndexSpec::new(framework, common::case_a_steps()).with_name("ASEM case A");
        pages.push(page("asem", Pipeline::new(spec, data).unwrap(), 3));
    }
    // The cases as the driver reads them: weights as the shortest decimal text
    // of each f64, so that the page and the library use the same numbers.
    let input = serde_json::json!({
        "pages": pages.iter().map(|p| serde_json::json!({
            "html": p.html,
            "cases": p.cases.iter().map(|(w, m)| serde_json::json!({
                "weights": w.iter().map(|(k, v)| (k.clone(), Value::String(v.to_string()))).collect::<serde_json::Map<_, _>>(),
                "method": m,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("whatif");
    let (cases_path, out_path) = (dir.join("cases.json"), dir.join("shown.json"));
    std::fs::write(&cases_path, input.to_string()).unwrap();
    let run = Command::new("node")
        .arg(&script)
        .arg(&cases_path)
        .arg(&out_path)
        .arg(dir.join("whatif.png"))
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "the browser driver failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let shown: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    let mut checked = 0;
    let mut errors_seen = 0;
    for (p, s) in pages.iter().zip(shown["pages"].as_array().unwrap()) {
        assert!(
            s["errors"].as_array().unwrap().is_empty(),
            "{}: script errors {}",
            p.name,
            s["errors"]
        );
        let nominal_results = p.pipeline.run().unwrap();
        let root = nominal_results.node_codes().last().unwrap().clone();
        let nominal = nominal_results.ranks(&root).unwrap();
        check_rows(
            &format!("{} as loaded", p.name),
            &s["initial"],
            &nominal_results,
            &nominal,
        );
        for (k, ((w, m), got)) in p
            .cases
            .iter()
            .zip(s["cases"].as_array().unwrap())
            .enumerate()
        {
            let what = format!("{} case {k} ({m})", p.name);
            match library(&p.pipeline, w, m) {
                Ok(r) => {
                    check_rows(&what, got, &r, &nominal);
                    checked += 1;
                }
                Err(e) => {
                    errors_seen += 1;
                    let page_error = got["error"].as_str().unwrap_or_else(|| {
                        panic!("{what}: the library fails ({e}) but the page shows scores")
                    });
                    match &e {
                        Error::Domain {
                            unit, node, child, ..
                        } => {
                            for name in [unit, node, child] {
                                assert!(
                                    page_error.contains(&format!("\"{name}\"")),
                                    "{what}: the page's error {page_error:?} does not name {name:?} as the library's does: {e}"
                                );
                            }
                        }
                        Error::Framework(problems) => {
                            let parent = problems
                                .iter()
                                .find_map(|pb| match pb {
                                    composite_index::FrameworkProblem::AllZeroWeights {
                                        parent,
                                    } => Some(parent.clone()),
                                    _ => None,
                                })
                                .unwrap_or_else(|| panic!("{what}: {e}"));
                            assert!(
                                page_error.contains(&format!("\"{parent}\"")),
                                "{what}: {page_error}"
                            );
                        }
                        other => panic!("{what}: unexpected library error {other}"),
                    }
                }
            }
        }
        check_rows(
            &format!("{} after Reset", p.name),
            &s["reset"],
            &nominal_results,
            &nominal,
        );
    }
    // The geometric page computes every case but the one with all-zero children.
    assert!(checked >= 2 * 5, "only {checked} cases compared");
    assert!(
        errors_seen >= 3,
        "the error cases were not exercised ({errors_seen})"
    );
}
