//! Ready-made instances of the generic framework: the Global Innovation Index
//! ([`gii`], with its DEA efficiency in [`gii_efficiency`]) and Vietnam's
//! Provincial Innovation Index ([`pii`]), over several editions in [`editions`].
//!
//! An instance is configuration, not code: a specification file in the very
//! format a user writes for an index of their own ([`IndexSpec`]), with its node
//! table, run by [`Pipeline`](crate::Pipeline) like any other spec. The files
//! live in the crate's `src/instances/data/` and are embedded in the library,
//! so nothing is read from disk at run time:
//!
//! | file | what |
//! |---|---|
//! | `gii-2024.toml`, `gii-2025.toml` | the GII of an edition: method, coverage rule, efficiency ratio, provenance |
//! | `gii-2024-nodes.csv`, `gii-2025-nodes.csv` | its tree: 109 nodes with names, types, directions, notes |
//! | `gii-published.csv` | published GII ranks and scores, with their sources |
//! | `pii-2025.toml`, `pii-2025-nodes.csv` | the PII 2025 on its known framework (Vietnamese names in `name_vi`) |
//! | `pii-provinces-2025.csv` | the 34 provincial units of 2025 |
//! | `pii-published.csv` | published PII scores, with their sources |
//!
//! [`names`] lists the shipped specifications and [`spec`] returns one, ready
//! to run or to adapt; a new edition is a new file in that folder (the build
//! script embeds every `.toml` and `.csv` file there), not a code change. The
//! modules [`gii`] and [`pii`] add what is genuinely specific code: WIPO's
//! workbook codes, the strengths-and-weaknesses rule, the ranking table, and
//! typed access to the published figures and provincial units.
//!
//! ```
//! use composite_index::instances;
//! assert_eq!(instances::names(), ["gii-2024", "gii-2025", "pii-2025"]);
//! let spec = instances::spec("pii-2025")?;
//! let fw = instances::framework("pii-2025")?;
//! let impact = fw.node(fw.index_of("7").unwrap());
//! assert_eq!(impact.names["vi"], "Tác động");
//! assert!(spec.provenance.contains_key("aggregation"));
//! # Ok::<(), composite_index::Error>(())
//! ```
//!
//! # Provenance
//!
//! Every fact says where it comes from and how sure it is
//! ([`Confidence`](crate::spec::Confidence)): the spec's `provenance` table
//! (topic -> source and confidence), the `note` and `confidence` of each node,
//! and the `source` column of the published tables. WIPO and the Vietnamese
//! Ministry of Science and Technology (MoST) publish their frameworks and
//! scores, but not all of their rules, and the PII's indicator list is not
//! public.
//!
//! # Re-aggregating published scores
//!
//! [`spec_from_level`] cuts a specification below a level, so that published
//! scores of that level (pillars, sub-indices) can be aggregated with the
//! index's own aggregation step, e.g. to check that the PII's published pillar
//! scores give its published index.

pub mod editions;
pub mod gii;
pub mod gii_efficiency;
pub mod pii;
mod shipped;

pub use shipped::{file, files, framework, names, spec};

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::framework::{Framework, FrameworkSpec};
use crate::spec::{IndexSpec, Step};

/// Cuts `spec` below `level`: nodes at `level` become the indicators of a new
/// framework, nodes below disappear, and only the aggregation step is kept.
///
/// Use it to aggregate published scores of an intermediate level with the
/// index's own aggregation rules: with `level = 3` on a GII-shaped tree
/// (indicator 1, sub-pillar 2, pillar 3, sub-index 4, index 5) the data are the
/// seven pillar scores and the result holds the sub-indices and the index.
///
/// The aggregation step is adapted: its `by_level` and `dat_thresh_by_level`
/// keys are renumbered (level `k` becomes `k - level + 1`), entries for removed
/// levels are dropped, as are `by_node` entries and weight-set entries naming
/// removed nodes. Nodes at `level` keep their weights, lose their direction
/// (aggregates have none) and their stated level.
///
/// # Errors
/// [`Error::Framework`] if the spec's framework is invalid;
/// [`Error::InvalidParameter`] if `level` is not an aggregate level below the
/// root (from 2 to the root's level minus 1) or the spec has no aggregation step.
pub fn spec_from_level(spec: &IndexSpec, level: u32) -> Result<IndexSpec> {
    let fw = Framework::new(spec.framework.clone(), None)?;
    let top = fw.n_levels();
    if level < 2 || level >= top {
        return Err(Error::invalid(
            "spec_from_level",
            "level",
            None,
            format!(
                "level {level} must lie between 2 and {} (below the root)",
                top - 1
            ),
        ));
    }
    let Some(agg) = spec.steps.iter().rev().find_map(|s| match s {
        Step::Aggregate(a) => Some(a.clone()),
        _ => None,
    }) else {
        return Err(Error::invalid(
            "spec_from_level",
            "steps",
            None,
            "the specification has no aggregation step",
        ));
    };
    let mut nodes = Vec::new();
    for i in 0..fw.len() {
        if fw.level(i) < level {
            continue;
        }
        let mut n = fw.node(i).clone();
        n.level = None;
        if fw.level(i) == level {
            n.direction = 1.0;
            n.denominator = None;
            n.target = None;
        }
        nodes.push(n);
    }
    let kept: std::collections::HashSet<String> = nodes.iter().map(|n| n.code.clone()).collect();
    let mut agg2 = agg.clone();
    agg2.by_level = agg
        .by_level
        .iter()
        .filter(|(k, _)| **k > level)
        .map(|(k, v)| (k - level + 1, v.clone()))
        .collect();
    agg2.dat_thresh_by_level = agg
        .dat_thresh_by_level
        .iter()
        .filter(|(k, _)| **k > level)
        .map(|(k, v)| (k - level + 1, *v))
        .collect();
    agg2.by_node.retain(|code, _| kept.contains(code));
    let mut framework = FrameworkSpec::new(nodes);
    for (name, set) in &spec.framework.weight_sets {
        let set: BTreeMap<String, f64> = set
            .iter()
            .filter(|(c, _)| kept.contains(*c))
            .map(|(c, w)| (c.clone(), *w))
            .collect();
        framework = framework.with_weight_set(name.clone(), set);
    }
    let mut out = IndexSpec::new(framework, vec![Step::Aggregate(agg2)]);
    out.name = spec.name.clone();
    Ok(out)
}

/// Rounds `x` to `decimals` decimals as publishers round their figures: to the
/// nearest, ties away from zero, after snapping `x * 10^decimals` to 9 decimals
/// so that floating-point noise does not decide a tie.
///
/// `(51.50 + 47.23) / 2` is `49.364999999999995` in binary floating point, but
/// the decimal mean is 49.365, which a publisher rounds to 49.37:
///
/// ```
/// use composite_index::instances::round_published;
/// assert_eq!(round_published((51.50 + 47.23) / 2.0, 2), 49.37);
/// assert_eq!(round_published(48.763999999999996, 2), 48.76);
/// assert_eq!(round_published(-0.125, 2), -0.13);
/// ```
///
/// NaN and infinities are returned unchanged.
pub fn round_published(x: f64, decimals: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(decimals as i32);
    let y = ((x * scale) * 1e9).round() / 1e9;
    y.round() / scale
}
