//! The what-if panel of the HTML report: sliders for the weights of the
//! aggregates below the index and a choice of mean that re-rank every unit live
//! in the page, from the data the aggregation step started from, embedded in the
//! file. The page's script (`whatif.js`) computes exactly what the library's
//! aggregation computes: the same means over the children with a value and a
//! positive weight, the weights renormalised over those children, the same
//! data threshold, and ranks with ties sharing the best rank.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::html::{Block, Section};
use super::style::xml_escape;
use crate::aggregate::AggregateMethod;
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::spec::{AggregateSpec, Step};
use crate::stats;

/// Cells (units x indicators) above which the panel is left out: the data
/// embedded in the page would make it too large to mail.
pub const WHAT_IF_MAX_CELLS: usize = 500_000;

const SCRIPT: &str = include_str!("whatif.js");

const CSS: &str = "#whatif .whatif-controls{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:.2em 1.5em;margin:.8em 0}\
#whatif label{display:grid;grid-template-columns:1fr 110px 62px;align-items:center;gap:.4em;font-size:.88em}\
#whatif input[type=number]{width:58px}#whatif h3{font-size:1em;margin:.8em 0 .2em}\
#whatif .whatif-bar{display:flex;gap:1em;align-items:center;flex-wrap:wrap;margin:.6em 0}\
#whatif tr.moved.up td{background:#e3f4e1}#whatif tr.moved.down td{background:#fbe3e1}\
#whatif .whatif-status{font-weight:600}#whatif .whatif-error{color:#b2182b}";

/// The aggregation step of a pipeline, if it has one.
fn aggregate_spec(pipeline: &Pipeline) -> Option<&AggregateSpec> {
    pipeline.spec().steps.iter().rev().find_map(|s| match s {
        Step::Aggregate(a) => Some(a),
        _ => None,
    })
}

/// A method the page can compute: its name and order `p`.
fn page_method(m: &AggregateMethod) -> Option<(&'static str, Option<f64>)> {
    match m {
        AggregateMethod::ArithmeticMean {} => Some(("arithmetic_mean", None)),
        AggregateMethod::GeometricMean {} => Some(("geometric_mean", None)),
        AggregateMethod::HarmonicMean {} => Some(("harmonic_mean", None)),
        AggregateMethod::GeneralisedMean { p } => Some(("generalised_mean", Some(*p))),
        _ => None,
    }
}

/// A JSON string literal safe inside a `<script>` element.
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON number (shortest text that reads back to the same `f64`), `null` when
/// missing.
fn js_number(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        "null".into()
    }
}

/// The what-if section of a run's report, or a section saying why there is none
/// (no aggregation step, a method the page cannot compute, too much data).
pub(crate) fn what_if_section(pipeline: &Pipeline, results: &Results) -> Section {
    let mut sec = Section::new("What if: move the weights");
    match panel(pipeline, results) {
        Ok(html) => {
            sec.push(Block::Text(
                "Move the weights of the sub-indices and pillars (relative to their siblings), or choose another mean: every unit is re-ranked in the page, from the data the aggregation started from, exactly as the library computes it. Ranks that moved are highlighted; Reset returns to the specification."
                    .into(),
            ));
            sec.push(Block::Html(html));
        }
        Err(why) => sec.push(Block::Text(format!("No what-if panel: {why}."))),
    }
    sec
}

