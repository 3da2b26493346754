//! Economy profiles as HTML pages: one self-contained page per unit and an
//! index page linking them.

use std::collections::HashSet;

use super::DotPlot;
use super::html::{Block, HtmlReport, Section, Table};
use super::style::{num, xml_escape};
use crate::error::Result;
use crate::insights::{EconomyProfile, Performance, SignalKind, Standing, ordinal};
use crate::pipeline::Pipeline;
use crate::results::Results;

/// One profile page.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilePage {
    /// Unit code.
    pub unit: String,
    /// File name (`<code>.html`, with characters unsafe in file names replaced
    /// by `_`, made unique).
    pub file: String,
    /// The page.
    pub page: HtmlReport,
}

/// The profile pages of every unit and an index page (`index.html`) linking
/// them, in order of the index's rank; see [`profile_page`].
///
/// # Errors
/// The errors of drawing the dot plots.
pub fn profile_pages(
    pipeline: &Pipeline,
    results: &Results,
    profiles: &[EconomyProfile],
) -> Result<(Vec<ProfilePage>, HtmlReport)> {
    let mut taken = HashSet::new();
    taken.insert("index".to_owned());
    let mut pages = Vec::with_capacity(profiles.len());
    for p in profiles {
        let stem: String = p
            .unit
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut file = stem.clone();
        let mut k = 1;
        while !taken.insert(file.to_lowercase()) {
            k += 1;
            file = format!("{stem}_{k}");
        }
        pages.push(ProfilePage {
            unit: p.unit.clone(),
            file: format!("{file}.html"),
            page: profile_page(pipeline, results, p)?,
        });
    }
    let title = index_title(pipeline);
    let mut order: Vec<usize> = (0..profiles.len()).collect();
    order.sort_by_key(|&i| {
        (
            profiles[i].overall.rank.unwrap_or(u32::MAX),
            profiles[i].name.clone(),
        )
    });
    let mut rows = String::from(
        "<div class=\"table\"><table>\n<thead><tr><th class=\"num\">rank</th><th>unit</th><th class=\"num\">score</th><th>in short</th></tr></thead>\n<tbody>\n",
    );
    for i in order {
        let p = &profiles[i];
        rows.push_str(&format!(
            "<tr><td class=\"num\">{}</td><td><a href=\"{}\">{}</a> ({})</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            p.overall.rank.map_or_else(|| "–".into(), |r| r.to_string()),
            xml_escape(&pages[i].file),
            xml_escape(&p.name),
            xml_escape(&p.unit),
            p.overall.score.map_or_else(|| "n/a".into(), |s| num(s, 2)),
            xml_escape(&p.headline()),
        ));
    }
    rows.push_str("</tbody></table></div>");
    let index = HtmlReport::new(format!("{title}: economy profiles"))
        .subtitle(format!(
            "One page per unit: scores and ranks at every level, ranks within groups, strengths and weaknesses, the indicators it leads{}.",
            if profiles.iter().any(|p| p.uncertainty.is_some()) {
                ", its rank interval"
            } else {
                ""
            }
        ))
        .section(Section::new("Units").with(Block::Html(rows)));
    Ok((pages, index))
}

fn index_title(pipeline: &Pipeline) -> String {
    let fw = pipeline.framework();
    pipeline
        .spec()
        .name
        .clone()
        .unwrap_or_else(|| fw.name(fw.root()).to_owned())
}

fn signal_text(s: &Standing) -> &'static str {
    match s.signal {
        Some(SignalKind::Strength) => "● strength",
        Some(SignalKind::Weakness) => "○ weakness",
        None => "",
    }
}

fn rank_text(s: &Standing) -> String {
    s.rank.map_or_else(|| "–".into(), |r| r.to_string())
}

