//! Bad input caught, in the library (issue 10): each test is one hole that gave a
//! wrong number, lost data silently or blamed the wrong thing. The command line's
//! side (messages, exit codes, files left untouched) is in `tests/bad_inputs.rs`;
//! random bad input is in `tests/fuzz.rs`.
#![cfg(all(feature = "serde", feature = "csv"))]

use std::sync::atomic::{AtomicUsize, Ordering};

use composite_index::audit;
use composite_index::coverage::CoverageStatus;
use composite_index::instances::gii;
use composite_index::io::{CsvRoles, read_dataset};
use composite_index::prelude::*;
use composite_index::results::StepReport;
use composite_index::uncertainty::{
    Execution, Noise, SensitivitySpec, UncertainInput, sensitivity_analysis,
};

fn units(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("U{i}")).collect()
}

/// Index -> P -> (x, y), and the two columns.
fn two_indicators(x: Vec<f64>, y: Vec<f64>) -> (FrameworkSpec, Dataset) {
    let framework = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P", Some("Index")),
        NodeSpec::new("x", Some("P")),
        NodeSpec::new("y", Some("P")),
    ]);
    let n = x.len();
    let data = Dataset::from_columns(units(n), vec![("x".into(), x), ("y".into(), y)]).unwrap();
    (framework, data)
}

fn min_max_mean() -> Vec<Step> {
    vec![
        Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
            lo: 0.0,
            hi: 100.0,
        })),
        Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
    ]
}

// ------------------------------------------------------------ wrong numbers

#[test]
fn min_max_near_the_limits_of_f64_gives_every_unit_a_score() {
    let x = vec![-1.7e308, -1e308, 1e308, 1.7e308];
    let (framework, data) = two_indicators(x, vec![1.0, 2.0, 3.0, 4.0]);
    let results = Pipeline::new(IndexSpec::new(framework, min_max_mean()), data)
        .unwrap()
        .run()
        .unwrap();
    let xn = results.dataset("normalised").unwrap().column("x").unwrap();
    assert_eq!(xn[0], 0.0);
    assert_eq!(xn[3], 100.0);
    assert!((xn[1] - 0.7 / 3.4 * 100.0).abs() < 1e-9, "{xn:?}");
    for code in ["x", "P", "Index"] {
        let s = results.scores(code).unwrap();
        assert!(s.iter().all(|v| v.is_finite()), "{code}: {s:?}");
    }
    // The audit's statistics of the raw column are finite too.
    let stats = audit::column_stats(
        "x",
        &[-1.7e308, -1e308, 1e308, 1.7e308],
        &Default::default(),
    );
    for v in [stats.mean, stats.sd, stats.skewness, stats.kurtosis] {
        assert!(v.is_some_and(f64::is_finite), "{stats:?}");
    }
}

#[test]
fn a_zero_denominator_is_recorded_with_unit_indicator_and_denominator() {
    let framework = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("x", Some("Index")).denominator("Pop"),
        NodeSpec::new("y", Some("Index")),
    ]);
    let data = Dataset::from_columns(
        units(4),
        vec![
            ("x".into(), vec![1.0, 2.0, 3.0, 4.0]),
            ("y".into(), vec![1.0, 2.0, 4.0, 3.0]),
        ],
    )
    .unwrap()
    .with_denominator("Pop", vec![10.0, 0.0, f64::NAN, 5.0])
    .unwrap();
    let mut steps = vec![Step::Denominate(DenominateSpec::default())];
    steps.extend(min_max_mean());
    let results = Pipeline::new(IndexSpec::new(framework, steps), data)
        .unwrap()
        .run()
        .unwrap();
    let StepReport::Denominate { made_missing } = &results.reports()[0] else {
        panic!("{:?}", results.reports()[0]);
    };
    assert_eq!(made_missing.len(), 2);
    let zero = &made_missing[0];
    assert_eq!(
        (
            zero.unit.as_str(),
            zero.indicator.as_str(),
            zero.denominator.as_str()
        ),
        ("U1", "x", "Pop")
    );
    assert_eq!(zero.denominator_value, 0.0);
    assert!(made_missing[1].denominator_value.is_nan());
    let line = zero.to_string();
    assert!(
        line.contains("\"U1\"") && line.contains("\"x\"") && line.contains("\"Pop\" is 0"),
        "{line}"
    );
}

