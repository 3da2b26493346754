"""The rest of the crate through Python: data sets, results, audit, instances,
reports."""

import numpy as np
import pandas as pd
import pytest

import composite_index as ci
from conftest import CASE_A_STEPS, REPO


def test_dataset_from_numpy_and_back():
    values = np.array([[1.0, np.nan], [2.0, 3.0]])
    d = ci.Dataset(["A", "B"], ["x", "y"], values, groups={"g": ["u", None]}, denominators={"pop": [1.0, 2.0]})
    assert d.shape == (2, 2)
    assert np.array_equal(d.values, values, equal_nan=True)
    f = d.to_frame()
    assert list(f.columns) == ["uCode", "uName", "g", "pop", "x", "y"]
    again = ci.Dataset.from_frame(f, unit_name="uName", groups=["g"], denominators=["pop"])
    assert np.array_equal(again.values, values, equal_nan=True)


def test_results_layout(case_a):
    agg = case_a["aggregated"]
    assert list(agg.columns[:1]) == ["uCode"]
    assert list(agg.columns[1:]) == case_a.node_codes
    assert case_a.datasets == ["raw", "denominated", "imputed", "screened", "treated", "normalised", "aggregated"]
    named = case_a.dataset("normalised", names=True)
    assert named.columns[1] == "uName" and named.loc[0, "uName"]
    ranks = case_a.ranks()
    assert ranks["Index"].dtype == "Int64"
    assert list(case_a.ranking().columns) == ["uCode", "uName", "score", "rank"]
    eff = case_a.efficiency_ratio("Conn", "Sust")
    assert np.allclose(eff.to_numpy(), (case_a.scores("Conn") / case_a.scores("Sust")).to_numpy())
    assert '"nodes"' in case_a.to_json()


def test_write_csv_dir(case_a, tmp_path):
    case_a.write_csv_dir(tmp_path)
    back = pd.read_csv(tmp_path / "aggregated.csv")
    assert np.array_equal(back.drop(columns="uCode").to_numpy(), case_a.values("aggregated"), equal_nan=True)


def test_pipeline_with_a_step_replaced(case_a):
    p = case_a.pipeline.with_step(4, {"stage": "normalise", "default": {"method": "rank"}})
    res = p.run()
    assert res["normalised"].drop(columns="uCode").max().max() <= 51
    assert case_a.pipeline.spec.stages == p.spec.stages


def test_audit_tables(case_a):
    stats = ci.audit.indicator_stats(case_a, dataset="raw")
    assert len(stats) == 49 and stats["n_units"].eq(51).all()
    corr = ci.audit.group_correlations(case_a, "Conn")
    assert corr.shape == (5, 5) and np.allclose(np.diag(corr), 1.0)
    full = ci.audit.correlation_matrix(case_a, ["LPI", "Flights"], dataset="normalised", full=True)
    assert set(full) == {"r", "p_value", "n"} and full["n"].iloc[0, 1] == 51
    alpha = ci.audit.alpha_by_level(case_a, 2)
    assert len(alpha) == 8
    direct = ci.audit.cronbach_alpha(case_a, ci.Framework(case_a.pipeline.spec.framework).children("Physical"))
    assert direct["alpha"] == alpha.set_index("node").loc["Physical", "alpha"]
    p = ci.audit.group_pca(case_a, "Physical", dataset="normalised")
    assert p["loadings"].shape[0] == 8 and abs(sum(p["variance_shares"]) - 1) < 1e-12
    w = ci.audit.equal_weights(case_a)
    assert abs(w.loc[w["level"] == 1, "effective"].sum() - 1) < 1e-12
    me = ci.audit.main_effects(case_a, level=2)
    assert len(me) == 8
    loo = ci.audit.leave_one_out(case_a, ["Conn", "Sust"])
    assert list(loo["summary"]["node"]) == ["Conn", "Sust"] and len(loo["ranks"]) == 51
    prof = ci.audit.unit_profile(case_a, "DEU", n=3)
    assert len(prof["strengths"]) == 3
    avail = ci.audit.data_availability(case_a)
    assert len(avail) == 51
    assert ci.audit.correlation([1, 2, 3, 4], [2, 4, 6, 8])["r"] == pytest.approx(1.0)
    assert isinstance(ci.audit.leave_out(case_a, "Conn"), ci.Pipeline)


def test_audit_of_a_plain_frame(case_a):
    frame = case_a["normalised"]
    stats = ci.audit.indicator_stats(frame)
    assert len(stats) == 49
    with pytest.raises(TypeError):
        ci.audit.group_correlations(frame, "Conn")
    assert ci.audit.group_correlations(frame, "Physical", framework=case_a).shape == (8, 8)


def test_reports(case_a):
    charts = ci.report.charts(case_a)
    assert charts and all(svg.startswith("<svg") for _, _, svg in charts)
    assert ci.report.ranking_chart(case_a, top=10).startswith("<svg")
    html = ci.report.html_report(case_a)
    assert html.lstrip().lower().startswith("<!doctype html") and "<svg" in html


def test_gii_and_pii_instances():
    data = ci.read_dataset(REPO / "data" / "gii" / "synthetic_2025.csv", groups=["Income", "Region"], denominators=["GDPpc"])
    run = ci.instances.gii.run(data, 2025)
    table = run.table()
    assert len(table) == data.shape[0] and table["rank"].iloc[0] == 1
    assert run.codes[0] in run.results.node_codes
    assert ci.instances.gii.spec(2025).framework.inlined() == ci.instances.gii.framework(2025)
    assert "gii-2025" in ci.instances.names()
    assert ci.instances.spec("gii-2025") == ci.instances.gii.spec(2025)
    assert len(ci.instances.pii.framework()) > 0
    with pytest.raises(ci.CompositeIndexError):
        ci.instances.gii.spec(1999)


def test_every_core_name_has_a_stub():
    import ast

    from composite_index import _core

    tree = ast.parse((REPO / "python" / "composite_index" / "_core.pyi").read_text())
    stubbed = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stubbed.add(node.target.id)
    public = {n for n in dir(_core) if not n.startswith("__")}
    assert public - stubbed == set()
