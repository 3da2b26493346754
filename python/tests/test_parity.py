"""COINr parity on the ASEM reference data, through the Python package."""

import numpy as np
import pytest

from conftest import PARITY_TOL, read_reference


def assert_matches(ours, ref, what):
    """Every cell of the reference table ``ref`` (uCode + numeric columns)
    against ``ours`` by unit code: relative 1e-9 for non-zero cells, absolute
    1e-9 where COINr's value is exactly 0, both missing together. Returns the
    number of cells compared."""
    assert len(ours) == len(ref), f"{what}: number of units"
    ours = ours.set_index("uCode")
    n = 0
    for col in ref.columns:
        if col in ("uCode", "uName"):
            continue
        assert col in ours.columns, f"{what}: column {col} missing"
        theirs = ref[col].to_numpy(dtype=float)
        mine = ours.loc[ref["uCode"], col].to_numpy(dtype=float)
        both_nan = np.isnan(theirs) & np.isnan(mine)
        assert np.array_equal(np.isnan(theirs), np.isnan(mine)), f"{what}: missing cells differ in {col}"
        zero = theirs == 0
        err = np.where(zero, np.abs(mine), np.abs(mine - theirs) / np.where(zero, 1.0, np.abs(theirs)))
        err = np.where(both_nan, 0.0, err)
        worst = int(np.argmax(err))
        assert err[worst] <= PARITY_TOL, (
            f"{what}: {col} for {ref['uCode'].iloc[worst]}: ours {mine[worst]!r} vs COINr {theirs[worst]!r}"
        )
        n += len(theirs)
    return n


@pytest.mark.parametrize(
    "name", ["denominated", "imputed", "screened", "treated", "normalised", "aggregated"]
)
def test_case_a_every_stage_matches_coinr(case_a, asem_dir, name):
    ref = read_reference(asem_dir / "case_a_default" / f"{name}.csv")
    n = assert_matches(case_a[name], ref, name)
    assert n >= 51 * 49


def test_case_a_ranks_match_coinr(case_a, asem_dir):
    ref = read_reference(asem_dir / "case_a_default" / "results_ranked.csv").set_index("uCode")
    ranks = case_a.ranks("Index")
    assert len(ranks) == 51
    for unit, rank in ranks.items():
        assert rank == ref.loc[unit, "Rank"], unit
    table = case_a.ranking("Index")
    assert list(table["uCode"][:3]) == list(ref.sort_values("Rank").index[:3])
    # Scores of every node are the aggregated data set (results_ranked.csv
    # rounds small numbers, so the scores are compared with aggregated.csv).
    agg = read_reference(asem_dir / "case_a_default" / "aggregated.csv")
    assert assert_matches(case_a.scores(), agg, "scores") == 51 * 60


def test_case_a_treatment_log_matches_coinr(case_a, asem_dir):
    ref = read_reference(asem_dir / "case_a_default" / "treatment_log.csv").set_index("iCode")
    log = case_a.treatment_log.set_index("iCode")
    assert len(log) == 49
    close = lambda a, b: abs(a - b) <= PARITY_TOL * max(abs(a), abs(b), 1.0)
    for code, row in ref.iterrows():
        mine = log.loc[code]
        assert mine["pass_before"] == row["check_SkewKurt0.Pass"], code
        assert close(mine["skew_before"], row["check_SkewKurt0.Skew"]), code
        assert close(mine["kurt_before"], row["check_SkewKurt0.Kurt"]), code
        if np.isnan(row["winsorise.nwin"]):
            assert mine["n_winsorised"] == 0, code
        else:
            assert mine["n_winsorised"] == row["winsorise.nwin"], code
            assert mine["pass_winsorised"] == row["check_SkewKurt1.Pass"], code
            assert close(mine["skew_winsorised"], row["check_SkewKurt1.Skew"]), code
            assert close(mine["kurt_winsorised"], row["check_SkewKurt1.Kurt"]), code


def test_case_a_step_reports(case_a):
    stages = [r.stage for r in case_a.reports]
    assert stages == ["denominate", "impute", "screen", "treat", "normalise", "aggregate"]
    screen = case_a.reports[2].frame
    assert screen["kept"].all() and len(screen) == 51
    imputed = case_a.reports[1].frame
    assert len(imputed) > 0 and set(imputed.columns) == {"iCode", "uCode", "row"}
    assert case_a.reports[3].frame.equals(case_a.treatment_log)


@pytest.mark.parametrize("name", ["normalised", "aggregated"])
def test_case_b_matches_coinr(case_b, asem_dir, name):
    ref = read_reference(asem_dir / "case_b_zscore_nomissingfill" / f"{name}.csv")
    n = assert_matches(case_b[name], ref, f"case B {name}")
    assert n == 51 * (49 if name == "normalised" else 60)


def test_csv_paths_give_the_same_numbers_as_frames(case_a, asem_dir):
    """Reading COINr's files by path (the crate's reader, as the command line)
    and passing DataFrames give bit-identical results."""
    import composite_index as ci
    from conftest import CASE_A_STEPS

    by_path = ci.run(CASE_A_STEPS, idata=asem_dir / "iData.csv", imeta=asem_dir / "iMeta.csv")
    for name in case_a.datasets:
        a, b = case_a.values(name), by_path.values(name)
        assert a.shape == b.shape
        assert np.array_equal(a, b, equal_nan=True), name
