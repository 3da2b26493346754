//! Uncertainty chart: nominal and median rank of each unit with its 90% interval.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{INK, Linear, Rows, font, nice_ticks, render, text, text_style, x_axis};
use crate::error::{Error, Result};
use crate::uncertainty::NodeUncertainty;

/// Colour of the median rank and of the interval.
const MEDIAN: RGBColor = RGBColor(78, 121, 167);
/// Colour of the nominal rank.
const NOMINAL: RGBColor = RGBColor(242, 142, 43);

/// An uncertainty chart: one row per unit in order of nominal rank, with the
/// interval between the 5th and 95th percentiles of its rank over the Monte Carlo
/// runs (a line), its median rank (a blue dot) and its nominal rank (an orange
/// ring). Rank 1 is at the left.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Row labels (unit names), in display order.
    pub labels: Vec<String>,
    /// Nominal rank of each row (`None` when the unit has no nominal score).
    pub nominal: Vec<Option<u32>>,
    /// Median rank (NaN when the unit never had a score).
    pub median: Vec<f64>,
    /// 5th percentile of the rank.
    pub lo: Vec<f64>,
    /// 95th percentile of the rank.
    pub hi: Vec<f64>,
}

impl UncertaintyChart {
    /// The chart of one node's uncertainty results; `label` turns a unit code
    /// into the label shown (its name, say).
    pub fn from_node(node: &NodeUncertainty, runs: usize, label: impl Fn(&str) -> String) -> Self {
        let mut order: Vec<usize> = (0..node.units.len()).collect();
        order.sort_by(|&a, &b| {
            let key = |u: usize| {
                let s = &node.units[u];
                (s.nominal_rank.unwrap_or(u32::MAX), ordered(s.median_rank))
            };
            key(a).cmp(&key(b))
        });
        let pick = |f: fn(&crate::uncertainty::UnitSummary) -> f64| {
            order
                .iter()
                .map(|&u| f(&node.units[u]))
                .collect::<Vec<f64>>()
        };
        Self {
            title: format!("Uncertainty of the ranks of {}", node.node),
            subtitle: Some(format!(
                "Median rank and 5th-95th percentile interval over {runs} Monte Carlo runs; units in order of nominal rank."
            )),
            labels: order.iter().map(|&u| label(&node.units[u].unit)).collect(),
            nominal: order.iter().map(|&u| node.units[u].nominal_rank).collect(),
            median: pick(|s| s.median_rank),
            lo: pick(|s| s.q05_rank),
            hi: pick(|s| s.q95_rank),
        }
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the vectors disagree in length;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.labels.len();
        for (what, len) in [
            ("nominal ranks of the uncertainty chart", self.nominal.len()),
            ("median ranks of the uncertainty chart", self.median.len()),
            ("5th percentiles of the uncertainty chart", self.lo.len()),
            ("95th percentiles of the uncertainty chart", self.hi.len()),
        ] {
            if len != n {
                return Err(Error::DimensionMismatch {
                    what: what.into(),
                    expected: n,
                    found: len,
                });
            }
        }
        let ranks: Vec<String> = self
            .nominal
            .iter()
            .map(|r| r.map_or_else(|| "–".to_owned(), |r| r.to_string()))
            .collect();
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let rows = Rows::new(&ranks, &self.labels, 520, head + 24 + 10);
        let height = rows.bottom() + 52;
        let max_rank = self
            .hi
            .iter()
            .chain(&self.median)
            .copied()
            .chain(self.nominal.iter().flatten().map(|&r| f64::from(r)))
            .filter(|v| v.is_finite())
            .fold(n as f64, f64::max)
            .max(1.0);
        // Whole ranks only: steps of 1, 2 or 5 times a power of ten, and rank 1.
        let (_, raw) = nice_ticks(1.0, max_rank, 8);
        let mut step = 1.0;
        while step < raw {
            step *= if (step / 10f64.powf(step.log10().floor()) - 2.0).abs() < 1e-9 {
                2.5
            } else {
                2.0
            };
        }
        let ticks: Vec<f64> = std::iter::once(1.0)
            .chain(
                (1..)
                    .map(|k| k as f64 * step)
                    .take_while(|&t| t <= max_rank),
            )
            .filter(|&t| t == 1.0 || t > 1.0 + step / 2.0)
            .collect();
        let scale = Linear::new(
            (0.5, max_rank + 0.5),
            (f64::from(rows.plot_left), f64::from(rows.plot_right)),
        );
        render(
            "uncertainty",
            &self.title,
            self.subtitle.as_deref(),
            (rows.width as u32, height as u32),
            |area| {
                draw_legend(area, head)?;
                rows.draw_labels(area, &ranks, &self.labels)?;
                x_axis(
                    area,
                    &scale,
                    &ticks,
                    step,
                    rows.bottom() + 4,
                    rows.top,
                    "Rank (1 = best)",
                )?;
                for k in 0..n {
                    let y = rows.y(k);
                    let (lo, hi) = (self.lo[k], self.hi[k]);
                    if lo.is_finite() && hi.is_finite() {
                        let (a, b) = (scale.px(lo), scale.px(hi));
                        area.draw(&PathElement::new(
                            vec![(a, y), (b, y)],
                            MEDIAN.mix(0.55).stroke_width(3),
                        ))?;
                        for x in [a, b] {
                            area.draw(&PathElement::new(
                                vec![(x, y - 4), (x, y + 4)],
                                MEDIAN.stroke_width(1),
                            ))?;
                        }
                    }
                    if self.median[k].is_finite() {
                        area.draw(&Circle::new(
                            (scale.px(self.median[k]), y),
                            4,
                            MEDIAN.filled(),
                        ))?;
                    }
                    if let Some(r) = self.nominal[k] {
                        area.draw(&Circle::new(
                            (scale.px(f64::from(r)), y),
                            5,
                            NOMINAL.stroke_width(2),
                        ))?;
                    }
                }
                Ok(())
            },
        )
    }
}

/// Total order key of a float (NaN last).
fn ordered(v: f64) -> u64 {
    if v.is_nan() { u64::MAX } else { v.to_bits() }
}

fn draw_legend(area: &super::style::Area<'_>, top: i32) -> super::style::DrawResult {
    let style = text_style(font(12.0), INK, HPos::Left, VPos::Center);
    let y = top + 10;
    let mut x = 14;
    area.draw(&Circle::new((x, y), 4, MEDIAN.filled()))?;
    text(area, "median rank", (x + 10, y), &style)?;
    x += 110;
    area.draw(&Circle::new((x, y), 5, NOMINAL.stroke_width(2)))?;
    text(area, "nominal rank", (x + 10, y), &style)?;
    x += 115;
    area.draw(&PathElement::new(
        vec![(x - 6, y), (x + 18, y)],
        MEDIAN.mix(0.55).stroke_width(3),
    ))?;
    for e in [x - 6, x + 18] {
        area.draw(&PathElement::new(
            vec![(e, y - 4), (e, y + 4)],
            MEDIAN.stroke_width(1),
        ))?;
    }
    text(
        area,
        "90% interval (5th to 95th percentile)",
        (x + 26, y),
        &style,
    )?;
    Ok(())
}
