//! Pipeline behaviour: methods per level and node, thresholds, efficiency ratios,
//! re-runs, plug-in methods, exports, and validation errors naming what is wrong.

use std::sync::Arc;

use composite_index::aggregate::NodeContext;
use composite_index::normalise::{ColumnContext, Ties};
use composite_index::prelude::*;

fn data() -> Dataset {
    Dataset::from_columns(
        vec!["AAA".into(), "BBB".into(), "CCC".into(), "DDD".into()],
        vec![
            ("a".into(), vec![1.0, 2.0, 3.0, 4.0]),
            ("b".into(), vec![4.0, f64::NAN, 2.0, 1.0]),
            ("c".into(), vec![2.0, 4.0, 6.0, 8.0]),
            ("d".into(), vec![8.0, 6.0, f64::NAN, f64::NAN]),
        ],
    )
    .unwrap()
    .with_denominator("Pop", vec![1.0, 2.0, 0.0, 4.0])
    .unwrap()
    .with_group(
        "Region",
        vec![Some("N".into()), Some("S".into()), Some("N".into()), None],
    )
    .unwrap()
}

fn framework() -> FrameworkSpec {
    FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("IN", Some("Index")),
        NodeSpec::new("OUT", Some("Index")),
        NodeSpec::new("a", Some("IN")),
        NodeSpec::new("b", Some("IN")).direction(-1.0),
        NodeSpec::new("c", Some("OUT")).weight(3.0),
        NodeSpec::new("d", Some("OUT")),
    ])
}

fn spec(agg: AggregateSpec) -> IndexSpec {
    IndexSpec::new(
        framework(),
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
                lo: 1.0,
                hi: 10.0,
            })),
            Step::Aggregate(agg),
        ],
    )
}

fn run(agg: AggregateSpec) -> Results {
    Pipeline::new(spec(agg), data()).unwrap().run().unwrap()
}

#[test]
fn arithmetic_by_hand_with_missing_children_and_bads() {
    let r = run(AggregateSpec::default());
    // a -> 1, 4, 7, 10; b (bad, 4,_,2,1) -> 1, NaN, 7, 10; c -> 1, 4, 7, 10; d -> 10, 1, NaN, NaN
    let inp = r.scores("IN").unwrap();
    assert_eq!(inp, &[1.0, 4.0, 7.0, 10.0]);
    let out = r.scores("OUT").unwrap();
    assert_eq!(out, &[(3.0 + 10.0) / 4.0, (12.0 + 1.0) / 4.0, 7.0, 10.0]);
    assert_eq!(r.scores("Index").unwrap()[0], (1.0 + 13.0 / 4.0) / 2.0);
    assert_eq!(
        r.ranks("Index").unwrap(),
        vec![Some(4), Some(3), Some(2), Some(1)]
    );
    let eff = r.efficiency_ratio("OUT", "IN").unwrap();
    assert_eq!(eff[0], Some(13.0 / 4.0));
}

#[test]
fn method_per_level_and_per_node() {
    let r = run(AggregateSpec::default()
        .with_level(3, AggregateMethod::GeometricMean {})
        .with_node("OUT", AggregateMethod::HarmonicMean {}));
    let out = r.scores("OUT").unwrap()[0]; // harmonic of c = 1 (w 3), d = 10 (w 1)
    assert!((out - 4.0 / (3.0 / 1.0 + 1.0 / 10.0)).abs() < 1e-12);
    let idx = r.scores("Index").unwrap()[0]; // geometric of IN = 1 and OUT
    assert!((idx - (1.0 * out).sqrt()).abs() < 1e-12);
}

#[test]
fn dat_thresh_sets_short_aggregates_missing() {
    let r = run(AggregateSpec::default().with_dat_thresh(0.6));
    // BBB has 1 of 2 children in IN: share 0.5 < 0.6
    assert!(r.scores("IN").unwrap()[1].is_nan());
    assert!(!r.scores("IN").unwrap()[0].is_nan());
    assert_eq!(r.ranks("IN").unwrap()[1], None);
}

