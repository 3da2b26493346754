//! Running a specification over a panel, edition by edition.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use nalgebra::DMatrix;

use super::compare::Comparison;
use super::data::Panel;
use super::editions::Editions;
use super::framework_changes::{FrameworkBasis, FrameworkChanges};
use super::impute::{PanelImputeReport, PanelSlice, impute_panel};
use super::spec::{FitScope, PanelSpec};
use super::stacked::StackedData;
use super::units::UnitMapping;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::fitted::FittedStep;
use crate::framework::FrameworkSpec;
use crate::pipeline::{Pipeline, StepFit};
use crate::prepare::ImputeReport;
use crate::results::{Results, StageData, StepReport};
use crate::spec::IndexSpec;

/// Wraps an error with the edition it happened in.
pub(crate) fn in_edition(time: f64) -> impl Fn(Error) -> Error {
    move |e| match e {
        e @ Error::InEdition { .. } => e,
        e => Error::InEdition {
            time,
            source: Box::new(e),
        },
    }
}

/// A specification validated against every edition of a panel, ready to run.
///
/// Every step runs per edition by default, as each edition is published. The
/// [`PanelSpec`] (the spec's `[panel]` table, or [`PanelPipeline::with_options`])
/// can fit imputation, treatment or normalisation on the pooled panel (COINr's
/// `global = TRUE`) or on a reference edition and apply those parameters to every
/// edition; the fit/apply split is the one of [fitted pipelines](crate::fitted).
/// A `impute_panel` step fills gaps from each unit's other editions
/// ([`super::impute`]).
///
/// ```
/// use composite_index::prelude::*;
/// use composite_index::panel::{FitScope, Panel, PanelPipeline, PanelSpec};
///
/// # fn main() -> composite_index::Result<()> {
/// let year = |x: Vec<f64>| {
///     Dataset::from_columns(vec!["A".into(), "B".into(), "C".into()], vec![("x".into(), x)])
/// };
/// let panel = Panel::new(vec![
///     (2023.0, year(vec![1.0, 2.0, 3.0])?),
///     (2024.0, year(vec![2.0, 4.0, 6.0])?),
/// ])?;
/// let spec = IndexSpec::new(
///     FrameworkSpec::new(vec![NodeSpec::new("Index", None), NodeSpec::new("x", Some("Index"))]),
///     vec![
///         Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
///         Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
///     ],
/// );
/// // Per year (the default): each edition spans 0-100.
/// let per_year = PanelPipeline::new(spec.clone(), &panel)?.run()?;
/// assert_eq!(per_year.edition(2024.0).unwrap().scores("Index").unwrap(), &[0.0, 50.0, 100.0]);
/// // Goalposts fitted on 2023: 2024's values are scored against 2023's range.
/// let fixed = PanelPipeline::new(spec, &panel)?
///     .with_options(PanelSpec::per_year().normalise(FitScope::Reference { year: 2023.0 }))?
///     .run()?;
/// assert_eq!(fixed.edition(2024.0).unwrap().scores("Index").unwrap(), &[50.0, 150.0, 250.0]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct PanelPipeline {
    times: Vec<f64>,
    pipelines: Vec<Pipeline>,
    options: PanelSpec,
    panel: Panel,
    /// The pipeline of the stacked panel, when a step is fitted on the pooled panel.
    pooled: Option<Pipeline>,
}

impl PanelPipeline {
    /// One specification for every edition; the panel options come from the
    /// spec's `[panel]` table (per year when absent).
    ///
    /// # Errors
    /// The validation errors of [`Pipeline::new`] for each edition, wrapped in
    /// [`Error::InEdition`]; the errors of [`PanelPipeline::with_options`].
    pub fn new(spec: IndexSpec, panel: &Panel) -> Result<Self> {
        let specs = panel.times().iter().map(|&t| (t, spec.clone())).collect();
        Self::per_edition(specs, panel)
    }

