//! The efficiency frontier: DEA score against the efficiency ratio, with the
//! frontier units that serve as peers labelled.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    GRID, INK, Linear, MUTED, PALETTE, bold, font, legend, nice_ticks, render, text, text_style,
    text_width, tick_label, truncate, x_axis,
};
use crate::efficiency::DeaResults;
use crate::error::{Error, Result};

/// A scatter of units: the efficiency ratio (x, e.g. output over input
/// sub-index) against the DEA score in (0, 1] (y). Units on the frontier are
/// drawn in colour; those that are peers of other units are labelled with the
/// number of units they are a peer of. One unit can be highlighted, with lines
/// to its peers.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Unit labels.
    pub labels: Vec<String>,
    /// Efficiency ratio per unit (x; NaN: not drawn).
    pub ratio: Vec<f64>,
    /// DEA score in (0, 1] per unit (y).
    pub score: Vec<f64>,
    /// Number of other units each unit is a peer of.
    pub peer_of: Vec<usize>,
    /// A highlighted unit and its peers (indices into the vectors above).
    pub highlight: Option<(usize, Vec<usize>)>,
    /// Label of the x axis.
    pub x_label: String,
}

impl FrontierChart {
    /// The chart of a DEA beside a ratio (one per unit of `dea`, `None` where
    /// missing), with the units' display labels.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `ratio` or `labels` do not have one
    /// entry per unit.
    pub fn from_dea(dea: &DeaResults, ratio: &[Option<f64>], labels: &[String]) -> Result<Self> {
        let n = dea.units.len();
        for (what, len) in [("ratios", ratio.len()), ("labels", labels.len())] {
            if len != n {
                return Err(Error::DimensionMismatch {
                    what: format!("{what} of the frontier chart (one per unit)"),
                    expected: n,
                    found: len,
                });
            }
        }
        let mut peer_of = vec![0; n];
        for o in 0..n {
            for (j, count) in peer_of.iter_mut().enumerate() {
                if j != o && dea.lambdas[(o, j)] > 1e-9 {
                    *count += 1;
                }
            }
        }
        Ok(Self {
            title: "Efficiency frontier".into(),
            subtitle: Some(format!(
                "DEA ({}, inputs {}; outputs {}) against the efficiency ratio; peers labelled with the number of units they are a peer of.",
                dea.model.name(),
                dea.inputs.join(", "),
                dea.outputs.join(", ")
            )),
            labels: labels.to_vec(),
            ratio: ratio.iter().map(|r| r.unwrap_or(f64::NAN)).collect(),
            score: dea.scores(),
            peer_of,
            highlight: None,
            x_label: "efficiency ratio (output / input)".into(),
        })
    }