#[test]
fn copeland_at_a_node() {
    let r = run(AggregateSpec::default().with_node("IN", AggregateMethod::Copeland {}));
    // IN children a: 1,4,7,10 and b: 1,NaN,7,10 -> DDD beats all (3), CCC 1, BBB -1, AAA -3
    assert_eq!(r.scores("IN").unwrap(), &[-3.0, -1.0, 1.0, 3.0]);
}

#[test]
fn geometric_mean_domain_error_names_unit_node_and_child() {
    let mut s = spec(AggregateSpec::new(AggregateMethod::GeometricMean {}));
    s.steps[0] = Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax {
        lo: 0.0,
        hi: 10.0,
    }));
    let e = Pipeline::new(s, data()).unwrap().run().unwrap_err();
    match &e {
        Error::Domain {
            unit, node, child, ..
        } => {
            assert_eq!(
                (unit.as_str(), node.as_str(), child.as_str()),
                ("AAA", "IN", "a")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("\"AAA\""));
}

#[test]
fn rerun_from_a_changed_step_equals_a_fresh_run() {
    let mut p = Pipeline::new(spec(AggregateSpec::default()), data()).unwrap();
    let mut results = p.run().unwrap();
    let new = Step::Normalise(NormaliseSpec::new(NormaliseMethod::Rank {
        ties: Ties::Min,
    }));
    p.set_step(0, new.clone()).unwrap();
    p.rerun_from(0, &mut results).unwrap();
    let fresh = Pipeline::new(
        IndexSpec::new(
            framework(),
            vec![new, Step::Aggregate(AggregateSpec::default())],
        ),
        data(),
    )
    .unwrap()
    .run()
    .unwrap();
    // bit-identical, missing values included (NaN != NaN, so compare bits)
    let bits = |r: &Results| -> Vec<(String, Vec<String>, Vec<u64>)> {
        r.datasets()
            .iter()
            .map(|s| {
                (
                    s.name().to_string(),
                    s.columns().to_vec(),
                    s.values().iter().map(|v| v.to_bits()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(bits(&results), bits(&fresh));
    // a step of another stage cannot replace it
    assert!(matches!(
        p.set_step(0, Step::Aggregate(AggregateSpec::default())),
        Err(Error::Pipeline { .. })
    ));
}

#[test]
fn final_only_run_equals_the_last_data_set_of_a_full_run() {
    let mut s = spec(AggregateSpec::default());
    s.steps.insert(0, Step::Treat(TreatSpec::default()));
    let p = Pipeline::new(s, data()).unwrap();
    let full = p.run().unwrap();
    let lean = p.run_final_only().unwrap();
    assert!(lean.is_final_only() && lean.datasets().len() == 1);
    let (a, b) = (full.last(), lean.last());
    assert_eq!(
        (&a.name(), &a.columns(), &a.unit_codes()),
        (&b.name(), &b.columns(), &b.unit_codes())
    );
    assert!(
        a.values()
            .iter()
            .zip(b.values().iter())
            .all(|(x, y)| x.to_bits() == y.to_bits())
    );
    assert_eq!(full.reports(), lean.reports());
    let mut lean = lean;
    assert!(matches!(
        p.rerun_from(0, &mut lean),
        Err(Error::Pipeline { .. })
    ));
}

/// The consuming final-only run gives the bits of `run_final_only` whether it
/// moves the data's matrix (the pipeline owns the data set) or copies it (the
/// data set is shared, or has a column that is not an indicator), and leaves a
/// shared data set untouched.
#[test]
fn consuming_final_only_run_equals_the_final_only_run() {
    let mut s = spec(AggregateSpec::default());
    s.steps.insert(0, Step::Treat(TreatSpec::default()));
    let same = |a: &Results, b: &Results| {
        let (x, y) = (a.last(), b.last());
        assert_eq!(
            (&x.name(), &x.columns(), &x.unit_codes()),
            (&y.name(), &y.columns(), &y.unit_codes())
        );
        let (bx, by): (Vec<u64>, Vec<u64>) = (
            x.values().iter().map(|v| v.to_bits()).collect(),
            y.values().iter().map(|v| v.to_bits()).collect(),
        );
        assert_eq!(bx, by);
        assert_eq!(a.reports(), b.reports());
        assert!(b.is_final_only());
    };
    let want = Pipeline::new(s.clone(), data())
        .unwrap()
        .run_final_only()
        .unwrap();
    // Owned: the matrix is moved.
    let owned = Pipeline::new(s.clone(), data())
        .unwrap()
        .into_final_only()
        .unwrap();
    same(&want, &owned);
    // Shared: the matrix is copied and the data set keeps its values.
    let shared = Arc::new(data());
    let before: Vec<u64> = shared.values().iter().map(|v| v.to_bits()).collect();
    let copied = Pipeline::new(s.clone(), Arc::clone(&shared))
        .unwrap()
        .into_final_only()
        .unwrap();
    same(&want, &copied);
    let after: Vec<u64> = shared.values().iter().map(|v| v.to_bits()).collect();
    assert_eq!(before, after);
    // A data column that is not an indicator: copied (the indicator columns only).
    let d = data();
    let mut columns = vec![("extra".to_string(), vec![9.0; 4])];
    for (j, code) in d.indicator_codes().iter().enumerate() {
        columns.push((code.clone(), d.values().column(j).iter().copied().collect()));
    }
    let wider = Dataset::from_columns(d.unit_codes().to_vec(), columns)
        .unwrap()
        .with_denominator("Pop", d.denominator("Pop").unwrap().to_vec())
        .unwrap()
        .with_group(
            "Region",
            vec![Some("N".into()), Some("S".into()), Some("N".into()), None],
        )
        .unwrap();
    let picked = Pipeline::new(s, wider).unwrap().into_final_only().unwrap();
    same(&want, &picked);
}

#[derive(Debug)]
struct Double;
impl Normaliser for Double {
    fn name(&self) -> &str {
        "double"
    }
    fn normalise(&self, x: &mut [f64], _: &ColumnContext<'_>) -> Result<()> {
        x.iter_mut().for_each(|v| *v *= 2.0);
        Ok(())
    }
}

#[derive(Debug)]
struct Max;
impl Aggregator for Max {
    fn name(&self) -> &str {
        "max"
    }
    fn aggregate(
        &self,
        ch: &[&[f64]],
        _: &[f64],
        _: &NodeContext<'_>,
        out: &mut [f64],
    ) -> Result<()> {
        for (u, o) in out.iter_mut().enumerate() {
            *o = ch.iter().map(|c| c[u]).fold(f64::NAN, f64::max);
        }
        Ok(())
    }
}

#[test]
fn custom_methods_plug_in_by_name() {
    let s = IndexSpec::new(
        framework(),
        vec![
            Step::Normalise(NormaliseSpec::new(NormaliseMethod::Custom {
                name: "double".into(),
            })),
            Step::Aggregate(AggregateSpec::new(AggregateMethod::Custom {
                name: "max".into(),
            })),
        ],
    );
    let e = Pipeline::new(s.clone(), data()).unwrap_err();
    assert!(matches!(
        e,
        Error::UnknownCode {
            kind: "custom normaliser",
            ..
        }
    ));
    let p = Pipeline::builder(s, data())
        .normaliser(Arc::new(Double))
        .aggregator(Arc::new(Max))
        .build()
        .unwrap();
    let r = p.run().unwrap();
    // b is a bad indicator: doubled after direction -> -2 * b
    assert_eq!(r.scores("b").unwrap()[0], -8.0);
    assert_eq!(r.scores("IN").unwrap()[0], 2.0);
}

#[test]
fn validation_errors_name_the_culprit() {
    let with_norm = |n: NormaliseSpec| {
        Pipeline::new(
            IndexSpec::new(framework(), vec![Step::Normalise(n)]),
            data(),
        )
        .unwrap_err()
    };
    let e = with_norm(
        NormaliseSpec::default().with_override("zz", NormaliseMethod::Rank { ties: Ties::Min }),
    );
    assert!(
        matches!(&e, Error::UnknownCode { kind: "indicator", code, .. } if code == "zz"),
        "{e}"
    );
    let e = with_norm(NormaliseSpec::new(NormaliseMethod::MinMax {
        lo: 5.0,
        hi: 1.0,
    }));
    assert!(
        matches!(&e, Error::InvalidParameter { parameter, .. } if parameter == "hi"),
        "{e}"
    );
    let e = with_norm(
        NormaliseSpec::default().with_override("a", NormaliseMethod::ZScore { mean: 0.0, sd: 0.0 }),
    );
    assert!(
        matches!(&e, Error::InvalidParameter { target: Some(t), .. } if t == "a"),
        "{e}"
    );

    let with_agg = |a: AggregateSpec| Pipeline::new(spec(a), data()).unwrap_err();
    let e = with_agg(AggregateSpec::default().with_node("a", AggregateMethod::Copeland {}));
    assert!(
        matches!(&e, Error::UnknownCode { code, .. } if code == "a"),
        "{e}"
    );
    let e = with_agg(AggregateSpec::default().with_level(7, AggregateMethod::Copeland {}));
    assert!(matches!(&e, Error::InvalidParameter { .. }), "{e}");
    let e = with_agg(AggregateSpec::new(AggregateMethod::GeneralisedMean {
        p: 0.0,
    }));
    assert!(
        matches!(&e, Error::InvalidParameter { parameter, .. } if parameter == "p"),
        "{e}"
    );
    let e = with_agg(AggregateSpec::default().with_dat_thresh(1.5));
    assert!(matches!(&e, Error::InvalidParameter { .. }), "{e}");
    let e = with_agg(AggregateSpec {
        weights: Some("nope".into()),
        ..AggregateSpec::default()
    });
    assert!(
        matches!(
            &e,
            Error::UnknownCode {
                kind: "weight set",
                ..
            }
        ),
        "{e}"
    );

    let mut f = framework();
    f.nodes[3].denominator = Some("GDP".into());
    let e = Pipeline::new(
        IndexSpec::new(f, vec![Step::Denominate(DenominateSpec::default())]),
        data(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::UnknownCode { kind: "denominator column", code, .. } if code == "GDP"),
        "{e}"
    );
    let e = Pipeline::new(
        IndexSpec::new(
            framework(),
            vec![Step::Impute(ImputeSpec::new(ImputeMethod::GroupMean {
                group: "Income".into(),
            }))],
        ),
        data(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::UnknownCode { kind: "group column", code, .. } if code == "Income"),
        "{e}"
    );
    let e = Pipeline::new(
        IndexSpec::new(
            framework(),
            vec![
                Step::Aggregate(AggregateSpec::default()),
                Step::Normalise(NormaliseSpec::default()),
            ],
        ),
        data(),
    )
    .unwrap_err();
    assert!(matches!(&e, Error::Pipeline { step: 0, .. }), "{e}");
    let mut f = framework();
    f.nodes.push(NodeSpec::new("zz", Some("OUT")));
    let e = Pipeline::new(IndexSpec::new(f, vec![]), data()).unwrap_err();
    assert!(
        e.to_string().contains("\"zz\" is not a column of the data"),
        "{e}"
    );
}

#[test]
fn degenerate_column_is_an_error_naming_the_indicator() {
    let d = Dataset::from_columns(
        vec!["A".into(), "B".into()],
        vec![
            ("a".into(), vec![1.0, 2.0]),
            ("b".into(), vec![3.0, 3.0]),
            ("c".into(), vec![1.0, 2.0]),
            ("d".into(), vec![1.0, 2.0]),
        ],
    )
    .unwrap();
    let e = Pipeline::new(spec(AggregateSpec::default()), d)
        .unwrap()
        .run()
        .unwrap_err();
    assert!(
        matches!(&e, Error::DegenerateColumn { indicator, .. } if indicator == "b"),
        "{e}"
    );
}

#[test]
fn denominate_impute_and_screen_in_a_pipeline() {
    let mut f = framework();
    f.nodes[5].denominator = Some("Pop".into());
    let s = IndexSpec::new(
        f,
        vec![
            Step::Denominate(DenominateSpec::default()),
            Step::Impute(ImputeSpec::new(ImputeMethod::GroupMean {
                group: "Region".into(),
            })),
        ],
    );
    let r = Pipeline::new(s, data()).unwrap().run().unwrap();
    let den = r.dataset("denominated").unwrap().column("c").unwrap();
    // Pop is 0 for CCC: missing, never infinite
    assert_eq!(den[0], 2.0);
    assert!(den[2].is_nan());
    let imp = r.dataset("imputed").unwrap();
    // b for BBB (group S alone, no other value) stays missing; d for CCC (group N) takes AAA's 8
    assert!(imp.column("b").unwrap()[1].is_nan());
    assert_eq!(imp.column("d").unwrap()[2], 8.0);
    // DDD has no group: stays missing
    assert!(imp.column("d").unwrap()[3].is_nan());
}

#[test]
fn exports_csv_in_coinr_layout_and_json() {
    let r = run(AggregateSpec::default());
    let mut buf = Vec::new();
    r.aggregated().unwrap().write_csv(&mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "uCode,a,b,c,d,IN,OUT,Index");
    assert_eq!(lines.next().unwrap().split(',').next(), Some("AAA"));
    // BBB's b is missing: an empty cell
    assert!(text.lines().nth(2).unwrap().starts_with("BBB,4,,4,1,"));
    #[cfg(feature = "serde")]
    {
        let json: serde_json::Value = serde_json::from_str(&r.to_json().unwrap()).unwrap();
        assert_eq!(json["nodes"]["Index"]["ranks"][3], 1);
        assert!(json["nodes"]["b"]["scores"][1].is_null());
        assert_eq!(json["units"][0], "AAA");
    }
}

/// The spec says which ratios, groups and coverage rule its results carry; the
/// results record the spec that made them.
#[cfg(feature = "serde")]
#[test]
fn spec_level_ratios_coverage_and_record() {
    use composite_index::coverage::CoverageRule;
    let mut spec = IndexSpec::from_toml(
        r#"
spec_version = 1
edition = 2025
level_names = ["indicator", "sub-index", "index"]
ratios.efficiency = { numerator = "OUT", denominator = "IN" }
groups.Region = { name = "region", among = { N = "northern units" } }
[provenance.weights]
source = "equal weights (assumed)"
confidence = "unconfirmed"
[[steps]]
stage = "normalise"
method = "rank"
[[steps]]
stage = "aggregate"
"#,
    )
    .unwrap();
    spec.framework = framework();
    let p = Pipeline::new(spec.clone(), data()).unwrap();
    let r = p.run().unwrap();
    assert_eq!(r.spec().edition, Some(2025));
    assert_eq!(r.spec().framework.nodes.len(), 7);
    assert!(r.made_by().starts_with("composite-index "));
    let eff = r.ratio("efficiency").unwrap();
    assert_eq!(eff, r.efficiency_ratio("OUT", "IN").unwrap());
    assert!(r.ratio("effciency").is_err());
    assert_eq!(r.spec().groups["Region"].among("N"), "northern units");
    assert_eq!(r.spec().groups["Region"].among("S"), "S");
    let json = r.to_json().unwrap();
    assert!(json.contains("\"made_by\"") && json.contains("\"efficiency\""));
    assert!(r.coverage().is_none());

    // A coverage rule flags units; with `exclude` they leave the computation.
    // Share rule on the sub-indices: DDD has 1 of 2 OUT indicators, so 0.6 fails it.
    let mut rule = CoverageRule::none().with_min_share(Some(0.6));
    rule.share_level = 2;
    spec.coverage = Some(rule.clone());
    let r = Pipeline::new(spec.clone(), data()).unwrap().run().unwrap();
    assert_eq!(r.unit_codes().len(), 4);
    assert_eq!(
        r.coverage().unwrap().below(),
        vec!["BBB".to_owned(), "CCC".into(), "DDD".into()]
    );
    spec.coverage = Some(rule.with_exclude(true));
    let r = Pipeline::new(spec.clone(), data()).unwrap().run().unwrap();
    assert_eq!(r.unit_codes(), ["AAA"]);
    assert_eq!(r.dataset("raw").unwrap().unit_codes().len(), 1);

    // Ratios and groups must name what exists.
    spec.coverage = None;
    spec.ratios.get_mut("efficiency").unwrap().numerator = "OUTT".into();
    let e = Pipeline::new(spec.clone(), data()).unwrap_err().to_string();
    assert!(e.contains("OUTT") && e.contains("efficiency"), "{e}");
    spec.ratios.clear();
    spec.groups.insert("Income".into(), Default::default());
    let e = Pipeline::new(spec, data()).unwrap_err().to_string();
    assert!(e.contains("Income"), "{e}");
}
