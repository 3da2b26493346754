//! A units x columns CSV table into a [`Dataset`].

use std::collections::HashSet;
use std::path::Path;

use super::{csv_error, open, parse_cell};
use crate::data::{Dataset, unique_columns};
use crate::error::{Error, Result};

/// Which CSV columns play which role.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRoles {
    /// Column of unit codes (default `uCode`, as COINr).
    pub unit_code: String,
    /// Column of unit names, if any (default `uName`, used when present).
    pub unit_name: Option<String>,
    /// Time column, if any (default `Time`, used when present).
    pub time: Option<String>,
    /// Group (categorical) columns.
    pub groups: Vec<String>,
    /// Denominator columns.
    pub denominators: Vec<String>,
    /// Indicator columns; `None` takes every column without another role.
    /// When given, any other column is an [`Error::UnknownColumn`].
    pub indicators: Option<Vec<String>>,
    /// Columns to skip.
    pub ignore: Vec<String>,
}

impl Default for CsvRoles {
    fn default() -> Self {
        Self {
            unit_code: "uCode".into(),
            unit_name: Some("uName".into()),
            time: Some("Time".into()),
            groups: Vec::new(),
            denominators: Vec::new(),
            indicators: None,
            ignore: Vec::new(),
        }
    }
}

/// Reads a data set from CSV text with a header row.
///
/// # Errors
/// [`Error::Csv`] for malformed CSV (ragged rows, text that is not UTF-8, a
/// separator other than the comma), [`Error::NoData`] for a header without data
/// rows, [`Error::DuplicateColumn`],
/// [`Error::MissingColumn`] for a declared column that is absent,
/// [`Error::UnknownColumn`] for a column with no role when indicators are listed,
/// [`Error::NonNumeric`] and [`Error::InfiniteValue`] naming row, unit and column,
/// and the errors of [`Dataset::new`] (duplicate or empty unit codes).
pub fn read_dataset<R: std::io::Read>(
    reader: R,
    roles: &CsvRoles,
    context: &str,
) -> Result<Dataset> {
    read_table(reader, roles, context)?.into_dataset()
}

/// The columns of a CSV table read with [`CsvRoles`], before they become a
/// [`Dataset`] (a panel table has several rows per unit).
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Unit code of each row.
    pub(crate) codes: Vec<String>,
    /// Unit name of each row, when the table has a name column.
    pub(crate) names: Option<Vec<String>>,
    /// Time of each row, when the table has a time column.
    pub(crate) time: Option<Vec<f64>>,
    /// Group columns.
    pub(crate) groups: Vec<(String, Vec<Option<String>>)>,
    /// Denominator columns.
    pub(crate) denominators: Vec<(String, Vec<f64>)>,
    /// Indicator columns.
    pub(crate) columns: Vec<(String, Vec<f64>)>,
}

impl Table {
    /// The data set of these rows.
    pub(crate) fn into_dataset(self) -> Result<Dataset> {
        let mut d = Dataset::from_columns(self.codes, self.columns)?;
        if let Some(names) = self.names {
            d = d.with_unit_names(names)?;
        }
        if let Some(time) = self.time {
            d = d.with_time(time)?;
        }
        for (name, g) in self.groups {
            d = d.with_group(name, g)?;
        }
        for (name, v) in self.denominators {
            d = d.with_denominator(name, v)?;
        }
        Ok(d)
    }
}

