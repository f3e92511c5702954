"""Every number (and number-like) option of the command line, with hostile values: the process
must answer with a message and exit status 2 (or 0 when the value happens to be acceptable),
never die of a signal (a Swift trap is SIGILL/SIGTRAP)."""

import os
import subprocess
import tempfile

import pytest

from conftest import BINARY, ROOT

HOSTILE = [
    "",
    "-1",
    "0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e19",
    "-1e19",
    "1e308",
    "-1e308",
    "1e309",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551616",
    "4.9e-324",
    "0x1p1023",
    "99999999:59:59",
    "25:61:61",
    "9999-99-99",
    "\u202egnp",
    "1" * 5000,
]


def run(args, stdin=""):
    result = subprocess.run(
        [BINARY, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        cwd=ROOT,
        env=dict(os.environ, PACELINE_BCRYPT_COST="10"),
    )
    return result


def assert_clean(result, args):
    assert result.returncode >= 0, f"{args[:6]} died of signal {-result.returncode}: {result.stderr[-400:]}"
    assert result.returncode in (0, 2), f"{args[:6]} exited {result.returncode}: {result.stderr[-400:]}"
    if result.returncode == 2:
        assert result.stderr.strip(), f"{args[:6]} exited 2 without a message"


BASE = {
    "vdot": ["vdot", "--distance", "5000", "--time", "20:00"],
    "vdot-level": ["vdot", "--distance", "5000", "--time", "20:00", "--weekly-km", "40", "--days", "5"],
    "plan": [
        "plan",
        "generate",
        "--race-distance",
        "10000",
        "--weeks",
        "10",
        "--vdot",
        "45",
        "--level",
        "intermediate",
        "--quality-days",
        "tue,thu",
        "--long-run-day",
        "sun",
        "--rest-days",
        "mon",
        "--weekly-km",
        "40",
        "--max-days",
        "6",
        "--today",
        "2027-01-04",
        "--json",
    ],
    "plan-date": [
        "plan",
        "generate",
        "--race-distance",
        "10000",
        "--race-date",
        "2027-04-04",
        "--vdot",
        "45",
        "--level",
        "basic",
        "--long-run-day",
        "sun",
        "--weekly-km",
        "30",
        "--today",
        "2027-01-04",
    ],
    "plan-endurance": [
        "plan",
        "endurance",
        "--goal",
        "cycling",
        "--weeks",
        "10",
        "--hours",
        "8",
        "--level",
        "intermediate",
        "--training-days",
        "tue,thu,sat,sun",
        "--long-day",
        "sat",
        "--quality-days",
        "tue,thu",
        "--ftp",
        "250",
        "--event-km",
        "120",
        "--today",
        "2027-01-04",
    ],
}


def replace(args, option, value):
    out = list(args)
    index = out.index(option)
    out[index + 1] = value
    return out


CASES = [
    (name, option)
    for name, args in BASE.items()
    for option in args
    if option.startswith("--")
    and option != "--json"
    and args.index(option) + 1 < len(args)
    and not args[args.index(option) + 1].startswith("--")
]


@pytest.mark.parametrize("name,option", CASES)
def test_number_options_never_trap(name, option):
    for value in HOSTILE:
        args = replace(BASE[name], option, value)
        assert_clean(run(args), args)


def test_demo_healthcheck_backup_and_model_options_never_trap():
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "fuzz.sqlite")
        for value in HOSTILE:
            for args in (
                ["demo", "--db", db, "--slug", "fuzz", "--athletes", value],
                ["healthcheck", "--port", value],
                ["healthcheck", "--port", "1", "--timeout", value],
                (
                    ["serve", "--db", db, "--port", value]
                    if value not in ("", "0")
                    else ["vdot", "--distance", value, "--time", "1"]
                ),
            ):
                result = run(args)
                # healthcheck answers 1 when nothing listens: that is its contract, not a trap.
                if args[0] == "healthcheck" and result.returncode == 1:
                    continue
                assert_clean(result, args)
        # Numbers inside files: the model's CSVs.
        for value in HOSTILE:
            loads = os.path.join(work, "loads.csv")
            performances = os.path.join(work, "perf.csv")
            with open(loads, "w") as f:
                f.write("date,load\n" + "".join(f"2027-01-{d:02d},{value if d == 5 else 50}\n" for d in range(1, 29)))
            with open(performances, "w") as f:
                f.write(f"date,value\n2027-01-10,{value}\n2027-01-20,50\n{value},3\n")
            args = ["model", "fit", "--loads", loads, "--performances", performances, "--json"]
            assert_clean(run(args), args)