    /// One specification per edition (each edition on its own framework, as
    /// WIPO publishes the GII). The stages of the specifications must follow the
    /// same order; the panel options come from the first specification.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when an edition has no specification (or a
    /// specification names no edition) or the stages differ; the validation
    /// errors of each edition, wrapped in [`Error::InEdition`].
    pub fn per_edition(specs: Vec<(f64, IndexSpec)>, panel: &Panel) -> Result<Self> {
        let mut by_time: Vec<Option<IndexSpec>> = vec![None; panel.len()];
        for (t, spec) in specs {
            let k = panel.position(t).ok_or_else(|| {
                Error::invalid(
                    "panel",
                    "specs",
                    None,
                    format!(
                        "a specification is given for {t}, which is not an edition of the panel"
                    ),
                )
            })?;
            by_time[k] = Some(spec);
        }
        let mut pipelines = Vec::with_capacity(panel.len());
        for (k, spec) in by_time.into_iter().enumerate() {
            let t = panel.times()[k];
            let spec = spec.ok_or_else(|| {
                Error::invalid(
                    "panel",
                    "specs",
                    None,
                    format!("no specification for edition {t}"),
                )
            })?;
            let p = Pipeline::builder(spec, Arc::clone(panel.shared(k)))
                .panel_steps()
                .build()
                .map_err(in_edition(t))?;
            pipelines.push(p);
        }
        let stages = |p: &Pipeline| p.spec().steps.iter().map(|s| s.stage()).collect::<Vec<_>>();
        let first = stages(&pipelines[0]);
        for (k, p) in pipelines.iter().enumerate().skip(1) {
            if stages(p) != first {
                return Err(Error::invalid(
                    "panel",
                    "specs",
                    None,
                    format!(
                        "the steps of edition {} ({}) differ from those of edition {} ({}): every edition needs the same stages in the same order",
                        panel.times()[k],
                        stages(p).join(", "),
                        panel.times()[0],
                        first.join(", ")
                    ),
                ));
            }
        }
        let options = pipelines[0].spec().panel.unwrap_or_default();
        Self {
            times: panel.times().to_vec(),
            pipelines,
            options: PanelSpec::default(),
            panel: panel.clone(),
            pooled: None,
        }
        .with_options(options)
    }

    /// Sets where the learning steps are fitted.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a reference year that is not an edition,
    /// or a pooled or reference fit when the editions' frameworks have different
    /// indicators.
    pub fn with_options(mut self, options: PanelSpec) -> Result<Self> {
        options.validate(&self.times)?;
        let shared = [options.impute, options.treat, options.normalise]
            .iter()
            .any(|s| !matches!(s, FitScope::PerYear {}));
        if shared {
            let first = self.pipelines[0].framework().indicator_codes();
            for (k, p) in self.pipelines.iter().enumerate().skip(1) {
                if p.framework().indicator_codes() != first {
                    return Err(Error::invalid(
                        "panel",
                        "fit",
                        None,
                        format!(
                            "fitting on the pooled panel or on a reference year needs the same indicators in every edition; edition {} differs from edition {}",
                            self.times[k], self.times[0]
                        ),
                    ));
                }
            }
        }
        let pooled = [options.impute, options.treat, options.normalise]
            .iter()
            .any(|s| matches!(s, FitScope::Pooled {}));
        self.pooled = if pooled {
            Some(self.pooled_pipeline()?)
        } else {
            None
        };
        self.options = options;
        Ok(self)
    }

    /// Where the learning steps are fitted.
    pub fn options(&self) -> &PanelSpec {
        &self.options
    }

    /// The editions' times.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The pipeline of one edition.
    pub fn pipeline(&self, time: f64) -> Option<&Pipeline> {
        self.times
            .iter()
            .position(|&t| t == time)
            .map(|k| &self.pipelines[k])
    }

