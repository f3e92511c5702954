"""`paceline zones`: a stable CLI for every sport's zones (issue 19), checked against hand-worked numbers."""

import json
import subprocess

import pytest

from conftest import BINARY


def zones(*args):
    return subprocess.run([BINARY, "zones", *args], capture_output=True, text=True, timeout=30)


def test_bike_zones_from_ftp_are_coggans_levels():
    result = zones("--sport", "bike", "--ftp", "250", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sport"] == "bike" and report["threshold"] == {"ftp_w": 250}
    by_zone = {row["zone"]: row for row in report["zones"]}
    # 91–105 % of 250 W; 106–120 %.
    assert (by_zone["z3"]["low_w"], by_zone["z3"]["high_w"]) == (228, 263)
    assert (by_zone["z4"]["low_w"], by_zone["z4"]["high_w"]) == (265, 300)
    lows = [row["low_w"] for row in report["zones"]]
    assert lows == sorted(lows)


def test_swim_zones_from_a_400_and_200_test():
    result = zones("--sport", "swim", "--test-400", "6:00", "--test-200", "2:50", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["threshold"] == {"css_s_per_100m": 95.0}
    z3 = next(row for row in report["zones"] if row["zone"] == "z3")
    assert (z3["fast_s_per_100m"], z3["slow_s_per_100m"]) == (94.0, 100.0)
    text = zones("--sport", "swim", "--css", "1:35")
    assert text.returncode == 0 and "1:34–1:40/100 m" in text.stdout


def test_run_zones_from_vdot_and_friels_running_bands():
    result = zones("--sport", "run", "--vdot", "50", "--lthr", "170", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    z3 = next(row for row in report["zones"] if row["zone"] == "z3")
    assert (z3["low_bpm"], z3["high_bpm"]) == (162, 173)
    assert z3["fast_s_per_km"] < z3["slow_s_per_km"]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--sport", "rowing", "--ftp", "250"],
        ["--sport", "bike"],
        ["--sport", "bike", "--ftp", "1e309"],
        ["--sport", "bike", "--ftp", "nan"],
        ["--sport", "bike", "--ftp", "-5"],
        ["--sport", "run", "--ftp", "250"],
        ["--sport", "swim", "--css", "abc"],
        ["--sport", "swim", "--test-400", "6:00"],
        ["--sport", "swim", "--test-400", "6:00", "--test-200", "3:10"],
        ["--sport", "swim", "--css", "1:35", "--test-400", "6:00", "--test-200", "2:50"],
        ["--sport", "run", "--vdot", "999999999999999999999"],
        ["--sport", "bike", "--lthr", "40"],
    ],
)
def test_bad_input_exits_2_with_a_message(args):
    result = zones(*args)
    assert result.returncode == 2, (args, result.returncode, result.stdout)
    assert result.stderr.strip(), args
