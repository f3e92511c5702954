"""`paceline model fit` (a stable interface): a synthetic athlete simulated here, independently of
the Swift code, with known Banister parameters; the fit must find τ1/τ2 within 10 % with rich
data and keep 42/7 (tau_fitted false) with thin data."""

import datetime
import json
import math
import random
import subprocess

from conftest import BINARY

KEYS = {"p0", "k1", "k2", "tau1", "tau2", "tau_fitted", "rmse", "markers", "recovery_half_life_days"}


def simulate(tmp_path, every, tau1=32.0, tau2=9.0, days=300, seed=7):
    rng = random.Random(seed)
    start = datetime.date(2026, 1, 1)
    loads = []
    for day in range(days):
        block = (day // 21) % 4
        base = [40, 60, 80, 25][block]
        loads.append(0 if day % 7 == 0 else base * (1.8 if day % 7 in (3, 6) else 0.8) * (0.8 + 0.4 * rng.random()))
    g1 = g2 = 0.0
    perf = []
    for t in range(days):
        if t > 0:
            g1 = (g1 + loads[t - 1]) * math.exp(-1 / tau1)
            g2 = (g2 + loads[t - 1]) * math.exp(-1 / tau2)
        perf.append(45 + 0.004 * g1 - 0.012 * g2)
    loads_csv = tmp_path / "loads.csv"
    loads_csv.write_text(
        "date,load\n" + "".join(f"{start + datetime.timedelta(days=d)},{l:.3f}\n" for d, l in enumerate(loads))
    )
    perf_csv = tmp_path / "perf.csv"
    perf_csv.write_text(
        "date,value\n"
        + "".join(
            f"{start + datetime.timedelta(days=d)},{perf[d] + rng.uniform(-0.05, 0.05):.4f}\n"
            for d in range(30, days, every)
        )
    )
    return loads_csv, perf_csv


def fit(loads_csv, perf_csv):
    result = subprocess.run(
        [BINARY, "model", "fit", "--loads", str(loads_csv), "--performances", str(perf_csv), "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_rich_data_recovers_the_time_constants(tmp_path):
    out = fit(*simulate(tmp_path, every=5))
    assert KEYS <= set(out)
    assert out["tau_fitted"] is True
    assert abs(out["tau1"] - 32) / 32 < 0.10
    assert abs(out["tau2"] - 9) / 9 < 0.10
    assert abs(out["recovery_half_life_days"] - out["tau2"] * math.log(2)) < 1e-9


def test_thin_data_keeps_42_and_7(tmp_path):
    loads_csv, perf_csv = simulate(tmp_path, every=60)
    out = fit(loads_csv, perf_csv)
    assert out["tau_fitted"] is False and out["tau1"] == 42 and out["tau2"] == 7
    assert out["markers"] == 5


def test_bad_input_exits_2(tmp_path):
    loads_csv, perf_csv = simulate(tmp_path, every=5)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,load\n2026-01-01,-5\n")
    result = subprocess.run(
        [BINARY, "model", "fit", "--loads", str(bad), "--performances", str(perf_csv), "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "load of zero or more" in result.stderr
    outside = tmp_path / "outside.csv"
    outside.write_text("date,value\n2030-01-01,50\n")
    result = subprocess.run(
        [BINARY, "model", "fit", "--loads", str(loads_csv), "--performances", str(outside)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "within the loads' dates" in result.stderr
