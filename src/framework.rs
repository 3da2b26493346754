//! The indicator tree: indicators (leaves), sub-pillars, pillars, sub-indices, index.
//!
//! A [`FrameworkSpec`] is what a user writes: a flat list of [`NodeSpec`]s, each
//! naming its parent, plus optional named weight sets. [`Framework::new`] validates
//! it once and builds the tree: parent and child links, levels (indicators at
//! level 1, each aggregate one level above its children, as in COINr's `iMeta`),
//! indicators in order, and aggregates grouped by level. Validation reports every
//! problem it finds, not just the first.
//!
//! Weights are relative among siblings (OECD/JRC Handbook 2008, section 6): an
//! aggregate uses `w_i / sum(w)` over its children that are present.
//!
//! # Example
//!
//! ```
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let spec = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("P1", Some("Index")).weight(2.0),
//!     NodeSpec::new("P2", Some("Index")),
//!     NodeSpec::new("a", Some("P1")),
//!     NodeSpec::new("b", Some("P1")),
//!     NodeSpec::new("c", Some("P2")).direction(-1.0),
//! ]);
//! let fw = Framework::new(spec, None)?;
//! assert_eq!(fw.n_levels(), 3);
//! assert_eq!(fw.indicator_codes(), ["a", "b", "c"]);
//! let p1 = fw.index_of("P1").unwrap();
//! assert_eq!(fw.level(p1), 2);
//! let children: Vec<&str> = fw.children(p1).iter().map(|&i| fw.code(i)).collect();
//! assert_eq!(children, ["a", "b"]);
//! // Effective weights: P1 2/3 and P2 1/3 of the index; a and b half of P1 each.
//! let eff = fw.effective_weights(None)?;
//! let of = |code: &str| eff[fw.index_of(code).unwrap()];
//! assert_eq!((of("Index"), of("P2"), of("c")), (1.0, 1.0 / 3.0, 1.0 / 3.0));
//! assert!((of("a") - 1.0 / 3.0).abs() < 1e-15);
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, FrameworkProblem, Result};
use crate::spec::Confidence;

/// One node of the tree as the user writes it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct NodeSpec {
    /// Unique code (an indicator's code is its data column).
    pub code: String,
    /// Human-readable name (defaults to the code).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub name: Option<String>,
    /// Parent code; `None` for the root (the index).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub parent: Option<String>,
    /// Weight relative to its siblings (default 1).
    #[cfg_attr(
        feature = "serde",
        serde(
            default = "crate::defaults::one",
            skip_serializing_if = "crate::defaults::is_one"
        )
    )]
    pub weight: f64,
    /// +1 when higher is better, -1 for a "bad" indicator (default +1). Ignored for aggregates.
    #[cfg_attr(
        feature = "serde",
        serde(
            default = "crate::defaults::one",
            skip_serializing_if = "crate::defaults::is_one"
        )
    )]
    pub direction: f64,
    /// Level, if stated: 1 for indicators, parent = child + 1. Checked against the tree.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub level: Option<u32>,
    /// Denominator column for the denominate stage (indicators only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub denominator: Option<String>,
    /// Target value for distance-to-target normalisation (indicators only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub target: Option<f64>,
    /// Unit of measurement (free text).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub unit: Option<String>,
    /// Free-text kind, e.g. GII's `data` / `index` / `survey`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub kind: Option<String>,
    /// Free-text note: where the node comes from, how sure it is, caveats.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub note: Option<String>,
    /// How sure the node is (its place in the tree, its direction), when that
    /// differs from the rest of the framework; `note` says why.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub confidence: Option<Confidence>,
    /// Names in other languages, by language tag: `names = { vi = "Thể chế" }`
    /// (in a node table, a column `name_vi`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub names: BTreeMap<String, String>,
}

