//! Dot plot: one unit among all, on one or more nodes (COINr's `plot_dot`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::Bands;
use super::ranking::unit_labels;
use super::style::{INK, MUTED, PALETTE, bold, font, num, render, text, text_style, text_width};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::stats;

/// One row of a [`DotPlot`]: every unit's value on one node.
#[derive(Debug, Clone, PartialEq)]
pub struct DotRow {
    /// Row label (the node's name).
    pub label: String,
    /// Every unit's value (NaN = missing, left out).
    pub values: Vec<f64>,
    /// Index (into `values`) of the unit shown, `None` to show none.
    pub unit: Option<usize>,
    /// Text at the right of the row (the unit's rank and score, say).
    pub note: String,
}

/// A dot plot: one row per node, a small grey dot per unit, the mean of the
/// units as a vertical tick, and the unit shown as a large coloured dot; all
/// rows share one value axis (use scores on a common scale, such as the
/// normalised and aggregated data sets).
#[derive(Debug, Clone, PartialEq)]
pub struct DotPlot {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// The rows, top to bottom.
    pub rows: Vec<DotRow>,
    /// Label of the value axis.
    pub axis_label: String,
}

impl DotPlot {
    /// The unit `unit` among all units on each of `nodes` (scores of the final
    /// data set), each row noting the unit's rank and score.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a unit not in the results or a node not in
    /// the final data set.
    pub fn from_results(
        pipeline: &Pipeline,
        results: &Results,
        unit: &str,
        nodes: &[String],
    ) -> Result<Self> {
        let u = results
            .unit_codes()
            .iter()
            .position(|c| c == unit)
            .ok_or_else(|| Error::UnknownCode {
                kind: "unit",
                code: unit.into(),
                context: "the results (dot plot)".into(),
            })?;
        let fw = pipeline.framework();
        let mut rows = Vec::with_capacity(nodes.len());
        for node in nodes {
            let s = results.scores(node).ok_or_else(|| Error::UnknownCode {
                kind: "node",
                code: node.clone(),
                context: "the final data set (dot plot)".into(),
            })?;
            let r = stats::rank_desc(s)[u];
            let label = fw
                .index_of(node)
                .map_or_else(|| node.clone(), |i| fw.name(i).to_owned());
            rows.push(DotRow {
                label,
                values: s.to_vec(),
                unit: Some(u),
                note: match r {
                    Some(r) => format!("{} · rank {r} of {}", num(s[u], 1), stats::count(s)),
                    None => "no score".into(),
                },
            });
        }
        let name = unit_labels(pipeline, results)[u].clone();
        Ok(Self {
            title: format!("{name} among all units"),
            subtitle: Some(format!(
                "Grey dots: the {} units; tick: their mean; red: {name}.",
                results.unit_codes().len()
            )),
            rows,
            axis_label: "score".into(),
        })
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a row whose unit is out of range;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        for r in &self.rows {
            if r.unit.is_some_and(|u| u >= r.values.len()) {
                return Err(Error::invalid(
                    "dot plot",
                    "unit",
                    Some(&r.label),
                    "the unit shown is out of range",
                ));
            }
        }
        let note_w = self
            .rows
            .iter()
            .map(|r| text_width(&r.note, 11.0))
            .fold(0.0, f64::max)
            .ceil() as i32;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let b = Bands::new(
            self.rows.iter().map(|r| r.label.clone()),
            self.rows.iter().flat_map(|r| r.values.iter().copied()),
            head,
            30,
            14 + note_w + 16,
        );
        let scale = &b.scale;
        render(
            "dot plot",
            &self.title,
            self.subtitle.as_deref(),
            (b.width as u32, b.height as u32),
            |area| {
                b.axis(area, &self.axis_label)?;
                let note_style = text_style(font(11.0), MUTED, HPos::Left, VPos::Center);
                for (k, row) in self.rows.iter().enumerate() {
                    let y = b.y(k);
                    b.band(area, k)?;
                    for &v in row.values.iter().filter(|v| v.is_finite()) {
                        area.draw(&Circle::new(
                            (scale.px(v), y),
                            3,
                            RGBColor(150, 150, 150).mix(0.55).filled(),
                        ))?;
                    }
                    if let Some(m) = stats::mean(&row.values) {
                        let x = scale.px(m);
                        area.draw(&PathElement::new(
                            vec![(x, y - 9), (x, y + 9)],
                            PALETTE[0].stroke_width(2),
                        ))?;
                    }
                    if let Some(v) = row.unit.map(|u| row.values[u]).filter(|v| v.is_finite()) {
                        let x = scale.px(v);
                        area.draw(&Circle::new((x, y), 6, RGBColor(200, 30, 45).filled()))?;
                        area.draw(&Circle::new((x, y), 6, INK.stroke_width(1)))?;
                    }
                    if !row.note.is_empty() {
                        let st = if row.unit.is_some() {
                            text_style(bold(11.0), INK, HPos::Left, VPos::Center)
                        } else {
                            note_style.clone()
                        };
                        text(area, &row.note, (b.right + 14, y), &st)?;
                    }
                }
                Ok(())
            },
        )
    }
}
