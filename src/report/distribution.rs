//! Indicator distributions before and after outlier treatment.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    INK, Linear, MUTED, PALETTE, bold, font, nice_ticks, render, text, text_style, tick_label,
    truncate,
};
use crate::error::Result;
use crate::prepare::TreatmentRecord;
use crate::results::Results;

/// One indicator of a [`DistributionChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionPanel {
    /// Indicator code.
    pub indicator: String,
    /// What happened to it (shown beside the code).
    pub note: String,
    /// Values before (NaN = missing, left out).
    pub before: Vec<f64>,
    /// Values after.
    pub after: Vec<f64>,
    /// Text in the corner of the "before" histogram (its skewness, say).
    pub before_stats: String,
    /// Text in the corner of the "after" histogram.
    pub after_stats: String,
}

/// Histograms of indicators before and after a step, side by side, one row per
/// indicator; each histogram has its own value axis (a log transform changes the
/// scale).
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Heading of the left column.
    pub before_label: String,
    /// Heading of the right column.
    pub after_label: String,
    /// The indicators.
    pub panels: Vec<DistributionPanel>,
}

impl DistributionChart {
    /// The distributions before and after the (last) treat step of a run, for the
    /// indicators it changed, or for every indicator with `all`. `None` when the
    /// pipeline has no treat step or the results hold only the final data set.
    pub fn from_treatment(results: &Results, all: bool) -> Option<Self> {
        let sets = results.datasets();
        let t = sets.iter().rposition(|s| s.name == "treated")?;
        let (before, after) = (sets.get(t.checked_sub(1)?)?, &sets[t]);
        let log = results.treatment_log().unwrap_or(&[]);
        let panels: Vec<DistributionPanel> = after
            .columns
            .iter()
            .filter_map(|code| {
                let rec = log.iter().find(|r| &r.indicator == code);
                if !all && !rec.is_some_and(TreatmentRecord::changed) {
                    return None;
                }
                let stats = |s: Option<crate::prepare::SkewKurt>| {
                    s.map_or_else(String::new, |s| {
                        format!("skew {:.2}, kurtosis {:.2}", s.skew, s.kurt)
                    })
                };
                let last =
                    rec.and_then(|r| r.after_second_stage.or(r.after_winsorisation).or(r.before));
                Some(DistributionPanel {
                    indicator: code.clone(),
                    note: rec.map_or_else(String::new, describe),
                    before: before.column(code)?.to_vec(),
                    after: after.column(code)?.to_vec(),
                    before_stats: stats(rec.and_then(|r| r.before)),
                    after_stats: stats(last),
                })
            })
            .collect();
        Some(Self {
            title: "Outlier treatment: distributions before and after".into(),
            subtitle: Some(format!(
                "{} indicator{} {}; histograms of the data entering the treat step (left) and leaving it (right).",
                panels.len(),
                if panels.len() == 1 { "" } else { "s" },
                if all {
                    "in all"
                } else {
                    "changed by the treatment"
                }
            )),
            before_label: format!("before ({})", before.name),
            after_label: "after (treated)".into(),
            panels,
        })
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let width = 880;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let top = head + 22;
        let row_h = 118;
        let n = self.panels.len() as i32;
        let height = top + n.max(1) * row_h + 8;
        let panel_w = (width - 3 * 24) / 2;
        render(
            "distribution",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                let col_style = text_style(bold(12.0), MUTED, HPos::Left, VPos::Top);
                text(area, &self.before_label, (24, head), &col_style)?;
                text(area, &self.after_label, (48 + panel_w, head), &col_style)?;
                if self.panels.is_empty() {
                    let st = text_style(font(12.0), MUTED, HPos::Left, VPos::Top);
                    text(area, "No indicator to show.", (24, top), &st)?;
                }
                for (k, p) in self.panels.iter().enumerate() {
                    let y0 = top + k as i32 * row_h;
                    let st = text_style(bold(12.0), INK, HPos::Left, VPos::Top);
                    text(area, &truncate(&p.indicator, 40), (24, y0), &st)?;
                    let note_style = text_style(font(11.0), MUTED, HPos::Left, VPos::Top);
                    let name_w = super::style::text_width(&truncate(&p.indicator, 40), 12.0) * 1.15;
                    let offset = 24 + name_w.ceil() as i32 + 14;
                    text(area, &truncate(&p.note, 110), (offset, y0 + 1), &note_style)?;
                    let (hy0, hy1) = (y0 + 20, y0 + row_h - 30);
                    histogram(
                        area,
                        &p.before,
                        &p.before_stats,
                        (24, 24 + panel_w),
                        (hy0, hy1),
                        PALETTE[9],
                    )?;
                    histogram(
                        area,
                        &p.after,
                        &p.after_stats,
                        (48 + panel_w, 48 + 2 * panel_w),
                        (hy0, hy1),
                        PALETTE[0],
                    )?;
                }
                Ok(())
            },
        )
    }
}

