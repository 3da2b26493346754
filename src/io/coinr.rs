//! COINr's `iMeta` (framework) and `iData` (data) tables.
//!
//! `iMeta` has the columns `Level, iCode, iName, Direction, Weight, Parent, Type`
//! and optionally `Unit, Target, Denominator`. `Type` is `Indicator` or `Aggregate`
//! for framework nodes, `Group` for group columns, `Denominator` for denominators
//! and `Other` for columns to keep out of the index. `iData` has `uCode`,
//! optionally `uName` and `Time`, and one column per code of `iMeta`.

use std::path::Path;

use super::{CsvRoles, csv_error, open, read_dataset};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::{FrameworkSpec, NodeSpec};

/// What `iMeta` says beside the framework: the roles of the other `iData` columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IMeta {
    /// The indicator tree.
    pub framework: FrameworkSpec,
    /// Codes of `Group` rows.
    pub groups: Vec<String>,
    /// Codes of `Denominator` rows.
    pub denominators: Vec<String>,
    /// Codes of `Other` rows.
    pub other: Vec<String>,
}

impl IMeta {
    /// The roles of the `iData` columns: the framework's leaves are indicators,
    /// and `Group`, `Denominator` and `Other` rows name the other columns. Any
    /// other `iData` column is then an [`Error::UnknownColumn`].
    pub fn roles(&self) -> CsvRoles {
        let nodes = &self.framework.nodes;
        let indicators = nodes
            .iter()
            .filter(|n| {
                !nodes
                    .iter()
                    .any(|m| m.parent.as_deref() == Some(n.code.as_str()))
            })
            .map(|n| n.code.clone())
            .collect();
        CsvRoles {
            groups: self.groups.clone(),
            denominators: self.denominators.clone(),
            ignore: self.other.clone(),
            indicators: Some(indicators),
            ..CsvRoles::default()
        }
    }
}

/// Reads a COINr `iMeta` table.
///
/// # Errors
/// [`Error::Csv`], [`Error::MissingColumn`] for a required column,
/// [`Error::NonNumeric`] for a non-numeric level, direction, weight or target
/// (naming the row and the iCode), [`Error::InvalidParameter`] for an unknown `Type`.
pub fn read_imeta<R: std::io::Read>(reader: R, context: &str) -> Result<IMeta> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(context, e))?
        .iter()
        .map(str::to_owned)
        .collect();
    let find = |c: &str| header.iter().position(|h| h == c);
    let need = |c: &str| {
        find(c).ok_or_else(|| Error::MissingColumn {
            column: c.into(),
            context: context.into(),
        })
    };
    let (c_code, c_type, c_parent) = (need("iCode")?, need("Type")?, need("Parent")?);
    let (c_level, c_name, c_dir, c_weight) = (
        find("Level"),
        find("iName"),
        find("Direction"),
        find("Weight"),
    );
    let (c_unit, c_target, c_den) = (find("Unit"), find("Target"), find("Denominator"));
    let mut meta = IMeta::default();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| csv_error(context, e))?;
        let row = i + 1;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "NA")
        };
        let code = get(Some(c_code)).unwrap_or("").to_owned();
        let num = |c: Option<usize>, col: &str| -> Result<Option<f64>> {
            get(c)
                .map(|t| super::parse_cell(t, row, &code, col))
                .transpose()
                .map(|v| v.filter(|x| !x.is_nan()))
        };
        match get(Some(c_type)).unwrap_or("") {
            "Indicator" | "Aggregate" => {
                let mut n = NodeSpec::new(code.clone(), get(Some(c_parent)));
                n.name = get(c_name).map(str::to_owned);
                n.level = num(c_level, "Level")?.map(|l| l as u32);
                n.weight = num(c_weight, "Weight")?.unwrap_or(1.0);
                n.direction = num(c_dir, "Direction")?.unwrap_or(1.0);
                n.unit = get(c_unit).map(str::to_owned);
                n.target = num(c_target, "Target")?;
                n.denominator = get(c_den).map(str::to_owned);
                meta.framework.nodes.push(n);
            }
            "Group" => meta.groups.push(code),
            "Denominator" => meta.denominators.push(code),
            "Other" => meta.other.push(code),
            t => {
                return Err(Error::invalid(
                    "iMeta",
                    "Type",
                    Some(&code),
                    format!(
                        "row {row}: unknown type {} (expected Indicator, Aggregate, Group, Denominator or Other)",
                        crate::error::Clip(t)
                    ),
                ));
            }
        }
    }
    Ok(meta)
}

/// Reads COINr's `iMeta` and `iData` tables into a framework spec and a data set.
///
/// `iData` columns must be `uCode`, `uName`, `Time` or codes declared in `iMeta`;
/// any other column is an [`Error::UnknownColumn`].
///
/// # Errors
/// The errors of [`read_imeta`] and of [`read_dataset`](super::read_dataset).
pub fn read_coinr<R1: std::io::Read, R2: std::io::Read>(
    imeta: R1,
    idata: R2,
    context: &str,
) -> Result<(FrameworkSpec, Dataset)> {
    let meta = read_imeta(imeta, &format!("{context} iMeta"))?;
    let roles = meta.roles();
    let data = read_dataset(idata, &roles, &format!("{context} iData"))?;
    Ok((meta.framework, data))
}

/// Reads `iMeta.csv` and `iData.csv` files. See [`read_coinr`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`read_coinr`].
pub fn read_coinr_files(
    imeta: impl AsRef<Path>,
    idata: impl AsRef<Path>,
) -> Result<(FrameworkSpec, Dataset)> {
    let (m, d) = (imeta.as_ref(), idata.as_ref());
    read_coinr(open(m)?, open(d)?, &d.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = "Level,iCode,iName,Direction,Weight,Parent,Type,Denominator\n\
        1,a,A,1,1,P,Indicator,Pop\n1,b,B,-1,2,P,Indicator,\n2,P,Pillar,1,1,,Aggregate,\n\
        ,G,Group,,,,Group,\n,Pop,Population,,,,Denominator,\n";

    #[test]
    fn reads_framework_and_roles() {
        let data = "uCode,uName,G,Pop,a,b\nX,Xland,g,10,1,2\nY,Yland,h,20,3,4\n";
        let (f, d) = read_coinr(META.as_bytes(), data.as_bytes(), "t").unwrap();
        assert_eq!(f.nodes.len(), 3);
        assert_eq!(f.nodes[1].direction, -1.0);
        assert_eq!(f.nodes[1].weight, 2.0);
        assert_eq!(f.nodes[0].denominator.as_deref(), Some("Pop"));
        assert_eq!(d.indicator_codes(), ["a", "b"]);
        assert_eq!(d.denominator("Pop"), Some(&[10.0, 20.0][..]));
    }

    #[test]
    fn unknown_idata_column_and_bad_meta() {
        let data = "uCode,G,Pop,a,b,zzz\nX,g,10,1,2,3\n";
        let e = read_coinr(META.as_bytes(), data.as_bytes(), "t").unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { column, .. } if column == "zzz"));
        let bad = "iCode,Parent,Type,Weight\na,P,Indicator,heavy\n";
        let e = read_imeta(bad.as_bytes(), "m").unwrap_err();
        assert!(
            matches!(e, Error::NonNumeric { unit, column, .. } if unit == "a" && column == "Weight")
        );
        let bad = "iCode,Parent,Type\na,P,Thing\n";
        assert!(read_imeta(bad.as_bytes(), "m").is_err());
    }
}
