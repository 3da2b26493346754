//! Rank trajectories over editions (a bump chart).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    GRID, INK, Linear, MUTED, font, render, series_color, text, text_style, text_width, truncate,
};
use crate::error::{Error, Result};
use crate::panel::Editions;

/// The ranks of chosen units at one node, edition by edition: one line per
/// unit, rank 1 at the top, a point with its rank at each edition where the
/// unit is ranked (a gap where it is not), its label at both ends.
#[derive(Debug, Clone, PartialEq)]
pub struct BumpChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Edition labels (x axis), in time order.
    pub editions: Vec<String>,
    /// `(unit label, rank in each edition)`.
    pub series: Vec<(String, Vec<Option<u32>>)>,
}

/// `(code, label)` of `units`, or of the top 10 at `node` in the last edition
/// when `units` is empty; the label is the unit's name in the latest edition
/// that has it.
pub(crate) fn chosen(editions: &Editions, node: &str, units: &[String]) -> Vec<(String, String)> {
    let eds = editions.editions();
    let codes: Vec<String> = if units.is_empty() {
        eds.last()
            .map(|e| {
                let mut u: Vec<(u32, &String)> = e
                    .units()
                    .iter()
                    .filter_map(|u| e.rank(u, node).map(|r| (r, u)))
                    .collect();
                u.sort();
                u.into_iter().take(10).map(|(_, u)| u.clone()).collect()
            })
            .unwrap_or_default()
    } else {
        units.to_vec()
    };
    codes
        .into_iter()
        .map(|u| {
            let name = eds
                .iter()
                .rev()
                .find(|e| e.has_unit(&u))
                .map_or_else(|| u.clone(), |e| e.name(&u).to_owned());
            (u, name)
        })
        .collect()
}

impl BumpChart {
    /// The chart of `units` (codes) at `node`; with no units, the top 10 of the
    /// last edition.
    pub fn from_editions(editions: &Editions, node: &str, units: &[String]) -> Self {
        let series = chosen(editions, node, units)
            .into_iter()
            .map(|(u, name)| {
                (
                    name,
                    editions.history(&u, node).iter().map(|p| p.rank).collect(),
                )
            })
            .collect();
        Self {
            title: format!("Rank of {node} over the editions"),
            subtitle: Some("Rank 1 at the top; each edition ranks on its own framework.".into()),
            editions: editions
                .editions()
                .iter()
                .map(|e| e.time().to_string())
                .collect(),
            series,
        }
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when a series has not one rank per edition;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.editions.len();
        for (label, r) in &self.series {
            if r.len() != n {
                return Err(Error::DimensionMismatch {
                    what: format!("ranks of {label:?} in the bump chart"),
                    expected: n,
                    found: r.len(),
                });
            }
        }
        let max_rank = self
            .series
            .iter()
            .flat_map(|(_, r)| r.iter().flatten())
            .copied()
            .max()
            .unwrap_or(1)
            .max(2);
        let labels: Vec<String> = self.series.iter().map(|(l, _)| truncate(l, 28)).collect();
        let label_w = labels
            .iter()
            .map(|l| text_width(l, 12.0))
            .fold(40.0, f64::max)
            .ceil() as i32;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let (left, plot_w) = (label_w + 24, (110 * n.max(2) as i32).clamp(300, 1100));
        let right = left + plot_w;
        let width = right + label_w + 24;
        let (top, plot_h) = (head + 24, (22 * max_rank.min(40) as i32).max(220));
        let bottom = top + plot_h;
        let height = bottom + 56;
        let x = Linear::new(
            (0.0, (n.max(2) - 1) as f64),
            (f64::from(left), f64::from(right)),
        );
        let y = Linear::new(
            (1.0, f64::from(max_rank)),
            (f64::from(top), f64::from(bottom)),
        );
        render(
            "bump",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                let edition_style = text_style(font(12.0), INK, HPos::Center, VPos::Top);
                for (k, e) in self.editions.iter().enumerate() {
                    let px = x.px(k as f64);
                    area.draw(&PathElement::new(
                        vec![(px, top - 8), (px, bottom + 8)],
                        GRID.stroke_width(1),
                    ))?;
                    text(area, e, (px, bottom + 14), &edition_style)?;
                }
                let rank_style = text_style(
                    font(9.0),
                    RGBColor(255, 255, 255),
                    HPos::Center,
                    VPos::Center,
                );
                let left_style = text_style(font(12.0), INK, HPos::Right, VPos::Center);
                let right_style = text_style(font(12.0), INK, HPos::Left, VPos::Center);
                for (s, ((_, ranks), label)) in self.series.iter().zip(&labels).enumerate() {
                    let color = series_color(s);
                    let points: Vec<Option<(i32, i32)>> = ranks
                        .iter()
                        .enumerate()
                        .map(|(k, r)| r.map(|r| (x.px(k as f64), y.px(f64::from(r)))))
                        .collect();
                    for w in points.windows(2) {
                        if let (Some(a), Some(b)) = (w[0], w[1]) {
                            area.draw(&PathElement::new(vec![a, b], color.stroke_width(3)))?;
                        }
                    }
                    for (p, r) in points.iter().zip(ranks) {
                        if let (Some(p), Some(r)) = (p, r) {
                            area.draw(&Circle::new(*p, 9, color.filled()))?;
                            text(area, &r.to_string(), *p, &rank_style)?;
                        }
                    }
                    if let Some(first) = points.iter().flatten().next() {
                        text(area, label, (first.0 - 14, first.1), &left_style)?;
                    }
                    if let Some(last) = points.iter().flatten().last() {
                        text(area, label, (last.0 + 14, last.1), &right_style)?;
                    }
                }
                let axis = text_style(font(11.0), MUTED, HPos::Left, VPos::Top);
                text(
                    area,
                    &format!("ranks 1 to {max_rank}"),
                    (12, bottom + 14),
                    &axis,
                )?;
                Ok(())
            },
        )
    }
}
