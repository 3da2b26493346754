//! Sobol sensitivity indices as paired bars with their bootstrap intervals.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    INK, Linear, MUTED, PALETTE, Rows, font, legend, nice_ticks, render, text, text_style, x_axis,
};
use crate::error::Result;
use crate::uncertainty::SobolResult;

/// First-order and total Sobol indices of each uncertain input: two bars per
/// input (first-order, total) with their bootstrap intervals as whiskers.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Input labels.
    pub inputs: Vec<String>,
    /// First-order index and its interval `(index, lo, hi)` per input.
    pub first: Vec<(f64, f64, f64)>,
    /// Total index and its interval per input.
    pub total: Vec<(f64, f64, f64)>,
}

impl SobolChart {
    /// The chart of one set of indices (e.g. those of the mean absolute rank
    /// shift); `output` names the output in the title.
    pub fn from_result(result: &SobolResult, output: &str) -> Self {
        let idx = &result.indices;
        Self {
            title: format!("Sensitivity of {output} to each input"),
            subtitle: Some(format!(
                "First-order and total Sobol indices (N = {}), with their bootstrap intervals.",
                result.n
            )),
            inputs: idx.iter().map(|i| i.input.clone()).collect(),
            first: idx
                .iter()
                .map(|i| (i.first, i.first_interval.0, i.first_interval.1))
                .collect(),
            total: idx
                .iter()
                .map(|i| (i.total, i.total_interval.0, i.total_interval.1))
                .collect(),
        }
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) when the
    /// vectors disagree in length; [`Error::Io`](crate::Error::Io) if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.inputs.len();
        for len in [self.first.len(), self.total.len()] {
            if len != n {
                return Err(crate::Error::DimensionMismatch {
                    what: "indices of the Sobol chart".into(),
                    expected: n,
                    found: len,
                });
            }
        }
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let blank: Vec<String> = vec![String::new(); n];
        let mut rows = Rows::new(&blank, &self.inputs, 480, head + 34);
        rows.row_h = 34;
        let height = rows.bottom() + 52;
        let hi = self
            .first
            .iter()
            .chain(&self.total)
            .flat_map(|&(v, _, h)| [v, h])
            .filter(|v| v.is_finite())
            .fold(1.0f64, f64::max);
        let lo = self
            .first
            .iter()
            .chain(&self.total)
            .flat_map(|&(v, l, _)| [v, l])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::min);
        let (ticks, step) = nice_ticks(lo, hi, 5);
        let (ticks, d0, d1) = super::ranking::round_domain(ticks, step, lo, hi);
        let scale = Linear::new(
            (d0, d1),
            (f64::from(rows.plot_left), f64::from(rows.plot_right)),
        );
        let items = vec![
            ("first-order index S".to_owned(), PALETTE[0]),
            ("total index ST".to_owned(), PALETTE[1]),
        ];
        render(
            "sobol",
            &self.title,
            self.subtitle.as_deref(),
            (rows.width as u32, height as u32),
            |area| {
                legend(area, &items, head, 12, rows.width - 12)?;
                rows.draw_labels(area, &blank, &self.inputs)?;
                x_axis(
                    area,
                    &scale,
                    &ticks,
                    step,
                    rows.bottom() + 4,
                    rows.top,
                    "Sobol index",
                )?;
                let zero = scale.px(0.0);
                let value_style = text_style(font(10.0), MUTED, HPos::Left, VPos::Center);
                for k in 0..n {
                    let y = rows.y(k);
                    for (j, &(v, l, h)) in [self.first[k], self.total[k]].iter().enumerate() {
                        let yc = y - 7 + 14 * j as i32;
                        let color = PALETTE[j];
                        if v.is_finite() {
                            let (a, b) = (zero.min(scale.px(v)), zero.max(scale.px(v)));
                            area.draw(&Rectangle::new(
                                [(a, yc - 5), (b.max(a + 1), yc + 5)],
                                color.filled(),
                            ))?;
                        }
                        if l.is_finite() && h.is_finite() {
                            let (a, b) = (scale.px(l), scale.px(h));
                            area.draw(&PathElement::new(
                                vec![(a, yc), (b, yc)],
                                INK.stroke_width(1),
                            ))?;
                            for x in [a, b] {
                                area.draw(&PathElement::new(
                                    vec![(x, yc - 3), (x, yc + 3)],
                                    INK.stroke_width(1),
                                ))?;
                            }
                        }
                        let end = [v, h]
                            .into_iter()
                            .filter(|x| x.is_finite())
                            .fold(0.0f64, f64::max);
                        text(
                            area,
                            &super::style::num(v, 3),
                            (scale.px(end) + 5, yc),
                            &value_style,
                        )?;
                    }
                }
                Ok(())
            },
        )
    }
}