#[test]
fn harmonic_mean_of_mixed_signs_is_an_error_naming_node_and_unit() {
    // After z-scores, children have both signs: 1/(1/2 + 1/(-1)) = -2 lies
    // outside [-1, 2]. It must be refused, as the geometric mean refuses.
    let (framework, data) = two_indicators(vec![1.0, 2.0, 3.0], vec![3.0, 1.0, 2.0]);
    let spec = IndexSpec::new(
        framework,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::ZScore {
                mean: 0.0,
                sd: 1.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::HarmonicMean {})),
        ],
    );
    let e = Pipeline::new(spec, data).unwrap().run().unwrap_err();
    match &e {
        Error::Domain {
            method, node, unit, ..
        } => {
            assert_eq!((*method, node.as_str()), ("harmonic_mean", "P"));
            assert!(unit.starts_with('U'));
        }
        other => panic!("expected a domain error, got {other}"),
    }
}

#[test]
fn sensitivity_with_a_base_sample_below_two_fails_before_any_run() {
    let (framework, data) = two_indicators(vec![1.0, 2.0, 3.0, 5.0], vec![3.0, 1.0, 2.0, 2.5]);
    let pipeline = Pipeline::new(IndexSpec::new(framework, min_max_mean()), data).unwrap();
    let inputs = vec![UncertainInput::WeightNoise {
        label: None,
        level: 1,
        factor: 0.25,
        noise: Noise::Uniform {},
        replicates: None,
    }];
    let runs = AtomicUsize::new(0);
    let tick = |_| {
        runs.fetch_add(1, Ordering::Relaxed);
    };
    for n in [0, 1] {
        let spec = SensitivitySpec::new(inputs.clone()).n(n);
        let e = sensitivity_analysis(&pipeline, &spec, Execution::Serial, Some(&tick)).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidParameter { parameter, .. } if parameter == "n"),
            "{e}"
        );
    }
    assert_eq!(
        runs.load(Ordering::Relaxed),
        0,
        "runs were made before the check"
    );
}

#[test]
fn constant_columns_are_degenerate_whatever_their_value() {
    // The mean of [0.1; 7] is not 0.1 to the last bit: a test on deviations from
    // the mean saw a spread (skewness 1.296, z-scores 0.9258). The range test does not.
    let c = vec![0.1; 7];
    assert_eq!(composite_index::stats::skewness(&c), None);
    assert_eq!(composite_index::stats::kurtosis(&c), None);
    let u = units(7);
    let ctx = composite_index::normalise::ColumnContext {
        indicator: "c",
        units: &u,
        direction: 1.0,
        target: None,
    };
    for m in [
        NormaliseMethod::ZScore { mean: 0.0, sd: 1.0 },
        NormaliseMethod::MinMax { lo: 0.0, hi: 1.0 },
    ] {
        let mut y = c.clone();
        let e = m.normalise(&mut y, &ctx).unwrap_err();
        assert!(
            matches!(e, Error::DegenerateColumn { .. }),
            "{}: {e}",
            m.name()
        );
    }
    let other: Vec<f64> = (0..7).map(f64::from).collect();
    let data = Dataset::from_columns(
        u.clone(),
        vec![("c".into(), c.clone()), ("o".into(), other.clone())],
    )
    .unwrap();
    let e = audit::pca(&data, &["c", "o"]).unwrap_err();
    assert!(e.to_string().contains("constant"), "{e}");
    let r = audit::correlation(&c, &other, audit::CorrelationMethod::Pearson).unwrap();
    assert_eq!(r.r, None);
    let data = Dataset::from_columns(u, vec![("c".into(), c.clone()), ("d".into(), c)]).unwrap();
    let e = audit::cronbach_alpha(&data, &["c", "d"]).unwrap_err();
    assert!(e.to_string().contains("constant"), "{e}");
}