    /// Runs every step over every edition; see the [type docs](Self).
    ///
    /// # Errors
    /// Any error of a step, wrapped in [`Error::InEdition`] with the edition it
    /// happened in (the earliest edition when several fail).
    pub fn run(&self) -> Result<PanelResults> {
        let n_steps = self.pipelines[0].n_steps();
        let mut runs: Vec<Results> = self.pipelines.iter().map(Pipeline::start).collect();
        let mut imputation = Vec::new();
        let mut scopes = Vec::with_capacity(n_steps);
        let mut s = 0;
        while s < n_steps {
            let stage = self.pipelines[0].spec().steps[s].stage();
            if let Some(spec) = self.pipelines[0].panel_impute(s) {
                let report = self.impute_across(s, spec, &mut runs)?;
                imputation.push((s, report));
                scopes.push((s, stage, None));
                s += 1;
                continue;
            }
            let scope = self.options.scope_of(stage);
            match scope {
                FitScope::PerYear {} => {
                    // Consecutive per-year steps run as one task per edition.
                    let mut end = s + 1;
                    while end < n_steps
                        && self.pipelines[0].panel_impute(end).is_none()
                        && matches!(
                            self.options
                                .scope_of(self.pipelines[0].spec().steps[end].stage()),
                            FitScope::PerYear {}
                        )
                    {
                        end += 1;
                    }
                    self.each(&mut runs, |p, r| {
                        for step in s..end {
                            p.advance(step, r, StepFit::Discard)?;
                        }
                        Ok(())
                    })?;
                    for step in s..end {
                        let st = self.pipelines[0].spec().steps[step].stage();
                        scopes.push((step, st, Some(FitScope::PerYear {})));
                    }
                    s = end;
                    continue;
                }
                FitScope::Reference { year } => {
                    let r = self.times.iter().position(|&t| t == year).unwrap_or(0);
                    let fitted = self.pipelines[r]
                        .advance(s, &mut runs[r], StepFit::Keep)
                        .map_err(in_edition(year))?;
                    let fitted = fitted.ok_or_else(|| Error::Pipeline {
                        step: s,
                        stage: stage.into(),
                        message: "internal: no fitted parameters".into(),
                    })?;
                    self.each_except(&mut runs, r, |p, run| {
                        p.advance(s, run, StepFit::Given(&fitted)).map(|_| ())
                    })?;
                }
                FitScope::Pooled {} => {
                    let fitted = self.fit_pooled(s, self.pooled.as_ref(), &runs)?;
                    self.each(&mut runs, |p, run| {
                        p.advance(s, run, StepFit::Given(&fitted)).map(|_| ())
                    })?;
                }
            }
            scopes.push((s, stage, Some(scope)));
            s += 1;
        }
        Ok(PanelResults {
            times: self.times.clone(),
            runs,
            imputation,
            scopes: scopes
                .into_iter()
                .map(|(s, stage, scope)| StepScope {
                    step: s,
                    stage: stage.to_owned(),
                    scope,
                })
                .collect(),
            frameworks: self
                .pipelines
                .iter()
                .map(|p| p.spec().framework.clone())
                .collect(),
            panel: self.panel.clone(),
        })
    }

    /// Compares editions `from` and `to` at `node` after recomputing both on the
    /// indicators their frameworks have in common ([`FrameworkChanges`]; `mapping`
    /// lists explicit `(old code, new code)` matches), with the panel's options,
    /// and `units` linking units across editions. The comparison's basis is
    /// [`FrameworkBasis::CommonIndicators`], with the report of what changed.
    /// Panel imputation, if any, then sees only these two editions.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an edition that is not there; the errors of
    /// running the two restricted editions (e.g. a node left without indicators).
    pub fn compare_on_common(
        &self,
        node: &str,
        from: f64,
        to: f64,
        mapping: &[(String, String)],
        units: &UnitMapping,
    ) -> Result<Comparison> {
        let k = |t: f64| {
            self.times
                .iter()
                .position(|&x| x == t)
                .ok_or_else(|| Error::UnknownCode {
                    kind: "edition",
                    code: t.to_string(),
                    context: "the panel (compare_on_common)".into(),
                })
        };
        let (kf, kt) = (k(from)?, k(to)?);
        let (sf, st) = (self.pipelines[kf].spec(), self.pipelines[kt].spec());
        let changes = FrameworkChanges::between(from, &sf.framework, to, &st.framework, mapping);
        let restrict = |spec: &IndexSpec, keep: &HashSet<&str>| -> IndexSpec {
            spec.without(&removed_outside(&spec.framework, keep))
        };
        let keep_f: HashSet<&str> = changes.common.iter().map(|(a, _)| a.as_str()).collect();
        let keep_t: HashSet<&str> = changes.common.iter().map(|(_, b)| b.as_str()).collect();
        let sub = Panel::from_shared(vec![
            (from, Arc::clone(self.panel.shared(kf))),
            (to, Arc::clone(self.panel.shared(kt))),
        ])?;
        let results = Self::per_edition(
            vec![(from, restrict(sf, &keep_f)), (to, restrict(st, &keep_t))],
            &sub,
        )?
        .with_options(self.options)?
        .run()?;
        let mut cmp = Editions::from_panel(&results)
            .with_mapping(units.clone())
            .compare(node, from, to)?;
        cmp.basis = FrameworkBasis::CommonIndicators { changes };
        Ok(cmp)
    }

