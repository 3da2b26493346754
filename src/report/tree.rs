//! The framework drawn as a tree: the index at the left, indicators at the right.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::TreeShape;
use super::style::{
    INK, MUTED, bold, font, render, series_color, text, text_style, text_width, truncate,
};
use crate::error::Result;
use crate::framework::Framework;

/// One node of a [`FrameworkChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    /// Node code.
    pub code: String,
    /// Text shown beside the node.
    pub label: String,
    /// Index of the parent in [`FrameworkChart::nodes`] (`None` for the root).
    pub parent: Option<usize>,
}

/// The indicator tree: the root at the left, one column per level, indicators
/// at the right with their effective weight in the index; each branch below the
/// root has its own colour.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// The nodes; children are drawn in the order they appear here.
    pub nodes: Vec<TreeNode>,
}

impl FrameworkChart {
    /// The tree of a validated framework, labelled with each node's name and
    /// code, and each indicator's effective weight under the weight set `set`
    /// (`None`: the framework's own weights).
    ///
    /// # Errors
    /// [`Error::UnknownCode`](crate::Error::UnknownCode) for an unknown weight set.
    pub fn from_framework(framework: &Framework, set: Option<&str>) -> Result<Self> {
        let eff = framework.effective_weights(set)?;
        let nodes = (0..framework.len())
            .map(|i| {
                let (code, name) = (framework.code(i), framework.name(i));
                let mut label = if name == code {
                    code.to_owned()
                } else {
                    format!("{} ({code})", truncate(name, 48))
                };
                if framework.level(i) == 1 {
                    label.push_str(&format!(", {:.1}%", 100.0 * eff[i]));
                }
                TreeNode {
                    code: code.to_owned(),
                    label,
                    parent: framework.parent(i),
                }
            })
            .collect();
        Ok(Self {
            title: "Framework".into(),
            subtitle: Some(format!(
                "{} levels, {} indicators; indicators show their effective weight in the index.",
                framework.n_levels(),
                framework.indicators().len()
            )),
            nodes,
        })
    }

    /// Draws the tree as SVG.
    ///
    /// # Errors
    /// [`Error::Framework`](crate::Error::Framework)-like problems are reported as
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter): no root, a
    /// parent out of range or a cycle; [`Error::Io`](crate::Error::Io) if drawing
    /// fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.nodes.len();
        let codes: Vec<&str> = self.nodes.iter().map(|t| t.code.as_str()).collect();
        let parents: Vec<Option<usize>> = self.nodes.iter().map(|t| t.parent).collect();
        let TreeShape {
            root,
            children,
            depth,
            order,
        } = TreeShape::new(&codes, &parents, "framework chart")?;
        let max_depth = depth.iter().copied().max().unwrap_or(0);
        // Branch colour: the child of the root each node descends from.
        let mut branch = vec![0usize; n];
        for &i in &order {
            branch[i] = match self.nodes[i].parent {
                Some(p) if p == root => children[root].iter().position(|&c| c == i).unwrap_or(0),
                Some(p) => branch[p],
                None => 0,
            };
        }
        let leaf_px = 11.0;
        let inner_px = 12.0;
        // Each column is as wide as the longest label of its aggregates (within limits).
        let mut col_w = vec![60i32; max_depth + 1];
        for &i in order.iter().filter(|&&i| !children[i].is_empty()) {
            let w = text_width(&self.nodes[i].label, inner_px * 1.1)
                .min(300.0)
                .ceil() as i32;
            col_w[depth[i]] = col_w[depth[i]].max(w + 36);
        }
        let col_x: Vec<i32> = col_w
            .iter()
            .scan(0, |acc, w| {
                let x = *acc;
                *acc += w;
                Some(x)
            })
            .collect();
        let leaf_w = order
            .iter()
            .filter(|&&i| children[i].is_empty())
            .map(|&i| text_width(&self.nodes[i].label, leaf_px))
            .fold(40.0, f64::max)
            .ceil() as i32;
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let top = head + 24;
        let spacing = 17;
        let left = 20;
        // Leaves at successive rows; a parent in the middle of its children.
        let mut y = vec![0i32; n];
        let mut next = 0;
        for &i in &order {
            if children[i].is_empty() {
                y[i] = top + next * spacing;
                next += 1;
            }
        }
        for &i in order.iter().rev() {
            if let (Some(&f), Some(&l)) = (children[i].first(), children[i].last()) {
                y[i] = (y[f] + y[l]) / 2;
            }
        }
        let x = |i: usize| left + col_x[depth[i]];
        let width = left + col_x[max_depth] + 12 + leaf_w + 20;
        let height = top + next * spacing + 10;
        render(
            "framework",
            &self.title,
            self.subtitle.as_deref(),
            (width.max(420) as u32, height as u32),
            |area| {
                for &i in &order {
                    for &c in &children[i] {
                        let color = series_color(branch[c]);
                        let mid = x(c) - 14;
                        area.draw(&PathElement::new(
                            vec![(x(i), y[i]), (mid, y[i]), (mid, y[c]), (x(c), y[c])],
                            color.mix(0.7).stroke_width(1),
                        ))?;
                    }
                }
                let leaf_style = text_style(font(leaf_px), INK, HPos::Left, VPos::Center);
                let inner_style = text_style(bold(inner_px), INK, HPos::Left, VPos::Bottom);
                for &i in &order {
                    let color = if i == root {
                        INK
                    } else {
                        series_color(branch[i])
                    };
                    let r = if children[i].is_empty() { 3 } else { 5 };
                    area.draw(&Circle::new((x(i), y[i]), r, color.filled()))?;
                    let label = &self.nodes[i].label;
                    if children[i].is_empty() {
                        text(area, label, (x(i) + 7, y[i]), &leaf_style)?;
                    } else {
                        let room = f64::from(col_w[depth[i]] - 24);
                        let wide = text_width(label, inner_px * 1.1);
                        let max_chars = if wide > room {
                            (label.chars().count() as f64 * room / wide) as usize
                        } else {
                            usize::MAX
                        };
                        text(
                            area,
                            &truncate(label, max_chars.max(8)),
                            (x(i) + 2, y[i] - 6),
                            &inner_style,
                        )?;
                    }
                }
                let level_style = text_style(font(11.0), MUTED, HPos::Left, VPos::Top);
                for (d, &cx) in col_x.iter().enumerate() {
                    let what = match (d, max_depth - d) {
                        (0, _) => "index".to_owned(),
                        (_, 0) => "indicators".to_owned(),
                        (_, k) => format!("level {}", k + 1),
                    };
                    text(area, &what, (left + cx - 4, head), &level_style)?;
                }
                Ok(())
            },
        )
    }
}
