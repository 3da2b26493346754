//! Shared drawing helpers: colours, fonts, scales, ticks and the SVG canvas.
//!
//! Everything is drawn in pixel coordinates on a plotters [`SVGBackend`]: the
//! backend writes `<text>` elements with a generic `sans-serif` family, so no font
//! file is read when a chart is made, and the viewer's own fonts render the text.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Error, Result};

/// The drawing area every chart draws on.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The error type of drawing on an [`Area`].
pub(crate) type DrawResult = std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Qualitative palette (Tableau 10), one colour per pillar or series.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(89, 161, 79),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];

/// Dark grey for text and axes.
pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);
/// Mid grey for secondary text.
pub(crate) const MUTED: RGBColor = RGBColor(110, 110, 110);
/// Light grey for grid lines.
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);

/// Colour `i` of the palette; past ten colours the palette repeats, lightened.
pub(crate) fn series_color(i: usize) -> RGBColor {
    let c = PALETTE[i % PALETTE.len()];
    let round = (i / PALETTE.len()) as f64;
    if round == 0.0 {
        return c;
    }
    let t = (0.35 * round).min(0.7);
    mix(c, RGBColor(255, 255, 255), t)
}

/// Linear mix of two colours (`t = 0` gives `a`).
pub(crate) fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let f = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}

/// Diverging colour scale for a correlation in [-1, 1]: blue, white, red; grey
/// for a missing value.
pub(crate) fn diverging(v: Option<f64>) -> RGBColor {
    const NEG: RGBColor = RGBColor(33, 102, 172);
    const POS: RGBColor = RGBColor(178, 24, 43);
    const MID: RGBColor = RGBColor(247, 247, 247);
    match v {
        None => RGBColor(200, 200, 200),
        Some(v) if v.is_nan() => RGBColor(200, 200, 200),
        Some(v) if v < 0.0 => mix(MID, NEG, (-v).min(1.0)),
        Some(v) => mix(MID, POS, v.min(1.0)),
    }
}

/// A font of `px` pixels (plotters writes `font-size` as its size divided by 1.24).
pub(crate) fn font(px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, px * 1.24, FontStyle::Normal)
}

/// A bold font of `px` pixels.
pub(crate) fn bold(px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, px * 1.24, FontStyle::Bold)
}

/// A text style: font, colour and anchor.
pub(crate) fn text_style(
    font: FontDesc<'static>,
    color: RGBColor,
    h: HPos,
    v: VPos,
) -> TextStyle<'static> {
    TextStyle {
        font,
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// Rotated text style (reading upwards), anchored at its end.
pub(crate) fn vertical_style(px: f64, color: RGBColor) -> TextStyle<'static> {
    text_style(
        font(px).transform(FontTransform::Rotate270),
        color,
        HPos::Right,
        VPos::Center,
    )
}

/// Estimated width in pixels of a text at `px` pixels in a sans-serif font, from
/// the advance widths of DejaVu Sans (among the widest common sans-serif fonts,
/// so that text fits whatever font the viewer picks); no font file is read.
pub(crate) fn text_width(s: &str, px: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.31,
            't' | 'f' | 'r' | '(' | ')' | '-' | '/' => 0.41,
            'm' | 'w' | 'M' | 'W' => 0.92,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.64,
            _ => 0.62,
        })
        .sum::<f64>()
        * px
}

/// Shortens `s` to at most `n` characters, ending with an ellipsis when cut.
pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Linear {
    pub(crate) d0: f64,
    pub(crate) d1: f64,
    pub(crate) p0: f64,
    pub(crate) p1: f64,
}

impl Linear {
    pub(crate) fn new(domain: (f64, f64), pixels: (f64, f64)) -> Self {
        let (d0, mut d1) = domain;
        if d1 == d0 {
            d1 = d0 + 1.0;
        }
        Self {
            d0,
            d1,
            p0: pixels.0,
            p1: pixels.1,
        }
    }

    /// The pixel of a value (rounded).
    pub(crate) fn px(&self, v: f64) -> i32 {
        (self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)).round() as i32
    }
}

/// About `n` round tick values covering `[lo, hi]` (steps of 1, 2 or 5 times a
/// power of ten), and the step.
pub(crate) fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (vec![lo], 1.0);
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut k = 0.0;
    while first + k * step <= hi + step * 1e-9 {
        ticks.push(first + k * step);
        k += 1.0;
    }
    (ticks, step)
}

