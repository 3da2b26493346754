//! Distributions of several variables as box plots, violins or histograms
//! (COINr's `plot_dist`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::Bands;
use super::style::{INK, Linear, MUTED, font, render, series_color, text, text_style};
use crate::error::{Error, Result};
use crate::results::StageData;
use crate::stats;

/// How a [`DistributionPlot`] draws each variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DistributionKind {
    /// Tukey's box plot: the box from the first to the third quartile (R's type
    /// 7 quantiles), a line at the median, whiskers to the most extreme values
    /// within 1.5 interquartile ranges of the box, and the values beyond as dots.
    #[default]
    Box,
    /// A violin: the Gaussian kernel density estimate, mirrored, over the range
    /// of the values (bandwidth by Silverman's rule, R's `bw.nrd0`:
    /// `0.9 min(sd, IQR/1.34) n^(-1/5)`), each violin as wide as the row at its
    /// mode, with the median marked.
    Violin,
    /// A histogram of 20 equal bins over the range of the values, each row's
    /// tallest bin as tall as the row.
    Histogram,
}

/// Distributions of several variables, one row each, on a shared value axis
/// (use a data set on a common scale, such as the normalised one, to compare
/// indicators).
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionPlot {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// How each variable is drawn.
    pub kind: DistributionKind,
    /// `(label, values)` per row (NaN = missing, left out).
    pub series: Vec<(String, Vec<f64>)>,
    /// Label of the value axis.
    pub axis_label: String,
}

impl DistributionPlot {
    /// The distributions of the named columns of a data set (all columns when
    /// `codes` is empty).
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a column not in the data set.
    pub fn from_dataset<S: AsRef<str>>(
        data: &StageData,
        codes: &[S],
        kind: DistributionKind,
    ) -> Result<Self> {
        let codes: Vec<String> = if codes.is_empty() {
            data.columns.to_vec()
        } else {
            codes.iter().map(|c| c.as_ref().to_owned()).collect()
        };
        let series = codes
            .into_iter()
            .map(|c| {
                let v = data.column(&c).ok_or_else(|| Error::UnknownCode {
                    kind: "column",
                    code: c.clone(),
                    context: format!("the {} data set (distribution plot)", data.name),
                })?;
                Ok((c, v.to_vec()))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            title: format!("Distributions ({} data set)", data.name),
            subtitle: Some(format!(
                "{} of {} variables over {} units.",
                match kind {
                    DistributionKind::Box => "Box plots (Tukey)",
                    DistributionKind::Violin => "Violins (kernel densities)",
                    DistributionKind::Histogram => "Histograms",
                },
                series.len(),
                data.unit_codes.len()
            )),
            kind,
            series,
            axis_label: "value".into(),
        })
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let row_h = if self.kind == DistributionKind::Box {
            24
        } else {
            34
        };
        let b = Bands::new(
            self.series.iter().map(|(l, _)| l.clone()),
            self.series.iter().flat_map(|(_, v)| v.iter().copied()),
            head,
            row_h,
            60,
        );
        let (scale, left) = (&b.scale, b.left);
        render(
            "distribution plot",
            &self.title,
            self.subtitle.as_deref(),
            (b.width as u32, b.height as u32),
            |area| {
                b.axis(area, &self.axis_label)?;
                for (k, (_, values)) in self.series.iter().enumerate() {
                    let y = b.y(k);
                    b.band(area, k)?;
                    let mut v: Vec<f64> =
                        values.iter().copied().filter(|x| x.is_finite()).collect();
                    v.sort_by(f64::total_cmp);
                    if v.is_empty() {
                        let st = text_style(font(11.0), MUTED, HPos::Left, VPos::Center);
                        text(area, "no values", (left + 4, y), &st)?;
                        continue;
                    }
                    let color = series_color(0);
                    let half = row_h / 2 - 3;
                    match self.kind {
                        DistributionKind::Box => draw_box(area, scale, &v, y, half, color)?,
                        DistributionKind::Violin => draw_violin(area, scale, &v, y, half, color)?,
                        DistributionKind::Histogram => {
                            draw_histogram(area, scale, &v, y, half, color)?;
                        }
                    }
                }
                Ok(())
            },
        )
    }
}