impl NodeSpec {
    /// A node with the given code and parent, weight 1 and direction +1.
    #[must_use]
    pub fn new(code: impl Into<String>, parent: Option<&str>) -> Self {
        Self {
            code: code.into(),
            name: None,
            parent: parent.map(str::to_owned),
            weight: 1.0,
            direction: 1.0,
            level: None,
            denominator: None,
            target: None,
            unit: None,
            kind: None,
            note: None,
            confidence: None,
            names: BTreeMap::new(),
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the weight.
    #[must_use]
    pub fn weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }

    /// Sets the direction (+1 or -1).
    #[must_use]
    pub fn direction(mut self, direction: f64) -> Self {
        self.direction = direction;
        self
    }

    /// States the level.
    #[must_use]
    pub fn level(mut self, level: u32) -> Self {
        self.level = Some(level);
        self
    }

    /// Sets the denominator column.
    #[must_use]
    pub fn denominator(mut self, column: impl Into<String>) -> Self {
        self.denominator = Some(column.into());
        self
    }

    /// Sets the target.
    #[must_use]
    pub fn target(mut self, target: f64) -> Self {
        self.target = Some(target);
        self
    }
}

/// The framework as the user writes it: nodes, named weight sets, and changes to
/// nodes.
///
/// The nodes can be written in the spec (`nodes`) or read from a file: COINr's
/// `iMeta` table (`imeta`) or a CSV table of nodes (`csv`, one column per
/// [`NodeSpec`] field: `code`, `parent`, and any of `name`, `weight`,
/// `direction`, `level`, `denominator`, `target`, `unit`, `kind`, `note`,
/// `confidence`, and `name_<lang>` for the names in other languages). Nodes
/// written in the spec are added to those of the file. `overrides` then change
/// fields of any node, so a spec can adapt a shipped or shared tree without
/// copying it:
///
/// ```toml
/// [framework]
/// imeta = "iMeta.csv"
/// overrides = { Physical = { weight = 2 }, Flights = { direction = -1 } }
/// weight_sets.Custom = { ConEcFin = 0.5 }
/// ```
///
/// A spec read with [`IndexSpec::from_path`](crate::IndexSpec::from_path) reads
/// the file (relative paths are relative to the spec file); otherwise call
/// [`FrameworkSpec::load_files`] or [`FrameworkSpec::load_with`]. The file's
/// nodes are kept apart from the written ones, so the spec is written back in
/// its short form.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct FrameworkSpec {
    /// Nodes written in the spec, indicators and aggregates, in any order (added
    /// after the nodes of `imeta` or `csv`, if any).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub nodes: Vec<NodeSpec>,
    /// COINr `iMeta` table holding the nodes (a path, relative to the spec file).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub imeta: Option<String>,
    /// CSV table of nodes (a path, relative to the spec file).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub csv: Option<String>,
    /// Node code -> fields to change (applied after reading and adding nodes).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub overrides: BTreeMap<String, NodeOverride>,
    /// Named alternative weight sets: set name -> (node code -> weight). Nodes not
    /// listed in a set keep their own weight.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub weight_sets: BTreeMap<String, BTreeMap<String, f64>>,
    /// Nodes read from `imeta` or `csv` (not written back).
    #[cfg_attr(feature = "serde", serde(skip))]
    loaded: Option<Vec<NodeSpec>>,
}

/// Changes to one node of a framework: every field given replaces the node's own.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct NodeOverride {
    /// New name.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub name: Option<String>,
    /// New parent (moves the node and its subtree).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub parent: Option<String>,
    /// New weight.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub weight: Option<f64>,
    /// New direction.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub direction: Option<f64>,
    /// New denominator column.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub denominator: Option<String>,
    /// New target.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub target: Option<f64>,
    /// New note.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub note: Option<String>,
    /// New confidence.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub confidence: Option<Confidence>,
    /// Names in other languages to add or replace, by language tag.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub names: BTreeMap<String, String>,
}

impl NodeOverride {
    /// An override changing only the weight.
    #[must_use]
    pub fn weight(weight: f64) -> Self {
        Self {
            weight: Some(weight),
            ..Self::default()
        }
    }

    /// An override changing only the direction.
    #[must_use]
    pub fn direction(direction: f64) -> Self {
        Self {
            direction: Some(direction),
            ..Self::default()
        }
    }

