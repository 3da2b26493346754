//! The JRC COIN Tool's workbook (feature `xlsx`): its `Database` and
//! `Framework` sheets read into a [`Dataset`] and a [`FrameworkSpec`], so that
//! an index built in the COIN Tool (an Excel workbook of the European
//! Commission's Joint Research Centre) moves over as it is.
//!
//! # Layout read
//!
//! The cells COINr 1.1.14's `import_coin_tool` reads (spreadsheet rows and
//! columns as Excel numbers them):
//!
//! - Sheet **`Database`**:
//!   - row 16, columns E to CY (up to 99 indicators): indicator codes
//!     (`Ind.01`...); row 15: indicator names;
//!   - rows 14, 13, 12 and 11: for each indicator, the code of its sub-pillar
//!     (`sp.01`...), pillar (`p.01`...), sub-index (`si.01`...) and index
//!     (`Index`);
//!   - rows 10, 9, 8 and 7: upper goalpost, lower goalpost, direction (1 or -1)
//!     and weight of each indicator;
//!   - rows 17 to 315: one unit per row, its name in column B, its code in
//!     column C and its indicator values from column E; `n/a` (like an empty
//!     cell, `NA` or `#N/A`) is missing.
//! - Sheet **`Framework`**, cells C4:H52 (C5:H53 in the COIN Tool of 2019 and
//!   before, [`CoinToolOptions::old_tool`]): a header row, then one row per
//!   aggregate with its code in column C (`--` for an unused row), its weight
//!   in column E and its name in column H.
//!
//! # Mapping onto the framework
//!
//! As COINr does: columns without any data and rows without any data are left
//! out (the COIN Tool's template carries codes for 99 indicators); a level
//! where every indicator has the same code is unused and left out (the index
//! level is always kept); an indicator's parent is its code at the first level
//! used above it, an aggregate's parent the code its indicators have at the
//! next level used. Aggregates are the `Framework` rows whose code starts with
//! `sp.`, `p.` or `si.` (of a level used) or is `Index`; a row naming an
//! aggregate no indicator belongs to is left out. With
//! [`CoinToolOptions::make_codes`], indicator codes are made from their names
//! as COINr's `names_to_codes` does ([`names_to_codes`]).
//!
//! Where COINr would give a broken result, the reader stops with an error
//! naming the sheet, row and column: a unit row with data but no code, a text
//! that is not a number in the data, a missing weight or direction, an
//! aggregate named by an indicator but absent from the `Framework` sheet, or
//! an aggregate with two parents. Unlike COINr, which pairs the first unit
//! names with the first data rows kept, each unit keeps its own row's name and
//! code when a row without data is left out. What was left out is listed in
//! [`CoinTool::notes`].
//!
//! Reference: European Commission, JRC Competence Centre on Composite
//! Indicators and Scoreboards, *COIN Tool* (2019); COINr 1.1.14,
//! `R/coinToolIn.R` and `R/convert.R` (`COIN_to_coin`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use calamine::{Data, Range, Reader};

use super::MISSING_TOKENS;
use super::wipo::column_letters;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::{FrameworkSpec, NodeSpec};

/// Name of the data sheet.
pub const COIN_TOOL_DATABASE: &str = "Database";
/// Name of the framework sheet.
pub const COIN_TOOL_FRAMEWORK: &str = "Framework";

/// First and last (0-based) columns of the indicator block: E to CY.
const FIRST_COL: u32 = 4;
const LAST_COL: u32 = 102;
/// 0-based rows of the Database sheet.
const ROW_WEIGHT: u32 = 6;
const ROW_DIRECTION: u32 = 7;
const ROW_GP_LOWER: u32 = 8;
const ROW_GP_UPPER: u32 = 9;
const ROW_SUB_PILLAR: u32 = 13;
const ROW_NAME: u32 = 14;
const ROW_CODE: u32 = 15;
const FIRST_UNIT: u32 = 16;
const LAST_UNIT: u32 = 314;
/// Code prefixes of the aggregate levels, lowest first (rows 14, 13, 12, 11).
const LEVEL_PREFIXES: [&str; 4] = ["sp.", "p.", "si.", "Index"];

/// Options of [`read_coin_tool`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CoinToolOptions {
    /// Make indicator codes from their names ([`names_to_codes`]) instead of
    /// the COIN Tool's `Ind.01`... (COINr's `makecodes`).
    pub make_codes: bool,
    /// The COIN Tool of 2019 and before: the `Framework` table is one row lower
    /// (COINr's `oldtool`).
    pub old_tool: bool,
}

