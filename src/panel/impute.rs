//! Panel imputation: fill a unit's missing value from its other editions
//! (METHODS 7.2; COINr's `impute_panel`).
//!
//! Each (unit, indicator) series, ordered by time, is filled on its own:
//!
//! | method | rule |
//! |---|---|
//! | [`Latest`](PanelImputeMethod::Latest) | the value of the most recent earlier edition where it is observed, looking back at most `max_time` editions of the panel; leading gaps stay missing |
//! | [`Constant`](PanelImputeMethod::Constant) | the previous observed value; leading gaps take the first observed value |
//! | [`Linear`](PanelImputeMethod::Linear) | linear interpolation in time between the observed values around the gap, `y0 + (y1 - y0)((t - t0)/(t1 - t0))` (uneven spacing respected); before the first and after the last observation, the nearest observed value |
//! | [`LinearConstant`](PanelImputeMethod::LinearConstant) | linear with two or more observations, otherwise constant |
//!
//! Observed values never change. `max_time` counts editions of the panel (time
//! points present in the data), not calendar years, as in COINr; and, as in
//! COINr, values are taken from the original data only (an imputed value is
//! never used to impute another). A unit absent from an edition has no row
//! there, so nothing is imputed for it in that edition. Every filled cell is
//! reported with where its value came from.
//!
//! Differences from COINr 1.1.14 (METHODS 7.2), by design: `linear` on a
//! series with a single observation leaves it missing and reports it (COINr
//! stops the whole call); values are matched by (unit, time), so the input's row
//! order does not matter (COINr writes back by position); only indicator
//! columns are imputed (COINr also touches group columns, with errors for
//! text); `max_time` is refused for the interpolating methods, which ignore it
//! in COINr.

use std::collections::{BTreeMap, HashMap};

use nalgebra::DMatrix;

use crate::error::{Error, Result};

/// How gaps are filled (serde: internally tagged by `method`).
///
/// ```toml
/// [[steps]]
/// stage = "impute_panel"
/// method = { method = "latest", max_time = 2 }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum PanelImputeMethod {
    /// The latest earlier observed value (COINr's default `"latest"`).
    Latest {
        /// Look back at most this many editions (`None`: any number).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        max_time: Option<usize>,
    },
    /// Last observation carried forward, first carried backward (`"constant"`).
    Constant {},
    /// Linear interpolation, nearest value at the ends (`"linear"`).
    Linear {},
    /// Linear with two or more observations, else constant (`"linear-constant"`).
    LinearConstant {},
}

impl Default for PanelImputeMethod {
    fn default() -> Self {
        Self::Latest { max_time: None }
    }
}

impl PanelImputeMethod {
    /// The method's name as written in a specification.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Latest { .. } => "latest",
            Self::Constant {} => "constant",
            Self::Linear {} => "linear",
            Self::LinearConstant {} => "linear_constant",
        }
    }
}

/// The panel imputation step: a method and, optionally, the indicators it
/// applies to (all indicators when empty).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct PanelImputeSpec {
    /// The method (default `latest` without limit, as COINr).
    #[cfg_attr(feature = "serde", serde(default))]
    pub method: PanelImputeMethod,
    /// Indicator codes to impute; empty means every indicator.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub columns: Vec<String>,
}

impl PanelImputeSpec {
    /// A step applying `method` to every indicator.
    #[must_use]
    pub fn new(method: PanelImputeMethod) -> Self {
        Self {
            method,
            columns: Vec::new(),
        }
    }

    /// Restricts the step to these indicators.
    #[must_use]
    pub fn with_columns(mut self, columns: Vec<String>) -> Self {
        self.columns = columns;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `max_time = 0`.
    pub fn validate(&self) -> Result<()> {
        if let PanelImputeMethod::Latest { max_time: Some(0) } = self.method {
            return Err(Error::invalid(
                "impute_panel",
                "max_time",
                None,
                "max_time must be at least 1 (the number of earlier editions to look at)",
            ));
        }
        Ok(())
    }
}

/// Where a filled value came from.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "from", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum CellSource {
    /// The value observed in an earlier (or, at a leading gap, later) edition.
    Edition {
        /// That edition's time.
        time: f64,
    },
    /// Interpolated between two observed editions.
    Interpolated {
        /// The observed edition before.
        before: f64,
        /// The observed edition after.
        after: f64,
    },
}

