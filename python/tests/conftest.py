"""Shared fixtures: the COINr reference data of ../shared/reference/asem.

As in the Rust tests, a missing ../shared skips the tests that need it, with a
message, except under CI=true, where it fails them.
"""

import os
from pathlib import Path

import pandas as pd
import pytest

import composite_index as ci

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

#: Relative tolerance of COINr parity (absolute only where COINr's value is exactly 0).
PARITY_TOL = 1e-9

#: COINr's example pipeline (case A of ../shared/reference/asem/README.md),
#: the same TOML as the Rust tests' CASE_A_STEPS.
CASE_A_STEPS = """
spec_version = 1

[[steps]]
stage = "denominate"

[[steps]]
stage = "impute"
method = { method = "group_mean", group = "EurAsia_group" }

[[steps]]
stage = "screen"
by = { by = "missing_data", dat_thresh = 0.9 }

[[steps]]
stage = "treat"

[[steps]]
stage = "normalise"
default = { method = "min_max", lo = 0, hi = 100 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"""

#: Case B: raw data, z-scores (10, 2), arithmetic means skipping missing children.
CASE_B_STEPS = """
spec_version = 1

[[steps]]
stage = "normalise"
default = { method = "z_score", mean = 10, sd = 2 }

[[steps]]
stage = "aggregate"
default = { method = "arithmetic_mean" }
"""


def shared(path: str, probe: str) -> Path:
    """``../shared/<path>`` when ``<probe>`` exists under it; otherwise skip
    (or fail under CI=true)."""
    p = SHARED / path
    if (p / probe).is_file():
        return p
    message = f"{p / probe} not found; COINr parity not checked"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required under CI=true)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def asem_dir() -> Path:
    return shared("reference/asem", "iData.csv")


def read_reference(path: Path) -> pd.DataFrame:
    """A reference CSV, floats exact to the last bit."""
    kw = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    return pd.read_csv(path, **kw)


@pytest.fixture(scope="session")
def asem_tables(asem_dir):
    """COINr's iMeta and iData as DataFrames."""
    return read_reference(asem_dir / "iMeta.csv"), read_reference(asem_dir / "iData.csv")


@pytest.fixture(scope="session")
def case_a(asem_tables):
    imeta, idata = asem_tables
    return ci.run(CASE_A_STEPS, idata=idata, imeta=imeta)


@pytest.fixture(scope="session")
def case_b(asem_tables):
    imeta, idata = asem_tables
    return ci.run(CASE_B_STEPS, idata=idata, imeta=imeta)
