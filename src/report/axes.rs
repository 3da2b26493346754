//! Helpers of the charts with a vertical value axis (scatter, dot and
//! distribution plots), and the lookup of a variable of a run by name.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    Area, DrawResult, GRID, INK, Linear, MUTED, font, text, text_style, tick_label, vertical_style,
};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::results::Results;

/// Draws a vertical value axis at pixel column `x` over the scale's range, with
/// grid lines from `x` to `grid_right`, tick labels at the left, and the label
/// `(text, x)` written upwards at column `x`.
pub(crate) fn y_axis(
    area: &Area<'_>,
    scale: &Linear,
    (ticks, step): (&[f64], f64),
    x: i32,
    grid_right: i32,
    (label, label_x): (&str, i32),
) -> DrawResult {
    let tick_style = text_style(font(11.0), MUTED, HPos::Right, VPos::Center);
    for &t in ticks {
        let y = scale.px(t);
        area.draw(&PathElement::new(
            vec![(x, y), (grid_right, y)],
            GRID.stroke_width(1),
        ))?;
        area.draw(&PathElement::new(
            vec![(x - 4, y), (x, y)],
            INK.stroke_width(1),
        ))?;
        text(area, &tick_label(t, step), (x - 6, y), &tick_style)?;
    }
    let (y0, y1) = (scale.p0.round() as i32, scale.p1.round() as i32);
    area.draw(&PathElement::new(
        vec![(x, y0), (x, y1)],
        INK.stroke_width(1),
    ))?;
    if !label.is_empty() {
        text(
            area,
            label,
            (label_x, (y0 + y1) / 2),
            &vertical_style(12.0, INK),
        )?;
    }
    Ok(())
}

/// Width in pixels of the widest tick label.
pub(crate) fn tick_width(ticks: &[f64], step: f64) -> i32 {
    ticks
        .iter()
        .map(|&t| super::style::text_width(&tick_label(t, step), 11.0))
        .fold(10.0, f64::max)
        .ceil() as i32
}

