//! Trends of each unit's series: compound annual growth rate and percentage
//! change (METHODS 7.4; COINr's `get_trends`, `CAGR`, `prc_change`, `approx_df`).
//!
//! For each (column, unit) series of a [`StackedData`], ordered by time:
//!
//! 1. with `interp_at`, missing values at those times are interpolated
//!    linearly between observed values, without extrapolation (R's `approx`
//!    with `rule = 1`); times of `interp_at` absent from the series are added;
//! 2. with `times`, the series is restricted to those editions;
//! 3. with `use_latest = n`, only the window of the `n` time points ending at
//!    the latest observed one is used (when the series has that many points);
//! 4. the metric is computed from the observed points of what is left:
//!    - CAGR `(y_last / y_first)^(1/(t_last - t_first)) - 1` (a fraction; 0 when
//!      `y_last == y_first`);
//!    - percentage change: with two points `100 (y_last - y_first)/y_first/(t_last - t_first)`,
//!      with three or more the least-squares line `y = a + b t` gives
//!      `100 b/(a + b t_first)` (percent per time unit); 0 when all values are equal.
//!
//! A series with fewer than two observed points has no trend. A metric that is
//! not a finite number (a CAGR from a zero start, or of a negative ratio with a
//! fractional power; a percentage change from a zero start) is reported as
//! undefined with the reason, never as a number.
//!
//! Differences from COINr 1.1.14 (METHODS 7.4), by design: `times` selects the
//! editions asked for (COINr indexes the rows by their position in `Time`, so
//! `Time = c(2021, 2022)` on 2018-2022 data computes the 2018-2019 trend, and a
//! single column fails); `use_latest = n` with exactly `n` points uses them all
//! (COINr's off-by-one gives no trend); undefined metrics are reported as such
//! (COINr returns `Inf` or `NaN`).

use std::collections::HashMap;

use super::stacked::StackedData;
use crate::error::{Error, Result};

/// The trend metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum TrendMetric {
    /// Compound annual growth rate (a fraction, COINr's `CAGR`).
    #[default]
    Cagr,
    /// Percentage change per time unit (COINr's `prc_change`).
    PrcChange,
}

impl TrendMetric {
    /// COINr's name of the metric (`"CAGR"`, `"prc_change"`).
    pub fn coinr_name(self) -> &'static str {
        match self {
            Self::Cagr => "CAGR",
            Self::PrcChange => "prc_change",
        }
    }
}

/// Options of [`trends`].
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct TrendOptions {
    /// The metric.
    pub metric: TrendMetric,
    /// Interpolate missing values at these times (`Some(vec![])`: at every
    /// time of the data, COINr's `"all"`).
    pub interp_at: Option<Vec<f64>>,
    /// Use only the latest `n` time points of each series.
    pub use_latest: Option<usize>,
    /// Use only these editions (ignored with `use_latest`, as in COINr).
    pub times: Option<Vec<f64>>,
    /// Multiply each column's metric by its direction (COINr's `adjust_directions`).
    pub directions: HashMap<String, f64>,
}

impl TrendOptions {
    /// Options for a metric, every other option off.
    pub fn new(metric: TrendMetric) -> Self {
        Self {
            metric,
            ..Self::default()
        }
    }

    /// Interpolates at these times (empty: every time of the data).
    #[must_use]
    pub fn interp_at(mut self, times: Vec<f64>) -> Self {
        self.interp_at = Some(times);
        self
    }

    /// Uses only the latest `n` points of each series.
    #[must_use]
    pub fn use_latest(mut self, n: usize) -> Self {
        self.use_latest = Some(n);
        self
    }

    /// Uses only these editions.
    #[must_use]
    pub fn times(mut self, times: Vec<f64>) -> Self {
        self.times = Some(times);
        self
    }
}

/// Why a trend is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Undefined {
    /// The first value is zero: growth from zero is infinite.
    ZeroStart,
    /// The ratio of last to first value is negative: no real root.
    NegativeRatio,
    /// The fitted line is zero at the first time point.
    ZeroFittedStart,
}

impl Undefined {
    /// A short explanation.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ZeroStart => "the series starts at zero",
            Self::NegativeRatio => "the first and last values have opposite signs",
            Self::ZeroFittedStart => "the fitted line is zero at the first time point",
        }
    }
}

