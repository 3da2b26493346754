//! Innovation efficiency of the GII by data envelopment analysis: the input
//! pillars (1-5) against the output pillars (6-7), beside WIPO's Innovation
//! Efficiency Ratio (output sub-index over input sub-index).
//!
//! The ratio divides two averages; DEA (METHODS 8.12, [`crate::efficiency`])
//! compares each economy with the combinations of economies that score no
//! lower on any output pillar with no higher input pillars, and names those
//! **peers**: "Viet Nam's frontier peers are ...". The default model is CCR
//! (constant returns), output-oriented, the closest to a ratio; its score
//! `1/phi` is in (0, 1], 1 on the frontier. The literature on GII efficiency
//! uses this set-up (e.g. Guan and Chen 2012, *Research Policy* 41(1):102-115,
//! on national innovation systems; Nasierowski and Arcelus 2003, *Socio-Economic
//! Planning Sciences* 37(3):215-234).
//!
//! ```no_run
//! use composite_index::instances::{gii, gii_efficiency};
//! use composite_index::io::{CsvRoles, read_dataset_file};
//! # fn main() -> composite_index::Result<()> {
//! let roles = CsvRoles {
//!     groups: vec!["Income".into(), "Region".into()],
//!     denominators: vec!["GDPpc".into()],
//!     ..CsvRoles::default()
//! };
//! let data = read_dataset_file("data/gii/synthetic_2025.csv", &roles)?;
//! let run = gii::run(2025, data)?;
//! let eff = gii_efficiency::efficiency(&run, gii_efficiency::default_model())?;
//! for row in eff.table().iter().take(5) {
//!     println!("{} {:.3} {:?}", row.name, row.score, row.ratio);
//! }
//! println!("{}", eff.describe("VNM").unwrap_or_default());
//! # Ok(())
//! # }
//! ```

use crate::audit::DataView;
use crate::efficiency::{DeaModel, DeaResults, Orientation, Returns, dea};
use crate::error::{Error, Result};
use crate::instances::gii::GiiRun;

/// CCR, output-oriented: the default model of [`efficiency`].
pub fn default_model() -> DeaModel {
    DeaModel::new(Returns::Constant, Orientation::Output)
}

/// One economy's efficiency: the ratio and the DEA score with its peers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GiiEfficiencyRow {
    /// Unit code.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// WIPO's Innovation Efficiency Ratio (output / input sub-index).
    pub ratio: Option<f64>,
    /// DEA score in (0, 1] (`theta`, or `1/phi` for the output orientation).
    pub score: f64,
    /// On the frontier with no slack.
    pub efficient: bool,
    /// Peers (unit code, name, lambda), largest lambda first.
    pub peers: Vec<(String, String, f64)>,
    /// Whether the peers are the only optimal ones.
    pub unique: bool,
}

/// The DEA of a GII run. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GiiEfficiency {
    /// The analysis (economies with every pillar score).
    pub dea: DeaResults,
    /// Efficiency ratio of each unit of `dea`.
    pub ratios: Vec<Option<f64>>,
    /// Names of the units of `dea`.
    pub names: Vec<String>,
    /// Economies left out for a missing pillar score.
    pub skipped: Vec<String>,
}

/// DEA of a GII run: the pillars under the input sub-index as inputs, those
/// under the output sub-index as outputs, on the aggregated data set.
///
/// # Errors
/// [`Error::Pipeline`] if the run has no aggregated data set; the errors of
/// [`dea()`] (for example a pillar score of zero for every input of a unit).
pub fn efficiency(run: &GiiRun, model: DeaModel) -> Result<GiiEfficiency> {
    let fw = run.pipeline.framework();
    let pillars = |code: &str| -> Vec<String> {
        fw.index_of(code)
            .map(|i| {
                fw.children(i)
                    .iter()
                    .map(|&c| fw.code(c).to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (inputs, outputs) = (pillars(run.input_code()), pillars(run.output_code()));
    let agg = run.results.aggregated().ok_or_else(|| Error::Pipeline {
        step: run.pipeline.n_steps(),
        stage: "aggregate".into(),
        message: "the GII run has no aggregated data set to analyse".into(),
    })?;
    let codes: Vec<&str> = inputs.iter().chain(&outputs).map(String::as_str).collect();
    let view = DataView::from(agg);
    let cols: Vec<&[f64]> = codes
        .iter()
        .map(|c| view.column(c))
        .collect::<Result<_>>()?;
    let keep: Vec<usize> = (0..agg.unit_codes.len())
        .filter(|&u| cols.iter().all(|c| c[u].is_finite()))
        .collect();
    let skipped = (0..agg.unit_codes.len())
        .filter(|u| !keep.contains(u))
        .map(|u| agg.unit_codes[u].clone())
        .collect();
    let units: Vec<String> = keep.iter().map(|&u| agg.unit_codes[u].clone()).collect();
    let columns: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
    let mat = nalgebra::DMatrix::from_fn(keep.len(), codes.len(), |i, j| cols[j][keep[i]]);
    let view = DataView::new(&units, &columns, &mat)?;
    let ins: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let outs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    let result = dea(view, &ins, &outs, model)?;
    let all_ratios = run.efficiency_ratios()?;
    let ratios = keep
        .iter()
        .map(|&u| all_ratios.get(u).copied().flatten())
        .collect();
    let data = run.pipeline.data();
    let names = keep
        .iter()
        .map(|&u| {
            let r = agg.units[u];
            data.unit_names()
                .get(r)
                .cloned()
                .unwrap_or_else(|| agg.unit_codes[u].clone())
        })
        .collect();
    Ok(GiiEfficiency {
        dea: result,
        ratios,
        names,
        skipped,
    })
}

impl GiiEfficiency {
    fn name_of(&self, code: &str) -> String {
        self.dea
            .unit_index(code)
            .map_or_else(|| code.to_owned(), |i| self.names[i].clone())
    }

    /// One row per economy, by descending DEA score then ratio.
    pub fn table(&self) -> Vec<GiiEfficiencyRow> {
        let scores = self.dea.scores();
        let mut rows: Vec<GiiEfficiencyRow> = (0..self.dea.units.len())
            .map(|o| GiiEfficiencyRow {
                unit: self.dea.units[o].clone(),
                name: self.names[o].clone(),
                ratio: self.ratios[o],
                score: scores[o],
                efficient: self.dea.is_efficient(o),
                peers: self
                    .dea
                    .peers(o)
                    .into_iter()
                    .map(|(u, l)| (u.to_owned(), self.name_of(u), l))
                    .collect(),
                unique: self.dea.unique[o],
            })
            .collect();
        rows.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| b.ratio.unwrap_or(0.0).total_cmp(&a.ratio.unwrap_or(0.0)))
        });
        rows
    }

    /// "Viet Nam's frontier peers are Singapore (0.52), ..." for a unit code;
    /// `None` for a unit not in the analysis.
    pub fn describe(&self, unit: &str) -> Option<String> {
        let o = self.dea.unit_index(unit)?;
        let peers = self.dea.peers(o);
        let name = &self.names[o];
        let self_only = peers.len() == 1 && peers[0].0 == unit;
        if self.dea.is_efficient(o) || self_only {
            return Some(format!("{name} is on the innovation-efficiency frontier"));
        }
        let list: Vec<String> = peers
            .iter()
            .map(|(u, l)| format!("{} ({l:.2})", self.name_of(u)))
            .collect();
        Some(format!(
            "{name}'s frontier peers are {}{}",
            list.join(", "),
            if self.dea.unique[o] {
                ""
            } else {
                " (one of several optimal peer sets)"
            }
        ))
    }
}
