//! Small dense linear programmes, solved by the Clarabel interior-point solver,
//! for the frontier methods (Benefit of the Doubt, DEA).
//!
//! A programme is `min c·x` subject to equality rows `a·x = b`, inequality rows
//! `a·x <= b` and, for chosen variables, `x_j >= 0`. Clarabel (Goulart and Chen
//! 2024, <https://arxiv.org/abs/2405.12762>) solves it to a relative gap of
//! 1e-10 (without iterative refinement, which these tiny programmes do not
//! need; if it cannot reach that, it is asked again with refinement, then at
//! its default 1e-8).
//!
//! **Polishing.** The solver's point is then made exact to rounding from its
//! active set (below): a unique optimum is replaced by the vertex solving the
//! active rows; otherwise the point is projected onto their affine set, on
//! which the objective is constant. Rows are scaled to unit norm and the
//! least-squares solution is refined on its residual, so the optimum's value
//! does not inherit the solver's tolerance (without this, an efficient unit's
//! DEA score could come out 0.99999997 on badly scaled data).
//!
//! **Uniqueness.** An interior-point method converges to the analytic centre of
//! the optimal face, so the returned primal-dual pair is strictly complementary
//! (Güler and Ye 1993, *Math. Programming* 60:215-228): every inequality has
//! either a positive multiplier or a positive slack. The rows with a positive
//! multiplier (told from the zero ones by El-Bakry, Tapia and Zhang's 1994
//! indicator `z_i > s_i`, taken on rows scaled to unit norm, `z_i |a_i|^2 >
//! s_i`, so that it does not depend on the data's units) are tight on the
//! whole optimal face, the others are
//! slack inside it, so the face's affine hull is `{x : a_i·x = b_i}` over the
//! equalities and those rows. The optimum is unique exactly when that system
//! fixes every variable: after dropping the variables held at zero by a bound
//! with a positive multiplier, the remaining columns have full rank. The rank
//! is taken from the singular values of the row-normalised system.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};
use nalgebra::DMatrix;

/// The solver's settings tried in turn: relative gap, and whether Clarabel
/// refines its linear solves iteratively. The first is the fastest (these
/// programmes are tiny and well within reach of 1e-10 without refinement; the
/// optimum is then polished to rounding, see [`Lp::solve`]); the others are
/// the fall-backs, with refinement, for a programme it does not solve.
const ATTEMPTS: [(f64, bool); 3] = [(1e-10, false), (1e-10, true), (1e-8, true)];

/// A linear programme in the form of the [module docs](self).
#[derive(Debug, Clone, Default)]
pub(crate) struct Lp {
    /// Number of variables.
    n: usize,
    /// Objective coefficients (minimised).
    cost: Vec<f64>,
    eq: Vec<Vec<f64>>,
    eq_rhs: Vec<f64>,
    le: Vec<Vec<f64>>,
    le_rhs: Vec<f64>,
    nonneg: Vec<bool>,
}

/// An optimal solution.
#[derive(Debug, Clone)]
pub(crate) struct Optimum {
    /// The variables.
    pub x: Vec<f64>,
    /// Multipliers of the equality rows then the inequality rows (those of
    /// inequalities non-negative): at the optimum, `c_j + sum_i y_i a_ij >= 0`
    /// for every variable `j >= 0`, with equality where `x_j > 0`, so the
    /// reduced cost of a column left out of the programme is that sum.
    pub duals: Vec<f64>,
    /// Whether the optimal `x` is unique (see the module docs).
    pub unique: bool,
}

/// What the solver concluded.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// An optimum was found.
    Optimal(Optimum),
    /// No `x` satisfies the constraints.
    Infeasible,
    /// The objective is unbounded below.
    Unbounded,
}

impl Lp {
    /// A programme in `n` variables with objective `cost` (minimised), no
    /// constraints and no bounds yet.
    pub(crate) fn new(cost: Vec<f64>) -> Self {
        let n = cost.len();
        Self {
            n,
            cost,
            nonneg: vec![false; n],
            ..Self::default()
        }
    }

    /// Adds `a·x = b`.
    pub(crate) fn eq(&mut self, a: Vec<f64>, b: f64) {
        debug_assert_eq!(a.len(), self.n);
        self.eq.push(a);
        self.eq_rhs.push(b);
    }

    /// Adds `a·x <= b`; returns the row's index among the inequality rows.
    pub(crate) fn le(&mut self, a: Vec<f64>, b: f64) -> usize {
        debug_assert_eq!(a.len(), self.n);
        self.le.push(a);
        self.le_rhs.push(b);
        self.le.len() - 1
    }