/// What [`read_coin_tool`] read.
#[derive(Debug, Clone, PartialEq)]
pub struct CoinTool {
    /// The indicator tree: indicators with their names, weights and directions,
    /// and the aggregates of the levels used.
    pub framework: FrameworkSpec,
    /// Units x indicators, unit names from column B.
    pub data: Dataset,
    /// `(indicator, lower, upper)` goalposts of the indicators that have both
    /// (for goalpost normalisation).
    pub goalposts: Vec<(String, f64, f64)>,
    /// What was left out: empty columns and rows, unused levels and aggregates.
    pub notes: Vec<String>,
}

/// Reads a COIN Tool workbook (`.xlsx`) in the layout COINr's
/// `import_coin_tool` reads: sheet `Database` (indicator metadata in rows 7 to
/// 16, units from row 17 with names in B, codes in C and values from E) and
/// sheet `Framework` (aggregate codes in C, weights in E, names in H); see the
/// [`io`](crate::io) module and [`CoinToolOptions`].
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened; [`Error::Table`] for a file
/// that is not a readable workbook, a missing sheet, or a bad cell (naming the
/// sheet, the row and the column by letter); the errors of [`Dataset`]
/// construction (duplicate unit codes...).
pub fn read_coin_tool(path: impl AsRef<Path>, options: &CoinToolOptions) -> Result<CoinTool> {
    let path = path.as_ref();
    let mut wb = super::open_workbook(path)?;
    let mut sheet = |name: &str| -> Result<Range<Data>> {
        let found = wb
            .sheet_names()
            .into_iter()
            .find(|s| s.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::Table {
                context: path.display().to_string(),
                row: None,
                column: None,
                message: format!(
                    "no sheet named {name:?} (sheets: {}); is this a COIN Tool workbook?",
                    wb.sheet_names().join(", ")
                ),
            })?;
        wb.worksheet_range(&found).map_err(|e| Error::Table {
            context: format!("sheet {found:?} of {}", path.display()),
            row: None,
            column: None,
            message: e.to_string(),
        })
    };
    let database = sheet(COIN_TOOL_DATABASE)?;
    let framework = sheet(COIN_TOOL_FRAMEWORK)?;
    parse(
        &database,
        &framework,
        &format!("sheet \"Database\" of {}", path.display()),
        &format!("sheet \"Framework\" of {}", path.display()),
        options,
    )
}