/// A trend value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "kind", content = "value", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Trend {
    /// The metric.
    Value(f64),
    /// Fewer than two observed points.
    TooFewPoints,
    /// Not a finite number, and why.
    Undefined(Undefined),
}

impl Trend {
    /// The value, when there is one.
    pub fn value(self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// The trend of one (column, unit) series and its data availability.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TrendRow {
    /// Unit code.
    pub unit: String,
    /// Column (indicator or aggregate) code.
    pub column: String,
    /// The trend.
    pub trend: Trend,
    /// Share of the series' time points with an observed (raw) value.
    pub avail: f64,
    /// First observed time (with at least two observations).
    pub t_first: Option<f64>,
    /// Last observed time (with at least two observations).
    pub t_latest: Option<f64>,
    /// With `use_latest`: share of observed raw values in the window.
    pub avail_use_latest: Option<f64>,
    /// With `use_latest`: first observed time in the window.
    pub t_first_use_latest: Option<f64>,
    /// With `use_latest`: the window's `(time, raw value)` points.
    pub window: Vec<(f64, f64)>,
}

/// Trends of every (column, unit) series of `data`; see the [module docs](self).
/// `units = None` takes every unit. Rows are sorted by column then unit.
///
/// # Errors
/// [`Error::UnknownCode`] for a column not in `data`; [`Error::InvalidParameter`]
/// for `interp_at` times outside the data's range, `times` absent from the data,
/// or `use_latest = 0`.
pub fn trends(
    data: &StackedData,
    columns: &[String],
    units: Option<&[String]>,
    options: &TrendOptions,
) -> Result<Vec<TrendRow>> {
    let all_times = data.times();
    let (lo, hi) = (
        all_times.first().copied().unwrap_or(f64::NAN),
        all_times.last().copied().unwrap_or(f64::NAN),
    );
    let interp: Option<Vec<f64>> = match &options.interp_at {
        None => None,
        Some(t) if t.is_empty() => Some(all_times.clone()),
        Some(t) => {
            if let Some(x) = t.iter().find(|x| !(**x >= lo && **x <= hi)) {
                return Err(Error::invalid(
                    "trends",
                    "interp_at",
                    None,
                    format!("{x} is outside the time range of the data ({lo} to {hi})"),
                ));
            }
            Some(t.clone())
        }
    };
    if let Some(ts) = &options.times
        && let Some(x) = ts.iter().find(|x| !all_times.contains(x))
    {
        return Err(Error::invalid(
            "trends",
            "times",
            None,
            format!("{x} is not a time of the data"),
        ));
    }
    if options.use_latest == Some(0) {
        return Err(Error::invalid(
            "trends",
            "use_latest",
            None,
            "must be at least 1",
        ));
    }
    let mut cols: Vec<&String> = Vec::with_capacity(columns.len());
    for c in columns {
        if data.column(c).is_none() {
            return Err(Error::UnknownCode {
                kind: "column",
                code: c.clone(),
                context: format!("the {} data set (trends)", data.name),
            });
        }
        cols.push(c);
    }
    cols.sort();
    let mut unit_list = match units {
        Some(u) => u.to_vec(),
        None => data.units(),
    };
    unit_list.sort();
    let mut rows = Vec::with_capacity(cols.len() * unit_list.len());
    for c in cols {
        let direction = options.directions.get(c.as_str()).copied().unwrap_or(1.0);
        for u in &unit_list {
            let series = data.series(u, c);
            let mut row = series_trend(&series, interp.as_deref(), options);
            if let Trend::Value(v) = row.trend {
                row.trend = Trend::Value(v * direction);
            }
            row.unit.clone_from(u);
            row.column.clone_from(c);
            rows.push(row);
        }
    }
    Ok(rows)
}

/// The trend of one series (`(time, value)` in time order).
fn series_trend(series: &[(f64, f64)], interp: Option<&[f64]>, options: &TrendOptions) -> TrendRow {
    // Times of the series, with interp_at times added; raw values (NaN at added times).
    let mut tt: Vec<f64> = series.iter().map(|p| p.0).collect();
    let mut raw: Vec<f64> = series.iter().map(|p| p.1).collect();
    if let Some(at) = interp {
        for &t in at {
            if !tt.contains(&t) {
                tt.push(t);
                raw.push(f64::NAN);
            }
        }
        let mut order: Vec<usize> = (0..tt.len()).collect();
        order.sort_by(|&a, &b| tt[a].total_cmp(&tt[b]));
        tt = order.iter().map(|&i| tt[i]).collect();
        raw = order.iter().map(|&i| raw[i]).collect();
    }
    // The (possibly) interpolated series.
    let mut y = raw.clone();
    if let Some(at) = interp {
        let obs: Vec<(f64, f64)> = tt
            .iter()
            .zip(&raw)
            .filter(|(_, v)| !v.is_nan())
            .map(|(&t, &v)| (t, v))
            .collect();
        if obs.len() > 1 {
            for (k, &t) in tt.iter().enumerate() {
                if at.contains(&t) {
                    y[k] = approx_rule1(&obs, t);
                }
            }
        } else {
            y.iter_mut().for_each(|v| *v = f64::NAN);
        }
    }
    // Restrict to the requested editions (when use_latest is not given).
    let (tt_raw, raw_sel): (Vec<f64>, Vec<f64>) = match &options.times {
        Some(ts) => tt
            .iter()
            .zip(&raw)
            .filter(|(t, _)| ts.contains(t))
            .map(|(&t, &v)| (t, v))
            .unzip(),
        None => (tt.clone(), raw.clone()),
    };
    let (tt_use, y_use): (Vec<f64>, Vec<f64>) = match (&options.times, options.use_latest) {
        (Some(ts), None) => tt
            .iter()
            .zip(&y)
            .filter(|(t, _)| ts.contains(t))
            .map(|(&t, &v)| (t, v))
            .unzip(),
        _ => (tt.clone(), y.clone()),
    };
    let observed = |v: &[f64]| v.iter().filter(|x| !x.is_nan()).count();
    let mut row = TrendRow {
        unit: String::new(),
        column: String::new(),
        trend: Trend::TooFewPoints,
        avail: if raw_sel.is_empty() {
            0.0
        } else {
            observed(&raw_sel) as f64 / raw_sel.len() as f64
        },
        t_first: None,
        t_latest: None,
        avail_use_latest: None,
        t_first_use_latest: None,
        window: Vec::new(),
    };
    if observed(&raw_sel) > 1 {
        row.t_first = raw_sel.iter().position(|v| !v.is_nan()).map(|i| tt_raw[i]);
        row.t_latest = raw_sel.iter().rposition(|v| !v.is_nan()).map(|i| tt_raw[i]);
    }
    if observed(&y_use) < 2 {
        return row;
    }
    let (x, yv): (Vec<f64>, Vec<f64>) = match options.use_latest {
        None => (tt_use, y_use),
        Some(n) => {
            let Some(latest) = y_use.iter().rposition(|v| !v.is_nan()) else {
                return row;
            };
            // COINr requires i_first > 1 (1-based): an off-by-one that never lets
            // the first time point into a window; here the window may start there.
            if latest + 1 < n {
                return row;
            }
            let first = latest + 1 - n;
            let x: Vec<f64> = tt_use[first..=latest].to_vec();
            let yw: Vec<f64> = y_use[first..=latest].to_vec();
            let raw_w = &raw[first..=latest];
            row.window = x.iter().copied().zip(raw_w.iter().copied()).collect();
            row.avail_use_latest = Some(observed(raw_w) as f64 / raw_w.len() as f64);
            if observed(&yw) > 1 {
                row.t_first_use_latest = yw.iter().position(|v| !v.is_nan()).map(|i| x[i]);
            }
            if observed(&yw) < 2 {
                return row;
            }
            (x, yw)
        }
    };
    row.trend = match options.metric {
        TrendMetric::Cagr => cagr(&x, &yv),
        TrendMetric::PrcChange => prc_change(&x, &yv),
    };
    row
}

/// `stats::approx(x, y, xout = v, rule = 1)` (linear, no extrapolation).
fn approx_rule1(obs: &[(f64, f64)], v: f64) -> f64 {
    let n = obs.len();
    if v < obs[0].0 || v > obs[n - 1].0 {
        return f64::NAN;
    }
    let (mut i, mut j) = (0, n - 1);
    while i + 1 < j {
        let ij = (i + j) / 2;
        if v < obs[ij].0 {
            j = ij;
        } else {
            i = ij;
        }
    }
    let ((xi, yi), (xj, yj)) = (obs[i], obs[j]);
    if v == xj {
        return yj;
    }
    if v == xi {
        return yi;
    }
    yi + (yj - yi) * ((v - xi) / (xj - xi))
}

/// The observed `(x, y)` pairs, sorted by x.
fn observed_pairs(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(_, v)| !v.is_nan())
        .map(|(&a, &b)| (a, b))
        .collect();
    p.sort_by(|a, b| a.0.total_cmp(&b.0));
    p
}