    /// Adds `x_j >= 0`.
    pub(crate) fn nonneg(&mut self, j: usize) {
        self.nonneg[j] = true;
    }

    /// Adds `x_j >= 0` for every variable.
    pub(crate) fn all_nonneg(&mut self) {
        self.nonneg.iter_mut().for_each(|b| *b = true);
    }

    fn settings(tol: f64, refine: bool) -> Option<DefaultSettings<f64>> {
        DefaultSettingsBuilder::default()
            .verbose(false)
            .presolve_enable(false)
            .iterative_refinement_enable(refine)
            .max_iter(200)
            .tol_gap_abs(tol)
            .tol_gap_rel(tol)
            .tol_feas(tol)
            .tol_ktratio((tol * 100.0).min(1e-6))
            .build()
            .ok()
    }

    /// Solves the programme.
    ///
    /// # Errors
    /// A message when the solver fails numerically (neither an optimum nor a
    /// certificate of infeasibility).
    pub(crate) fn solve(&self) -> Result<Outcome, String> {
        let bounds: Vec<usize> = (0..self.n).filter(|&j| self.nonneg[j]).collect();
        let (n_eq, n_le) = (self.eq.len(), self.le.len());
        let m = n_eq + n_le + bounds.len();
        // Column-major assembly of A (rows: equalities, inequalities, bounds).
        let mut colptr = Vec::with_capacity(self.n + 1);
        let mut rowval = Vec::new();
        let mut nzval = Vec::new();
        for j in 0..self.n {
            colptr.push(rowval.len());
            for (i, row) in self.eq.iter().chain(&self.le).enumerate() {
                if row[j] != 0.0 {
                    rowval.push(i);
                    nzval.push(row[j]);
                }
            }
            if let Ok(k) = bounds.binary_search(&j) {
                rowval.push(n_eq + n_le + k);
                nzval.push(-1.0);
            }
        }
        colptr.push(rowval.len());
        let a = CscMatrix::new(m, self.n, colptr, rowval, nzval);
        let p = CscMatrix::<f64>::zeros((self.n, self.n));
        let mut b = Vec::with_capacity(m);
        b.extend_from_slice(&self.eq_rhs);
        b.extend_from_slice(&self.le_rhs);
        b.resize(m, 0.0);
        let mut cones = Vec::with_capacity(2);
        if n_eq > 0 {
            cones.push(SupportedConeT::ZeroConeT(n_eq));
        }
        if m > n_eq {
            cones.push(SupportedConeT::NonnegativeConeT(m - n_eq));
        }
        // Tolerances tried in turn: the optimum at the first that is met; if none
        // is met, the reduced-accuracy optimum of the tightest.
        let mut last = String::new();
        let mut almost: Option<Optimum> = None;
        for (tol, refine) in ATTEMPTS {
            let settings = Self::settings(tol, refine).ok_or("invalid solver settings")?;
            let mut solver = DefaultSolver::new(&p, &self.cost, &a, &b, &cones, settings)
                .map_err(|e| e.to_string())?;
            solver.solve();
            let sol = &solver.solution;
            let finite = sol.x.iter().all(|v| v.is_finite());
            match sol.status {
                SolverStatus::Solved if finite => {
                    let mut o = self.optimum(&sol.x, &sol.z[n_eq..], &sol.s[n_eq..], &bounds, true);
                    o.duals = sol.z[..n_eq + n_le].to_vec();
                    return Ok(Outcome::Optimal(o));
                }
                SolverStatus::AlmostSolved if finite => {
                    if almost.is_none() {
                        let mut o =
                            self.optimum(&sol.x, &sol.z[n_eq..], &sol.s[n_eq..], &bounds, false);
                        o.duals = sol.z[..n_eq + n_le].to_vec();
                        almost = Some(o);
                    }
                }
                SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
                    return Ok(Outcome::Infeasible);
                }
                SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => {
                    return Ok(Outcome::Unbounded);
                }
                other => last = format!("{other:?} after {} iterations", sol.iterations),
            }
        }
        if let Some(o) = almost {
            return Ok(Outcome::Optimal(o));
        }
        Err(format!(
            "the interior-point solver stopped with status {last}"
        ))
    }

    /// The optimum from the solver's point; `accurate` is false for a
    /// reduced-accuracy solution, which is then also polished from its support.
    fn optimum(
        &self,
        x: &[f64],
        z: &[f64],
        s: &[f64],
        bounds: &[usize],
        accurate: bool,
    ) -> Optimum {
        let n_le = self.le.len();
        // El-Bakry's indicator on rows scaled to unit norm (a row scaled by
        // `c` has its slack times `c` and its multiplier over `c`), so that
        // badly scaled data do not hide an active row.
        let sq: Vec<f64> = self
            .le
            .iter()
            .map(|a| a.iter().map(|v| v * v).sum::<f64>())
            .collect();
        let active = |i: usize| z[i] * sq.get(i).copied().unwrap_or(1.0) > s[i];
        let mut fixed = vec![false; self.n];
        for (k, &j) in bounds.iter().enumerate() {
            fixed[j] = active(n_le + k);
        }
        let free: Vec<usize> = (0..self.n).filter(|&j| !fixed[j]).collect();
        let rows: Vec<&Vec<f64>> = self
            .eq
            .iter()
            .chain((0..n_le).filter(|&i| active(i)).map(|i| &self.le[i]))
            .collect();
        let unique = free.is_empty() || full_column_rank(&rows, &free);
        let rhs: Vec<f64> = self
            .eq_rhs
            .iter()
            .copied()
            .chain((0..n_le).filter(|&i| active(i)).map(|i| self.le_rhs[i]))
            .collect();
        // A unique optimum is the vertex of the active rows; otherwise `x` is
        // projected onto the affine hull of the optimal face (on which the
        // objective is constant), which makes the objective exact to rounding.
        let mut polished = if unique {
            self.polish(x, &rows, &rhs, &free, false)
        } else {
            self.polish(x, &rows, &rhs, &free, true)
        };
        if polished.is_none() && (!accurate || !unique) {
            polished = self.polish_support(x);
        }
        let x = polished.unwrap_or_else(|| x.to_vec());
        Optimum {
            x,
            duals: Vec::new(),
            unique,
        }
    }
}