fn panel(pipeline: &Pipeline, results: &Results) -> Result<String, String> {
    let fw = pipeline.framework();
    let spec = aggregate_spec(pipeline).ok_or("the pipeline has no aggregation step")?;
    let agg = results
        .aggregated()
        .ok_or("the results hold no aggregated data set")?;
    let n_ind = fw.indicators().len();
    let n_units = agg.unit_codes.len();
    if n_units.saturating_mul(n_ind) > WHAT_IF_MAX_CELLS {
        return Err(format!(
            "{n_units} units x {n_ind} indicators is more data than a page should embed ({WHAT_IF_MAX_CELLS} cells at most)"
        ));
    }
    if fw.n_levels() < 2 {
        return Err("the framework has no aggregate".into());
    }
    let root = fw.code(fw.root()).to_owned();
    let col_of: HashMap<&str, usize> = agg
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| (c.as_str(), j))
        .collect();
    let weights = fw
        .weights(spec.weights.as_deref())
        .map_err(|e| e.to_string())?;
    let top = fw.n_levels();
    // Aggregates in the order the library computes them, with their methods.
    let mut nodes = String::from("[");
    for level in 2..=top {
        for &i in fw.nodes_at_level(level) {
            let code = fw.code(i);
            let method = spec
                .by_node
                .get(code)
                .or_else(|| spec.by_level.get(&level))
                .unwrap_or(&spec.default);
            let (name, p) = page_method(method).ok_or_else(|| {
                format!(
                    "node {code:?} is aggregated with {}, which the page does not compute",
                    method.name()
                )
            })?;
            let thresh = spec
                .dat_thresh_by_level
                .get(&level)
                .copied()
                .or(spec.dat_thresh);
            let col = col_of
                .get(code)
                .ok_or("an aggregate is missing from the results")?;
            let children: Vec<String> = fw
                .children(i)
                .iter()
                .map(|&c| col_of.get(fw.code(c)).map(|k| k.to_string()))
                .collect::<Option<_>>()
                .ok_or("a child is missing from the results")?;
            let child_codes: Vec<String> = fw
                .children(i)
                .iter()
                .map(|&c| js_string(fw.code(c)))
                .collect();
            if nodes.len() > 1 {
                nodes.push(',');
            }
            let _ = write!(
                nodes,
                "{{\"col\":{col},\"code\":{},\"children\":[{}],\"childCodes\":[{}],\"method\":\"{name}\",\"p\":{},\"datThresh\":{}}}",
                js_string(code),
                children.join(","),
                child_codes.join(","),
                p.map_or("null".into(), js_number),
                thresh.map_or("null".into(), js_number),
            );
        }
    }
    nodes.push(']');
    let nominal = results.scores(&root).ok_or("the index has no scores")?;
    let nominal_ranks = stats::rank_desc(nominal);
    let names = super::ranking::unit_labels(pipeline, results);
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(",");
    let values = list(&mut (0..n_ind).map(|j| {
        format!(
            "[{}]",
            list(&mut (0..n_units).map(|u| js_number(agg.values[(u, j)])))
        )
    }));
    let weight_map = list(
        &mut (0..fw.len()).map(|i| format!("{}:{}", js_string(fw.code(i)), js_number(weights[i]))),
    );
    let data = format!(
        "{{\"index\":{},\"nInd\":{n_ind},\"units\":[{}],\"names\":[{}],\"columns\":[{}],\"values\":[{values}],\"nodes\":{nodes},\"weights\":{{{weight_map}}},\"nominalRanks\":[{}]}}",
        js_string(&root),
        list(&mut agg.unit_codes.iter().map(|u| js_string(u))),
        list(&mut names.iter().map(|n| js_string(n))),
        list(&mut agg.columns.iter().map(|c| js_string(c))),
        list(
            &mut nominal_ranks
                .iter()
                .map(|r| r.map_or("null".into(), |r| r.to_string()))
        ),
    );
    // Controls: one slider per aggregate below the index, level by level from the top.
    let mut controls = String::new();
    for level in (2..top).rev() {
        let _ = write!(
            controls,
            "<h3>Level {level}{}</h3><div class=\"whatif-controls\">",
            if level == top - 1 {
                " (below the index)"
            } else {
                ""
            }
        );
        for &i in fw.nodes_at_level(level) {
            let code = fw.code(i);
            let w = weights[i];
            let max = (4.0 * w).max(1.0);
            let parent = fw.parent(i).map_or("", |p| fw.code(p));
            let _ = write!(
                controls,
                "<label title=\"{title}\"><span>{name} <small>({code_e}, in {parent})</small></span>\
                 <input type=\"range\" min=\"0\" max=\"{max}\" step=\"any\" value=\"{w}\" data-node=\"{code_e}\" aria-label=\"weight of {code_e}\">\
                 <input type=\"number\" min=\"0\" step=\"any\" value=\"{w}\" data-node=\"{code_e}\" aria-label=\"weight of {code_e}\"></label>",
                title = xml_escape(&format!(
                    "Weight of {code} relative to the other children of {parent}"
                )),
                name = xml_escape(fw.name(i)),
                code_e = xml_escape(code),
                parent = xml_escape(parent),
                max = js_number(max),
                w = js_number(w),
            );
        }
        controls.push_str("</div>");
    }
    let mut html = String::with_capacity(data.len() + SCRIPT.len() + 4096);
    let _ = write!(
        html,
        "<style>{CSS}</style>\n<div id=\"whatif\">\n{controls}\n<div class=\"whatif-bar\"><label style=\"display:flex\">Mean:&nbsp;<select class=\"whatif-method\">\
         <option value=\"spec\">as in the specification</option>\
         <option value=\"arithmetic_mean\">arithmetic, every level</option>\
         <option value=\"geometric_mean\">geometric, every level</option></select></label>\
         <button type=\"button\" class=\"whatif-reset\">Reset</button><span class=\"whatif-status\"></span></div>\n\
         <div class=\"table\"><table><caption>{caption}</caption><thead><tr><th class=\"num\">rank</th><th>unit</th><th class=\"num\">score</th><th class=\"num\">rank as specified</th><th class=\"num\">change</th></tr></thead><tbody></tbody></table></div>\n\
         <script type=\"application/json\" id=\"whatif-data\">{data}</script>\n<script>{SCRIPT}</script>\n</div>",
        caption = xml_escape(&format!("{} with the weights above", fw.name(fw.root()))),
    );
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_texts_are_safe_in_a_script() {
        assert_eq!(
            js_string("a\"b</script>\n"),
            "\"a\\\"b\\u003c/script\\u003e\\u000a\""
        );
        assert_eq!(js_number(f64::NAN), "null");
        assert_eq!(js_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(js_number(1e-7), "1e-7");
        assert_eq!(js_number(100.0), "100.0");
    }
}
