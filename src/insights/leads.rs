//! How many components each unit leads: "Ha Noi leads 18 of 52 indicators".
//!
//! A unit *leads* a node when its score on that node is the highest among the
//! units of the results (ties: every unit with the highest score leads). For
//! indicators the score is the one in the final data set: the normalised value,
//! in which a "bad" indicator has already been reversed, so leading always
//! means performing best. A node without any score has no leader.

use crate::error::Result;
use crate::framework::Framework;
use crate::results::Results;

use super::node_scores;

/// Who leads which node; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Leads {
    /// The nodes considered, in the order given.
    pub nodes: Vec<String>,
    /// Leaders of each node (unit codes; several on a tie, none without scores).
    pub leaders: Vec<Vec<String>>,
    /// Unit codes of the results, in their order.
    pub units: Vec<String>,
    /// Number of nodes each unit leads, aligned with `units`.
    pub counts: Vec<usize>,
}

impl Leads {
    /// Number of nodes considered.
    pub fn total(&self) -> usize {
        self.nodes.len()
    }

    /// Number of nodes `unit` leads (0 for an unknown unit).
    pub fn count(&self, unit: &str) -> usize {
        self.units
            .iter()
            .position(|u| u == unit)
            .map_or(0, |i| self.counts[i])
    }

    /// The nodes `unit` leads, in node order.
    pub fn led_by(&self, unit: &str) -> Vec<&str> {
        self.nodes
            .iter()
            .zip(&self.leaders)
            .filter(|(_, l)| l.iter().any(|u| u == unit))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Units by decreasing number of nodes led (ties in results order), with their counts.
    pub fn table(&self) -> Vec<(&str, usize)> {
        let mut t: Vec<(&str, usize)> = self
            .units
            .iter()
            .map(String::as_str)
            .zip(self.counts.iter().copied())
            .collect();
        t.sort_by_key(|x| std::cmp::Reverse(x.1));
        t
    }

    /// A sentence fragment such as `"leads 18 of 52 indicators"`.
    pub fn describe(&self, unit: &str, noun: &str) -> String {
        format!("leads {} of {} {noun}", self.count(unit), self.total())
    }
}

/// Leaders of each of `nodes`; see the [module docs](self).
///
/// # Errors
/// [`Error::UnknownCode`](crate::Error::UnknownCode) for a node not in the final data set.
pub fn leads(results: &Results, nodes: &[String]) -> Result<Leads> {
    let units = results.unit_codes().to_vec();
    let mut counts = vec![0; units.len()];
    let mut leaders = Vec::with_capacity(nodes.len());
    for node in nodes {
        let s = node_scores(results, node, "leads")?;
        let best = s
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .fold(f64::NEG_INFINITY, f64::max);
        let mut l = Vec::new();
        if best.is_finite() {
            for (i, &v) in s.iter().enumerate() {
                if v == best {
                    counts[i] += 1;
                    l.push(units[i].clone());
                }
            }
        }
        leaders.push(l);
    }
    Ok(Leads {
        nodes: nodes.to_vec(),
        leaders,
        units,
        counts,
    })
}

/// Codes of the nodes at one level of a framework (1 = indicators), for [`leads`].
pub fn nodes_at_level(framework: &Framework, level: u32) -> Vec<String> {
    framework
        .nodes_at_level(level)
        .iter()
        .map(|&i| framework.code(i).to_owned())
        .collect()
}
