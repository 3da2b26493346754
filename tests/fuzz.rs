//! The fuzz suite (issue 10): structure-aware mutation of valid inputs, one target
//! per parser and entry point that takes user input, asserting that nothing
//! panics and that every outcome is either a typed error with a readable message
//! or a result without infinities, and without missing values where the input
//! had none.
//!
//! | target | input mutated | entry point, then |
//! |---|---|---|
//! | `csv_data` | the example's data table: cells, rows, columns, header, delimiter, BOM, encoding, truncation | `io::read_dataset`, then the example pipeline |
//! | `coinr_tables` | COINr iMeta and iData tables of the example | `io::read_coinr`, then the pipeline |
//! | `toml_spec` | the example specification: its TOML tree (values, keys, arrays) and its text (lines, bytes) | `IndexSpec::from_toml`, then the pipeline |
//! | `json_spec` | the same specification as JSON (tree, nulls, text) | `IndexSpec::from_json`, then the pipeline |
//! | `uncertainty_spec` | the example's uncertainty analysis (TOML tree and text) | `spec::parse_toml::<UncertaintySpec>`, then `uncertainty_analysis` (at most 12 runs) |
//! | `wipo_workbook` | a WIPO-style GII workbook: cells, rows, columns, sheets, bytes of the file; and its Data sheet as CSV | `io::read_wipo_xlsx` and `io::read_wipo_data`, then the GII |
//!
//! Mutations are proptest strategies (lists of edits applied to the valid seed),
//! so a failure shrinks to a minimal list of edits and is saved in
//! `proptest-regressions/fuzz.txt`, which is committed and replayed first.
//!
//! Cases per target: `FUZZ_CASES` (default 2,000; the workbook target runs a
//! twentieth of that, as each case writes and reads an xlsx file, or
//! `FUZZ_WORKBOOK_CASES`). `FUZZ_VERBOSE=1` prints each case's outcome (to see how
//! many reach a result). The long run is documented in FUZZING.md:
//!
//! ```text
//! FUZZ_CASES=1000000 cargo test --release --all-features --test fuzz -- --test-threads 2
//! ```
#![cfg(all(feature = "serde", feature = "csv", feature = "xlsx"))]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use composite_index::instances::gii;
use composite_index::io::{CsvRoles, read_coinr, read_dataset, read_wipo_data, read_wipo_xlsx};
use composite_index::prelude::*;
use composite_index::uncertainty::{Execution, UncertaintySpec, uncertainty_analysis};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

// ===================================================================== setup

fn env_cases(name: &str) -> Option<u32> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
}

/// Cases of a target: `FUZZ_CASES` (default 2,000), divided by `divisor` for the
/// slow workbook target unless `FUZZ_WORKBOOK_CASES` says otherwise.
fn cases(divisor: u32) -> u32 {
    if divisor > 1
        && let Some(n) = env_cases("FUZZ_WORKBOOK_CASES")
    {
        return n.max(1);
    }
    (env_cases("FUZZ_CASES").unwrap_or(2_000) / divisor).max(1)
}

fn config(divisor: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(divisor),
        max_shrink_iters: 4_000,
        // Failures found are replayed first on every later run (committed).
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/fuzz.txt"),
        )),
        ..ProptestConfig::default()
    }
}

fn example(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/example")
        .join(file)
}

/// The example specification without its `[data]` table.
fn spec_text() -> String {
    let text = std::fs::read_to_string(example("spec.toml")).unwrap();
    let cut = text.find("[data]").unwrap_or(text.len());
    text[..cut].to_owned()
}

fn example_spec() -> IndexSpec {
    IndexSpec::from_toml(&spec_text()).unwrap()
}

