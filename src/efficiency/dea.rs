//! Data envelopment analysis: CCR and BCC, input- and output-oriented, with
//! peers, intensity weights (lambdas) and second-phase slacks.
//!
//! Charnes, Cooper and Rhodes (1978), *EJOR* 2(6):429-444 (CCR, constant
//! returns); Banker, Charnes and Cooper (1984), *Management Science*
//! 30(9):1078-1092 (BCC, variable returns); METHODS 8.12. For unit `o` with
//! inputs `x_io` and outputs `y_ro` (envelopment form):
//!
//! ```text
//! input-oriented:   min theta  s.t.  sum_j lambda_j x_ij <= theta x_io,  sum_j lambda_j y_rj >= y_ro
//! output-oriented:  max phi    s.t.  sum_j lambda_j x_ij <= x_io,        sum_j lambda_j y_rj >= phi y_ro
//! lambda >= 0; BCC adds sum_j lambda_j = 1.
//! ```
//!
//! `theta` is in (0, 1]; `phi >= 1` (Farrell output efficiency, as the R
//! package Benchmarking reports it; `1/phi` is in (0, 1]). Under CRS
//! `theta = 1/phi`. The second phase maximises the sum of the slacks
//! `s-_i = theta x_io - sum lambda x_ij` and `s+_r = sum lambda y_rj - y_ro` at
//! the optimal `theta` (or `phi`), as Benchmarking's `slack()`. The **peers**
//! of `o` are the units with `lambda_j > 0`; a unit is efficient when its
//! score is 1 and its slacks are 0.
//!
//! **Degeneracy.** The lambdas are often not unique (several optimal peer
//! sets, typically for units on or next to a flat face of the frontier).
//! [`DeaResults::unique`] says, per unit, whether they are (a rank test on
//! the strictly complementary solution of an interior-point solver; see the
//! module docs of [`aggregate::benefit_of_the_doubt`](crate::aggregate::benefit_of_the_doubt)).
//! Where they are not, the lambdas reported are the second phase's (those of
//! the largest slacks), themselves possibly one of several.
//!
//! **Computation.** Every optimal `lambda` is supported on units with score 1
//! (complementary slackness), a few of the units. Each unit's programme is
//! solved by column generation: first against frontier units already found,
//! then adding every unit whose reduced cost at that optimum is negative or
//! zero, until none is; the units left out have positive reduced costs and so
//! zero lambdas in every optimum of the full programme. Scores, the uniqueness
//! test and the second phase are therefore those of the programme over every
//! unit, at a fraction of its size. The starting columns are units known to
//! be on the frontier without a programme: the best units for a fixed set of
//! weight directions (each maximises a supporting ratio `u·y / v·x`, or for
//! variable returns also a supporting hyperplane `u·y - v·x`, so has score 1).
//! The undominated units are then solved in blocks
//! of eight, in the order of the data, each block starting from those and the
//! frontier units of the blocks before; then the dominated units, from every
//! frontier unit found. On the GII (139 units) this takes about 1.1 solves per
//! unit instead of about 2.1. Starting columns never depend on the order of the solves within
//! a pass, so the units of a pass are solved in parallel (feature `rayon`) and
//! the results are identical on any number of threads.

use nalgebra::DMatrix;

use crate::audit::DataView;
use crate::error::{Error, Result};
use crate::lp::{Lp, Outcome};

/// Returns to scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Returns {
    /// Constant returns to scale: the CCR model (Benchmarking's `"crs"`).
    #[default]
    Constant,
    /// Variable returns to scale: the BCC model (`"vrs"`).
    Variable,
}

/// Orientation of the radial measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Orientation {
    /// Shrink inputs at given outputs: `theta <= 1`.
    #[default]
    Input,
    /// Expand outputs at given inputs: `phi >= 1`.
    Output,
}

/// A DEA model: returns to scale and orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct DeaModel {
    /// Returns to scale (default constant: CCR).
    #[cfg_attr(feature = "serde", serde(default))]
    pub returns: Returns,
    /// Orientation (default input).
    #[cfg_attr(feature = "serde", serde(default))]
    pub orientation: Orientation,
}

