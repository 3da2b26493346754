//! The framework as a sunburst with effective weights (COINr's `plot_framework`).

use std::f64::consts::PI;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::TreeShape;
use super::style::{
    INK, MUTED, bold, font, mix, render, series_color, text, text_style, text_width, truncate,
};
use crate::error::{Error, Result};
use crate::framework::Framework;

/// A label outside the circle: node, point on the circle, wanted height.
type Outside = (usize, (i32, i32), i32);

/// One node of a [`FrameworkSunburst`].
#[derive(Debug, Clone, PartialEq)]
pub struct SunburstNode {
    /// Node code.
    pub code: String,
    /// Text shown on or beside the segment.
    pub label: String,
    /// Index of the parent in [`FrameworkSunburst::nodes`] (`None` for the root).
    pub parent: Option<usize>,
    /// Share of the whole circle: the node's effective weight in the index.
    pub share: f64,
}

/// The indicator tree as concentric rings: the index in the centre, one ring
/// per level outwards, each node a segment whose angle is its effective weight
/// in the index (the product of its normalised weights down from the root), so
/// that children exactly divide their parent. Each branch below the root has
/// its own colour, lighter at deeper levels; aggregates are labelled inside
/// their segment where the label fits, indicators around the circle.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkSunburst {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// The nodes; children are drawn clockwise from the top in the order they
    /// appear here.
    pub nodes: Vec<SunburstNode>,
}

impl FrameworkSunburst {
    /// The sunburst of a validated framework under the weight set `set`
    /// (`None`: the framework's own weights); labels show each node's code and
    /// effective weight in percent.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown weight set.
    pub fn from_framework(framework: &Framework, set: Option<&str>) -> Result<Self> {
        let eff = framework.effective_weights(set)?;
        let nodes = (0..framework.len())
            .map(|i| SunburstNode {
                code: framework.code(i).to_owned(),
                label: format!("{} {:.1}%", framework.code(i), 100.0 * eff[i]),
                parent: framework.parent(i),
                share: eff[i],
            })
            .collect();
        Ok(Self {
            title: "Framework and effective weights".into(),
            subtitle: Some(format!(
                "{} levels, {} indicators; each segment's angle is its effective weight in {}{}.",
                framework.n_levels(),
                framework.indicators().len(),
                framework.code(framework.root()),
                set.map(|s| format!(" (weight set {s:?})"))
                    .unwrap_or_default()
            )),
            nodes,
        })
    }

    /// The sunburst of a pipeline's framework, under the weight set of its
    /// aggregation step.
    ///
    /// # Errors
    /// As [`FrameworkSunburst::from_framework`].
    pub fn from_pipeline(pipeline: &crate::Pipeline) -> Result<Self> {
        Self::from_framework(
            pipeline.framework(),
            crate::tables::aggregation_weight_set(pipeline).as_deref(),
        )
    }

