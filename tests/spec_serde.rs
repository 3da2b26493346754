//! Serde round trips of a full specification and rejection of malformed specs.
#![cfg(feature = "serde")]

use std::collections::BTreeMap;

use composite_index::normalise::Ties;
use composite_index::prelude::*;
use composite_index::prepare::{IndicatorTreatment, ScreenBy, SecondStage};

fn full_spec() -> IndexSpec {
    let mut weights = BTreeMap::new();
    weights.insert("P1".to_string(), 2.0);
    let framework = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None).name("My index"),
        NodeSpec::new("P1", Some("Index")).weight(0.5),
        NodeSpec::new("P2", Some("Index")).level(2),
        NodeSpec::new("a", Some("P1"))
            .denominator("Pop")
            .target(10.0),
        NodeSpec::new("b", Some("P1")).direction(-1.0),
        NodeSpec::new("c", Some("P2")),
    ])
    .with_weight_set("alt", weights);
    let mut treat = TreatSpec::default().with_override("b", IndicatorTreatment::None {});
    treat.winmax = 3;
    treat.skew_thresh = 2.25;
    treat.second_stage = SecondStage::BoxCox {
        lambda: 0.5,
        shift: true,
    };
    IndexSpec::new(
        framework,
        vec![
            Step::Denominate(DenominateSpec::default().with_scale(1000.0)),
            Step::Impute(
                ImputeSpec::new(ImputeMethod::GroupMedian {
                    group: "Region".into(),
                })
                .with_override("c", ImputeMethod::Mean {}),
            ),
            Step::Screen(
                ScreenSpec::new(ScreenBy::Both {
                    dat_thresh: 0.5,
                    nonzero_thresh: 0.1,
                })
                .with_force_include(vec!["AAA".into()]),
            ),
            Step::Treat(treat),
            Step::Normalise(
                NormaliseSpec::new(NormaliseMethod::ZScore {
                    mean: 10.0,
                    sd: 2.0,
                })
                .with_override(
                    "a",
                    NormaliseMethod::Goalposts {
                        lo: 0.0,
                        hi: 5.0,
                        scale: 100.0,
                        truncate: false,
                    },
                )
                .with_override(
                    "c",
                    NormaliseMethod::DistanceToReference { unit: "AAA".into() },
                )
                .with_override(
                    "b",
                    NormaliseMethod::Rank {
                        ties: Ties::Average,
                    },
                ),
            ),
            Step::Aggregate(
                AggregateSpec::new(AggregateMethod::GeometricMean {})
                    .with_level(3, AggregateMethod::GeneralisedMean { p: 0.5 })
                    .with_node("P2", AggregateMethod::Copeland {})
                    .with_dat_thresh(0.5),
            ),
        ],
    )
    .with_name("Round trip")
    .with_data(DataSpec {
        csv: Some("data.csv".into()),
        groups: vec!["Region".into()],
        denominators: vec!["Pop".into()],
        ..DataSpec::default()
    })
}

#[test]
fn toml_round_trip_is_lossless() {
    let spec = full_spec();
    let text = spec.to_toml().unwrap();
    let back = IndexSpec::from_toml(&text).unwrap();
    assert_eq!(back, spec, "TOML:\n{text}");
    // and stable: writing again gives the same text
    assert_eq!(back.to_toml().unwrap(), text);
}

#[test]
fn json_round_trip_is_lossless() {
    let spec = full_spec();
    let text = spec.to_json().unwrap();
    assert_eq!(IndexSpec::from_json(&text).unwrap(), spec, "JSON:\n{text}");
}

fn parse_err(text: &str) -> String {
    match IndexSpec::from_toml(text) {
        Err(Error::SpecParse { message }) => message,
        other => panic!("expected a parse error, got {other:?}"),
    }
}

const MINIMAL: &str = "spec_version = 1\n[[framework.nodes]]\ncode = \"I\"\n";