/// One filled cell.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ImputedCell {
    /// Unit code.
    pub unit: String,
    /// Edition.
    pub time: f64,
    /// Indicator code.
    pub indicator: String,
    /// The value filled in.
    pub value: f64,
    /// Where it came from.
    pub source: CellSource,
}

/// Why a series was left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum SkipReason {
    /// No edition has a value.
    NoObservation,
    /// One edition has a value: `linear` cannot interpolate (use `linear_constant`).
    SingleObservation,
}

/// A series with gaps that could not be filled.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SkippedSeries {
    /// Unit code.
    pub unit: String,
    /// Indicator code.
    pub indicator: String,
    /// Why.
    pub reason: SkipReason,
}

/// What panel imputation did, cell by cell.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PanelImputeReport {
    /// The method.
    pub method: PanelImputeMethod,
    /// Every filled cell, by indicator, unit and time.
    pub cells: Vec<ImputedCell>,
    /// Series with gaps left unfilled (interpolating methods), by indicator and unit.
    pub skipped: Vec<SkippedSeries>,
    /// `(time, indicator, number of cells still missing)` for each edition and
    /// indicator with missing cells after imputation.
    pub remaining: Vec<(f64, String, usize)>,
}

impl PanelImputeReport {
    /// The filled cells of one edition.
    pub fn cells_in(&self, time: f64) -> impl Iterator<Item = &ImputedCell> {
        self.cells.iter().filter(move |c| c.time == time)
    }
}

/// One edition's data set as the imputation sees it: its time, its units (one
/// per row), its columns and its values (units x columns, NaN = missing).
#[derive(Debug)]
pub struct PanelSlice<'a> {
    /// The edition's time.
    pub time: f64,
    /// Unit codes, one per row.
    pub units: &'a [String],
    /// Column codes, one per column.
    pub columns: &'a [String],
    /// The values, changed in place.
    pub values: &'a mut DMatrix<f64>,
}

/// One observation of a series: the edition (index into the panel), the row in
/// that edition and the original value.
#[derive(Clone, Copy)]
struct Point {
    edition: usize,
    row: usize,
    value: f64,
}

