//! The files shipped in `src/instances/data/`, embedded at build time (see
//! `build.rs`), and their parsed forms, parsed once.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::spec::IndexSpec;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/instances_data.rs"));
}

/// Names of the shipped files (`"gii-2025.toml"`, `"gii-2025-nodes.csv"`, ...),
/// sorted.
pub fn files() -> Vec<&'static str> {
    generated::FILES.iter().map(|(n, _)| *n).collect()
}

/// The text of a shipped file, by its name (`"gii-2025-nodes.csv"`).
pub fn file(name: &str) -> Option<&'static str> {
    generated::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Names of the shipped specifications, sorted: the shipped `.toml` files
/// without their extension (`"gii-2024"`, `"gii-2025"`, `"pii-2025"`).
pub fn names() -> Vec<&'static str> {
    generated::FILES
        .iter()
        .filter_map(|(n, _)| n.strip_suffix(".toml"))
        .collect()
}

/// A shipped specification, parsed and validated once.
struct Shipped {
    spec: IndexSpec,
    framework: Framework,
}

fn parse(name: &str) -> Result<Shipped> {
    let toml = file(&format!("{name}.toml")).ok_or_else(|| unknown(name))?;
    let mut spec = IndexSpec::from_toml(toml)?;
    spec.framework.load_with(|f| {
        file(f)
            .map(str::to_owned)
            .ok_or_else(|| Error::UnknownCode {
                kind: "shipped file",
                code: f.to_owned(),
                context: format!("the framework of the shipped specification {name}"),
            })
    })?;
    let framework = Framework::new(spec.framework.clone(), None)?;
    Ok(Shipped { spec, framework })
}

fn unknown(name: &str) -> Error {
    Error::UnknownCode {
        kind: "shipped specification",
        code: name.to_owned(),
        context: format!(
            "the specifications shipped with the crate ({})",
            names().join(", ")
        ),
    }
}

fn shipped(name: &str) -> Result<&'static Shipped> {
    static CACHE: OnceLock<BTreeMap<&'static str, std::result::Result<Shipped, String>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        names()
            .into_iter()
            .map(|n| (n, parse(n).map_err(|e| e.to_string())))
            .collect()
    });
    let name = name.trim();
    let name = name.strip_suffix(".toml").unwrap_or(name);
    match cache.get(name) {
        None => Err(unknown(name)),
        Some(Ok(s)) => Ok(s),
        Some(Err(message)) => Err(Error::SpecParse {
            message: format!("shipped specification {name}: {message}"),
        }),
    }
}

/// A shipped specification by name (`"gii-2025"`, or `"gii-2025.toml"`), with
/// its node table read: ready for [`Pipeline::new`](crate::Pipeline::new), and
/// written back by [`IndexSpec::to_toml`] in its short form (the node table by
/// reference).
///
/// ```
/// use composite_index::instances;
/// let spec = instances::spec("gii-2025")?;
/// assert_eq!(spec.edition, Some(2025));
/// assert_eq!(spec.framework.all_nodes().len(), 109);
/// assert!(instances::spec("gii-1999").is_err());
/// # Ok::<(), composite_index::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnknownCode`] for a name that is not shipped (the message lists
/// [`names`]).
pub fn spec(name: &str) -> Result<IndexSpec> {
    shipped(name).map(|s| s.spec.clone())
}

/// The validated framework of a shipped specification (built once).
///
/// # Errors
/// As [`spec`].
pub fn framework(name: &str) -> Result<&'static Framework> {
    shipped(name).map(|s| &s.framework)
}

/// A shipped CSV table (published scores, units), read with the csv crate.
pub(crate) struct Table {
    name: String,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    /// Reads the shipped file `name`.
    pub(crate) fn read(name: &str) -> Result<Self> {
        let text = file(name).ok_or_else(|| Error::UnknownCode {
            kind: "shipped file",
            code: name.to_owned(),
            context: format!("the files shipped with the crate ({})", files().join(", ")),
        })?;
        let csv_error = |e| crate::io::csv_error(name, e);
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = rdr
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = rdr
            .records()
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(csv_error)?;
        Ok(Self {
            name: name.to_owned(),
            header,
            rows,
        })
    }

