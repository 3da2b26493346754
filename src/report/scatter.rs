//! Scatter plot of two variables, units labelled, with an optional fitted trend
//! (COINr's `plot_scatter`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{tick_width, value_domain, variable, y_axis};
use super::ranking::{round_domain, unit_labels};
use super::style::{
    INK, Linear, MUTED, PALETTE, font, legend, legend_height, nice_ticks, render, series_color,
    text, text_style, text_width, truncate, x_axis,
};
use crate::error::{Error, Result};
use crate::insights::{CovariateTransform, DevelopmentFit, DevelopmentOptions, fit_development};
use crate::pipeline::Pipeline;
use crate::results::Results;

/// A scatter plot: one point per unit, labelled where the label fits without
/// covering another (highlighted units first), coloured by group when groups
/// are given, with an optional fitted trend drawn as a line.
///
/// The trend is [`fit_development`]'s least-squares polynomial of `y` on the
/// (transformed) `x`; with [`CovariateTransform::Ln`] or `Log10` the x axis is
/// drawn on a log scale, on which a degree-1 trend is a straight line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// One label per point (unit names).
    pub labels: Vec<String>,
    /// x values (NaN: the point is left out).
    pub x: Vec<f64>,
    /// y values (NaN: the point is left out).
    pub y: Vec<f64>,
    /// Group of each point, for colours and a legend (empty: one colour).
    pub groups: Vec<Option<String>>,
    /// Points drawn larger, in a strong colour, and labelled first.
    pub highlight: Vec<usize>,
    /// A fitted trend of `y` on `x`, drawn over the points.
    pub fit: Option<DevelopmentFit>,
    /// Draw the x axis on a log scale (positive values only).
    pub log_x: bool,
}

impl ScatterChart {
    /// A scatter plot of two columns.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the vectors differ in length.
    pub fn new(
        title: impl Into<String>,
        labels: Vec<String>,
        (x_label, x): (String, Vec<f64>),
        (y_label, y): (String, Vec<f64>),
    ) -> Result<Self> {
        for (what, len) in [("x values", x.len()), ("y values", y.len())] {
            if len != labels.len() {
                return Err(Error::DimensionMismatch {
                    what: format!("{what} of the scatter plot (one per label)"),
                    expected: labels.len(),
                    found: len,
                });
            }
        }
        Ok(Self {
            title: title.into(),
            subtitle: None,
            x_label,
            y_label,
            labels,
            x,
            y,
            groups: Vec::new(),
            highlight: Vec::new(),
            fit: None,
            log_x: false,
        })
    }

    /// A scatter plot of two variables of a run ([`variable`] names: a column
    /// code, or `"dataset:code"`), units labelled by name.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown variable.
    pub fn from_results(pipeline: &Pipeline, results: &Results, x: &str, y: &str) -> Result<Self> {
        let xs = variable(pipeline, results, x)?;
        let ys = variable(pipeline, results, y)?;
        let title = format!("{} against {}", ys.0, xs.0);
        Self::new(title, unit_labels(pipeline, results), xs, ys)
    }

    /// Colours the points by a group column of the run's input data.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown group column.
    pub fn grouped_by(
        mut self,
        pipeline: &Pipeline,
        results: &Results,
        column: &str,
    ) -> Result<Self> {
        let g = pipeline
            .data()
            .group(column)
            .ok_or_else(|| Error::UnknownCode {
                kind: "group column",
                code: column.into(),
                context: "the input data (scatter plot)".into(),
            })?;
        self.groups = results
            .last()
            .units
            .iter()
            .map(|&r| g.values.get(r).cloned().flatten())
            .collect();
        Ok(self)
    }

    /// Adds a least-squares trend of `y` on the transformed `x` of the given
    /// degree (1: a straight line); a log transform also draws x on a log scale.
    ///
    /// # Errors
    /// The errors of [`fit_development`] (too few points, degenerate x).
    pub fn with_fit(mut self, transform: CovariateTransform, degree: usize) -> Result<Self> {
        let codes: Vec<String> = (0..self.labels.len()).map(|i| i.to_string()).collect();
        let fit = fit_development(
            &codes,
            &self.y,
            &self.x,
            &self.x_label,
            &DevelopmentOptions::default()
                .with_transform(transform)
                .with_degree(degree),
        )?;
        self.subtitle = Some(format!(
            "Line: least-squares fit of degree {degree} on {}x (R² = {:.2}, {} points).",
            match transform {
                CovariateTransform::Identity => "",
                CovariateTransform::Ln => "ln ",
                CovariateTransform::Log10 => "log10 ",
            },
            fit.r_squared,
            fit.n_used
        ));
        self.log_x = transform != CovariateTransform::Identity;
        self.fit = Some(fit);
        Ok(self)
    }