impl Lp {
    /// The solution of the active rows on the free columns (the others zero),
    /// to machine precision, kept only if it is feasible and no worse than the
    /// solver's `x`. With `project`, the point of that affine set nearest to
    /// `x` (`x + A⁺(b - A x)`, for a set of several points); otherwise its
    /// least-squares solution (the vertex of a unique optimum).
    fn polish(
        &self,
        x: &[f64],
        rows: &[&Vec<f64>],
        rhs: &[f64],
        free: &[usize],
        project: bool,
    ) -> Option<Vec<f64>> {
        let mut m = DMatrix::zeros(rows.len(), free.len());
        for (i, r) in rows.iter().enumerate() {
            for (k, &j) in free.iter().enumerate() {
                m[(i, k)] = r[j];
            }
        }
        let xf = nalgebra::DVector::from_iterator(free.len(), free.iter().map(|&j| x[j]));
        let mut b = nalgebra::DVector::from_column_slice(rhs);
        if project {
            b -= &m * &xf;
        }
        // Rows scaled to unit norm (the data's units can differ by orders of
        // magnitude), then the least-squares solution refined twice on its
        // residual: the vertex is then exact to rounding, not to the SVD's
        // accuracy on an ill-conditioned system.
        for i in 0..m.nrows() {
            let norm = m.row(i).norm();
            if norm > 0.0 {
                m.row_mut(i).unscale_mut(norm);
                b[i] /= norm;
            }
        }
        let svd = m.clone().svd(true, true);
        let mut sol = svd.solve(&b, 1e-14).ok()?;
        for _ in 0..2 {
            let r = &b - &m * &sol;
            sol += svd.solve(&r, 1e-14).ok()?;
        }
        if project {
            sol += xf;
        }
        let mut p = vec![0.0; self.n];
        for (k, &j) in free.iter().enumerate() {
            p[j] = sol[k];
        }
        let dot = |a: &[f64], v: &[f64]| a.iter().zip(v).map(|(x, y)| x * y).sum::<f64>();
        let tol = |b: f64| 1e-9 * (1.0 + b.abs());
        let feasible = (0..self.n).all(|j| !self.nonneg[j] || p[j] >= -1e-10)
            && self
                .eq
                .iter()
                .zip(&self.eq_rhs)
                .all(|(a, &b)| (dot(a, &p) - b).abs() <= tol(b))
            && self
                .le
                .iter()
                .zip(&self.le_rhs)
                .all(|(a, &b)| dot(a, &p) <= b + tol(b));
        let (new, old) = (dot(&self.cost, &p), dot(&self.cost, x));
        // The solver's point may be infeasible by about its tolerance, so its
        // objective may beat the true optimum by about that much (1e-9
        // relative was seen): the polished point must be no worse to 1e-7.
        (feasible && new <= old + 1e-7 * (1.0 + old.abs())).then(|| {
            for (j, v) in p.iter_mut().enumerate() {
                if self.nonneg[j] {
                    *v = v.max(0.0);
                }
            }
            p
        })
    }
}

