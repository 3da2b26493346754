//! End-to-end tests of the `composite-index` command line: every subcommand on the
//! data shipped in `data/example/` and on COINr's ASEM reference data in
//! `../shared/reference/asem` (skipped without it, failing under `CI=true`, as the
//! other reference tests), checking the files written and their contents, the
//! error messages and exit codes, and that the SVG charts parse, carry their
//! labels and render to PNG.
#![cfg(feature = "cli")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{PARITY_TOL, asem_dir, close};
use resvg::usvg::roxmltree;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example(file: &str) -> PathBuf {
    manifest().join("data/example").join(file)
}

fn fixture(file: &str) -> PathBuf {
    manifest().join("tests/fixtures/cli").join(file)
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cli<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_composite-index"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic trace on stderr:\n{err}"
    );
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "expected success\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
    stdout(o)
}

/// Asserts the exit code and that stderr is one `error: ...` sentence; returns it.
#[track_caller]
fn fails(o: &Output, code: i32) -> String {
    assert_eq!(
        o.status.code(),
        Some(code),
        "expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected on stderr:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        lines[0].ends_with('.'),
        "a sentence ends with a full stop: {err}"
    );
    lines[0].to_owned()
}

/// A CSV file as a header and rows of cells.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let header = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn col<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let j = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    rows.iter().map(|r| r[j].as_str()).collect()
}

/// Parses an SVG file and returns the texts of its `<text>` elements.
fn svg_texts(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect()
}

/// Renders an SVG file to PNG beside it (with a system sans-serif font when
/// there is one) and returns the image's size and share of non-white pixels.
fn render_png(svg: &Path) -> (u32, u32, f64) {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    for family in ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"] {
        let known = opt
            .fontdb
            .faces()
            .any(|f| f.families.iter().any(|(name, _)| name.as_str() == family));
        if known {
            opt.fontdb_mut().set_sans_serif_family(family);
            break;
        }
    }
    let text = std::fs::read_to_string(svg).unwrap();
    let tree = resvg::usvg::Tree::from_str(&text, &opt).expect("the SVG renders");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.save_png(svg.with_extension("png")).unwrap();
    let ink = pixmap
        .pixels()
        .iter()
        .filter(|p| p.red() < 240 || p.green() < 240 || p.blue() < 240)
        .count();
    (
        size.width(),
        size.height(),
        ink as f64 / pixmap.pixels().len() as f64,
    )
}