    /// Highlights the points with these labels (unknown labels are ignored).
    #[must_use]
    pub fn highlight_labels(mut self, labels: &[&str]) -> Self {
        self.highlight = self
            .labels
            .iter()
            .enumerate()
            .filter(|(_, l)| labels.contains(&l.as_str()))
            .map(|(i, _)| i)
            .collect();
        self
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the vectors differ in length;
    /// [`Error::InvalidParameter`] for a log scale with no positive x;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.labels.len();
        for (what, len) in [("x", self.x.len()), ("y", self.y.len())] {
            if len != n {
                return Err(Error::DimensionMismatch {
                    what: format!("{what} values of the scatter plot"),
                    expected: n,
                    found: len,
                });
            }
        }
        if !self.groups.is_empty() && self.groups.len() != n {
            return Err(Error::DimensionMismatch {
                what: "groups of the scatter plot".into(),
                expected: n,
                found: self.groups.len(),
            });
        }
        let tx = |v: f64| if self.log_x { v.log10() } else { v };
        let points: Vec<usize> = (0..n)
            .filter(|&i| {
                self.x[i].is_finite() && self.y[i].is_finite() && (!self.log_x || self.x[i] > 0.0)
            })
            .collect();
        let xs: Vec<f64> = points.iter().map(|&i| tx(self.x[i])).collect();
        let ys: Vec<f64> = points.iter().map(|&i| self.y[i]).collect();
        let range = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
        };
        if self.log_x && points.is_empty() && !self.x.is_empty() {
            return Err(Error::invalid(
                "scatter plot",
                "log_x",
                None,
                "a log scale needs positive x values",
            ));
        }
        let (x_lo, x_hi) = range(&xs);
        let (y_lo, y_hi) = range(&ys);
        let pad = |lo: f64, hi: f64| {
            let d = if hi > lo { (hi - lo) * 0.04 } else { 1.0 };
            (lo - d, hi + d)
        };
        let (x_lo, x_hi) = pad(x_lo, x_hi);
        let (y_lo, y_hi) = pad(y_lo, y_hi);
        let (xt, x_step) = if self.log_x {
            let (a, b) = (x_lo.floor() as i32, x_hi.ceil() as i32);
            ((a..=b).map(f64::from).collect(), 1.0)
        } else {
            nice_ticks(x_lo, x_hi, 6)
        };
        let (xt, xd0, xd1) = round_domain(xt, x_step, x_lo, x_hi);
        let (yt, y_step, yd0, yd1) = value_domain(y_lo, y_hi, 6);
        // Group colours.
        let mut group_names: Vec<String> = Vec::new();
        for g in self.groups.iter().flatten() {
            if !group_names.contains(g) {
                group_names.push(g.clone());
            }
        }
        let color_of = |i: usize| -> RGBColor {
            match self.groups.get(i).cloned().flatten() {
                Some(g) => series_color(group_names.iter().position(|x| *x == g).unwrap_or(0)),
                None if group_names.is_empty() => PALETTE[0],
                None => RGBColor(160, 160, 160),
            }
        };
        let items: Vec<(String, RGBColor)> = group_names
            .iter()
            .enumerate()
            .map(|(k, g)| (g.clone(), series_color(k)))
            .collect();
        let width = 860;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let legend_h = legend_height(&items, 12, width - 12);
        let top = head + legend_h + 16;
        let plot_h = 480;
        let y_label_x = 18;
        let left = y_label_x + 12 + tick_width(&yt, y_step) + 10;
        let right = width - 24;
        let bottom = top + plot_h;
        let height = bottom + 52;
        let sx = Linear::new((xd0, xd1), (f64::from(left), f64::from(right)));
        let sy = Linear::new((yd0, yd1), (f64::from(bottom), f64::from(top)));
        let x_tick_labels: Vec<f64> = xt.clone();
        render(
            "scatter",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                legend(area, &items, head, 12, width - 12)?;
                y_axis(
                    area,
                    &sy,
                    (&yt, y_step),
                    left,
                    right,
                    (&self.y_label, y_label_x),
                )?;
                if self.log_x {
                    // Ticks at powers of ten, labelled with their value.
                    let st = text_style(font(11.0), MUTED, HPos::Center, VPos::Top);
                    for &t in &x_tick_labels {
                        let x = sx.px(t);
                        area.draw(&PathElement::new(
                            vec![(x, top), (x, bottom)],
                            super::style::GRID.stroke_width(1),
                        ))?;
                        area.draw(&PathElement::new(
                            vec![(x, bottom), (x, bottom + 4)],
                            INK.stroke_width(1),
                        ))?;
                        text(area, &power_label(t), (x, bottom + 6), &st)?;
                    }
                    area.draw(&PathElement::new(
                        vec![(left, bottom), (right, bottom)],
                        INK.stroke_width(1),
                    ))?;
                    let st = text_style(font(12.0), INK, HPos::Center, VPos::Top);
                    text(
                        area,
                        &format!("{} (log scale)", self.x_label),
                        ((left + right) / 2, bottom + 22),
                        &st,
                    )?;
                } else {
                    x_axis(area, &sx, &xt, x_step, bottom, top, &self.x_label)?;
                }
                // The trend, as a polyline of 120 segments over the x range.
                if let Some(fit) = &self.fit {
                    let mut pts = Vec::new();
                    for k in 0..=120 {
                        let t = xd0 + (xd1 - xd0) * f64::from(k) / 120.0;
                        let raw = if self.log_x { 10f64.powf(t) } else { t };
                        if let Some(v) = fit.expected_at(raw).filter(|v| v.is_finite()) {
                            let y = sy.px(v.clamp(yd0, yd1));
                            if v >= yd0 && v <= yd1 {
                                pts.push((sx.px(t), y));
                            }
                        }
                    }
                    if pts.len() > 1 {
                        area.draw(&PathElement::new(pts, INK.mix(0.8).stroke_width(2)))?;
                    }
                }
                let hl = |i: usize| self.highlight.contains(&i);
                for &i in points.iter().filter(|&&i| !hl(i)) {
                    let (x, y) = (sx.px(tx(self.x[i])), sy.px(self.y[i]));
                    area.draw(&Circle::new((x, y), 4, color_of(i).mix(0.85).filled()))?;
                }
                for &i in points.iter().filter(|&&i| hl(i)) {
                    let (x, y) = (sx.px(tx(self.x[i])), sy.px(self.y[i]));
                    area.draw(&Circle::new((x, y), 6, RGBColor(200, 30, 45).filled()))?;
                    area.draw(&Circle::new((x, y), 6, INK.stroke_width(1)))?;
                }
                // Labels: highlighted points first, then in order; a label is
                // drawn right of its point (or left, near the right edge) when it
                // covers no label drawn before and no other point.
                let dots: Vec<(i32, i32)> = points
                    .iter()
                    .map(|&i| (sx.px(tx(self.x[i])), sy.px(self.y[i])))
                    .collect();
                let mut placed: Vec<[i32; 4]> = Vec::new();
                let mut order: Vec<usize> = (0..points.len()).collect();
                order.sort_by_key(|&k| !hl(points[k]));
                for k in order {
                    let i = points[k];
                    let label = truncate(&self.labels[i], 28);
                    let w = text_width(&label, 11.0).ceil() as i32;
                    let (x, y) = dots[k];
                    let boxes = [
                        [x + 7, y - 7, x + 7 + w, y + 7],
                        [x - 7 - w, y - 7, x - 7, y + 7],
                        [x - w / 2, y - 21, x + w / 2, y - 7],
                        [x - w / 2, y + 7, x + w / 2, y + 21],
                    ];
                    let fits = |b: &[i32; 4]| {
                        b[0] >= left + 2
                            && b[2] <= width - 4
                            && b[1] >= top - 2
                            && b[3] <= bottom
                            && placed.iter().all(|p| !overlaps(p, b))
                            && dots.iter().enumerate().all(|(m, &(px, py))| {
                                m == k
                                    || !(px + 3 > b[0]
                                        && px - 3 < b[2]
                                        && py + 3 > b[1]
                                        && py - 3 < b[3])
                            })
                    };
                    if let Some(b) = boxes.iter().find(|b| fits(b)) {
                        let style = text_style(
                            if hl(i) {
                                super::style::bold(11.0)
                            } else {
                                font(11.0)
                            },
                            if hl(i) { INK } else { MUTED },
                            HPos::Left,
                            VPos::Center,
                        );
                        text(area, &label, (b[0], (b[1] + b[3]) / 2), &style)?;
                        placed.push(*b);
                    }
                }
                Ok(())
            },
        )
    }
}