    /// Runs `f` on every edition (in parallel with the `rayon` feature); the
    /// earliest edition's error wins.
    fn each<F>(&self, runs: &mut [Results], f: F) -> Result<()>
    where
        F: Fn(&Pipeline, &mut Results) -> Result<()> + Sync + Send,
    {
        self.each_except(runs, usize::MAX, f)
    }

    fn each_except<F>(&self, runs: &mut [Results], skip: usize, f: F) -> Result<()>
    where
        F: Fn(&Pipeline, &mut Results) -> Result<()> + Sync + Send,
    {
        let task = |(k, (p, r)): (usize, (&Pipeline, &mut Results))| {
            if k == skip {
                Ok(())
            } else {
                f(p, r).map_err(in_edition(self.times[k]))
            }
        };
        #[cfg(feature = "rayon")]
        let outcomes: Vec<Result<()>> = {
            use rayon::prelude::*;
            self.pipelines
                .par_iter()
                .zip(runs.par_iter_mut())
                .enumerate()
                .map(task)
                .collect()
        };
        #[cfg(not(feature = "rayon"))]
        let outcomes: Vec<Result<()>> = self
            .pipelines
            .iter()
            .zip(runs.iter_mut())
            .enumerate()
            .map(task)
            .collect();
        outcomes.into_iter().collect()
    }

    /// Panel imputation at step `s`: opens data set `s + 1` in every edition and
    /// fills it from the other editions.
    fn impute_across(
        &self,
        s: usize,
        spec: &super::impute::PanelImputeSpec,
        runs: &mut [Results],
    ) -> Result<PanelImputeReport> {
        let mut stages: Vec<&mut StageData> = self
            .pipelines
            .iter()
            .zip(runs.iter_mut())
            .map(|(p, r)| p.open(s, r))
            .collect();
        let report = {
            let mut slices: Vec<PanelSlice<'_>> = stages
                .iter_mut()
                .zip(&self.times)
                .map(|(st, &time)| {
                    let StageData {
                        unit_codes,
                        columns,
                        values,
                        ..
                    } = &mut **st;
                    PanelSlice {
                        time,
                        units: unit_codes,
                        columns,
                        values,
                    }
                })
                .collect();
            impute_panel(&mut slices, spec)?
        };
        // Each edition's step report: rows filled and cells left, per indicator.
        for (k, r) in runs.iter_mut().enumerate() {
            let time = self.times[k];
            let stage = &r.stages[s + 1];
            let row_of: HashMap<&str, usize> = stage
                .unit_codes
                .iter()
                .enumerate()
                .map(|(i, u)| (u.as_str(), i))
                .collect();
            let mut filled: Vec<(String, Vec<usize>)> = Vec::new();
            for c in report.cells_in(time) {
                let row = row_of.get(c.unit.as_str()).copied().unwrap_or(0);
                match filled.iter_mut().find(|(code, _)| *code == c.indicator) {
                    Some((_, rows)) => rows.push(row),
                    None => filled.push((c.indicator.clone(), vec![row])),
                }
            }
            let mut imputed = Vec::new();
            for code in stage.columns.iter() {
                if let Some((_, mut rows)) = filled.iter().find(|(c, _)| c == code).cloned() {
                    rows.sort_unstable();
                    imputed.push((code.clone(), rows));
                }
            }
            let remaining = report
                .remaining
                .iter()
                .filter(|(t, _, _)| *t == time)
                .map(|(_, c, n)| (c.clone(), *n))
                .collect();
            r.reports.push(StepReport::Impute(ImputeReport {
                imputed,
                remaining,
                ..ImputeReport::default()
            }));
        }
        Ok(report)
    }

