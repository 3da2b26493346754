"""Scoring 10 million units with Dask: an exact reduce, then a map over chunks.

    python python/examples/dask_scoring.py [UNITS] [PARTITIONS] [WORKERS]

Indices of sub-national grids or firm populations reach 10^7-10^8 units, more
than one process should hold. Scoring splits into two phases:

1. **fit** (a reduce): the parameters that depend on the whole population are
   computed from per-chunk summaries. Min-max normalisation needs only each
   indicator's minimum and maximum, which merge *exactly* across chunks
   (``min(min_1, ..., min_k)``), so the fitted bounds are the very bounds a
   single process would find.
2. **score** (a map): each chunk is scored on its own by the Rust core with
   those parameters frozen. The fitted pipeline (``ci.FittedPipeline``) does
   this: min-max normalisation fitted on a two-row reference data set, the
   merged minima and maxima, has exactly the population's bounds as its
   parameters; ``fitted.apply(chunk)`` then scores any chunk against them
   (``100 (x - min) / (max - min)``, reversed for a "bad" indicator) with
   weighted arithmetic means, which need no other unit. The fitted pipeline
   pickles (as its JSON), so Dask ships it to the workers as is.

The example then checks that the scores Dask computed for some chunks equal, to
the last bit, a single-process application of the same fitted pipeline and a plain run
with the population's bounds on those units, and
that the merged summaries equal numpy's on the same units.

Which methods merge exactly across chunks, and which need a fitted reference:

=============================================  ==================================
exact from per-chunk summaries                 min, max, count: min-max,
                                               goalposts and distance-to-max
                                               parameters; every unit-local step
                                               (denominate, screening by missing
                                               data, arithmetic, geometric and
                                               harmonic means, fixed-parameter
                                               normalisations such as scaled)
mergeable to rounding (sums in another order)  mean, variance: z-scores, mean and
                                               group-mean imputation
need a fitted reference (a sample or a         medians and quantiles (median
second pass over all the data)                 imputation), ranks, percentile
                                               ranks, Borda, Copeland,
                                               skewness/kurtosis-based outlier
                                               treatment (winsorisation), EM
                                               imputation
=============================================  ==================================

For a method that does not merge exactly (a median, a skewness-based
treatment), fit the pipeline on a sample instead: ``ci.fit(spec, data=sample)``,
then map ``apply`` over the chunks exactly as below.
"""

from __future__ import annotations

import sys
import time
from typing import Dict, List, Tuple

import numpy as np
import pandas as pd

import composite_index as ci

INDICATORS = [f"x{i}" for i in range(1, 9)]
PILLARS = {"P1": INDICATORS[:4], "P2": INDICATORS[4:]}
BAD = {"x3", "x7"}  # lower is better
SEED = 20261203


def make_chunk(i: int, n: int) -> pd.DataFrame:
    """Synthetic units of chunk ``i`` (deterministic: the same on every run)."""
    rng = np.random.default_rng([SEED, i])
    latent = rng.normal(size=n)
    cols: Dict[str, np.ndarray] = {"uCode": np.array([f"U{i:04d}{j:07d}" for j in range(n)], dtype=object)}
    for k, code in enumerate(INDICATORS):
        x = 50 + 10 * (0.6 * latent + 0.8 * rng.normal(size=n)) + k
        if k % 3 == 0:
            x = np.exp(x / 25)  # a skewed indicator
        cols[code] = x
    return pd.DataFrame(cols)


def summarise(chunk: pd.DataFrame) -> pd.DataFrame:
    """Per-chunk summaries that merge exactly: min, max and count of each indicator."""
    x = chunk[INDICATORS]
    return pd.DataFrame({"min": x.min(), "max": x.max(), "count": x.count()}).reset_index(names="iCode")


def merge(summaries: pd.DataFrame) -> pd.DataFrame:
    """Merges per-chunk summaries: min of the minima, max of the maxima, sum of the counts."""
    return summaries.groupby("iCode").agg({"min": "min", "max": "max", "count": "sum"}).loc[INDICATORS]


def fit(bounds: pd.DataFrame) -> ci.FittedPipeline:
    """The scoring pipeline fitted on the population's merged bounds.

    Min-max normalisation learns each indicator's minimum and maximum; fitted
    on a reference of two rows, the merged minima and maxima, they are exactly
    the population's, as a single process would find them.
    """
    nodes = [{"code": "Index"}]
    for p, members in PILLARS.items():
        nodes.append({"code": p, "parent": "Index"})
        nodes += [{"code": c, "parent": p, "direction": -1 if c in BAD else 1} for c in members]
    spec = ci.IndexSpec.from_dict(
        {
            "spec_version": 1,
            "name": "Synthetic grid index (fitted)",
            "framework": {"nodes": nodes},
            "steps": [
                {"stage": "normalise", "default": {"method": "min_max", "lo": 0, "hi": 100}},
                {"stage": "aggregate", "default": {"method": "arithmetic_mean"}},
            ],
        }
    )
    reference = ci.Dataset(
        ["min", "max"], INDICATORS, np.vstack([bounds["min"].to_numpy(), bounds["max"].to_numpy()])
    )
    return ci.Pipeline(spec, reference).fit()