/// The example data with its few missing cells filled, so that a run on an
/// unchanged column must give no missing value at all.
fn data_text() -> String {
    let text = std::fs::read_to_string(example("data.csv")).unwrap();
    text.lines()
        .map(|l| {
            l.trim_end_matches('\r')
                .split(',')
                .map(|c| if c.is_empty() || c == "NA" { "1.5" } else { c })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn roles() -> CsvRoles {
    CsvRoles {
        groups: vec!["Region".into()],
        denominators: vec!["Population".into()],
        ..CsvRoles::default()
    }
}

fn example_data() -> Dataset {
    read_dataset(data_text().as_bytes(), &roles(), "data.csv").unwrap()
}

// ============================================================== the checks

/// A typed error is fine; its message must be readable: not empty, one
/// paragraph, and short (long lists are capped).
fn check_error(e: &Error) -> Result<(), TestCaseError> {
    let m = e.to_string();
    if std::env::var("FUZZ_VERBOSE").is_ok() {
        eprintln!(
            "OUTCOME error {}",
            m.replace('\n', " | ").chars().take(300).collect::<String>()
        );
    }
    prop_assert!(!m.trim().is_empty(), "empty message for {e:?}");
    prop_assert!(
        m.len() < 20_000,
        "a {}-byte message: {}",
        m.len(),
        &m[..200]
    );
    Ok(())
}

/// Whether every indicator value is present and every denominator usable, so
/// that a run must give no missing value at all.
fn complete(data: &Dataset) -> bool {
    data.values().iter().all(|v| !v.is_nan())
        && data
            .denominators()
            .iter()
            .all(|d| d.values.iter().all(|v| v.is_finite() && *v != 0.0))
}

/// Builds and runs a pipeline and checks the outcome.
fn check_run(spec: IndexSpec, data: Dataset) -> Result<(), TestCaseError> {
    prop_assert!(
        data.values().iter().all(|v| !v.is_infinite()),
        "a data set holds an infinity"
    );
    let complete = complete(&data);
    let pipeline = match Pipeline::new(spec, data) {
        Ok(p) => p,
        Err(e) => return check_error(&e),
    };
    let results = match pipeline.run() {
        Ok(r) => r,
        Err(e) => return check_error(&e),
    };
    check_results(&results, complete)
}

fn check_results(results: &Results, complete: bool) -> Result<(), TestCaseError> {
    // Values set to missing by denomination (a quotient beyond f64) are reported;
    // they may leave missing values downstream.
    let reported = results.reports().iter().any(|r| {
        matches!(r, composite_index::results::StepReport::Denominate { made_missing } if !made_missing.is_empty())
    });
    let complete = complete && !reported;
    if std::env::var("FUZZ_VERBOSE").is_ok() {
        eprintln!("OUTCOME ok complete={complete}");
    }
    for stage in results.datasets() {
        for (k, v) in stage.values().iter().enumerate() {
            let (row, col) = (k % stage.values().nrows(), k / stage.values().nrows());
            prop_assert!(
                !v.is_infinite(),
                "{} holds {v} for {} / {}",
                stage.name(),
                stage.unit_codes()[row],
                stage.columns()[col]
            );
            prop_assert!(
                !(complete && v.is_nan()),
                "{} has a missing value for {} / {} from complete input",
                stage.name(),
                stage.unit_codes()[row],
                stage.columns()[col]
            );
        }
    }
    Ok(())
}

// ============================================================ tokens, edits

/// A cell or value as a user might write it, good or bad.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (-1e6..1e6f64).prop_map(|v| format!("{v}")),
        2 => (-100i64..100).prop_map(|v| v.to_string()),
        2 => prop::sample::select(vec![
            f64::MAX, -f64::MAX, 1.7e308, -1.7e308, 1e300, 5e-324, 1e-310, 1e-300, 0.0, -0.0, 1.0, 0.1,
        ])
        .prop_map(|v| format!("{v:e}")),
        1 => any::<f64>().prop_map(|v| v.to_string()),
        3 => prop::sample::select(vec![
            "", "NA", "NaN", "nan", "#N/A", "inf", "-inf", "Infinity", "1e400", "-1e400", "1,5",
            "abc", " 3 ", "\"", "\"1,5\"", "\"a\"\"b\"", "0x10", "1_000", "\u{feff}1", "Indicator",
            "Aggregate", "Group", "Denominator", "Other", "Index", "IN", "OUT", "HC", "tertiary",
            "Population", "Region", "-1", "1", "0", "2",
        ])
        .prop_map(String::from),
        1 => "[ -~]{0,6}",
    ]
}

/// An edit of a table of cells.
#[derive(Debug, Clone)]
enum GridEdit {
    Set(Index, Index, String),
    DropCell(Index, Index),
    AddCell(Index, String),
    DupRow(Index),
    DelRow(Index),
    SwapRows(Index, Index),
    DupCol(Index),
    DelCol(Index),
    /// Sets a whole column (of the data rows) to one token: constants, all missing.
    FillCol(Index, String),
    /// Copies one cell's text into another row of the same column (duplicates).
    CopyCell(Index, Index, Index),
}

fn grid_edit() -> impl Strategy<Value = GridEdit> {
    let i = any::<Index>;
    prop_oneof![
        8 => (i(), i(), token()).prop_map(|(r, c, t)| GridEdit::Set(r, c, t)),
        1 => (i(), i()).prop_map(|(r, c)| GridEdit::DropCell(r, c)),
        1 => (i(), token()).prop_map(|(r, t)| GridEdit::AddCell(r, t)),
        1 => i().prop_map(GridEdit::DupRow),
        2 => i().prop_map(GridEdit::DelRow),
        1 => (i(), i()).prop_map(|(a, b)| GridEdit::SwapRows(a, b)),
        1 => i().prop_map(GridEdit::DupCol),
        1 => i().prop_map(GridEdit::DelCol),
        2 => (i(), token()).prop_map(|(c, t)| GridEdit::FillCol(c, t)),
        1 => (i(), i(), i()).prop_map(|(c, a, b)| GridEdit::CopyCell(c, a, b)),
    ]
}

fn apply_grid(grid: &mut Vec<Vec<String>>, edits: &[GridEdit]) {
    for e in edits {
        if grid.is_empty() {
            return;
        }
        let n = grid.len();
        match e {
            GridEdit::Set(r, c, t) => {
                let row = &mut grid[r.index(n)];
                if !row.is_empty() {
                    let k = c.index(row.len());
                    row[k].clone_from(t);
                }
            }
            GridEdit::DropCell(r, c) => {
                let row = &mut grid[r.index(n)];
                if !row.is_empty() {
                    let k = c.index(row.len());
                    row.remove(k);
                }
            }
            GridEdit::AddCell(r, t) => grid[r.index(n)].push(t.clone()),
            GridEdit::DupRow(r) => {
                let k = r.index(n);
                let row = grid[k].clone();
                grid.insert(k, row);
            }
            GridEdit::DelRow(r) => {
                grid.remove(r.index(n));
            }
            GridEdit::SwapRows(a, b) => grid.swap(a.index(n), b.index(n)),
            GridEdit::DupCol(c) => {
                let w = grid[0].len().max(1);
                let k = c.index(w);
                for row in grid.iter_mut() {
                    if k < row.len() {
                        let v = row[k].clone();
                        row.insert(k, v);
                    }
                }
            }
            GridEdit::DelCol(c) => {
                let w = grid[0].len().max(1);
                let k = c.index(w);
                for row in grid.iter_mut() {
                    if k < row.len() {
                        row.remove(k);
                    }
                }
            }
            GridEdit::FillCol(c, t) => {
                let w = grid[0].len().max(1);
                let k = c.index(w);
                for row in grid.iter_mut().skip(1) {
                    if k < row.len() {
                        row[k].clone_from(t);
                    }
                }
            }
            GridEdit::CopyCell(c, a, b) => {
                let w = grid[0].len().max(1);
                let k = c.index(w);
                let (a, b) = (a.index(n), b.index(n));
                if k < grid[a].len() && k < grid[b].len() {
                    let v = grid[a][k].clone();
                    grid[b][k] = v;
                }
            }
        }
    }
}

fn parse_grid(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| {
            l.trim_end_matches('\r')
                .split(',')
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// An edit of the bytes of a file.
#[derive(Debug, Clone)]
enum ByteEdit {
    Bom,
    Crlf,
    Delimiter(char),
    Truncate(Index),
    Invalid(Index, u8),
    Insert(Index, String),
    DeleteLine(Index),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        1 => Just(ByteEdit::Bom),
        1 => Just(ByteEdit::Crlf),
        1 => prop::sample::select(vec![';', '\t', '|', ' ']).prop_map(ByteEdit::Delimiter),
        1 => any::<Index>().prop_map(ByteEdit::Truncate),
        1 => (any::<Index>(), 0x80u8..=0xff).prop_map(|(i, b)| ByteEdit::Invalid(i, b)),
        2 => (any::<Index>(), prop::sample::select(vec!["\"", ",", "\n", "\r", "=", "[", "]", "{", "}", "#", "'", "\\", "\0"]).prop_map(String::from))
            .prop_map(|(i, s)| ByteEdit::Insert(i, s)),
        1 => any::<Index>().prop_map(ByteEdit::DeleteLine),
    ]
}

fn apply_bytes(mut bytes: Vec<u8>, edits: &[ByteEdit]) -> Vec<u8> {
    for e in edits {
        match e {
            ByteEdit::Bom => bytes.splice(0..0, [0xEF, 0xBB, 0xBF]).for_each(drop),
            ByteEdit::Crlf => {
                let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 20);
                for &b in &bytes {
                    if b == b'\n' {
                        out.push(b'\r');
                    }
                    out.push(b);
                }
                bytes = out;
            }
            ByteEdit::Delimiter(c) => {
                let mut buf = [0u8; 4];
                let d = c.encode_utf8(&mut buf).as_bytes().to_vec();
                bytes = bytes
                    .iter()
                    .flat_map(|&b| if b == b',' { d.clone() } else { vec![b] })
                    .collect();
            }
            ByteEdit::Truncate(i) => {
                let k = i.index(bytes.len() + 1);
                bytes.truncate(k);
            }
            ByteEdit::Invalid(i, b) => {
                if !bytes.is_empty() {
                    let k = i.index(bytes.len());
                    bytes[k] = *b;
                }
            }
            ByteEdit::Insert(i, s) => {
                let k = i.index(bytes.len() + 1);
                bytes.splice(k..k, s.bytes()).for_each(drop);
            }
            ByteEdit::DeleteLine(i) => {
                let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
                let k = i.index(lines.len());
                bytes = lines
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, l)| l.to_vec())
                    .collect::<Vec<_>>()
                    .join(&b'\n');
            }
        }
    }
    bytes
}

