//! A framework as a CSV table of nodes, one row per node.

use crate::error::{Error, Result};
use crate::framework::NodeSpec;
use crate::spec::Confidence;

use super::csv_error;

/// The columns a node table may have: those of [`NodeSpec`]; besides, a column
/// `name_<lang>` (e.g. `name_vi`) gives the names in language `<lang>`
/// ([`NodeSpec::names`]).
pub const NODE_COLUMNS: [&str; 12] = [
    "code",
    "parent",
    "name",
    "weight",
    "direction",
    "level",
    "denominator",
    "target",
    "unit",
    "kind",
    "note",
    "confidence",
];

/// The language tag of a `name_<lang>` column.
fn name_language(column: &str) -> Option<&str> {
    column
        .strip_prefix("name_")
        .filter(|l| !l.trim().is_empty())
}

/// Reads a framework written as a CSV table of nodes: a header naming
/// [`NODE_COLUMNS`] or `name_<lang>` (in any order; `code` and `parent` are
/// required), then one row per node. Empty cells take the field's default (no
/// parent for the root, weight 1, direction +1, no level, and so on). A
/// `confidence` is one of `published`, `verified`, `reported`, `inferred`,
/// `unconfirmed` ([`Confidence`](crate::spec::Confidence)).
///
/// ```
/// use composite_index::io::read_nodes;
/// let nodes = read_nodes(
///     "code,parent,name,direction\nIndex,,My index,\nx,Index,An indicator,-1\n".as_bytes(),
///     "nodes.csv",
/// )?;
/// assert_eq!(nodes[1].direction, -1.0);
/// assert_eq!(nodes[0].parent, None);
/// # Ok::<(), composite_index::Error>(())
/// ```
///
/// # Errors
/// [`Error::Csv`] for malformed CSV; [`Error::MissingColumn`] without `code` or
/// `parent`; [`Error::UnknownColumn`] for a column that is not a node field;
/// [`Error::NonNumeric`] for a weight, direction, level or target that is not a
/// number (naming the row and node); [`Error::Table`] for an unknown
/// confidence; `context` names the table in every error.
pub fn read_nodes<R: std::io::Read>(reader: R, context: &str) -> Result<Vec<NodeSpec>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(context, e))?
        .iter()
        .map(str::to_owned)
        .collect();
    for h in &header {
        if !NODE_COLUMNS.contains(&h.as_str()) && name_language(h).is_none() {
            return Err(Error::UnknownColumn {
                column: h.clone(),
                context: format!(
                    "{context}: a node table has the columns {} and name_<lang>",
                    NODE_COLUMNS.join(", ")
                ),
            });
        }
    }
    let find = |c: &str| header.iter().position(|h| h == c);
    let need = |c: &str| {
        find(c).ok_or_else(|| Error::MissingColumn {
            column: c.into(),
            context: context.into(),
        })
    };
    let (c_code, c_parent) = (need("code")?, need("parent")?);
    let mut nodes = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| csv_error(context, e))?;
        let row = i + 1;
        let text = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let code = text(Some(c_code)).unwrap_or("").to_owned();
        let num = |col: &str| -> Result<Option<f64>> {
            text(find(col))
                .map(|t| super::parse_cell(t, row, &code, col))
                .transpose()
                .map(|v| v.filter(|x| !x.is_nan()))
        };
        let mut n = NodeSpec::new(code.clone(), text(Some(c_parent)));
        let owned = |col: &str| text(find(col)).map(str::to_owned);
        n.name = owned("name");
        n.denominator = owned("denominator");
        n.unit = owned("unit");
        n.kind = owned("kind");
        n.note = owned("note");
        for (c, h) in header.iter().enumerate() {
            if let (Some(lang), Some(name)) = (name_language(h), text(Some(c))) {
                n.names.insert(lang.to_owned(), name.to_owned());
            }
        }
        if let Some(c) = text(find("confidence")) {
            n.confidence = Some(confidence(c).ok_or_else(|| Error::Table {
                context: context.to_owned(),
                row: Some(row as u64 + 1),
                column: Some("confidence".into()),
                message: format!(
                    "node {}: {} is not a confidence (published, verified, reported, inferred or unconfirmed)",
                    crate::error::Clip(&code),
                    crate::error::Clip(c)
                ),
            })?);
        }
        n.weight = num("weight")?.unwrap_or(1.0);
        n.direction = num("direction")?.unwrap_or(1.0);
        n.target = num("target")?;
        n.level = match num("level")? {
            None => None,
            Some(l) if l >= 1.0 && l.fract() == 0.0 && l <= f64::from(u32::MAX) => Some(l as u32),
            Some(_) => {
                return Err(Error::NonNumeric {
                    row,
                    unit: code,
                    column: "level".into(),
                    value: text(find("level")).unwrap_or("").to_owned(),
                });
            }
        };
        nodes.push(n);
    }
    Ok(nodes)
}

/// The confidence named `text` (its [`label`](Confidence::label)).
fn confidence(text: &str) -> Option<Confidence> {
    [
        Confidence::Published,
        Confidence::Verified,
        Confidence::Reported,
        Confidence::Inferred,
        Confidence::Unconfirmed,
    ]
    .into_iter()
    .find(|c| c.label().eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_in_other_languages_and_confidence() {
        let text = "code,parent,name,name_vi,confidence,note\nI,,Index,Chỉ số,published,\nx,I,X,,inferred,press\n";
        let nodes = read_nodes(text.as_bytes(), "t.csv").unwrap();
        assert_eq!(nodes[0].names["vi"], "Chỉ số");
        assert!(nodes[1].names.is_empty());
        assert_eq!(nodes[0].confidence, Some(Confidence::Published));
        assert_eq!(nodes[1].confidence, Some(Confidence::Inferred));
        let e = read_nodes("code,parent,confidence\nI,,sure\n".as_bytes(), "t.csv").unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("t.csv") && m.contains("row 2") && m.contains("sure"),
            "{m}"
        );
        let e = read_nodes("code,parent,name_\nI,,x\n".as_bytes(), "t.csv").unwrap_err();
        assert!(e.to_string().contains("name_"), "{e}");
    }

    #[test]
    fn reads_fields_and_defaults() {
        let text = "code,parent,weight,level,note\nI,,,3,root\nP,I,2,,\nx,P,0.5,1,\n";
        let nodes = read_nodes(text.as_bytes(), "t.csv").unwrap();
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[0].note.as_deref(), Some("root"));
        assert_eq!(nodes[0].level, Some(3));
        assert_eq!(nodes[1].weight, 2.0);
        assert_eq!(nodes[1].parent.as_deref(), Some("I"));
        assert_eq!(nodes[2].weight, 0.5);
    }

    #[test]
    fn errors_name_the_table_row_and_column() {
        let e = read_nodes("code,parnt\nI,\n".as_bytes(), "t.csv").unwrap_err();
        assert!(e.to_string().contains("parnt"), "{e}");
        let e = read_nodes("code\nI\n".as_bytes(), "t.csv").unwrap_err();
        assert!(e.to_string().contains("parent"), "{e}");
        let e = read_nodes("code,parent,weight\nI,,heavy\n".as_bytes(), "t.csv").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("heavy") && m.contains("weight"), "{m}");
        let e = read_nodes("code,parent,level\nI,,1.5\n".as_bytes(), "t.csv").unwrap_err();
        assert!(e.to_string().contains("level"), "{e}");
    }
}
