"""Specs: reading and writing TOML, JSON and dicts without loss."""

import json
import pickle
from pathlib import Path

import pytest

import composite_index as ci
from conftest import CASE_A_STEPS, REPO

EXAMPLE = REPO / "data" / "example" / "spec.toml"


@pytest.fixture
def spec():
    return ci.IndexSpec.from_path(EXAMPLE)


def test_toml_round_trip(spec):
    again = ci.IndexSpec.from_toml(spec.to_toml())
    assert again == spec
    assert again.to_toml() == spec.to_toml()


def test_json_round_trip(spec):
    again = ci.IndexSpec.from_json(spec.to_json())
    assert again == spec
    assert json.loads(again.to_json()) == json.loads(spec.to_json())


def test_dict_round_trip(spec):
    d = spec.to_dict()
    assert isinstance(d, dict) and d["spec_version"] == 1
    again = ci.IndexSpec.from_dict(d)
    assert again == spec
    assert again.to_dict() == d
    assert ci.as_spec(d) == spec


def test_pickle_round_trip(spec):
    assert pickle.loads(pickle.dumps(spec)) == spec
    fw = spec.framework
    assert pickle.loads(pickle.dumps(fw)) == fw


def test_path_text_and_dict_give_the_same_spec(spec, tmp_path):
    as_json = tmp_path / "spec.json"
    as_json.write_text(spec.to_json())
    assert ci.as_spec(str(EXAMPLE)) == spec
    assert ci.as_spec(EXAMPLE) == spec
    assert ci.as_spec(as_json) == spec
    assert ci.as_spec(spec.to_toml()) == spec
    assert ci.as_spec(spec.to_json()) == spec


def test_steps_only_spec_takes_the_framework_given(spec):
    steps = ci.as_spec(CASE_A_STEPS, spec.framework)
    assert steps.framework == spec.framework
    assert steps.stages == ["denominate", "impute", "screen", "treat", "normalise", "aggregate"]
    d = ci.IndexSpec.from_toml(CASE_A_STEPS + "\n[framework]\nnodes = []\n").to_dict()
    del d["framework"]
    assert ci.as_spec(d, spec.framework).framework == spec.framework


def test_analysis_specs_round_trip():
    ua = ci.UncertaintySpec.from_dict(
        {
            "runs": 50,
            "seed": 7,
            "inputs": [
                {"kind": "weight_noise", "level": 2, "factor": 0.25},
                {"kind": "winmax", "step": "treat", "values": [1, 3, 5]},
            ],
        }
    )
    assert ci.UncertaintySpec.from_toml(ua.to_toml()) == ua
    assert ci.UncertaintySpec.from_json(ua.to_json()) == ua
    assert ci.UncertaintySpec.from_dict(ua.to_dict()) == ua
    assert pickle.loads(pickle.dumps(ua)) == ua
    sa = ci.SensitivitySpec.from_dict({"n": 16, "inputs": ua.to_dict()["inputs"]})
    assert ci.SensitivitySpec.from_toml(sa.to_toml()) == sa


def test_unknown_keys_are_rejected():
    with pytest.raises(ci.SpecError) as e:
        ci.UncertaintySpec.from_dict({"runs": 5, "sed": 1})
    assert "sed" in str(e.value)
