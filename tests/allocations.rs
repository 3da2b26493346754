//! Heap allocations of Monte Carlo runs in the steady state, counted with a
//! counting global allocator installed in this test binary only (the library has
//! no unsafe code; the `unsafe impl GlobalAlloc` below is the one use the Rust
//! allocator interface requires).
//!
//! The design is COINr's uncertainty vignette (winmax 1 to 5, min-max or z-score,
//! weight noise at levels 2 and 3, arithmetic or geometric mean) on ASEM-sized
//! synthetic data, run serially through [`MonteCarloRunner`]: after warming up
//! (every option met at least once), further runs must not allocate.

#[path = "../benches/common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use composite_index::prelude::*;
use composite_index::uncertainty::*;

/// The system allocator, counting the allocations and reallocations of the
/// threads that switch counting on (other tests run on other threads).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Const-initialised and without destructor: reading it never allocates.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator, which upholds
// the `GlobalAlloc` contract; the counter has no effect on the memory returned.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's pointer, layout and size.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Runs `runs` Monte Carlo runs from `first` and returns the allocations they made.
fn count_runs(
    runner: &mut MonteCarloRunner<'_>,
    first: usize,
    runs: usize,
    u: &mut [f64],
    out: &mut [f64],
    checksum: &mut f64,
) -> usize {
    let before = allocations();
    COUNTING.with(|c| c.set(true));
    for r in first..first + runs {
        runner.draws(r, u);
        if runner.run(u, out).is_err() {
            *checksum = f64::NAN;
        }
        *checksum += out[0];
    }
    COUNTING.with(|c| c.set(false));
    allocations() - before
}

#[test]
fn monte_carlo_runs_do_not_allocate_in_the_steady_state() {
    for (n, k, per, steps) in [
        (51, 49, 6, common::vignette_steps()),
        (139, 78, 4, common::vignette_steps()),
    ] {
        let (fw, data) = common::synthetic(n, k, per);
        let pipeline = Pipeline::new(IndexSpec::new(fw, steps), data).expect("valid pipeline");
        let spec = UncertaintySpec::new(common::vignette_inputs())
            .runs(1000)
            .seed(1);
        let mut runner = MonteCarloRunner::new(&pipeline, &spec).expect("runner");
        let mut u = vec![0.0; runner.n_inputs()];
        let mut out = vec![0.0; runner.width()];
        let mut checksum = 0.0;
        // Warm-up: every option of every input is met in the first 200 runs.
        let warm = count_runs(&mut runner, 0, 200, &mut u, &mut out, &mut checksum);
        assert!(warm > 0, "the warm-up allocates its buffers");
        let steady = count_runs(&mut runner, 200, 800, &mut u, &mut out, &mut checksum);
        assert!(checksum.is_finite());
        assert_eq!(
            steady, 0,
            "{n} x {k}: {steady} allocations in 800 Monte Carlo runs after warming up"
        );
    }
}

/// The runner gives the same scores as the analysis it stands for.
#[test]
fn runner_matches_the_uncertainty_analysis() {
    let (fw, data) = common::synthetic(51, 49, 6);
    let pipeline =
        Pipeline::new(IndexSpec::new(fw, common::vignette_steps()), data).expect("valid pipeline");
    let mut spec = UncertaintySpec::new(common::vignette_inputs())
        .runs(50)
        .seed(7);
    spec.keep_distribution = true;
    let ua = uncertainty_analysis(&pipeline, &spec, Execution::Serial, None).expect("ua");
    let mut runner = MonteCarloRunner::new(&pipeline, &spec).expect("runner");
    let mut u = vec![0.0; runner.n_inputs()];
    let mut out = vec![0.0; runner.width()];
    let ranks = ua.nodes[0].distribution.as_ref().expect("distribution");
    for (r, expected) in ranks.iter().enumerate() {
        runner.draws(r, &mut u);
        runner.run(&u, &mut out).expect("run");
        let ours = composite_index::stats::rank_desc(&out);
        for (a, b) in ours.iter().zip(expected) {
            assert_eq!(a.map_or(f64::NAN, f64::from).to_bits(), b.to_bits());
        }
    }
}