impl DeaModel {
    /// A model.
    #[must_use]
    pub fn new(returns: Returns, orientation: Orientation) -> Self {
        Self {
            returns,
            orientation,
        }
    }

    /// Short name: `ccr_in`, `ccr_out`, `bcc_in` or `bcc_out`.
    pub fn name(&self) -> &'static str {
        match (self.returns, self.orientation) {
            (Returns::Constant, Orientation::Input) => "ccr_in",
            (Returns::Constant, Orientation::Output) => "ccr_out",
            (Returns::Variable, Orientation::Input) => "bcc_in",
            (Returns::Variable, Orientation::Output) => "bcc_out",
        }
    }
}

/// What a DEA computed. Rows are units, in the order of the data.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeaResults {
    /// The model.
    pub model: DeaModel,
    /// Unit codes.
    pub units: Vec<String>,
    /// Input codes.
    pub inputs: Vec<String>,
    /// Output codes.
    pub outputs: Vec<String>,
    /// `theta` (input orientation, in (0, 1]) or `phi` (output, `>= 1`).
    pub efficiency: Vec<f64>,
    /// Intensity weights, units x units: row `o` holds unit `o`'s lambdas.
    pub lambdas: DMatrix<f64>,
    /// Input slacks `s-`, units x inputs.
    pub input_slacks: DMatrix<f64>,
    /// Output slacks `s+`, units x outputs.
    pub output_slacks: DMatrix<f64>,
    /// Whether unit `o`'s optimal lambdas are unique (see the module docs).
    pub unique: Vec<bool>,
}

/// Units solved together (in parallel) from the same starting columns.
const BLOCK: usize = 8;

/// Weight directions, beyond the input-output pairs, whose best units seed the
/// frontier (see `Data::seeds`).
const SEED_DIRECTIONS: usize = 64;

/// Lambdas below this are not peers (the solver's zeros).
const PEER_TOL: f64 = 1e-9;

impl DeaResults {
    /// The score in (0, 1]: `theta`, or `1/phi` for the output orientation.
    pub fn scores(&self) -> Vec<f64> {
        match self.model.orientation {
            Orientation::Input => self.efficiency.clone(),
            Orientation::Output => self.efficiency.iter().map(|e| 1.0 / e).collect(),
        }
    }

    /// Position of a unit.
    pub fn unit_index(&self, unit: &str) -> Option<usize> {
        self.units.iter().position(|u| u == unit)
    }

    /// The peers of unit `o` (lambda > 1e-9) with their lambdas, largest first.
    pub fn peers(&self, o: usize) -> Vec<(&str, f64)> {
        let mut p: Vec<(&str, f64)> = (0..self.units.len())
            .filter(|&j| self.lambdas[(o, j)] > PEER_TOL)
            .map(|j| (self.units[j].as_str(), self.lambdas[(o, j)]))
            .collect();
        p.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        p
    }

    /// Whether unit `o` is efficient: score 1 (to 1e-9) and every slack 0
    /// (to 1e-9 relative to its inputs and outputs).
    pub fn is_efficient(&self, o: usize) -> bool {
        let tol = 1e-9;
        (self.efficiency[o] - 1.0).abs() <= tol
            && self.input_slacks.row(o).iter().all(|s| s.abs() <= tol)
            && self.output_slacks.row(o).iter().all(|s| s.abs() <= tol)
    }

    /// One sentence: "X is efficient" or "X's frontier peers are A (0.61), B (0.39)".
    pub fn describe(&self, o: usize, name: &str) -> String {
        let peers = self.peers(o);
        let self_only = peers.len() == 1 && peers[0].0 == self.units[o];
        if self.is_efficient(o) || self_only {
            return format!("{name} is on the frontier (efficient)");
        }
        let list: Vec<String> = peers.iter().map(|(u, l)| format!("{u} ({l:.2})")).collect();
        let note = if self.unique[o] {
            ""
        } else {
            " (one of several optimal peer sets)"
        };
        format!("{name}'s frontier peers are {}{note}", list.join(", "))
    }
}

