//! End-to-end tests of the `composite-index` command line: every subcommand on the
//! data shipped in `data/example/` and on COINr's ASEM reference data in
//! `../shared/reference/asem` (skipped without it, failing under `CI=true`, as the
//! other reference tests), checking the files written and their contents, the
//! error messages and exit codes, and that the SVG charts parse, carry their
//! labels and render to PNG.
#![cfg(feature = "cli")]

mod common;

use std::path::{Path, PathBuf};

use common::cli::{cli, example, example_imeta, fails, fixture, manifest, ok, scratch, stdout};
use common::{PARITY_TOL, asem_dir, close};
use resvg::usvg::roxmltree;

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

/// Renders a chart and checks that it is drawn: a real size, some ink and not a
/// black page, and labels.
#[track_caller]
fn assert_renders(path: &Path) {
    assert!(
        !svg_texts(path).is_empty(),
        "{} has no text",
        path.display()
    );
    let (w, h, ink) = render_png(path);
    assert!(w >= 300 && h >= 150, "{}: {w} x {h}", path.display());
    assert!(
        ink > 0.01 && ink < 0.9,
        "{}: {:.1}% of the pixels are drawn",
        path.display(),
        ink * 100.0
    );
}

#[test]
fn charts_parse_carry_labels_and_render() {
    let out = scratch("charts");
    run_example(&out);
    let charts = out.join("charts");
    // Every chart written, whatever it is, renders; and every one is in the report.
    let mut written: Vec<PathBuf> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    written.sort();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for name in [
        "ranking",
        "framework",
        "correlations",
        "aggregate-correlations",
        "treatment",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "no {name} chart in {names:?}"
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        written.len(),
        "the report embeds a different number of charts than {names:?}"
    );
    for path in &written {
        assert_renders(path);
    }
    // And each carries the labels of its data.
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
    let (w, h, _) = render_png(&charts.join("ranking.svg"));
    assert!(w >= 600 && h >= 20 * 18, "{w} x {h}");
    let framework = svg_texts(&charts.join("framework.svg"));
    assert!(
        framework.iter().any(|t| t.contains("Human capital")),
        "{framework:?}"
    );
    let correlations = svg_texts(&charts.join("correlations.svg"));
    assert!(
        correlations.iter().any(|t| t.contains("tertiary")),
        "{correlations:?}"
    );
    let treated: Vec<String> = read_csv(&out.join("treatment_log.csv"))
        .1
        .iter()
        .filter(|r| !r[4].is_empty() || !r[8].is_empty())
        .map(|r| r[0].clone())
        .collect();
    let treatment = svg_texts(&charts.join("treatment.svg"));
    for code in &treated {
        assert!(
            treatment.iter().any(|t| t.contains(code.as_str())),
            "treated indicator {code} not in the treatment chart: {treatment:?}"
        );
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
    let (w, h, _) = render_png(&out.join("uncertainty.svg"));
    assert!(w >= 600 && h >= 20 * 18, "{w} x {h}");
    assert_renders(&out.join("uncertainty.svg"));
    let texts = svg_texts(&out.join("sobol.svg"));
    assert!(texts.iter().any(|t| t == "weights level 2"));
    assert_renders(&out.join("sobol.svg"));
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
        let got = std::fs::read(out.join("datasets").join(format!("{}.csv", s.name()))).unwrap();
        assert_eq!(got, expected, "data set {}", s.name());
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
    // Ranking, framework tree and sunburst, distributions, three correlation
    // heatmaps, treatment.
    assert_eq!(html.matches("<svg").count(), 8);
    // Scripts are inline (the what-if panel): nothing is loaded.
    assert!(!html.contains("src=") && !html.contains("<link"));
    assert!(html.contains(">What if: move the weights</h2>"));
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
fn shipped_specs_are_listed_printed_copied_and_run_by_name() {
    use composite_index::instances;
    let text = ok(&cli(["specs"]));
    for name in instances::names() {
        assert!(text.contains(name), "{text}");
    }
    assert!(
        text.contains("composite-index run gii-2025 --data"),
        "{text}"
    );
    let help = ok(&cli(["--help"]));
    assert!(help.contains("gii-2025"), "{help}");
    // The TOML as shipped.
    let text = ok(&cli(["specs", "gii-2025"]));
    assert_eq!(
        text.trim_end(),
        instances::file("gii-2025.toml").unwrap().trim_end()
    );
    let e = fails(&cli(["specs", "gii-1999"]), 2);
    assert!(e.contains("gii-1999") && e.contains("gii-2025"), "{e}");

    // Copied into a folder: the spec and its node table.
    let dir = scratch("specs-copy");
    let copy = dir.join("my-gii");
    ok(&cli([
        "specs".as_ref(),
        "gii-2025".as_ref(),
        "--out".as_ref(),
        copy.as_os_str(),
    ]));
    for f in ["gii-2025.toml", "gii-2025-nodes.csv"] {
        assert_eq!(
            std::fs::read_to_string(copy.join(f)).unwrap(),
            instances::file(f).unwrap(),
            "{f}"
        );
    }
    let e = fails(
        &cli([
            "specs".as_ref(),
            "gii-2025".as_ref(),
            "--out".as_ref(),
            copy.as_os_str(),
        ]),
        2,
    );
    assert!(e.contains("exists already"), "{e}");

    // Run by name and from the copied file: the same results, and the
    // library's numbers.
    let data = manifest().join("data/gii/synthetic_2025.csv");
    let (a, b) = (dir.join("by-name"), dir.join("from-file"));
    let text = ok(&cli([
        "run".as_ref(),
        "gii-2025".as_ref(),
        "--data".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        a.as_os_str(),
        "--no-report".as_ref(),
    ]));
    assert!(text.contains("139 units, 78 indicators"), "{text}");
    ok(&cli([
        "run".as_ref(),
        copy.join("gii-2025.toml").as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        b.as_os_str(),
        "--no-report".as_ref(),
    ]));
    assert_same_results(&a, &b);
    let roles = composite_index::io::CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..Default::default()
    };
    let run = instances::gii::run(
        2025,
        composite_index::io::read_dataset_file(&data, &roles).unwrap(),
    )
    .unwrap();
    let top = &run.table().unwrap()[0];
    assert!(
        text.contains(&format!(
            "1. {} ({})",
            top.name,
            (top.score * 100.0).round() / 100.0
        )),
        "{text}"
    );
    // The validate command takes a shipped name too.
    ok(&cli([
        "validate".as_ref(),
        "pii-2025".as_ref(),
        "--data".as_ref(),
        manifest().join("data/pii/synthetic_2025.csv").as_os_str(),
    ]));
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
            "error: {spec}: indicator \"app\" is not a column of the data (did you mean \"apps\"?)."
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
    assert_renders(&out.join("correlations.svg"));
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
    use composite_index::instances::gii;
    let edition = 2025;
    let fw = gii::framework(edition).unwrap();
    let economies = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"];
    let value = |i: usize, j: usize| 1.0 + ((i * 7 + j * 13) % 17) as f64 + 0.25 * j as f64;
    let cols = fw
        .indicator_codes()
        .into_iter()
        .enumerate()
        .map(|(j, code)| (code, (0..8).map(|i| value(i, j)).collect()))
        .collect();
    let data = composite_index::Dataset::from_columns(
        economies.iter().map(|e| e.to_string()).collect(),
        cols,
    )
    .unwrap();
    let run = gii::run(edition, data).unwrap();
    let mut text = String::from("ISO3,ECONOMY_NAME,NUM,NAME,VALUE_SCREEN,SCORE,RANK\n");
    for (i, e) in economies.iter().enumerate() {
        let mut j = 0;
        for k in 0..fw.len() {
            let (n, level) = (fw.node(k), fw.level(k));
            let score = run.results.scores(&n.code).unwrap()[i];
            let rank = run.results.ranks(&n.code).unwrap()[i];
            let value = if level == 1 {
                j += 1;
                value(i, j - 1).to_string()
            } else {
                String::new()
            };
            let score = if level == 5 && i == 0 {
                score + delta
            } else {
                score
            };
            text.push_str(&format!(
                "{e},Land {e},{},\"{}\",{value},{},{}\n",
                gii::wipo_code(edition, &n.code).unwrap(),
                n.name.as_deref().unwrap().replace('"', "\"\""),
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
    let charts: Vec<PathBuf> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(charts.len() >= 4, "{charts:?}");
    assert_eq!(html.matches("<svg").count(), charts.len());
    for c in &charts {
        assert_renders(c);
    }

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

// ------------------------------------------------------------------ charts, workbooks, profiles

/// Checks a chart the way a reader would: it parses, carries `labels`, writes
/// no `NaN`/`inf` text, and once rendered with a real font (DejaVu or another
/// system sans-serif) every text lies inside the canvas. Renders it to PNG
/// beside the SVG and returns the image's size and share of non-white pixels.
fn check_chart(path: &Path, labels: &[&str]) -> (u32, u32, f64) {
    let texts = svg_texts(path);
    for label in labels {
        assert!(
            texts.iter().any(|t| t == label),
            "{label:?} not in {}: {texts:?}",
            path.display()
        );
    }
    for t in &texts {
        // Rust writes a missing or infinite number as NaN, inf or -inf.
        assert!(
            !t.contains("NaN") && !t.split(|c: char| !c.is_alphanumeric()).any(|w| w == "inf"),
            "{}: text {t:?}",
            path.display()
        );
    }
    // Nothing clipped: the rendered bounding box of every text inside the canvas.
    // The system fonts are loaded once for all charts.
    static FONTS: std::sync::OnceLock<(std::sync::Arc<resvg::usvg::fontdb::Database>, bool)> =
        std::sync::OnceLock::new();
    let (db, has_sans) = FONTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        let sans = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"]
            .into_iter()
            .find(|family| {
                db.faces()
                    .any(|f| f.families.iter().any(|(name, _)| name == family))
            });
        if let Some(family) = sans {
            db.set_sans_serif_family(family);
        }
        (std::sync::Arc::new(db), sans.is_some())
    });
    let opt = resvg::usvg::Options {
        fontdb: std::sync::Arc::clone(db),
        ..Default::default()
    };
    match *has_sans {
        true => {
            let text = std::fs::read_to_string(path).unwrap();
            let tree = resvg::usvg::Tree::from_str(&text, &opt).expect("the SVG renders");
            let (w, h) = (tree.size().width(), tree.size().height());
            let mut n = 0;
            fn walk(g: &resvg::usvg::Group, out: &mut Vec<(String, resvg::usvg::Rect)>) {
                for node in g.children() {
                    match node {
                        resvg::usvg::Node::Group(g) => walk(g, out),
                        resvg::usvg::Node::Text(t) => {
                            let s: String = t.chunks().iter().map(|c| c.text()).collect();
                            out.push((s, t.abs_bounding_box()));
                        }
                        _ => {}
                    }
                }
            }
            let mut boxes = Vec::new();
            walk(tree.root(), &mut boxes);
            for (s, b) in &boxes {
                n += 1;
                assert!(
                    b.left() >= -0.5
                        && b.top() >= -0.5
                        && b.right() <= w + 0.5
                        && b.bottom() <= h + 0.5,
                    "{}: text {s:?} is clipped: {b:?} outside {w} x {h}",
                    path.display()
                );
            }
            assert!(
                n >= texts.len().min(1),
                "{}: no text was rendered",
                path.display()
            );
        }
        false => common::skip_or_fail(
            "no sans-serif system font",
            "texts are not checked for clipping",
        ),
    }
    render_png(path)
}

/// Every chart of `plot` on a run: scatter (groups, log fit, highlights), dot,
/// box, violin and histogram, sunburst and correlation matrix (with its CSV).
fn plot_every_chart(input: &[std::ffi::OsString], out: &Path, names: &PlotNames) {
    let plot = |args: &[&str], file: &str| -> PathBuf {
        let path = out.join(file);
        let mut a: Vec<std::ffi::OsString> = vec!["plot".into(), args[0].into()];
        a.extend(input.iter().cloned());
        a.extend(args[1..].iter().map(std::ffi::OsString::from));
        a.extend(["--out".into(), path.clone().into()]);
        let text = ok(&cli(&a));
        assert!(text.contains("Wrote the"), "{text}");
        path
    };
    let scatter = plot(
        &[
            "scatter",
            "--x",
            names.x,
            "--y",
            names.index,
            "--fit",
            "log",
            "--group",
            names.group,
            "--highlight",
            names.unit,
        ],
        "scatter.svg",
    );
    let (w, h, ink) = check_chart(
        &scatter,
        &[names.unit_name, &format!("{} (log scale)", names.x_label)],
    );
    assert!(w >= 800 && h >= 500 && ink > 0.02, "{w} x {h}, {ink}");
    let dot = plot(&["dot", "--unit", names.unit], "dot.svg");
    check_chart(&dot, &[names.index_name]);
    for kind in ["box", "violin", "histogram"] {
        let p = plot(&["dist", "--kind", kind], &format!("dist-{kind}.svg"));
        let (_, _, ink) = check_chart(&p, &[names.indicator]);
        assert!(ink > 0.02, "{kind}: {ink}");
    }
    let sun = plot(&["sunburst"], "sunburst.svg");
    check_chart(&sun, &[names.index]);
    let csv = out.join("matrix.csv");
    let corr = plot(&["corr", "--csv", csv.to_str().unwrap()], "corr.svg");
    check_chart(&corr, &[names.indicator]);
    let (hd, rows) = read_csv(&csv);
    assert_eq!(hd.len(), rows.len() + 1);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(
            r[i + 1].parse::<f64>().unwrap(),
            1.0,
            "diagonal of {}",
            r[0]
        );
    }
}

/// The names `plot_every_chart` uses on ASEM case A.
const ASEM_PLOT: PlotNames<'static> = PlotNames {
    index: "Index",
    index_name: "Sustainable Connectivity",
    unit: "AUT",
    unit_name: "Austria",
    indicator: "LPI",
    group: "EurAsia_group",
    x: "GDP",
    x_label: "GDP",
};

struct PlotNames<'a> {
    index: &'a str,
    index_name: &'a str,
    unit: &'a str,
    unit_name: &'a str,
    indicator: &'a str,
    group: &'a str,
    x: &'a str,
    x_label: &'a str,
}

#[test]
fn plot_draws_every_coinr_chart() {
    let out = scratch("plot");
    plot_every_chart(
        &data_args(),
        &out,
        &PlotNames {
            index: "Index",
            index_name: "Example Innovation Index",
            unit: "XKE",
            unit_name: "Kestrel Isles",
            indicator: "patents",
            group: "Region",
            x: "Population",
            x_label: "Population",
        },
    );
    // Errors are one sentence: an unknown variable is a usage error.
    let mut a: Vec<std::ffi::OsString> = vec!["plot".into(), "scatter".into()];
    a.extend(data_args());
    a.extend(["--x", "nothing", "--y", "Index", "--out"].map(std::ffi::OsString::from));
    a.push(out.join("bad.svg").into());
    let e = fails(&cli(&a), 2);
    assert!(e.contains("\"nothing\""), "{e}");
    assert!(!out.join("bad.svg").exists());
}

/// Reads every sheet of a workbook with calamine.
fn read_workbook(path: &Path) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path)
        .unwrap_or_else(|e| panic!("{} does not open: {e}", path.display()));
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let cells = (0..rows)
                .map(|r| {
                    (0..cols)
                        .map(|c| range.get_value((r, c)).cloned().unwrap_or_default())
                        .collect()
                })
                .collect();
            (name, cells)
        })
        .collect()
}

