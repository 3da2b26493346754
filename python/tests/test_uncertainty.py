"""Uncertainty and sensitivity analyses: the numbers of the Rust API, to the bit.

The command line is the Rust API (``uncertainty::uncertainty_analysis``) with
its results written by serde_json, so its ``uncertainty.json`` and the Python
results written by the same serde code must be the same text.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import composite_index as ci
from conftest import CASE_A_STEPS, REPO

ANALYSIS = """
runs = 120
seed = 2024
keep_distribution = true
targets = ["Index", "Conn"]

[[inputs]]
kind = "weight_noise"
level = 2
factor = 0.25

[[inputs]]
kind = "winmax"
step = "treat"
values = [1, 2, 3, 4, 5]

[[inputs]]
kind = "alternatives"
label = "normalisation"
step = "normalise"
alternatives = [
  { stage = "normalise", default = { method = "min_max", lo = 1, hi = 100 } },
  { stage = "normalise", default = { method = "z_score", mean = 10, sd = 2 } },
]
"""


def cli() -> Path:
    """The command-line tool built from this repository."""
    env = os.environ.get("COMPOSITE_INDEX_CLI")
    candidates = [Path(env)] if env else []
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    candidates += [target / "debug" / "composite-index", target / "release" / "composite-index"]
    for c in candidates:
        if c.is_file():
            return c
    message = "the composite-index command line is not built (cargo build --features cli); Rust comparison not run"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def pipeline(asem_tables):
    imeta, idata = asem_tables
    return ci.run(CASE_A_STEPS, idata=idata, imeta=imeta).pipeline


def test_uncertainty_and_sobol_are_bit_identical_to_rust(pipeline, asem_dir, tmp_path):
    exe = cli()
    (tmp_path / "spec.toml").write_text(CASE_A_STEPS + "\n[framework]\nnodes = []\n")
    (tmp_path / "ua.toml").write_text(ANALYSIS)
    out = tmp_path / "out"
    subprocess.run(
        [
            str(exe), "uncertainty", str(tmp_path / "spec.toml"),
            "--imeta", str(asem_dir / "iMeta.csv"), "--idata", str(asem_dir / "iData.csv"),
            "--analysis", str(tmp_path / "ua.toml"), "--out", str(out),
            "--sobol", "32", "--bootstrap", "40", "--quiet",
        ],
        check=True,
        capture_output=True,
    )
    ua = ci.uncertainty_analysis(pipeline, ANALYSIS)
    assert ua.to_json() == (out / "uncertainty.json").read_text()
    spec = ci.UncertaintySpec.from_toml(ANALYSIS).to_dict()
    sa = ci.sensitivity_analysis(
        pipeline,
        {"n": 32, "seed": spec["seed"], "bootstrap": 40, "inputs": spec["inputs"], "target": "Index"},
    )
    assert sa.to_json() == (out / "sensitivity.json").read_text()


def test_same_seed_same_numbers_on_any_thread_count(pipeline):
    serial = ci.uncertainty_analysis(pipeline, ANALYSIS, threads=1)
    parallel = ci.uncertainty_analysis(pipeline, ANALYSIS)
    three = ci.uncertainty_analysis(pipeline, ANALYSIS, threads=3)
    assert serial.to_json() == parallel.to_json() == three.to_json()
    other = ci.uncertainty_analysis(pipeline, ANALYSIS.replace("seed = 2024", "seed = 1"))
    assert other.to_json() != serial.to_json()


def test_results_tables(pipeline):
    ua = ci.uncertainty_analysis(pipeline, ANALYSIS)
    assert ua.runs == 120 and ua.nodes == ["Index", "Conn"]
    t = ua.intervals("Index")
    assert len(t) == 51
    assert (t["q05_rank"] <= t["median_rank"]).all() and (t["median_rank"] <= t["q95_rank"]).all()
    d = ua.distribution("Conn")
    assert d.shape == (120 - len(ua.failed), 51)
    assert list(ua.choices.columns) == ua.inputs


def test_progress_callback_sees_every_run(pipeline):
    seen = []
    ci.uncertainty_analysis(pipeline, ANALYSIS, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (120, 120)
    assert all(d <= t for d, t in seen)


def test_progress_bar_with_tqdm(pipeline):
    pytest.importorskip("tqdm")
    ua = ci.uncertainty_analysis(pipeline, ANALYSIS, progress=True)
    assert ua.runs == 120


def test_an_input_on_a_missing_step_is_an_error(pipeline):
    with pytest.raises(ci.SpecError) as e:
        ci.uncertainty_analysis(
            pipeline.with_step(0, {"stage": "denominate"}),
            {"runs": 5, "inputs": [{"kind": "winmax", "step": "impute_nothing", "values": [1]}]},
        )
    assert e.value.variant in ("Pipeline", "UnknownCode")