#[test]
fn minimal_spec_parses() {
    let s = IndexSpec::from_toml(MINIMAL).unwrap();
    assert_eq!(s.framework.nodes.len(), 1);
    assert!(s.steps.is_empty());
}

#[test]
fn rank_ties_key() {
    let step = |method: &str| -> Result<NormaliseMethod, Error> {
        let s = IndexSpec::from_toml(&format!(
            "{MINIMAL}[[steps]]\nstage = \"normalise\"\nmethod = {method}\n"
        ))?;
        match &s.steps[0] {
            Step::Normalise(n) => Ok(n.default.clone()),
            other => panic!("not a normalise step: {other:?}"),
        }
    };
    let min = NormaliseMethod::Rank { ties: Ties::Min };
    let average = NormaliseMethod::Rank {
        ties: Ties::Average,
    };
    // The shorthand and a table without `ties` keep the minimum rule.
    assert_eq!(step("\"rank\"").unwrap(), min);
    assert_eq!(step("{ method = \"rank\" }").unwrap(), min);
    assert_eq!(step("{ method = \"rank\", ties = \"min\" }").unwrap(), min);
    assert_eq!(
        step("{ method = \"rank\", ties = \"average\" }").unwrap(),
        average
    );
    // The default is written back as the plain name, the other rule as a table.
    assert_eq!(serde_json::to_string(&min).unwrap(), r#""rank""#);
    let json = serde_json::to_string(&average).unwrap();
    assert_eq!(json, r#"{"method":"rank","ties":"average"}"#);
    assert_eq!(
        serde_json::from_str::<NormaliseMethod>(&json).unwrap(),
        average
    );
    let e = step("{ method = \"rank\", ties = \"max\" }").unwrap_err();
    assert!(e.to_string().contains("max"), "{e}");
}

#[test]
fn unknown_keys_are_rejected_everywhere() {
    assert!(parse_err(&format!("{MINIMAL}colour = 1\n")).contains("colour"));
    assert!(
        parse_err("spec_version = 1\n[[framework.nodes]]\ncode = \"I\"\nwieght = 2\n")
            .contains("wieght")
    );
    let step = |body: &str| format!("{MINIMAL}[[steps]]\n{body}\n");
    assert!(parse_err(&step("stage = \"normalise\"\nmethods = 1")).contains("methods"));
    assert!(
        parse_err(&step(
            "stage = \"normalise\"\ndefault = { method = \"min_max\", low = 0 }"
        ))
        .contains("low")
    );
    assert!(
        parse_err(&step(
            "stage = \"normalise\"\ndefault = { method = \"rank\", lo = 0 }"
        ))
        .contains("lo")
    );
    assert!(
        parse_err(&step(
            "stage = \"aggregate\"\ndefault = { method = \"copeland\", p = 2 }"
        ))
        .contains('p')
    );
    assert!(parse_err(&step("stage = \"treat\"\nwinmux = 3")).contains("winmux"));
    assert!(
        parse_err(&step(
            "stage = \"screen\"\nby = { by = \"zeros\", dat_thresh = 0.5 }"
        ))
        .contains("dat_thresh")
    );
    assert!(parse_err(&step("stage = \"normalize\"")).contains("normalize"));
    assert!(
        parse_err(&step(
            "stage = \"normalise\"\ndefault = { method = \"minmax\" }"
        ))
        .contains("minmax")
    );
}

#[test]
fn bad_level_key_and_version() {
    let text = format!(
        "{MINIMAL}[[steps]]\nstage = \"aggregate\"\nby_level = {{ two = {{ method = \"geometric_mean\" }} }}\n"
    );
    assert!(parse_err(&text).contains("two"));
    match IndexSpec::from_toml("spec_version = 9\n[[framework.nodes]]\ncode = \"I\"\n") {
        Err(Error::UnsupportedSpecVersion {
            found: 9,
            supported: 1,
        }) => {}
        other => panic!("{other:?}"),
    }
    assert!(parse_err("[[framework.nodes]]\ncode = \"I\"\n").contains("spec_version"));
}