/// Asserts that a sheet holds exactly the cells of a CSV file: the same header
/// and rows, numbers equal as `f64`, flags as `true`/`TRUE`, empty cells empty.
/// Returns the number of cells compared.
fn assert_sheet_is_csv(sheet: &str, cells: &[Vec<calamine::Data>], csv: &Path) -> usize {
    use calamine::Data;
    let (header, rows) = read_csv(csv);
    let all: Vec<&Vec<String>> = std::iter::once(&header).chain(&rows).collect();
    assert_eq!(
        cells.len(),
        all.len(),
        "{sheet}: rows of the sheet vs {}",
        csv.display()
    );
    let mut n = 0;
    for (r, (got, want)) in cells.iter().zip(&all).enumerate() {
        let width = got.len().max(want.len());
        for c in 0..width {
            let g = got.get(c).unwrap_or(&Data::Empty);
            let w = want.get(c).map_or("", String::as_str);
            let same = match g {
                Data::Empty => w.is_empty(),
                Data::String(s) => s == w,
                Data::Float(f) => w.parse::<f64>().is_ok_and(|x| x == *f),
                Data::Int(i) => w.parse::<i64>().is_ok_and(|x| x == *i),
                Data::Bool(b) => w.eq_ignore_ascii_case(&b.to_string()),
                other => panic!("{sheet}: unexpected cell {other:?}"),
            };
            assert!(
                same,
                "{sheet}, row {}, column {}: sheet {g:?} vs CSV {w:?} ({})",
                r + 1,
                c + 1,
                csv.display()
            );
            n += 1;
        }
    }
    n
}