/// A cell's text, `None` when empty (numbers as Excel shows them).
fn text(r: &Range<Data>, row: u32, col: u32) -> Option<String> {
    let s = match r.get_value((row, col))? {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(v) => v.to_string(),
        Data::Float(v) => v.to_string(),
        Data::Bool(b) => b.to_string().to_uppercase(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

/// A cell as a number: `Ok(NaN)` for a missing value, an error for text.
fn number(r: &Range<Data>, row: u32, col: u32, context: &str, what: &str) -> Result<f64> {
    let bad = |shown: String| Error::Table {
        context: context.to_owned(),
        row: Some(u64::from(row) + 1),
        column: Some(column_letters(col as usize)),
        message: format!("{what}: {} is not a number", crate::error::Clip(&shown)),
    };
    match r.get_value((row, col)) {
        None | Some(Data::Empty) | Some(Data::Error(calamine::CellErrorType::NA)) => Ok(f64::NAN),
        Some(Data::Float(v)) => Ok(*v),
        Some(Data::Int(v)) => Ok(*v as f64),
        Some(Data::String(s)) => {
            let t = s.trim();
            if MISSING_TOKENS.contains(&t) || t.eq_ignore_ascii_case("n/a") {
                Ok(f64::NAN)
            } else {
                match t.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(bad(s.clone())),
                }
            }
        }
        Some(other) => Err(bad(other.to_string())),
    }
}

fn parse(
    db: &Range<Data>,
    fw_sheet: &Range<Data>,
    db_ctx: &str,
    fw_ctx: &str,
    options: &CoinToolOptions,
) -> Result<CoinTool> {
    let cell_error = |context: &str, row: u32, col: u32, message: String| Error::Table {
        context: context.to_owned(),
        row: Some(u64::from(row) + 1),
        column: Some(column_letters(col as usize)),
        message,
    };
    let mut notes = Vec::new();
    // Unit rows with a code, a name or data; indicator columns with data.
    let mut values: HashMap<(u32, u32), f64> = HashMap::new();
    let mut rows = Vec::new();
    let mut cols_with_data: HashSet<u32> = HashSet::new();
    for row in FIRST_UNIT..=LAST_UNIT {
        let mut any = false;
        for col in FIRST_COL..=LAST_COL {
            let v = number(db, row, col, db_ctx, "indicator value")?;
            if !v.is_nan() {
                any = true;
                cols_with_data.insert(col);
                values.insert((row, col), v);
            }
        }
        let code = text(db, row, 2);
        if any {
            if code.is_none() {
                return Err(cell_error(
                    db_ctx,
                    row,
                    2,
                    "a unit row with data has no unit code in column C".into(),
                ));
            }
            rows.push(row);
        } else if let Some(c) = code {
            notes.push(format!(
                "unit {c:?} (row {}) left out: it has no data",
                row + 1
            ));
        }
    }
    let cols: Vec<u32> = (FIRST_COL..=LAST_COL)
        .filter(|c| cols_with_data.contains(c))
        .collect();
    let empty_coded = (FIRST_COL..=LAST_COL)
        .filter(|c| !cols_with_data.contains(c) && text(db, ROW_CODE, *c).is_some())
        .count();
    if empty_coded > 0 {
        notes.push(format!(
            "{empty_coded} indicator columns without any data left out"
        ));
    }
    if cols.is_empty() {
        return Err(Error::Table {
            context: db_ctx.to_owned(),
            row: Some(u64::from(FIRST_UNIT) + 1),
            column: Some("E:CY".into()),
            message: "no indicator data found (units from row 17, indicators from column E)".into(),
        });
    }
    // Indicator metadata.
    let required_text = |row: u32, col: u32, what: &str| -> Result<String> {
        text(db, row, col).ok_or_else(|| cell_error(db_ctx, row, col, format!("{what} is missing")))
    };
    let mut codes = Vec::with_capacity(cols.len());
    let mut names = Vec::with_capacity(cols.len());
    for &c in &cols {
        codes.push(required_text(ROW_CODE, c, "the indicator code")?);
        names.push(text(db, ROW_NAME, c).unwrap_or_else(|| codes[codes.len() - 1].clone()));
    }
    if options.make_codes {
        codes = names_to_codes(&names);
    }
    // Lineage: for each aggregate level (sp, p, si, Index), each indicator's code.
    let mut lineage: Vec<Vec<String>> = Vec::new();
    for (k, _) in LEVEL_PREFIXES.iter().enumerate() {
        let row = ROW_SUB_PILLAR - k as u32;
        let mut level = Vec::with_capacity(cols.len());
        for &c in &cols {
            level.push(required_text(
                row,
                c,
                &format!(
                    "the {} code of the indicator",
                    ["sub-pillar", "pillar", "sub-index", "index"][k]
                ),
            )?);
        }
        lineage.push(level);
    }
    // A level where every indicator has the same code is unused (the index is kept).
    let used: Vec<usize> = (0..LEVEL_PREFIXES.len())
        .filter(|&k| {
            k == LEVEL_PREFIXES.len() - 1 || lineage[k].iter().any(|c| *c != lineage[k][0])
        })
        .collect();
    for k in 0..LEVEL_PREFIXES.len() - 1 {
        if !used.contains(&k) {
            notes.push(format!(
                "level {:?} unused (every indicator has the code {:?})",
                ["sub-pillar", "pillar", "sub-index"][k],
                lineage[k][0]
            ));
        }
    }
    // Aggregates from the Framework sheet.
    let (first_fw, last_fw) = if options.old_tool { (5, 52) } else { (4, 51) };
    let mut aggregates: BTreeMap<String, (u32, String, f64)> = BTreeMap::new();
    for row in first_fw..=last_fw {
        let Some(code) = text(fw_sheet, row, 2) else {
            continue;
        };
        if code == "--" {
            continue;
        }
        let Some(k) = LEVEL_PREFIXES.iter().position(|p| code.starts_with(p)) else {
            continue;
        };
        if !used.contains(&k) {
            continue;
        }
        let weight = number(fw_sheet, row, 4, fw_ctx, "aggregate weight")?;
        let name = text(fw_sheet, row, 7).unwrap_or_else(|| code.clone());
        aggregates.insert(code, (row, name, weight));
    }
    // Indicators.
    let mut nodes = Vec::new();
    let mut goalposts = Vec::new();
    for (j, &c) in cols.iter().enumerate() {
        let weight = number(db, ROW_WEIGHT, c, db_ctx, "indicator weight")?;
        if weight.is_nan() {
            return Err(cell_error(
                db_ctx,
                ROW_WEIGHT,
                c,
                format!("the weight of indicator {:?} is missing", codes[j]),
            ));
        }
        let direction = number(db, ROW_DIRECTION, c, db_ctx, "indicator direction")?;
        if direction.is_nan() {
            return Err(cell_error(
                db_ctx,
                ROW_DIRECTION,
                c,
                format!(
                    "the direction of indicator {:?} is missing (1 or -1)",
                    codes[j]
                ),
            ));
        }
        let lo = number(db, ROW_GP_LOWER, c, db_ctx, "lower goalpost")?;
        let hi = number(db, ROW_GP_UPPER, c, db_ctx, "upper goalpost")?;
        if !lo.is_nan() && !hi.is_nan() {
            goalposts.push((codes[j].clone(), lo, hi));
        }
        nodes.push(
            NodeSpec::new(codes[j].clone(), Some(&lineage[used[0]][j]))
                .name(names[j].clone())
                .weight(weight)
                .direction(direction),
        );
    }
    // Aggregates, level by level, with their parents from the lineage.
    for (u, &k) in used.iter().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        for (j, code) in lineage[k].iter().enumerate() {
            if seen.contains(&code.as_str()) {
                continue;
            }
            seen.push(code);
            let parent = match used.get(u + 1) {
                None => None,
                Some(&up) => {
                    let parents: Vec<&str> = lineage[k]
                        .iter()
                        .zip(&lineage[up])
                        .filter(|(c, _)| *c == code)
                        .map(|(_, p)| p.as_str())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    if parents.len() > 1 {
                        return Err(cell_error(
                            db_ctx,
                            ROW_SUB_PILLAR - up as u32,
                            cols[j],
                            format!(
                                "aggregate {code:?} has indicators in several groups of the level above: {}",
                                parents.join(", ")
                            ),
                        ));
                    }
                    parents.first().map(|p| (*p).to_owned())
                }
            };
            let (_, name, weight) = aggregates.remove(code).ok_or_else(|| {
                cell_error(
                    db_ctx,
                    ROW_SUB_PILLAR - k as u32,
                    cols[j],
                    format!(
                        "aggregate {code:?} (of indicator {:?}) is not in the Framework sheet (codes in column C from row {})",
                        codes[j],
                        first_fw + 2
                    ),
                )
            })?;
            let weight = if parent.is_none() && weight.is_nan() {
                1.0
            } else {
                weight
            };
            if weight.is_nan() {
                let row = LEVEL_PREFIXES[k];
                return Err(Error::Table {
                    context: fw_ctx.to_owned(),
                    row: None,
                    column: Some("E".into()),
                    message: format!("the weight of aggregate {code:?} ({row} level) is missing"),
                });
            }
            let mut node = NodeSpec::new(code.clone(), parent.as_deref())
                .name(name)
                .weight(weight);
            node.level = None;
            nodes.push(node);
        }
    }
    for (code, (row, _, _)) in aggregates {
        notes.push(format!(
            "aggregate {code:?} (Framework row {}) left out: no indicator belongs to it",
            row + 1
        ));
    }
    // Data.
    let unit_codes: Vec<String> = rows
        .iter()
        .map(|&r| text(db, r, 2).unwrap_or_default())
        .collect();
    let unit_names: Vec<String> = rows
        .iter()
        .zip(&unit_codes)
        .map(|(&r, c)| text(db, r, 1).unwrap_or_else(|| c.clone()))
        .collect();
    let columns: Vec<(String, Vec<f64>)> = cols
        .iter()
        .zip(&codes)
        .map(|(&c, code)| {
            (
                code.clone(),
                rows.iter()
                    .map(|&r| values.get(&(r, c)).copied().unwrap_or(f64::NAN))
                    .collect(),
            )
        })
        .collect();
    let data = Dataset::from_columns(unit_codes, columns)
        .map_err(|e| match e {
            Error::DuplicateUnit {
                code,
                first_row,
                second_row,
            } => Error::Table {
                context: db_ctx.to_owned(),
                row: Some(u64::from(rows[second_row - 1]) + 1),
                column: Some("C".into()),
                message: format!(
                    "unit code {code:?} already used on row {}",
                    rows[first_row - 1] + 1
                ),
            },
            other => other,
        })?
        .with_unit_names(unit_names)?;
    Ok(CoinTool {
        framework: FrameworkSpec::new(nodes),
        data,
        goalposts,
        notes,
    })
}

/// Short codes from long names, as COINr's `names_to_codes` (`maxword = 2`,
/// `maxlet = 4`): words of 1 to 3 letters followed by a space are dropped, the
/// first two remaining words are cut to 4 characters, a word of lowercase
/// letters gets a capital first letter, and the words are joined; a code used
/// before gets `_1`, `_2`... appended (R's `make.unique(codes, "_")`).
///
/// ```
/// use composite_index::io::names_to_codes;
///
/// let codes = names_to_codes(&[
///     "Number of patents".into(),
///     "Number of patent applications".into(),
///     "GDP per capita".into(),
/// ]);
/// // "GDP " and "per " are words of 3 letters followed by a space: dropped.
/// assert_eq!(codes, ["NumbPate", "NumbPate_1", "Capi"]);
/// ```
pub fn names_to_codes(names: &[String]) -> Vec<String> {
    let raw: Vec<String> = names
        .iter()
        .map(|name| {
            let chars: Vec<char> = name.chars().collect();
            // Drop a word of 1 to 3 word characters (letters, digits, _) that
            // starts at a word boundary and is followed by a white space.
            let word = |c: char| c.is_alphanumeric() || c == '_';
            let mut kept = String::new();
            let mut i = 0;
            while i < chars.len() {
                let boundary = word(chars[i]) && (i == 0 || !word(chars[i - 1]));
                if boundary {
                    let len = chars[i..].iter().take_while(|&&c| word(c)).count();
                    if (1..=3).contains(&len)
                        && chars.get(i + len).is_some_and(|c| c.is_whitespace())
                    {
                        i += len + 1;
                        continue;
                    }
                }
                kept.push(chars[i]);
                i += 1;
            }
            kept.split(' ')
                .filter(|w| !w.is_empty())
                .take(2)
                .map(|w| capitalise(&w.chars().take(4).collect::<String>()))
                .collect::<String>()
        })
        .collect();
    make_unique(raw)
}

/// Upper-cases the first of every run of two or more ASCII lowercase letters
/// that starts a word (R's `gsub("\\b([[:lower:]])([[:lower:]]+)", "\\U\\1\\L\\2", perl = TRUE)`).
fn capitalise(w: &str) -> String {
    let c: Vec<char> = w.chars().collect();
    let mut out = String::with_capacity(w.len());
    for (i, &ch) in c.iter().enumerate() {
        let starts_word = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_');
        if starts_word
            && ch.is_ascii_lowercase()
            && c.get(i + 1).is_some_and(char::is_ascii_lowercase)
        {
            out.push(ch.to_ascii_uppercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// R's `make.unique(x, sep = "_")`: the second and later copies of a value get
/// `_1`, `_2`... (skipping names already taken).
fn make_unique(names: Vec<String>) -> Vec<String> {
    let mut taken: HashSet<String> = names.iter().cloned().collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut counter: HashMap<String, usize> = HashMap::new();
    names
        .into_iter()
        .map(|n| {
            if seen.insert(n.clone()) {
                return n;
            }
            let k = counter.entry(n.clone()).or_insert(0);
            loop {
                *k += 1;
                let candidate = format!("{n}_{k}");
                if taken.insert(candidate.clone()) {
                    seen.insert(candidate.clone());
                    return candidate;
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_names_as_coinr() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names_to_codes(&n(&[
                "Logistics performance index",
                "Trade",
                "CO2 emissions per capita"
            ])),
            ["LogiPerf", "Trad", "EmisCapi"]
        );
        // A short last word stays; words with capitals keep them.
        assert_eq!(
            names_to_codes(&n(&["Use of ICT", "e-commerce sales"])),
            ["ICT", "e-CoSale"]
        );
        assert_eq!(
            make_unique(n(&["a", "a", "a_1", "a"])),
            ["a", "a_2", "a_1", "a_3"]
        );
    }
}
