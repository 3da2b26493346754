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
