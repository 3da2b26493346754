"""Panel data through Python: reading, per-year / pooled / reference-year runs,
rank changes and trends; COINr parity on ../shared/reference/asem_panel (cases
P1 and P2 of its README, as the crate's tests/panel_parity.rs)."""

import subprocess

import numpy as np
import pandas as pd
import pytest

import composite_index as ci
from conftest import PARITY_TOL, read_reference, shared

MINMAX = """
spec_version = 1

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"""

#: Case P1: panel imputation (linear-constant), per-year min-max, arithmetic mean.
P1 = """
spec_version = 1

[[steps]]
stage = "impute_panel"
method = { method = "linear_constant" }

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"""


@pytest.fixture(scope="module")
def panel_dir():
    return shared("reference/asem_panel", "iData_p.csv")


@pytest.fixture(scope="module")
def imeta(panel_dir):
    return read_reference(panel_dir.parent / "asem" / "iMeta.csv")


@pytest.fixture(scope="module")
def idata_p(panel_dir):
    return read_reference(panel_dir / "iData_p.csv")


def assert_parity(ours: pd.DataFrame, path) -> int:
    """Every reference cell of a stacked data set, to 1e-9 relative; missing exactly."""
    ref = read_reference(path).set_index(["uCode", "Time"])
    mine = ours.set_index(["uCode", "Time"])
    assert len(mine) == len(ref)
    n = 0
    for col in ref.columns:
        e = ref[col].to_numpy(dtype=np.float64)
        x = mine.loc[ref.index, col].to_numpy(dtype=np.float64)
        assert np.array_equal(np.isnan(x), np.isnan(e)), col
        ok = ~np.isnan(e)
        scale = np.where(e[ok] == 0, 1.0, np.abs(e[ok]))
        assert np.all(np.abs(x[ok] - e[ok]) <= PARITY_TOL * scale), col
        n += int(ok.sum())
    return n


def test_p2_pooled_minmax_matches_coinr(panel_dir, imeta, idata_p):
    res = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta, options={"normalise": "pooled"})
    assert res.times == [2018.0, 2019.0, 2020.0, 2021.0, 2022.0]
    case = panel_dir / "p2_global_minmax"
    n = assert_parity(res["normalised"], case / "normalised.csv")
    n += assert_parity(res["aggregated"], case / "aggregated.csv")
    assert n > 10_000
    assert any("pooled" in s for s in res.scopes)
    # Per year (the default) is not COINr's global = TRUE: the numbers differ.
    per_year = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta)
    with pytest.raises(AssertionError):
        assert_parity(per_year["normalised"], case / "normalised.csv")


def test_p1_panel_imputation_and_trends_match_coinr(panel_dir, imeta):
    gaps = read_reference(panel_dir / "iData_p_gaps.csv")
    res = ci.run_panel(P1, idata=gaps, imeta=imeta)
    case = panel_dir / "p1_linconst_minmax_year"
    for name in ("imputed", "normalised", "aggregated"):
        assert_parity(res[name], case / f"{name}.csv")
    filled = res.panel_imputation
    assert len(filled) == 1766 - 315
    for metric, file in (("cagr", "trends_CAGR.csv"), ("prc_change", "trends_prc_change.csv")):
        ref = read_reference(case / file)
        col = "CAGR" if metric == "cagr" else "prc_change"
        ours = res.trends("aggregated", list(ref["iCode"].unique()), metric).set_index(["uCode", "iCode"])
        ours = ours.loc[list(zip(ref["uCode"], ref["iCode"]))]
        e, x = ref[col].to_numpy(np.float64), ours[col].to_numpy(np.float64)
        assert np.array_equal(np.isnan(x), np.isnan(e))
        ok = ~np.isnan(e)
        assert np.all(np.abs(x[ok] - e[ok]) <= PARITY_TOL * np.maximum(np.abs(e[ok]), 1e-3))
        assert np.array_equal(ours["Avail"].to_numpy(), ref["Avail"].to_numpy())


