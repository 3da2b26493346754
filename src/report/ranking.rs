//! Ranking bar chart with stacked contributions of a node's children.

use plotters::prelude::*;

use super::style::{
    self, INK, Linear, MUTED, Rows, font, legend, legend_height, nice_ticks, render, series_color,
    text, text_style, x_axis,
};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::spec::Step;
use plotters::style::text_anchor::{HPos, VPos};

/// A ranking chart: one horizontal bar per unit, best rank at the top, each bar
/// split into the contributions of the node's children (pillars of the index,
/// indicators of a pillar...).
///
/// The contribution of child `c` to unit `u`'s score `s` is
/// `s * w_c x_c / sum_k w_k x_k` over the children `k` with a score: for the
/// weighted arithmetic mean this is exactly `w_c x_c / sum_k w_k`, the child's
/// share of the mean; for other means it splits the score in proportion to the
/// weighted child scores. A unit with a negative child score (z-scores, say) gets
/// a plain, unsplit bar.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingChart {
    /// Title at the top.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Bar labels (unit names), in display order: best rank first.
    pub labels: Vec<String>,
    /// Rank of each bar (`None` for a unit without a score).
    pub ranks: Vec<Option<u32>>,
    /// Score of each bar (NaN when missing).
    pub scores: Vec<f64>,
    /// Names of the stacked parts, for the legend; empty for plain bars.
    pub parts: Vec<String>,
    /// `contributions[u][p]`: length of part `p` of bar `u`; a row of NaN leaves
    /// that bar unsplit.
    pub contributions: Vec<Vec<f64>>,
    /// Label of the value axis.
    pub axis_label: String,
}