impl Lp {
    /// A solution of reduced accuracy refined on its support: the variables
    /// clearly above zero (or free) and the rows clearly tight at `x`.
    fn polish_support(&self, x: &[f64]) -> Option<Vec<f64>> {
        let top = x.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
        let free: Vec<usize> = (0..self.n)
            .filter(|&j| !self.nonneg[j] || x[j] > 1e-7 * top)
            .collect();
        let dot = |a: &[f64]| a.iter().zip(x).map(|(p, q)| p * q).sum::<f64>();
        let tight: Vec<usize> = (0..self.le.len())
            .filter(|&i| self.le_rhs[i] - dot(&self.le[i]) <= 1e-7 * (1.0 + self.le_rhs[i].abs()))
            .collect();
        let rows: Vec<&Vec<f64>> = self
            .eq
            .iter()
            .chain(tight.iter().map(|&i| &self.le[i]))
            .collect();
        let rhs: Vec<f64> = self
            .eq_rhs
            .iter()
            .copied()
            .chain(tight.iter().map(|&i| self.le_rhs[i]))
            .collect();
        if rows.is_empty() || free.is_empty() {
            return None;
        }
        self.polish(x, &rows, &rhs, &free, true)
    }
}

/// Units from which the per-unit programmes are solved in parallel (feature
/// `rayon`); below it the thread hand-off costs more than it saves.
#[cfg(feature = "rayon")]
const PARALLEL_UNITS: usize = 8;

/// `f(k)` for every unit `k` of `units`, in their order. With the `rayon`
/// feature the units are processed in parallel; each result depends only on
/// its unit (and data shared by all), so the output is identical on any
/// number of threads.
pub(crate) fn map_units<T: Send>(units: &[usize], f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    #[cfg(feature = "rayon")]
    if units.len() >= PARALLEL_UNITS {
        use rayon::prelude::*;
        return units.par_iter().map(|&k| f(k)).collect();
    }
    units.iter().map(|&k| f(k)).collect()
}

/// Whether the rows restricted to `cols` have rank `cols.len()`.
fn full_column_rank(rows: &[&Vec<f64>], cols: &[usize]) -> bool {
    if rows.len() < cols.len() {
        return false;
    }
    let mut m = DMatrix::zeros(rows.len(), cols.len());
    for (i, r) in rows.iter().enumerate() {
        let norm = cols.iter().map(|&j| r[j] * r[j]).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (k, &j) in cols.iter().enumerate() {
                m[(i, k)] = r[j] / norm;
            }
        }
    }
    let sv = m.singular_values();
    let max = sv.iter().fold(0.0_f64, |a, &b| a.max(b));
    let tol = 1e-9 * max.max(1.0) * (rows.len().max(cols.len()) as f64);
    sv.iter().filter(|&&v| v > tol).count() == cols.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn optimum(lp: &Lp) -> Optimum {
        match lp.solve().unwrap() {
            Outcome::Optimal(o) => o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unique_vertex() {
        // max x + 2y s.t. x + y <= 1, x, y >= 0: y = 1.
        let mut lp = Lp::new(vec![-1.0, -2.0]);
        lp.le(vec![1.0, 1.0], 1.0);
        lp.all_nonneg();
        let o = optimum(&lp);
        assert!(
            (o.x[0]).abs() < 1e-9 && (o.x[1] - 1.0).abs() < 1e-9,
            "{:?}",
            o.x
        );
        assert!(o.unique);
    }

    #[test]
    fn tied_objective_is_not_unique() {
        // max x + y s.t. x + y <= 1: the whole edge is optimal.
        let mut lp = Lp::new(vec![-1.0, -1.0]);
        lp.le(vec![1.0, 1.0], 1.0);
        lp.all_nonneg();
        let o = optimum(&lp);
        assert!((o.x[0] + o.x[1] - 1.0).abs() < 1e-9);
        assert!(!o.unique);
    }

    #[test]
    fn equalities_infeasible_and_unbounded() {
        let mut lp = Lp::new(vec![1.0, 0.0]);
        lp.eq(vec![1.0, 1.0], 2.0);
        lp.le(vec![0.0, 1.0], 0.5);
        lp.all_nonneg();
        let o = optimum(&lp);
        assert!((o.x[0] - 1.5).abs() < 1e-9 && o.unique);

        let mut lp = Lp::new(vec![1.0]);
        lp.le(vec![1.0], -1.0);
        lp.nonneg(0);
        assert!(matches!(lp.solve().unwrap(), Outcome::Infeasible));

        let mut lp = Lp::new(vec![-1.0]);
        lp.nonneg(0);
        assert!(matches!(lp.solve().unwrap(), Outcome::Unbounded));
    }
}
