"""Benchmark of helpers.pk population simulation and of the lesson-01 explorer redraw.

Run: .venv/bin/python benchmarks/bench_pk.py

1. A population of 1,000 subjects x 1,000 time points x 10 doses with the vectorised
   closed form (goal: <= 100 ms) against a per-subject scipy ODE loop (goal: >= 50x slower;
   the ODE loop is timed on a subset of subjects and scaled, and its answers are checked
   against the closed form).
2. The redraw of the lesson-01 explorer (goal: well under 0.1 s).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from helpers import pk

N_SUBJECTS, N_TIMES, N_DOSES = 1000, 1000, 10
TAU_H = 24.0
TYPICAL = dict(dose_mg=10.0, ka_per_h=1.2, ke_per_h=0.05, v_l=100.0)
ODE_SUBJECTS = 20  # timed ODE subjects (scaled to 1,000)


def best_of(fn, repeats=7):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), out


def main() -> None:
    t_h = np.linspace(0.0, N_DOSES * TAU_H + 48.0, N_TIMES)
    dose_times = np.arange(N_DOSES) * TAU_H

    def closed():
        return pk.simulate_population(
            t_h,
            dose_times,
            TYPICAL["dose_mg"],
            TYPICAL["ka_per_h"],
            TYPICAL["ke_per_h"],
            TYPICAL["v_l"],
            n_subjects=N_SUBJECTS,
            between_subject_cv=0.3,
            seed=1,
        )

    closed()  # warm-up
    best, median, pop = best_of(closed)
    assert pop.shape == (N_SUBJECTS, N_TIMES)

    ind = pk.sample_parameters(
        {"ka_per_h": TYPICAL["ka_per_h"], "ke_per_h": TYPICAL["ke_per_h"], "v_l": TYPICAL["v_l"]},
        0.3,
        N_SUBJECTS,
        seed=1,
    )
    t0 = time.perf_counter()
    ode_rows = [
        pk.one_compartment_oral_ode(
            t_h,
            dose_times,
            TYPICAL["dose_mg"],
            float(ind["ka_per_h"][i, 0]),
            float(ind["ke_per_h"][i, 0]),
            float(ind["v_l"][i, 0]),
            rtol=1e-8,
            atol=1e-10,
        )
        for i in range(ODE_SUBJECTS)
    ]
    ode_per_subject = (time.perf_counter() - t0) / ODE_SUBJECTS
    ode_total = ode_per_subject * N_SUBJECTS
    max_diff = float(np.max(np.abs(np.array(ode_rows) - pop[:ODE_SUBJECTS])))
    speedup = ode_total / best

    print(f"population {N_SUBJECTS} subjects x {N_TIMES} times x {N_DOSES} doses")
    print(
        f"  vectorised closed form : best {best * 1e3:7.1f} ms, median {median * 1e3:7.1f} ms (goal <= 100 ms)"
        f"  {'OK' if best <= 0.1 else 'MISSED'}"
    )
    print(
        f"  per-subject ODE loop   : {ode_total:7.2f} s for {N_SUBJECTS} subjects "
        f"(timed {ODE_SUBJECTS}, {ode_per_subject * 1e3:.1f} ms each)"
    )
    print(
        f"  speed-up               : {speedup:,.0f}x (goal >= 50x)  {'OK' if speedup >= 50 else 'MISSED'}"
    )
    print(f"  max |closed - ODE|     : {max_diff:.2e} mg/L")

    # ------------------------------------------------------------- explorer redraw
    import matplotlib.pyplot as plt

    from helpers.plots import image_bytes
    from helpers.plots.pk import DimensionlessExplorerPanel

    t_grid = np.linspace(0.0, 10.0, 400)
    panel = DimensionlessExplorerPanel(t_grid, y_max=float(pk.accumulation_ratio(0.25)) * 1.05)

    def redraw(interval):
        y_arm = pk.dimensionless_profile(t_grid, 0.53, 15, 390.0)
        y_user = pk.dimensionless_profile(t_grid, interval, int(10.0 / interval) + 1, 5.0)
        fig = panel.update(y_arm, y_user, f"τ/t½ = {interval:g}")
        image_bytes(fig)  # what plots.explorer does on every change
        plt.close(fig)

    redraw(1.0)  # first render draws the static background
    times = []
    for interval in np.arange(0.25, 5.01, 0.25):
        t0 = time.perf_counter()
        redraw(float(interval))
        times.append(time.perf_counter() - t0)
    print("explorer redraw (lesson 01, 20 slider positions)")
    print(
        f"  median {statistics.median(times) * 1e3:6.1f} ms, max {max(times) * 1e3:6.1f} ms "
        f"(goal well under 100 ms)  {'OK' if statistics.median(times) < 0.1 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