    /// Highlights unit `o` and its peers of `dea`, joined by lines.
    #[must_use]
    pub fn highlight(mut self, dea: &DeaResults, o: usize) -> Self {
        let peers = (0..dea.units.len())
            .filter(|&j| j != o && dea.lambdas[(o, j)] > 1e-9)
            .collect();
        self.highlight = Some((o, peers));
        self
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the vectors disagree in length or the
    /// highlighted unit is out of range; [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.labels.len();
        for (what, len) in [
            ("ratios", self.ratio.len()),
            ("scores", self.score.len()),
            ("peer counts", self.peer_of.len()),
        ] {
            if len != n {
                return Err(Error::DimensionMismatch {
                    what: format!("{what} of the frontier chart"),
                    expected: n,
                    found: len,
                });
            }
        }
        if let Some((o, peers)) = &self.highlight
            && (*o >= n || peers.iter().any(|&p| p >= n))
        {
            return Err(Error::DimensionMismatch {
                what: "highlighted unit of the frontier chart".into(),
                expected: n,
                found: *o,
            });
        }
        let finite = |v: &f64| v.is_finite();
        let (xlo, xhi) = self
            .ratio
            .iter()
            .copied()
            .filter(finite)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        let (xlo, xhi) = if xlo.is_finite() {
            (xlo, xhi.max(xlo + 1e-9))
        } else {
            (0.0, 1.0)
        };
        let ylo = self
            .score
            .iter()
            .copied()
            .filter(finite)
            .fold(1.0f64, f64::min);
        let (xt, xs) = nice_ticks(xlo, xhi, 6);
        let (yt, ys) = nice_ticks(ylo.min(0.95), 1.0, 5);
        let (x0, x1) = (xt[0].min(xlo), xt[xt.len() - 1].max(xhi));
        let (y0, y1) = (yt[0].min(ylo), yt[yt.len() - 1].max(1.0));
        // Peer labels sit in a band above the plot, each on the first row where
        // it does not overlap the previous label of that row, with a leader line.
        let (width, left, right) = (760, 70, 760 - 150);
        let sx = Linear::new((x0, x1), (f64::from(left), f64::from(right)));
        let ok = |k: usize| self.ratio[k].is_finite() && self.score[k].is_finite();
        let mut labelled: Vec<usize> = (0..n).filter(|&k| ok(k) && self.peer_of[k] > 0).collect();
        labelled.sort_by(|&a, &b| self.ratio[a].total_cmp(&self.ratio[b]));
        let texts: Vec<String> = labelled
            .iter()
            .map(|&k| format!("{} ({})", truncate(&self.labels[k], 22), self.peer_of[k]))
            .collect();
        const ROWS: usize = 8;
        let mut ends = [i32::MIN; ROWS];
        let rows: Vec<usize> = texts
            .iter()
            .zip(&labelled)
            .map(|(t, &k)| {
                let x = sx.px(self.ratio[k]) - 4;
                let row = (0..ROWS).find(|&r| ends[r] < x).unwrap_or(ROWS - 1);
                ends[row] = x + text_width(t, 10.0).ceil() as i32 + 8;
                row
            })
            .collect();
        let band = rows.iter().max().map_or(0, |r| 13 * (*r as i32 + 1) + 8);
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let top = head + 40 + band;
        let height = top + 420;
        let bottom = height - 56;
        let sy = Linear::new((y0, y1), (f64::from(bottom), f64::from(top)));
        let frontier_color = PALETTE[3];
        let other = PALETTE[0];
        let items = vec![
            ("on the frontier (score 1)".to_owned(), frontier_color),
            ("inside the frontier".to_owned(), other),
        ];
        render(
            "frontier",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                legend(area, &items, head, 12, width - 12)?;
                x_axis(area, &sx, &xt, xs, bottom, top, &self.x_label)?;
                let tick = text_style(font(11.0), MUTED, HPos::Right, VPos::Center);
                for &t in &yt {
                    let y = sy.px(t);
                    area.draw(&PathElement::new(
                        vec![(left, y), (right, y)],
                        GRID.stroke_width(1),
                    ))?;
                    text(area, &tick_label(t, ys), (left - 6, y), &tick)?;
                }
                area.draw(&PathElement::new(
                    vec![(left, top), (left, bottom)],
                    INK.stroke_width(1),
                ))?;
                let ylab = text_style(font(12.0), INK, HPos::Left, VPos::Bottom);
                text(area, "DEA score", (12, head + 40 - 6), &ylab)?;
                let at = |k: usize| (sx.px(self.ratio[k]), sy.px(self.score[k]));
                if let Some((o, peers)) = &self.highlight {
                    for &p in peers.iter().filter(|&&p| ok(p) && ok(*o)) {
                        area.draw(&PathElement::new(
                            vec![at(*o), at(p)],
                            MUTED.stroke_width(1),
                        ))?;
                    }
                }
                for k in (0..n).filter(|&k| ok(k)) {
                    let on = (self.score[k] - 1.0).abs() <= 1e-9;
                    let c = if on { frontier_color } else { other };
                    let r = if on { 5 } else { 3 };
                    area.draw(&Circle::new(
                        at(k),
                        r,
                        c.mix(if on { 1.0 } else { 0.6 }).filled(),
                    ))?;
                }
                let label = text_style(font(10.0), INK, HPos::Left, VPos::Bottom);
                for ((&k, t), &row) in labelled.iter().zip(&texts).zip(&rows) {
                    let (x, y) = at(k);
                    let ly = top - 8 - 13 * row as i32;
                    area.draw(&PathElement::new(
                        vec![(x, y - 5), (x, ly)],
                        MUTED.mix(0.5).stroke_width(1),
                    ))?;
                    text(area, t, (x - 4, ly), &label)?;
                }
                if let Some((o, _)) = &self.highlight
                    && ok(*o)
                {
                    let (x, y) = at(*o);
                    area.draw(&Circle::new((x, y), 6, INK.stroke_width(2)))?;
                    let b = text_style(bold(11.0), INK, HPos::Left, VPos::Center);
                    text(area, &truncate(&self.labels[*o], 24), (x + 9, y + 12), &b)?;
                }
                Ok(())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::DataView;
    use crate::efficiency::{DeaModel, dea};
    use nalgebra::DMatrix;

    #[test]
    fn labels_peers_and_highlight() {
        let units = ["A", "B", "C", "D"].map(String::from).to_vec();
        let cols = ["x", "y"].map(String::from).to_vec();
        let m = DMatrix::from_row_slice(4, 2, &[2.0, 2.0, 4.0, 3.0, 4.0, 2.0, 6.0, 3.0]);
        let r = dea(
            DataView::new(&units, &cols, &m).unwrap(),
            &["x"],
            &["y"],
            DeaModel::default(),
        )
        .unwrap();
        let ratio: Vec<Option<f64>> = (0..4).map(|i| Some(m[(i, 1)] / m[(i, 0)])).collect();
        let names = ["Avalon", "Brightwater", "Calder", "Dunmore"]
            .map(String::from)
            .to_vec();
        let chart = FrontierChart::from_dea(&r, &ratio, &names)
            .unwrap()
            .highlight(&r, 3);
        assert_eq!(chart.peer_of, vec![3, 0, 0, 0]);
        let svg = chart.to_svg().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("Avalon (3)") && svg.contains("Dunmore"));
        assert!(!svg.contains("Calder"));
        assert!(FrontierChart::from_dea(&r, &ratio[..2], &names).is_err());
    }
}