/// Imputes every edition in place following `spec`; see the [module docs](self).
/// The editions must be in increasing time order.
///
/// # Errors
/// [`Error::InvalidParameter`] for a bad spec or editions not in increasing
/// time order; [`Error::UnknownCode`] for a `columns` entry that is no edition's
/// column; [`Error::Table`] for a unit with two rows in one edition.
pub fn impute_panel(
    editions: &mut [PanelSlice<'_>],
    spec: &PanelImputeSpec,
) -> Result<PanelImputeReport> {
    spec.validate()?;
    if editions.windows(2).any(|w| w[0].time >= w[1].time) {
        return Err(Error::invalid(
            "impute_panel",
            "editions",
            None,
            "the editions must be in increasing time order, each time once",
        ));
    }
    // Columns to impute, in order of first appearance.
    let mut columns: Vec<String> = Vec::new();
    for e in editions.iter() {
        for c in e.columns {
            if !columns.contains(c) {
                columns.push(c.clone());
            }
        }
    }
    if !spec.columns.is_empty() {
        for c in &spec.columns {
            if !columns.contains(c) {
                return Err(Error::UnknownCode {
                    kind: "indicator",
                    code: c.clone(),
                    context: "the columns of the impute_panel step".into(),
                });
            }
        }
        columns.retain(|c| spec.columns.contains(c));
    }
    // Unit rows per edition, and units in order of first appearance.
    let mut units: Vec<String> = Vec::new();
    let mut unit_index: HashMap<&str, usize> = HashMap::new();
    let mut rows: Vec<Vec<Option<usize>>> = Vec::new();
    for (k, e) in editions.iter().enumerate() {
        for (r, u) in e.units.iter().enumerate() {
            let id = *unit_index.entry(u.as_str()).or_insert_with(|| {
                units.push(u.clone());
                rows.push(vec![None; editions.len()]);
                units.len() - 1
            });
            if let Some(first) = rows[id][k] {
                return Err(Error::Table {
                    context: "panel imputation".into(),
                    row: None,
                    column: Some("Time".into()),
                    message: format!(
                        "unit {u:?} has two rows (rows {} and {}) in edition {}",
                        first + 1,
                        r + 1,
                        e.time
                    ),
                });
            }
            rows[id][k] = Some(r);
        }
    }
    let times: Vec<f64> = editions.iter().map(|e| e.time).collect();
    let mut report = PanelImputeReport {
        method: spec.method,
        ..PanelImputeReport::default()
    };
    let mut series: Vec<Point> = Vec::with_capacity(editions.len());
    for code in &columns {
        let col: Vec<Option<usize>> = editions
            .iter()
            .map(|e| e.columns.iter().position(|c| c == code))
            .collect();
        for (u, unit) in units.iter().enumerate() {
            // The unit's rows with this column, in time order, original values.
            series.clear();
            for (k, e) in editions.iter().enumerate() {
                if let (Some(r), Some(j)) = (rows[u][k], col[k]) {
                    series.push(Point {
                        edition: k,
                        row: r,
                        value: e.values[(r, j)],
                    });
                }
            }
            if !series.iter().any(|p| p.value.is_nan()) {
                continue;
            }
            let filled = fill_series(&series, &times, spec.method);
            let observed = series.iter().filter(|p| !p.value.is_nan()).count();
            // "latest" leaves gaps without reporting series (leading gaps are normal).
            let reason = match spec.method {
                PanelImputeMethod::Latest { .. } => None,
                _ if observed == 0 => Some(SkipReason::NoObservation),
                PanelImputeMethod::Linear {} if observed == 1 => {
                    Some(SkipReason::SingleObservation)
                }
                _ => None,
            };
            if let Some(reason) = reason {
                report.skipped.push(SkippedSeries {
                    unit: unit.clone(),
                    indicator: code.clone(),
                    reason,
                });
            }
            for (p, fill) in series.iter().zip(filled) {
                if let Some((value, source)) = fill {
                    let j = col[p.edition].unwrap_or(0);
                    editions[p.edition].values[(p.row, j)] = value;
                    report.cells.push(ImputedCell {
                        unit: unit.clone(),
                        time: times[p.edition],
                        indicator: code.clone(),
                        value,
                        source,
                    });
                }
            }
        }
    }
    let mut remaining: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (k, e) in editions.iter().enumerate() {
        for (c, code) in columns.iter().enumerate() {
            if let Some(j) = e.columns.iter().position(|x| x == code) {
                let n = e.values.column(j).iter().filter(|v| v.is_nan()).count();
                if n > 0 {
                    remaining.insert((k, c), n);
                }
            }
        }
    }
    report.remaining = remaining
        .into_iter()
        .map(|((k, c), n)| (times[k], columns[c].clone(), n))
        .collect();
    Ok(report)
}

/// The fill of each point of a series (`None` for an observed or unfillable one).
fn fill_series(
    series: &[Point],
    times: &[f64],
    method: PanelImputeMethod,
) -> Vec<Option<(f64, CellSource)>> {
    let observed: Vec<(f64, f64)> = series
        .iter()
        .filter(|p| !p.value.is_nan())
        .map(|p| (times[p.edition], p.value))
        .collect();
    let kind = match method {
        PanelImputeMethod::Latest { max_time } => return fill_latest(series, times, max_time),
        _ if observed.is_empty() => return vec![None; series.len()],
        PanelImputeMethod::Linear {} if observed.len() < 2 => return vec![None; series.len()],
        PanelImputeMethod::Constant {} => Approx::Constant,
        PanelImputeMethod::LinearConstant {} if observed.len() < 2 => Approx::Constant,
        PanelImputeMethod::Linear {} | PanelImputeMethod::LinearConstant {} => Approx::Linear,
    };
    series
        .iter()
        .map(|p| {
            p.value
                .is_nan()
                .then(|| approx(&observed, times[p.edition], kind))
        })
        .collect()
}

/// "latest": for a missing point, the first observed value among the (at most
/// `max_time`) editions of the panel before it, newest first.
fn fill_latest(
    series: &[Point],
    times: &[f64],
    max_time: Option<usize>,
) -> Vec<Option<(f64, CellSource)>> {
    // The series' value in each edition of the panel (None: no row there).
    let mut by_edition: Vec<Option<f64>> = vec![None; times.len()];
    for p in series {
        by_edition[p.edition] = Some(p.value);
    }
    series
        .iter()
        .map(|p| {
            if !p.value.is_nan() {
                return None;
            }
            let reach = max_time.unwrap_or(usize::MAX).min(p.edition);
            (1..=reach).find_map(|back| {
                let e = p.edition - back;
                by_edition[e]
                    .filter(|v| !v.is_nan())
                    .map(|v| (v, CellSource::Edition { time: times[e] }))
            })
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Approx {
    Linear,
    Constant,
}

/// R's `approx(x, y, xout = v, rule = 2, method, f = 0)` on observed points
/// sorted by x (R's `approx1`, with its order of operations): the nearest end
/// value outside the range, `y_i + (y_j - y_i)((v - x_i)/(x_j - x_i))` inside
/// for linear, `y_i` for constant.
fn approx(points: &[(f64, f64)], v: f64, kind: Approx) -> (f64, CellSource) {
    let n = points.len();
    let (first, last) = (points[0], points[n - 1]);
    if v < first.0 {
        return (first.1, CellSource::Edition { time: first.0 });
    }
    if v > last.0 {
        return (last.1, CellSource::Edition { time: last.0 });
    }
    let (mut i, mut j) = (0, n - 1);
    while i + 1 < j {
        let ij = (i + j) / 2;
        if v < points[ij].0 {
            j = ij;
        } else {
            i = ij;
        }
    }
    let ((xi, yi), (xj, yj)) = (points[i], points[j]);
    if v == xj {
        return (yj, CellSource::Edition { time: xj });
    }
    if v == xi {
        return (yi, CellSource::Edition { time: xi });
    }
    match kind {
        Approx::Linear => (
            yi + (yj - yi) * ((v - xi) / (xj - xi)),
            CellSource::Interpolated {
                before: xi,
                after: xj,
            },
        ),
        Approx::Constant => (yi, CellSource::Edition { time: xi }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    /// One unit, one column, the given times and values; returns the filled values.
    fn run(
        times: &[f64],
        values: &[f64],
        method: PanelImputeMethod,
    ) -> (Vec<f64>, PanelImputeReport) {
        let units = vec!["U".to_string()];
        let cols = vec!["x".to_string()];
        let mut ms: Vec<DMatrix<f64>> = values
            .iter()
            .map(|&v| DMatrix::from_element(1, 1, v))
            .collect();
        let mut slices: Vec<PanelSlice<'_>> = ms
            .iter_mut()
            .zip(times)
            .map(|(m, &t)| PanelSlice {
                time: t,
                units: &units,
                columns: &cols,
                values: m,
            })
            .collect();
        let r = impute_panel(&mut slices, &PanelImputeSpec::new(method)).unwrap();
        (ms.iter().map(|m| m[(0, 0)]).collect(), r)
    }

    fn same(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x.is_nan() && y.is_nan()) || x == y)
    }

    #[test]
    fn linear_respects_uneven_spacing_and_ends() {
        // METHODS 7.2b: 2010 = 1, 2020 = 11 gives 2 at 2011 and 6 at 2015.
        let t = [2009.0, 2010.0, 2011.0, 2015.0, 2020.0, 2021.0];
        let (v, r) = run(
            &t,
            &[NAN, 1.0, NAN, NAN, 11.0, NAN],
            PanelImputeMethod::Linear {},
        );
        assert!(same(&v, &[1.0, 1.0, 2.0, 6.0, 11.0, 11.0]), "{v:?}");
        assert_eq!(r.cells.len(), 4);
        assert_eq!(
            r.cells[1].source,
            CellSource::Interpolated {
                before: 2010.0,
                after: 2020.0
            }
        );
        assert_eq!(r.cells[0].source, CellSource::Edition { time: 2010.0 });
        assert!(r.remaining.is_empty());
    }

    #[test]
    fn constant_carries_forward_and_backward() {
        let t = [1.0, 2.0, 3.0, 4.0, 5.0];
        let (v, _) = run(
            &t,
            &[NAN, 3.0, NAN, 7.0, NAN],
            PanelImputeMethod::Constant {},
        );
        assert!(same(&v, &[3.0, 3.0, 3.0, 7.0, 7.0]), "{v:?}");
    }

    #[test]
    fn single_observation_linear_is_reported_linear_constant_fills() {
        let t = [1.0, 2.0, 3.0];
        let (v, r) = run(&t, &[NAN, 4.0, NAN], PanelImputeMethod::Linear {});
        assert!(same(&v, &[NAN, 4.0, NAN]));
        assert_eq!(r.skipped[0].reason, SkipReason::SingleObservation);
        assert_eq!(
            r.remaining,
            vec![(1.0, "x".to_string(), 1), (3.0, "x".to_string(), 1)]
        );
        let (v, r) = run(&t, &[NAN, 4.0, NAN], PanelImputeMethod::LinearConstant {});
        assert!(same(&v, &[4.0, 4.0, 4.0]));
        assert!(r.skipped.is_empty());
        let (v, r) = run(&t, &[NAN, NAN, NAN], PanelImputeMethod::LinearConstant {});
        assert!(same(&v, &[NAN, NAN, NAN]));
        assert_eq!(r.skipped[0].reason, SkipReason::NoObservation);
    }

    #[test]
    fn latest_looks_back_max_time_editions_in_the_original_data() {
        // METHODS 7.2a: a 2-year gap with max_time = 1 leaves the second gap year
        // missing (the first is missing in the original data); leading gaps stay.
        let t = [2010.0, 2011.0, 2015.0, 2020.0];
        let m = |k| PanelImputeMethod::Latest { max_time: k };
        let (v, r) = run(&t, &[5.0, NAN, NAN, 8.0], m(Some(1)));
        assert!(same(&v, &[5.0, 5.0, NAN, 8.0]), "{v:?}");
        assert_eq!(r.cells[0].source, CellSource::Edition { time: 2010.0 });
        let (v, _) = run(&t, &[5.0, NAN, NAN, 8.0], m(None));
        assert!(same(&v, &[5.0, 5.0, 5.0, 8.0]));
        let (v, _) = run(&t, &[NAN, 2.0, NAN, NAN], m(Some(2)));
        assert!(same(&v, &[NAN, 2.0, 2.0, 2.0]));
        assert!(PanelImputeSpec::new(m(Some(0))).validate().is_err());
    }

    #[test]
    fn absent_units_are_skipped_and_duplicates_refused() {
        // Unit B has no row in the middle edition: its gap is filled from the
        // first edition, and nothing is added for the absent year.
        let cols = vec!["x".to_string()];
        let (ab, a) = (
            vec!["A".to_string(), "B".to_string()],
            vec!["A".to_string()],
        );
        let mut m1 = DMatrix::from_column_slice(2, 1, &[1.0, 10.0]);
        let mut m2 = DMatrix::from_column_slice(1, 1, &[NAN]);
        let mut m3 = DMatrix::from_column_slice(2, 1, &[3.0, NAN]);
        let mut slices = vec![
            PanelSlice {
                time: 1.0,
                units: &ab,
                columns: &cols,
                values: &mut m1,
            },
            PanelSlice {
                time: 2.0,
                units: &a,
                columns: &cols,
                values: &mut m2,
            },
            PanelSlice {
                time: 3.0,
                units: &ab,
                columns: &cols,
                values: &mut m3,
            },
        ];
        let r = impute_panel(
            &mut slices,
            &PanelImputeSpec::new(PanelImputeMethod::LinearConstant {}),
        )
        .unwrap();
        assert_eq!(m2[(0, 0)], 2.0);
        assert_eq!(m3[(1, 0)], 10.0);
        assert_eq!(r.cells.len(), 2);
        let dup = vec!["A".to_string(), "A".to_string()];
        let mut m4 = DMatrix::from_column_slice(2, 1, &[1.0, 2.0]);
        let mut bad = vec![PanelSlice {
            time: 1.0,
            units: &dup,
            columns: &cols,
            values: &mut m4,
        }];
        assert!(matches!(
            impute_panel(&mut bad, &PanelImputeSpec::default()),
            Err(Error::Table { .. })
        ));
    }
}
