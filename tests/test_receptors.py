"""Tests of helpers.receptors: textbook identities, limits and a fit that recovers known values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import receptors as rc


def test_occupancy_identities():
    assert rc.occupancy(10.0, 10.0) == pytest.approx(0.5)
    assert rc.occupancy(90.0, 10.0) == pytest.approx(0.9)
    assert rc.occupancy(0.0, 10.0) == 0.0
    # occupancy of 1/(1+Ki/C): 10-fold below Ki → 1/11
    assert rc.occupancy(1.0, 10.0) == pytest.approx(1 / 11)


def test_p_conversions():
    assert rc.nm_from_p(9.0) == pytest.approx(1.0)
    assert rc.nm_from_p(9.89) == pytest.approx(10 ** (-0.89))
    np.testing.assert_allclose(rc.p_from_nm(rc.nm_from_p([6.5, 8.0, 9.56])), [6.5, 8.0, 9.56])


def test_cheng_prusoff():
    # radioligand at its KD doubles IC50 relative to Ki
    assert rc.cheng_prusoff_ki(20.0, 1.0, 1.0) == pytest.approx(10.0)
    assert rc.cheng_prusoff_ki(20.0, 0.0, 1.0) == pytest.approx(20.0)
    assert rc.ic50_from_ki(rc.cheng_prusoff_ki(37.0, 2.5, 0.8), 2.5, 0.8) == pytest.approx(37.0)


def test_cheng_prusoff_matches_competitive_binding_simulation():
    """IC50 read off a simulated competition curve equals Ki·(1 + L/KD)."""
    ki, kd, lig = 12.0, 0.7, 2.1
    conc = np.logspace(-3, 5, 200001)
    # fraction of radioligand bound with competitor: (L/KD) / (1 + L/KD + I/Ki)
    bound = (lig / kd) / (1 + lig / kd + conc / ki)
    half = bound[0] / 2
    ic50 = conc[np.argmin(np.abs(bound - half))]
    assert ic50 == pytest.approx(rc.ic50_from_ki(ki, lig, kd), rel=1e-3)


def test_hill_midpoint_and_limits():
    assert rc.hill(5.0, 80.0, 5.0, 2.0) == pytest.approx(40.0)
    assert rc.hill(1e9, 80.0, 5.0) == pytest.approx(80.0, rel=1e-6)
    assert rc.hill(0.0, 80.0, 5.0, e0=3.0) == pytest.approx(3.0)


def test_operational_model_identities():
    ka, tau, em = 100.0, 3.0, 100.0
    emax_obs = rc.operational_emax(tau, em)
    ec50_obs = rc.operational_ec50(ka, tau)
    assert emax_obs == pytest.approx(75.0)
    assert ec50_obs == pytest.approx(25.0)
    # at the observed EC50 the response is half the observed maximum
    assert rc.operational_model(ec50_obs, ka, tau, em) == pytest.approx(emax_obs / 2)
    # with slope 1 the operational model is a Hill curve with those parameters
    c = np.logspace(-2, 5, 50)
    np.testing.assert_allclose(
        rc.operational_model(c, ka, tau, em), rc.hill(c, emax_obs, ec50_obs), rtol=1e-12
    )
    # high efficacy → full agonist with EC50 far below KA (receptor reserve)
    assert rc.operational_emax(1e4) == pytest.approx(100.0, rel=1e-3)
    assert rc.operational_ec50(ka, 1e4) < ka / 1000
    # tau = 0 → no response at any concentration (a pure antagonist)
    assert rc.operational_model(1e6, ka, 0.0) == 0.0


def test_fit_hill_recovers_known_parameters():
    rng = np.random.default_rng(42)
    conc = np.logspace(-1, 4, 12)
    truth = dict(emax=41.3, ec50_nm=120.0, n_hill=1.0)
    y = rc.hill(conc, truth["emax"], truth["ec50_nm"], truth["n_hill"]) + rng.normal(0, 0.5, 12)
    fit = rc.fit_hill(conc, y)
    assert fit.emax == pytest.approx(truth["emax"], abs=3 * fit.emax_se + 0.5)
    assert fit.ec50_nm == pytest.approx(truth["ec50_nm"], rel=0.15)
    assert fit.n_hill == pytest.approx(1.0, abs=0.15)
    fixed = rc.fit_hill(conc, y, fix_n=1.0)
    assert fixed.n_hill == 1.0 and fixed.n_hill_se == 0.0
    assert fixed.ec50_nm == pytest.approx(truth["ec50_nm"], rel=0.1)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: rc.occupancy(-1.0, 10.0), "conc_nm"),
        (lambda: rc.occupancy(1.0, 0.0), "ki_nm"),
        (lambda: rc.hill(1.0, 1.0, -5.0), "ec50_nm"),
        (lambda: rc.fit_hill([1, 2, 3], [1, 2]), "same length"),
        (lambda: rc.fit_hill([1, 2, 3], [1, 2, 3]), "more than 3"),
    ],
)
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@settings(max_examples=80, deadline=None)
@given(c=st.floats(0, 1e6), ki=st.floats(1e-3, 1e5), k=st.floats(1.01, 100))
def test_occupancy_bounded_and_monotone(c, ki, k):
    o = rc.occupancy(c, ki)
    assert 0.0 <= o < 1.0 or (o == 1.0 and c / ki > 1e15)
    assert rc.occupancy(c * k, ki) >= o
    # Ki-scaling invariance: only C/Ki matters
    assert rc.occupancy(c * k, ki * k) == pytest.approx(o, rel=1e-12, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(tau=st.floats(0.0, 1e3), ka=st.floats(1e-2, 1e4), c=st.floats(0, 1e6))
def test_operational_response_below_ceiling(tau, ka, c):
    e = rc.operational_model(c, ka, tau)
    assert 0.0 <= e <= rc.operational_emax(tau) + 1e-9