fn overlaps(a: &[i32; 4], b: &[i32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// `10^k` written out (`0.01`, `1`, `1000`, `1e+06` beyond six digits).
fn power_label(k: f64) -> String {
    let v = 10f64.powf(k);
    if (-3.0..=6.0).contains(&k) {
        let decimals = if k < 0.0 { (-k) as usize } else { 0 };
        format!("{v:.decimals$}")
    } else {
        format!("1e{k:+.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fit_and_a_fit_line_is_drawn() {
        let labels: Vec<String> = ["Avalon", "Brightwater", "Coldharbour", "Dunmore", "Elmet"]
            .map(String::from)
            .to_vec();
        let x = vec![1.0, 10.0, 100.0, 1000.0, f64::NAN];
        let y = vec![10.0, 22.0, 29.0, 41.0, 5.0];
        let c = ScatterChart::new("S", labels, ("GDP".into(), x), ("Score".into(), y))
            .unwrap()
            .with_fit(CovariateTransform::Ln, 1)
            .unwrap()
            .highlight_labels(&["Coldharbour"]);
        assert!(c.log_x && c.fit.as_ref().unwrap().n_used == 4);
        let svg = c.to_svg().unwrap();
        assert!(svg.contains("Coldharbour") && svg.contains("GDP (log scale)"));
        assert!(svg.contains("1000") && svg.contains("<polyline"));
        assert!(!svg.contains("Elmet"), "a point without x is left out");
        assert!(!svg.contains("NaN"));
        assert_eq!(power_label(-2.0), "0.01");
        assert_eq!(power_label(7.0), "1e+7");
        let mut bad = c.clone();
        bad.y.pop();
        assert!(matches!(bad.to_svg(), Err(Error::DimensionMismatch { .. })));
    }
}
