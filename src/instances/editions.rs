//! The GII and PII over several editions: published ranks, the 2025 provincial
//! merger, and runs of each edition on its own framework.
//!
//! | item | what |
//! |---|---|
//! | [`gii_published`] | published GII ranks 2023-2025 (overall `GII`, input `IN`, output `OUT`), with the 2024 and 2025 frameworks |
//! | [`pii_published`] | published PII ranks 2023-2025 (`PII`), with the merger mapping |
//! | [`pii_merger_2025`] | which of the 63 provinces of 2023-2024 became part of which of the 34 units of 2025 |
//! | [`pii_provinces_2023`] | the 63 provinces of 2023-2024 with this project's codes |
//! | [`gii_editions`], [`pii_editions`] | each edition of a [`Panel`] computed with the instance ([`gii::run`], [`pii::run`]) and gathered into [`Editions`] |
//!
//! The published tables hold the units the press reported, not whole
//! rankings; each edition knows how many units it ranked (132, 133 and 139
//! economies; 63, 63 and 34 provinces). Sources and confidence:
//! `data/editions/README.md` ([`Confidence::Reported`] throughout). WIPO
//! publishes each GII edition on its own framework; the GII 2023 framework is
//! not encoded in the crate, so comparisons with 2023 say that its changes are
//! not reported.
//!
//! ```
//! use composite_index::instances::editions::{gii_published, pii_published};
//! use composite_index::panel::Condition;
//!
//! # fn main() -> composite_index::Result<()> {
//! let gii = gii_published()?;
//! let c = gii.compare("GII", 2023.0, 2025.0)?;
//! assert_eq!(c.row("VNM").unwrap().change(), Some(2)); // 46th -> 44th
//! let pii = pii_published()?;
//! let s = pii.streak("HNI", "PII", &Condition::RankAtMost(1), None)?.unwrap();
//! assert_eq!(s.length, 3);
//! # Ok(())
//! # }
//! ```

use super::gii::{self, GiiRun};
use super::pii;
use crate::error::{Error, Result};
use crate::panel::{Edition, Editions, Panel, UnitChange, UnitMapping};
use crate::spec::{Confidence, Provenance};

/// Provenance of the published rank tables of `data/editions/`.
pub fn published_provenance() -> Provenance {
    Provenance::new(
        "press coverage and provincial releases of the GII and PII (the project's fact \
         sheets); see data/editions/README.md",
        Confidence::Reported,
    )
}

/// Provenance of the 2025 provincial merger mapping ([`pii_merger_2025`]).
pub fn merger_provenance() -> Provenance {
    Provenance::new(
        "Resolution No. 202/2025/QH15 of the National Assembly on the 2025 provincial \
         merger, transcribed by this project from press reports of it; not checked against \
         the resolution's text (see data/editions/README.md)",
        Confidence::Unconfirmed,
    )
}

const GII_PUBLISHED: &str = include_str!("../../data/editions/gii_published.csv");
const PII_PUBLISHED: &str = include_str!("../../data/editions/pii_published.csv");
const PII_PROVINCES_2023: &str = include_str!("../../data/editions/pii_provinces_2023.csv");
const PII_MERGER_2025: &str = include_str!("../../data/editions/pii_merger_2025.csv");

/// The rows of a shipped table (no quoted fields): header, then fields by name.
fn rows(text: &'static str, file: &str) -> Result<Vec<Vec<(&'static str, &'static str)>>> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    lines
        .enumerate()
        .map(|(i, l)| {
            let cells: Vec<&str> = l.split(',').collect();
            if cells.len() != header.len() {
                return Err(Error::Table {
                    context: format!("data/editions/{file}"),
                    row: Some(i as u64 + 1),
                    column: None,
                    message: format!("{} fields for {} columns", cells.len(), header.len()),
                });
            }
            Ok(header.iter().copied().zip(cells).collect())
        })
        .collect()
}

fn field<'a>(row: &[(&str, &'a str)], name: &str) -> &'a str {
    row.iter()
        .find(|(h, _)| *h == name)
        .map_or("", |(_, v)| v.trim())
}

fn number(row: &[(&str, &str)], name: &str, file: &str) -> Result<Option<f64>> {
    let s = field(row, name);
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<f64>().map(Some).map_err(|_| Error::Table {
        context: format!("data/editions/{file}"),
        row: None,
        column: Some(name.into()),
        message: format!("{s:?} is not a number"),
    })
}