/// Compares every sheet of a workbook written in `out` with the CSV file of the
/// same name in `out` (data sets in `out/datasets`); the `contents` and `spec`
/// sheets have no CSV. Returns the sheet names.
fn assert_workbook_is_csvs(book: &Path, out: &Path) -> Vec<String> {
    let sheets = read_workbook(book);
    let mut names = Vec::new();
    let mut cells = 0;
    for (name, rows) in &sheets {
        names.push(name.clone());
        if name == "contents" || name == "spec" {
            continue;
        }
        let csv = [
            out.join(format!("{name}.csv")),
            out.join("datasets").join(format!("{name}.csv")),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("sheet {name} has no CSV file in {}", out.display()));
        cells += assert_sheet_is_csv(name, rows, &csv);
    }
    assert!(cells > 100, "only {cells} cells compared");
    names
}

#[test]
fn run_writes_a_workbook_equal_to_its_csv_files_and_profiles() {
    let out = scratch("run-xlsx");
    let mut args: Vec<std::ffi::OsString> = vec!["run".into()];
    args.extend(data_args());
    args.extend(
        [
            "--xlsx",
            "--profiles",
            "--development",
            "Population",
            "--noun",
            "economies",
            "--out",
        ]
        .map(std::ffi::OsString::from),
    );
    args.push(out.clone().into());
    let text = ok(&cli(&args));
    assert!(text.contains("Wrote 20 economy profiles"), "{text}");
    let names = assert_workbook_is_csvs(&out.join("results.xlsx"), &out);
    for sheet in [
        "contents",
        "spec",
        "results",
        "ranks",
        "framework",
        "treatment_log",
        "raw",
        "treated",
        "normalised",
        "aggregated",
        "profile_summary",
        "profiles",
    ] {
        assert!(
            names.iter().any(|n| n == sheet),
            "no sheet {sheet} in {names:?}"
        );
    }
    // The spec sheet holds the specification, line by line.
    let sheets = read_workbook(&out.join("results.xlsx"));
    let spec = &sheets.iter().find(|(n, _)| n == "spec").unwrap().1;
    let (p, r) = library_example();
    let toml_lines: Vec<&str> = {
        let t = Box::leak(p.spec().to_toml().unwrap().into_boxed_str());
        t.lines().collect()
    };
    for (k, line) in toml_lines.iter().enumerate() {
        let cell = spec
            .get(k + 1)
            .and_then(|row| row.first())
            .cloned()
            .unwrap_or_default();
        match cell {
            calamine::Data::String(s) => assert_eq!(&s, line),
            calamine::Data::Empty => assert!(line.is_empty(), "line {k}: {line:?}"),
            other => panic!("{other:?}"),
        }
    }
    // The library writes the same workbook (cell for cell) as the command line.
    let mut book = composite_index::workbook::Workbook::run(&p, &r).unwrap();
    let options = composite_index::insights::EconomyProfileOptions {
        noun: "economies".into(),
        development: Some(composite_index::insights::DevelopmentCovariate::new(
            "Population",
        )),
        ..Default::default()
    };
    let profiles = composite_index::insights::economy_profiles(&p, &r, &options, None).unwrap();
    book.tables
        .extend(composite_index::tables::profiles(&profiles));
    let lib_path = out.join("library.xlsx");
    book.save(&lib_path).unwrap();
    assert_eq!(read_workbook(&lib_path), sheets);
    // Profiles: one page per unit and an index, in HTML.
    let page = std::fs::read_to_string(out.join("profiles/XKE.html")).unwrap();
    assert!(
        page.contains("<h1>Kestrel Isles (XKE)</h1>"),
        "{}",
        &page[..400]
    );
    assert!(page.contains("rank 1st of 20 economies"), "{page}");
    assert!(page.contains("of 20 economies") && page.contains("(Region)"));
    assert!(page.contains("Against its level of development (Population"));
    assert!(page.contains("Strengths and weaknesses") && page.contains("<svg"));
    let index = std::fs::read_to_string(out.join("profiles/index.html")).unwrap();
    assert_eq!(index.matches("<a href=\"").count(), 20);
    let (h, rows) = read_csv(&out.join("profile_summary.csv"));
    assert_eq!(rows.len(), 20);
    let xke = col(&h, &rows, "uCode")
        .iter()
        .position(|c| *c == "XKE")
        .unwrap();
    assert_eq!(col(&h, &rows, "rank")[xke], "1");
    assert!(
        col(&h, &rows, "performance")
            .iter()
            .all(|p| ["above", "below", "as_expected"].contains(p))
    );
}