/// What the treatment did to an indicator, in words.
fn describe(r: &TreatmentRecord) -> String {
    let mut parts = Vec::new();
    if r.n_winsorised > 0 {
        parts.push(format!(
            "{} point{} winsorised",
            r.n_winsorised,
            if r.n_winsorised == 1 { "" } else { "s" }
        ));
    }
    if let Some(t) = &r.second_stage {
        parts.push(format!("{t} transform"));
    }
    match r.passes {
        Some(true) => parts.push("now passes the skewness/kurtosis check".into()),
        Some(false) => parts.push("still fails the check".into()),
        None => {}
    }
    if parts.is_empty() {
        "unchanged".into()
    } else {
        parts.join("; ")
    }
}

/// Draws a 20-bin histogram of the present values in the box `xs` x `ys`.
fn histogram(
    area: &super::style::Area<'_>,
    values: &[f64],
    stats: &str,
    (x0, x1): (i32, i32),
    (y0, y1): (i32, i32),
    color: RGBColor,
) -> super::style::DrawResult {
    let present: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    area.draw(&PathElement::new(
        vec![(x0, y1), (x1, y1)],
        INK.stroke_width(1),
    ))?;
    let (Some(lo), Some(hi)) = (
        present.iter().copied().reduce(f64::min),
        present.iter().copied().reduce(f64::max),
    ) else {
        let st = text_style(font(11.0), MUTED, HPos::Left, VPos::Top);
        return text(area, "no values", (x0 + 4, y0 + 4), &st);
    };
    let bins = 20usize;
    let span = if hi > lo { hi - lo } else { 1.0 };
    let mut counts = vec![0usize; bins];
    for v in &present {
        let b = (((v - lo) / span) * bins as f64).floor() as usize;
        counts[b.min(bins - 1)] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let scale = Linear::new((lo, lo + span), (f64::from(x0), f64::from(x1)));
    for (b, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let a = scale.px(lo + span * b as f64 / bins as f64);
        let e = scale.px(lo + span * (b + 1) as f64 / bins as f64);
        let h = ((c as f64 / max as f64) * f64::from(y1 - y0 - 14)).round() as i32;
        area.draw(&Rectangle::new(
            [(a + 1, y1 - h), (e - 1, y1)],
            color.filled(),
        ))?;
    }
    let (ticks, step) = nice_ticks(lo, lo + span, 4);
    let st = text_style(font(10.0), MUTED, HPos::Center, VPos::Top);
    for t in ticks {
        let x = scale.px(t);
        area.draw(&PathElement::new(
            vec![(x, y1), (x, y1 + 3)],
            INK.stroke_width(1),
        ))?;
        text(area, &tick_label(t, step), (x, y1 + 5), &st)?;
    }
    if !stats.is_empty() {
        let st = text_style(font(10.0), MUTED, HPos::Right, VPos::Top);
        text(area, stats, (x1, y0), &st)?;
    }
    let st = text_style(font(10.0), MUTED, HPos::Left, VPos::Top);
    text(area, &format!("n = {}", present.len()), (x0, y0), &st)?;
    Ok(())
}