def score(chunk: pd.DataFrame, fitted: ci.FittedPipeline) -> pd.DataFrame:
    """Scores one chunk with the frozen parameters (the Rust core, GIL released)."""
    data = ci.Dataset.from_frame(chunk, indicators=INDICATORS)
    res = fitted.apply_final_only(data)
    return pd.DataFrame({"uCode": res.unit_codes, **{n: res.scores(n).to_numpy() for n in ("P1", "P2", "Index")}})


def main() -> None:
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    units = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    parts = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    sizes = [units // parts + (1 if i < units % parts else 0) for i in range(parts)]
    meta_chunk = make_chunk(0, 2)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster):
        t0 = time.perf_counter()
        ddf = dd.from_map(make_chunk, range(parts), sizes, meta=meta_chunk.iloc[:0], enforce_metadata=False)
        # 1. fit: an exact reduce of per-chunk summaries.
        summaries = ddf.map_partitions(summarise, meta=summarise(meta_chunk).iloc[:0]).compute()
        bounds = merge(summaries)
        fitted = fit(bounds)
        t1 = time.perf_counter()
        # 2. score: a map over chunks with the fitted parameters.
        meta_scores = score(meta_chunk, fit(merge(summarise(meta_chunk))))
        scores = ddf.map_partitions(score, fitted, meta=meta_scores.iloc[:0])
        stats = dask.compute(scores["Index"].count(), scores["Index"].mean(), scores["Index"].max())
        t2 = time.perf_counter()

        # Check: some chunks scored by Dask against one process on the same units.
        check = sorted({0, parts // 2, parts - 1})
        dask_part = scores.partitions[check].compute().reset_index(drop=True)
        raw = pd.concat([make_chunk(i, sizes[i]) for i in check], ignore_index=True)
        single = score(raw, fitted)
        # The same units scored in one pass by a plain run whose min-max bounds
        # are the population's: the reference rows added to the units, then
        # dropped (min-max of the union is the population's range).
        ref_frame = pd.DataFrame({"uCode": ["min", "max"], **{c: [bounds.loc[c, "min"], bounds.loc[c, "max"]] for c in INDICATORS}})
        plain = ci.Pipeline(fitted.spec, ci.Dataset.from_frame(pd.concat([ref_frame, raw], ignore_index=True), indicators=INDICATORS)).run_final_only()
        plain_index = plain.scores("Index").to_numpy()[2:]
        t3 = time.perf_counter()
        # The merged summaries are exact: they equal Dask's own reductions.
        whole = dask.compute(ddf[INDICATORS].min(), ddf[INDICATORS].max())

    assert stats[0] == units, f"{stats[0]} units scored, expected {units}"
    assert dask_part["uCode"].equals(single["uCode"])
    for c in ("P1", "P2", "Index"):
        a, b = dask_part[c].to_numpy(), single[c].to_numpy()
        assert np.array_equal(a, b), f"{c}: Dask and single-process scores differ"
    assert np.array_equal(single["Index"].to_numpy(), plain_index), "fitted and plain runs differ"
    # The frozen min-max parameters are the population's bounds (negated, and
    # swapped, for a "bad" indicator, whose direction is applied first).
    for c, p in zip(INDICATORS, fitted.steps[0]["columns"]):
        lo, hi = bounds.loc[c, "min"], bounds.loc[c, "max"]
        assert (p["min"], p["max"]) == ((-hi, -lo) if c in BAD else (lo, hi)), c
    assert np.array_equal(bounds["min"].to_numpy(), whole[0].to_numpy())
    assert np.array_equal(bounds["max"].to_numpy(), whole[1].to_numpy())
    assert (bounds["count"] == units).all()

    print(f"Scored {units:,} units in {parts} chunks on a local Dask cluster of {workers} worker processes.")
    print(f"  fit (reduce of per-chunk min/max/count): {t1 - t0:.2f} s")
    print(f"  score (map over chunks, Rust core):      {t2 - t1:.2f} s")
    print(f"  Index: mean {stats[1]:.4f}, max {stats[2]:.4f}")
    print(f"Check: {len(single):,} units of chunks {check} scored in one process with the same fitted pipeline: "
          f"bit-identical to Dask's scores, and to a plain run on those units with the population's bounds ({t3 - t2:.2f} s).")


if __name__ == "__main__":
    main()
