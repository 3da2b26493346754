"""Overhead of the Python binding on one run of COINr's ASEM example (case A).

    python python/benches/overhead.py [PATH/TO/reference/asem]

Compares, in one process on the same compiled core: the Rust call
(``Pipeline::run`` looped in Rust), the same run called from Python
(``Pipeline.run()``, which returns a lazy Results), and the pandas conversions
around it. Results: BENCHMARKS.md, section "Python binding".
"""

import statistics
import sys
import timeit
from pathlib import Path

import pandas as pd

import composite_index as ci
from composite_index import _core

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import CASE_A_STEPS, SHARED  # noqa: E402


def best(stmt, number, repeat=7):
    """Median over repeats of the mean time per call, in seconds."""
    times = timeit.repeat(stmt, number=number, repeat=repeat)
    return statistics.median(t / number for t in times)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "reference" / "asem"
    imeta = pd.read_csv(folder / "iMeta.csv")
    idata = pd.read_csv(folder / "iData.csv")
    res = ci.run(CASE_A_STEPS, idata=idata, imeta=imeta)
    p = res.pipeline
    n = 2000
    rust = statistics.median(_core._bench_run(p._inner, n) for _ in range(7))
    py_run = best(p.run, n)
    frame = best(lambda: p.run()["aggregated"], 500)
    scores = best(lambda: p.run().scores("Index"), 500)
    full = best(lambda: ci.run(CASE_A_STEPS, idata=idata, imeta=imeta), 50)
    us = lambda s: f"{s * 1e6:9.1f} us"
    print(f"ASEM case A (51 units x 49 indicators, 6 steps), composite_index {ci.__version__}")
    print(f"  Rust Pipeline::run (loop in Rust)           {us(rust)}")
    print(f"  Python Pipeline.run()                       {us(py_run)}   {py_run / rust:.2f} x Rust")
    print(f"  Python run + scores('Index') as a Series    {us(scores)}   {scores / rust:.2f} x Rust")
    print(f"  Python run + res['aggregated'] DataFrame    {us(frame)}   {frame / rust:.2f} x Rust")
    print(f"  ci.run(spec, idata=, imeta=) from pandas     {us(full)}   (reads the tables, validates, runs)")


if __name__ == "__main__":
    main()