/// DEA of chosen input and output columns of a data set (any data set of
/// [`Results`](crate::Results), a [`Dataset`](crate::Dataset) or a matrix;
/// see [`DataView`]).
///
/// # Errors
/// [`Error::UnknownCode`] for a column not in the data; [`Error::InvalidParameter`]
/// for no input, no output, or a column used as both; [`Error::Domain`] for a
/// missing, negative or infinite value, or a unit with only zero inputs or only
/// zero outputs; [`Error::Solver`] if a programme cannot be solved.
pub fn dea<'a>(
    data: impl Into<DataView<'a>>,
    inputs: &[&str],
    outputs: &[&str],
    model: DeaModel,
) -> Result<DeaResults> {
    let view: DataView<'a> = data.into();
    if inputs.is_empty() || outputs.is_empty() {
        return Err(Error::invalid(
            "dea",
            if inputs.is_empty() {
                "inputs"
            } else {
                "outputs"
            },
            None,
            "DEA needs at least one input and one output".to_string(),
        ));
    }
    if let Some(c) = inputs.iter().find(|c| outputs.contains(c)) {
        return Err(Error::invalid(
            "dea",
            "outputs",
            Some(c),
            "a column cannot be both an input and an output".to_string(),
        ));
    }
    let n = view.n_units();
    let read = |codes: &[&str]| -> Result<Vec<Vec<f64>>> {
        let cols: Vec<&[f64]> = codes
            .iter()
            .map(|c| view.column(c))
            .collect::<Result<_>>()?;
        (0..n)
            .map(|u| {
                cols.iter()
                    .zip(codes)
                    .map(|(c, code)| {
                        let v = c[u];
                        if v.is_finite() && v >= 0.0 {
                            Ok(v)
                        } else {
                            Err(domain(
                                view.units(),
                                u,
                                code,
                                v,
                                if v.is_nan() {
                                    "DEA needs every input and output present"
                                } else {
                                    "DEA needs finite non-negative inputs and outputs"
                                },
                            ))
                        }
                    })
                    .collect()
            })
            .collect()
    };
    let (x, y) = (read(inputs)?, read(outputs)?);
    for u in 0..n {
        if x[u].iter().all(|&v| v == 0.0) {
            return Err(domain(
                view.units(),
                u,
                inputs[0],
                0.0,
                "every input of this unit is zero",
            ));
        }
        if y[u].iter().all(|&v| v == 0.0) {
            return Err(domain(
                view.units(),
                u,
                outputs[0],
                0.0,
                "every output of this unit is zero",
            ));
        }
    }
    let d = Data { x, y, model };
    let units = view.units();
    let mut res = DeaResults {
        model,
        units: units.to_vec(),
        inputs: inputs.iter().map(|s| (*s).to_owned()).collect(),
        outputs: outputs.iter().map(|s| (*s).to_owned()).collect(),
        efficiency: vec![f64::NAN; n],
        lambdas: DMatrix::zeros(n, n),
        input_slacks: DMatrix::zeros(n, inputs.len()),
        output_slacks: DMatrix::zeros(n, outputs.len()),
        unique: vec![true; n],
    };
    // The undominated units first, in blocks of `BLOCK` in the order of the
    // data, each block's units starting from the frontier units found in the
    // blocks before; then the others, starting from every frontier unit found.
    // A unit's programme depends only on the data and its starting columns,
    // which do not depend on the order in which the units of a block are
    // solved: the units of a block are solved in parallel (feature `rayon`)
    // with results identical to a serial run.
    let und = d.undominated();
    let mut frontier: Vec<usize> = d.seeds(&und);
    for block in und.chunks(BLOCK) {
        let start = frontier.clone();
        let solved = crate::lp::map_units(block, |k| d.unit(k, &start, units));
        for (&k, r) in block.iter().zip(solved) {
            let r = r?;
            if d.on_frontier(r.efficiency) && !frontier.contains(&k) {
                frontier.push(k);
            }
            res.store(k, r);
        }
        frontier.sort_unstable();
    }
    let rest: Vec<usize> = (0..n).filter(|k| und.binary_search(k).is_err()).collect();
    let second = crate::lp::map_units(&rest, |k| d.unit(k, &frontier, units));
    for (&k, r) in rest.iter().zip(second) {
        res.store(k, r?);
    }
    Ok(res)
}

/// One unit's solution: efficiency, uniqueness, lambdas of `cols`, slacks.
struct UnitSolution {
    efficiency: f64,
    unique: bool,
    cols: Vec<usize>,
    lambda: Vec<f64>,
    sx: Vec<f64>,
    sy: Vec<f64>,
}

