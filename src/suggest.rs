//! "Did you mean ...?" suggestions for unknown keys, method names and codes.
//!
//! A name is suggested when it equals the unknown one up to case, or is within a
//! small Damerau-Levenshtein distance of it (none for names of 1 or 2
//! characters, 1 up to 4 characters, 2 up to 8, then a quarter of the length): `normalize` ->
//! `normalise`, `Physcal` -> `Physical`, `arithmetic-mean` -> `arithmetic_mean`.
//! The distance is [`strsim::damerau_levenshtein`] on the lower-cased names, with
//! `-` and `_` counted equal.
//!
//! # Example
//!
//! ```
//! use composite_index::suggest::{closest, hint};
//!
//! let stages = ["denominate", "impute", "screen", "treat", "normalise", "aggregate"];
//! assert_eq!(closest("normalize", stages), Some("normalise"));
//! assert_eq!(closest("Treat", stages), Some("treat"));
//! assert_eq!(closest("weights", stages), None);
//! assert_eq!(hint("imput", stages), r#" (did you mean "impute"?)"#);
//! assert_eq!(hint("weights", stages), "");
//! ```

use crate::error::Error;

/// The candidate closest to `unknown`, if one is close enough (see the
/// [module docs](self)); never `unknown` itself.
///
/// ```
/// use composite_index::suggest::closest;
/// assert_eq!(closest("Physcal", ["Physical", "Social"]), Some("Physical"));
/// assert_eq!(closest("patents", ["apps"]), None);
/// ```
pub fn closest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace('-', "_");
    let u = norm(unknown);
    let n = u.chars().count();
    let limit = match n {
        0..=2 => 0,
        3..=4 => 1,
        5..=8 => 2,
        _ => n / 4,
    };
    candidates
        .into_iter()
        .filter(|c| *c != unknown)
        .map(|c| (strsim::damerau_levenshtein(&u, &norm(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `" (did you mean \"X\"?)"` for the closest candidate, or an empty string.
pub fn hint<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(unknown, candidates)
        .map(|c| format!(" (did you mean {c:?}?)"))
        .unwrap_or_default()
}

/// [`Error::UnknownCode`] whose context ends with a suggestion from `candidates`.
pub(crate) fn unknown_code<'a>(
    kind: &'static str,
    code: &str,
    context: impl Into<String>,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Error {
    Error::UnknownCode {
        kind,
        code: code.into(),
        context: format!("{}{}", context.into(), hint(code, candidates)),
    }
}

/// Adds a suggestion to a serde message naming an unknown field or variant:
/// "unknown field `normalize`, expected one of `impute`, `normalise`" becomes
/// "unknown field `normalize` (did you mean `normalise`?), expected one of ...".
/// Other messages are returned unchanged.
#[cfg(feature = "serde")]
pub(crate) fn serde_message(message: &str) -> String {
    let Some((head, tail)) = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| (i, i + p.len())))
        .and_then(|(_, start)| {
            let end = message[start..].find('`')? + start;
            Some((&message[start..end], &message[end..]))
        })
    else {
        return message.to_owned();
    };
    let expected: Vec<&str> = tail.split('`').skip(2).step_by(2).collect();
    // The suggestion goes right after the unknown name: "unknown field `x` (did
    // you mean `y`?), expected one of ...".
    let at = message.len() - tail.len() + 1;
    match closest(head, expected) {
        Some(c) => format!("{} (did you mean `{c}`?){}", &message[..at], &message[at..]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("normalize", ["normalise", "impute"]),
            Some("normalise")
        );
        assert_eq!(closest("Physcal", ["Physical", "Social"]), Some("Physical"));
        assert_eq!(
            closest("ARITHMETIC-MEAN", ["arithmetic_mean"]),
            Some("arithmetic_mean")
        );
        assert_eq!(closest("patents", ["apps", "tertiary"]), None);
        assert_eq!(closest("x", ["x"]), None);
        assert_eq!(
            hint("Physcal", ["Physical"]),
            " (did you mean \"Physical\"?)"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_messages_gain_a_suggestion() {
        let m = "unknown field `normalize`, expected one of `stage`, `normalise`, `impute`";
        assert_eq!(
            serde_message(m),
            "unknown field `normalize` (did you mean `normalise`?), expected one of `stage`, `normalise`, `impute`"
        );
        let m = "unknown variant `min-max`, expected one of `min_max`, `z_score`";
        assert!(
            serde_message(m)
                .starts_with("unknown variant `min-max` (did you mean `min_max`?), expected")
        );
        let m = "unknown field `zzz`, expected `a` or `b`";
        assert_eq!(serde_message(m), m);
        assert_eq!(serde_message("missing field `x`"), "missing field `x`");
    }
}