/// Reads a CSV table into its columns (see [`read_dataset`] for the rules).
pub(crate) fn read_table<R: std::io::Read>(
    reader: R,
    roles: &CsvRoles,
    context: &str,
) -> Result<Table> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(context, e))?
        .iter()
        .map(str::to_owned)
        .collect();
    if header.len() == 1
        && let Some(sep) = [';', '\t', '|']
            .into_iter()
            .find(|c| header[0].contains(*c))
    {
        return Err(Error::Csv {
            context: context.into(),
            line: Some(1),
            message: format!(
                "the header is a single column {:?}: the columns seem to be separated by {:?}, but this reader expects commas (save the file as comma-separated CSV)",
                header[0].chars().take(40).collect::<String>()
                    + if header[0].chars().count() > 40 {
                        "..."
                    } else {
                        ""
                    },
                sep.to_string()
            ),
        });
    }
    let pos = unique_columns(&header, context)?;
    let need = |c: &str| -> Result<usize> {
        pos.get(c).copied().ok_or_else(|| Error::MissingColumn {
            column: c.into(),
            context: context.into(),
        })
    };
    let code_col = need(&roles.unit_code)?;
    let name_col = roles.unit_name.as_deref().and_then(|c| pos.get(c).copied());
    let time_col = roles.time.as_deref().and_then(|c| pos.get(c).copied());
    let group_cols = roles
        .groups
        .iter()
        .map(|c| need(c))
        .collect::<Result<Vec<_>>>()?;
    let den_cols = roles
        .denominators
        .iter()
        .map(|c| need(c))
        .collect::<Result<Vec<_>>>()?;
    let mut taken: HashSet<usize> = [code_col]
        .into_iter()
        .chain(name_col)
        .chain(time_col)
        .collect();
    taken.extend(&group_cols);
    taken.extend(&den_cols);
    for c in &roles.ignore {
        taken.insert(need(c)?);
    }
    let ind_cols: Vec<usize> = match &roles.indicators {
        Some(list) => {
            let cols = list.iter().map(|c| need(c)).collect::<Result<Vec<_>>>()?;
            let listed: HashSet<usize> = cols.iter().copied().collect();
            if let Some(j) = (0..header.len()).find(|j| !taken.contains(j) && !listed.contains(j)) {
                return Err(Error::UnknownColumn {
                    column: header[j].clone(),
                    context: context.into(),
                });
            }
            cols
        }
        None => (0..header.len()).filter(|j| !taken.contains(j)).collect(),
    };
    let mut codes = Vec::new();
    let mut names = Vec::new();
    let mut time = Vec::new();
    let mut groups: Vec<Vec<Option<String>>> = vec![Vec::new(); group_cols.len()];
    let mut dens: Vec<Vec<f64>> = vec![Vec::new(); den_cols.len()];
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); ind_cols.len()];
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| csv_error(context, e))?;
        let row = i + 1;
        let unit = rec.get(code_col).unwrap_or("").trim().to_owned();
        if let Some(c) = name_col {
            names.push(rec.get(c).unwrap_or("").to_owned());
        }
        if let Some(c) = time_col {
            time.push(parse_cell(
                rec.get(c).unwrap_or(""),
                row,
                &unit,
                &header[c],
            )?);
        }
        for (g, &c) in groups.iter_mut().zip(&group_cols) {
            let t = rec.get(c).unwrap_or("").trim();
            g.push((!super::MISSING_TOKENS.contains(&t)).then(|| t.to_owned()));
        }
        for (d, &c) in dens.iter_mut().zip(&den_cols) {
            d.push(parse_cell(
                rec.get(c).unwrap_or(""),
                row,
                &unit,
                &header[c],
            )?);
        }
        for (x, &c) in cols.iter_mut().zip(&ind_cols) {
            x.push(parse_cell(
                rec.get(c).unwrap_or(""),
                row,
                &unit,
                &header[c],
            )?);
        }
        codes.push(unit);
    }
    if codes.is_empty() {
        return Err(Error::NoData {
            context: context.into(),
            message: "the file has a header line only".into(),
        });
    }
    let columns: Vec<(String, Vec<f64>)> = ind_cols
        .iter()
        .map(|&c| header[c].clone())
        .zip(cols)
        .collect();
    Ok(Table {
        codes,
        names: name_col.is_some().then_some(names),
        time: time_col.is_some().then_some(time),
        groups: roles.groups.iter().cloned().zip(groups).collect(),
        denominators: roles.denominators.iter().cloned().zip(dens).collect(),
        columns,
    })
}

/// Reads a data set from a CSV file. See [`read_dataset`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`read_dataset`].
pub fn read_dataset_file(path: impl AsRef<Path>, roles: &CsvRoles) -> Result<Dataset> {
    let path = path.as_ref();
    read_dataset(open(path)?, roles, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, roles: &CsvRoles) -> Result<Dataset> {
        read_dataset(text.as_bytes(), roles, "test.csv")
    }

    #[test]
    fn reads_roles_and_missing() {
        let roles = CsvRoles {
            groups: vec!["G".into()],
            denominators: vec!["Pop".into()],
            ..CsvRoles::default()
        };
        let d = read(
            "uCode,uName,G,Pop,x,y\nA,Aland,g1,10,1,NA\nB,Bland,,20,,4\n",
            &roles,
        )
        .unwrap();
        assert_eq!(d.indicator_codes(), ["x", "y"]);
        assert_eq!(d.unit_names(), ["Aland", "Bland"]);
        assert_eq!(
            d.group("G").unwrap().values,
            vec![Some("g1".to_string()), None]
        );
        assert_eq!(d.denominator("Pop"), Some(&[10.0, 20.0][..]));
        assert!(d.indicator("y").unwrap()[0].is_nan() && d.indicator("x").unwrap()[1].is_nan());
    }

    #[test]
    fn non_numeric_names_row_unit_and_column() {
        let e = read("uCode,x\nA,1\nB,abc\n", &CsvRoles::default()).unwrap_err();
        match e {
            Error::NonNumeric {
                row,
                unit,
                column,
                value,
            } => {
                assert_eq!(
                    (row, unit.as_str(), column.as_str(), value.as_str()),
                    (2, "B", "x", "abc")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(e_to_string(read("uCode,x\nA,1\nB,abc\n", &CsvRoles::default())).contains("\"B\""));
    }

    fn e_to_string(r: Result<Dataset>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn infinity_duplicates_ragged_unknown_missing() {
        assert!(matches!(
            read("uCode,x\nA,inf\n", &CsvRoles::default()),
            Err(Error::InfiniteValue { .. })
        ));
        assert!(matches!(
            read("uCode,x\nA,1\nA,2\n", &CsvRoles::default()),
            Err(Error::DuplicateUnit { .. })
        ));
        assert!(matches!(
            read("uCode,x,x\nA,1,2\n", &CsvRoles::default()),
            Err(Error::DuplicateColumn { .. })
        ));
        assert!(matches!(
            read("uCode,x\nA,1,2\n", &CsvRoles::default()),
            Err(Error::Csv { line: Some(2), .. })
        ));
        let roles = CsvRoles {
            indicators: Some(vec!["x".into()]),
            ..CsvRoles::default()
        };
        assert!(
            matches!(read("uCode,x,z\nA,1,2\n", &roles), Err(Error::UnknownColumn { column, .. }) if column == "z")
        );
        assert!(matches!(
            read("code,x\nA,1\n", &CsvRoles::default()),
            Err(Error::MissingColumn { .. })
        ));
    }
}