def test_per_year_editions_equal_single_runs(imeta, idata_p):
    res = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta)
    agg = res["aggregated"]
    assert list(agg.columns[:2]) == ["uCode", "Time"]
    assert list(agg["Time"]) == sorted(agg["Time"])
    for t in (2018.0, 2022.0):
        one = ci.run(MINMAX, idata=idata_p[idata_p["Time"] == t].drop(columns="Time"), imeta=imeta)
        ed = res.edition(t)
        assert np.array_equal(ed.values("aggregated"), one.values("aggregated"), equal_nan=True)
        rows = agg[agg["Time"] == t].set_index("uCode").drop(columns="Time")
        mine = one["aggregated"].set_index("uCode").loc[rows.index]
        assert np.array_equal(rows.to_numpy(), mine.to_numpy(), equal_nan=True)


def test_long_table_gives_the_wide_results(imeta, idata_p):
    fw, panel = ci.panel.read_coinr_panel(imeta, idata_p)
    indicators = list(imeta.loc[imeta["Type"] == "Indicator", "iCode"])
    long = idata_p.melt(id_vars=["uCode", "Time"], value_vars=indicators, var_name="iCode", value_name="Value")
    long = long.dropna(subset=["Value"])
    spec = ci.IndexSpec.parse(MINMAX, "toml", fw)
    a = ci.run_panel(spec, data=long)
    b = ci.run_panel(spec, data=panel)
    c = ci.run_panel(spec, data=idata_p)  # the wide table, group columns as labels
    assert c["aggregated"].equals(b["aggregated"])
    assert len(ci.panel.read_long_panel(long)) == 5
    for name in ("raw", "aggregated"):
        fa, fb = a[name], b[name][a[name].columns]
        assert np.array_equal(fa.drop(columns="uCode").to_numpy(), fb.drop(columns="uCode").to_numpy(), equal_nan=True)


def test_reference_year_scope_equals_a_fitted_pipeline(imeta, idata_p):
    res = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta, options={"normalise": 2019})
    base = idata_p[idata_p["Time"] == 2019].drop(columns="Time")
    fitted = ci.fit(MINMAX, idata=base, imeta=imeta)
    _, panel = ci.panel.read_coinr_panel(imeta, idata_p)
    for t in res.times:
        frozen = fitted.apply(panel.edition(t))
        assert np.array_equal(res.edition(t).values("aggregated"), frozen.values("aggregated"), equal_nan=True), t
    assert any("fitted on 2019" in s for s in res.scopes)
    same = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta, options={"normalise": {"fit": "reference", "year": 2019}})
    assert np.array_equal(
        same["aggregated"].drop(columns="uCode").to_numpy(), res["aggregated"].drop(columns="uCode").to_numpy(), equal_nan=True
    )


def test_rank_changes(imeta, idata_p):
    res = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta)
    ch = res.compare(2021, 2022)
    r21, r22 = res.edition(2021).ranks("Index"), res.edition(2022).ranks("Index")
    s21, s22 = res.edition(2021).scores("Index"), res.edition(2022).scores("Index")
    ch = ch.set_index("uCode")
    assert set(ch.index) == set(r22.index)
    for u in ch.index:
        assert ch.loc[u, "rank_from"] == r21[u] and ch.loc[u, "rank_to"] == r22[u]
        assert ch.loc[u, "change"] == r21[u] - r22[u]
        assert ch.loc[u, "score_change"] == s22[u] - s21[u]
    assert (ch["status"] == "same").all() and not ch["flagged"].any()
    hist = res.history("AUT")
    assert list(hist["Time"]) == res.times
    assert [int(v) for v in hist["rank"]] == [int(res.edition(t).ranks("Index")["AUT"]) for t in res.times]
    m = res.movers(2018, 2022)
    changes = res.compare(2018, 2022)
    if len(m["climbers"]):
        assert m["climbers"]["change"].iloc[0] == changes["change"].max()
    assert (m["fallers"]["change"] < 0).all()
    top = res.edition(2022).ranking().iloc[0]["uCode"]
    s = res.streak(top, rank_at_most=1)
    assert s is not None and s["until"] == 2022.0 and s["length"] >= 1
    with pytest.raises(ci.MethodError):
        res.streak(top)


def test_write_csv_dir_is_the_long_layout(imeta, idata_p, tmp_path):
    res = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta)
    res.write_csv_dir(tmp_path)
    back = read_reference(tmp_path / "aggregated.csv")
    agg = res["aggregated"]
    assert list(back.columns) == list(agg.columns)
    assert np.array_equal(back.drop(columns="uCode").to_numpy(), agg.drop(columns="uCode").to_numpy(), equal_nan=True)