/// The published GII ranks 2023-2025 (nodes `GII`, `IN`, `OUT`), each edition
/// with its number of economies ranked and, for 2024 and 2025, its framework.
///
/// # Errors
/// [`Error::Table`] if the shipped table is malformed (a bug of the crate).
pub fn gii_published() -> Result<Editions> {
    let file = "gii_published.csv";
    let mut editions: Vec<Edition> = Vec::new();
    for row in rows(GII_PUBLISHED, file)? {
        let year = number(&row, "edition", file)?.unwrap_or(f64::NAN);
        let ranked = number(&row, "economies_ranked", file)?.map(|n| n as usize);
        let k = match editions.iter().position(|e| e.time() == year) {
            Some(k) => k,
            None => {
                let mut e = Edition::published(year, ranked).with_label(format!("GII {year}"));
                if let Ok(fw) = gii::framework(year as u16) {
                    e = e.with_framework(fw.spec().clone());
                }
                editions.push(e);
                editions.len() - 1
            }
        };
        let (code, name) = (field(&row, "iso3"), field(&row, "economy"));
        let score = number(&row, "gii_score", file)?;
        for (node, column) in [
            ("GII", "gii_rank"),
            ("IN", "input_rank"),
            ("OUT", "output_rank"),
        ] {
            if let Some(r) = number(&row, column, file)? {
                let s = if node == "GII" { score } else { None };
                editions[k].set_rank(code, name, node, r as u32, s)?;
            }
        }
    }
    Editions::new(editions)
}

/// The 63 provinces and cities of 2023-2024: `(code, Vietnamese name, ASCII name)`.
///
/// # Errors
/// [`Error::Table`] if the shipped table is malformed (a bug of the crate).
pub fn pii_provinces_2023() -> Result<Vec<(&'static str, &'static str, &'static str)>> {
    Ok(rows(PII_PROVINCES_2023, "pii_provinces_2023.csv")?
        .iter()
        .map(|r| (field(r, "code"), field(r, "name"), field(r, "name_ascii")))
        .collect())
}