    /// The pipeline of the stacked panel (every edition's rows, unit codes
    /// suffixed with their time), on which pooled parameters are fitted.
    fn pooled_pipeline(&self) -> Result<Pipeline> {
        let first = &self.pipelines[0];
        let indicators = first.framework().indicator_codes();
        let mut codes = Vec::new();
        let mut names = Vec::new();
        let mut columns: Vec<Vec<f64>> = vec![Vec::new(); indicators.len()];
        let mut group_names: Vec<String> = Vec::new();
        let mut den_names: Vec<String> = Vec::new();
        for (_, d) in self.panel.editions() {
            for g in d.groups() {
                if !group_names.contains(&g.name) {
                    group_names.push(g.name.clone());
                }
            }
            for c in d.denominators() {
                if !den_names.contains(&c.name) {
                    den_names.push(c.name.clone());
                }
            }
        }
        let mut groups: Vec<Vec<Option<String>>> = vec![Vec::new(); group_names.len()];
        let mut dens: Vec<Vec<f64>> = vec![Vec::new(); den_names.len()];
        for (t, d) in self.panel.editions() {
            let n = d.n_units();
            codes.extend(d.unit_codes().iter().map(|u| format!("{u} ({t})")));
            names.extend(d.unit_names().iter().cloned());
            for (col, code) in columns.iter_mut().zip(&indicators) {
                match d.indicator(code) {
                    Some(x) => col.extend_from_slice(x),
                    None => col.extend(std::iter::repeat_n(f64::NAN, n)),
                }
            }
            for (g, name) in groups.iter_mut().zip(&group_names) {
                match d.group(name) {
                    Some(c) => g.extend(c.values.iter().cloned()),
                    None => g.extend(std::iter::repeat_n(None, n)),
                }
            }
            for (v, name) in dens.iter_mut().zip(&den_names) {
                match d.denominator(name) {
                    Some(c) => v.extend_from_slice(c),
                    None => v.extend(std::iter::repeat_n(f64::NAN, n)),
                }
            }
        }
        let mut data = Dataset::from_columns(codes, indicators.into_iter().zip(columns).collect())?
            .with_unit_names(names)?;
        for (name, g) in group_names.into_iter().zip(groups) {
            data = data.with_group(name, g)?;
        }
        for (name, v) in den_names.into_iter().zip(dens) {
            data = data.with_denominator(name, v)?;
        }
        let mut spec = first.spec().clone();
        // Force lists name unit codes, which the stacked rows do not carry as such.
        for step in &mut spec.steps {
            if let crate::spec::Step::Screen(sc) = step {
                sc.force_include.clear();
                sc.force_exclude.clear();
            }
        }
        Pipeline::builder(spec, data).panel_steps().build()
    }

    /// Fits step `s` on the stacked input of every edition.
    fn fit_pooled(
        &self,
        s: usize,
        pooled: Option<&Pipeline>,
        runs: &[Results],
    ) -> Result<FittedStep> {
        let Some(pooled) = pooled else {
            return Err(Error::Pipeline {
                step: s,
                stage: "pooled".into(),
                message: "internal: no pooled pipeline".into(),
            });
        };
        let inputs: Vec<&StageData> = runs.iter().map(|r| &r.stages[s]).collect();
        let n: usize = inputs.iter().map(|st| st.units.len()).sum();
        let p = inputs[0].values.ncols();
        let mut values = DMatrix::from_element(n, p, f64::NAN);
        let mut units = Vec::with_capacity(n);
        let mut offset_rows = 0;
        let mut offset_data = 0;
        for (k, st) in inputs.iter().enumerate() {
            let m = st.units.len();
            values.rows_mut(offset_rows, m).copy_from(&st.values);
            units.extend(st.units.iter().map(|&r| r + offset_data));
            offset_rows += m;
            offset_data += self.panel.shared(k).n_units();
        }
        let all_codes = pooled.data().unit_codes();
        let mut stage = StageData {
            name: "pooled".into(),
            unit_codes: units.iter().map(|&r| all_codes[r].clone()).collect(),
            units,
            columns: Arc::clone(&inputs[0].columns),
            values,
        };
        // Errors name the stacked units ("AUT (2019)"), hence the edition.
        pooled.fit_on(s, &mut stage)
    }
}

/// The nodes of `framework` outside the kept indicators: the other indicators and
/// the aggregates left without any kept indicator below them.
fn removed_outside<'a>(framework: &'a FrameworkSpec, keep: &HashSet<&str>) -> HashSet<&'a str> {
    let parents: HashSet<&str> = framework
        .nodes
        .iter()
        .filter_map(|n| n.parent.as_deref())
        .collect();
    let mut alive: HashSet<&str> = HashSet::new();
    for n in &framework.nodes {
        if !parents.contains(n.code.as_str()) && keep.contains(n.code.as_str()) {
            // The indicator and all its ancestors stay.
            let mut cur = Some(n.code.as_str());
            while let Some(c) = cur {
                if !alive.insert(c) {
                    break;
                }
                cur = framework
                    .nodes
                    .iter()
                    .find(|m| m.code == c)
                    .and_then(|m| m.parent.as_deref());
            }
        }
    }
    framework
        .nodes
        .iter()
        .map(|n| n.code.as_str())
        .filter(|c| !alive.contains(c))
        .collect()
}

