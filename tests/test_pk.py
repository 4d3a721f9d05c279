"""Tests of helpers.pk: closed forms against scipy's ODE solver, textbook identities,
NCA against known answers, and properties (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp

from helpers import pk

T = np.linspace(0.0, 72.0, 145)


def ode_two_compartment(t, dose, ka, cl, v1, q, v2, f=1.0):
    k10, k12, k21 = cl / v1, q / v1, q / v2

    def rhs(_t, y):
        g, c, p = y
        return [-ka * g, ka * g - (k10 + k12) * c + k21 * p, k12 * c - k21 * p]

    sol = solve_ivp(
        rhs, (0, t[-1]), [f * dose, 0, 0], t_eval=t, method="LSODA", rtol=1e-11, atol=1e-13
    )
    return sol.y[1] / v1


# ----------------------------------------------------------------- closed form vs ODE
@pytest.mark.parametrize(
    "ka,ke",
    [(1.5, 0.1), (0.05, 0.3), (0.7, 0.69)],  # normal, flip-flop, nearly equal
)
def test_one_compartment_matches_ode(ka, ke):
    closed = pk.one_compartment_oral(T, 100.0, ka, ke, 50.0, f=0.8)
    ode = pk.one_compartment_oral_ode(T, [0.0], 100.0, ka, ke, 50.0, f=0.8)
    np.testing.assert_allclose(closed, ode, atol=1e-8, rtol=0)


def test_two_compartment_matches_ode():
    args = dict(dose_mg=100.0, ka_per_h=1.2, cl_l_per_h=5.0, v1_l=30.0, q_l_per_h=8.0, v2_l=90.0)
    closed = pk.two_compartment_oral(T, f=0.7, **args)
    ode = ode_two_compartment(T, 100.0, 1.2, 5.0, 30.0, 8.0, 90.0, f=0.7)
    np.testing.assert_allclose(closed, ode, atol=1e-8, rtol=0)


def test_two_compartment_reduces_to_one_when_peripheral_tiny():
    # Q → 0 decouples the peripheral compartment: the model becomes one-compartment.
    two = pk.two_compartment_oral(T, 100.0, 1.0, 5.0, 40.0, 1e-9, 10.0)
    one = pk.one_compartment_oral(T, 100.0, 1.0, 5.0 / 40.0, 40.0)
    np.testing.assert_allclose(two, one, atol=1e-8)


def test_superposition_matches_ode_for_repeated_doses():
    tau = np.arange(6) * 12.0 + 0.5
    sup = pk.repeated_doses(
        pk.one_compartment_oral, T, tau, dose_mg=20.0, ka_per_h=0.9, ke_per_h=0.08, v_l=70.0
    )
    ode = pk.one_compartment_oral_ode(T, tau, 20.0, 0.9, 0.08, 70.0)
    np.testing.assert_allclose(sup, ode, atol=1e-8, rtol=0)
    fast = pk.one_compartment_oral_repeated(T, tau, 20.0, 0.9, 0.08, 70.0)
    np.testing.assert_allclose(fast, sup, atol=1e-12, rtol=1e-10)


def test_fast_repeated_equals_superposition_per_subject_and_near_equal_rates():
    rng = np.random.default_rng(3)
    ka = rng.uniform(0.1, 2, size=(20, 1))
    ke = rng.uniform(0.02, 0.5, size=(20, 1))
    ke[0, 0] = ka[0, 0]  # exact equality handled by the limit formula
    ke[1, 0] = ka[1, 0] * (1 + 1e-8)
    tau = np.array([0.0, 8.0, 24.0, 30.0])
    fast = pk.one_compartment_oral_repeated(T, tau, 5.0, ka, ke, 10.0)
    sup = pk.repeated_doses(
        pk.one_compartment_oral, T, tau, dose_mg=5.0, ka_per_h=ka, ke_per_h=ke, v_l=10.0
    )
    assert fast.shape == (20, T.size)
    np.testing.assert_allclose(fast, sup, rtol=1e-9, atol=1e-13)


# ----------------------------------------------------------------- textbook identities
def test_auc_equals_f_dose_over_cl():
    ka, ke, v, f, dose = 1.1, 0.2, 35.0, 0.6, 50.0
    auc, _err = quad(lambda t: float(pk.one_compartment_oral(t, dose, ka, ke, v, f)), 0, np.inf)
    assert auc == pytest.approx(f * dose / (ke * v), rel=1e-8)


def test_tmax_formula_and_peak():
    ka, ke = 1.3, 0.15
    tmax = pk.tmax_one_compartment(ka, ke)
    assert tmax == pytest.approx(np.log(ka / ke) / (ka - ke))
    t = np.linspace(0, 30, 300001)
    c = pk.one_compartment_oral(t, 1.0, ka, ke, 1.0)
    assert t[np.argmax(c)] == pytest.approx(tmax, abs=1e-4)
    assert pk.tmax_one_compartment(0.4, 0.4) == pytest.approx(1 / 0.4)


def test_ka_equal_ke_limit():
    k = 0.3
    c = pk.one_compartment_oral(T, 10.0, k, k, 5.0)
    np.testing.assert_allclose(c, 10.0 / 5.0 * k * T * np.exp(-k * T), rtol=1e-12)


def test_ka_from_tmax_inverts_tmax_and_v_from_cmax():
    ke = pk.ke_from_half_life(20.0)
    ka = pk.ka_from_tmax(1.5, ke)
    assert pk.tmax_one_compartment(ka, ke) == pytest.approx(1.5, rel=1e-9)
    v = pk.v_from_cmax(0.02, 10.0, ka, ke)
    assert pk.cmax_one_compartment(10.0, ka, ke, v) == pytest.approx(0.02, rel=1e-9)
    with pytest.raises(ValueError, match="tmax_h"):
        pk.ka_from_tmax(100.0, ke)  # later than 1/ke: impossible


def test_accumulation_and_steady_state_in_half_lives():
    assert pk.accumulation_ratio(1.0) == pytest.approx(2.0)
    assert pk.accumulation_ratio(2.0) == pytest.approx(4 / 3)
    assert pk.accumulation_ratio_from_ke(0.1, 5.0) == pytest.approx(1 / (1 - np.exp(-0.5)))
    assert pk.time_to_fraction_of_steady_state(0.5) == pytest.approx(1.0)
    assert pk.time_to_fraction_of_steady_state(0.9) == pytest.approx(np.log2(10))
    # simulated trough ratio (last / first dose) approaches the accumulation ratio
    # (fast absorption, so that half a half-life after a dose only elimination remains)
    tau = 1.0
    first = pk.dimensionless_profile(np.array([0.5]), tau, 1, ka_over_ke=500.0)
    late = pk.dimensionless_profile(np.array([39.5]), tau, 40, ka_over_ke=500.0)
    assert late[0] / first[0] == pytest.approx(pk.accumulation_ratio(tau), rel=1e-6)


def test_unit_conversions_roundtrip():
    assert pk.ng_per_ml_to_nm(398.5, 398.5) == pytest.approx(1000.0)
    x = np.array([0.1, 5.0, 250.0])
    np.testing.assert_allclose(pk.nm_to_ng_per_ml(pk.ng_per_ml_to_nm(x, 414.5), 414.5), x)
    assert pk.mg_per_l_to_ng_per_ml(0.05) == pytest.approx(50.0)
    assert pk.ng_per_ml_to_mg_per_l(50.0) == pytest.approx(0.05)


# ----------------------------------------------------------------- NCA
def test_nca_on_sparse_sampling_against_closed_form():
    ka, ke, v, dose = 1.2, 0.1, 40.0, 100.0
    t = np.array([0, 0.5, 1, 2, 3, 4, 6, 8, 12, 24, 36, 48, 72.0])
    c = pk.one_compartment_oral(t, dose, ka, ke, v)
    r = pk.nca(t, c)
    assert r.cmax == pytest.approx(c.max())
    assert r.tmax_h == 2.0
    # automatic point selection (best adjusted R², ties → more points) is close to ke ...
    assert r.lambda_z_per_h == pytest.approx(ke, rel=5e-3)
    # ... and the last three points, where absorption is over, recover ke exactly
    r3 = pk.nca(t, c, n_terminal=3)
    assert r3.lambda_z_per_h == pytest.approx(ke, rel=1e-9)
    assert r3.t_half_h == pytest.approx(np.log(2) / ke, rel=1e-9)
    assert r.auc_inf == pytest.approx(dose / (ke * v), rel=0.02)  # trapezoid error on sparse data
    assert r.auc_last < r.auc_inf


def test_nca_log_down_is_exact_for_exponential_decline():
    t = np.array([0.0, 2, 5, 9, 14])
    c = 8.0 * np.exp(-0.3 * t)
    r = pk.nca(t, c)
    exact = 8.0 / 0.3 * (1 - np.exp(-0.3 * 14))
    assert r.auc_last == pytest.approx(exact, rel=1e-12)
    assert r.auc_inf == pytest.approx(8.0 / 0.3, rel=1e-12)


def test_nca_linear_up():
    r = pk.nca([0.0, 1.0, 2.0], [0.0, 4.0, 4.0])
    assert r.auc_last == pytest.approx(2.0 + 4.0)
    assert np.isnan(r.lambda_z_per_h)  # no terminal decline to fit


def test_short_sampling_cannot_pin_a_long_half_life():
    # sampling to 24 h only, with a true half-life of ~1 day: the extrapolated share of
    # AUC is large, which is why such a study cannot fix the half-life.
    ke = pk.ke_from_half_life(24.0)
    t = np.array([0, 0.5, 1, 2, 4, 6, 8, 12, 24.0])
    c = pk.one_compartment_oral(t, 10.0, 1.5, ke, 100.0)
    r = pk.nca(t, c)
    assert (r.auc_inf - r.auc_last) / r.auc_inf > 0.4


@pytest.mark.parametrize(
    "t,c,match",
    [
        ([0, 1, 2], [0, 1], "same length"),
        ([0, 2, 1], [0, 1, 0.5], "increasing"),
        ([0, 1, 2], [0, -1, 0.5], "≥ 0"),
        ([0], [1], "at least 2"),
    ],
)
def test_nca_rejects_bad_input(t, c, match):
    with pytest.raises(ValueError, match=match):
        pk.nca(t, c)


# ----------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(dose_mg=-1.0), "dose_mg"),
        (dict(ka_per_h=0.0), "ka_per_h"),
        (dict(ke_per_h=-0.1), "ke_per_h"),
        (dict(v_l=np.nan), "v_l"),
        (dict(f=1.5), "f must be in"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, match):
    base = dict(dose_mg=1.0, ka_per_h=1.0, ke_per_h=0.1, v_l=1.0, f=1.0)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        pk.one_compartment_oral(T, **base)


def test_two_compartment_rejects_ka_equal_to_disposition_rate():
    cl, v1, q, v2 = 5.0, 30.0, 8.0, 90.0
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s = k10 + k12 + k21
    beta = (s - np.sqrt(s * s - 4 * k10 * k21)) / 2
    with pytest.raises(ValueError, match="beta"):
        pk.two_compartment_oral(T, 1.0, beta, cl, v1, q, v2)


def test_population_rejects_bad_sizes():
    with pytest.raises(ValueError, match="n_subjects"):
        pk.simulate_population(T, [0.0], 1.0, 1.0, 0.1, 1.0, n_subjects=0)
    with pytest.raises(ValueError, match="shape"):
        pk.one_compartment_oral_repeated(T, [0.0], 1.0, np.ones(3), 0.1, 1.0)


# ----------------------------------------------------------------- population
def test_population_is_seeded_and_log_normal():
    kw = dict(n_subjects=4000, between_subject_cv=0.4, seed=11)
    a = pk.simulate_population(T, [0.0, 24.0], 10.0, 1.0, 0.1, 50.0, **kw)
    b = pk.simulate_population(T, [0.0, 24.0], 10.0, 1.0, 0.1, 50.0, **kw)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (4000, T.size)
    par = pk.sample_parameters({"v_l": 50.0}, 0.4, 4000, seed=11)["v_l"][:, 0]
    assert np.median(par) == pytest.approx(50.0, rel=0.05)  # typical value = median
    assert np.std(par) / np.mean(par) == pytest.approx(0.4, rel=0.1)
    # the population simulation uses exactly the sampled individuals
    ind = pk.sample_parameters({"ka_per_h": 1.0, "ke_per_h": 0.1, "v_l": 50.0}, 0.4, 4000, seed=11)
    direct = pk.one_compartment_oral_repeated(
        T, [0.0, 24.0], 10.0, ind["ka_per_h"], ind["ke_per_h"], ind["v_l"]
    )
    np.testing.assert_array_equal(a, direct)


def test_zero_cv_gives_identical_subjects():
    pop = pk.simulate_population(T, [0.0], 10.0, 1.0, 0.1, 50.0, n_subjects=5, between_subject_cv=0)
    np.testing.assert_allclose(
        pop, np.tile(pk.one_compartment_oral(T, 10.0, 1.0, 0.1, 50.0), (5, 1))
    )


# ----------------------------------------------------------------- properties
pos = st.floats(0.01, 5.0)


@settings(max_examples=60, deadline=None)
@given(dose=st.floats(0.1, 1000), k=st.floats(1.5, 10), ka=pos, ke=pos, v=st.floats(1, 500))
def test_linear_in_dose_and_non_negative(dose, k, ka, ke, v):
    c1 = pk.one_compartment_oral(T, dose, ka, ke, v)
    ck = pk.one_compartment_oral(T, k * dose, ka, ke, v)
    assert np.all(c1 >= 0)
    np.testing.assert_allclose(ck, k * c1, rtol=1e-12, atol=1e-300)


@settings(max_examples=40, deadline=None)
@given(ka=pos, ke=pos, v=st.floats(1, 500), f=st.floats(0.05, 1.0))
def test_mass_balance(ka, ke, v, f):
    """Amount in gut + body + eliminated equals F·dose at every time."""
    dose = 100.0
    t = np.linspace(0, 50, 51)
    gut = f * dose * np.exp(-ka * t)
    body = pk.one_compartment_oral(t, dose, ka, ke, v, f) * v
    # eliminated = ke·∫A_body dt, closed form from the integral of the model
    d = ka - ke
    if abs(d) < 1e-6:
        return
    integral_body = f * dose * ka / d * ((1 - np.exp(-ke * t)) / ke - (1 - np.exp(-ka * t)) / ka)
    eliminated = ke * integral_body
    np.testing.assert_allclose(gut + body + eliminated, f * dose, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    tau=st.floats(0.2, 5.0),
    n=st.integers(1, 8),
    ratio=st.floats(1.5, 20.0),
)
def test_superposition_is_sum_of_shifted_single_doses(tau, n, ratio):
    t = np.linspace(0, tau * n + 3, 97)
    multi = pk.dimensionless_profile(t, tau, n, ratio)
    single = sum(
        pk.one_compartment_oral(t - j * tau, 1.0, ratio * np.log(2), np.log(2), 1.0)
        for j in range(n)
    )
    np.testing.assert_allclose(multi, single, rtol=1e-9, atol=1e-14)
    assert np.all(multi >= 0)


def test_lambda_z_selection_matches_explicit_regressions():
    """The vectorised terminal-phase search agrees with scipy's linregress, fit by fit."""
    from scipy.stats import linregress

    rng = np.random.default_rng(5)
    t = np.array([0, 0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 36, 48.0])
    c = pk.one_compartment_oral(t, 10.0, 1.0, 0.08, 20.0) * np.exp(rng.normal(0, 0.1, t.size))
    r = pk.nca(t, c)
    i_max = int(np.argmax(c))
    x, y = t[i_max + 1 :], np.log(c[i_max + 1 :])
    fits = {}
    for n in range(3, x.size + 1):
        lr = linregress(x[-n:], y[-n:])
        r2 = lr.rvalue**2
        fits[n] = (-lr.slope, 1 - (1 - r2) * (n - 1) / (n - 2))
    best = max(v[1] for v in fits.values() if v[0] > 0)
    n_expected = max(n for n, v in fits.items() if v[0] > 0 and v[1] >= best - 1e-4)
    assert r.n_lambda_z == n_expected
    assert r.lambda_z_per_h == pytest.approx(fits[n_expected][0], rel=1e-9)
    assert r.r2_adj == pytest.approx(fits[n_expected][1], rel=1e-9)
    for n in (3, 5):
        assert pk.nca(t, c, n_terminal=n).lambda_z_per_h == pytest.approx(fits[n][0], rel=1e-9)