impl DeaResults {
    fn store(&mut self, k: usize, r: UnitSolution) {
        self.efficiency[k] = r.efficiency;
        self.unique[k] = r.unique;
        for (c, &j) in r.cols.iter().enumerate() {
            self.lambdas[(k, j)] = r.lambda[c];
        }
        for (i, s) in r.sx.iter().enumerate() {
            self.input_slacks[(k, i)] = *s;
        }
        for (o, s) in r.sy.iter().enumerate() {
            self.output_slacks[(k, o)] = *s;
        }
    }
}

fn domain(units: &[String], u: usize, code: &str, v: f64, reason: &str) -> Error {
    Error::Domain {
        method: "dea",
        unit: units.get(u).cloned().unwrap_or_default(),
        node: "DEA".into(),
        child: code.into(),
        value: v,
        reason: reason.into(),
    }
}

struct Data {
    /// Inputs by unit.
    x: Vec<Vec<f64>>,
    /// Outputs by unit.
    y: Vec<Vec<f64>>,
    model: DeaModel,
}

impl Data {
    fn on_frontier(&self, e: f64) -> bool {
        (e - 1.0).abs() <= 1e-9
    }

    /// Units not dominated by another (no more of any input, no less of any
    /// output, and not identical); of identical units, the first.
    fn undominated(&self) -> Vec<usize> {
        let n = self.x.len();
        (0..n)
            .filter(|&k| {
                !(0..n).any(|l| {
                    if l == k {
                        return false;
                    }
                    let weakly = self.x[l].iter().zip(&self.x[k]).all(|(a, b)| a <= b)
                        && self.y[l].iter().zip(&self.y[k]).all(|(a, b)| a >= b);
                    let same = self.x[l] == self.x[k] && self.y[l] == self.y[k];
                    weakly && (!same || l < k)
                })
            })
            .collect()
    }

    /// Units on the frontier found without a programme: the maximisers, over a
    /// fixed set of non-negative weight directions `(v, u)` on the inputs and
    /// outputs (each scaled by its mean), of the ratio `u·y / v·x` (a supporting
    /// ray of the constant-returns frontier) and, for variable returns, of
    /// `u·y - v·x` (a supporting hyperplane of the convex hull with free
    /// disposal). Each such unit has score 1. Sorted; a subset of `und`.
    fn seeds(&self, und: &[usize]) -> Vec<usize> {
        let (m, s) = (self.x[0].len(), self.y[0].len());
        let mean = |v: &Vec<Vec<f64>>, i: usize| {
            let t: f64 = und.iter().map(|&k| v[k][i]).sum::<f64>() / und.len() as f64;
            if t > 0.0 { 1.0 / t } else { 1.0 }
        };
        let sx: Vec<f64> = (0..m).map(|i| mean(&self.x, i)).collect();
        let sy: Vec<f64> = (0..s).map(|r| mean(&self.y, r)).collect();
        // Directions: every pair of one input and one output, then points of a
        // Kronecker sequence (fractional parts of multiples of square roots of
        // primes) in the unit cube of the m + s weights.
        const ALPHA: [f64; 12] = [2f64, 3., 5., 7., 11., 13., 17., 19., 23., 29., 31., 37.];
        let dims = m + s;
        let mut dirs: Vec<Vec<f64>> = Vec::new();
        for i in 0..m {
            for r in 0..s {
                let mut w = vec![0.01; dims];
                w[i] = 1.0;
                w[m + r] = 1.0;
                dirs.push(w);
            }
        }
        for t in 1..=SEED_DIRECTIONS {
            dirs.push(
                (0..dims)
                    .map(|j| {
                        let a = ALPHA[j % ALPHA.len()].sqrt() * (1.0 + (j / ALPHA.len()) as f64);
                        0.05 + (t as f64 * a).fract()
                    })
                    .collect(),
            );
        }
        let mut seeds = Vec::new();
        let mut best = |score: &dyn Fn(usize) -> f64| {
            let mut top: Option<(f64, usize)> = None;
            for &k in und {
                let v = score(k);
                if v.is_finite() && top.is_none_or(|(b, _)| v > b) {
                    top = Some((v, k));
                }
            }
            if let Some((_, k)) = top {
                seeds.push(k);
            }
        };
        for w in &dirs {
            let vx = |k: usize| (0..m).map(|i| w[i] * sx[i] * self.x[k][i]).sum::<f64>();
            let uy = |k: usize| (0..s).map(|r| w[m + r] * sy[r] * self.y[k][r]).sum::<f64>();
            best(&|k| uy(k) / vx(k));
            if self.model.returns == Returns::Variable {
                best(&|k| uy(k) - vx(k));
            }
        }
        seeds.sort_unstable();
        seeds.dedup();
        seeds
    }