// ============================================================ trees (specs)

/// A value a user might write in a specification.
fn tree_value() -> impl Strategy<Value = toml::Value> {
    let scalar = prop_oneof![
        3 => prop::sample::select(vec![
            "min_max", "z_score", "rank", "borda", "percentile_rank", "goalposts", "scaled",
            "distance_to_target", "distance_to_reference", "distance_to_max", "fraction_of_max",
            "none", "arithmetic_mean", "geometric_mean", "harmonic_mean", "generalised_mean",
            "copeland", "custom", "mean", "median", "group_mean", "group_median", "em",
            "missing_data", "zeros", "both", "log_ct", "log_ct_orig", "log_ct_plus", "gii_log",
            "box_cox", "denominate", "impute", "screen", "treat", "normalise", "aggregate",
            "weight_noise", "alternatives", "winmax", "exclude", "uniform", "triangular",
            "log_normal", "Index", "IN", "OUT", "HC", "INF", "KNO", "tertiary", "apps",
            "Population", "Region", "XAV", "XBR", "", "normalize", "Physcal",
        ])
        .prop_map(|s| toml::Value::String(s.into())),
        3 => prop::sample::select(vec![
            0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 100.0, 1e-300, 1e300, -1e308, f64::MAX, f64::MIN_POSITIVE,
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.9, 1.5, -0.25,
        ])
        .prop_map(toml::Value::Float),
        2 => (-3i64..10).prop_map(toml::Value::Integer),
        1 => prop::sample::select(vec![i64::MAX, i64::MIN, 1 << 40, 1_000_000]).prop_map(toml::Value::Integer),
        1 => any::<bool>().prop_map(toml::Value::Boolean),
    ];
    prop_oneof![
        6 => scalar.clone(),
        1 => prop::collection::vec(scalar.clone(), 0..3).prop_map(toml::Value::Array),
        1 => (prop::sample::select(vec!["method", "stage", "kind", "by", "lo", "hi", "p", "x"]), scalar)
            .prop_map(|(k, v)| {
                let mut t = toml::Table::new();
                t.insert(k.into(), v);
                toml::Value::Table(t)
            }),
    ]
}