def test_panel_matches_the_command_line(panel_dir, imeta, idata_p, tmp_path):
    from test_uncertainty import cli

    exe = cli()
    (tmp_path / "spec.toml").write_text(MINMAX + "\n[panel]\nnormalise = { fit = \"pooled\" }\n")
    out = tmp_path / "out"
    subprocess.run(
        [
            str(exe), "run", str(tmp_path / "spec.toml"),
            "--imeta", str(panel_dir.parent / "asem" / "iMeta.csv"), "--idata", str(panel_dir / "iData_p.csv"),
            "--out", str(out),
        ],
        check=True,
        capture_output=True,
    )
    res = ci.run_panel(MINMAX, idata=idata_p, imeta=imeta, options={"normalise": "pooled"})
    for name in ("normalised", "aggregated"):
        theirs = read_reference(out / "datasets" / f"{name}.csv")
        ours = res[name]
        assert list(theirs.columns) == list(ours.columns)
        assert list(theirs["uCode"]) == list(ours["uCode"])
        assert np.array_equal(theirs.drop(columns="uCode").to_numpy(), ours.drop(columns="uCode").to_numpy(), equal_nan=True)
    # The command line's rank changes of the index from 2021 to 2022.
    changes = read_reference(out / "changes.csv")
    theirs = changes[(changes["node"] == "Index") & (changes["from"] == 2021) & (changes["to"] == 2022)]
    ours = res.compare(2021, 2022)
    assert list(theirs["uCode"]) == list(ours["uCode"])
    for c in ("rank_from", "rank_to", "change"):
        assert theirs[c].astype(int).tolist() == ours[c].astype(int).tolist(), c
    for c in ("score_from", "score_to", "score_change"):
        assert np.array_equal(theirs[c].to_numpy(np.float64), ours[c].to_numpy(np.float64)), c


def test_small_panel_and_errors():
    d1 = ci.Dataset(["A", "B", "C"], ["a", "b"], np.array([[0.0, 2.0], [5.0, 4.0], [10.0, 6.0]]))
    d2 = ci.Dataset(["A", "B", "C"], ["a", "b"], np.array([[5.0, 2.0], [10.0, 4.0], [15.0, 6.0]]))
    panel = ci.Panel({2024: d2, 2023: d1})
    assert panel.times == [2023.0, 2024.0] and panel.units == ["A", "B", "C"]
    spec = {
        "spec_version": 1,
        "framework": {"nodes": [{"code": "Index"}, {"code": "a", "parent": "Index"}, {"code": "b", "parent": "Index"}]},
        "steps": [
            {"stage": "normalise", "default": {"method": "min_max", "lo": 0, "hi": 100}},
            {"stage": "aggregate", "default": {"method": "arithmetic_mean"}},
        ],
    }
    # The crate's doc example of PanelPipeline: per year, then goalposts of 2023.
    x = lambda v: ci.Dataset(["A", "B", "C"], ["x"], np.array(v, dtype=float).reshape(-1, 1))
    doc_panel = ci.Panel([(2023, x([1, 2, 3])), (2024, x([2, 4, 6]))])
    doc_spec = dict(spec, framework={"nodes": [{"code": "Index"}, {"code": "x", "parent": "Index"}]})
    per_year = ci.run_panel(doc_spec, data=doc_panel)
    assert per_year.edition(2024).scores("Index").tolist() == [0.0, 50.0, 100.0]
    fixed = ci.run_panel(doc_spec, data=doc_panel, options={"normalise": 2023})
    assert fixed.edition(2024).scores("Index").tolist() == [50.0, 150.0, 250.0]
    assert fixed.compare(2023, 2024)["change"].tolist() == [0, 0, 0]
    with pytest.raises(ci.MethodError) as e:
        ci.run_panel(spec, data=panel, options={"normalise": 1999})
    assert "1999" in str(e.value)
    bad = ci.Panel({2023: d1, 2024: ci.Dataset(["A"], ["a"], np.array([[1.0]]))})
    with pytest.raises(ci.FrameworkError) as e:
        ci.run_panel(spec, data=bad)
    assert e.value.time == 2024.0
    with pytest.raises(ci.CompositeIndexError):
        ci.Panel({2023: d1, float("inf"): d2})
    wide = pd.DataFrame({"uCode": ["A", "A"], "Time": [2023, 2023], "a": [1.0, 2.0]})
    with pytest.raises(ci.DataError):
        ci.panel.read_panel(wide)