    /// Unit `k`'s programme solved from the starting columns `start` (see
    /// [`Data::phase1_generated`]), with its slacks.
    fn unit(&self, k: usize, start: &[usize], units: &[String]) -> Result<UnitSolution> {
        let (e, unique, lambda, cols) = self.phase1_generated(k, start, units)?;
        // Unique lambdas fix the slacks; otherwise the second phase picks the
        // lambdas of the largest slack sum, over the same columns.
        let (lambda, sx, sy) = if unique {
            self.slacks(k, &cols, e, lambda)
        } else {
            self.phase2(k, &cols, e, units)?
        };
        Ok(UnitSolution {
            efficiency: e,
            unique,
            cols,
            lambda,
            sx,
            sy,
        })
    }

    fn fail(&self, units: &[String], k: usize, phase: &str, message: String) -> Error {
        Error::Solver {
            context: format!(
                "DEA ({}, {phase}) for unit {:?}",
                self.model.name(),
                units.get(k).cloned().unwrap_or_default()
            ),
            message,
        }
    }

    /// First phase against the reference units `cols`: the efficiency, whether
    /// the optimal lambdas are unique, and the lambdas (of `cols`).
    fn phase1(
        &self,
        k: usize,
        cols: &[usize],
        units: &[String],
    ) -> Result<(f64, bool, Vec<f64>, Vec<f64>)> {
        let r = cols.len();
        let input = self.model.orientation == Orientation::Input;
        // Variables: e (theta or phi), lambda_1..lambda_r.
        let mut cost = vec![0.0; r + 1];
        cost[0] = if input { 1.0 } else { -1.0 };
        let mut lp = Lp::new(cost);
        for i in 0..self.x[k].len() {
            let mut a = Vec::with_capacity(r + 1);
            a.push(if input { -self.x[k][i] } else { 0.0 });
            a.extend(cols.iter().map(|&j| self.x[j][i]));
            lp.le(a, if input { 0.0 } else { self.x[k][i] });
        }
        for o in 0..self.y[k].len() {
            let mut a = Vec::with_capacity(r + 1);
            a.push(if input { 0.0 } else { self.y[k][o] });
            a.extend(cols.iter().map(|&j| -self.y[j][o]));
            lp.le(a, if input { -self.y[k][o] } else { 0.0 });
        }
        if self.model.returns == Returns::Variable {
            let mut a = vec![1.0; r + 1];
            a[0] = 0.0;
            lp.eq(a, 1.0);
        }
        for j in 1..=r {
            lp.nonneg(j);
        }
        match lp.solve() {
            Ok(Outcome::Optimal(opt)) => {
                let mut e = opt.x[0];
                if (e - 1.0).abs() <= 1e-10 {
                    e = 1.0;
                }
                Ok((
                    e,
                    opt.unique,
                    opt.x[1..].iter().map(|v| v.max(0.0)).collect(),
                    opt.duals,
                ))
            }
            Ok(other) => Err(self.fail(
                units,
                k,
                "scores",
                format!("the programme is {other:?}").to_lowercase(),
            )),
            Err(m) => Err(self.fail(units, k, "scores", m)),
        }
    }

