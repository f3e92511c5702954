"""`paceline plan endurance`: cycling and triathlon plans from the command line (issue 19, item 6)."""

import json
import subprocess

import pytest

from conftest import BINARY


def endurance(*args):
    return subprocess.run([BINARY, "plan", "endurance", *args], capture_output=True, text=True, timeout=30)


BASE = [
    "--goal", "olympic-triathlon", "--weeks", "12", "--hours", "8", "--level", "intermediate",
    "--training-days", "mon,tue,wed,thu,sat,sun", "--long-day", "sat", "--quality-days", "tue,thu",
    "--today", "2027-01-04",
]


def test_an_olympic_triathlon_plan_as_json():
    result = endurance(*BASE, "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["name"] == "Olympic triathlon plan, 12 weeks (intermediate)"
    assert plan["duration_in_weeks"] == 12 and len(plan["weeks"]) == 12
    sports = {day["workout"]["type"] for day in plan["weeks"][4]["days"] if day["workout"]}
    assert sports == {"swim", "bike", "run"}
    saturday = next(day for day in plan["weeks"][4]["days"] if day["weekday"] == "sat")
    assert saturday["workout"]["name"].startswith("Brick: long ride and a")
    race = [day for day in plan["weeks"][-1]["days"] if day["workout"]][-1]
    assert race["weekday"] == "sat" and race["workout"]["subtype"] == "triathlon"
    assert race["workout"]["name"] == "Race: Olympic triathlon (1500 m swim, 40 km bike, 10 km run)"
    # Rides steer by power, swims and runs by pace.
    for week in plan["weeks"]:
        for day in week["days"]:
            workout = day["workout"]
            if workout:
                expected = "power" if workout["type"] == "bike" else "pace"
                assert all(b["block_intensity_target"] == expected for b in workout["blocks"]), workout["name"]


def test_a_cycling_plan_as_text_with_a_date():
    result = endurance(
        "--goal", "cycling", "--event-date", "2027-04-17", "--hours", "7", "--level", "basic",
        "--training-days", "tue,thu,sat,sun", "--long-day", "sun", "--quality-days", "tue",
        "--ftp", "240", "--event-km", "120", "--today", "2027-01-04")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Cycling event plan, 15 weeks (basic)")
    assert "Generated for FTP 240 W" in result.stdout
    assert "Week 1 — base — bike 420 min" in result.stdout
    assert "Sat  Event: 120 km ride" in result.stdout


@pytest.mark.parametrize(
    "change,message",
    [
        ({"--goal": "ironman"}, "--goal must be"),
        ({"--hours": "lots"}, "--hours must be a number"),
        ({"--hours": "40"}, "2–25"),
        ({"--level": "pro"}, "--level must be"),
        ({"--long-day": "someday"}, "is not a weekday"),
        ({"--long-day": "fri"}, "long day must be a training day"),
        ({"--weeks": "3"}, "8–30 weeks"),
        ({"--training-days": "sat,sun"}, "at least 4 training days"),
        ({"--today": "yesterday"}, "--today must be"),
    ],
)
def test_bad_input_exits_2_with_a_message(change, message):
    args = list(BASE)
    for key, value in change.items():
        args[args.index(key) + 1] = value
    result = endurance(*args)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and result.stdout == ""


def test_cycling_needs_an_ftp():
    result = endurance(
        "--goal", "cycling", "--weeks", "8", "--hours", "6", "--level", "basic", "--training-days", "tue,thu,sun",
        "--long-day", "sun", "--today", "2027-01-04")
    assert result.returncode == 2 and "FTP" in result.stderr
