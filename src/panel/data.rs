//! Panel data: one data set per edition (time point).

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::data::Dataset;
use crate::error::{Error, Result};

/// Data over several editions: one [`Dataset`] per time point, in increasing
/// time order (COINr's "purse"). Editions may have different units (units enter
/// and leave the panel; that is normal) and, with one framework per edition,
/// different indicators. Within an edition each unit has one row; the same unit
/// code in two editions is the same unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    times: Vec<f64>,
    editions: Vec<Arc<Dataset>>,
}

impl Panel {
    /// A panel from `(time, data set)` pairs, in any order.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for no edition, a non-finite time or the same
    /// time twice.
    pub fn new(editions: Vec<(f64, Dataset)>) -> Result<Self> {
        Self::from_shared(
            editions
                .into_iter()
                .map(|(t, d)| (t, Arc::new(d)))
                .collect(),
        )
    }

    /// As [`Panel::new`], with shared data sets.
    ///
    /// # Errors
    /// As [`Panel::new`].
    pub fn from_shared(mut editions: Vec<(f64, Arc<Dataset>)>) -> Result<Self> {
        if editions.is_empty() {
            return Err(Error::invalid(
                "panel",
                "editions",
                None,
                "a panel needs at least one edition",
            ));
        }
        if let Some((t, _)) = editions.iter().find(|(t, _)| !t.is_finite()) {
            return Err(Error::invalid(
                "panel",
                "time",
                None,
                format!("time {t} is not finite"),
            ));
        }
        editions.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(w) = editions.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::invalid(
                "panel",
                "time",
                None,
                format!("two data sets for time {}", w[0].0),
            ));
        }
        let (times, editions) = editions.into_iter().unzip();
        Ok(Self { times, editions })
    }

    /// Splits a table whose rows each carry a time (`times[i]` for row `i` of
    /// the columns) into editions. `build` makes the data set of the rows given.
    #[cfg(feature = "csv")]
    pub(crate) fn split<F>(times: &[f64], mut build: F) -> Result<Self>
    where
        F: FnMut(&[usize], f64) -> Result<Dataset>,
    {
        let distinct: BTreeSet<u64> = times.iter().map(|t| t.to_bits()).collect();
        let mut ts: Vec<f64> = distinct.into_iter().map(f64::from_bits).collect();
        ts.sort_by(f64::total_cmp);
        let mut editions = Vec::with_capacity(ts.len());
        for t in ts {
            let rows: Vec<usize> = (0..times.len()).filter(|&i| times[i] == t).collect();
            editions.push((t, Arc::new(build(&rows, t)?)));
        }
        Self::from_shared(editions)
    }

    /// Number of editions.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether the panel has no edition (never true for a constructed panel).
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The editions' times, increasing.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The data set of an edition.
    pub fn edition(&self, time: f64) -> Option<&Dataset> {
        self.position(time).map(|k| &*self.editions[k])
    }

    /// Position of an edition in [`Panel::times`].
    pub fn position(&self, time: f64) -> Option<usize> {
        self.times.iter().position(|&t| t == time)
    }

    /// `(time, data set)` of every edition, in time order.
    pub fn editions(&self) -> impl Iterator<Item = (f64, &Dataset)> {
        self.times
            .iter()
            .copied()
            .zip(self.editions.iter().map(|d| &**d))
    }

    pub(crate) fn shared(&self, k: usize) -> &Arc<Dataset> {
        &self.editions[k]
    }

    /// Every unit code of the panel, sorted.
    pub fn units(&self) -> Vec<String> {
        let set: BTreeSet<&String> = self.editions.iter().flat_map(|d| d.unit_codes()).collect();
        set.into_iter().cloned().collect()
    }

    /// Adds to each edition an all-missing row for every unit of the panel that
    /// has no row there (COINr's `retain_all_uCodes_on_split = TRUE`), so that
    /// panel imputation can fill them. Group labels of the new rows are missing;
    /// names come from the unit's other editions.
    ///
    /// # Errors
    /// The errors of rebuilding the data sets (none for a valid panel).
    pub fn with_all_units(self) -> Result<Self> {
        let all = self.units();
        let name_of = |u: &str| {
            self.editions
                .iter()
                .find_map(|d| d.unit_index(u).map(|i| d.unit_names()[i].clone()))
        };
        let mut out = Vec::with_capacity(self.len());
        for (t, d) in self.times.iter().zip(&self.editions) {
            let missing: Vec<&String> = all.iter().filter(|u| d.unit_index(u).is_none()).collect();
            if missing.is_empty() {
                out.push((*t, Arc::clone(d)));
                continue;
            }
            let n = d.n_units() + missing.len();
            let mut codes = d.unit_codes().to_vec();
            codes.extend(missing.iter().map(|u| (*u).clone()));
            let mut names = d.unit_names().to_vec();
            names.extend(
                missing
                    .iter()
                    .map(|u| name_of(u).unwrap_or_else(|| (*u).clone())),
            );
            let pad = |v: &[f64]| {
                let mut c = v.to_vec();
                c.resize(n, f64::NAN);
                c
            };
            let columns = d
                .indicator_codes()
                .iter()
                .map(|c| (c.clone(), pad(d.indicator(c).unwrap_or(&[]))))
                .collect();
            let mut e = Dataset::from_columns(codes, columns)?.with_unit_names(names)?;
            for g in d.groups() {
                let mut v = g.values.clone();
                v.resize(n, None);
                e = e.with_group(g.name.clone(), v)?;
            }
            for c in d.denominators() {
                e = e.with_denominator(c.name.clone(), pad(&c.values))?;
            }
            if d.time().is_some() {
                e = e.with_time(vec![*t; n])?;
            }
            out.push((*t, Arc::new(e)));
        }
        Self::from_shared(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(units: &[&str], x: &[f64]) -> Dataset {
        Dataset::from_columns(
            units.iter().map(|s| s.to_string()).collect(),
            vec![("x".into(), x.to_vec())],
        )
        .unwrap()
    }

    #[test]
    fn sorts_editions_and_refuses_duplicates() {
        let p = Panel::new(vec![
            (2021.0, d(&["A"], &[1.0])),
            (2020.0, d(&["A", "B"], &[2.0, 3.0])),
        ])
        .unwrap();
        assert_eq!(p.times(), &[2020.0, 2021.0]);
        assert_eq!(p.edition(2020.0).unwrap().n_units(), 2);
        assert_eq!(p.units(), vec!["A".to_string(), "B".to_string()]);
        assert!(Panel::new(vec![(1.0, d(&["A"], &[1.0])), (1.0, d(&["A"], &[1.0]))]).is_err());
        assert!(Panel::new(vec![]).is_err());
        assert!(Panel::new(vec![(f64::NAN, d(&["A"], &[1.0]))]).is_err());
    }

    #[test]
    fn all_units_adds_missing_rows() {
        let p = Panel::new(vec![
            (1.0, d(&["A", "B"], &[1.0, 2.0])),
            (2.0, d(&["A"], &[3.0])),
        ])
        .unwrap()
        .with_all_units()
        .unwrap();
        let e = p.edition(2.0).unwrap();
        assert_eq!(e.unit_codes(), ["A", "B"]);
        assert!(e.indicator("x").unwrap()[1].is_nan());
    }
}