    /// First phase by column generation: starting from the reference units
    /// `start` and `k`, adds every unit whose reduced cost at the optimum is
    /// negative or zero (to 1e-9) and solves again, until none is left out.
    /// The optimal set of the programme over every unit is then the one over
    /// the final columns (units left out have positive reduced costs, so zero
    /// lambdas in every optimum). Returns the efficiency, uniqueness, the
    /// lambdas and the columns.
    #[allow(clippy::type_complexity)]
    fn phase1_generated(
        &self,
        k: usize,
        start: &[usize],
        units: &[String],
    ) -> Result<(f64, bool, Vec<f64>, Vec<usize>)> {
        let n = self.x.len();
        let (m, s) = (self.x[k].len(), self.y[k].len());
        let mut cols: Vec<usize> = start.to_vec();
        if !cols.contains(&k) {
            cols.push(k);
        }
        cols.sort_unstable();
        loop {
            let (e, unique, lambda, duals) = self.phase1(k, &cols, units)?;
            // Rows: equality (BCC) first, then inputs, then outputs.
            let eq = usize::from(self.model.returns == Returns::Variable);
            // Units with a negative reduced cost (the most negative few per
            // round, by relative size); when there are none, those at zero.
            let mut negative: Vec<(f64, usize)> = Vec::new();
            let mut zero = Vec::new();
            for j in (0..n).filter(|j| cols.binary_search(j).is_err()) {
                let (mut rc, mut size) = (0.0, 0.0);
                if eq == 1 {
                    rc += duals[0];
                    size += duals[0].abs();
                }
                for i in 0..m {
                    rc += duals[eq + i] * self.x[j][i];
                    size += (duals[eq + i] * self.x[j][i]).abs();
                }
                for r in 0..s {
                    rc -= duals[eq + m + r] * self.y[j][r];
                    size += (duals[eq + m + r] * self.y[j][r]).abs();
                }
                let size = size.max(1e-300);
                if rc < -1e-9 * size {
                    negative.push((rc / size, j));
                } else if rc <= 1e-9 * size {
                    zero.push(j);
                }
            }
            negative.sort_by(|a, b| a.0.total_cmp(&b.0));
            let add: Vec<usize> = if negative.is_empty() {
                zero
            } else {
                negative.iter().take(8).map(|&(_, j)| j).collect()
            };
            if add.is_empty() || duals.len() != eq + m + s {
                if duals.len() != eq + m + s && cols.len() < n {
                    // No multipliers to price with: fall back to every unit.
                    let all: Vec<usize> = (0..n).collect();
                    let (e, unique, lambda, _) = self.phase1(k, &all, units)?;
                    return Ok((e, unique, lambda, all));
                }
                return Ok((e, unique, lambda, cols));
            }
            cols.extend(add);
            cols.sort_unstable();
        }
    }

    /// The slacks of lambdas (of `cols`) at efficiency `e`, which follow from
    /// them (exact balance); BCC lambdas are first scaled to sum to one.
    #[allow(clippy::type_complexity)]
    fn slacks(
        &self,
        k: usize,
        cols: &[usize],
        e: f64,
        mut lambda: Vec<f64>,
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let input = self.model.orientation == Orientation::Input;
        if self.model.returns == Returns::Variable {
            let sum: f64 = lambda.iter().sum();
            lambda.iter_mut().for_each(|l| *l /= sum);
        }
        let zero = |v: f64, scale: f64| if v <= 1e-10 * scale.max(1.0) { 0.0 } else { v };
        let sx = (0..self.x[k].len())
            .map(|i| {
                let used: f64 = cols
                    .iter()
                    .zip(&lambda)
                    .map(|(&j, l)| l * self.x[j][i])
                    .sum();
                let have = if input {
                    e * self.x[k][i]
                } else {
                    self.x[k][i]
                };
                zero(have - used, have)
            })
            .collect();
        let sy = (0..self.y[k].len())
            .map(|o| {
                let made: f64 = cols
                    .iter()
                    .zip(&lambda)
                    .map(|(&j, l)| l * self.y[j][o])
                    .sum();
                let need = if input {
                    self.y[k][o]
                } else {
                    e * self.y[k][o]
                };
                zero(made - need, need)
            })
            .collect();
        (lambda, sx, sy)
    }