/// Where one step was fitted in a panel run (`None` scope: a step across
/// editions, such as panel imputation).
#[derive(Debug, Clone, PartialEq)]
pub struct StepScope {
    /// Step index.
    pub step: usize,
    /// Stage name.
    pub stage: String,
    /// Where it was fitted.
    pub scope: Option<FitScope>,
}

/// Everything a panel run computed: one [`Results`] per edition, the panel
/// imputation reports, and where each step was fitted.
#[derive(Debug, Clone)]
pub struct PanelResults {
    times: Vec<f64>,
    runs: Vec<Results>,
    imputation: Vec<(usize, PanelImputeReport)>,
    scopes: Vec<StepScope>,
    frameworks: Vec<FrameworkSpec>,
    panel: Panel,
}

impl PanelResults {
    /// The editions' times.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The results of one edition.
    pub fn edition(&self, time: f64) -> Option<&Results> {
        self.times
            .iter()
            .position(|&t| t == time)
            .map(|k| &self.runs[k])
    }

    /// `(time, results)` of every edition, in time order.
    pub fn editions(&self) -> impl Iterator<Item = (f64, &Results)> {
        self.times.iter().copied().zip(self.runs.iter())
    }

    /// The panel the results were computed from.
    pub fn panel(&self) -> &Panel {
        &self.panel
    }

    /// The framework of each edition, in time order.
    pub fn frameworks(&self) -> &[FrameworkSpec] {
        &self.frameworks
    }

    /// Reports of the panel imputation steps: `(step, report)`.
    pub fn panel_imputation(&self) -> &[(usize, PanelImputeReport)] {
        &self.imputation
    }

    /// Where each step was fitted, in step order.
    pub fn scopes(&self) -> &[StepScope] {
        &self.scopes
    }

    /// One sentence per step saying where it was fitted (for every output of a
    /// panel run).
    pub fn describe_scopes(&self) -> Vec<String> {
        self.scopes
            .iter()
            .map(|s| match &s.scope {
                None => format!("step {} ({}): across editions", s.step, s.stage),
                Some(scope) => format!("step {} ({}): {}", s.step, s.stage, scope.describe()),
            })
            .collect()
    }

    /// A data set stacked over all editions (editions without it are skipped),
    /// rows sorted by time then unit code (COINr's `get_dset` on a purse, plus
    /// the sort).
    pub fn dataset(&self, name: &str) -> Option<StackedData> {
        let parts: Vec<(f64, &StageData)> = self
            .editions()
            .filter_map(|(t, r)| r.dataset(name).map(|d| (t, d)))
            .collect();
        (!parts.is_empty()).then(|| StackedData::stack(name, &parts))
    }

    /// The editions' scores and ranks at every node, for comparisons
    /// ([`Editions::from_panel`]).
    pub fn to_editions(&self) -> Editions {
        Editions::from_panel(self)
    }

    /// Names of the data sets, in step order (of the first edition).
    pub fn dataset_names(&self) -> Vec<String> {
        self.runs
            .first()
            .map(|r| r.datasets().iter().map(|d| d.name.clone()).collect())
            .unwrap_or_default()
    }

    /// Writes every data set as one long CSV `<name>.csv` into a directory
    /// (created if needed): `uCode`, `Time`, then one column per indicator or
    /// aggregate, sorted by time then unit code.
    ///
    /// The files are written atomically, as a set (as
    /// [`Results::write_csv_dir`](crate::results::Results::write_csv_dir)).
    ///
    /// # Errors
    /// [`Error::Io`].
    pub fn write_csv_dir(&self, dir: impl AsRef<std::path::Path>) -> Result<()> {
        let dir = dir.as_ref();
        crate::atomic::create_dir(dir)?;
        let mut staged = crate::atomic::Staged::new();
        for name in self.dataset_names() {
            if let Some(d) = self.dataset(&name) {
                staged.file(&dir.join(format!("{name}.csv")), |w| d.write_csv(w))?;
            }
        }
        staged.commit()
    }
}
