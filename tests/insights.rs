//! Reporting functions on generic indices: relative-to-development fit, ranks
//! within groups, leads, strengths and weaknesses, reproduction reports.

use composite_index::insights::{
    CovariateTransform, DevelopmentOptions, Performance, PublishedScores, PublishedValue,
    StrengthRule, fit_development, group_ranks, leads, nodes_at_level, relative_to_development,
    reproduction_report, strengths_weaknesses,
};
use composite_index::instances::spec_from_level;
use composite_index::prelude::*;

const TOL: f64 = 1e-9;

/// Nine units with ln(GDP per capita) = 8, 8.5, ..., 12 and scores exactly on
/// `20 + 5 ln(GDPpc)` plus offsets that sum to zero and are orthogonal to
/// ln(GDPpc) - so least squares must return the line and the offsets.
fn line_fixture() -> (Vec<String>, Vec<f64>, Vec<f64>, [f64; 9]) {
    let offsets = [3.0, -1.0, -2.0, 0.0, 0.0, 0.0, -2.0, -1.0, 3.0];
    let t: Vec<f64> = (0..9).map(|k| 8.0 + 0.5 * k as f64).collect();
    let gdp: Vec<f64> = t.iter().map(|t| t.exp()).collect();
    let scores: Vec<f64> = t
        .iter()
        .zip(offsets)
        .map(|(t, o)| 20.0 + 5.0 * t + o)
        .collect();
    let units = (1..=9).map(|k| format!("E{k}")).collect();
    (units, scores, gdp, offsets)
}

#[test]
fn development_fit_recovers_line_and_offsets() {
    let (units, scores, gdp, offsets) = line_fixture();
    let fit = fit_development(
        &units,
        &scores,
        &gdp,
        "GDPpc",
        &DevelopmentOptions::default().with_margins(0.5, 0.0),
    )
    .unwrap();
    assert!((fit.intercept() - 20.0).abs() < TOL, "{}", fit.intercept());
    assert!((fit.slope() - 5.0).abs() < TOL, "{}", fit.slope());
    assert_eq!(fit.n_used, 9);
    for (u, o) in fit.units.iter().zip(offsets) {
        assert!((u.residual.unwrap() - o).abs() < TOL, "{}", u.unit);
        assert!((u.expected.unwrap() - (u.score - o)).abs() < TOL);
        let want = if o > 0.5 {
            Performance::Above
        } else if o < -0.5 {
            Performance::Below
        } else {
            Performance::AsExpected
        };
        assert_eq!(u.performance, Some(want), "{}", u.unit);
    }
    // Overperformers: E1 and E9 (+3), by decreasing residual.
    let over: Vec<&str> = fit
        .overperformers()
        .iter()
        .map(|u| u.unit.as_str())
        .collect();
    assert_eq!(over.len(), 2);
    assert!(over.contains(&"E1") && over.contains(&"E9"));
    // SSR = sum of squared offsets; SST from the scores; 7 degrees of freedom.
    let ssr: f64 = offsets.iter().map(|o| o * o).sum();
    let mean = scores.iter().sum::<f64>() / 9.0;
    let sst: f64 = scores.iter().map(|s| (s - mean).powi(2)).sum();
    assert!((fit.r_squared - (1.0 - ssr / sst)).abs() < TOL);
    assert!((fit.residual_sd - (ssr / 7.0).sqrt()).abs() < TOL);
    assert!((fit.expected_at(10f64.exp()).unwrap() - 70.0).abs() < TOL);
    // A relative band of 10% of the expected score puts everybody "as expected".
    let wide = DevelopmentOptions::default().with_margins(0.0, 0.1);
    let fit = fit_development(&units, &scores, &gdp, "GDPpc", &wide).unwrap();
    assert!(
        fit.units
            .iter()
            .all(|u| u.performance == Some(Performance::AsExpected))
    );
    // Identity transform on ln(GDPpc) directly gives the same line.
    let t: Vec<f64> = gdp.iter().map(|g| g.ln()).collect();
    let id = DevelopmentOptions::default().with_transform(CovariateTransform::Identity);
    let fit = fit_development(&units, &scores, &t, "lnGDPpc", &id).unwrap();
    assert!((fit.slope() - 5.0).abs() < TOL);
}

/// A one-indicator index whose score is the data, with groups and a covariate.
fn pass_through(scores: &[f64], groups: Vec<Option<String>>, gdp: &[f64]) -> (Pipeline, Results) {
    let units: Vec<String> = (1..=scores.len()).map(|k| format!("E{k}")).collect();
    let data = Dataset::from_columns(units, vec![("s".into(), scores.to_vec())])
        .unwrap()
        .with_group("Income", groups)
        .unwrap()
        .with_denominator("GDPpc", gdp.to_vec())
        .unwrap();
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("s", Some("Index")),
    ]);
    let spec = IndexSpec::new(
        fw,
        vec![Step::Aggregate(AggregateSpec::new(
            AggregateMethod::ArithmeticMean {},
        ))],
    );
    let p = Pipeline::new(spec, data).unwrap();
    let r = p.run().unwrap();
    (p, r)
}

