//! Panel runs on synthetic editions: per year equals the single-year runs bit for
//! bit, reference-year and pooled fits equal fitted pipelines, units enter and
//! leave, frameworks differ between editions, comparisons say on which basis
//! they were made, and errors name the edition.

mod common;

use composite_index::panel::{
    Condition, Editions, FitScope, FrameworkBasis, Panel, PanelImputeMethod, PanelImputeSpec,
    PanelPipeline, PanelSpec, UnitStatus,
};
use composite_index::prelude::*;
use composite_index::prepare::TreatSpec;
use proptest::prelude::*;

/// A deterministic pseudo-random value in (0, 1).
fn noise(a: usize, b: usize, c: usize) -> f64 {
    let mut z = (a as u64 * 1_000_003) ^ (b as u64 * 7_919) ^ (c as u64 * 104_729) ^ 0x9E37_79B9;
    z = (z ^ (z >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

fn codes(n: usize) -> Vec<String> {
    (0..n).map(|j| format!("x{j}")).collect()
}

/// Units U00..U11 in every year, L only in the first two, N from the third;
/// indicator x0 has gaps; a trend upwards for low-numbered units.
fn edition(year: usize, indicators: &[String]) -> Dataset {
    let mut units: Vec<String> = (0..12).map(|i| format!("U{i:02}")).collect();
    if year < 2 {
        units.push("L".into());
    } else {
        units.push("N".into());
    }
    let cols = indicators
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let v = units
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    if j == 0 && (i + year).is_multiple_of(5) {
                        f64::NAN
                    } else {
                        10.0 + 50.0 * noise(i, j, year) + (12 - i.min(12)) as f64 * year as f64
                    }
                })
                .collect();
            (c.clone(), v)
        })
        .collect();
    let groups = units
        .iter()
        .enumerate()
        .map(|(i, _)| Some(if i % 2 == 0 { "even" } else { "odd" }.to_string()))
        .collect();
    let gdp = units
        .iter()
        .enumerate()
        .map(|(i, _)| 1000.0 * (i + 1) as f64)
        .collect();
    Dataset::from_columns(units, cols)
        .unwrap()
        .with_group("Parity", groups)
        .unwrap()
        .with_denominator("GDPpc", gdp)
        .unwrap()
}

fn panel(indicators: &[String]) -> Panel {
    Panel::new(
        (0..4)
            .map(|y| (2020.0 + y as f64, edition(y, indicators)))
            .collect(),
    )
    .unwrap()
}

fn framework(indicators: &[String]) -> FrameworkSpec {
    let mut nodes = vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("A", Some("Index")),
        NodeSpec::new("B", Some("Index")),
    ];
    for (j, c) in indicators.iter().enumerate() {
        let mut n = NodeSpec::new(c.as_str(), Some(if j % 2 == 0 { "A" } else { "B" }))
            .name(format!("Indicator {c}"));
        if j == 3 {
            n = n.direction(-1.0);
        }
        nodes.push(n);
    }
    FrameworkSpec::new(nodes)
}