#[test]
fn audit_and_uncertainty_workbooks_equal_their_csv_files() {
    let out = scratch("audit-xlsx");
    let mut args: Vec<std::ffi::OsString> = vec!["audit".into()];
    args.extend(data_args());
    args.extend(
        [
            "--xlsx",
            "--stats-layout",
            "coinr",
            "--dataset",
            "denominated",
            "--out",
        ]
        .map(std::ffi::OsString::from),
    );
    args.push(out.clone().into());
    ok(&cli(&args));
    let names = assert_workbook_is_csvs(&out.join("audit.xlsx"), &out);
    assert!(names.iter().any(|n| n == "correlation_matrix"), "{names:?}");
    let (h, rows) = read_csv(&out.join("statistics.csv"));
    assert_eq!(&h[..3], ["iCode", "Min", "Max"]);
    assert!(h.iter().any(|c| c == "N.Same") && h.iter().any(|c| c == "Flag.Unique"));
    let flags = col(&h, &rows, "Flag.SkewKurt");
    assert!(
        flags.iter().all(|f| ["ok", "OUT", ""].contains(f)),
        "{flags:?}"
    );
    // Skewness and kurtosis of the treat step's input, as the treatment log has
    // them; OUT exactly where |skew| > 2 and kurtosis > 3.5 (COINr's defaults).
    let run = scratch("audit-xlsx-run");
    run_example(&run);
    let (th, trows) = read_csv(&run.join("treatment_log.csv"));
    let mut out_count = 0;
    for (k, code) in col(&h, &rows, "iCode").into_iter().enumerate() {
        let t = col(&th, &trows, "iCode")
            .iter()
            .position(|c| *c == code)
            .unwrap();
        let skew: f64 = col(&h, &rows, "Skew")[k].parse().unwrap();
        let kurt: f64 = col(&h, &rows, "Kurt")[k].parse().unwrap();
        assert_eq!(
            skew,
            col(&th, &trows, "check_SkewKurt0.Skew")[t]
                .parse::<f64>()
                .unwrap(),
            "{code}"
        );
        assert_eq!(
            kurt,
            col(&th, &trows, "check_SkewKurt0.Kurt")[t]
                .parse::<f64>()
                .unwrap(),
            "{code}"
        );
        let out = skew.abs() > 2.0 && kurt > 3.5;
        assert_eq!(flags[k] == "OUT", out, "{code}");
        out_count += usize::from(out);
    }
    assert!(out_count >= 2, "{out_count}");

    let out = scratch("uncertainty-xlsx");
    let mut args: Vec<std::ffi::OsString> = vec!["uncertainty".into()];
    args.extend(data_args());
    args.extend(
        [
            "--runs",
            "60",
            "--sobol",
            "16",
            "--bootstrap",
            "20",
            "-q",
            "--xlsx",
            "--profiles",
            "--out",
        ]
        .map(std::ffi::OsString::from),
    );
    args.push(out.clone().into());
    ok(&cli(&args));
    let names = assert_workbook_is_csvs(&out.join("uncertainty.xlsx"), &out);
    for sheet in ["results", "rank_intervals", "sobol", "profile_summary"] {
        assert!(
            names.iter().any(|n| n == sheet),
            "no sheet {sheet} in {names:?}"
        );
    }
    let (h, rows) = read_csv(&out.join("profile_summary.csv"));
    for r in &rows {
        let get = |c: &str| {
            col(&h, std::slice::from_ref(r), c)[0]
                .parse::<f64>()
                .unwrap()
        };
        assert!(get("q05_rank") <= get("median_rank") && get("median_rank") <= get("q95_rank"));
    }
    let page = std::fs::read_to_string(out.join("profiles/XAV.html")).unwrap();
    assert!(
        page.contains("Uncertainty analysis (60 runs): median rank"),
        "{page}"
    );
}

