//! Correlation heatmap.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    INK, MUTED, diverging, font, render, text, text_style, text_width, truncate, vertical_style,
};
use crate::audit::CorrelationMatrix;
use crate::error::{Error, Result};

/// A heatmap of correlations: one cell per (row, column) pair coloured from blue
/// (-1) through white (0) to red (+1), grey where the correlation is undefined,
/// with the value written in the cell when the cells are large enough.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationHeatmap {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// `values[r][c]`: the correlation of row `r` with column `c` (`None` when
    /// undefined).
    pub values: Vec<Vec<Option<f64>>>,
    /// Cells `(row, column)` drawn with a dark outline (an indicator and its
    /// parent, say).
    pub highlight: Vec<(usize, usize)>,
}

impl CorrelationHeatmap {
    /// A heatmap of the given values (rows x columns).
    #[must_use]
    pub fn new(
        title: impl Into<String>,
        rows: Vec<String>,
        columns: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
    ) -> Self {
        Self {
            title: title.into(),
            subtitle: None,
            rows,
            columns,
            values,
            highlight: Vec::new(),
        }
    }

    /// Outlines these cells `(row, column)`.
    #[must_use]
    pub fn with_highlight(mut self, cells: Vec<(usize, usize)>) -> Self {
        self.highlight = cells;
        self
    }

    /// A heatmap of a correlation table of the [`audit`](crate::audit) module
    /// (undefined coefficients are grey).
    #[must_use]
    pub fn from_matrix(title: impl Into<String>, m: &CorrelationMatrix) -> Self {
        let values = (0..m.rows.len())
            .map(|i| {
                (0..m.columns.len())
                    .map(|j| Some(m.r[(i, j)]).filter(|v| v.is_finite()))
                    .collect()
            })
            .collect();
        Self::new(title, m.rows.clone(), m.columns.clone(), values)
    }

    /// Sets the line under the title.
    #[must_use]
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// Draws the heatmap as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `values` is not rows x columns;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let (nr, nc) = (self.rows.len(), self.columns.len());
        if self.values.len() != nr {
            return Err(Error::DimensionMismatch {
                what: "rows of the heatmap values".into(),
                expected: nr,
                found: self.values.len(),
            });
        }
        if let Some(row) = self.values.iter().find(|r| r.len() != nc) {
            return Err(Error::DimensionMismatch {
                what: "columns of the heatmap values".into(),
                expected: nc,
                found: row.len(),
            });
        }
        let rows: Vec<String> = self.rows.iter().map(|s| truncate(s, 40)).collect();
        let cols: Vec<String> = self.columns.iter().map(|s| truncate(s, 40)).collect();
        // Cells as wide and tall as the page allows; square for a square table.
        let mut cw = (560 / nc.max(1) as i32).clamp(14, 48);
        let mut ch = (640 / nr.max(1) as i32).clamp(12, 44);
        if nr == nc {
            cw = cw.min(ch);
            ch = cw;
        }
        let label_px = if ch < 16 || cw < 16 { 10.0 } else { 12.0 };
        let row_w = rows
            .iter()
            .map(|s| text_width(s, label_px))
            .fold(20.0, f64::max)
            .ceil() as i32;
        let col_h = cols
            .iter()
            .map(|s| text_width(s, label_px))
            .fold(20.0, f64::max)
            .ceil() as i32;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let left = 12 + row_w + 8;
        let top = head + 10;
        let grid_w = cw * nc as i32;
        let grid_h = ch * nr as i32;
        let legend_x = left + grid_w + 24;
        let width = (legend_x + 70).max(left + 400);
        let height = (top + grid_h + 8 + col_h + 16).max(top + 220);
        let annotate = cw >= 30 && ch >= 18;
        render(
            "correlation heatmap",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                let row_style = text_style(font(label_px), INK, HPos::Right, VPos::Center);
                let col_style = vertical_style(label_px, INK);
                for (r, label) in rows.iter().enumerate() {
                    let y = top + r as i32 * ch;
                    text(area, label, (left - 6, y + ch / 2), &row_style)?;
                    for c in 0..nc {
                        let x = left + c as i32 * cw;
                        let v = self.values[r][c];
                        area.draw(&Rectangle::new(
                            [(x, y), (x + cw, y + ch)],
                            diverging(v).filled(),
                        ))?;
                        area.draw(&Rectangle::new(
                            [(x, y), (x + cw, y + ch)],
                            WHITE.stroke_width(1),
                        ))?;
                        if annotate && let Some(v) = v.filter(|v| v.is_finite()) {
                            let ink = if v.abs() > 0.6 { WHITE } else { INK };
                            let st = text_style(font(10.0), ink, HPos::Center, VPos::Center);
                            text(area, &format!("{v:.2}"), (x + cw / 2, y + ch / 2), &st)?;
                        }
                    }
                }
                for &(r, c) in &self.highlight {
                    if r < nr && c < nc {
                        let (x, y) = (left + c as i32 * cw, top + r as i32 * ch);
                        area.draw(&Rectangle::new(
                            [(x + 1, y + 1), (x + cw - 1, y + ch - 1)],
                            INK.stroke_width(2),
                        ))?;
                    }
                }
                for (c, label) in cols.iter().enumerate() {
                    let x = left + c as i32 * cw + cw / 2;
                    text(area, label, (x, top + grid_h + 6), &col_style)?;
                }
                // Colour legend: +1 at the top, -1 at the bottom.
                let (lh, lw) = (160, 14);
                for k in 0..lh {
                    let v = 1.0 - 2.0 * f64::from(k) / f64::from(lh - 1);
                    area.draw(&Rectangle::new(
                        [(legend_x, top + k), (legend_x + lw, top + k + 1)],
                        diverging(Some(v)).filled(),
                    ))?;
                }
                area.draw(&Rectangle::new(
                    [(legend_x, top), (legend_x + lw, top + lh)],
                    MUTED.stroke_width(1),
                ))?;
                let st = text_style(font(11.0), MUTED, HPos::Left, VPos::Center);
                for (v, label) in [
                    (1.0, "1"),
                    (0.5, "0.5"),
                    (0.0, "0"),
                    (-0.5, "-0.5"),
                    (-1.0, "-1"),
                ] {
                    let y = top + ((1.0 - v) / 2.0 * f64::from(lh - 1)).round() as i32;
                    text(area, label, (legend_x + lw + 5, y), &st)?;
                }
                Ok(())
            },
        )
    }
}