/// The 2025 merger: each 2023-2024 province (`old`) and the 2025 unit it became
/// part of (`new`), from edition 2025 on.
///
/// # Errors
/// [`Error::Table`] if the shipped table is malformed (a bug of the crate).
pub fn pii_merger_2025() -> Result<UnitMapping> {
    let file = "pii_merger_2025.csv";
    let changes = rows(PII_MERGER_2025, file)?
        .iter()
        .map(|r| {
            Ok(UnitChange {
                edition: number(r, "edition", file)?.unwrap_or(f64::NAN),
                old: field(r, "old").to_owned(),
                new: field(r, "new").to_owned(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    UnitMapping::new(changes)
}

/// The published PII ranks 2023-2025 (node `PII`), each edition with its number
/// of units ranked, linked by the 2025 merger ([`pii_merger_2025`]).
///
/// # Errors
/// [`Error::Table`] if the shipped tables are malformed (a bug of the crate).
pub fn pii_published() -> Result<Editions> {
    let file = "pii_published.csv";
    let mut editions: Vec<Edition> = Vec::new();
    for row in rows(PII_PUBLISHED, file)? {
        let year = number(&row, "edition", file)?.unwrap_or(f64::NAN);
        let ranked = number(&row, "units_ranked", file)?.map(|n| n as usize);
        let k = match editions.iter().position(|e| e.time() == year) {
            Some(k) => k,
            None => {
                editions.push(Edition::published(year, ranked).with_label(format!("PII {year}")));
                editions.len() - 1
            }
        };
        let rank = number(&row, "rank", file)?.unwrap_or(0.0) as u32;
        editions[k].set_rank(
            field(&row, "code"),
            field(&row, "province"),
            "PII",
            rank,
            number(&row, "pii_score", file)?,
        )?;
    }
    Ok(Editions::new(editions)?.with_mapping(pii_merger_2025()?))
}

/// Each edition of `panel` computed with the GII of its year ([`gii::run`]:
/// that edition's framework, the GII's treatment and coverage rules), gathered
/// into [`Editions`] with their frameworks, so that comparisons state how the
/// frameworks changed. Every edition runs on its own data, as WIPO publishes.
///
/// # Errors
/// [`Error::InvalidParameter`] for a year whose framework the crate does not
/// know; the errors of [`gii::run`], wrapped in [`Error::InEdition`].
pub fn gii_editions(panel: &Panel) -> Result<(Vec<GiiRun>, Editions)> {
    let mut runs = Vec::with_capacity(panel.len());
    let mut editions = Vec::with_capacity(panel.len());
    for (t, data) in panel.editions() {
        let wrap = |e: Error| Error::InEdition {
            time: t,
            source: Box::new(e),
        };
        let run = gii::run(t as u16, data.clone()).map_err(wrap)?;
        editions.push(
            Edition::from_results(t, &run.results, data)
                .with_framework(run.pipeline.framework().spec().clone())
                .with_label(format!("GII {t}")),
        );
        runs.push(run);
    }
    Ok((runs, Editions::new(editions)?))
}

/// Each edition of `panel` computed with the PII ([`pii::run`]), gathered into
/// [`Editions`] linked by the 2025 merger. An edition year without a shipped PII
/// specification of its own is computed with the latest one (the crate ships
/// the 2025 method; the method of earlier years is not published). Data of 2023-2024 use the codes of
/// [`pii_provinces_2023`], data of 2025 those of
/// [`pii::provinces`]`(2025)`.
///
/// # Errors
/// The errors of [`pii::run`], wrapped in [`Error::InEdition`].
pub fn pii_editions(panel: &Panel) -> Result<(Vec<GiiRun>, Editions)> {
    let mut runs = Vec::with_capacity(panel.len());
    let mut editions = Vec::with_capacity(panel.len());
    let shipped = pii::editions();
    for (t, data) in panel.editions() {
        let year = if shipped.contains(&(t as u16)) {
            t as u16
        } else {
            shipped.last().copied().unwrap_or(t as u16)
        };
        let run = pii::run(year, data.clone()).map_err(|e| Error::InEdition {
            time: t,
            source: Box::new(e),
        })?;
        editions.push(
            Edition::from_results(t, &run.results, data)
                .with_framework(run.pipeline.framework().spec().clone())
                .with_label(format!("PII {t}")),
        );
        runs.push(run);
    }
    Ok((
        runs,
        Editions::new(editions)?.with_mapping(pii_merger_2025()?),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{Condition, UnitStatus};

    #[test]
    fn viet_nam_in_the_gii_2023_2025() {
        let g = gii_published().unwrap();
        let ranks = |node: &str| -> Vec<Option<u32>> {
            g.history("VNM", node).iter().map(|p| p.rank).collect()
        };
        assert_eq!(ranks("GII"), vec![Some(46), Some(44), Some(44)]);
        assert_eq!(ranks("IN"), vec![Some(57), Some(53), Some(50)]);
        assert_eq!(ranks("OUT"), vec![Some(40), Some(36), Some(37)]);
        let c = g.compare("GII", 2024.0, 2025.0).unwrap();
        let v = c.row("VNM").unwrap();
        assert_eq!((v.ranked_from, v.ranked_to), (133, 139));
        assert_eq!(
            v.describe("ranked", "2024", "2025"),
            "Viet Nam: ranked 44th in 2025, unchanged from 2024"
        );
        // The frameworks of 2024 and 2025 are known: their changes are stated.
        assert!(
            c.note()
                .contains("between 2024 and 2025 the framework changed"),
            "{}",
            c.note()
        );
        assert!(
            g.compare("GII", 2023.0, 2024.0)
                .unwrap()
                .note()
                .contains("not both known")
        );
        let out = g.compare("OUT", 2024.0, 2025.0).unwrap();
        assert_eq!(out.row("VNM").unwrap().change(), Some(-1));
    }

    #[test]
    fn pii_provinces_merger_and_sentences() {
        assert_eq!(pii_provinces_2023().unwrap().len(), 63);
        let m = pii_merger_2025().unwrap();
        assert_eq!(m.changes().len(), 63);
        let news: std::collections::BTreeSet<&str> =
            m.changes().iter().map(|c| c.new.as_str()).collect();
        assert_eq!(news.len(), 34);
        for p in pii::provinces(2025).unwrap() {
            assert!(news.contains(p.code.as_str()), "{}", p.code);
        }
        let p = pii_published().unwrap();
        let s = p
            .streak("HNI", "PII", &Condition::RankAtMost(1), None)
            .unwrap()
            .unwrap();
        assert_eq!((s.length, s.since), (3, 2023.0));
        let c = p.compare("PII", 2023.0, 2024.0).unwrap();
        let bn = c.row("BNH").unwrap();
        assert_eq!((bn.rank_from, bn.rank_to), (Some(6), Some(11)));
        let c = p.compare("PII", 2024.0, 2025.0).unwrap();
        let bn = c.row("BNH").unwrap();
        assert!(matches!(&bn.status, UnitStatus::Merged { from } if from.len() == 2));
        let ranks: Vec<Option<u32>> = bn.predecessors.iter().map(|p| p.rank).collect();
        assert_eq!(ranks, vec![Some(10), Some(11)]);
        // Long An (12th in 2024) became part of Tay Ninh, which the 2025 table
        // does not list: not reported, not "left".
        assert_eq!(c.row("LAN").unwrap().status, UnitStatus::NotReported);
    }
}