/// An edit of a specification's tree. `Index`es pick a node among all nodes in
/// depth-first order.
#[derive(Debug, Clone)]
enum TreeEdit {
    /// Replaces a scalar by another of the same type (most often still valid).
    Retype(Index, f64, i64, String),
    Replace(Index, toml::Value),
    Delete(Index),
    /// Renames a key: drops, doubles or swaps a character (a typo).
    Typo(Index, Index, u8),
    /// Adds a key to a table.
    Insert(Index, String, toml::Value),
    DupElement(Index),
    /// Copies a node's value over another's (moves codes and methods around).
    Copy(Index, Index),
}

fn same_type_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -10.0..110.0f64,
        1 => prop::sample::select(vec![
            0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 1e300, -1e308, f64::MAX, f64::MIN_POSITIVE,
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 5e-324,
        ]),
    ]
}

fn same_type_string() -> impl Strategy<Value = String> {
    tree_value().prop_map(|v| match v {
        toml::Value::String(s) => s,
        _ => "min_max".into(),
    })
}

fn tree_edit() -> impl Strategy<Value = TreeEdit> {
    let i = any::<Index>;
    prop_oneof![
        8 => (i(), same_type_float(), -3i64..12, same_type_string())
            .prop_map(|(n, f, k, s)| TreeEdit::Retype(n, f, k, s)),
        3 => (i(), tree_value()).prop_map(|(n, v)| TreeEdit::Replace(n, v)),
        2 => i().prop_map(TreeEdit::Delete),
        2 => (i(), i(), 0u8..3).prop_map(|(n, c, k)| TreeEdit::Typo(n, c, k)),
        1 => (i(), prop::sample::select(vec!["weight", "parent", "direction", "lo", "hi", "method", "stage", "overrides", "by_level", "target", "zzz", "runs"]).prop_map(String::from), tree_value())
            .prop_map(|(n, k, v)| TreeEdit::Insert(n, k, v)),
        1 => i().prop_map(TreeEdit::DupElement),
        2 => (i(), i()).prop_map(|(a, b)| TreeEdit::Copy(a, b)),
    ]
}

/// Paths of every node below the root: a path is a list of keys or array positions.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Pos(usize),
}

