"""Errors: the exception class of each kind of problem and its attributes."""

import numpy as np
import pandas as pd
import pytest

import composite_index as ci

SPEC = """
spec_version = 1

[[framework.nodes]]
code = "Index"

[[framework.nodes]]
code = "P1"
parent = "Index"

[[framework.nodes]]
code = "P2"
parent = "Index"

[[framework.nodes]]
code = "a"
parent = "P1"

[[framework.nodes]]
code = "b"
parent = "P1"

[[framework.nodes]]
code = "c"
parent = "P2"
direction = -1

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"""


def frame():
    return pd.DataFrame(
        {"uCode": ["AAA", "BBB", "CCC"], "a": [1.0, 2.0, 3.0], "b": [10.0, np.nan, 30.0], "c": [5.0, 1.0, 3.0]}
    )


def test_hierarchy():
    for cls in (ci.SpecError, ci.DataError, ci.FrameworkError, ci.MethodError):
        assert issubclass(cls, ci.CompositeIndexError)
        assert issubclass(cls, Exception)


def test_a_small_index_runs():
    res = ci.run(SPEC, data=frame())
    assert res.scores("Index")["BBB"] == 75.0
    assert list(res.ranks("Index")) == [3, 1, 1]


def test_non_numeric_cell_names_row_unit_and_column():
    f = frame().astype({"b": object})
    f.loc[1, "b"] = "n/a?"
    with pytest.raises(ci.DataError) as e:
        ci.run(SPEC, data=f)
    err = e.value
    assert (err.variant, err.row, err.unit, err.column, err.value) == ("NonNumeric", 2, "BBB", "b", "n/a?")
    assert "BBB" in str(err) and err.node is None


def test_infinite_value_from_numpy():
    with pytest.raises(ci.DataError) as e:
        ci.Dataset(["A", "B"], ["x"], np.array([[1.0], [np.inf]]))
    assert (e.value.variant, e.value.unit, e.value.column, e.value.row) == ("InfiniteValue", "B", "x", 2)


def test_duplicate_unit_and_dimension_mismatch():
    with pytest.raises(ci.DataError) as e:
        ci.Dataset(["A", "A"], ["x"], np.zeros((2, 1)))
    assert (e.value.variant, e.value.unit, e.value.first_row, e.value.second_row) == ("DuplicateUnit", "A", 1, 2)
    with pytest.raises(ci.DataError) as e:
        ci.Dataset(["A", "B"], ["x", "y"], np.zeros((2, 1)))
    assert (e.value.variant, e.value.expected, e.value.found) == ("DimensionMismatch", 2, 1)


def test_missing_column_in_a_frame():
    with pytest.raises(ci.DataError) as e:
        ci.Dataset.from_frame(frame(), groups=["Region"])
    assert (e.value.variant, e.value.column) == ("MissingColumn", "Region")


def test_framework_error_lists_every_problem():
    spec = ci.IndexSpec.from_dict(
        {
            "spec_version": 1,
            "framework": {
                "nodes": [
                    {"code": "Index"},
                    {"code": "P1", "parent": "Index", "weight": -1},
                    {"code": "a", "parent": "P1"},
                    {"code": "zz", "parent": "Nowhere"},
                    {"code": "b", "parent": "P1", "direction": 2},
                ]
            },
        }
    )
    with pytest.raises(ci.FrameworkError) as e:
        ci.Pipeline(spec, frame())
    kinds = {p.kind for p in e.value.problems}
    assert {"NegativeWeight", "MissingParent", "InvalidDirection"} <= kinds
    missing = next(p for p in e.value.problems if p.kind == "MissingParent")
    assert (missing.code, missing.parent) == ("zz", "Nowhere")
    assert "zz" in e.value.codes


def test_spec_parse_error_has_line():
    bad = SPEC.replace('lo = 0, hi = 100', 'lo = 0, hi = 100, typo = 1')
    with pytest.raises(ci.SpecError) as e:
        ci.IndexSpec.from_toml(bad)
    lines = bad.splitlines()
    typo = lines.index(next(l for l in lines if "typo" in l)) + 1
    table = max(i for i, l in enumerate(lines[:typo], 1) if l == "[[steps]]")
    assert e.value.variant == "SpecParse"
    # The parser names the table holding the bad key (TOML's spans of tagged enums).
    assert table <= e.value.line <= typo
    assert f"line {e.value.line}" in str(e.value)
    assert "typo" in e.value.reason


def test_unsupported_version():
    with pytest.raises(ci.SpecError) as e:
        ci.IndexSpec.from_toml(SPEC.replace("spec_version = 1", "spec_version = 99"))
    assert (e.value.variant, e.value.found, e.value.supported) == ("UnsupportedSpecVersion", 99, 1)


def test_unknown_code_in_an_override():
    spec = SPEC.replace(
        'default = { method = "min_max", lo = 0, hi = 100 }',
        'default = { method = "min_max", lo = 0, hi = 100 }\noverrides = { nope = { method = "rank" } }',
    )
    with pytest.raises(ci.SpecError) as e:
        ci.run(spec, data=frame())
    assert (e.value.variant, e.value.kind, e.value.code, e.value.indicator) == ("UnknownCode", "indicator", "nope", "nope")


def test_invalid_parameter():
    spec = SPEC.replace("lo = 0, hi = 100", "lo = 100, hi = 0")
    with pytest.raises(ci.MethodError) as e:
        ci.run(spec, data=frame())
    assert e.value.variant == "InvalidParameter"
    assert e.value.method == "min_max"
    assert e.value.parameter


def test_domain_error_names_unit_node_and_child():
    spec = SPEC.replace('default = { method = "arithmetic_mean" }', 'default = { method = "geometric_mean" }')
    with pytest.raises(ci.MethodError) as e:
        ci.run(spec, data=frame())
    err = e.value
    assert err.variant == "Domain"
    assert err.unit in ("AAA", "BBB", "CCC") and err.node in ("P1", "P2", "Index") and err.child
    assert err.value == 0.0


def test_pipeline_step_out_of_place():
    spec = SPEC + '\n[[steps]]\nstage = "normalise"\n'
    with pytest.raises(ci.SpecError) as e:
        ci.run(spec, data=frame())
    assert (e.value.variant, e.value.step, e.value.stage) == ("Pipeline", 1, "aggregate")


def test_validate_lists_every_problem():
    f = frame().astype({"a": object, "b": object})
    f.loc[0, "a"] = "x"
    f.loc[2, "b"] = "y"
    v = ci.validate(SPEC, data=f)
    assert not v.ok
    cells = [(e.unit, e.column) for e in v.errors if e.variant == "NonNumeric"]
    assert cells == [("AAA", "a"), ("CCC", "b")]
    spec = SPEC.replace("lo = 0, hi = 100", "lo = 100, hi = 0").replace(
        'default = { method = "arithmetic_mean" }', 'default = { method = "arithmetic_mean" }\nweights = "nope"'
    )
    v = ci.validate(spec, data=frame())
    variants = sorted(e.variant for e in v.errors)
    assert variants == ["InvalidParameter", "UnknownCode"], v
    assert ci.validate(SPEC, data=frame()).ok
    table = v.to_frame()
    assert list(table["severity"]) .count("error") == 2
