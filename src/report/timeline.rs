//! Scores over editions (a line chart).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    GRID, INK, Linear, MUTED, font, legend, legend_height, nice_ticks, render, series_color, text,
    text_style, tick_label,
};
use crate::error::{Error, Result};
use crate::panel::Editions;

/// The scores of chosen units at one node, edition by edition: one line per
/// unit, a gap where a score is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Edition times (x axis), increasing.
    pub times: Vec<f64>,
    /// `(unit label, score in each edition, NaN = missing)`.
    pub series: Vec<(String, Vec<f64>)>,
    /// Label of the score axis.
    pub axis_label: String,
}

impl ScoreChart {
    /// The chart of `units` (codes) at `node`; with no units, the top 10 of the
    /// last edition.
    pub fn from_editions(editions: &Editions, node: &str, units: &[String]) -> Self {
        let series = super::bump::chosen(editions, node, units)
            .into_iter()
            .map(|(u, label)| {
                let scores = editions
                    .history(&u, node)
                    .iter()
                    .map(|p| p.score.unwrap_or(f64::NAN))
                    .collect();
                (label, scores)
            })
            .collect();
        Self {
            title: format!("Score of {node} over the editions"),
            subtitle: Some(
                "Scores of each edition, computed on that edition's framework and data.".into(),
            ),
            times: editions.editions().iter().map(|e| e.time()).collect(),
            series,
            axis_label: format!("{node} score"),
        }
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when a series has not one score per edition;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.times.len();
        for (label, s) in &self.series {
            if s.len() != n {
                return Err(Error::DimensionMismatch {
                    what: format!("scores of {label:?} in the score chart"),
                    expected: n,
                    found: s.len(),
                });
            }
        }
        let values = self
            .series
            .iter()
            .flat_map(|(_, s)| s.iter())
            .filter(|v| v.is_finite());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
        let (lo, hi) = if lo.is_finite() {
            (lo, if hi > lo { hi } else { lo + 1.0 })
        } else {
            (0.0, 1.0)
        };
        let (ticks, step) = nice_ticks(lo, hi, 6);
        let (ticks, d0, d1) = super::ranking::round_domain(ticks, step, lo, hi);
        let items: Vec<(String, RGBColor)> = self
            .series
            .iter()
            .enumerate()
            .map(|(k, (l, _))| (l.clone(), series_color(k)))
            .collect();
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let (left, width) = (64, 760);
        let right = width - 24;
        let legend_h = legend_height(&items, 12, width - 12);
        let top = head + legend_h + 20;
        let bottom = top + 320;
        let height = bottom + 48;
        let (t0, t1) = (
            self.times.first().copied().unwrap_or(0.0),
            self.times.last().copied().unwrap_or(1.0),
        );
        let x = Linear::new((t0, t1), (f64::from(left + 10), f64::from(right - 10)));
        let y = Linear::new((d0, d1), (f64::from(bottom), f64::from(top)));
        render(
            "scores",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                legend(area, &items, head, 12, width - 12)?;
                let tick_style = text_style(font(11.0), MUTED, HPos::Right, VPos::Center);
                for &t in &ticks {
                    let py = y.px(t);
                    area.draw(&PathElement::new(
                        vec![(left, py), (right, py)],
                        GRID.stroke_width(1),
                    ))?;
                    text(area, &tick_label(t, step), (left - 6, py), &tick_style)?;
                }
                let year_style = text_style(font(11.0), INK, HPos::Center, VPos::Top);
                for &t in &self.times {
                    let px = x.px(t);
                    area.draw(&PathElement::new(
                        vec![(px, bottom), (px, bottom + 4)],
                        INK.stroke_width(1),
                    ))?;
                    text(area, &t.to_string(), (px, bottom + 8), &year_style)?;
                }
                area.draw(&PathElement::new(
                    vec![(left, bottom), (right, bottom)],
                    INK.stroke_width(1),
                ))?;
                let axis = text_style(font(12.0), INK, HPos::Left, VPos::Bottom);
                text(area, &self.axis_label, (left, top - 6), &axis)?;
                for (k, (_, s)) in self.series.iter().enumerate() {
                    let color = series_color(k);
                    let pts: Vec<Option<(i32, i32)>> = self
                        .times
                        .iter()
                        .zip(s)
                        .map(|(&t, &v)| v.is_finite().then(|| (x.px(t), y.px(v))))
                        .collect();
                    for w in pts.windows(2) {
                        if let (Some(a), Some(b)) = (w[0], w[1]) {
                            area.draw(&PathElement::new(vec![a, b], color.stroke_width(2)))?;
                        }
                    }
                    for p in pts.iter().flatten() {
                        area.draw(&Circle::new(*p, 3, color.filled()))?;
                    }
                }
                Ok(())
            },
        )
    }
}