    /// Number of data rows.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The position of column `c`.
    pub(crate) fn column(&self, c: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == c)
            .ok_or_else(|| Error::MissingColumn {
                column: c.to_owned(),
                context: self.name.clone(),
            })
    }

    /// The text of data row `r` (0-based), column `c`.
    pub(crate) fn text(&self, r: usize, c: usize) -> &str {
        self.rows[r].get(c).unwrap_or("")
    }

    /// The value of a cell, `None` when empty.
    pub(crate) fn opt<T: FromStr>(&self, r: usize, c: usize) -> Result<Option<T>> {
        let t = self.text(r, c);
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|_| Error::Table {
            context: self.name.clone(),
            row: Some(r as u64 + 2),
            column: Some(self.header[c].clone()),
            message: format!("{t:?} is not a valid value"),
        })
    }

    /// The value of a cell that must not be empty.
    pub(crate) fn get<T: FromStr>(&self, r: usize, c: usize) -> Result<T> {
        self.opt(r, c)?.ok_or_else(|| Error::Table {
            context: self.name.clone(),
            row: Some(r as u64 + 2),
            column: Some(self.header[c].clone()),
            message: "the cell is empty".into(),
        })
    }
}

/// Parses every shipped file whose name is `<prefix><year>.csv` with `parse`,
/// once; the result for `year`.
pub(crate) fn by_year<T: Send + Sync>(
    cache: &'static OnceLock<BTreeMap<u16, std::result::Result<T, String>>>,
    prefix: &str,
    year: u16,
    parse: impl Fn(&str) -> Result<T>,
) -> Result<&'static T> {
    let map = cache.get_or_init(|| {
        files()
            .into_iter()
            .filter_map(|f| {
                let y = f.strip_prefix(prefix)?.strip_suffix(".csv")?.parse().ok()?;
                Some((y, parse(f).map_err(|e| e.to_string())))
            })
            .collect()
    });
    match map.get(&year) {
        Some(Ok(t)) => Ok(t),
        Some(Err(message)) => Err(Error::SpecParse {
            message: format!("shipped file {prefix}{year}.csv: {message}"),
        }),
        None => Err(Error::UnknownCode {
            kind: "edition",
            code: year.to_string(),
            context: format!(
                "the shipped {prefix}YEAR.csv files (editions {})",
                map.keys()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// Parses a shipped table once (for tables without editions).
pub(crate) fn once<T: Send + Sync>(
    cache: &'static OnceLock<std::result::Result<T, String>>,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T>,
) -> Result<&'static T> {
    cache
        .get_or_init(|| parse(name).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|message| Error::SpecParse {
            message: format!("shipped file {name}: {message}"),
        })
}

/// The editions of the shipped specifications named `<index>-<year>`, oldest first.
pub(crate) fn editions(index: &str) -> Vec<u16> {
    names()
        .into_iter()
        .filter_map(|n| n.strip_prefix(index)?.strip_prefix('-')?.parse().ok())
        .collect()
}

/// The name `<index>-<year>` of a shipped specification.
///
/// # Errors
/// [`Error::UnknownCode`] naming the shipped editions when there is none for `year`.
pub(crate) fn edition_name(index: &str, year: u16) -> Result<String> {
    let known = editions(index);
    if known.contains(&year) {
        return Ok(format!("{index}-{year}"));
    }
    Err(Error::UnknownCode {
        kind: "edition",
        code: year.to_string(),
        context: format!(
            "the {} specifications shipped with the crate (editions {}; for another, load its spec file and run it)",
            index.to_uppercase(),
            known
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}