    fn apply(&self, n: &mut NodeSpec) {
        let set = |dst: &mut Option<String>, src: &Option<String>| {
            if src.is_some() {
                dst.clone_from(src);
            }
        };
        set(&mut n.name, &self.name);
        set(&mut n.parent, &self.parent);
        set(&mut n.denominator, &self.denominator);
        set(&mut n.note, &self.note);
        if let Some(w) = self.weight {
            n.weight = w;
        }
        if let Some(d) = self.direction {
            n.direction = d;
        }
        if self.target.is_some() {
            n.target = self.target;
        }
        if self.confidence.is_some() {
            n.confidence = self.confidence;
        }
        for (lang, name) in &self.names {
            n.names.insert(lang.clone(), name.clone());
        }
    }
}

impl FrameworkSpec {
    /// A spec from a list of nodes.
    #[must_use]
    pub fn new(nodes: Vec<NodeSpec>) -> Self {
        Self {
            nodes,
            ..Self::default()
        }
    }

    /// Adds a named weight set.
    #[must_use]
    pub fn with_weight_set(
        mut self,
        name: impl Into<String>,
        weights: BTreeMap<String, f64>,
    ) -> Self {
        self.weight_sets.insert(name.into(), weights);
        self
    }

    /// Adds an override of a node's fields.
    #[must_use]
    pub fn with_override(mut self, code: impl Into<String>, change: NodeOverride) -> Self {
        self.overrides.insert(code.into(), change);
        self
    }

    /// The file the nodes are read from (`imeta` or `csv`), if any.
    pub fn source(&self) -> Option<&str> {
        self.imeta.as_deref().or(self.csv.as_deref())
    }

    /// True when the spec has nodes: written in it, or named in a node file.
    pub fn has_nodes(&self) -> bool {
        !self.nodes.is_empty() || self.source().is_some()
    }

    /// True when the spec names a node file that has not been read yet.
    pub fn needs_loading(&self) -> bool {
        self.source().is_some() && self.loaded.is_none()
    }

    /// Every node: those read from the file, then those written in the spec, with
    /// the overrides applied. Overrides naming no node are left out (validation
    /// reports them, see [`Framework::new`]).
    pub fn all_nodes(&self) -> Vec<NodeSpec> {
        let mut nodes: Vec<NodeSpec> = self
            .loaded
            .iter()
            .flatten()
            .chain(&self.nodes)
            .cloned()
            .collect();
        if !self.overrides.is_empty() {
            for n in &mut nodes {
                if let Some(o) = self.overrides.get(&n.code) {
                    o.apply(n);
                }
            }
        }
        nodes
    }

    /// The same framework with every node written out (file nodes and overrides
    /// folded in, no file reference): a self-contained record of the tree.
    #[must_use]
    pub fn inlined(&self) -> Self {
        Self {
            nodes: self.all_nodes(),
            weight_sets: self.weight_sets.clone(),
            ..Self::default()
        }
    }

    /// Reads the node file named by `imeta` or `csv` with `read`, which maps the
    /// name written in the spec to the file's text (for files embedded in a
    /// program, or fetched from elsewhere). Does nothing if no file is named.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when both `imeta` and `csv` are given; the
    /// errors of `read`; the errors of [`read_imeta`](crate::io::read_imeta) and
    /// [`read_nodes`](crate::io::read_nodes), naming the file and row.
    #[cfg(feature = "csv")]
    pub fn load_with(&mut self, mut read: impl FnMut(&str) -> Result<String>) -> Result<()> {
        let nodes = match (&self.imeta, &self.csv) {
            (None, None) => return Ok(()),
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "framework",
                    "imeta",
                    None,
                    "give the nodes in one file: either imeta or csv, not both",
                ));
            }
            (Some(path), None) => {
                let text = read(path)?;
                crate::io::read_imeta(text.as_bytes(), path)?
                    .framework
                    .nodes
            }
            (None, Some(path)) => {
                let text = read(path)?;
                crate::io::read_nodes(text.as_bytes(), path)?
            }
        };
        self.loaded = Some(nodes);
        Ok(())
    }

    /// Reads the node file named by `imeta` or `csv`, a path relative to `dir`
    /// (the folder of the spec file). Does nothing if no file is named.
    ///
    /// # Errors
    /// As [`FrameworkSpec::load_with`]; [`Error::Io`] naming the file.
    #[cfg(feature = "csv")]
    pub fn load_files(&mut self, dir: &std::path::Path) -> Result<()> {
        self.load_with(|name| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })
        })
    }
}