/// COINr's `CAGR(y, x)`.
fn cagr(x: &[f64], y: &[f64]) -> Trend {
    let p = observed_pairs(x, y);
    if p.len() < 2 {
        return Trend::TooFewPoints;
    }
    let ((x0, y0), (x1, y1)) = (p[0], p[p.len() - 1]);
    if y1 == y0 {
        return Trend::Value(0.0);
    }
    if y0 == 0.0 {
        return Trend::Undefined(Undefined::ZeroStart);
    }
    let v = (y1 / y0).powf(1.0 / (x1 - x0)) - 1.0;
    if v.is_finite() {
        Trend::Value(v)
    } else {
        Trend::Undefined(Undefined::NegativeRatio)
    }
}

/// COINr's `prc_change(y, x, per = 1)`.
fn prc_change(x: &[f64], y: &[f64]) -> Trend {
    let p = observed_pairs(x, y);
    if p.len() < 2 {
        return Trend::TooFewPoints;
    }
    if p.iter().all(|q| q.1 == p[0].1) {
        return Trend::Value(0.0);
    }
    let ((x0, y0), (x1, y1)) = (p[0], p[p.len() - 1]);
    let v = if p.len() < 3 {
        if y0 == 0.0 {
            return Trend::Undefined(Undefined::ZeroStart);
        }
        ((y1 - y0) * 100.0 / y0) * (1.0 / (x1 - x0))
    } else {
        // Least squares y = a + b x (closed form, centred).
        let n = p.len() as f64;
        let xm = p.iter().map(|q| q.0).sum::<f64>() / n;
        let ym = p.iter().map(|q| q.1).sum::<f64>() / n;
        let sxy: f64 = p.iter().map(|q| (q.0 - xm) * (q.1 - ym)).sum();
        let sxx: f64 = p.iter().map(|q| (q.0 - xm) * (q.0 - xm)).sum();
        let b = sxy / sxx;
        let a = ym - b * xm;
        let start = a + b * x0;
        if start == 0.0 {
            return Trend::Undefined(Undefined::ZeroFittedStart);
        }
        (b * 1.0) / start * 100.0
    };
    if v.is_finite() {
        Trend::Value(v)
    } else {
        Trend::Undefined(Undefined::ZeroStart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    const NAN: f64 = f64::NAN;

    fn data(times: &[f64], y: &[f64]) -> StackedData {
        StackedData {
            name: "t".into(),
            time: times.to_vec(),
            unit_codes: vec!["A".into(); times.len()],
            columns: vec!["x".into()],
            values: DMatrix::from_column_slice(times.len(), 1, y),
        }
    }

    fn one(d: &StackedData, o: &TrendOptions) -> TrendRow {
        trends(d, &["x".to_string()], None, o).unwrap().remove(0)
    }

    #[test]
    fn cagr_and_prc_change_by_hand() {
        let d = data(&[2018.0, 2019.0, 2020.0], &[100.0, NAN, 121.0]);
        let r = one(&d, &TrendOptions::new(TrendMetric::Cagr));
        assert!((r.trend.value().unwrap() - 0.1).abs() < 1e-15);
        assert_eq!((r.t_first, r.t_latest), (Some(2018.0), Some(2020.0)));
        assert!((r.avail - 2.0 / 3.0).abs() < 1e-15);
        let r = one(&d, &TrendOptions::new(TrendMetric::PrcChange));
        assert!((r.trend.value().unwrap() - 10.5).abs() < 1e-12);
        // Three points: OLS slope 1 through 10, 11, 12 -> 100 * 1 / 10.
        let d = data(&[1.0, 2.0, 3.0], &[10.0, 11.0, 12.0]);
        let r = one(&d, &TrendOptions::new(TrendMetric::PrcChange));
        assert!((r.trend.value().unwrap() - 10.0).abs() < 1e-12);
        let d = data(&[1.0, 2.0], &[0.0, 3.0]);
        assert_eq!(
            one(&d, &TrendOptions::new(TrendMetric::Cagr)).trend,
            Trend::Undefined(Undefined::ZeroStart)
        );
        let d = data(&[1.0, 3.0], &[-1.0, 3.0]);
        assert_eq!(
            one(&d, &TrendOptions::new(TrendMetric::Cagr)).trend,
            Trend::Undefined(Undefined::NegativeRatio)
        );
        let d = data(&[1.0, 2.0], &[5.0, 5.0]);
        assert_eq!(
            one(&d, &TrendOptions::new(TrendMetric::PrcChange)).trend,
            Trend::Value(0.0)
        );
    }

    #[test]
    fn times_select_the_editions_asked_for() {
        // METHODS 7.4g: COINr computes 2018 -> 2019 here; the right trend is 2021 -> 2022.
        let d = data(
            &[2018.0, 2019.0, 2020.0, 2021.0, 2022.0],
            &[1.0, 2.0, 3.0, 4.0, 5.0],
        );
        let r = one(
            &d,
            &TrendOptions::new(TrendMetric::Cagr).times(vec![2021.0, 2022.0]),
        );
        assert!((r.trend.value().unwrap() - 0.25).abs() < 1e-15);
        assert_eq!(r.t_first, Some(2021.0));
        assert!(
            trends(
                &d,
                &["x".into()],
                None,
                &TrendOptions::new(TrendMetric::Cagr).times(vec![2030.0])
            )
            .is_err()
        );
    }

    #[test]
    fn use_latest_includes_the_first_point() {
        // METHODS 7.4f: with 5 points COINr gives NA for use_latest = 5.
        let d = data(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 2.0, 3.0, 4.0, 16.0]);
        let r = one(&d, &TrendOptions::new(TrendMetric::Cagr).use_latest(5));
        assert!((r.trend.value().unwrap() - 1.0).abs() < 1e-15);
        assert_eq!(r.window.len(), 5);
        assert_eq!(r.avail_use_latest, Some(1.0));
        let r = one(&d, &TrendOptions::new(TrendMetric::Cagr).use_latest(2));
        assert!((r.trend.value().unwrap() - 3.0).abs() < 1e-15);
        let r = one(&d, &TrendOptions::new(TrendMetric::Cagr).use_latest(6));
        assert_eq!(r.trend, Trend::TooFewPoints);
    }

    #[test]
    fn interp_at_adds_points_and_never_extrapolates() {
        // interp_at = 2019.5 adds a point, lowering Avail to 5/6 (METHODS 7.4d).
        let d = data(
            &[2018.0, 2019.0, 2020.0, 2021.0, 2022.0],
            &[NAN, 2.0, NAN, 4.0, 7.0],
        );
        let r = one(
            &d,
            &TrendOptions::new(TrendMetric::PrcChange).interp_at(vec![2019.5]),
        );
        assert!((r.avail - 3.0 / 6.0).abs() < 1e-15);
        let all = one(
            &d,
            &TrendOptions::new(TrendMetric::PrcChange).interp_at(vec![]),
        );
        let none = one(&d, &TrendOptions::new(TrendMetric::PrcChange));
        // Interpolating 2020 (= 3) changes the regression (2, 3, 4, 7 against 2, 4, 7).
        assert!(all.trend.value().unwrap().is_finite(), "{all:?}");
        assert_ne!(all.trend, none.trend);
        // CAGR only sees the first and last observed points.
        let c1 = one(&d, &TrendOptions::new(TrendMetric::Cagr).interp_at(vec![]));
        let c2 = one(&d, &TrendOptions::new(TrendMetric::Cagr));
        assert_eq!(c1.trend, c2.trend);
        assert!(
            trends(
                &d,
                &["x".into()],
                None,
                &TrendOptions::new(TrendMetric::Cagr).interp_at(vec![2030.0])
            )
            .is_err()
        );
    }
}