fn spec(indicators: &[String]) -> IndexSpec {
    IndexSpec::new(
        framework(indicators),
        vec![
            Step::Impute(ImputeSpec::new(ImputeMethod::Median {})),
            Step::Treat(TreatSpec::default()),
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    )
}

fn bits_equal(a: &composite_index::Results, b: &composite_index::Results) {
    for (x, y) in a.datasets().iter().zip(b.datasets()) {
        assert_eq!(x.unit_codes(), y.unit_codes(), "{}", x.name());
        for (p, q) in x.values().iter().zip(y.values().iter()) {
            assert_eq!(p.to_bits(), q.to_bits(), "{}", x.name());
        }
    }
}

#[test]
fn per_year_equals_each_edition_alone() {
    let ind = codes(6);
    let p = panel(&ind);
    let results = PanelPipeline::new(spec(&ind), &p).unwrap().run().unwrap();
    for (t, d) in p.editions() {
        let alone = Pipeline::new(spec(&ind), d.clone()).unwrap().run().unwrap();
        bits_equal(results.edition(t).unwrap(), &alone);
    }
    assert!(
        results
            .describe_scopes()
            .iter()
            .all(|s| s.contains("per year"))
    );
}

#[test]
fn reference_year_fits_equal_a_fitted_pipeline() {
    let ind = codes(6);
    let p = panel(&ind);
    let options = PanelSpec::per_year()
        .impute(FitScope::Reference { year: 2021.0 })
        .treat(FitScope::Reference { year: 2021.0 })
        .normalise(FitScope::Reference { year: 2021.0 });
    let results = PanelPipeline::new(spec(&ind), &p)
        .unwrap()
        .with_options(options)
        .unwrap()
        .run()
        .unwrap();
    let fitted = Pipeline::new(spec(&ind), p.edition(2021.0).unwrap().clone())
        .unwrap()
        .fit()
        .unwrap();
    for (t, d) in p.editions() {
        bits_equal(
            results.edition(t).unwrap(),
            &fitted.apply(d.clone()).unwrap(),
        );
    }
    // The reference year's own scores span 0-100; a later year may go beyond.
    let x1 = results
        .edition(2023.0)
        .unwrap()
        .dataset("normalised")
        .unwrap();
    assert!(x1.column("x1").unwrap().iter().any(|v| *v > 100.0));
    // A reference year that is not an edition.
    let bad = PanelPipeline::new(spec(&ind), &p)
        .unwrap()
        .with_options(PanelSpec::per_year().normalise(FitScope::Reference { year: 1999.0 }));
    assert!(matches!(bad, Err(Error::InvalidParameter { .. })));
}

#[test]
fn pooled_fit_spans_the_whole_panel() {
    let ind = codes(6);
    let p = panel(&ind);
    let results = PanelPipeline::new(spec(&ind), &p)
        .unwrap()
        .with_options(
            PanelSpec::per_year()
                .normalise(FitScope::Pooled {})
                .impute(FitScope::Pooled {}),
        )
        .unwrap()
        .run()
        .unwrap();
    let normalised = results.dataset("normalised").unwrap();
    for c in &ind {
        let x = normalised.column(c).unwrap();
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!((lo, hi), (0.0, 100.0), "{c}");
    }
    // Within a single year the range is narrower for at least one indicator.
    let y = results
        .edition(2020.0)
        .unwrap()
        .dataset("normalised")
        .unwrap();
    assert!(ind.iter().any(|c| {
        let x = y.column(c).unwrap();
        x.iter().copied().fold(f64::NEG_INFINITY, f64::max) < 100.0
    }));
}

#[test]
fn panel_imputation_fills_from_other_editions_and_units_enter_and_leave() {
    let ind = codes(6);
    let p = panel(&ind);
    let mut s = spec(&ind);
    s.steps[0] = Step::ImputePanel(PanelImputeSpec::new(PanelImputeMethod::LinearConstant {}));
    let results = PanelPipeline::new(s.clone(), &p).unwrap().run().unwrap();
    let imputed = results.dataset("imputed").unwrap();
    assert!(imputed.column("x0").unwrap().iter().all(|v| !v.is_nan()));
    // Rows sorted by time then unit; L only in 2020-2021, N from 2022.
    assert!(imputed.time.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(imputed.series("L", "x1").len(), 2);
    assert_eq!(imputed.series("N", "x1").len(), 2);
    let mut csv = Vec::new();
    imputed.write_csv(&mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(text.starts_with("uCode,Time,x0,"), "{}", &text[..40]);
    assert!(text.lines().nth(1).unwrap().starts_with("L,2020,"));
    // A single-year pipeline refuses the panel step, saying why.
    let e = Pipeline::new(s, p.edition(2020.0).unwrap().clone()).unwrap_err();
    assert!(e.to_string().contains("panel data"), "{e}");
    // Comparisons: N entered, L left.
    let eds = results.to_editions();
    let c = eds.compare("Index", 2021.0, 2022.0).unwrap();
    assert_eq!(c.row("N").unwrap().status, UnitStatus::Entered);
    assert_eq!(c.row("L").unwrap().status, UnitStatus::Left);
    assert!(
        c.note().contains("the framework did not change"),
        "{}",
        c.note()
    );
}

#[test]
fn each_edition_on_its_own_framework() {
    let (a, b) = (codes(6), {
        let mut c = codes(5);
        c.push("x9".into());
        c
    });
    let p = Panel::new(vec![(2020.0, edition(0, &a)), (2021.0, edition(1, &b))]).unwrap();
    let mut sb = spec(&b);
    // x9 has the old x5's name: renumbered, hence common.
    sb.framework.nodes.last_mut().unwrap().name = Some("Indicator x5".into());
    let pipe = PanelPipeline::per_edition(vec![(2020.0, spec(&a)), (2021.0, sb)], &p).unwrap();
    let results = pipe.run().unwrap();
    let eds = results.to_editions();
    let own = eds.compare("Index", 2020.0, 2021.0).unwrap();
    assert!(own.note().contains("own framework"), "{}", own.note());
    assert!(own.note().contains("renumbered"), "{}", own.note());
    let common = pipe
        .compare_on_common("Index", 2020.0, 2021.0, &[], &Default::default())
        .unwrap();
    match &common.basis {
        FrameworkBasis::CommonIndicators { changes } => assert_eq!(changes.common.len(), 6),
        other => panic!("{other:?}"),
    }
    // Pooled fits need the same indicators in every edition.
    let e = pipe.with_options(PanelSpec::per_year().normalise(FitScope::Pooled {}));
    assert!(matches!(e, Err(Error::InvalidParameter { .. })));
}

#[test]
fn errors_name_the_edition() {
    let ind = codes(3);
    let mut p = vec![(2020.0, edition(0, &ind)), (2021.0, edition(1, &ind))];
    // A constant column in 2021 only: min-max cannot normalise it.
    let d = &p[1].1;
    let n = d.n_units();
    let cols = vec![
        ("x0".to_string(), vec![1.0; n]),
        ("x1".to_string(), d.indicator("x1").unwrap().to_vec()),
        ("x2".to_string(), d.indicator("x2").unwrap().to_vec()),
    ];
    p[1].1 = Dataset::from_columns(d.unit_codes().to_vec(), cols).unwrap();
    let p = Panel::new(p).unwrap();
    let mut s = spec(&ind);
    s.steps.remove(0);
    s.steps.remove(0);
    let e = PanelPipeline::new(s, &p).unwrap().run().unwrap_err();
    assert!(
        matches!(&e, Error::InEdition { time, .. } if *time == 2021.0),
        "{e}"
    );
    assert!(e.to_string().starts_with("edition 2021: "), "{e}");
}

#[test]
fn streaks_and_movers_on_a_computed_panel() {
    let ind = codes(6);
    let p = panel(&ind);
    let results = PanelPipeline::new(spec(&ind), &p).unwrap().run().unwrap();
    let eds = Editions::from_panel(&results);
    let first = eds
        .editions()
        .last()
        .unwrap()
        .units()
        .iter()
        .find(|u| eds.editions().last().unwrap().rank(u, "Index") == Some(1))
        .unwrap()
        .clone();
    let s = eds
        .streak(&first, "Index", &Condition::RankAtMost(1), None)
        .unwrap()
        .unwrap();
    assert!(s.length >= 1 && s.until == 2023.0);
    let m = eds.movers("Index", 2020.0, 2023.0, Some("Parity")).unwrap();
    assert_eq!(m.groups.len(), 2);
    for (_, up, down) in &m.groups {
        assert!(up.iter().all(|r| r.change().unwrap() > 0));
        assert!(down.iter().all(|r| r.change().unwrap() < 0));
    }
    let above = eds
        .above_expectation(
            "Index",
            "GDPpc",
            &composite_index::insights::DevelopmentOptions::default(),
        )
        .unwrap();
    assert!(matches!(above, Condition::Among { ref units, .. } if units.len() == 4));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Per-year panel runs equal single-year runs whatever the number of editions,
    /// and fitting on any edition as reference equals its fitted pipeline.
    #[test]
    fn panel_runs_agree_with_single_year_runs(years in 1usize..5, reference in 0usize..4, seed in 0usize..1000) {
        let ind = codes(4);
        let eds: Vec<(f64, Dataset)> = (0..years).map(|y| (1990.0 + y as f64, edition(y + seed, &ind))).collect();
        let p = Panel::new(eds).unwrap();
        let s = spec(&ind);
        let per_year = PanelPipeline::new(s.clone(), &p).unwrap().run().unwrap();
        for (t, d) in p.editions() {
            bits_equal(per_year.edition(t).unwrap(), &Pipeline::new(s.clone(), d.clone()).unwrap().run().unwrap());
        }
        let r = reference.min(years - 1);
        let year = p.times()[r];
        let fixed = PanelPipeline::new(s.clone(), &p).unwrap()
            .with_options(PanelSpec::per_year().normalise(FitScope::Reference { year }))
            .unwrap().run().unwrap();
        // Fitted on itself, the reference edition is its own per-year run.
        bits_equal(fixed.edition(year).unwrap(), per_year.edition(year).unwrap());
    }
}

/// The README shows the sentences the crate computes from the published ranks.
#[test]
fn readme_shows_the_computed_sentences() {
    use composite_index::instances::editions::{gii_published, pii_published};
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let gii = gii_published().unwrap();
    let mut sentences = Vec::new();
    for (node, what) in [("GII", "overall"), ("IN", "input"), ("OUT", "output")] {
        for (a, b) in [(2023.0, 2024.0), (2024.0, 2025.0)] {
            let c = gii.compare(node, a, b).unwrap();
            let r = c.row("VNM").unwrap();
            sentences.push(r.describe(&format!("{what} rank"), &a.to_string(), &b.to_string()));
        }
    }
    sentences.push(
        gii.compare("GII", 2024.0, 2025.0)
            .unwrap()
            .note()
            .split("; ")
            .nth(1)
            .unwrap()
            .to_owned(),
    );
    let pii = pii_published().unwrap();
    sentences.push(
        pii.streak("HNI", "PII", &Condition::RankAtMost(1), None)
            .unwrap()
            .unwrap()
            .describe(),
    );
    for (a, b) in [(2023.0, 2024.0), (2024.0, 2025.0)] {
        let c = pii.compare("PII", a, b).unwrap();
        sentences.push(
            c.row("BNH")
                .unwrap()
                .describe("ranked", &a.to_string(), &b.to_string()),
        );
    }
    for s in sentences {
        // The README wraps its prose: compare with whitespace normalised.
        let flat = |x: &str| x.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat(&readme).contains(&flat(&s)), "README lacks: {s}");
    }
}