/// On ASEM case A: the workbook of `run` equals its CSV files (whose data sets
/// equal COINr's), the audit's COINr statistics flag exactly the indicators
/// COINr's treatment log flags, the profiles are written, every chart of `plot`
/// is drawn and checked, and the library makes the same outputs.
#[test]
fn asem_workbooks_statistics_and_profiles() {
    let Some(dir) = asem_dir() else {
        return;
    };
    let case = dir.join("case_a_default");
    let out = scratch("asem-xlsx");
    ok(&cli([
        "run".as_ref(),
        fixture("asem_project.toml").as_os_str(),
        "--xlsx".as_ref(),
        "--profiles".as_ref(),
        "--development".as_ref(),
        "GDP/Population".as_ref(),
        "--noun".as_ref(),
        "countries".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]));
    let names = assert_workbook_is_csvs(&out.join("results.xlsx"), &out);
    for set in [
        "denominated",
        "imputed",
        "screened",
        "treated",
        "normalised",
        "aggregated",
    ] {
        assert!(names.iter().any(|n| n == set), "{set}");
        assert_csv_matches(
            &out.join("datasets").join(format!("{set}.csv")),
            &case.join(format!("{set}.csv")),
        );
    }
    for sheet in [
        "imputation",
        "screening",
        "denominated_missing",
        "profiles",
        "profile_summary",
    ] {
        assert!(
            names.iter().any(|n| n == sheet),
            "no sheet {sheet} in {names:?}"
        );
    }
    let page = std::fs::read_to_string(out.join("profiles/AUT.html")).unwrap();
    assert!(page.contains("rank 7th of 51 countries"), "{page}");
    assert!(page.contains("of 30 countries in Europe (EurAsia_group)"));
    // COINr's flags on the treat step's input flag what COINr's treatment log flags.
    let audit = scratch("asem-audit-coinr");
    ok(&cli([
        "audit".as_ref(),
        fixture("asem_project.toml").as_os_str(),
        "--dataset".as_ref(),
        "screened".as_ref(),
        "--stats-layout".as_ref(),
        "coinr".as_ref(),
        "--xlsx".as_ref(),
        "--out".as_ref(),
        audit.as_os_str(),
    ]));
    assert_workbook_is_csvs(&audit.join("audit.xlsx"), &audit);
    let (h, rows) = read_csv(&audit.join("statistics.csv"));
    let (th, trows) = read_csv(&case.join("treatment_log.csv"));
    let failing: Vec<&str> = col(&th, &trows, "iCode")
        .into_iter()
        .zip(col(&th, &trows, "check_SkewKurt0.Pass"))
        .filter(|(_, p)| *p == "FALSE")
        .map(|(c, _)| c)
        .collect();
    let flagged: Vec<&str> = col(&h, &rows, "iCode")
        .into_iter()
        .zip(col(&h, &rows, "Flag.SkewKurt"))
        .filter(|(_, f)| *f == "OUT")
        .map(|(c, _)| c)
        .collect();
    assert!(!failing.is_empty());
    assert_eq!(flagged, failing);
    // N.Avail of every indicator, against the screened data set itself.
    let screened = read_csv(&case.join("screened.csv"));
    for (code, n) in col(&h, &rows, "iCode")
        .into_iter()
        .zip(col(&h, &rows, "N.Avail"))
    {
        let present = col(&screened.0, &screened.1, code)
            .iter()
            .filter(|v| !v.is_empty() && **v != "NA")
            .count();
        assert_eq!(n.parse::<usize>().unwrap(), present, "{code}");
    }
    let (ch, crows) = read_csv(&audit.join("correlation_matrix.csv"));
    assert_eq!(ch.len(), 49 + 8 + 2 + 1 + 1);
    assert_eq!(crows.len(), 49 + 8 + 2 + 1);

    // The library makes the same outputs: workbook and profiles cell for cell,
    // audit tables byte for byte, charts identical.
    use composite_index::report::{
        CorrelationHeatmap, DistributionKind, DistributionPlot, DotPlot, FrameworkSunburst,
        ScatterChart,
    };
    let (framework, data) = common::asem(&dir);
    let mut spec = composite_index::IndexSpec::from_path(fixture("asem_case_a.toml")).unwrap();
    spec.framework = framework;
    let p = composite_index::Pipeline::new(spec, data).unwrap();
    let r = p.run().unwrap();
    let mut book = composite_index::workbook::Workbook::run(&p, &r).unwrap();
    let options = composite_index::insights::EconomyProfileOptions {
        noun: "countries".into(),
        development: Some(
            composite_index::insights::DevelopmentCovariate::new("GDP").per("Population"),
        ),
        ..Default::default()
    };
    let profiles = composite_index::insights::economy_profiles(&p, &r, &options, None).unwrap();
    book.tables
        .extend(composite_index::tables::profiles(&profiles));
    let lib = out.join("library.xlsx");
    book.save(&lib).unwrap();
    assert_eq!(
        read_workbook(&lib),
        read_workbook(&out.join("results.xlsx"))
    );
    let (pages, _) = composite_index::report::profile_pages(&p, &r, &profiles).unwrap();
    let aut = pages.iter().find(|pg| pg.unit == "AUT").unwrap();
    assert_eq!(
        aut.page.to_html(),
        std::fs::read_to_string(out.join("profiles").join(&aut.file)).unwrap()
    );
    let options = composite_index::audit::AuditOptions {
        dataset: "screened".into(),
        ..Default::default()
    };
    let report = composite_index::audit::standard_audit(&p, &r, &options).unwrap();
    let layout =
        composite_index::workbook::StatsLayout::Coinr(composite_index::tables::FlagStyle::Coinr);
    for t in composite_index::workbook::audit_tables(&report, layout) {
        let file = std::fs::read_to_string(audit.join(format!("{}.csv", t.name))).unwrap();
        assert_eq!(t.to_csv().unwrap(), file, "{}", t.name);
    }
    let plots = scratch("asem-plot-library");
    plot_every_chart(&[fixture("asem_project.toml").into()], &plots, &ASEM_PLOT);
    let fw = p.framework();
    let normalised = r.dataset("normalised").unwrap();
    let nodes: Vec<String> = ["Index", "Conn", "Sust"].map(String::from).to_vec();
    let library_svgs = [
        (
            "scatter",
            ScatterChart::from_results(&p, &r, "GDP", "Index")
                .unwrap()
                .grouped_by(&p, &r, "EurAsia_group")
                .unwrap()
                .with_fit(composite_index::insights::CovariateTransform::Ln, 1)
                .unwrap()
                .highlight_labels(&["Austria"])
                .to_svg()
                .unwrap(),
        ),
        (
            "dot",
            DotPlot::from_results(&p, &r, "AUT", &nodes)
                .unwrap()
                .to_svg()
                .unwrap(),
        ),
        (
            "dist-violin",
            DistributionPlot::from_dataset(
                normalised,
                &fw.indicator_codes(),
                DistributionKind::Violin,
            )
            .unwrap()
            .to_svg()
            .unwrap(),
        ),
        (
            "sunburst",
            FrameworkSunburst::from_framework(fw, None)
                .unwrap()
                .to_svg()
                .unwrap(),
        ),
        (
            "corr",
            CorrelationHeatmap::of_group(
                normalised,
                fw,
                "Index",
                composite_index::audit::CorrelationMethod::Pearson,
            )
            .unwrap()
            .to_svg()
            .unwrap(),
        ),
    ];
    for (name, svg) in library_svgs {
        assert_eq!(
            svg,
            std::fs::read_to_string(plots.join(format!("{name}.svg"))).unwrap(),
            "{name}: library and command line differ"
        );
    }
}