/// The values of a variable of a run, one per unit of the final data set, and
/// its label. `name` is a column code, optionally prefixed by a data set and a
/// colon (`"raw:LPI"`, `"normalised:LPI"`): without a prefix the final data set
/// is searched first, then the input data's indicators and denominator
/// (numeric) columns.
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown data set or column.
pub fn variable(pipeline: &Pipeline, results: &Results, name: &str) -> Result<(String, Vec<f64>)> {
    let unknown = |context: String| Error::UnknownCode {
        kind: "variable",
        code: name.into(),
        context,
    };
    let last = results.last();
    let rows = &last.units;
    if let Some((set, code)) = name.split_once(':') {
        let stage = results.dataset(set).ok_or_else(|| {
            unknown(format!(
                "the run's data sets ({})",
                results
                    .datasets()
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let col = stage
            .column(code)
            .ok_or_else(|| unknown(format!("the columns of the {set} data set")))?;
        // The data set may hold units screened out later: align by unit code.
        let pos: std::collections::HashMap<&str, usize> = stage
            .unit_codes
            .iter()
            .enumerate()
            .map(|(i, u)| (u.as_str(), i))
            .collect();
        let values = last
            .unit_codes
            .iter()
            .map(|u| pos.get(u.as_str()).map_or(f64::NAN, |&i| col[i]))
            .collect();
        return Ok((format!("{code} ({set})"), values));
    }
    if let Some(col) = last.column(name) {
        return Ok((name.to_owned(), col.to_vec()));
    }
    let data = pipeline.data();
    let col = data
        .indicator(name)
        .or_else(|| data.denominator(name))
        .ok_or_else(|| {
            unknown("the final data set, the input indicators and the denominator columns".into())
        })?;
    Ok((name.to_owned(), rows.iter().map(|&r| col[r]).collect()))
}

/// Round ticks (about `n`) over `[lo, hi]` extended to whole steps, with the
/// step and the domain they span; values within a billionth of a step of a
/// tick count as on it (a score of 100.00000000000001 does not add a tick).
pub(crate) fn value_domain(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64, f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let (ticks, step) = super::style::nice_ticks(lo, if hi > lo { hi } else { lo + 1.0 }, n);
    let snap = |v: f64| {
        let k = (v / step).round();
        if (v - k * step).abs() <= step * 1e-9 {
            k * step
        } else {
            v
        }
    };
    let (ticks, d0, d1) = super::ranking::round_domain(ticks, step, snap(lo), snap(hi));
    (ticks, step, d0, d1)
}

/// Layout of a chart with one horizontal band per variable on a shared value
/// axis (dot and distribution plots): labels right-aligned at the left, the
/// plot, room at the right, every other band shaded.
#[derive(Debug, Clone)]
pub(crate) struct Bands {
    /// Labels, cut to a readable length.
    pub(crate) labels: Vec<String>,
    /// Left and right edges of the plot.
    pub(crate) left: i32,
    pub(crate) right: i32,
    /// Top of the first band and height of a band.
    pub(crate) top: i32,
    pub(crate) row_h: i32,
    /// Size of the canvas.
    pub(crate) width: i32,
    pub(crate) height: i32,
    /// Values to pixels.
    pub(crate) scale: Linear,
    ticks: Vec<f64>,
    step: f64,
}

impl Bands {
    /// A layout for these labels and values (non-finite values ignored), under
    /// a header of height `head`, with `extra` pixels at the right of the plot.
    pub(crate) fn new(
        labels: impl Iterator<Item = String>,
        values: impl Iterator<Item = f64>,
        head: i32,
        row_h: i32,
        extra: i32,
    ) -> Self {
        let labels: Vec<String> = labels.map(|l| super::style::truncate(&l, 44)).collect();
        let label_w = labels
            .iter()
            .map(|l| super::style::text_width(l, 12.0))
            .fold(40.0, f64::max)
            .ceil() as i32;
        let (lo, hi) = values
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        let (ticks, step, d0, d1) = value_domain(lo, hi, 6);
        let top = head + 14;
        let left = 12 + label_w + 14;
        let right = left + 540;
        let bottom = top + row_h * labels.len().max(1) as i32;
        Self {
            left,
            right,
            top,
            row_h,
            width: right + extra,
            height: bottom + 52,
            scale: Linear::new((d0, d1), (f64::from(left), f64::from(right))),
            labels,
            ticks,
            step,
        }
    }

    /// Pixel row of the middle of band `k`.
    pub(crate) fn y(&self, k: usize) -> i32 {
        self.top + k as i32 * self.row_h + self.row_h / 2
    }

    /// Draws the value axis under the bands, with grid lines.
    pub(crate) fn axis(&self, area: &Area<'_>, label: &str) -> DrawResult {
        let bottom = self.top + self.row_h * self.labels.len().max(1) as i32;
        super::style::x_axis(
            area,
            &self.scale,
            &self.ticks,
            self.step,
            bottom + 4,
            self.top,
            label,
        )
    }

    /// Draws the shading and the label of band `k`.
    pub(crate) fn band(&self, area: &Area<'_>, k: usize) -> DrawResult {
        let y = self.y(k);
        if k % 2 == 1 {
            area.draw(&Rectangle::new(
                [
                    (4, y - self.row_h / 2),
                    (self.width - 4, y + self.row_h / 2),
                ],
                RGBColor(246, 246, 246).filled(),
            ))?;
        }
        let style = text_style(font(12.0), INK, HPos::Right, VPos::Center);
        text(area, &self.labels[k], (self.left - 8, y), &style)
    }
}

/// The shape of a tree given by parent links: its root, each node's children
/// (in node order), depth (root 0) and a depth-first order from the root
/// (parents before children, children in node order).
#[derive(Debug, Clone)]
pub(crate) struct TreeShape {
    pub(crate) root: usize,
    pub(crate) children: Vec<Vec<usize>>,
    pub(crate) depth: Vec<usize>,
    pub(crate) order: Vec<usize>,
}

impl TreeShape {
    /// The shape of the tree whose node `i` is named `codes[i]` and has parent
    /// `parents[i]`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (method `chart`, parameter `nodes`) for no
    /// root or two, a parent out of range or the node itself, a cycle, or
    /// nodes not connected to the root.
    pub(crate) fn new(codes: &[&str], parents: &[Option<usize>], chart: &str) -> Result<Self> {
        let n = codes.len().min(parents.len());
        let invalid = |m: String| Error::invalid(chart, "nodes", None, m);
        let mut children = vec![Vec::new(); n];
        let mut root = None;
        for i in 0..n {
            match parents[i] {
                None => match root {
                    None => root = Some(i),
                    Some(r) => {
                        return Err(invalid(format!(
                            "two roots: {:?} and {:?}",
                            codes[r], codes[i]
                        )));
                    }
                },
                Some(p) if p < n && p != i => children[p].push(i),
                Some(_) => {
                    return Err(invalid(format!(
                        "node {:?} has an invalid parent",
                        codes[i]
                    )));
                }
            }
        }
        let root = root.ok_or_else(|| invalid("no root".into()))?;
        // Depth-first order from the root; a node met twice means a cycle.
        let mut depth = vec![usize::MAX; n];
        let mut order = Vec::with_capacity(n);
        let mut stack = vec![(root, 0usize)];
        while let Some((i, d)) = stack.pop() {
            if depth[i] != usize::MAX {
                return Err(invalid(format!("cycle through {:?}", codes[i])));
            }
            depth[i] = d;
            order.push(i);
            for &c in children[i].iter().rev() {
                stack.push((c, d + 1));
            }
        }
        if order.len() != n {
            return Err(invalid("some nodes are not connected to the root".into()));
        }
        Ok(Self {
            root,
            children,
            depth,
            order,
        })
    }
}