/// A tick label with as many decimals as the step needs.
pub(crate) fn tick_label(v: f64, step: f64) -> String {
    let decimals = (0..=6)
        .find(|&d| {
            let m = step * 10f64.powi(d);
            (m - m.round()).abs() < 1e-9 * m.abs().max(1.0)
        })
        .unwrap_or(6) as usize;
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_owned()
    } else {
        s
    }
}

/// A number for a label: two decimals, or `n/a` when missing.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        let s = format!("{v:.decimals$}");
        // No "-0.0" for a small negative value.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_owned()
        } else {
            s
        }
    } else {
        "n/a".to_owned()
    }
}

/// Draws a chart of `size` pixels on an SVG canvas, with its title (and subtitle)
/// at the top left, and returns the SVG text, with a `<title>` element for screen
/// readers and file viewers. The canvas is widened when the title would not fit.
///
/// # Errors
/// [`Error::Io`] (path `"<chart> chart"`) if drawing fails.
pub(crate) fn render<F>(
    chart: &str,
    title: &str,
    subtitle: Option<&str>,
    size: (u32, u32),
    draw: F,
) -> Result<String>
where
    F: FnOnce(&Area<'_>) -> DrawResult,
{
    let need = (text_width(title, 16.0) * 1.12)
        .max(subtitle.map_or(0.0, |s| text_width(s, 12.0)))
        .ceil() as u32
        + 28;
    let size = (size.0.max(need), size.1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .and_then(|()| title_block(&root, title, subtitle).map(|_| ()))
            .and_then(|()| draw(&root));
        drawn.and_then(|()| root.present()).map_err(|e| Error::Io {
            path: format!("{chart} chart"),
            source: std::io::Error::other(e.to_string()),
        })?;
    }
    if let Some(end) = svg.find('>') {
        svg.insert_str(end + 1, &format!("\n<title>{}</title>", xml_escape(title)));
    }
    Ok(svg)
}

/// Escapes `&`, `<`, `>` and quotes for XML and HTML text and attributes.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Draws a text.
pub(crate) fn text(
    area: &Area<'_>,
    s: &str,
    at: (i32, i32),
    style: &TextStyle<'static>,
) -> DrawResult {
    area.draw(&Text::new(s.to_owned(), at, style.clone()))
}

/// Draws the title (bold, 16 px) and an optional subtitle (12 px, grey) at the top
/// left; returns the height used.
pub(crate) fn title_block(
    area: &Area<'_>,
    title: &str,
    subtitle: Option<&str>,
) -> std::result::Result<i32, DrawingAreaErrorKind<std::io::Error>> {
    let t = text_style(bold(16.0), INK, HPos::Left, VPos::Top);
    text(area, title, (12, 10), &t)?;
    let mut h = 34;
    if let Some(s) = subtitle {
        let st = text_style(font(12.0), MUTED, HPos::Left, VPos::Top);
        text(area, s, (12, 32), &st)?;
        h = 52;
    }
    Ok(h)
}

/// Draws a legend of coloured squares with labels, flowing left to right and
/// wrapping at `width`; returns the height used.
pub(crate) fn legend(
    area: &Area<'_>,
    items: &[(String, RGBColor)],
    top: i32,
    left: i32,
    width: i32,
) -> std::result::Result<i32, DrawingAreaErrorKind<std::io::Error>> {
    let style = text_style(font(12.0), INK, HPos::Left, VPos::Center);
    let (mut x, mut y) = (left, top + 8);
    for (label, color) in items {
        let w = 18 + text_width(label, 12.0).ceil() as i32 + 16;
        if x > left && x + w > width {
            x = left;
            y += 20;
        }
        area.draw(&Rectangle::new(
            [(x, y - 6), (x + 12, y + 6)],
            color.filled(),
        ))?;
        text(area, label, (x + 17, y), &style)?;
        x += w;
    }
    Ok(if items.is_empty() { 0 } else { y - top + 14 })
}

/// Height a [`legend`] of these items will take at this width.
pub(crate) fn legend_height(items: &[(String, RGBColor)], left: i32, width: i32) -> i32 {
    let mut x = left;
    let mut rows = 1;
    for (label, _) in items {
        let w = 18 + text_width(label, 12.0).ceil() as i32 + 16;
        if x > left && x + w > width {
            x = left;
            rows += 1;
        }
        x += w;
    }
    if items.is_empty() { 0 } else { rows * 20 + 2 }
}

/// Draws a horizontal value axis at pixel row `y` over the scale's range, with
/// grid lines from `grid_top` to `y` and tick labels below; `label` is written
/// under the ticks.
pub(crate) fn x_axis(
    area: &Area<'_>,
    scale: &Linear,
    ticks: &[f64],
    step: f64,
    y: i32,
    grid_top: i32,
    label: &str,
) -> DrawResult {
    let tick_style = text_style(font(11.0), MUTED, HPos::Center, VPos::Top);
    for &t in ticks {
        let x = scale.px(t);
        area.draw(&PathElement::new(
            vec![(x, grid_top), (x, y)],
            GRID.stroke_width(1),
        ))?;
        area.draw(&PathElement::new(
            vec![(x, y), (x, y + 4)],
            INK.stroke_width(1),
        ))?;
        text(area, &tick_label(t, step), (x, y + 6), &tick_style)?;
    }
    let (x0, x1) = (scale.p0.round() as i32, scale.p1.round() as i32);
    area.draw(&PathElement::new(
        vec![(x0, y), (x1, y)],
        INK.stroke_width(1),
    ))?;
    if !label.is_empty() {
        let st = text_style(font(12.0), INK, HPos::Center, VPos::Top);
        text(area, label, ((x0 + x1) / 2, y + 22), &st)?;
    }
    Ok(())
}

/// Layout of a chart with one row per unit (ranking and uncertainty charts): a
/// rank column, labels right-aligned against the plot, the plot, and room on the
/// right for a value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows {
    /// Left edge of the plot.
    pub(crate) plot_left: i32,
    /// Right edge of the plot.
    pub(crate) plot_right: i32,
    /// Top of the first row.
    pub(crate) top: i32,
    /// Height of a row.
    pub(crate) row_h: i32,
    /// Number of rows.
    pub(crate) n: i32,
    /// Width of the whole chart.
    pub(crate) width: i32,
    /// Right edge of the rank column.
    rank_right: i32,
}