/// A COIN Tool workbook (Database and Framework sheets) as COINr's
/// `import_coin_tool` reads it, written for the command-line tests.
fn coin_tool_workbook(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let db = book.add_worksheet().set_name("Database").unwrap();
    let inds = [
        ("Ind.01", "p.01", 1.0),
        ("Ind.02", "p.01", -1.0),
        ("Ind.03", "p.02", 1.0),
    ];
    for (j, (code, pillar, dir)) in inds.iter().enumerate() {
        let c = 4 + j as u16;
        db.write_number(6, c, 1.0).unwrap();
        db.write_number(7, c, *dir).unwrap();
        for (row, v) in [(13, "sp.01"), (12, *pillar), (11, "si.01"), (10, "Index")] {
            db.write_string(row, c, v).unwrap();
        }
        db.write_string(14, c, format!("Indicator {}", j + 1))
            .unwrap();
        db.write_string(15, c, *code).unwrap();
    }
    for (i, (name, code)) in [
        ("Avalon", "AVA"),
        ("Brightwater", "BRI"),
        ("Coldharbour", "COL"),
    ]
    .iter()
    .enumerate()
    {
        let r = 16 + i as u32;
        db.write_string(r, 1, *name).unwrap();
        db.write_string(r, 2, *code).unwrap();
        for j in 0..3u16 {
            db.write_number(r, 4 + j, f64::from(i as u32 * 3 + u32::from(j) + 1))
                .unwrap();
        }
    }
    let fw = book.add_worksheet().set_name("Framework").unwrap();
    for (i, (code, name)) in [
        ("p.01", "First"),
        ("p.02", "Second"),
        ("si.01", "All"),
        ("Index", "Tool index"),
    ]
    .iter()
    .enumerate()
    {
        fw.write_string(4 + i as u32, 2, *code).unwrap();
        fw.write_number(4 + i as u32, 4, 1.0).unwrap();
        fw.write_string(4 + i as u32, 7, *name).unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_coin_tool_workbook_moves_over() {
    let out = scratch("coin-tool");
    let tool = out.join("tool.xlsx");
    coin_tool_workbook(&tool);
    let spec = out.join("spec.toml");
    let text = ok(&cli([
        "init".as_ref(),
        "--coin-tool".as_ref(),
        tool.as_os_str(),
        "--out".as_ref(),
        spec.as_os_str(),
    ]));
    assert!(text.contains("--coin-tool"), "{text}");
    let text = ok(&cli([
        "run".as_ref(),
        spec.as_os_str(),
        "--coin-tool".as_ref(),
        tool.as_os_str(),
        "--out".as_ref(),
        out.join("run").as_os_str(),
    ]));
    assert!(text.contains("3 units, 3 indicators"), "{text}");
    let (h, rows) = read_csv(&out.join("run/framework.csv"));
    assert_eq!(
        col(&h, &rows, "iCode"),
        ["Ind.01", "Ind.02", "Ind.03", "p.01", "p.02", "Index"]
    );
    assert_eq!(col(&h, &rows, "Direction")[1], "-1");
    // CSV options do not apply to a workbook.
    let e = fails(
        &cli([
            "run".as_ref(),
            spec.as_os_str(),
            "--coin-tool".as_ref(),
            tool.as_os_str(),
            "--groups".as_ref(),
            "x".as_ref(),
            "--out".as_ref(),
            out.join("bad").as_os_str(),
        ]),
        2,
    );
    assert!(e.contains("--coin-tool"), "{e}");
}

/// The chart check fails on a text outside the canvas (so it can fail).
#[test]
#[should_panic(expected = "is clipped")]
fn the_chart_check_catches_a_clipped_text() {
    let path = scratch("clipped").join("clipped.svg");
    std::fs::write(
        &path,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">\
         <text x=\"150\" y=\"50\" font-family=\"sans-serif\" font-size=\"14\">Kestrel Isles</text></svg>",
    )
    .unwrap();
    check_chart(&path, &["Kestrel Isles"]);
}

/// A panel over 2023-2025 made from the example data: each year's numbers are
/// the example's scaled by a per-cell factor; the last unit has no 2024 row.
fn example_panel(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(example("data.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut out = format!("{header},Time\n");
    for (k, year) in [2023, 2024, 2025].into_iter().enumerate() {
        for (i, row) in rows.iter().enumerate() {
            if year == 2024 && i + 1 == rows.len() {
                continue;
            }
            let cells: Vec<String> = row
                .split(',')
                .enumerate()
                .map(|(j, c)| match c.parse::<f64>() {
                    Ok(v) if j > 3 => {
                        let f = 1.0 + 0.04 * k as f64 * (((i * 7 + j * 3) % 11) as f64 - 4.0);
                        (v * f).to_string()
                    }
                    _ => c.to_owned(),
                })
                .collect();
            out.push_str(&format!("{},{year}\n", cells.join(",")));
        }
    }
    let path = dir.join("panel.csv");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn panel_run_writes_long_tables_changes_and_charts_over_time() {
    let dir = scratch("panel-run");
    let data = example_panel(&dir);
    let out = dir.join("out");
    let text = ok(&cli([
        "run".as_ref(),
        example("spec.toml").as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]));
    assert!(text.contains("3 editions (2023, 2024, 2025)"), "{text}");
    assert!(text.contains("per year"), "{text}");
    // Every data set is one long table: uCode, Time, then the columns, sorted
    // by Time then uCode.
    let (h, rows) = read_csv(&out.join("datasets/aggregated.csv"));
    assert_eq!(&h[..2], ["uCode", "Time"]);
    let keys: Vec<(String, String)> = rows.iter().map(|r| (r[1].clone(), r[0].clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let years = col(&h, &rows, "Time");
    assert_eq!(
        years.iter().filter(|y| **y == "2024").count() + 1,
        years.iter().filter(|y| **y == "2023").count()
    );
    let (h, rows) = read_csv(&out.join("changes.csv"));
    assert!(col(&h, &rows, "status").contains(&"left"));
    assert!(col(&h, &rows, "basis")[0].contains("own framework"));
    let (h, rows) = read_csv(&out.join("results.csv"));
    assert_eq!(&h[..3], ["uCode", "uName", "Time"]);
    assert!(!rows.is_empty());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("Changes since the previous edition"),
        "no changes section"
    );
    assert!(html.contains("Rank of Index over the editions"));
    for chart in ["bump", "scores"] {
        let path = out.join(format!("charts/{chart}.svg"));
        assert!(svg_texts(&path).iter().any(|t| t == "2025"), "{chart}");
        let (w, h, ink) = render_png(&path);
        assert!(
            w >= 500 && h >= 250 && ink > 0.02,
            "{chart}: {w} x {h}, {ink}"
        );
    }
    assert!(out.join("treatment_log_2025.csv").is_file());
}

#[test]
fn trends_command_writes_changes_streaks_movers_and_trends() {
    let dir = scratch("panel-trends");
    let data = example_panel(&dir);
    let out = dir.join("out");
    let text = ok(&cli([
        "trends".as_ref(),
        example("spec.toml").as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--group".as_ref(),
        "Region".as_ref(),
        "--metric".as_ref(),
        "prc-change".as_ref(),
    ]));
    assert!(text.contains("3 editions"), "{text}");
    for f in [
        "rank_changes.csv",
        "streaks.csv",
        "movers.csv",
        "trends.csv",
        "basis.txt",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let (h, rows) = read_csv(&out.join("trends.csv"));
    assert_eq!(h[2], "prc_change");
    assert!(col(&h, &rows, "iCode").contains(&"Index"));
    let (h, rows) = read_csv(&out.join("movers.csv"));
    assert!(col(&h, &rows, "group").iter().any(|g| *g != "all"));
    render_png(&out.join("bump.svg"));
    // A single-year table is not a panel.
    let e = fails(
        &cli([
            "trends".as_ref(),
            example("spec.toml").as_os_str(),
            "--data".as_ref(),
            example("data.csv").as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]),
        2,
    );
    assert!(e.contains("panel data"), "{e}");
}

#[test]
fn panel_errors_name_the_rows_and_the_edition_spec_option() {
    let dir = scratch("panel-errors");
    let data = example_panel(&dir);
    let text = std::fs::read_to_string(&data).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let dup = lines[1].to_owned();
    lines.push(&dup);
    let bad = dir.join("dup.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let e = fails(
        &cli([
            "run".as_ref(),
            example("spec.toml").as_os_str(),
            "--data".as_ref(),
            bad.as_os_str(),
            "--out".as_ref(),
            dir.join("o").as_os_str(),
        ]),
        1,
    );
    assert!(e.contains("has two rows for time 2023"), "{e}");
    let e = fails(
        &cli([
            "run".as_ref(),
            example("spec.toml").as_os_str(),
            "--data".as_ref(),
            data.as_os_str(),
            "--out".as_ref(),
            dir.join("o").as_os_str(),
            "--edition-spec".as_ref(),
            "1999=x.toml".as_ref(),
        ]),
        2,
    );
    assert!(e.contains("not an edition"), "{e}");
    // validate reads panel data; audit works on one edition and says so.
    let text = ok(&cli([
        "validate".as_ref(),
        example("spec.toml").as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
    ]));
    assert!(
        text.contains("is valid: 3 editions (2023, 2024, 2025)"),
        "{text}"
    );
    let e = fails(
        &cli([
            "audit".as_ref(),
            example("spec.toml").as_os_str(),
            "--data".as_ref(),
            data.as_os_str(),
            "--out".as_ref(),
            dir.join("a").as_os_str(),
        ]),
        2,
    );
    assert!(e.contains("several editions"), "{e}");
}

#[test]
fn asem_panel_run_matches_coinr_from_the_command_line() {
    let Some(dir) = common::shared(
        "reference/asem_panel",
        "iData_p_gaps.csv",
        "CLI panel parity not checked",
    ) else {
        return;
    };
    let out = scratch("asem-panel");
    let spec = out.join("p1.toml");
    std::fs::write(
        &spec,
        "spec_version = 1\nframework = { nodes = [] }\n\n[[steps]]\nstage = \"impute_panel\"\nmethod = { method = \"linear_constant\" }\n\n[[steps]]\nstage = \"normalise\"\ndefault = { method = \"min_max\", lo = 0, hi = 100 }\n\n[[steps]]\nstage = \"aggregate\"\n",
    )
    .unwrap();
    ok(&cli([
        "run".as_ref(),
        spec.as_os_str(),
        "--imeta".as_ref(),
        dir.join("../asem/iMeta.csv").as_os_str(),
        "--idata".as_ref(),
        dir.join("iData_p_gaps.csv").as_os_str(),
        "--out".as_ref(),
        out.join("run").as_os_str(),
    ]));
    let (h, rows) = read_csv(&out.join("run/datasets/aggregated.csv"));
    let (rh, rrows) = read_csv(&dir.join("p1_linconst_minmax_year/aggregated.csv"));
    assert_eq!(rows.len(), rrows.len());
    let mut n = 0;
    for (r, e) in rows.iter().zip(&rrows) {
        assert_eq!(
            (&r[0], r[1].parse::<f64>().unwrap()),
            (&e[1], e[0].parse::<f64>().unwrap())
        );
        for (j, name) in rh.iter().enumerate().skip(2) {
            let k = h.iter().position(|x| x == name).unwrap();
            let (a, b) = (
                r[k].parse::<f64>().unwrap_or(f64::NAN),
                e[j].parse::<f64>().unwrap_or(f64::NAN),
            );
            assert!(close(a, b, PARITY_TOL), "{name} {}: {a} vs {b}", r[0]);
            n += 1;
        }
    }
    assert!(n > 255 * 49);
}

#[test]
fn long_tables_and_edition_specs() {
    let dir = scratch("panel-long");
    let wide = example_panel(&dir);
    // The same panel as a long table: uCode, uName, Time, iCode, Value.
    let (h, rows) = read_csv(&wide);
    let mut long = String::from("uCode,uName,Time,iCode,Value\n");
    let time = h.iter().position(|x| x == "Time").unwrap();
    for r in &rows {
        for (j, name) in h.iter().enumerate() {
            if j > 1 && j != time {
                long.push_str(&format!("{},{},{},{name},{}\n", r[0], r[1], r[time], r[j]));
            }
        }
    }
    let long_path = dir.join("long.csv");
    std::fs::write(&long_path, long).unwrap();
    let run = |data: &Path, out: &Path, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = vec![
            "run".into(),
            example("spec.toml").into(),
            "--data".into(),
            data.into(),
            "--out".into(),
            out.into(),
            "--no-report".into(),
        ];
        args.extend(extra.iter().map(|s| s.into()));
        ok(&cli(&args))
    };
    run(&wide, &dir.join("wide-out"), &[]);
    run(&long_path, &dir.join("long-out"), &["--groups", "Region"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("wide-out/datasets/aggregated.csv")).unwrap(),
        std::fs::read_to_string(dir.join("long-out/datasets/aggregated.csv")).unwrap()
    );
    // 2025 on its own specification, where one indicator has another name: the
    // framework change is reported, and that indicator is not compared.
    let spec = std::fs::read_to_string(example("spec.toml")).unwrap();
    let renamed = spec.replace(
        "Education spending, % of GDP",
        "Public education spending per pupil",
    );
    assert_ne!(spec, renamed);
    let spec25 = dir.join("spec_2025.toml");
    std::fs::write(&spec25, renamed).unwrap();
    let out = dir.join("trends");
    ok(&cli([
        "trends".as_ref(),
        example("spec.toml").as_os_str(),
        "--data".as_ref(),
        wide.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--edition-spec".as_ref(),
        format!("2025={}", spec25.display()).as_ref(),
    ]));
    let (h, rows) = read_csv(&out.join("framework_changes.csv"));
    assert_eq!(col(&h, &rows, "code"), vec!["edu_spend"]);
    // On the indicators in common (edu_spend left out of both), and with an
    // explicit match (edu_spend kept).
    let common = |extra: &[&str]| {
        let out = dir.join("common");
        let mut args: Vec<std::ffi::OsString> = vec![
            "trends".into(),
            example("spec.toml").into(),
            "--data".into(),
            wide.clone().into(),
            "--out".into(),
            out.clone().into(),
            "--edition-spec".into(),
            format!("2025={}", spec25.display()).into(),
            "--common".into(),
        ];
        args.extend(extra.iter().map(|s| s.into()));
        ok(&cli(&args));
        let (h, rows) = read_csv(&out.join("rank_changes_common.csv"));
        col(&h, &rows, "basis")[0].to_owned()
    };
    let basis = common(&[]);
    assert!(
        basis.contains("recomputed on the 11 indicators they have in common"),
        "{basis}"
    );
    let basis = common(&["--match-indicator", "edu_spend=edu_spend"]);
    assert!(basis.contains("on the 12 indicators"), "{basis}");
    // A unit mapping: XBR of 2025 is formed by merging XAV and XBR.
    let map = dir.join("map.csv");
    std::fs::write(&map, "edition,old,new\n2025,XAV,XBR\n2025,XBR,XBR\n").unwrap();
    let mapped = dir.join("mapped");
    ok(&cli([
        "run".as_ref(),
        example("spec.toml").as_os_str(),
        "--data".as_ref(),
        wide.as_os_str(),
        "--out".as_ref(),
        mapped.as_os_str(),
        "--no-report".as_ref(),
        "--unit-mapping".as_ref(),
        map.as_os_str(),
    ]));
    let (h, rows) = read_csv(&mapped.join("changes.csv"));
    let status = col(&h, &rows, "status");
    assert!(status.contains(&"merged from XAV XBR"), "{status:?}");
    assert!(
        std::fs::read_to_string(out.join("basis.txt"))
            .unwrap()
            .contains("2024 -> 2025: compared on each edition's own framework")
    );
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
