"""Fitted (frozen) pipelines: fit on reference data, apply to new data.

The properties are those of the Rust crate (src/fitted.rs): applied to its own
reference data a fitted pipeline gives the very numbers of a run, bit for bit;
its JSON round-trips exactly; applied in chunks it gives the scores of one pass.
"""

import pickle

import numpy as np
import pandas as pd
import pytest

import composite_index as ci
from conftest import CASE_A_STEPS, CASE_B_STEPS


def subset(d: ci.Dataset, rows) -> ci.Dataset:
    """The rows ``rows`` of a data set, with its names, groups and denominators."""
    rows = list(rows)
    inner = d._inner
    return ci.Dataset(
        [d.unit_codes[i] for i in rows],
        d.indicator_codes,
        d.values[rows, :],
        unit_names=[d.unit_names[i] for i in rows],
        groups={g: [labels[i] for i in rows] for g, labels in inner.groups},
        denominators={n: np.asarray(v)[rows] for n, v in inner.denominators},
    )


@pytest.fixture(scope="module")
def fitted_a(asem_tables):
    imeta, idata = asem_tables
    return ci.fit(CASE_A_STEPS, idata=idata, imeta=imeta)


def assert_same_results(a: ci.Results, b: ci.Results) -> None:
    assert a.datasets == b.datasets
    for name in a.datasets:
        fa, fb = a[name], b[name]
        assert list(fa.columns) == list(fb.columns), name
        assert list(fa["uCode"]) == list(fb["uCode"]), name
        assert np.array_equal(a.values(name), b.values(name), equal_nan=True), name


def test_applied_to_its_reference_data_is_bit_identical_to_run(case_a, fitted_a):
    again = fitted_a.apply(case_a.pipeline.data)
    assert_same_results(again, case_a)
    assert again.ranks().equals(case_a.ranks())
    assert fitted_a.reference_units == case_a.pipeline.data.unit_codes
    assert [s["stage"] for s in fitted_a.steps] == case_a.pipeline.spec.stages
    assert fitted_a.spec == case_a.pipeline.spec


def test_run_and_fit_is_run_plus_fit(case_b, asem_tables):
    res, fitted = case_b.pipeline.run_and_fit()
    assert_same_results(res, case_b)
    assert fitted == case_b.pipeline.fit()
    assert_same_results(fitted.apply(case_b.pipeline.data), case_b)


def test_json_and_pickle_round_trips_are_exact(case_a, fitted_a):
    text = fitted_a.to_json()
    back = ci.FittedPipeline.from_json(text)
    assert back == fitted_a
    assert back.to_json() == text
    back.validate()
    assert_same_results(back.apply(case_a.pipeline.data), case_a)
    unpickled = pickle.loads(pickle.dumps(fitted_a))
    assert unpickled == fitted_a


def test_chunks_score_as_one_pass(fitted_a, case_a):
    data = case_a.pipeline.data
    whole = fitted_a.apply(data)["aggregated"].set_index("uCode")
    n = data.shape[0]
    for size in (1, 7, 20):
        parts = [fitted_a.apply_final_only(subset(data, range(i, min(i + size, n)))) for i in range(0, n, size)]
        frame = pd.concat([p["aggregated"] for p in parts]).set_index("uCode")
        assert list(frame.index) == list(whole.index)
        assert np.array_equal(frame.to_numpy(), whole.to_numpy(), equal_nan=True), size


def test_frozen_parameters_are_not_refitted(fitted_a, case_a):
    # A chunk run on its own rescales min-max to its own range; the fitted
    # pipeline keeps the reference's, so the two differ (and the fitted one
    # equals the reference run on those units).
    data = case_a.pipeline.data
    chunk = subset(data, range(0, 51, 2))
    frozen = fitted_a.apply(chunk)["normalised"].set_index("uCode")
    refit = ci.Pipeline(case_a.pipeline.spec, chunk).run()["normalised"].set_index("uCode")
    assert not np.array_equal(frozen.to_numpy(), refit.to_numpy(), equal_nan=True)
    reference = case_a["normalised"].set_index("uCode").loc[frozen.index]
    assert np.array_equal(frozen.to_numpy(), reference.to_numpy(), equal_nan=True)


def test_fit_from_a_data_frame_and_apply_to_a_frame():
    frame = pd.DataFrame({"uCode": ["A", "B", "C"], "a": [0.0, 5.0, 10.0], "b": [2.0, 4.0, 6.0]})
    spec = {
        "spec_version": 1,
        "framework": {"nodes": [{"code": "Index"}, {"code": "a", "parent": "Index"}, {"code": "b", "parent": "Index"}]},
        "steps": [
            {"stage": "normalise", "default": {"method": "min_max", "lo": 0, "hi": 100}},
            {"stage": "aggregate", "default": {"method": "arithmetic_mean"}},
        ],
    }
    fitted = ci.fit(spec, data=frame)
    new = fitted.apply(pd.DataFrame({"uCode": ["D"], "a": [5.0], "b": [6.0]}))
    # The crate's doc example: (50 + 100) / 2.
    assert new.scores("Index").tolist() == [75.0]


def test_errors():
    spec = {
        "spec_version": 1,
        "framework": {"nodes": [{"code": "Index"}, {"code": "a", "parent": "Index"}, {"code": "b", "parent": "Index"}]},
        "steps": [
            {"stage": "normalise", "default": {"method": "min_max", "lo": 0, "hi": 100}},
            {"stage": "aggregate", "default": {"method": "copeland"}},
        ],
    }
    data = ci.Dataset(["A", "B"], ["a", "b"], np.array([[1.0, 2.0], [3.0, 1.0]]))
    with pytest.raises(ci.SpecError) as e:
        ci.fit(spec, data=data)
    assert "opeland" in str(e.value)
    spec["steps"][1]["default"] = {"method": "arithmetic_mean"}
    fitted = ci.fit(spec, data=data)
    with pytest.raises(ci.CompositeIndexError):
        fitted.apply(ci.Dataset(["C"], ["a"], np.array([[1.0]])))
    with pytest.raises(ci.SpecError):
        ci.FittedPipeline.from_json(fitted.to_json().replace('"stage": "aggregate"', '"stage": "normalise"', 1))
    with pytest.raises(ci.SpecError):
        ci.FittedPipeline.from_json("{")


def test_example_spec_fitted_from_case_b_is_refitted_per_chunk(case_b):
    # Case B (z-scores) as a contrast: refitting on a chunk changes the scores;
    # the fitted pipeline does not.
    fitted = case_b.pipeline.fit()
    chunk = subset(case_b.pipeline.data, range(1, 51, 2))
    frozen = fitted.apply(chunk).scores("Index")
    assert np.array_equal(frozen.to_numpy(), case_b.scores("Index").loc[frozen.index].to_numpy())
    refit = ci.Pipeline(case_b.pipeline.spec, chunk).run().scores("Index")
    assert not np.array_equal(frozen.to_numpy(), refit.to_numpy())