/// A validated indicator tree. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Framework {
    spec: FrameworkSpec,
    lookup: HashMap<String, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    level: Vec<u32>,
    root: usize,
    indicators: Vec<usize>,
    by_level: Vec<Vec<usize>>,
}

impl Framework {
    /// Validates a spec and builds the tree.
    ///
    /// When `data_columns` is given, every indicator must be one of them.
    ///
    /// # Errors
    /// [`Error::Framework`] listing every [`FrameworkProblem`] found: duplicate or
    /// empty codes, no root or several, missing parents, cycles, indicators absent
    /// from the data, inconsistent levels, negative or non-finite weights, siblings
    /// whose weights are all zero, directions other than +1/-1, and weight sets
    /// naming unknown nodes or holding invalid weights.
    pub fn new(spec: FrameworkSpec, data_columns: Option<&[String]>) -> Result<Self> {
        if let Some(file) = spec.source().filter(|_| spec.needs_loading()) {
            return Err(Error::Framework(vec![FrameworkProblem::NotLoaded {
                file: file.to_owned(),
            }]));
        }
        let mut problems = Vec::new();
        for code in spec.overrides.keys() {
            if !spec
                .loaded
                .iter()
                .flatten()
                .chain(&spec.nodes)
                .any(|n| &n.code == code)
            {
                problems.push(FrameworkProblem::UnknownOverrideCode { code: code.clone() });
            }
        }
        let spec = if spec.loaded.is_none() && spec.overrides.is_empty() {
            // Nothing to read or change: the nodes as written (what `inlined` copies).
            FrameworkSpec {
                nodes: spec.nodes,
                weight_sets: spec.weight_sets,
                ..FrameworkSpec::default()
            }
        } else {
            spec.inlined()
        };
        let n = spec.nodes.len();
        if n == 0 {
            return Err(Error::Framework(vec![FrameworkProblem::Empty]));
        }
        let mut lookup = HashMap::with_capacity(n);
        for (i, node) in spec.nodes.iter().enumerate() {
            if node.code.trim().is_empty() {
                problems.push(FrameworkProblem::EmptyCode { position: i });
            } else if lookup.insert(node.code.clone(), i).is_some() {
                problems.push(FrameworkProblem::DuplicateCode {
                    code: node.code.clone(),
                });
            }
        }
        // Parents.
        let mut parent = vec![None; n];
        let mut roots = Vec::new();
        let mut links_ok = true;
        for (i, node) in spec.nodes.iter().enumerate() {
            match node.parent.as_deref().filter(|p| !p.trim().is_empty()) {
                None => roots.push(i),
                Some(p) => match lookup.get(p) {
                    Some(&j) => parent[i] = Some(j),
                    None => {
                        links_ok = false;
                        problems.push(FrameworkProblem::MissingParent {
                            code: node.code.clone(),
                            parent: p.to_owned(),
                            suggestion: suggest(p, &spec),
                        });
                    }
                },
            }
        }
        match roots.len() {
            0 => problems.push(FrameworkProblem::NoRoot),
            1 => {}
            _ => problems.push(FrameworkProblem::MultipleRoots {
                roots: roots.iter().map(|&i| spec.nodes[i].code.clone()).collect(),
            }),
        }
        // Cycles: nodes whose parent chain does not end within n steps.
        let cycles = find_cycles(&parent);
        for cyc in &cycles {
            problems.push(FrameworkProblem::Cycle {
                codes: cyc.iter().map(|&i| spec.nodes[i].code.clone()).collect(),
            });
        }
        let mut children = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = *p {
                children[p].push(i);
            }
        }
        // Weights and directions.
        for node in &spec.nodes {
            check_weight(&node.code, node.weight, &mut problems);
            if node.direction != 1.0 && node.direction != -1.0 {
                problems.push(FrameworkProblem::InvalidDirection {
                    code: node.code.clone(),
                    direction: node.direction,
                });
            }
        }
        let base_weights: Vec<f64> = spec.nodes.iter().map(|n| n.weight).collect();
        check_zero_siblings(&spec, &children, &base_weights, &mut problems);
        for (set, weights) in &spec.weight_sets {
            let mut w = base_weights.clone();
            for (code, &v) in weights {
                match lookup.get(code) {
                    Some(&i) => {
                        check_weight(&format!("{code} (weight set {set:?})"), v, &mut problems);
                        w[i] = v;
                    }
                    None => problems.push(FrameworkProblem::UnknownWeightCode {
                        set: set.clone(),
                        code: code.clone(),
                        suggestion: suggest(code, &spec),
                    }),
                }
            }
            check_zero_siblings(&spec, &children, &w, &mut problems);
        }
        // Data columns.
        if let Some(cols) = data_columns {
            let set: std::collections::HashSet<&str> = cols.iter().map(String::as_str).collect();
            for (i, node) in spec.nodes.iter().enumerate() {
                if children[i].is_empty() && !set.contains(node.code.as_str()) {
                    problems.push(FrameworkProblem::IndicatorNotInData {
                        code: node.code.clone(),
                        suggestion: crate::suggest::closest(
                            &node.code,
                            cols.iter().map(String::as_str),
                        )
                        .map(str::to_owned),
                    });
                }
            }
        }
        // Levels: only meaningful on a proper tree.
        let mut level = vec![0u32; n];
        if links_ok && cycles.is_empty() && roots.len() == 1 {
            compute_levels(&spec, &children, roots[0], &mut level, &mut problems);
        }
        if !problems.is_empty() {
            return Err(Error::Framework(problems));
        }
        let root = roots[0];
        let indicators: Vec<usize> = (0..n).filter(|&i| children[i].is_empty()).collect();
        let top = level[root] as usize;
        let mut by_level = vec![Vec::new(); top + 1];
        for i in 0..n {
            by_level[level[i] as usize].push(i);
        }
        Ok(Self {
            spec,
            lookup,
            parent,
            children,
            level,
            root,
            indicators,
            by_level,
        })
    }

    /// The spec this framework was built from, with every node written out (see
    /// [`FrameworkSpec::inlined`]).
    pub fn spec(&self) -> &FrameworkSpec {
        &self.spec
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.spec.nodes.len()
    }

    /// Always false: a validated framework has at least its root.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Node index of a code.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.lookup.get(code).copied()
    }

    /// The node at an index.
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn node(&self, i: usize) -> &NodeSpec {
        &self.spec.nodes[i]
    }

    /// Code of a node.
    pub fn code(&self, i: usize) -> &str {
        &self.spec.nodes[i].code
    }

    /// Name of a node (its code when no name was given).
    pub fn name(&self, i: usize) -> &str {
        self.spec.nodes[i]
            .name
            .as_deref()
            .unwrap_or(&self.spec.nodes[i].code)
    }

    /// Parent of a node.
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent[i]
    }

    /// Children of a node, in spec order.
    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Level of a node (1 = indicator).
    pub fn level(&self, i: usize) -> u32 {
        self.level[i]
    }

    /// The root (index) node.
    pub fn root(&self) -> usize {
        self.root
    }

    /// Number of levels (the root's level).
    pub fn n_levels(&self) -> u32 {
        self.level[self.root]
    }

    /// Indicator (leaf) nodes, in spec order.
    pub fn indicators(&self) -> &[usize] {
        &self.indicators
    }

    /// Codes of the indicators, in spec order.
    pub fn indicator_codes(&self) -> Vec<String> {
        self.indicators
            .iter()
            .map(|&i| self.code(i).to_owned())
            .collect()
    }

    /// Nodes at a level, in spec order (empty for a level that does not exist).
    pub fn nodes_at_level(&self, level: u32) -> &[usize] {
        self.by_level.get(level as usize).map_or(&[], Vec::as_slice)
    }

    /// Ancestors of a node, nearest first, ending with the root.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent[i], move |&p| self.parent[p])
    }

    /// Weights of all nodes (indexed like the nodes) under a weight set, or the
    /// framework's own weights for `None`.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown set name.
    pub fn weights(&self, set: Option<&str>) -> Result<Vec<f64>> {
        let mut w: Vec<f64> = self.spec.nodes.iter().map(|n| n.weight).collect();
        if let Some(name) = set {
            let ws = self.spec.weight_sets.get(name).ok_or_else(|| {
                crate::suggest::unknown_code(
                    "weight set",
                    name,
                    "the framework's weight sets",
                    self.spec.weight_sets.keys().map(String::as_str),
                )
            })?;
            for (code, &v) in ws {
                if let Some(&i) = self.lookup.get(code) {
                    w[i] = v;
                }
            }
        }
        Ok(w)
    }

    /// Effective weight of every node in the index: the product of its weight
    /// normalised among its siblings, down the path from the root
    /// (`w_eff(i) = prod over the path of w_k / sum of sibling weights`). The root has 1.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown set name.
    pub fn effective_weights(&self, set: Option<&str>) -> Result<Vec<f64>> {
        let w = self.weights(set)?;
        let mut eff = vec![0.0; self.len()];
        eff[self.root] = 1.0;
        for level in (1..self.n_levels()).rev() {
            for &i in self.nodes_at_level(level) {
                if let Some(p) = self.parent[i] {
                    let total: f64 = self.children[p].iter().map(|&c| w[c]).sum();
                    eff[i] = eff[p] * w[i] / total;
                }
            }
        }
        Ok(eff)
    }
}