#[test]
fn cronbach_without_complete_rows_is_an_error_with_a_reason() {
    // Pairwise-complete covariances of rows that never overlap as a whole gave
    // alpha = 2.625, though alpha is at most 1.
    let nan = f64::NAN;
    let data = Dataset::from_columns(
        units(6),
        vec![
            ("a".into(), vec![1.0, 2.0, 3.0, nan, 5.0, 1.0]),
            ("b".into(), vec![2.0, 1.0, nan, 4.0, 3.0, nan]),
            ("c".into(), vec![nan, nan, 1.0, 2.0, 6.0, 5.0]),
        ],
    )
    .unwrap();
    let cols: Vec<&[f64]> = ["a", "b", "c"]
        .iter()
        .map(|c| data.indicator(c).unwrap())
        .collect();
    let complete = (0..6)
        .filter(|&r| cols.iter().all(|c| !c[r].is_nan()))
        .count();
    assert!(complete < 2);
    match audit::cronbach_alpha(&data, &["a", "b", "c"]) {
        Err(Error::DegenerateColumn { reason, .. }) => {
            assert!(reason.contains("complete rows"), "{reason}")
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

fn synthetic_gii() -> Dataset {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/gii/synthetic_2025.csv");
    let roles = CsvRoles {
        groups: vec!["Income".into(), "Region".into()],
        denominators: vec!["GDPpc".into()],
        ..CsvRoles::default()
    };
    composite_index::io::read_dataset_file(path, &roles).unwrap()
}

#[test]
fn gii_errors_propagate_and_unknown_coverage_is_its_own_state() {
    let data = synthetic_gii();
    // A GII specification without its aggregation: no sub-index scores, so no
    // efficiency ratio. That is an error, not a column of "no value".
    let mut spec = gii::spec(2025).unwrap();
    spec.steps.retain(|s| !matches!(s, Step::Aggregate(_)));
    let run = gii::run_spec(spec, data.clone()).unwrap();
    assert!(matches!(
        run.efficiency_ratios(),
        Err(Error::UnknownCode { .. })
    ));
    assert!(run.table().is_err());
    // A unit the coverage report does not know is "unknown", not "meets"; the
    // table takes each unit's state from the report.
    let run = gii::run(2025, data).unwrap();
    let report = run.coverage().expect("the GII spec has a coverage rule");
    assert_eq!(report.status("not a unit"), CoverageStatus::Unknown);
    assert!(!CoverageStatus::Unknown.meets());
    let table = run.table().unwrap();
    for row in &table {
        assert_eq!(row.coverage, report.status(&row.unit), "{}", row.unit);
    }
    assert!(table.iter().any(|r| r.coverage == CoverageStatus::Meets));
}

// ------------------------------------------------------------ messages

#[test]
fn a_header_only_table_says_no_data_rows() {
    let e = read_dataset("uCode,i1,i2\n".as_bytes(), &CsvRoles::default(), "d.csv").unwrap_err();
    assert!(matches!(e, Error::NoData { .. }), "{e}");
    assert!(e.to_string().contains("no data rows"), "{e}");
    assert!(!e.to_string().contains("i1"), "{e}");
}

#[test]
fn a_single_unit_says_so() {
    let (framework, data) = two_indicators(vec![1.0], vec![2.0]);
    let e = Pipeline::new(IndexSpec::new(framework, min_max_mean()), data)
        .unwrap()
        .run()
        .unwrap_err();
    assert!(e.to_string().contains("only one unit"), "{e}");
    assert!(!e.to_string().contains("zero range"), "{e}");
}

#[test]
fn screening_that_removes_every_unit_names_the_step_and_threshold() {
    let nan = f64::NAN;
    let (framework, data) = two_indicators(vec![1.0, nan, 3.0], vec![nan, 2.0, nan]);
    let mut steps = vec![Step::Screen(ScreenSpec::new(
        composite_index::prepare::ScreenBy::MissingData { dat_thresh: 0.9 },
    ))];
    steps.extend(min_max_mean());
    let e = Pipeline::new(IndexSpec::new(framework, steps), data)
        .unwrap()
        .run()
        .unwrap_err();
    match &e {
        Error::Pipeline {
            step,
            stage,
            message,
        } => {
            assert_eq!((*step, stage.as_str()), (0, "screen"));
            assert!(message.contains("every one of the 3 units"), "{message}");
            assert!(message.contains("dat_thresh = 0.9"), "{message}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn an_overflow_of_a_built_in_method_is_not_called_custom() {
    // Scaling by fixed bounds 0..1e-300 turns 1e10 into 1e312: an overflow of
    // "scaled", a built-in method, for unit U1.
    let (framework, data) = two_indicators(vec![1.0, 1e10], vec![1.0, 2.0]);
    let spec = IndexSpec::new(
        framework,
        vec![Step::Normalise(NormaliseSpec::new(
            NormaliseMethod::Scaled {
                lo: 0.0,
                hi: 1e-300,
                factor: 1.0,
            },
        ))],
    );
    let e = Pipeline::new(spec, data).unwrap().run().unwrap_err();
    assert!(!e.to_string().contains("custom"), "{e}");
    match &e {
        Error::NonFinite {
            method,
            target,
            unit,
            ..
        } => assert_eq!(
            (method.as_str(), target.as_str(), unit.as_str()),
            ("scaled", "x", "U1")
        ),
        other => panic!("{other}"),
    }
}

const SMALL_SPEC: &str = r#"spec_version = 1

[[framework.nodes]]
code = "Index"

[[framework.nodes]]
code = "Physical"
parent = "Index"

[[framework.nodes]]
code = "x1"
parent = "Physical"

[[framework.nodes]]
code = "x2"
parent = "Physical"

[[steps]]
stage = "normalise"
default = { method = "min_max" }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
# A long table: the typo below is many lines after the table starts.
# ...
# ...
# ...
# ...
# ...
# ...
# ...
# ...
dat_thresh = 0.5
"#;

fn parse_error(text: &str) -> String {
    match IndexSpec::from_toml(text) {
        Err(Error::SpecParse { message }) => message,
        other => panic!("expected a parse error, got {other:?}"),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn toml_errors_point_at_the_key_not_its_table() {
    let text = SMALL_SPEC.replace("dat_thresh = 0.5", "dat_tresh = 0.5");
    let m = parse_error(&text);
    let line = line_of(&text, "dat_tresh");
    assert!(line > line_of(&text, "stage = \"aggregate\"") + 5);
    assert!(
        m.starts_with(&format!("TOML parse error at line {line}, column 1")),
        "{m}"
    );
    let text = SMALL_SPEC.replace("dat_thresh = 0.5", "dat_thresh = \"half\"");
    let m = parse_error(&text);
    assert!(
        m.starts_with(&format!(
            "TOML parse error at line {}",
            line_of(&text, "half")
        )),
        "{m}"
    );
}

#[test]
fn unknown_keys_methods_and_codes_get_a_suggestion() {
    let m = parse_error(&SMALL_SPEC.replace("stage = \"normalise\"", "stage = \"normalize\""));
    assert!(m.contains("did you mean `normalise`?"), "{m}");
    let m = parse_error(&SMALL_SPEC.replace("dat_thresh = 0.5", "dat_tresh = 0.5"));
    assert!(m.contains("did you mean `dat_thresh`?"), "{m}");
    let m = parse_error(&SMALL_SPEC.replace("\"arithmetic_mean\"", "\"arithmetic-mean\""));
    assert!(m.contains("did you mean `arithmetic_mean`?"), "{m}");
    let m = parse_error(&SMALL_SPEC.replace(
        "[[steps]]\nstage = \"normalise\"",
        "[[step]]\nstage = \"normalise\"",
    ));
    assert!(m.contains("did you mean `steps`?"), "{m}");

    let data = Dataset::from_columns(
        units(3),
        vec![
            ("x1".into(), vec![1.0, 2.0, 3.0]),
            ("x2".into(), vec![3.0, 1.0, 2.0]),
        ],
    )
    .unwrap();
    let spec = IndexSpec::from_toml(&SMALL_SPEC.replacen(
        "parent = \"Physical\"",
        "parent = \"Physcal\"",
        1,
    ))
    .unwrap();
    let e = Pipeline::new(spec, data.clone()).unwrap_err();
    assert!(e.to_string().contains("did you mean \"Physical\"?"), "{e}");
    let spec = IndexSpec::from_toml(&SMALL_SPEC.replace(
        "default = { method = \"min_max\" }",
        "default = { method = \"min_max\" }\noverrides = { X1 = { method = \"rank\" } }",
    ))
    .unwrap();
    let e = Pipeline::new(spec, data).unwrap_err();
    assert!(e.to_string().contains("did you mean \"x1\"?"), "{e}");
}

#[test]
fn a_cycle_of_100000_nodes_gives_a_short_message() {
    let n = 100_000;
    let mut nodes = vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("x", Some("Index")),
    ];
    for i in 0..n {
        let parent = format!("c{}", (i + 1) % n);
        nodes.push(NodeSpec::new(format!("c{i}"), Some(&parent)));
    }
    let e = Framework::new(FrameworkSpec::new(nodes), None).unwrap_err();
    let m = e.to_string();
    assert!(m.len() < 1_000, "{} bytes", m.len());
    assert!(m.contains("and 99,990 more"), "{m}");
}

#[test]
fn toml_errors_about_empty_names_do_not_panic() {
    // Found by the fuzz suite: an unknown variant named "" sent the search for
    // the key's line past the end of the text.
    let m = parse_error(&SMALL_SPEC.replace("stage = \"normalise\"", "stage = \"\""));
    assert!(m.contains("unknown variant ``"), "{m}");
    let text = "runs = 3\n[[inputs]]\nkind = \"\"\n";
    let e =
        composite_index::spec::parse_toml::<composite_index::uncertainty::UncertaintySpec>(text)
            .unwrap_err();
    assert!(e.to_string().contains("line 3"), "{e}");
}

#[test]
fn write_csv_dir_writes_all_files_or_none() {
    let (framework, data) = two_indicators(vec![1.0, 2.0, 3.0, 5.0], vec![1.0, 2.0, 3.0, 4.0]);
    let results = Pipeline::new(IndexSpec::new(framework, min_max_mean()), data)
        .unwrap()
        .run()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("ci-write-csv-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let names: Vec<String> = results
        .datasets()
        .iter()
        .map(|d| d.name().to_string())
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    // Old files in the folder, and a folder where the last data set's file goes.
    for n in &names[..names.len() - 1] {
        std::fs::write(dir.join(format!("{n}.csv")), "old").unwrap();
    }
    let last = format!("{}.csv", names[names.len() - 1]);
    std::fs::create_dir(dir.join(&last)).unwrap();
    let e = results.write_csv_dir(&dir).unwrap_err().to_string();
    assert!(e.contains(&last), "{e}");
    let mut listing: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listing.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{n}.csv")).collect();
    expected.sort();
    assert_eq!(listing, expected, "no temporary file is left");
    for n in &names[..names.len() - 1] {
        assert_eq!(
            std::fs::read_to_string(dir.join(format!("{n}.csv"))).unwrap(),
            "old"
        );
    }
    // Once the way is clear, every file is written.
    std::fs::remove_dir(dir.join(&last)).unwrap();
    results.write_csv_dir(&dir).unwrap();
    for n in &names {
        let text = std::fs::read_to_string(dir.join(format!("{n}.csv"))).unwrap();
        assert!(text.starts_with("uCode"), "{n}: {text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