    /// Draws the sunburst as SVG.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a tree without a single root, a parent
    /// out of range, a cycle, or a share that is negative or not finite;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.nodes.len();
        let invalid = |m: String| Error::invalid("sunburst", "nodes", None, m);
        if let Some(node) = self
            .nodes
            .iter()
            .find(|t| !(t.share.is_finite() && t.share >= 0.0))
        {
            return Err(invalid(format!(
                "node {:?} has share {}",
                node.code, node.share
            )));
        }
        let codes: Vec<&str> = self.nodes.iter().map(|t| t.code.as_str()).collect();
        let parents: Vec<Option<usize>> = self.nodes.iter().map(|t| t.parent).collect();
        let TreeShape {
            root,
            children,
            depth,
            order,
        } = TreeShape::new(&codes, &parents, "sunburst")?;
        // Angular start and extent of each node (in shares of the circle):
        // children divide their parent's extent in proportion to their shares.
        let mut extent = vec![0.0; n];
        let mut start = vec![0.0; n];
        extent[root] = 1.0;
        for &i in &order {
            let total: f64 = children[i].iter().map(|&c| self.nodes[c].share).sum();
            let mut acc = start[i];
            for &c in &children[i] {
                extent[c] = if total > 0.0 {
                    extent[i] * self.nodes[c].share / total
                } else {
                    0.0
                };
                start[c] = acc;
                acc += extent[c];
            }
        }
        let max_depth = depth.iter().copied().max().unwrap_or(0);
        let mut branch = vec![0usize; n];
        for &i in &order {
            branch[i] = match self.nodes[i].parent {
                Some(p) if p == root => children[root].iter().position(|&c| c == i).unwrap_or(0),
                Some(p) => branch[p],
                None => 0,
            };
        }
        // Geometry: the root disc, then equal rings.
        let r0 = 70.0;
        let ring = (260.0 - r0) / max_depth.max(1) as f64;
        let outer = r0 + ring * max_depth as f64;
        let leaves: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| children[i].is_empty() && i != root)
            .collect();
        let leaf_px = 10.0;
        let label_w = leaves
            .iter()
            .map(|&i| text_width(&truncate(&self.nodes[i].label, 36), leaf_px))
            .fold(0.0, f64::max)
            .ceil() as i32;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let margin = 24 + label_w;
        let cx = margin + outer as i32 + 30;
        let cy = head + 30 + outer as i32;
        let width = 2 * cx;
        let y_min = head + 16;
        // Indicator labels around the circle: each side sorted by angle, spread
        // out so that no two are closer than 13 pixels (leader lines show which
        // segment each belongs to); the canvas grows when they need more room.
        let angle_point = |r: f64, share: f64| -> (i32, i32) {
            let t = 2.0 * PI * share - PI / 2.0;
            (
                cx + (r * t.cos()).round() as i32,
                cy + (r * t.sin()).round() as i32,
            )
        };
        let mut sides: [Vec<Outside>; 2] = [Vec::new(), Vec::new()];
        for &i in &leaves {
            let mid = start[i] + extent[i] / 2.0;
            let side = usize::from(mid > 0.5);
            sides[side].push((i, angle_point(outer, mid), angle_point(outer + 16.0, mid).1));
        }
        let mut label_y: [Vec<i32>; 2] = [Vec::new(), Vec::new()];
        let mut lowest = cy + outer as i32 + 30;
        for (side, items) in sides.iter_mut().enumerate() {
            // Top to bottom (the left side runs bottom to top clockwise).
            items.sort_by_key(|t| t.2);
            let mut ys: Vec<i32> = items.iter().map(|t| t.2.max(y_min)).collect();
            for k in 1..ys.len() {
                ys[k] = ys[k].max(ys[k - 1] + 13);
            }
            // Pull up what went below the circle, as far as the top allows.
            let bottom_room = cy + outer as i32 + 20;
            for k in (0..ys.len()).rev() {
                let limit = if k + 1 < ys.len() {
                    ys[k + 1] - 13
                } else {
                    bottom_room
                };
                let floor = y_min + 13 * k as i32;
                ys[k] = ys[k].min(limit).max(floor);
            }
            lowest = lowest.max(ys.last().copied().unwrap_or(0) + 14);
            label_y[side] = ys;
        }
        let height = lowest + 10;
        let point = angle_point;
        let color_of = |i: usize| -> RGBColor {
            if i == root {
                RGBColor(70, 70, 70)
            } else {
                let base = series_color(branch[i]);
                mix(
                    base,
                    RGBColor(255, 255, 255),
                    0.18 * (depth[i] as f64 - 1.0),
                )
            }
        };
        render(
            "sunburst",
            &self.title,
            self.subtitle.as_deref(),
            (width as u32, height as u32),
            |area| {
                area.draw(&Circle::new((cx, cy), r0 as i32, color_of(root).filled()))?;
                for &i in &order {
                    if i == root || extent[i] <= 0.0 {
                        continue;
                    }
                    let r_in = r0 + ring * (depth[i] as f64 - 1.0);
                    let r_out = r_in + ring;
                    let (a, b) = (start[i], start[i] + extent[i]);
                    let steps = ((extent[i] * 360.0).ceil() as usize).max(2);
                    let mut poly = Vec::with_capacity(2 * steps + 2);
                    for k in 0..=steps {
                        poly.push(point(r_out, a + (b - a) * k as f64 / steps as f64));
                    }
                    for k in (0..=steps).rev() {
                        poly.push(point(r_in, a + (b - a) * k as f64 / steps as f64));
                    }
                    area.draw(&Polygon::new(poly.clone(), color_of(i).filled()))?;
                    poly.push(poly[0]);
                    area.draw(&PathElement::new(poly, WHITE.stroke_width(1)))?;
                }
                // Root label.
                let root_style = text_style(bold(12.0), WHITE, HPos::Center, VPos::Center);
                let root_label = truncate(&self.nodes[root].code, 14);
                text(area, &root_label, (cx, cy), &root_style)?;
                // Aggregates: inside the segment when the label's box fits in it.
                for &i in &order {
                    if i == root || children[i].is_empty() || extent[i] <= 0.0 {
                        continue;
                    }
                    let (r_in, r_out) = (
                        r0 + ring * (depth[i] as f64 - 1.0),
                        r0 + ring * depth[i] as f64,
                    );
                    let r_mid = (r_in + r_out) / 2.0;
                    let mid = start[i] + extent[i] / 2.0;
                    let at = point(r_mid, mid);
                    let inside = |w: f64, h: f64| {
                        let (w, h) = (w / 2.0 + 3.0, h / 2.0);
                        [(-w, -h), (w, -h), (-w, h), (w, h)]
                            .iter()
                            .all(|&(dx, dy)| {
                                let (x, y) = (f64::from(at.0 - cx) + dx, f64::from(at.1 - cy) + dy);
                                let r = x.hypot(y);
                                // Share of the circle, clockwise from the top.
                                let a = (y.atan2(x) + PI / 2.0).rem_euclid(2.0 * PI) / (2.0 * PI);
                                r > r_in + 1.0
                                    && r < r_out - 1.0
                                    && a > start[i]
                                    && a < start[i] + extent[i]
                            })
                    };
                    let label = &self.nodes[i].label;
                    let code = &self.nodes[i].code;
                    let rest = label
                        .strip_prefix(code.as_str())
                        .map(str::trim)
                        .unwrap_or("");
                    let width_of = |s: &str| text_width(s, 11.0);
                    let lines: Vec<&str> = if inside(width_of(label), 16.0) {
                        vec![label]
                    } else if !rest.is_empty() && inside(width_of(code).max(width_of(rest)), 30.0) {
                        vec![code, rest]
                    } else if inside(width_of(code), 16.0) {
                        vec![code]
                    } else {
                        Vec::new()
                    };
                    let ink = if depth[i] <= 1 { WHITE } else { INK };
                    let st = text_style(bold(11.0), ink, HPos::Center, VPos::Center);
                    let first = at.1 - 7 * (lines.len() as i32 - 1);
                    for (k, line) in lines.iter().enumerate() {
                        text(area, line, (at.0, first + 14 * k as i32), &st)?;
                    }
                }
                let leaf_style = [
                    text_style(font(leaf_px), INK, HPos::Left, VPos::Center),
                    text_style(font(leaf_px), INK, HPos::Right, VPos::Center),
                ];
                for side in 0..2 {
                    let x_text = if side == 0 {
                        cx + outer as i32 + 24
                    } else {
                        cx - outer as i32 - 24
                    };
                    let elbow = if side == 0 { x_text - 4 } else { x_text + 4 };
                    for ((i, anchor, _), &y) in sides[side].iter().zip(&label_y[side]) {
                        area.draw(&PathElement::new(
                            vec![*anchor, (elbow, y)],
                            MUTED.mix(0.6).stroke_width(1),
                        ))?;
                        text(
                            area,
                            &truncate(&self.nodes[*i].label, 36),
                            (x_text, y),
                            &leaf_style[side],
                        )?;
                    }
                }
                Ok(())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{FrameworkSpec, NodeSpec};

    #[test]
    fn shares_are_effective_weights_and_every_label_is_drawn() {
        let fw = Framework::new(
            FrameworkSpec::new(vec![
                NodeSpec::new("Index", None),
                NodeSpec::new("P1", Some("Index")).weight(3.0),
                NodeSpec::new("P2", Some("Index")),
                NodeSpec::new("a", Some("P1")),
                NodeSpec::new("b", Some("P1")),
                NodeSpec::new("c", Some("P2")),
            ]),
            None,
        )
        .unwrap();
        let s = FrameworkSunburst::from_framework(&fw, None).unwrap();
        let share = |c: &str| s.nodes.iter().find(|n| n.code == c).unwrap().share;
        assert_eq!(share("P1"), 0.75);
        assert_eq!(share("a"), 0.375);
        assert_eq!(share("c"), 0.25);
        let svg = s.to_svg().unwrap();
        for label in ["a 37.5%", "b 37.5%", "c 25.0%", "P1 75.0%", "Index"] {
            assert!(svg.contains(label), "{label}");
        }
        let mut bad = s.clone();
        bad.nodes[1].parent = None;
        assert!(bad.to_svg().is_err());
    }
}