def test_explorer_panel_png_is_valid_and_changes_with_the_data():
    """The fast blitting figure of the lesson-01 explorer encodes a correct PNG."""
    import io

    from PIL import Image

    from helpers.plots import image_bytes
    from helpers.plots.pk import DimensionlessExplorerPanel

    t = np.linspace(0.0, 10.0, 200)
    panel = DimensionlessExplorerPanel(t, y_max=6.0)
    first = image_bytes(panel.update(pk.dimensionless_profile(t, 1.0, 10), np.zeros_like(t), "a"))
    second = image_bytes(panel.update(pk.dimensionless_profile(t, 2.0, 5), np.zeros_like(t), "b"))
    img = Image.open(io.BytesIO(second))
    assert img.mode == "RGB" and img.size == (770, 352)
    pixels = np.asarray(img)
    assert np.array_equal(pixels, np.asarray(panel.fig.canvas.buffer_rgba())[..., :3])
    assert first != second


def test_plain_log_ticks_label_decades_and_1_2_5_steps_without_minor_ticks():
    from helpers import plots
    from helpers.plots import plain_log_ticks

    fig, ax = plots.figure()
    ax.plot([1e-3, 1e3], [0.8, 70.0])
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain_log_ticks(ax, x=True, y=True)
    fig.canvas.draw()
    xlabels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    ylabels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    plots.show(fig, caption="test", alt="test")
    assert {"0.001", "1", "1,000"} <= set(xlabels)  # wide axis: decades, plain numbers
    assert "2" not in xlabels
    assert {"1", "2", "5", "10", "20", "50"} <= set(ylabels)  # narrow axis: 1-2-5 steps
    assert ax.xaxis.get_minorticklocs().size == 0
    fmt = ax.xaxis.get_major_formatter()
    assert [fmt(v) for v in (0.05, 250, 2e5, 1e6)] == ["0.05", "250", "200,000", "1,000,000"]