impl Rows {
    /// A layout for these rank texts and labels, with the plot `plot_w` wide and
    /// the first row at `top`.
    pub(crate) fn new(ranks: &[String], labels: &[String], plot_w: i32, top: i32) -> Self {
        let rank_w = ranks
            .iter()
            .map(|r| text_width(r, 12.0))
            .fold(text_width("00", 12.0), f64::max)
            .ceil() as i32;
        let label_w = labels
            .iter()
            .map(|l| text_width(l, 12.0))
            .fold(40.0, f64::max)
            .ceil() as i32;
        let rank_right = 12 + rank_w;
        let plot_left = rank_right + 12 + label_w + 10;
        Self {
            plot_left,
            plot_right: plot_left + plot_w,
            top,
            row_h: 18,
            n: ranks.len() as i32,
            width: plot_left + plot_w + 56,
            rank_right,
        }
    }

    /// Pixel row of the centre of row `k`.
    pub(crate) fn y(&self, k: usize) -> i32 {
        self.top + k as i32 * self.row_h + self.row_h / 2
    }

    /// Bottom of the last row.
    pub(crate) fn bottom(&self) -> i32 {
        self.top + self.n * self.row_h
    }

    /// Draws the zebra background of every other row, the rank column and the labels.
    pub(crate) fn draw_labels(
        &self,
        area: &Area<'_>,
        ranks: &[String],
        labels: &[String],
    ) -> DrawResult {
        let rank_style = text_style(font(12.0), MUTED, HPos::Right, VPos::Center);
        let label_style = text_style(font(12.0), INK, HPos::Right, VPos::Center);
        for (k, (r, l)) in ranks.iter().zip(labels).enumerate() {
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
            text(area, r, (self.rank_right, y), &rank_style)?;
            text(area, l, (self.plot_left - 8, y), &label_style)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (t, s) = nice_ticks(0.0, 100.0, 5);
        assert_eq!(s, 20.0);
        assert_eq!(t, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let (t, s) = nice_ticks(-1.0, 1.0, 4);
        assert_eq!(s, 0.5);
        assert_eq!(t.first(), Some(&-1.0));
        assert_eq!(tick_label(-0.5, 0.5), "-0.5");
        assert_eq!(tick_label(0.25, 0.25), "0.25");
        assert_eq!(tick_label(40.0, 20.0), "40");
    }

    #[test]
    fn escape_and_truncate() {
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }

    #[test]
    fn diverging_ends() {
        assert_eq!(diverging(Some(1.0)), RGBColor(178, 24, 43));
        assert_eq!(diverging(Some(-1.0)), RGBColor(33, 102, 172));
        assert_eq!(diverging(None), RGBColor(200, 200, 200));
    }
}