#[test]
fn development_fit_from_results() {
    let (_, scores, gdp, offsets) = line_fixture();
    let groups = vec![None; 9];
    let (p, r) = pass_through(&scores, groups, &gdp);
    let fit = relative_to_development(
        &r,
        p.data(),
        "Index",
        "GDPpc",
        &DevelopmentOptions::default(),
    )
    .unwrap();
    assert!((fit.intercept() - 20.0).abs() < TOL);
    assert!((fit.slope() - 5.0).abs() < TOL);
    for (u, o) in fit.units.iter().zip(offsets) {
        assert!((u.residual.unwrap() - o).abs() < TOL);
    }
    assert!(
        relative_to_development(
            &r,
            p.data(),
            "Index",
            "nope",
            &DevelopmentOptions::default()
        )
        .is_err()
    );
    assert!(
        relative_to_development(
            &r,
            p.data(),
            "nope",
            "GDPpc",
            &DevelopmentOptions::default()
        )
        .is_err()
    );
}

#[test]
fn ranks_within_income_groups() {
    let g = |s: &str| Some(s.to_string());
    let scores = [40.0, 55.0, 60.0, 30.0, 55.0, 20.0];
    let groups = vec![
        g("Lower middle income"),
        g("Lower middle income"),
        g("High income"),
        g("Lower middle income"),
        g("High income"),
        None,
    ];
    let (p, r) = pass_through(&scores, groups, &[1.0; 6]);
    let gr = group_ranks(&r, p.data(), "Index", "Income").unwrap();
    let e2 = gr[1].1.as_ref().unwrap();
    assert_eq!((e2.rank, e2.of), (1, 3));
    let e1 = gr[0].1.as_ref().unwrap();
    assert_eq!(
        e1.describe("lower-middle-income economies"),
        "2nd of 3 among lower-middle-income economies"
    );
    assert_eq!(gr[4].1.as_ref().unwrap().rank, 2);
    assert!(gr[5].1.is_none());
    assert!(group_ranks(&r, p.data(), "Index", "Region").is_err());
}

#[test]
fn leads_count_ties_for_every_leader() {
    let data = Dataset::from_columns(
        vec!["A".into(), "B".into(), "C".into()],
        vec![
            ("x".into(), vec![1.0, 3.0, 2.0]),
            ("y".into(), vec![5.0, 5.0, 1.0]),
            ("z".into(), vec![9.0, 1.0, f64::NAN]),
            ("v".into(), vec![2.0, 1.0, 0.0]),
        ],
    )
    .unwrap();
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("I", None),
        NodeSpec::new("P", Some("I")),
        NodeSpec::new("Q", Some("I")),
        NodeSpec::new("x", Some("P")),
        NodeSpec::new("y", Some("P")),
        NodeSpec::new("z", Some("Q")),
        NodeSpec::new("v", Some("Q")).direction(-1.0),
    ]);
    let spec = IndexSpec::new(
        fw,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let p = Pipeline::new(spec, data).unwrap();
    let r = p.run().unwrap();
    let l = leads(&r, &nodes_at_level(p.framework(), 1)).unwrap();
    // x: B; y: A and B (tie); z: A; v (a bad): C.
    assert_eq!(l.count("A"), 2);
    assert_eq!(l.count("B"), 2);
    assert_eq!(l.count("C"), 1);
    assert_eq!(l.led_by("A"), vec!["y", "z"]);
    assert_eq!(l.describe("B", "indicators"), "leads 2 of 4 indicators");
    assert_eq!(l.total(), 4);
    assert!(leads(&r, &["nope".to_string()]).is_err());
}

