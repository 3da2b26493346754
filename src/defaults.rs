//! Default values used by serde attributes (`#[serde(default = "...")]`).
#![cfg(feature = "serde")]

pub(crate) fn zero() -> f64 {
    0.0
}

pub(crate) fn one() -> f64 {
    1.0
}

pub(crate) fn hundred() -> f64 {
    100.0
}

pub(crate) fn yes() -> bool {
    true
}

pub(crate) fn is_one(x: &f64) -> bool {
    *x == 1.0
}

pub(crate) fn is_true(b: &bool) -> bool {
    *b
}