fn paths(v: &toml::Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        toml::Value::Table(t) => {
            for (k, c) in t {
                prefix.push(Step::Key(k.clone()));
                out.push(prefix.clone());
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                prefix.push(Step::Pos(i));
                out.push(prefix.clone());
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(root: &'a mut toml::Value, path: &[Step]) -> Option<&'a mut toml::Value> {
    let mut v = root;
    for s in path {
        v = match (s, v) {
            (Step::Key(k), toml::Value::Table(t)) => t.get_mut(k)?,
            (Step::Pos(i), toml::Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn apply_tree(root: &mut toml::Value, edits: &[TreeEdit]) {
    for e in edits {
        let mut all = Vec::new();
        paths(root, &mut Vec::new(), &mut all);
        if all.is_empty() {
            return;
        }
        let pick = |i: &Index| all[i.index(all.len())].clone();
        match e {
            TreeEdit::Retype(i, f, k, text) => {
                if let Some(n) = node_mut(root, &pick(i)) {
                    match n {
                        toml::Value::Float(x) => *x = *f,
                        toml::Value::Integer(x) => *x = *k,
                        toml::Value::String(x) => x.clone_from(text),
                        toml::Value::Boolean(x) => *x = !*x,
                        _ => {}
                    }
                }
            }
            TreeEdit::Replace(i, v) => {
                if let Some(n) = node_mut(root, &pick(i)) {
                    *n = v.clone();
                }
            }
            TreeEdit::Delete(i) => {
                let p = pick(i);
                let (last, parent) = p.split_last().unwrap();
                match (last, node_mut(root, parent)) {
                    (Step::Key(k), Some(toml::Value::Table(t))) => {
                        t.remove(k);
                    }
                    (Step::Pos(k), Some(toml::Value::Array(a))) if *k < a.len() => {
                        a.remove(*k);
                    }
                    _ => {}
                }
            }
            TreeEdit::Typo(i, c, kind) => {
                let p = pick(i);
                let (last, parent) = p.split_last().unwrap();
                if let (Step::Key(k), Some(toml::Value::Table(t))) = (last, node_mut(root, parent))
                    && let Some(v) = t.remove(k)
                {
                    let mut chars: Vec<char> = k.chars().collect();
                    if !chars.is_empty() {
                        let j = c.index(chars.len());
                        match kind {
                            0 => {
                                chars.remove(j);
                            }
                            1 => chars.insert(j, chars[j]),
                            _ => {
                                if j + 1 < chars.len() {
                                    chars.swap(j, j + 1);
                                }
                            }
                        }
                    }
                    t.insert(chars.into_iter().collect(), v);
                }
            }
            TreeEdit::Insert(i, k, v) => {
                let p = pick(i);
                let target = match node_mut(root, &p) {
                    Some(toml::Value::Table(_)) => p,
                    _ => p[..p.len() - 1].to_vec(),
                };
                if let Some(toml::Value::Table(t)) = node_mut(root, &target) {
                    t.insert(k.clone(), v.clone());
                }
            }
            TreeEdit::DupElement(i) => {
                let p = pick(i);
                let (last, parent) = p.split_last().unwrap();
                if let (Step::Pos(k), Some(toml::Value::Array(a))) = (last, node_mut(root, parent))
                    && *k < a.len()
                {
                    let v = a[*k].clone();
                    a.insert(*k, v);
                }
            }
            TreeEdit::Copy(a, b) => {
                let v = node_mut(root, &pick(a)).map(|v| v.clone());
                if let (Some(v), Some(n)) = (v, node_mut(root, &pick(b))) {
                    *n = v;
                }
            }
        }
    }
}

/// A line-level edit of a text file (syntax errors).
#[derive(Debug, Clone)]
enum LineEdit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Bytes(ByteEdit),
}

fn line_edit() -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        2 => any::<Index>().prop_map(LineEdit::Delete),
        1 => any::<Index>().prop_map(LineEdit::Duplicate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| LineEdit::Swap(a, b)),
        2 => byte_edit().prop_map(LineEdit::Bytes),
    ]
}

fn apply_lines(text: &str, edits: &[LineEdit]) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut bytes_edits = Vec::new();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match e {
            LineEdit::Delete(i) => {
                lines.remove(i.index(n));
            }
            LineEdit::Duplicate(i) => {
                let k = i.index(n);
                let l = lines[k].clone();
                lines.insert(k, l);
            }
            LineEdit::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
            LineEdit::Bytes(b) => bytes_edits.push(b.clone()),
        }
    }
    apply_bytes(lines.join("\n").into_bytes(), &bytes_edits)
}

/// A specification edit: a tree edit, or (less often) a text edit of the file.
#[derive(Debug, Clone)]
enum SpecEdits {
    Tree(Vec<TreeEdit>),
    Text(Vec<TreeEdit>, Vec<LineEdit>),
}

fn spec_edits() -> impl Strategy<Value = SpecEdits> {
    prop_oneof![
        4 => prop::collection::vec(tree_edit(), 1..4).prop_map(SpecEdits::Tree),
        1 => (
            prop::collection::vec(tree_edit(), 0..3),
            prop::collection::vec(line_edit(), 1..4)
        )
            .prop_map(|(t, l)| SpecEdits::Text(t, l)),
    ]
}

fn toml_tree(text: &str) -> toml::Value {
    toml::Value::Table(toml::from_str(text).unwrap())
}

/// The mutated TOML text of a tree.
fn mutated_toml(seed: &toml::Value, edits: &SpecEdits) -> Vec<u8> {
    let mut tree = seed.clone();
    let (tree_edits, lines): (&[TreeEdit], &[LineEdit]) = match edits {
        SpecEdits::Tree(t) => (t, &[]),
        SpecEdits::Text(t, l) => (t, l),
    };
    apply_tree(&mut tree, tree_edits);
    // A mutated tree always serialises (TOML has no null); the root stays a table.
    let text = toml::to_string(&tree).unwrap_or_default();
    apply_lines(&text, lines)
}

// ================================================================= targets

proptest! {
    #![proptest_config(config(1))]

    /// CSV data: cells, rows, columns, header, delimiter, BOM, encoding.
    #[test]
    fn csv_data(grid in prop::collection::vec(grid_edit(), 0..6), bytes in prop::collection::vec(byte_edit(), 0..2)) {
        let mut cells = parse_grid(&data_text());
        apply_grid(&mut cells, &grid);
        let text: Vec<String> = cells.iter().map(|r| r.join(",")).collect();
        let input = apply_bytes(text.join("\n").into_bytes(), &bytes);
        match read_dataset(input.as_slice(), &roles(), "fuzz.csv") {
            Err(e) => check_error(&e)?,
            Ok(data) => check_run(example_spec(), data)?,
        }
    }

    /// COINr iMeta and iData tables.
    #[test]
    fn coinr_tables(
        meta_edits in prop::collection::vec(grid_edit(), 0..5),
        data_edits in prop::collection::vec(grid_edit(), 0..3),
        bytes in prop::collection::vec(byte_edit(), 0..2),
    ) {
        let mut meta = parse_grid(&imeta_text());
        apply_grid(&mut meta, &meta_edits);
        let meta: Vec<String> = meta.iter().map(|r| r.join(",")).collect();
        let meta = apply_bytes(meta.join("\n").into_bytes(), &bytes);
        let mut data = parse_grid(&data_text());
        apply_grid(&mut data, &data_edits);
        let data: Vec<String> = data.iter().map(|r| r.join(",")).collect();
        match read_coinr(meta.as_slice(), data.join("\n").as_bytes(), "fuzz") {
            Err(e) => check_error(&e)?,
            Ok((framework, data)) => {
                let spec = IndexSpec::new(framework, example_spec().steps);
                check_run(spec, data)?;
            }
        }
    }

    /// TOML specifications.
    #[test]
    fn toml_spec(edits in spec_edits()) {
        let input = mutated_toml(&toml_tree(&spec_text()), &edits);
        let text = String::from_utf8_lossy(&input);
        match IndexSpec::from_toml(&text) {
            Err(e) => check_error(&e)?,
            Ok(spec) => check_run(spec, example_data())?,
        }
    }

    /// JSON specifications (the same tree, as JSON, with nulls).
    #[test]
    fn json_spec(edits in spec_edits(), nulls in prop::collection::vec(any::<Index>(), 0..2)) {
        let mut tree = toml_tree(&spec_text());
        let (tree_edits, lines): (&[TreeEdit], &[LineEdit]) = match &edits {
            SpecEdits::Tree(t) => (t, &[]),
            SpecEdits::Text(t, l) => (t, l),
        };
        apply_tree(&mut tree, tree_edits);
        // NaN and infinities become null in JSON; add a few nulls on purpose.
        let mut json = serde_json::to_value(&tree).unwrap_or(serde_json::Value::Null);
        for i in &nulls {
            null_somewhere(&mut json, i);
        }
        let text = serde_json::to_string_pretty(&json).unwrap();
        let input = apply_lines(&text, lines);
        match IndexSpec::from_json(&String::from_utf8_lossy(&input)) {
            Err(e) => check_error(&e)?,
            Ok(spec) => check_run(spec, example_data())?,
        }
    }

    /// Uncertainty analyses (TOML), run on the example (at most 12 runs).
    #[test]
    fn uncertainty_spec(edits in spec_edits()) {
        let seed = toml_tree(&std::fs::read_to_string(analysis_file()).unwrap());
        let input = mutated_toml(&seed, &edits);
        let parsed: composite_index::Result<UncertaintySpec> =
            composite_index::spec::parse_toml(&String::from_utf8_lossy(&input));
        match parsed {
            Err(e) => check_error(&e)?,
            Ok(mut spec) => {
                spec.runs = spec.runs.min(12);
                let pipeline = Pipeline::new(example_spec(), example_data()).unwrap();
                match uncertainty_analysis(&pipeline, &spec, Execution::Serial, None) {
                    Err(e) => check_error(&e)?,
                    Ok(ua) => {
                        if std::env::var("FUZZ_VERBOSE").is_ok() {
                            eprintln!("OUTCOME ok uncertainty runs={} failed={}", ua.runs, ua.failed.len());
                        }
                        for f in &ua.failed {
                            prop_assert!(!f.reason.is_empty());
                        }
                        for n in &ua.nodes {
                            for u in &n.units {
                                for v in [u.median_rank, u.mean_rank, u.q05_rank, u.q95_rank, u.median_score, u.mean_score, u.share_within] {
                                    prop_assert!(!v.is_infinite(), "{} / {}: {v}", n.node, u.unit);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(20))]

    /// WIPO workbooks (xlsx: cells, rows, columns, sheets, bytes) and their Data
    /// sheet as CSV.
    #[test]
    fn wipo_workbook(
        data_edits in prop::collection::vec(grid_edit(), 0..5),
        sheet_edits in prop::collection::vec(sheet_edit(), 0..2),
        bytes in prop::collection::vec(zip_edit(), 0..2),
        typed in any::<bool>(),
    ) {
        let mut book = wipo_book();
        apply_grid(&mut book[0].1, &data_edits);
        apply_sheets(&mut book, &sheet_edits);
        // The Data sheet as CSV.
        if let Some((_, data)) = book.iter().find(|(n, _)| n == "Data") {
            let csv: Vec<String> = data.iter().map(|r| r.join(",")).collect();
            match read_wipo_data(csv.join("\n").as_bytes(), 2025, "Data.csv") {
                Err(e) => check_error(&e)?,
                Ok(wb) => check_gii(&wb)?,
            }
        }
        let path = temp_file("xlsx");
        if !write_book(&path, &book, typed) {
            return Ok(());
        }
        if !bytes.is_empty() {
            let raw = std::fs::read(&path).unwrap();
            std::fs::write(&path, apply_zip(raw, &bytes)).unwrap();
        }
        let read = read_wipo_xlsx(&path, 2025);
        let _ = std::fs::remove_file(&path);
        match read {
            Err(e) => check_error(&e)?,
            Ok(wb) => check_gii(&wb)?,
        }
    }
}

/// Replaces one node of a JSON tree by null.
fn null_somewhere(v: &mut serde_json::Value, i: &Index) {
    fn count(v: &serde_json::Value) -> usize {
        1 + match v {
            serde_json::Value::Object(m) => m.values().map(count).sum(),
            serde_json::Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    fn nth(v: &mut serde_json::Value, k: &mut usize) -> bool {
        if *k == 0 {
            *v = serde_json::Value::Null;
            return true;
        }
        *k -= 1;
        match v {
            serde_json::Value::Object(m) => m.values_mut().any(|c| nth(c, k)),
            serde_json::Value::Array(a) => a.iter_mut().any(|c| nth(c, k)),
            _ => false,
        }
    }
    let n = count(v);
    // Never the root itself.
    let mut k = 1 + i.index(n.max(2) - 1);
    nth(v, &mut k);
}

fn analysis_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/example_analysis.toml")
}

/// An iMeta table of the example (the data file is then a valid iData).
fn imeta_text() -> String {
    let spec = example_spec();
    let parents: Vec<&str> = spec
        .framework
        .nodes
        .iter()
        .filter_map(|n| n.parent.as_deref())
        .collect();
    let mut text = String::from("Level,iCode,iName,Direction,Weight,Parent,Type,Denominator\n");
    for n in &spec.framework.nodes {
        let kind = if parents.contains(&n.code.as_str()) {
            "Aggregate"
        } else {
            "Indicator"
        };
        text.push_str(&format!(
            ",{},{},{},{},{},{kind},{}\n",
            n.code,
            n.code,
            n.direction,
            n.weight,
            n.parent.as_deref().unwrap_or(""),
            n.denominator.as_deref().unwrap_or("")
        ));
    }
    text.push_str(",Region,Region,,,,Group,\n,Population,Population,,,,Denominator,\n");
    text
}

// ------------------------------------------------------------ WIPO workbooks

const ECONOMIES: [(&str, &str); 6] = [
    ("AAA", "Aland"),
    ("BBB", "Bland"),
    ("CCC", "Cland"),
    ("DDD", "Dland"),
    ("EEE", "Eland"),
    ("FFF", "Fland"),
];

/// A valid workbook: sheets `Data`, `Index Structure` and `Economies`, as cells
/// (built once, cloned for each case).
fn wipo_book() -> Vec<(String, Vec<Vec<String>>)> {
    static BOOK: std::sync::OnceLock<Vec<(String, Vec<Vec<String>>)>> = std::sync::OnceLock::new();
    BOOK.get_or_init(build_wipo_book).clone()
}

fn build_wipo_book() -> Vec<(String, Vec<Vec<String>>)> {
    let edition = 2025;
    let fw = gii::framework(edition).unwrap();
    let labels = gii::spec(edition).unwrap().level_names;
    let mut data = vec![
        ["ISO3", "ECONOMY_NAME", "NUM", "NAME", "VALUE_SCREEN"]
            .map(String::from)
            .to_vec(),
    ];
    for (i, (iso, name)) in ECONOMIES.iter().enumerate() {
        for (j, &n) in fw.indicators().iter().enumerate() {
            data.push(vec![
                (*iso).into(),
                (*name).into(),
                gii::wipo_code(edition, fw.code(n)).unwrap(),
                "x".into(),
                format!("{}", 1.0 + ((i * 7 + j * 13) % 17) as f64 + 0.25 * j as f64),
            ]);
        }
    }
    let mut structure = vec![["NUM", "NAME", "LEVEL", "TYPE"].map(String::from).to_vec()];
    for n in 0..fw.len() {
        structure.push(vec![
            gii::wipo_code(edition, fw.code(n)).unwrap(),
            fw.name(n).into(),
            labels[fw.level(n) as usize - 1].clone(),
            fw.node(n).kind.clone().unwrap_or_default(),
        ]);
    }
    let mut economies = vec![
        ["ISO3", "ECONOMY_NAME", "INCOME", "REG_UN", "POP"]
            .map(String::from)
            .to_vec(),
    ];
    for (k, (iso, name)) in ECONOMIES.iter().enumerate() {
        economies.push(vec![
            (*iso).into(),
            (*name).into(),
            "High income".into(),
            "Europe".into(),
            format!("{}", 5 + k),
        ]);
    }
    vec![
        ("Data".into(), data),
        ("Index Structure".into(), structure),
        ("Economies".into(), economies),
    ]
}

#[derive(Debug, Clone)]
enum SheetEdit {
    Rename(Index, String),
    Drop(Index),
    Edit(Index, GridEdit),
}

fn sheet_edit() -> impl Strategy<Value = SheetEdit> {
    prop_oneof![
        1 => (any::<Index>(), prop::sample::select(vec!["data", "Data ", "Sheet1", "Economies", "Data"]).prop_map(String::from))
            .prop_map(|(i, n)| SheetEdit::Rename(i, n)),
        1 => any::<Index>().prop_map(SheetEdit::Drop),
        3 => (any::<Index>(), grid_edit()).prop_map(|(i, e)| SheetEdit::Edit(i, e)),
    ]
}

fn apply_sheets(book: &mut Vec<(String, Vec<Vec<String>>)>, edits: &[SheetEdit]) {
    for e in edits {
        if book.is_empty() {
            return;
        }
        let n = book.len();
        match e {
            SheetEdit::Rename(i, name) => {
                let k = i.index(n);
                // Sheet names must stay unique for the writer.
                if book.iter().all(|(s, _)| s != name) {
                    book[k].0.clone_from(name);
                }
            }
            SheetEdit::Drop(i) => {
                book.remove(i.index(n));
            }
            SheetEdit::Edit(i, g) => apply_grid(&mut book[i.index(n)].1, std::slice::from_ref(g)),
        }
    }
}

fn temp_file(ext: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!(
        "case-{}-{}.{ext}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes the sheets; with `typed`, cells that read as numbers are written as
/// numbers (as WIPO's workbook has them), otherwise everything is text. False
/// when the writer refuses the book (no sheet at all, say).
fn write_book(path: &std::path::Path, book: &[(String, Vec<Vec<String>>)], typed: bool) -> bool {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in book {
        let ws = wb.add_worksheet();
        if ws.set_name(name).is_err() {
            continue;
        }
        for (r, row) in rows.iter().enumerate().take(1_048_575) {
            for (c, cell) in row.iter().enumerate().take(16_383) {
                let (r, c) = (r as u32, c as u16);
                let num = cell.trim().parse::<f64>().ok().filter(|v| v.is_finite());
                let _ = match num {
                    Some(v) if typed => ws.write_number(r, c, v).map(drop),
                    _ if cell.is_empty() => Ok(()),
                    _ => ws.write_string(r, c, cell).map(drop),
                };
            }
        }
    }
    wb.save(path).is_ok()
}

#[derive(Debug, Clone)]
enum ZipEdit {
    Truncate(Index),
    Flip(Index, u8),
}

fn zip_edit() -> impl Strategy<Value = ZipEdit> {
    prop_oneof![
        any::<Index>().prop_map(ZipEdit::Truncate),
        (any::<Index>(), 1u8..=255).prop_map(|(i, b)| ZipEdit::Flip(i, b)),
    ]
}

fn apply_zip(mut bytes: Vec<u8>, edits: &[ZipEdit]) -> Vec<u8> {
    for e in edits {
        match e {
            ZipEdit::Truncate(i) => {
                let k = i.index(bytes.len() + 1);
                bytes.truncate(k);
            }
            ZipEdit::Flip(i, b) => {
                if !bytes.is_empty() {
                    let k = i.index(bytes.len());
                    bytes[k] ^= b;
                }
            }
        }
    }
    bytes
}

fn check_gii(wb: &composite_index::io::WipoWorkbook) -> Result<(), TestCaseError> {
    prop_assert!(wb.data.values().iter().all(|v| !v.is_infinite()));
    let complete = complete(&wb.data);
    match gii::run(wb.edition, wb.data.clone()) {
        Err(e) => check_error(&e),
        Ok(run) => {
            check_results(&run.results, complete)?;
            if let Err(e) = run.table() {
                check_error(&e)?;
            }
            let _ = wb.reproduction_report(&run).to_string();
            Ok(())
        }
    }
}

/// The seeds themselves are valid and run: the targets start from good input.
#[test]
fn seeds_are_valid() {
    let data = example_data();
    Pipeline::new(example_spec(), data.clone())
        .unwrap()
        .run()
        .unwrap();
    let (framework, idata) =
        read_coinr(imeta_text().as_bytes(), data_text().as_bytes(), "seed").unwrap();
    Pipeline::new(IndexSpec::new(framework, example_spec().steps), idata)
        .unwrap()
        .run()
        .unwrap();
    let json = example_spec().to_json().unwrap();
    assert_eq!(IndexSpec::from_json(&json).unwrap(), example_spec());
    let ua: UncertaintySpec =
        composite_index::spec::parse_toml(&std::fs::read_to_string(analysis_file()).unwrap())
            .unwrap();
    assert_eq!(ua.inputs.len(), 3);
    let path = temp_file("xlsx");
    assert!(write_book(&path, &wipo_book(), true));
    let wb = read_wipo_xlsx(&path, 2025).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(wb.data.n_units(), ECONOMIES.len());
    gii::run(wb.edition, wb.data.clone()).unwrap();
}