/// The results, treatment log and aggregated data set of two `run` outputs are equal.
fn assert_same_results(a: &Path, b: &Path) {
    for f in [
        "results.csv",
        "treatment_log.csv",
        "datasets/aggregated.csv",
    ] {
        assert_eq!(
            std::fs::read_to_string(a.join(f)).unwrap(),
            std::fs::read_to_string(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

fn run_example(out: &Path) -> String {
    ok(&cli([
        "run".as_ref(),
        example("spec.toml").as_os_str(),
        "--data".as_ref(),
        example("data.csv").as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]))
}

#[test]
fn charts_parse_carry_labels_and_render() {
    let out = scratch("charts");
    run_example(&out);
    let charts = out.join("charts");
    let ranking = svg_texts(&charts.join("ranking.svg"));
    for label in [
        "Kestrel Isles",
        "Avalon",
        "Input sub-index",
        "Output sub-index",
        "Index score",
    ] {
        assert!(
            ranking.iter().any(|t| t == label),
            "{label} not in the ranking chart"
        );
    }
    let (w, h, ink) = render_png(&charts.join("ranking.svg"));
    assert!(w >= 600 && h >= 20 * 18, "{w} x {h}");
    assert!(ink > 0.03, "the ranking chart is nearly blank ({ink})");
    for name in [
        "framework",
        "correlations",
        "aggregate-correlations",
        "treatment",
    ] {
        let path = charts.join(format!("{name}.svg"));
        assert!(!svg_texts(&path).is_empty(), "{name}");
        render_png(&path);
    }
}

fn data_args() -> Vec<std::ffi::OsString> {
    vec![
        example("spec.toml").into(),
        "--data".into(),
        example("data.csv").into(),
    ]
}

#[test]
fn uncertainty_writes_intervals_and_sobol_indices() {
    let out = scratch("uncertainty");
    let mut args: Vec<std::ffi::OsString> = vec!["uncertainty".into()];
    args.extend(data_args());
    args.extend(
        [
            "--out",
            "",
            "--runs",
            "200",
            "--seed",
            "7",
            "--sobol",
            "64",
            "--bootstrap",
            "100",
            "--quiet",
        ]
        .map(std::ffi::OsString::from),
    );
    args[5] = out.clone().into();
    let text = ok(&cli(&args));
    assert!(text.contains("200 runs (0 failed)"), "{text}");
    let (h, rows) = read_csv(&out.join("rank_intervals.csv"));
    assert_eq!(rows.len(), 20);
    for (name, r) in col(&h, &rows, "uName").iter().zip(&rows) {
        let get = |c: &str| -> f64 { col(&h, std::slice::from_ref(r), c)[0].parse().unwrap() };
        assert!(
            get("q05_rank") <= get("median_rank") && get("median_rank") <= get("q95_rank"),
            "{name}"
        );
        assert!(get("runs") == 200.0);
    }
    let (h, rows) = read_csv(&out.join("sobol.csv"));
    assert_eq!(
        h,
        ["input", "S", "S_low", "S_high", "ST", "ST_low", "ST_high"]
    );
    assert_eq!(
        col(&h, &rows, "input"),
        ["weights level 1", "weights level 2", "weights level 3"]
    );
    let texts = svg_texts(&out.join("uncertainty.svg"));
    assert!(texts.iter().any(|t| t == "Kestrel Isles"));
    assert!(texts.iter().any(|t| t == "Rank (1 = best)"));
    let (w, h, ink) = render_png(&out.join("uncertainty.svg"));
    assert!(w >= 600 && h >= 20 * 18 && ink > 0.01, "{w} x {h}, {ink}");
    let texts = svg_texts(&out.join("sobol.svg"));
    assert!(texts.iter().any(|t| t == "weights level 2"));
    render_png(&out.join("sobol.svg"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Uncertainty analysis") && html.contains("Sensitivity analysis"));

    // Same seed, one thread: the same numbers.
    let again = scratch("uncertainty-again");
    let mut args2 = args.clone();
    args2[5] = again.clone().into();
    args2.extend(["--threads", "1"].map(std::ffi::OsString::from));
    ok(&cli(&args2));
    for f in ["rank_intervals.csv", "sobol.csv"] {
        assert_eq!(
            std::fs::read_to_string(out.join(f)).unwrap(),
            std::fs::read_to_string(again.join(f)).unwrap(),
            "{f} differs between runs with the same seed"
        );
    }
}

/// The library's own run of the example, to compare the files with.
fn library_example() -> (composite_index::Pipeline, composite_index::Results) {
    use composite_index::io::{CsvRoles, read_dataset_file};
    let spec = composite_index::IndexSpec::from_path(example("spec.toml")).unwrap();
    let roles = CsvRoles {
        groups: vec!["Region".into()],
        denominators: vec!["Population".into()],
        ..CsvRoles::default()
    };
    let data = read_dataset_file(example("data.csv"), &roles).unwrap();
    let p = composite_index::Pipeline::new(spec, data).unwrap();
    let r = p.run().unwrap();
    (p, r)
}

#[test]
fn run_writes_every_dataset_the_results_and_the_treatment_log() {
    let out = scratch("run");
    let text = run_example(&out);
    assert!(text.contains("20 units, 12 indicators, 4 steps"), "{text}");
    assert!(text.contains("1. Kestrel Isles"), "{text}");
    let (_, lib) = library_example();

    // Every data set, byte for byte as the library writes it (COINr's layout).
    for s in lib.datasets() {
        let mut expected = Vec::new();
        s.write_csv(&mut expected).unwrap();
        let got = std::fs::read(out.join("datasets").join(format!("{}.csv", s.name))).unwrap();
        assert_eq!(got, expected, "data set {}", s.name);
    }
    let names: Vec<String> = std::fs::read_dir(out.join("datasets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");

    // Results: scores and ranks at every level, in order of the index's rank.
    let (h, rows) = read_csv(&out.join("results.csv"));
    assert_eq!(&h[..4], ["uCode", "uName", "Index", "Index_rank"]);
    for node in lib.node_codes() {
        assert!(
            h.contains(node) && h.contains(&format!("{node}_rank")),
            "{node}"
        );
    }
    assert_eq!(rows.len(), 20);
    let ranking = lib.ranking("Index").unwrap();
    for ((code, score, rank), row) in ranking.iter().zip(&rows) {
        assert_eq!(&row[0], code);
        assert_eq!(row[2].parse::<f64>().unwrap(), *score);
        assert_eq!(row[3], rank.unwrap().to_string());
    }
    assert_eq!(col(&h, &rows, "uName")[0], "Kestrel Isles");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["units"].as_array().unwrap().len(), 20);
    assert_eq!(
        json["nodes"]["Index"]["ranks"].as_array().unwrap().len(),
        20
    );

    // The treatment log: one row per indicator, COINr's columns first.
    let (h, rows) = read_csv(&out.join("treatment_log.csv"));
    assert_eq!(
        &h[..8],
        [
            "iCode",
            "check_SkewKurt0.Pass",
            "check_SkewKurt0.Skew",
            "check_SkewKurt0.Kurt",
            "winsorise.nwin",
            "check_SkewKurt1.Pass",
            "check_SkewKurt1.Skew",
            "check_SkewKurt1.Kurt"
        ]
    );
    assert_eq!(rows.len(), 12);
    let log = lib.treatment_log().unwrap();
    for (r, row) in log.iter().zip(&rows) {
        assert_eq!(r.indicator, row[0]);
        assert_eq!(r.n_winsorised, row[4].parse().unwrap_or(0));
    }
    let treated: Vec<&str> = col(&h, &rows, "winsorise.nwin")
        .into_iter()
        .zip(col(&h, &rows, "iCode"))
        .filter(|(n, _)| !n.is_empty())
        .map(|(_, c)| c)
        .collect();
    assert_eq!(treated, ["researchers", "venture"]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("treatment_log.json")).unwrap())
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 12);

    // The report: one self-contained file.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Example Innovation Index (fictional data)</title>"));
    for section in [
        "Summary",
        "Ranking",
        "Framework",
        "Step 2: outlier treatment",
        "Correlations",
    ] {
        assert!(html.contains(&format!(">{section}</h2>")), "{section}");
    }
    assert_eq!(html.matches("<svg").count(), 5);
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"));
    let external = html
        .match_indices("http")
        .filter(|(i, _)| !html[*i..].starts_with("http://www.w3.org/2000/svg"))
        .count();
    assert_eq!(external, 0, "the report refers to the network");
    assert!(html.contains("<td>Kestrel Isles</td>"));
}

#[test]
fn a_project_file_replaces_the_data_options() {
    let a = scratch("project-a");
    let b = scratch("project-b");
    run_example(&a);
    let text = ok(&cli([
        "run".as_ref(),
        fixture("example_project.toml").as_os_str(),
        "--out".as_ref(),
        b.as_os_str(),
        "--no-report".as_ref(),
    ]));
    assert!(text.contains("data/example/data.csv"), "{text}");
    assert_same_results(&a, &b);
    assert!(!b.join("report.html").exists());
}

#[test]
fn a_data_table_in_the_spec_replaces_the_data_options() {
    let a = scratch("spec-data-a");
    let b = scratch("spec-data-b");
    run_example(&a);
    // data/example/spec.toml names its data in a [data] table
    let text = ok(&cli([
        "run".as_ref(),
        example("spec.toml").as_os_str(),
        "--out".as_ref(),
        b.as_os_str(),
        "--no-report".as_ref(),
    ]));
    assert!(text.contains("data.csv"), "{text}");
    assert_same_results(&a, &b);
}

#[test]
fn validate_accepts_the_example() {
    let mut args: Vec<std::ffi::OsString> = vec!["validate".into()];
    args.extend(data_args());
    let text = ok(&cli(&args));
    assert!(
        text.contains("is valid: 20 units, 12 indicators, 4 steps; a trial run succeeded"),
        "{text}"
    );
    assert!(
        text.contains("warning: ") && text.contains("\"Region\""),
        "{text}"
    );
}

/// Writes a copy of the example with the given replacements in the spec and the data.
fn broken_example(dir: &Path, spec_edits: &[(&str, &str)], data_edits: &[(&str, &str)]) {
    let mut spec = std::fs::read_to_string(example("spec.toml")).unwrap();
    for (a, b) in spec_edits {
        assert!(spec.contains(a), "{a}");
        spec = spec.replacen(a, b, 1);
    }
    let mut data = std::fs::read_to_string(example("data.csv")).unwrap();
    for (a, b) in data_edits {
        assert!(data.contains(a), "{a}");
        data = data.replacen(a, b, 1);
    }
    std::fs::write(dir.join("spec.toml"), spec).unwrap();
    std::fs::write(dir.join("data.csv"), data).unwrap();
}

#[test]
fn validate_reports_every_problem_at_once() {
    let dir = scratch("validate-broken");
    broken_example(
        &dir,
        &[
            ("code = \"apps\"", "code = \"app\""),
            (
                "default = { method = \"min_max\", lo = 0, hi = 100 }",
                "default = { method = \"min_max\", lo = 0, hi = 100 }\noverrides = { nothing = { method = \"rank\" } }",
            ),
        ],
        &[
            (
                "XBR,Brightwater,South,1.409,4.18,31.9",
                "XBR,Brightwater,South,1.409,4.18,n.a.",
            ),
            ("XCE,Cedarvale", "XBR,Cedarvale"),
            ("XDU,Dunmore,West,8.151,3.12", "XDU,Dunmore,West,8.151,inf"),
        ],
    );
    let o = cli([
        "validate".as_ref(),
        dir.join("spec.toml").as_os_str(),
        "--data".as_ref(),
        dir.join("data.csv").as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    let data = dir.join("data.csv").display().to_string();
    let spec = dir.join("spec.toml").display().to_string();
    for expected in [
        format!(
            "error: {data}, line 3 (unit \"XBR\"), column \"tertiary\": \"n.a.\" is not a number."
        ),
        format!("error: {data}: unit code \"XBR\" appears twice, on lines 3 and 4."),
        format!(
            "error: {data}, line 5 (unit \"XDU\"), column \"edu_spend\": the value inf is infinite."
        ),
        format!(
            "error: {spec}: indicator \"app\" is not a column of the data (the data has a column \"apps\": a typo?)."
        ),
    ] {
        assert!(
            errors.contains(&expected.as_str()),
            "missing {expected:?} in\n{text}"
        );
    }
    assert_eq!(errors.len(), 4, "{text}");
    assert!(text.contains(": 4 errors,"), "{text}");

    // With clean data, each step is checked on its own.
    let dir = scratch("validate-steps");
    broken_example(
        &dir,
        &[
            (
                "default = { method = \"min_max\", lo = 0, hi = 100 }",
                "default = { method = \"min_max\", lo = 100, hi = 0 }",
            ),
            (
                "winmax = 5",
                "winmax = 5\noverrides = { nothing = { treatment = \"none\" } }",
            ),
        ],
        &[],
    );
    let o = cli([
        "validate".as_ref(),
        dir.join("spec.toml").as_os_str(),
        "--data".as_ref(),
        dir.join("data.csv").as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let text = stdout(&o);
    assert_eq!(text.matches("error: ").count(), 2, "{text}");
    assert!(
        text.contains("unknown indicator \"nothing\" in step 1 (treat) overrides"),
        "{text}"
    );
    assert!(text.contains("min_max"), "{text}");
}

#[test]
fn errors_are_one_sentence_with_file_line_and_column() {
    let dir = scratch("errors");
    broken_example(
        &dir,
        &[],
        &[(
            "XBR,Brightwater,South,1.409,4.18,31.9",
            "XBR,Brightwater,South,1.409,4.18,abc",
        )],
    );
    let spec = dir.join("spec.toml");
    let data = dir.join("data.csv");
    let out = dir.join("out");
    let run = |spec: &Path, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = vec![
            "run".into(),
            spec.into(),
            "--data".into(),
            data.clone().into(),
            "--out".into(),
            out.clone().into(),
        ];
        args.extend(extra.iter().map(std::ffi::OsString::from));
        cli(&args)
    };
    let e = fails(&run(&spec, &[]), 1);
    assert_eq!(
        e,
        format!(
            "error: {}, line 3 (unit \"XBR\"), column \"tertiary\": \"abc\" is not a number (write a number, or leave the cell empty or NA when the value is missing).",
            data.display()
        )
    );
    assert!(!out.join("results.csv").exists());

    let bad = dir.join("bad.toml");
    let text = std::fs::read_to_string(example("spec.toml"))
        .unwrap()
        .replacen("parent = \"Index\"", "parent = \"Index\"\nweigth = 2", 1);
    std::fs::write(&bad, text).unwrap();
    let e = fails(&run(&bad, &[]), 1);
    assert!(
        e.starts_with(&format!(
            "error: {}, line 23, column 1: unknown field `weigth`",
            bad.display()
        )),
        "{e}"
    );

    let e = fails(&run(&dir.join("nothing.toml"), &[]), 1);
    assert!(e.contains("nothing.toml: no such file"), "{e}");

    // Without --data and without a [data] table in the spec: a usage error.
    let nodata = dir.join("nodata.toml");
    let text = std::fs::read_to_string(example("spec.toml")).unwrap();
    let cut = text.find("[data]").unwrap();
    std::fs::write(&nodata, &text[..cut]).unwrap();
    let e = fails(
        &cli([
            "run".as_ref(),
            nodata.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]),
        2,
    );
    assert!(e.contains("no data given"), "{e}");
    let e = fails(&run(&spec, &["--imeta", "m.csv", "--idata", "d.csv"]), 2);
    assert!(e.contains("cannot be used with"), "{e}");
    let e = fails(&cli(["run", "x.toml", "--dat", "d.csv"]), 2);
    assert!(e.contains("'--dat'") && e.contains("'--data'"), "{e}");
    let e = fails(&cli(["run"]), 2);
    assert!(e.contains("<SPEC>") && e.contains("--out"), "{e}");
    let e = fails(&cli(["frobnicate"]), 2);
    assert!(e.contains("'frobnicate'"), "{e}");
    assert_eq!(cli(["--help"]).status.code(), Some(0));
    assert_eq!(cli(["--version"]).status.code(), Some(0));
}

/// An iMeta table for the shipped example (its data file is then a valid iData).
fn example_imeta(path: &Path) {
    let spec = composite_index::IndexSpec::from_path(example("spec.toml")).unwrap();
    let mut text = String::from("Level,iCode,iName,Direction,Weight,Parent,Type,Denominator\n");
    let parents: Vec<&str> = spec
        .framework
        .nodes
        .iter()
        .filter_map(|n| n.parent.as_deref())
        .collect();
    for n in &spec.framework.nodes {
        let kind = if parents.contains(&n.code.as_str()) {
            "Aggregate"
        } else {
            "Indicator"
        };
        text.push_str(&format!(
            ",{},\"{}\",{},{},{},{kind},{}\n",
            n.code,
            n.name.as_deref().unwrap_or(""),
            n.direction,
            n.weight,
            n.parent.as_deref().unwrap_or(""),
            n.denominator.as_deref().unwrap_or("")
        ));
    }
    text.push_str(",Region,Region,,,,Group,\n,Population,Population,,,,Denominator,\n");
    std::fs::write(path, text).unwrap();
}

#[test]
fn init_writes_a_starter_spec_that_runs() {
    let dir = scratch("init");
    let meta = dir.join("iMeta.csv");
    example_imeta(&meta);
    let spec = dir.join("spec.toml");
    let text = ok(&cli([
        "init".as_ref(),
        "--meta".as_ref(),
        meta.as_os_str(),
        "--out".as_ref(),
        spec.as_os_str(),
    ]));
    assert!(
        text.contains("20 nodes in 4 levels (12 indicators), 4 steps"),
        "{text}"
    );
    let written = composite_index::IndexSpec::from_path(&spec).unwrap();
    assert_eq!(written.framework.nodes.len(), 20);
    assert_eq!(written.name.as_deref(), Some("Example Innovation Index"));
    let stages: Vec<&str> = written.steps.iter().map(|s| s.stage()).collect();
    assert_eq!(stages, ["denominate", "treat", "normalise", "aggregate"]);
    let venture = written
        .framework
        .nodes
        .iter()
        .find(|n| n.code == "venture")
        .unwrap();
    assert_eq!(venture.weight, 0.5);
    let data_args = [
        spec.as_os_str(),
        "--imeta".as_ref(),
        meta.as_os_str(),
        "--idata".as_ref(),
        example("data.csv").into_os_string().leak(),
    ];
    let mut v: Vec<&std::ffi::OsStr> = vec!["validate".as_ref()];
    v.extend(data_args);
    ok(&cli(&v));
    let out = dir.join("out");
    let mut r: Vec<&std::ffi::OsStr> = vec!["run".as_ref()];
    r.extend(data_args);
    r.extend(["--out".as_ref(), out.as_os_str()]);
    ok(&cli(&r));
    let (_, rows) = read_csv(&out.join("results.csv"));
    assert_eq!(rows.len(), 20);
    // Not over an existing file without --force.
    let e = fails(
        &cli([
            "init".as_ref(),
            "--meta".as_ref(),
            meta.as_os_str(),
            "--out".as_ref(),
            spec.as_os_str(),
        ]),
        2,
    );
    assert!(e.contains("--force"), "{e}");
}

#[test]
fn audit_writes_statistics_correlations_alpha_and_pca() {
    let out = scratch("audit");
    let mut args: Vec<std::ffi::OsString> = vec!["audit".into()];
    args.extend(data_args());
    args.extend(["--out".into(), out.clone().into()]);
    let text = ok(&cli(&args));
    assert!(text.contains("Cronbach's alpha: HC "), "{text}");
    let (h, rows) = read_csv(&out.join("statistics.csv"));
    assert_eq!(rows.len(), 12);
    assert_eq!(&h[..4], ["code", "n_units", "n_present", "availability"]);
    let flagged: Vec<&str> = col(&h, &rows, "outlier_flag")
        .into_iter()
        .zip(col(&h, &rows, "code"))
        .filter(|(f, _)| *f == "true")
        .map(|(_, c)| c)
        .collect();
    assert!(flagged.contains(&"venture"), "{flagged:?}");
    let (h, rows) = read_csv(&out.join("cronbach.csv"));
    let nodes = col(&h, &rows, "node");
    assert_eq!(
        nodes,
        ["HC", "INF", "BUS", "KNO", "CRE", "IN", "OUT", "Index"]
    );
    for a in col(&h, &rows, "alpha") {
        assert!(a.parse::<f64>().unwrap() <= 1.0);
    }
    let (h, rows) = read_csv(&out.join("correlations.csv"));
    assert_eq!(
        &h[..5],
        ["code", "level", "ancestor", "ancestor_level", "is_parent"]
    );
    // Each indicator with its pillar, sub-index and index; each pillar with two ancestors...
    assert_eq!(rows.len(), 12 * 3 + 5 * 2 + 2);
    let (h, rows) = read_csv(&out.join("pca.csv"));
    let shares: Vec<f64> = col(&h, &rows, "variance_share")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)));
    let (_, rows) = read_csv(&out.join("pca_loadings.csv"));
    assert_eq!(rows.len(), 12 + 5 + 2);
    let texts = svg_texts(&out.join("correlations.svg"));
    assert!(texts.iter().any(|t| t == "startup_days") && texts.iter().any(|t| t == "BUS"));
    let html = std::fs::read_to_string(out.join("audit.html")).unwrap();
    assert!(html.contains(">Cronbach&#39;s alpha</h2>") || html.contains(">Cronbach's alpha</h2>"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!(json["statistics"].as_array().unwrap().len(), 12);
}

#[test]
fn uncertainty_reads_an_analysis_file() {
    let out = scratch("uncertainty-file");
    let mut args: Vec<std::ffi::OsString> = vec!["uncertainty".into()];
    args.extend(data_args());
    args.extend([
        "--analysis".into(),
        fixture("example_analysis.toml").into(),
        "--out".into(),
        out.clone().into(),
        "-q".into(),
    ]);
    let text = ok(&cli(&args));
    assert!(
        text.contains("100 runs (0 failed), inputs: weights level 2, normalisation, winmax"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("uncertainty.json")).unwrap())
            .unwrap();
    assert_eq!(json["choices"].as_array().unwrap().len(), 100);

    let bad = out.join("bad.toml");
    std::fs::write(&bad, "runs = 10\n[[inputs]]\nkind = \"noise\"\n").unwrap();
    args[5] = bad.clone().into();
    let e = fails(&cli(&args), 1);
    assert!(
        e.contains(&format!(
            "{}, line 3, column 8: unknown variant `noise`",
            bad.display()
        )),
        "{e}"
    );
}

/// WIPO's `Data` sheet as CSV for 8 made-up economies, with SCORE and RANK from
/// the crate's own GII run (plus `delta` on the index score of the first economy).
fn wipo_csv(path: &Path, delta: f64) {
    use composite_index::instances::gii::{self, Edition, GiiOptions, Level};
    let edition = Edition::Y2025;
    let economies = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"];
    let value = |i: usize, j: usize| 1.0 + ((i * 7 + j * 13) % 17) as f64 + 0.25 * j as f64;
    let cols = gii::indicators(edition)
        .enumerate()
        .map(|(j, n)| (n.code.to_string(), (0..8).map(|i| value(i, j)).collect()))
        .collect();
    let data = composite_index::Dataset::from_columns(
        economies.iter().map(|e| e.to_string()).collect(),
        cols,
    )
    .unwrap();
    let run = gii::run(edition, data, &GiiOptions::default()).unwrap();
    let mut text = String::from("ISO3,ECONOMY_NAME,NUM,NAME,VALUE_SCREEN,SCORE,RANK\n");
    for (i, e) in economies.iter().enumerate() {
        let mut j = 0;
        for n in gii::nodes(edition) {
            let score = run.results.scores(n.code).unwrap()[i];
            let rank = run.results.ranks(n.code).unwrap()[i];
            let value = if n.level == Level::Indicator {
                j += 1;
                value(i, j - 1).to_string()
            } else {
                String::new()
            };
            let score = if n.level == Level::Index && i == 0 {
                score + delta
            } else {
                score
            };
            text.push_str(&format!(
                "{e},Land {e},{},\"{}\",{value},{},{}\n",
                gii::wipo_code(edition, n.code).unwrap(),
                n.name.replace('"', "\"\""),
                if score.is_nan() {
                    String::new()
                } else {
                    score.to_string()
                },
                rank.map_or_else(String::new, |r| r.to_string())
            ));
        }
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn gii_runs_on_a_wipo_data_sheet_and_reports_the_reproduction() {
    let dir = scratch("gii");
    let data = dir.join("Data.csv");
    wipo_csv(&data, 0.0);
    let out = dir.join("out");
    let text = ok(&cli([
        "gii".as_ref(),
        "--workbook".as_ref(),
        data.as_os_str(),
        "--check".as_ref(),
        "1e-9".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]));
    assert!(text.contains("Global Innovation Index 2025"), "{text}");
    assert!(text.contains("8 economies, 78 indicators"), "{text}");
    assert!(
        text.contains("Reproduction of WIPO's published scores and ranks:"),
        "{text}"
    );
    for level in ["indicator", "sub-pillar", "pillar", "sub-index", "index"] {
        assert!(
            text.lines().any(|l| l.starts_with(level)),
            "{level}: {text}"
        );
    }
    let (h, rows) = read_csv(&out.join("reproduction.csv"));
    assert_eq!(rows.len(), 5);
    for d in col(&h, &rows, "max_abs_diff") {
        assert!(d.parse::<f64>().unwrap() <= 1e-9, "{d}");
    }
    assert_eq!(
        col(&h, &rows, "ranks_agree"),
        col(&h, &rows, "ranks_compared")
    );
    let (_, rows) = read_csv(&out.join("results.csv"));
    assert_eq!(rows.len(), 8);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(">Reproduction of WIPO&#39;s published scores</h2>"));

    // A published index score off by 0.5: reported, and --check fails.
    wipo_csv(&data, 0.5);
    let o = cli([
        "gii".as_ref(),
        "--workbook".as_ref(),
        data.as_os_str(),
        "--check".as_ref(),
        "1e-6".as_ref(),
    ]);
    let e = fails(&o, 1);
    assert!(
        e.contains("the GII is not reproduced within 0.000001"),
        "{e}"
    );
    assert!(e.contains("5.000e-1"), "{e}");
    assert!(
        stdout(&o).contains("largest at AAA / GII"),
        "{}",
        stdout(&o)
    );

    // The same sheet in a workbook (.xlsx, sheet "Data").
    wipo_csv(&data, 0.0);
    let xlsx = dir.join("GII.xlsx");
    let (header, rows) = read_csv(&data);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Data").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(v) if c >= 4 => ws.write_number(r, c, v).map(|_| ()).unwrap(),
                _ if cell.is_empty() => {}
                _ => ws.write_string(r, c, cell).map(|_| ()).unwrap(),
            }
        }
    }
    wb.save(&xlsx).unwrap();
    let text = ok(&cli([
        "gii".as_ref(),
        "--workbook".as_ref(),
        xlsx.as_os_str(),
        "--check".as_ref(),
        "1e-9".as_ref(),
    ]));
    assert!(text.contains("8 economies, 78 indicators"), "{text}");

    let e = fails(
        &cli(["gii", "--workbook", "Data.csv", "--edition", "1999"]),
        2,
    );
    assert!(e.contains("--edition"), "{e}");
}

/// Compares a CSV written by the command line with a COINr reference table, cell
/// by cell by unit code and column, to the parity tolerance; returns the number of
/// cells compared.
fn assert_csv_matches(ours: &Path, reference: &Path) -> usize {
    let (h1, r1) = read_csv(ours);
    let (h2, r2) = read_csv(reference);
    assert_eq!(r1.len(), r2.len(), "{}: number of units", ours.display());
    let num = |s: &str| {
        if s.is_empty() || s == "NA" {
            f64::NAN
        } else {
            s.parse::<f64>().unwrap()
        }
    };
    let mut n = 0;
    for row in &r2 {
        let mine = r1
            .iter()
            .find(|r| r[0] == row[0])
            .unwrap_or_else(|| panic!("unit {} missing from {}", row[0], ours.display()));
        for (j, c) in h2.iter().enumerate().skip(1) {
            let k = h1
                .iter()
                .position(|h| h == c)
                .unwrap_or_else(|| panic!("column {c} missing from {}", ours.display()));
            let (a, b) = (num(&mine[k]), num(&row[j]));
            assert!(
                close(a, b, PARITY_TOL),
                "{}: {c} for {}: ours {a} vs COINr {b}",
                ours.display(),
                row[0]
            );
            n += 1;
        }
    }
    n
}

#[test]
fn asem_run_reproduces_coinr_case_a() {
    let Some(dir) = asem_dir() else {
        return;
    };
    let case = dir.join("case_a_default");
    let out = scratch("asem-run");
    let text = ok(&cli([
        "run".as_ref(),
        fixture("asem_project.toml").as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]));
    assert!(text.contains("51 units, 49 indicators, 6 steps"), "{text}");
    for name in [
        "denominated",
        "imputed",
        "screened",
        "treated",
        "normalised",
        "aggregated",
    ] {
        let n = assert_csv_matches(
            &out.join("datasets").join(format!("{name}.csv")),
            &case.join(format!("{name}.csv")),
        );
        assert!(n >= 51 * 49, "{name}: only {n} cells compared");
    }
    let (h, rows) = read_csv(&out.join("results.csv"));
    let (rh, rrows) = read_csv(&case.join("results_ranked.csv"));
    for r in &rrows {
        let ours = rows.iter().find(|x| x[0] == r[0]).unwrap();
        let k = h.iter().position(|c| c == "Index_rank").unwrap();
        let j = rh.iter().position(|c| c == "Rank").unwrap();
        assert_eq!(ours[k], r[j], "rank of {}", r[0]);
    }
    // The treatment log has COINr's columns and values.
    let (h, rows) = read_csv(&out.join("treatment_log.csv"));
    let (rh, rrows) = read_csv(&case.join("treatment_log.csv"));
    for r in &rrows {
        let ours = rows.iter().find(|x| x[0] == r[0]).unwrap();
        for (j, c) in rh.iter().enumerate().skip(1) {
            let k = h.iter().position(|x| x == c).unwrap();
            match (ours[k].parse::<f64>(), r[j].parse::<f64>()) {
                (Ok(a), Ok(b)) => assert!(close(a, b, PARITY_TOL), "{} {c}: {a} vs {b}", r[0]),
                _ => assert_eq!(ours[k], r[j], "{} {c}", r[0]),
            }
        }
    }
    let texts = svg_texts(&out.join("charts/ranking.svg"));
    assert!(texts.iter().any(|t| t == "Switzerland"));
    assert!(texts.iter().any(|t| t == "Connectivity"));
    let (w, h, ink) = render_png(&out.join("charts/ranking.svg"));
    assert!(w >= 600 && h >= 51 * 18 && ink > 0.03, "{w} x {h}, {ink}");
    for chart in ["framework", "correlations", "treatment"] {
        render_png(&out.join(format!("charts/{chart}.svg")));
    }
}

#[test]
fn asem_validate_audit_uncertainty_and_init() {
    let Some(dir) = asem_dir() else {
        return;
    };
    let (imeta, idata) = (dir.join("iMeta.csv"), dir.join("iData.csv"));
    let spec = fixture("asem_case_a.toml");
    let tables = |cmd: &str, spec: &Path| -> Vec<std::ffi::OsString> {
        vec![
            cmd.into(),
            spec.into(),
            "--imeta".into(),
            imeta.clone().into(),
            "--idata".into(),
            idata.clone().into(),
        ]
    };
    let text = ok(&cli(tables("validate", &spec)));
    assert!(
        text.contains("is valid: 51 units, 49 indicators, 6 steps"),
        "{text}"
    );

    let out = scratch("asem-audit");
    let mut args = tables("audit", &spec);
    args.extend(["--out".into(), out.clone().into()]);
    ok(&cli(&args));
    let (h, rows) = read_csv(&out.join("cronbach.csv"));
    assert_eq!(rows.len(), 8 + 2 + 1);
    assert_eq!(col(&h, &rows, "node").last(), Some(&"Index"));
    let (_, rows) = read_csv(&out.join("statistics.csv"));
    assert_eq!(rows.len(), 49);

    let out = scratch("asem-uncertainty");
    let mut args = tables("uncertainty", &spec);
    args.extend(
        [
            "--out",
            "",
            "--runs",
            "100",
            "--sobol",
            "32",
            "--bootstrap",
            "50",
            "-q",
        ]
        .map(std::ffi::OsString::from),
    );
    args[7] = out.clone().into();
    let text = ok(&cli(&args));
    assert!(text.contains("100 runs (0 failed)"), "{text}");
    let (_, rows) = read_csv(&out.join("rank_intervals.csv"));
    assert_eq!(rows.len(), 51);
    let texts = svg_texts(&out.join("uncertainty.svg"));
    assert!(texts.iter().any(|t| t == "Switzerland"));
    let (w, h, ink) = render_png(&out.join("uncertainty.svg"));
    assert!(w >= 600 && h >= 51 * 18 && ink > 0.01, "{w} x {h}, {ink}");
    render_png(&out.join("sobol.svg"));

    let out = scratch("asem-init");
    let written = out.join("spec.toml");
    ok(&cli([
        "init".as_ref(),
        "--meta".as_ref(),
        imeta.as_os_str(),
        "--out".as_ref(),
        written.as_os_str(),
    ]));
    let parsed = composite_index::IndexSpec::from_path(&written).unwrap();
    assert_eq!(parsed.framework.nodes.len(), 49 + 8 + 2 + 1);
    let mut args = tables("run", &written);
    args.extend(["--out".into(), out.join("run").into()]);
    ok(&cli(&args));
    let (_, rows) = read_csv(&out.join("run/results.csv"));
    assert_eq!(rows.len(), 51);
}

#[test]
fn efficiency_writes_peers_slacks_and_a_frontier_chart() {
    let out = scratch("efficiency");
    let mut args: Vec<std::ffi::OsString> = vec!["efficiency".into()];
    args.extend(data_args());
    args.extend(["--out".into(), out.clone().into_os_string()]);
    args.extend(["--highlight".into(), "XDU".into()]);
    let text = ok(&cli(&args));
    assert!(
        text.contains("DEA (ccr_out) of 20 units: inputs HC, INF, BUS; outputs KNO, CRE."),
        "{text}"
    );
    assert!(text.contains("Dunmore's frontier peers are "), "{text}");
    let (header, rows) = read_csv(&out.join("efficiency.csv"));
    assert_eq!(rows.len(), 20);
    let scores: Vec<f64> = col(&header, &rows, "score")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(scores.iter().all(|&s| s > 0.0 && s <= 1.0));
    let efficient = col(&header, &rows, "efficient");
    let frontier: Vec<&str> = col(&header, &rows, "uCode")
        .into_iter()
        .zip(&efficient)
        .filter(|(_, e)| **e == "true")
        .map(|(u, _)| u)
        .collect();
    assert!(!frontier.is_empty());
    // Peers are frontier units; CCR output scores are 1/efficiency.
    for (r, row) in rows.iter().enumerate() {
        let peers = col(&header, &rows, "peers")[r];
        for p in peers.split(';').filter(|p| !p.is_empty()) {
            let unit = p.split(':').next().unwrap();
            assert!(frontier.contains(&unit), "{} has peer {unit}", row[0]);
        }
        let e: f64 = col(&header, &rows, "efficiency")[r].parse().unwrap();
        assert!(close(scores[r], 1.0 / e, PARITY_TOL));
    }
    assert!(header.iter().any(|h| h == "slack_KNO"));
    let (lh, lrows) = read_csv(&out.join("lambdas.csv"));
    assert_eq!((lh.len(), lrows.len()), (21, 20));
    // The chart: frontier peers labelled with their counts, the highlighted unit named.
    let chart = out.join("frontier.svg");
    let texts = svg_texts(&chart);
    assert!(texts.iter().any(|t| t == "Efficiency frontier"));
    assert!(texts.iter().any(|t| t == "Dunmore"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.ends_with(')') && t.contains(" (")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "DEA score"));
    let (w, h, ink) = render_png(&chart);
    assert!(w >= 700 && h >= 500, "{w} x {h}");
    assert!(ink > 0.02, "the frontier chart is nearly blank ({ink})");
    // Bad input: one sentence, exit code 1 for data, 2 for usage.
    let mut bad = args.clone();
    bad.extend(["--inputs".into(), "HC,nope".into()]);
    let e = fails(&cli(&bad), 1);
    assert!(e.contains("\"nope\""), "{e}");
    let mut bad = args;
    bad.extend(["--ratio".into(), "OUT".into()]);
    let e = fails(&cli(&bad), 2);
    assert!(e.contains("OUTPUT/INPUT"), "{e}");
}

#[test]
fn run_with_benefit_of_the_doubt_writes_the_optimal_weights() {
    let out = scratch("bod");
    let spec = std::fs::read_to_string(example("spec.toml")).unwrap().replace(
        "default = { method = \"arithmetic_mean\" }              # weighted mean of present children",
        "default = { method = \"arithmetic_mean\" }\nby_level = { 3 = { method = \"benefit_of_the_doubt\", scale = 100 } }",
    );
    assert!(spec.contains("benefit_of_the_doubt"));
    let path = out.join("bod_spec.toml");
    std::fs::write(&path, spec).unwrap();
    let results = out.join("out");
    let o = cli([
        "run".as_ref(),
        path.as_os_str(),
        "--data".as_ref(),
        example("data.csv").as_os_str(),
        "--out".as_ref(),
        results.as_os_str(),
        "--no-report".as_ref(),
    ]);
    ok(&o);
    let (header, rows) = read_csv(&results.join("optimal_weights/IN.csv"));
    assert_eq!(rows.len(), 20);
    assert_eq!(
        &header[..4],
        ["uCode", "share_HC", "share_INF", "share_BUS"]
    );
    for row in &rows {
        let s: f64 = row[1..4].iter().map(|c| c.parse::<f64>().unwrap()).sum();
        assert!((s - 1.0).abs() < 1e-9, "{row:?}");
    }
    let (h, r) = read_csv(&results.join("results.csv"));
    let scores: Vec<f64> = col(&h, &r, "IN")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(scores.iter().all(|&s| s > 0.0 && s <= 100.0 + 1e-9));
    assert!(scores.contains(&100.0));
}