impl RankingChart {
    /// The ranking of `node` in a run of `pipeline`, split into its children's
    /// contributions (weights of the pipeline's aggregation step).
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a node that is not in the framework or not in
    /// the final data set (a pipeline without an aggregation step has no
    /// aggregate scores); the errors of
    /// [`Framework::weights`](crate::Framework::weights).
    pub fn from_results(pipeline: &Pipeline, results: &Results, node: &str) -> Result<Self> {
        let fw = pipeline.framework();
        let unknown = |context: &str| Error::UnknownCode {
            kind: "node",
            code: node.into(),
            context: context.into(),
        };
        let i = fw
            .index_of(node)
            .ok_or_else(|| unknown("the framework (ranking chart)"))?;
        let scores = results
            .scores(node)
            .ok_or_else(|| unknown("the final data set (ranking chart)"))?;
        let ranks = results
            .ranks(node)
            .ok_or_else(|| unknown("the final data set (ranking chart)"))?;
        let set = pipeline.spec().steps.iter().rev().find_map(|s| match s {
            Step::Aggregate(a) => Some(a.weights.clone()),
            _ => None,
        });
        let weights = fw.weights(set.flatten().as_deref())?;
        let children: Vec<(String, f64, &[f64])> = fw
            .children(i)
            .iter()
            .filter_map(|&c| {
                results
                    .scores(fw.code(c))
                    .map(|s| (fw.name(c).to_owned(), weights[c], s))
            })
            .collect();
        // Stacking needs non-negative parts: with negative child scores (z-scores,
        // say) every bar is left whole.
        let split = children
            .iter()
            .all(|(_, _, x)| x.iter().all(|v| v.is_nan() || *v >= 0.0));
        let labels = unit_labels(pipeline, results);
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| {
            let key = |u: usize| ranks[u].unwrap_or(u32::MAX);
            key(a).cmp(&key(b)).then_with(|| labels[a].cmp(&labels[b]))
        });
        let contributions = order
            .iter()
            .map(|&u| {
                let parts: Vec<f64> = children
                    .iter()
                    .map(|(_, w, x)| if x[u].is_nan() { 0.0 } else { w * x[u] })
                    .collect();
                let total: f64 = parts.iter().sum();
                let ok = !scores[u].is_nan()
                    && total > 0.0
                    && children
                        .iter()
                        .all(|(_, _, x)| x[u].is_nan() || x[u] >= 0.0);
                if ok {
                    parts.iter().map(|p| scores[u] * p / total).collect()
                } else {
                    vec![f64::NAN; children.len()]
                }
            })
            .collect();
        let name = fw.name(i);
        let subtitle = if children.is_empty() {
            None
        } else if !split {
            Some(format!(
                "Bars are not split into the components of {}: some component scores are negative.",
                fw.code(i)
            ))
        } else {
            Some(format!(
                "Each bar is split into the contributions of the {} components of {} (weight × score / total weight).",
                children.len(),
                fw.code(i)
            ))
        };
        Ok(Self {
            title: format!("{name}: scores and ranks"),
            subtitle,
            labels: order.iter().map(|&u| labels[u].clone()).collect(),
            ranks: order.iter().map(|&u| ranks[u]).collect(),
            scores: order.iter().map(|&u| scores[u]).collect(),
            parts: if split {
                children.into_iter().map(|(n, _, _)| n).collect()
            } else {
                Vec::new()
            },
            contributions: if split {
                contributions
            } else {
                vec![Vec::new(); order.len()]
            },
            axis_label: format!("{} score", fw.code(i)),
        })
    }

    /// Keeps the first `n` bars (the best ranked).
    #[must_use]
    pub fn top(mut self, n: usize) -> Self {
        self.labels.truncate(n);
        self.ranks.truncate(n);
        self.scores.truncate(n);
        self.contributions.truncate(n);
        self
    }

    /// Draws the chart as SVG.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the vectors disagree in length;
    /// [`Error::Io`] if drawing fails.
    pub fn to_svg(&self) -> Result<String> {
        let n = self.labels.len();
        for (what, len) in [
            ("ranks of the ranking chart", self.ranks.len()),
            ("scores of the ranking chart", self.scores.len()),
            (
                "contribution rows of the ranking chart",
                self.contributions.len(),
            ),
        ] {
            if len != n {
                return Err(Error::DimensionMismatch {
                    what: what.into(),
                    expected: n,
                    found: len,
                });
            }
        }
        let ranks: Vec<String> = self
            .ranks
            .iter()
            .map(|r| r.map_or_else(|| "–".to_owned(), |r| r.to_string()))
            .collect();
        let items: Vec<(String, RGBColor)> = self
            .parts
            .iter()
            .enumerate()
            .map(|(p, name)| (name.clone(), series_color(p)))
            .collect();
        let head = if self.subtitle.is_some() { 52 } else { 34 };
        let probe = Rows::new(&ranks, &self.labels, 560, 0);
        let legend_h = legend_height(&items, 12, probe.width - 12);
        let rows = Rows::new(&ranks, &self.labels, 560, head + legend_h + 14);
        let height = rows.bottom() + 52;
        let present = self.scores.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = present.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let (ticks, step) = nice_ticks(lo, if hi > lo { hi } else { lo + 1.0 }, 6);
        let (ticks, d0, d1) = round_domain(ticks, step, lo, hi);
        let scale = Linear::new(
            (d0, d1),
            (f64::from(rows.plot_left), f64::from(rows.plot_right)),
        );
        render(
            "ranking",
            &self.title,
            self.subtitle.as_deref(),
            (rows.width as u32, height as u32),
            |area| {
                legend(area, &items, head, 12, rows.width - 12)?;
                rows.draw_labels(area, &ranks, &self.labels)?;
                x_axis(
                    area,
                    &scale,
                    &ticks,
                    step,
                    rows.bottom() + 4,
                    rows.top,
                    &self.axis_label,
                )?;
                let value_style = text_style(font(11.0), MUTED, HPos::Left, VPos::Center);
                let decimals = if d1 - d0 < 10.0 { 2 } else { 1 };
                let zero = scale.px(0.0);
                for (k, (&score, parts)) in self.scores.iter().zip(&self.contributions).enumerate()
                {
                    let y = rows.y(k);
                    let (y0, y1) = (y - 6, y + 6);
                    if !score.is_finite() {
                        text(area, "n/a", (zero + 4, y), &value_style)?;
                        continue;
                    }
                    if !parts.is_empty() && parts.iter().all(|p| p.is_finite()) {
                        let mut acc = 0.0;
                        for (p, &c) in parts.iter().enumerate() {
                            let (a, b) = (scale.px(acc), scale.px(acc + c));
                            if b > a {
                                area.draw(&Rectangle::new(
                                    [(a, y0), (b, y1)],
                                    series_color(p).filled(),
                                ))?;
                            }
                            acc += c;
                        }
                    } else {
                        let color = if parts.is_empty() {
                            style::PALETTE[0]
                        } else {
                            RGBColor(150, 150, 150)
                        };
                        let (a, b) = (zero.min(scale.px(score)), zero.max(scale.px(score)));
                        area.draw(&Rectangle::new(
                            [(a, y0), (b.max(a + 1), y1)],
                            color.filled(),
                        ))?;
                    }
                    if score >= 0.0 {
                        text(
                            area,
                            &style::num(score, decimals),
                            (scale.px(score) + 4, y),
                            &value_style,
                        )?;
                    } else {
                        let left = text_style(font(11.0), MUTED, HPos::Right, VPos::Center);
                        text(
                            area,
                            &style::num(score, decimals),
                            (scale.px(score) - 4, y),
                            &left,
                        )?;
                    }
                }
                area.draw(&PathElement::new(
                    vec![(zero, rows.top), (zero, rows.bottom() + 4)],
                    INK.stroke_width(1),
                ))?;
                Ok(())
            },
        )
    }
}