/// Tukey's box statistics of sorted values: `(q1, median, q3, whisker low,
/// whisker high)`.
pub(crate) fn box_stats(sorted: &[f64]) -> Option<(f64, f64, f64, f64, f64)> {
    let q1 = stats::quantile_sorted(sorted, 0.25)?;
    let med = stats::quantile_sorted(sorted, 0.5)?;
    let q3 = stats::quantile_sorted(sorted, 0.75)?;
    let iqr = q3 - q1;
    let (fence_lo, fence_hi) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let lo = sorted
        .iter()
        .copied()
        .find(|&x| x >= fence_lo)
        .unwrap_or(q1);
    let hi = sorted
        .iter()
        .rev()
        .copied()
        .find(|&x| x <= fence_hi)
        .unwrap_or(q3);
    Some((q1, med, q3, lo, hi))
}

fn draw_box(
    area: &super::style::Area<'_>,
    scale: &Linear,
    v: &[f64],
    y: i32,
    half: i32,
    color: RGBColor,
) -> super::style::DrawResult {
    let Some((q1, med, q3, lo, hi)) = box_stats(v) else {
        return Ok(());
    };
    let h = half.min(8);
    area.draw(&PathElement::new(
        vec![(scale.px(lo), y), (scale.px(q1), y)],
        INK.stroke_width(1),
    ))?;
    area.draw(&PathElement::new(
        vec![(scale.px(q3), y), (scale.px(hi), y)],
        INK.stroke_width(1),
    ))?;
    for w in [lo, hi] {
        area.draw(&PathElement::new(
            vec![(scale.px(w), y - h / 2), (scale.px(w), y + h / 2)],
            INK.stroke_width(1),
        ))?;
    }
    let (a, b) = (scale.px(q1), scale.px(q3).max(scale.px(q1) + 1));
    area.draw(&Rectangle::new(
        [(a, y - h), (b, y + h)],
        color.mix(0.45).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(a, y - h), (b, y + h)],
        INK.stroke_width(1),
    ))?;
    area.draw(&PathElement::new(
        vec![(scale.px(med), y - h), (scale.px(med), y + h)],
        INK.stroke_width(2),
    ))?;
    for &x in v.iter().filter(|&&x| x < lo || x > hi) {
        area.draw(&Circle::new((scale.px(x), y), 2, INK.filled()))?;
    }
    Ok(())
}

/// Silverman's rule of thumb (R's `bw.nrd0`).
pub(crate) fn bandwidth(sorted: &[f64]) -> f64 {
    let n = sorted.len() as f64;
    let sd = stats::sd(sorted).unwrap_or(0.0);
    let iqr = match (
        stats::quantile_sorted(sorted, 0.25),
        stats::quantile_sorted(sorted, 0.75),
    ) {
        (Some(a), Some(b)) => b - a,
        _ => 0.0,
    };
    let mut lo = sd.min(iqr / 1.34);
    if lo <= 0.0 {
        lo = [sd, sorted.first().map_or(0.0, |x| x.abs()), 1.0]
            .into_iter()
            .find(|&x| x > 0.0)
            .unwrap_or(1.0);
    }
    0.9 * lo * n.powf(-0.2)
}