    /// Second phase: the lambdas and slacks of the largest slack sum at
    /// efficiency `e`.
    #[allow(clippy::type_complexity)]
    fn phase2(
        &self,
        k: usize,
        cols: &[usize],
        e: f64,
        units: &[String],
    ) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
        let (r, m, s) = (cols.len(), self.x[k].len(), self.y[k].len());
        let input = self.model.orientation == Orientation::Input;
        let mut last = String::new();
        // The efficiency is exact to ~1e-12; if rounding makes the fixed-score
        // system infeasible, relax it by 1e-10.
        for relax in [0.0, 1e-10] {
            let e = if input {
                e * (1.0 + relax)
            } else {
                e * (1.0 - relax)
            };
            // Variables: lambda (r), s- (m), s+ (s). Maximise the slack sum.
            let mut cost = vec![0.0; r + m + s];
            cost[r..].iter_mut().for_each(|c| *c = -1.0);
            let mut lp = Lp::new(cost);
            for i in 0..m {
                // sum lambda x_ij + s-_i = (theta) x_io
                let mut a = vec![0.0; r + m + s];
                for (c, &j) in cols.iter().enumerate() {
                    a[c] = self.x[j][i];
                }
                a[r + i] = 1.0;
                lp.eq(
                    a,
                    if input {
                        e * self.x[k][i]
                    } else {
                        self.x[k][i]
                    },
                );
            }
            for o in 0..s {
                // sum lambda y_rj - s+_r = (phi) y_ro
                let mut a = vec![0.0; r + m + s];
                for (c, &j) in cols.iter().enumerate() {
                    a[c] = self.y[j][o];
                }
                a[r + m + o] = -1.0;
                lp.eq(
                    a,
                    if input {
                        self.y[k][o]
                    } else {
                        e * self.y[k][o]
                    },
                );
            }
            if self.model.returns == Returns::Variable {
                let mut a = vec![0.0; r + m + s];
                a[..r].iter_mut().for_each(|c| *c = 1.0);
                lp.eq(a, 1.0);
            }
            lp.all_nonneg();
            match lp.solve() {
                Ok(Outcome::Optimal(opt)) => {
                    let lambda = opt.x[..r].iter().map(|v| v.max(0.0)).collect();
                    return Ok(self.slacks(k, cols, e, lambda));
                }
                Ok(other) => last = format!("the programme is {other:?}").to_lowercase(),
                Err(msg) => last = msg,
            }
        }
        Err(self.fail(units, k, "slacks", last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn data() -> (Vec<String>, Vec<String>, DMatrix<f64>) {
        // One input, one output: A (2, 2), B (4, 3), C (4, 2), D (6, 3).
        let units = ["A", "B", "C", "D"].map(String::from).to_vec();
        let cols = ["x", "y"].map(String::from).to_vec();
        let m = DMatrix::from_row_slice(4, 2, &[2.0, 2.0, 4.0, 3.0, 4.0, 2.0, 6.0, 3.0]);
        (units, cols, m)
    }

    #[test]
    fn ccr_and_bcc_by_hand() {
        let (u, c, m) = data();
        let view = DataView::new(&u, &c, &m).unwrap();
        let ccr = dea(
            view,
            &["x"],
            &["y"],
            DeaModel::new(Returns::Constant, Orientation::Input),
        )
        .unwrap();
        // Best ratio y/x = 1 (A): B 0.75, C 0.5, D 0.5.
        for (e, want) in ccr.efficiency.iter().zip([1.0, 0.75, 0.5, 0.5]) {
            assert_relative_eq!(*e, want, max_relative = 1e-12);
        }
        assert_eq!(ccr.peers(1), vec![("A", 1.5)]);
        let out = dea(
            view,
            &["x"],
            &["y"],
            DeaModel::new(Returns::Constant, Orientation::Output),
        )
        .unwrap();
        for (a, b) in ccr.efficiency.iter().zip(&out.efficiency) {
            assert_relative_eq!(*a, 1.0 / b, max_relative = 1e-12);
        }
        let bcc = dea(
            view,
            &["x"],
            &["y"],
            DeaModel::new(Returns::Variable, Orientation::Input),
        )
        .unwrap();
        // VRS frontier A-B; C (4, 2) -> A uses 2: theta 0.5 ; D (6, 3) -> B: 4/6.
        assert_relative_eq!(bcc.efficiency[1], 1.0, max_relative = 1e-12);
        assert_relative_eq!(bcc.efficiency[2], 0.5, max_relative = 1e-12);
        assert_relative_eq!(bcc.efficiency[3], 4.0 / 6.0, max_relative = 1e-12);
        assert!(bcc.is_efficient(1) && !bcc.is_efficient(3));
        assert_eq!(bcc.describe(3, "D"), "D's frontier peers are B (1.00)");
        assert_eq!(bcc.describe(0, "A"), "A is on the frontier (efficient)");
    }

    #[test]
    fn slacks_and_degeneracy() {
        // Two inputs, one output of 1: A (1, 1), B (2, 1) weakly efficient with
        // slack on x1, C (3, 1) with two optimal peer sets (A or B).
        let units = ["A", "B", "C"].map(String::from).to_vec();
        let cols = ["x1", "x2", "y"].map(String::from).to_vec();
        let m = DMatrix::from_row_slice(3, 3, &[1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 1.0]);
        let view = DataView::new(&units, &cols, &m).unwrap();
        let r = dea(view, &["x1", "x2"], &["y"], DeaModel::default()).unwrap();
        assert_eq!(r.efficiency, vec![1.0, 1.0, 1.0]);
        assert!(!r.is_efficient(1));
        assert_relative_eq!(r.input_slacks[(1, 0)], 1.0, max_relative = 1e-10);
        // C's largest slack uses A: slack 2 on x1.
        assert_relative_eq!(r.input_slacks[(2, 0)], 2.0, max_relative = 1e-10);
        let peers = r.peers(2);
        assert_eq!(peers.len(), 1);
        assert_eq!(peers[0].0, "A");
        assert_relative_eq!(peers[0].1, 1.0, max_relative = 1e-12);
        assert!(r.unique[0] && !r.unique[2]);
    }

    /// Every number of a result as bits, to compare runs exactly.
    fn bits(r: &DeaResults) -> Vec<u64> {
        r.efficiency
            .iter()
            .chain(r.lambdas.iter())
            .chain(r.input_slacks.iter())
            .chain(r.output_slacks.iter())
            .map(|v| v.to_bits())
            .chain(r.unique.iter().map(|&u| u64::from(u)))
            .collect()
    }

    /// 90 units, 3 inputs and 2 outputs of small integers (so ties, duplicated
    /// units and degenerate programmes occur).
    fn integer_data() -> (Vec<String>, Vec<String>, DMatrix<f64>) {
        let n = 90;
        let units: Vec<String> = (0..n).map(|i| format!("U{i}")).collect();
        let cols = ["x1", "x2", "x3", "y1", "y2"].map(String::from).to_vec();
        let mut state: u64 = 0x2026_1203;
        let m = DMatrix::from_fn(n, 5, |_, _| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (1 + (state >> 33) % 12) as f64
        });
        (units, cols, m)
    }

    #[cfg(feature = "rayon")]
    #[test]
    fn identical_on_one_and_several_threads() {
        let (u, c, m) = integer_data();
        let view = DataView::new(&u, &c, &m).unwrap();
        let pool = |t: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap()
        };
        let (one, three) = (pool(1), pool(3));
        let mut degenerate = 0;
        for returns in [Returns::Constant, Returns::Variable] {
            for orientation in [Orientation::Input, Orientation::Output] {
                let model = DeaModel::new(returns, orientation);
                let run = || dea(view, &["x1", "x2", "x3"], &["y1", "y2"], model).unwrap();
                let a = one.install(run);
                let b = three.install(run);
                assert_eq!(bits(&a), bits(&b), "{}", model.name());
                degenerate += a.unique.iter().filter(|u| !**u).count();
            }
        }
        // The data do exercise the second phase.
        assert!(degenerate > 0);
    }

    #[test]
    fn bad_data_is_a_typed_error() {
        let (u, c, mut m) = data();
        m[(2, 1)] = f64::NAN;
        let view = DataView::new(&u, &c, &m).unwrap();
        let e = dea(view, &["x"], &["y"], DeaModel::default()).unwrap_err();
        assert!(
            matches!(e, Error::Domain { ref unit, .. } if unit == "C"),
            "{e}"
        );
        assert!(matches!(
            dea(view, &["x"], &["zz"], DeaModel::default()),
            Err(Error::UnknownCode { .. })
        ));
        assert!(matches!(
            dea(view, &["x"], &["x"], DeaModel::default()),
            Err(Error::InvalidParameter { .. })
        ));
    }
}