/// Label of each unit of the final data set: its name, or its code when it has
/// no name of its own.
pub(crate) fn unit_labels(pipeline: &Pipeline, results: &Results) -> Vec<String> {
    let names = pipeline.data().unit_names();
    let last = results.last();
    last.units
        .iter()
        .zip(last.unit_codes.iter())
        .map(|(&row, code)| {
            names
                .get(row)
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| code.clone())
        })
        .collect()
}

/// Extends the ticks so that the first is at or below `lo` and the last at or
/// above `hi`; returns them with the domain they span.
pub(crate) fn round_domain(
    mut ticks: Vec<f64>,
    step: f64,
    lo: f64,
    hi: f64,
) -> (Vec<f64>, f64, f64) {
    if let Some(&first) = ticks.first()
        && first > lo
    {
        ticks.insert(0, first - step);
    }
    if let Some(&last) = ticks.last()
        && last < hi
    {
        ticks.push(last + step);
    }
    let d0 = ticks.first().copied().unwrap_or(lo).min(lo);
    let d1 = ticks.last().copied().unwrap_or(hi).max(hi);
    (ticks, d0, d1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn run(method: NormaliseMethod) -> (Pipeline, Results) {
        let data = Dataset::from_columns(
            vec!["A".into(), "B".into(), "C".into()],
            vec![
                ("x".into(), vec![1.0, 2.0, 3.0]),
                ("y".into(), vec![3.0, 1.0, 2.0]),
                ("z".into(), vec![2.0, 3.0, 1.0]),
            ],
        )
        .unwrap();
        let fw = FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("P", Some("Index")).name("Pillar P"),
            NodeSpec::new("Q", Some("Index")).weight(2.0),
            NodeSpec::new("x", Some("P")),
            NodeSpec::new("y", Some("P")),
            NodeSpec::new("z", Some("Q")),
        ]);
        let steps = vec![
            Step::Normalise(NormaliseSpec::new(method)),
            Step::Aggregate(AggregateSpec::default()),
        ];
        let p = Pipeline::new(IndexSpec::new(fw, steps), data).unwrap();
        let r = p.run().unwrap();
        (p, r)
    }

    #[test]
    fn contributions_add_up_to_the_score() {
        let (p, r) = run(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 });
        let c = RankingChart::from_results(&p, &r, "Index").unwrap();
        assert_eq!(c.parts, ["Pillar P", "Q"]);
        assert_eq!(c.ranks[0], Some(1));
        for (score, parts) in c.scores.iter().zip(&c.contributions) {
            let sum: f64 = parts.iter().sum();
            assert!((sum - score).abs() < 1e-9, "{sum} vs {score}");
        }
        let svg = c.clone().top(2).to_svg().unwrap();
        assert!(svg.contains("Pillar P") && svg.contains("<title>"));
        assert!(RankingChart::from_results(&p, &r, "nothing").is_err());
    }

    #[test]
    fn negative_parts_leave_bars_whole() {
        let (p, r) = run(NormaliseMethod::ZScore { mean: 0.0, sd: 1.0 });
        let c = RankingChart::from_results(&p, &r, "Index").unwrap();
        assert!(c.parts.is_empty());
        assert!(c.subtitle.unwrap().contains("negative"));
        let mut bad = RankingChart::from_results(&p, &r, "Index").unwrap();
        bad.scores.pop();
        assert!(matches!(bad.to_svg(), Err(Error::DimensionMismatch { .. })));
    }
}