/// A node code of `spec` close to `code`, for messages.
fn suggest(code: &str, spec: &FrameworkSpec) -> Option<String> {
    crate::suggest::closest(code, spec.nodes.iter().map(|n| n.code.as_str())).map(str::to_owned)
}

fn check_weight(code: &str, w: f64, problems: &mut Vec<FrameworkProblem>) {
    if !w.is_finite() {
        problems.push(FrameworkProblem::NonFiniteWeight { code: code.into() });
    } else if w < 0.0 {
        problems.push(FrameworkProblem::NegativeWeight {
            code: code.into(),
            weight: w,
        });
    }
}

fn check_zero_siblings(
    spec: &FrameworkSpec,
    children: &[Vec<usize>],
    w: &[f64],
    problems: &mut Vec<FrameworkProblem>,
) {
    for (p, ch) in children.iter().enumerate() {
        if !ch.is_empty() && ch.iter().all(|&c| w[c] == 0.0) {
            problems.push(FrameworkProblem::AllZeroWeights {
                parent: spec.nodes[p].code.clone(),
            });
        }
    }
}

/// Returns each cycle once, as node indices in parent order.
fn find_cycles(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    // 0 = unvisited, 1 = on current path, 2 = done
    let n = parent.len();
    let mut state = vec![0u8; n];
    let mut cycles = Vec::new();
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => {
                    let pos = path.iter().position(|&k| k == i).unwrap_or(0);
                    cycles.push(path[pos..].to_vec());
                    break;
                }
                _ => {
                    state[i] = 1;
                    path.push(i);
                    cur = parent[i];
                }
            }
        }
        for k in path {
            state[k] = 2;
        }
    }
    cycles
}