#[test]
fn strengths_relative_to_overall_rank() {
    // Five units; unit C is middling overall but best on x and worst on y.
    let data = Dataset::from_columns(
        ["A", "B", "C", "D", "E"].map(String::from).to_vec(),
        vec![
            ("x".into(), vec![4.0, 3.0, 5.0, 2.0, 1.0]),
            ("y".into(), vec![5.0, 4.0, 1.0, 3.0, 2.0]),
            ("z".into(), vec![5.0, 4.0, 3.0, 2.0, 1.0]),
        ],
    )
    .unwrap();
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("I", None),
        NodeSpec::new("x", Some("I")),
        NodeSpec::new("y", Some("I")),
        NodeSpec::new("z", Some("I")),
    ]);
    let spec = IndexSpec::new(
        fw,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let r = Pipeline::new(spec, data).unwrap().run().unwrap();
    let ind = ["x", "y", "z"].map(String::from).to_vec();
    let sw = strengths_weaknesses(
        &r,
        "C",
        "I",
        &ind,
        &[],
        &StrengthRule::RelativeToOverall { margin: 0.25 },
    )
    .unwrap();
    assert_eq!(sw.overall_percentile, Some(0.5));
    assert_eq!(
        sw.strengths
            .iter()
            .map(|s| s.node.as_str())
            .collect::<Vec<_>>(),
        ["x"]
    );
    assert_eq!(
        sw.weaknesses
            .iter()
            .map(|s| s.node.as_str())
            .collect::<Vec<_>>(),
        ["y"]
    );
    // WIPO's rule with k = 1: the best and worst indicator percentile set the cut-offs.
    let sw = strengths_weaknesses(
        &r,
        "C",
        "I",
        &ind,
        &[],
        &StrengthRule::TopK { k: 1, auto_rank: 0 },
    )
    .unwrap();
    assert_eq!(sw.strengths[0].node, "x");
    assert_eq!(sw.weaknesses[0].node, "y");
    assert!(
        strengths_weaknesses(
            &r,
            "C",
            "I",
            &ind,
            &[],
            &StrengthRule::TopK { k: 0, auto_rank: 3 }
        )
        .is_err()
    );
}

#[test]
fn reproduction_report_by_level() {
    let data = Dataset::from_columns(
        vec!["A".into(), "B".into()],
        vec![("x".into(), vec![1.0, 3.0]), ("y".into(), vec![2.0, 1.0])],
    )
    .unwrap();
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("I", None),
        NodeSpec::new("x", Some("I")),
        NodeSpec::new("y", Some("I")),
    ]);
    let spec = IndexSpec::new(
        fw,
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 0.0,
                hi: 100.0,
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
        ],
    );
    let p = Pipeline::new(spec, data).unwrap();
    let r = p.run().unwrap();
    // x: A 0, B 100; y: A 100, B 0; I: 50, 50 (tied rank 1).
    let mut pubd = PublishedScores::new();
    let v = |s: f64, r: u32| PublishedValue {
        score: Some(s),
        rank: Some(r),
    };
    pubd.insert("x", "A", v(0.0, 2));
    pubd.insert("x", "B", v(100.0, 1));
    pubd.insert("y", "A", v(100.5, 1));
    pubd.insert("I", "A", v(50.0, 1));
    pubd.insert("I", "B", v(50.0, 2));
    pubd.insert("I", "Z", v(10.0, 3));
    let rep = reproduction_report(&r, p.framework(), &pubd, &["indicator", "index"]);
    let ind = rep.level(1).unwrap();
    assert_eq!(
        (ind.compared, ind.ranks_compared, ind.ranks_agree),
        (3, 3, 3)
    );
    assert!((ind.max_abs_diff - 0.5).abs() < 1e-12);
    assert!((ind.mean_abs_diff - 0.5 / 3.0).abs() < 1e-12);
    let worst = ind.worst.as_ref().unwrap();
    assert_eq!((worst.node.as_str(), worst.unit.as_str()), ("y", "A"));
    let top = rep.level(2).unwrap();
    assert_eq!(top.label, "index");
    assert_eq!(
        (top.compared, top.max_abs_diff, top.published_only),
        (2, 0.0, 1)
    );
    assert_eq!((top.ranks_compared, top.ranks_agree), (2, 1));
    assert!(!rep.agrees(1.0));
    assert!(rep.to_string().contains("largest at A / y"));
}

#[test]
fn spec_from_level_aggregates_upper_levels() {
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("I", None),
        NodeSpec::new("P", Some("I")).weight(3.0),
        NodeSpec::new("Q", Some("I")),
        NodeSpec::new("x", Some("P")),
        NodeSpec::new("y", Some("Q")).direction(-1.0),
    ]);
    let spec = IndexSpec::new(
        fw,
        vec![
            Step::Normalise(NormaliseSpec::default()),
            Step::Aggregate(
                AggregateSpec::new(AggregateMethod::ArithmeticMean {})
                    .with_level(3, AggregateMethod::GeometricMean {}),
            ),
        ],
    );
    let upper = spec_from_level(&spec, 2).unwrap();
    assert_eq!(upper.framework.nodes.len(), 3);
    assert_eq!(upper.steps.len(), 1);
    let data = Dataset::from_columns(
        vec!["A".into()],
        vec![("P".into(), vec![8.0]), ("Q".into(), vec![1.0])],
    )
    .unwrap();
    let r = Pipeline::new(upper, data).unwrap().run().unwrap();
    // Weighted geometric mean: exp((3 ln 8 + ln 1)/4) = 8^(3/4).
    assert!((r.scores("I").unwrap()[0] - 8f64.powf(0.75)).abs() < 1e-12);
    assert!(spec_from_level(&spec, 1).is_err());
    assert!(spec_from_level(&spec, 3).is_err());
}
