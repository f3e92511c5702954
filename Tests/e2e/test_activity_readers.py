"""`paceline activity summary` against gpxpy on gpxpy's own test files (Tests/Fixtures/README.md):
distance within 1 %, elapsed time exact to the second."""

import glob
import json
import os
import subprocess

import gpxpy
import pytest

from conftest import BINARY, ROOT

FILES = sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "gpx", "*.gpx")))


def summary(path):
    result = subprocess.run([BINARY, "activity", "summary", path, "--json"], capture_output=True, text=True)
    return result.returncode, (json.loads(result.stdout) if result.returncode == 0 else result.stderr)


@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_summary_agrees_with_gpxpy(path):
    with open(path) as f:
        reference = gpxpy.parse(f)
    points = [p for t in reference.tracks for s in t.segments for p in s.points]
    code, ours = summary(path)
    if not points:
        assert code == 2 and "no track points" in ours
        return
    assert code == 0, ours
    assert ours["points"] == len(points)
    expected = reference.length_2d()
    assert abs(ours["distance_m"] - expected) <= 0.01 * expected + 0.5, (ours["distance_m"], expected)
    bounds = reference.get_time_bounds()
    if bounds.start_time and bounds.end_time:
        assert ours["elapsed_s"] == round((bounds.end_time - bounds.start_time).total_seconds())


def test_bad_files_exit_2_with_a_message(tmp_path):
    for name, content in [
        ("cut.gpx", b"<gpx><trk><trkseg><trkpt lat='1' lon='2'>"),
        ("junk.gpx", bytes(range(256)) * 4),
        ("empty.gpx", b""),
        ("note.txt", b"hello"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        code, message = summary(str(path))
        assert code == 2 and message.startswith("error:"), (name, message)


TCX_FILES = sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "tcx", "*.tcx")))


@pytest.mark.parametrize("path", TCX_FILES, ids=os.path.basename)
def test_tcx_summary_agrees_with_tcxparser(path):
    import tcxparser

    reference = tcxparser.TCXParser(path)
    code, ours = summary(path)
    assert code == 0, ours
    assert abs(ours["distance_m"] - reference.distance) <= 0.01 * reference.distance
    assert ours["timer_s"] == round(reference.duration)  # the laps' own totals
    assert abs(ours["avg_hr"] - reference.hr_avg) <= 1  # tcxparser truncates to an integer
    assert ours["max_hr"] == reference.hr_max
    assert ours["start_time"] == reference.started_at.replace("+00:00", "Z")
    assert ours["sport"] == reference.activity_type


def test_fit_summary_agrees_with_garmin_fit_sdk():
    from garmin_fit_sdk import Decoder, Stream

    path = os.path.join(ROOT, "Tests", "Fixtures", "fit", "cerknicko-run.fit")
    assert Decoder(Stream.from_file(path)).check_integrity()  # (this consumes its stream)
    messages, errors = Decoder(Stream.from_file(path)).read()
    assert errors == []
    session = messages["session_mesgs"][0]
    code, ours = summary(path)
    assert code == 0, ours
    assert abs(ours["distance_m"] - session["total_distance"]) <= 0.01 * session["total_distance"]
    assert ours["elapsed_s"] == round(session["total_elapsed_time"]) and ours["timer_s"] == round(
        session["total_timer_time"]
    )
    assert abs(ours["avg_hr"] - session["avg_heart_rate"]) <= 1 and ours["max_hr"] == session["max_heart_rate"]
    assert ours["points"] == len(messages["record_mesgs"])
    assert ours["start_time"] == session["start_time"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ours["sport"] == session["sport"]


def test_fit_compressed_timestamps_agree_with_fitdecode():
    import fitdecode

    path = os.path.join(ROOT, "Tests", "Fixtures", "fit", "compressed-timestamps.fit")
    with fitdecode.FitReader(path) as reader:
        records = [f for f in reader if isinstance(f, fitdecode.FitDataMessage) and f.name == "record"]
    code, ours = summary(path)
    assert code == 0, ours
    assert ours["points"] == len(records)
    first, last = records[0].get_value("timestamp"), records[-1].get_value("timestamp")
    assert ours["elapsed_s"] >= round((last - first).total_seconds())
    assert abs(ours["distance_m"] - records[-1].get_value("distance")) < 0.5