fn compute_levels(
    spec: &FrameworkSpec,
    children: &[Vec<usize>],
    root: usize,
    level: &mut [u32],
    problems: &mut Vec<FrameworkProblem>,
) {
    // Post-order traversal without recursion.
    let mut order = Vec::with_capacity(level.len());
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend_from_slice(&children[i]);
    }
    for &i in order.iter().rev() {
        if children[i].is_empty() {
            level[i] = 1;
        } else {
            let max = children[i].iter().map(|&c| level[c]).max().unwrap_or(0);
            for &c in &children[i] {
                if level[c] != max {
                    problems.push(FrameworkProblem::InconsistentLevel {
                        code: spec.nodes[c].code.clone(),
                        stated: level[c],
                        computed: max,
                    });
                }
            }
            level[i] = max + 1;
        }
        if let Some(stated) = spec.nodes[i].level
            && stated != level[i]
        {
            problems.push(FrameworkProblem::InconsistentLevel {
                code: spec.nodes[i].code.clone(),
                stated,
                computed: level[i],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> FrameworkSpec {
        FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("P1", Some("Index")).weight(2.0),
            NodeSpec::new("P2", Some("Index")),
            NodeSpec::new("a", Some("P1")),
            NodeSpec::new("b", Some("P1")).direction(-1.0),
            NodeSpec::new("c", Some("P2")).weight(3.0),
        ])
    }

    fn problems(spec: FrameworkSpec, cols: Option<&[String]>) -> Vec<FrameworkProblem> {
        match Framework::new(spec, cols) {
            Err(Error::Framework(p)) => p,
            other => panic!("expected framework error, got {other:?}"),
        }
    }

    #[test]
    fn builds_tree_and_levels() {
        let f = Framework::new(small(), None).unwrap();
        assert_eq!(f.n_levels(), 3);
        assert_eq!(f.indicator_codes(), vec!["a", "b", "c"]);
        let p1 = f.index_of("P1").unwrap();
        assert_eq!(f.level(p1), 2);
        assert_eq!(f.children(p1).len(), 2);
        assert_eq!(f.nodes_at_level(2).len(), 2);
        let a = f.index_of("a").unwrap();
        assert_eq!(
            f.ancestors(a).map(|i| f.code(i)).collect::<Vec<_>>(),
            vec!["P1", "Index"]
        );
    }

    #[test]
    fn effective_weights_multiply_down_the_path() {
        let f = Framework::new(small(), None).unwrap();
        let e = f.effective_weights(None).unwrap();
        // P1 = 2/3, a = 2/3 * 1/2, c = 1/3 * 1
        assert!((e[f.index_of("a").unwrap()] - 1.0 / 3.0).abs() < 1e-15);
        assert!((e[f.index_of("c").unwrap()] - 1.0 / 3.0).abs() < 1e-15);
        let sum: f64 = f.indicators().iter().map(|&i| e[i]).sum();
        assert!((sum - 1.0).abs() < 1e-15);
    }

    #[test]
    fn weight_sets_override_weights() {
        let mut ws = BTreeMap::new();
        ws.insert("P1".to_string(), 1.0);
        let f = Framework::new(small().with_weight_set("equal", ws), None).unwrap();
        let w = f.weights(Some("equal")).unwrap();
        assert_eq!(w[f.index_of("P1").unwrap()], 1.0);
        assert!(matches!(
            f.weights(Some("nope")),
            Err(Error::UnknownCode { .. })
        ));
    }

    #[test]
    fn duplicate_code() {
        let mut s = small();
        s.nodes.push(NodeSpec::new("a", Some("P2")));
        assert!(problems(s, None).contains(&FrameworkProblem::DuplicateCode { code: "a".into() }));
    }

    #[test]
    fn no_root_and_multiple_roots() {
        let s = FrameworkSpec::new(vec![
            NodeSpec::new("x", Some("y")),
            NodeSpec::new("y", Some("x")),
        ]);
        let p = problems(s, None);
        assert!(p.contains(&FrameworkProblem::NoRoot));
        assert!(
            p.iter()
                .any(|q| matches!(q, FrameworkProblem::Cycle { .. }))
        );
        let s = FrameworkSpec::new(vec![NodeSpec::new("x", None), NodeSpec::new("y", None)]);
        assert!(matches!(
            problems(s, None)[0],
            FrameworkProblem::MultipleRoots { .. }
        ));
    }

    #[test]
    fn cycle_is_reported_once_with_its_members() {
        let mut s = small();
        s.nodes.push(NodeSpec::new("u", Some("v")));
        s.nodes.push(NodeSpec::new("v", Some("w")));
        s.nodes.push(NodeSpec::new("w", Some("u")));
        let cycles: Vec<_> = problems(s, None)
            .into_iter()
            .filter_map(|p| match p {
                FrameworkProblem::Cycle { codes } => Some(codes),
                _ => None,
            })
            .collect();
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), 3);
    }

    #[test]
    fn missing_parent() {
        let mut s = small();
        s.nodes.push(NodeSpec::new("d", Some("P9")));
        assert!(
            problems(s, None).contains(&FrameworkProblem::MissingParent {
                code: "d".into(),
                parent: "P9".into(),
                suggestion: None
            })
        );
    }

    #[test]
    fn unknown_parent_gets_a_suggestion() {
        let mut s = small();
        s.nodes[3].parent = Some("P_1".into());
        assert!(
            problems(s, None).contains(&FrameworkProblem::MissingParent {
                code: "a".into(),
                parent: "P_1".into(),
                suggestion: Some("P1".into())
            })
        );
    }

    #[test]
    fn indicator_not_in_data() {
        let cols = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            problems(small(), Some(&cols)),
            vec![FrameworkProblem::IndicatorNotInData {
                code: "c".into(),
                suggestion: None
            }]
        );
    }

    #[test]
    fn inconsistent_levels() {
        let mut s = small();
        s.nodes.push(NodeSpec::new("d", Some("Index"))); // leaf beside pillars
        assert!(
            problems(s, None).iter().any(
                |p| matches!(p, FrameworkProblem::InconsistentLevel { code, .. } if code == "d")
            )
        );
        let mut s = small();
        s.nodes[0].level = Some(4);
        assert!(
            problems(s, None).contains(&FrameworkProblem::InconsistentLevel {
                code: "Index".into(),
                stated: 4,
                computed: 3
            })
        );
    }

    #[test]
    fn bad_weights_and_directions_all_reported() {
        let mut s = small();
        s.nodes[3].weight = -1.0;
        s.nodes[4].weight = f64::NAN;
        s.nodes[5].weight = 0.0;
        s.nodes[5].direction = 0.0;
        let p = problems(s, None);
        assert!(p.contains(&FrameworkProblem::NegativeWeight {
            code: "a".into(),
            weight: -1.0
        }));
        assert!(p.contains(&FrameworkProblem::NonFiniteWeight { code: "b".into() }));
        assert!(p.contains(&FrameworkProblem::AllZeroWeights {
            parent: "P2".into()
        }));
        assert!(p.contains(&FrameworkProblem::InvalidDirection {
            code: "c".into(),
            direction: 0.0
        }));
        assert_eq!(p.len(), 4);
    }

    #[test]
    fn unknown_code_in_weight_set() {
        let mut ws = BTreeMap::new();
        ws.insert("zz".to_string(), 1.0);
        let p = problems(small().with_weight_set("w", ws), None);
        assert_eq!(
            p,
            vec![FrameworkProblem::UnknownWeightCode {
                set: "w".into(),
                code: "zz".into(),
                suggestion: None
            }]
        );
    }

    #[test]
    fn empty_framework() {
        assert_eq!(
            problems(FrameworkSpec::default(), None),
            vec![FrameworkProblem::Empty]
        );
    }

    #[cfg(all(feature = "csv", feature = "serde"))]
    #[test]
    fn nodes_from_a_file_with_added_nodes_overrides_and_weight_sets() {
        let text = r#"
spec_version = 1
[framework]
csv = "nodes.csv"
overrides = { x = { weight = 3, direction = -1 }, P = { name = "Pillar" } }
weight_sets.Alt = { y = 0.5 }
[[framework.nodes]]
code = "z"
parent = "P"
"#;
        let mut spec = crate::IndexSpec::from_toml(text).unwrap();
        // Not read yet: validation says which file is missing.
        let e = Framework::new(spec.framework.clone(), None).unwrap_err();
        assert!(e.to_string().contains("nodes.csv"), "{e}");
        spec.framework
            .load_with(|name| {
                assert_eq!(name, "nodes.csv");
                Ok("code,parent\nI,\nP,I\nx,P\ny,P\n".to_owned())
            })
            .unwrap();
        let fw = Framework::new(spec.framework.clone(), None).unwrap();
        assert_eq!(fw.len(), 5);
        let x = fw.index_of("x").unwrap();
        assert_eq!((fw.node(x).weight, fw.node(x).direction), (3.0, -1.0));
        assert_eq!(fw.name(fw.index_of("P").unwrap()), "Pillar");
        assert!(fw.index_of("z").is_some());
        let w = fw.weights(Some("Alt")).unwrap();
        assert_eq!(w[fw.index_of("y").unwrap()], 0.5);
        // Written back in the short form, and read back to the same tree.
        let out = spec.to_toml().unwrap();
        assert!(out.contains("csv = \"nodes.csv\""), "{out}");
        assert_eq!(out.matches("code = ").count(), 1, "{out}");
        assert_eq!(fw.spec().inlined(), fw.spec().clone());
    }

    #[cfg(feature = "csv")]
    #[test]
    fn overrides_of_unknown_nodes_and_two_files_are_errors() {
        let s = small().with_override("Pilar1", NodeOverride::weight(2.0));
        assert_eq!(
            problems(s, None),
            vec![FrameworkProblem::UnknownOverrideCode {
                code: "Pilar1".into()
            }]
        );
        let mut s = small();
        s.imeta = Some("a.csv".into());
        s.csv = Some("b.csv".into());
        let e = s.load_with(|_| Ok(String::new())).unwrap_err();
        assert!(e.to_string().contains("not both"), "{e}");
    }
}
