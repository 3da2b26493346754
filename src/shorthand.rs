//! Serde for method enums that may be written as a plain string.
//!
//! Every closed set of methods is a serde enum internally tagged by a key such as
//! `method`: `{ method = "min_max", lo = 0, hi = 100 }`. A method without
//! parameters (or whose parameters all have defaults) may also be written as the
//! plain string `"arithmetic_mean"`, which reads as `{ method = "arithmetic_mean" }`;
//! methods without parameters are written back that way.
//!
//! The enums derive their tagged form with `#[serde(remote = "Self")]`, which
//! turns the derived code into inherent functions; [`string_or_table!`] then
//! implements the `Serialize` and `Deserialize` traits on top of them.
#![cfg(feature = "serde")]

/// Implements `Serialize` and `Deserialize` for an enum that derives its tagged
/// form with `#[serde(remote = "Self", tag = $tag)]`: a plain string `s` reads as
/// `{ $tag = s }`, and a value that serialises to nothing but its tag is written
/// as that string.
macro_rules! string_or_table {
    ($ty:ty, $tag:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                struct Tagged<'a>(&'a $ty);
                impl serde::Serialize for Tagged<'_> {
                    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        <$ty>::serialize(self.0, s)
                    }
                }
                match serde_json::to_value(Tagged(self)) {
                    Ok(serde_json::Value::Object(map)) if map.len() == 1 => match map.get($tag) {
                        Some(serde_json::Value::String(name)) => s.serialize_str(name),
                        _ => <$ty>::serialize(self, s),
                    },
                    _ => <$ty>::serialize(self, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(
                            f,
                            "a method name, or a table with a `{}` key and the method's parameters",
                            $tag
                        )
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        let one = std::iter::once(($tag, v));
                        <$ty>::deserialize(serde::de::value::MapDeserializer::<_, E>::new(one))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$ty, A::Error> {
                        <$ty>::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                d.deserialize_any(Visitor)
            }
        }
    };
}

pub(crate) use string_or_table;

#[cfg(test)]
mod tests {
    use crate::aggregate::AggregateMethod;
    use crate::normalise::{NormaliseMethod, Ties};
    use crate::prepare::{ImputeMethod, IndicatorTreatment, SecondStage};
    use crate::spec::{IndexSpec, Step};

    #[test]
    fn plain_strings_read_as_tables_without_parameters() {
        let m: AggregateMethod = serde_json::from_str(r#""geometric_mean""#).unwrap();
        assert_eq!(m, AggregateMethod::GeometricMean {});
        let m: AggregateMethod = serde_json::from_str(r#"{"method": "geometric_mean"}"#).unwrap();
        assert_eq!(m, AggregateMethod::GeometricMean {});
        // Defaults of parameters apply to the string form.
        let m: NormaliseMethod = serde_json::from_str(r#""min_max""#).unwrap();
        assert_eq!(m, NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 });
        let m: ImputeMethod = serde_json::from_str(r#""median""#).unwrap();
        assert_eq!(m, ImputeMethod::Median {});
        let m: SecondStage = serde_json::from_str(r#""gii_log""#).unwrap();
        assert_eq!(m, SecondStage::gii_log());
        let m: IndicatorTreatment = serde_json::from_str(r#""none""#).unwrap();
        assert_eq!(m, IndicatorTreatment::None {});
    }

    #[test]
    fn required_parameters_and_unknown_names_are_still_errors() {
        // generalised_mean needs p; a string cannot give it.
        let e = serde_json::from_str::<AggregateMethod>(r#""generalised_mean""#).unwrap_err();
        assert!(e.to_string().contains("missing field `p`"), "{e}");
        let e = serde_json::from_str::<AggregateMethod>(r#""arithmetic""#).unwrap_err();
        assert!(
            e.to_string().contains("unknown variant `arithmetic`"),
            "{e}"
        );
        let e = serde_json::from_str::<AggregateMethod>("3").unwrap_err();
        assert!(e.to_string().contains("a method name, or a table"), "{e}");
        // Unknown parameters are rejected in the table form.
        let e = serde_json::from_str::<AggregateMethod>(r#"{"method": "copeland", "p": 1}"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `p`"), "{e}");
    }

    #[test]
    fn methods_without_parameters_are_written_as_strings() {
        let json = serde_json::to_string(&AggregateMethod::ArithmeticMean {}).unwrap();
        assert_eq!(json, r#""arithmetic_mean""#);
        let json = serde_json::to_string(&AggregateMethod::GeneralisedMean { p: 2.0 }).unwrap();
        assert_eq!(json, r#"{"method":"generalised_mean","p":2.0}"#);
        let json = serde_json::to_string(&NormaliseMethod::Rank { ties: Ties::Min }).unwrap();
        assert_eq!(json, r#""rank""#);
    }

    #[test]
    fn a_step_takes_method_as_its_default() {
        let spec = IndexSpec::from_toml(
            r#"
spec_version = 1
[[framework.nodes]]
code = "I"
[[framework.nodes]]
code = "x"
parent = "I"
[[steps]]
stage = "normalise"
method = "rank"
overrides = { x = "borda" }
[[steps]]
stage = "aggregate"
method = "geometric_mean"
by_level = { 2 = "harmonic_mean" }
"#,
        )
        .unwrap();
        let Step::Normalise(n) = &spec.steps[0] else {
            panic!("not a normalise step")
        };
        assert_eq!(n.default, NormaliseMethod::Rank { ties: Ties::Min });
        assert_eq!(n.overrides["x"], NormaliseMethod::Borda {});
        let Step::Aggregate(a) = &spec.steps[1] else {
            panic!("not an aggregate step")
        };
        assert_eq!(a.default, AggregateMethod::GeometricMean {});
        assert_eq!(a.by_level[&2], AggregateMethod::HarmonicMean {});
        // Round trip through TOML keeps the meaning.
        let back = IndexSpec::from_toml(&spec.to_toml().unwrap()).unwrap();
        assert_eq!(back, spec);
    }
}