fn draw_violin(
    area: &super::style::Area<'_>,
    scale: &Linear,
    v: &[f64],
    y: i32,
    half: i32,
    color: RGBColor,
) -> super::style::DrawResult {
    let (lo, hi) = (v[0], v[v.len() - 1]);
    if hi <= lo {
        // All values equal: a vertical line.
        let x = scale.px(lo);
        return area.draw(&PathElement::new(
            vec![(x, y - half), (x, y + half)],
            color.stroke_width(2),
        ));
    }
    let bw = bandwidth(v);
    let k = 80;
    let xs: Vec<f64> = (0..=k)
        .map(|i| lo + (hi - lo) * f64::from(i) / f64::from(k))
        .collect();
    let dens: Vec<f64> = xs
        .iter()
        .map(|&x| {
            v.iter()
                .map(|&xi| (-0.5 * ((x - xi) / bw).powi(2)).exp())
                .sum::<f64>()
        })
        .collect();
    let max = dens
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut upper: Vec<(i32, i32)> = Vec::with_capacity(2 * xs.len());
    for (&x, &d) in xs.iter().zip(&dens) {
        upper.push((scale.px(x), y - (d / max * f64::from(half)).round() as i32));
    }
    let mut poly = upper.clone();
    for (&x, &d) in xs.iter().zip(&dens).rev() {
        poly.push((scale.px(x), y + (d / max * f64::from(half)).round() as i32));
    }
    area.draw(&Polygon::new(poly.clone(), color.mix(0.45).filled()))?;
    poly.push(poly[0]);
    area.draw(&PathElement::new(poly, INK.stroke_width(1)))?;
    if let Some(m) = stats::quantile_sorted(v, 0.5) {
        area.draw(&Circle::new((scale.px(m), y), 3, WHITE.filled()))?;
        area.draw(&Circle::new((scale.px(m), y), 3, INK.stroke_width(1)))?;
    }
    Ok(())
}

fn draw_histogram(
    area: &super::style::Area<'_>,
    scale: &Linear,
    v: &[f64],
    y: i32,
    half: i32,
    color: RGBColor,
) -> super::style::DrawResult {
    let (lo, hi) = (v[0], v[v.len() - 1]);
    let bins = 20usize;
    let span = if hi > lo { hi - lo } else { 1.0 };
    let mut counts = vec![0usize; bins];
    for &x in v {
        let b = (((x - lo) / span) * bins as f64).floor() as usize;
        counts[b.min(bins - 1)] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let base = y + half;
    for (b, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let a = scale.px(lo + span * b as f64 / bins as f64);
        let e = scale.px(lo + span * (b + 1) as f64 / bins as f64);
        let h = ((c as f64 / max as f64) * f64::from(2 * half)).round() as i32;
        area.draw(&Rectangle::new(
            [(a, base - h), (e.max(a + 1), base)],
            color.filled(),
        ))?;
    }
    area.draw(&PathElement::new(
        vec![(scale.px(lo), base), (scale.px(lo + span), base)],
        INK.stroke_width(1),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_statistics_by_hand() {
        // R: quantile(1:9, type 7) -> 3, 5, 7; fences 0 and 10; 30 is an outlier.
        let mut v: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(box_stats(&v), Some((3.0, 5.0, 7.0, 1.0, 9.0)));
        v.push(30.0);
        let (q1, med, q3, lo, hi) = box_stats(&v).unwrap();
        assert_eq!((q1, med, q3), (3.25, 5.5, 7.75));
        assert_eq!((lo, hi), (1.0, 9.0));
    }

    #[test]
    fn bandwidth_is_r_bw_nrd0() {
        // R: bw.nrd0(c(1, 2, 3, 4, 10)) = 0.9 * min(sd, IQR/1.34) * 5^-0.2
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        let sd = stats::sd(&v).unwrap();
        let expected = 0.9 * sd.min(2.0 / 1.34) * 5f64.powf(-0.2);
        assert!((bandwidth(&v) - expected).abs() < 1e-15);
        assert!(bandwidth(&[2.0, 2.0, 2.0]) > 0.0);
    }

    #[test]
    fn every_kind_draws() {
        for kind in [
            DistributionKind::Box,
            DistributionKind::Violin,
            DistributionKind::Histogram,
        ] {
            let p = DistributionPlot {
                title: "T".into(),
                subtitle: None,
                kind,
                series: vec![
                    ("a".into(), vec![1.0, 2.0, 2.5, 3.0, 9.0]),
                    ("b".into(), vec![f64::NAN, 4.0, 4.0]),
                    ("empty".into(), vec![f64::NAN]),
                ],
                axis_label: "v".into(),
            };
            let svg = p.to_svg().unwrap();
            assert!(
                svg.contains("no values") && !svg.contains("NaN"),
                "{kind:?}"
            );
        }
    }
}