/// The page of one unit: the headline, ranks within groups, the development
/// fit and the rank interval; a dot plot of the unit among all on the index and
/// its aggregates; tables of the aggregates and indicators (value, score, rank,
/// ● strength, ○ weakness, ★ leads); and the lists of strengths and weaknesses.
///
/// # Errors
/// The errors of drawing the dot plot.
pub fn profile_page(
    pipeline: &Pipeline,
    results: &Results,
    p: &EconomyProfile,
) -> Result<HtmlReport> {
    let mut glance = Vec::new();
    match (p.overall.rank, p.overall.score) {
        (Some(r), Some(s)) => glance.push(format!(
            "{}: rank {} of {} {}, score {}.",
            p.overall.name,
            ordinal(r),
            p.overall.of,
            p.noun,
            num(s, 2)
        )),
        _ => glance.push(format!("{}: no score.", p.overall.name)),
    }
    for g in &p.groups {
        glance.push(format!("{}.", capitalise(&g.describe(&p.noun))));
    }
    glance.push(format!(
        "Leads {} of {} indicators{}.",
        p.leads.len(),
        p.indicators.len(),
        if p.leads.is_empty() {
            String::new()
        } else {
            format!(": {}", p.leads.join(", "))
        }
    ));
    if let Some(d) = &p.development {
        glance.push(format!(
            "Against its level of development ({} = {}): score {} where the trend of all {} expects {} ({}{}; R² of the trend {:.2}).",
            d.covariate,
            num(d.value, 2),
            p.overall.score.map_or_else(|| "n/a".into(), |s| num(s, 2)),
            p.noun,
            num(d.expected, 2),
            match d.performance {
                Performance::Above => "above expectations, ",
                Performance::AsExpected => "as expected, ",
                Performance::Below => "below expectations, ",
            },
            format_args!("{:+.2}", d.residual),
            d.r_squared
        ));
    }
    if let Some(u) = &p.uncertainty {
        glance.push(format!(
            "Uncertainty analysis ({} runs): median rank {}, 90% interval {} to {}.",
            u.runs,
            num(u.median_rank, 1),
            num(u.q05_rank, 1),
            num(u.q95_rank, 1)
        ));
    }
    let mut page = HtmlReport::new(format!("{} ({})", p.name, p.unit)).subtitle(format!(
        "{}: economy profile. {}",
        index_title(pipeline),
        p.headline()
    ));
    let mut sec = Section::new("At a glance").with(Block::List(glance));
    let nodes: Vec<String> = std::iter::once(&p.overall)
        .chain(&p.aggregates)
        .map(|s| s.code.clone())
        .collect();
    let dot = DotPlot::from_results(pipeline, results, &p.unit, &nodes)?;
    sec.push(Block::Svg(dot.to_svg()?));
    page = page.section(sec);

    let mut t = Table::new(["code", "name", "level", "score", "rank", "of", "signal"]);
    for s in std::iter::once(&p.overall).chain(&p.aggregates) {
        t.push([
            s.code.clone(),
            s.name.clone(),
            s.level.to_string(),
            s.score.map_or_else(|| "n/a".into(), |v| num(v, 2)),
            rank_text(s),
            s.of.to_string(),
            signal_text(s).to_owned(),
        ]);
    }
    page = page.section(Section::new("Index and aggregates").with(Block::Table(t)));

    let mut t = Table::new([
        "code", "name", "value", "score", "rank", "of", "signal", "leads",
    ]);
    for s in &p.indicators {
        t.push([
            s.code.clone(),
            s.name.clone(),
            s.value.map_or_else(|| "n/a".into(), |v| num(v, 2)),
            s.score.map_or_else(|| "n/a".into(), |v| num(v, 2)),
            rank_text(s),
            s.of.to_string(),
            signal_text(s).to_owned(),
            if s.leads { "★".into() } else { String::new() },
        ]);
    }
    page = page.section(
        Section::new("Indicators")
            .with(Block::Text(
                "Value: the raw data; score: the value after the pipeline's treatment and normalisation (higher is better). ● strength, ○ weakness, ★ the best of all units."
                    .into(),
            ))
            .with(Block::Table(t)),
    );
    let list = |signals: &[crate::insights::Signal]| -> Vec<String> {
        signals
            .iter()
            .map(|s| {
                format!(
                    "{} ({}): rank {} of {}, percentile rank {:.0}%",
                    s.node,
                    node_name(pipeline, &s.node),
                    s.rank,
                    s.of,
                    100.0 * s.percentile
                )
            })
            .collect()
    };
    let mut sw = Section::new("Strengths and weaknesses");
    sw.push(Block::Text(format!(
        "{} strengths and {} weaknesses.",
        p.strengths.len(),
        p.weaknesses.len()
    )));
    if !p.strengths.is_empty() {
        sw.push(Block::Text("Strengths:".into()));
        sw.push(Block::List(list(&p.strengths)));
    }
    if !p.weaknesses.is_empty() {
        sw.push(Block::Text("Weaknesses:".into()));
        sw.push(Block::List(list(&p.weaknesses)));
    }
    page = page.section(sw);
    page = page.section(Section::new("All profiles").with(Block::Html(
        "<p><a href=\"index.html\">Back to the list of profiles</a></p>".into(),
    )));
    Ok(page)
}

fn node_name(pipeline: &Pipeline, code: &str) -> String {
    let fw = pipeline.framework();
    fw.index_of(code)
        .map_or_else(|| code.to_owned(), |i| fw.name(i).to_owned())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
