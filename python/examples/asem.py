"""COINr's example index (ASEM Sustainable Connectivity, 51 countries) rebuilt
in Python, with the top 10 and their rank intervals under uncertainty.

    python python/examples/asem.py [PATH/TO/reference/asem] [RUNS]

The data are COINr's iData and iMeta tables (../shared/reference/asem from the
repository root by default). The pipeline is COINr's example: denominate,
impute by group mean, screen, treat outliers, min-max [0, 100], arithmetic
means. The uncertainty analysis is COINr's vignette design: winsorisation
limit 1 to 5, min-max versus z-scores, 25% noise on the weights of pillars and
sub-indices, arithmetic versus geometric means.
"""

import sys
import time
from pathlib import Path

import pandas as pd

import composite_index as ci

HERE = Path(__file__).resolve()
DEFAULT = HERE.parents[3] / "shared" / "reference" / "asem"

SPEC = """
spec_version = 1
name = "ASEM Sustainable Connectivity (COINr's example)"

[[steps]]
stage = "denominate"          # the Denominator column of iMeta

[[steps]]
stage = "impute"
method = { method = "group_mean", group = "EurAsia_group" }

[[steps]]
stage = "screen"
by = { by = "missing_data", dat_thresh = 0.9 }

[[steps]]
stage = "treat"               # COINr's defaults: winsorise up to 5 points, then log_ct

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"""

UNCERTAINTY = {
    "seed": 42,
    "inputs": [
        {"kind": "winmax", "step": "treat", "values": [1, 2, 3, 4, 5]},
        {
            "kind": "alternatives",
            "label": "normalisation",
            "step": "normalise",
            "alternatives": [
                {"stage": "normalise", "default": {"method": "min_max", "lo": 1, "hi": 100}},
                {"stage": "normalise", "default": {"method": "z_score", "mean": 10, "sd": 2}},
            ],
        },
        {"kind": "weight_noise", "level": 2, "factor": 0.25},
        {"kind": "weight_noise", "level": 3, "factor": 0.25},
        {
            "kind": "alternatives",
            "label": "aggregation",
            "step": "aggregate",
            "alternatives": [
                {"stage": "aggregate", "default": {"method": "arithmetic_mean"}},
                {"stage": "aggregate", "default": {"method": "geometric_mean"}},
            ],
        },
    ],
}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    if not (folder / "iData.csv").is_file():
        sys.exit(f"COINr's ASEM tables not found in {folder}; pass the folder holding iData.csv and iMeta.csv")
    imeta = pd.read_csv(folder / "iMeta.csv")
    idata = pd.read_csv(folder / "iData.csv")

    t0 = time.perf_counter()
    res = ci.run(SPEC, idata=idata, imeta=imeta)
    t1 = time.perf_counter()
    ua = ci.uncertainty_analysis(res.pipeline, dict(UNCERTAINTY, runs=runs), progress=sys.stderr.isatty())
    t2 = time.perf_counter()

    print(f"{res.pipeline.spec.name}: {len(res.unit_codes)} countries, {len(res.datasets) - 1} steps "
          f"(built in {1000 * (t1 - t0):.1f} ms)")
    print(f"Uncertainty: {ua.runs} runs ({len(ua.failed)} failed) in {t2 - t1:.2f} s; inputs: {', '.join(ua.inputs)}\n")
    top = res.ranking("Index").head(10)
    iv = ua.intervals("Index").set_index("uCode")
    print(f"{'rank':>4}  {'country':<16} {'score':>6}  {'median':>6}  {'90% rank interval':>17}")
    for _, row in top.iterrows():
        u = iv.loc[row["uCode"]]
        print(f"{row['rank']:>4}  {row['uName']:<16} {row['score']:6.2f}  {u['median_rank']:6.1f}  "
              f"{u['q05_rank']:7.1f} to {u['q95_rank']:5.1f}")


if __name__ == "__main__":
    main()
