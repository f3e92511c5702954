"""The JSON API against a real server: tokens made on the account page, the README's curl examples,
and schemathesis generating requests for every operation of the OpenAPI document."""

import datetime
import json
import os
import re
import subprocess
import tempfile
import urllib.error
import urllib.request

import gpxpy.gpx
import pytest

from conftest import ROOT, Web, demo_server

SLUG = "apiclub"
STATE = {}


@pytest.fixture(scope="module")
def api_server():
    # Schemathesis sends thousands of requests a minute: the rate limit is lifted here and tested in APITests.
    with demo_server(slug=SLUG, athletes=6, env={"PACELINE_API_RATE": "1000000"}) as base:
        yield base


def make_token(base, email, scope="write"):
    """A token made the way a person makes one: signed in, on the account page."""
    web = Web(base)
    web.log_in(email)
    web.get("/account/tokens")
    status, body = web.post(
        "/account/tokens", [("name", f"e2e {scope}"), ("organization", SLUG), ("scope", scope), ("expires", "30")]
    )
    assert status == 201, body[:500]
    found = re.search(r"pl_[A-Za-z0-9_-]{43}", body)
    assert found, "the new token is not on the page"
    return found.group(0)


def call(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def tokens(base):
    if base not in STATE:
        STATE[base] = {
            "athlete": make_token(base, f"athlete2@{SLUG}.test"),
            "coach": make_token(base, f"coach1@{SLUG}.test"),
            "reader": make_token(base, f"athlete3@{SLUG}.test", scope="read"),
        }
    return STATE[base]


def test_tokens_from_the_account_page_act_as_their_member(api_server):
    t = tokens(api_server)
    status, _, me = call(api_server, t["athlete"], "GET", "/me")
    assert status == 200 and me["role"] == "athlete" and me["organization"]["slug"] == SLUG
    status, _, coach = call(api_server, t["coach"], "GET", "/me")
    assert status == 200 and coach["role"] == "coach"
    status, headers, problem = call(api_server, t["reader"], "POST", "/check-ins", {"date": "2026-01-01"})
    assert status == 403 and headers["Content-Type"] == "application/problem+json" and problem["status"] == 403
    status, _, problem = call(api_server, t["athlete"] + "x", "GET", "/me")
    assert status == 401 and problem["type"].endswith("/unauthorized")
    with urllib.request.urlopen(api_server + "/api/v1/openapi.json", timeout=10) as response:
        served = json.loads(response.read())
    with open(os.path.join(ROOT, "Public", "api", "v1", "openapi.json")) as document:
        assert served == json.load(document)


def readme_blocks():
    """The shell blocks of the README's "Use the API" section: the athlete's, then the coach's."""
    with open(os.path.join(ROOT, "README.md")) as readme:
        text = readme.read()
    section = text.split("## Use the API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def test_the_readmes_curl_examples_work(api_server):
    t = tokens(api_server)
    athlete_block, coach_block = readme_blocks()
    workdir = tempfile.mkdtemp(prefix="paceline-readme-")
    # The file the upload example names: a 5 km run this morning.
    track = gpxpy.gpx.GPX()
    segment = gpxpy.gpx.GPXTrackSegment()
    track.tracks.append(gpxpy.gpx.GPXTrack())
    track.tracks[0].segments.append(segment)
    start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=3)
    for i in range(301):
        at = start + datetime.timedelta(seconds=5 * i)
        segment.points.append(gpxpy.gpx.GPXTrackPoint(46.05 + i * 0.00015, 14.5, elevation=300, time=at))
    with open(os.path.join(workdir, "morning-run.gpx"), "w") as gpx:
        gpx.write(track.to_xml())
    for block, token in [(athlete_block, t["athlete"]), (coach_block, t["coach"])]:
        env = dict(os.environ, PACELINE=api_server, PACELINE_TOKEN=token)
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr + result.stdout
        # Every curl printed JSON: one document a line after splitting on the objects' boundaries.
        assert result.stdout.strip().startswith("{")
    status, _, page = call(api_server, t["athlete"], "GET", "/activities?limit=50")
    assert any(a["source"] == "gpx" and a["file_name"] == "morning-run.gpx" for a in page["items"])
    status, _, paused = call(api_server, t["coach"], "GET", "/instances?status=paused")
    assert status == 200 and paused["items"]


CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
    ]
)


@pytest.mark.parametrize("who", ["athlete", "coach"])
def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(api_server, who):
    """Every operation with generated valid and invalid input, as an athlete and as a coach: no 5xx,
    every status, content type, header and body as the document says, invalid input refused, and
    no operation that answers without the token."""
    token = tokens(api_server)[who]
    report = tempfile.mkdtemp(prefix="paceline-schemathesis-")
    command = [
        os.path.join(ROOT, ".venv", "bin", "st"),
        "run",
        os.path.join(ROOT, "Public", "api", "v1", "openapi.json"),
        "--url",
        api_server + "/api/v1",
        "-H",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        "40",
        "--seed",
        "18",
        "--workers",
        "2",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        report,
    ]
    result = subprocess.run(command, cwd=report, capture_output=True, text=True, timeout=900)
    with open(os.path.join(tempfile.gettempdir(), f"schemathesis-{who}.log"), "w") as log:
        log.write(result.stdout + result.stderr)
    tail = result.stdout[-6000:]
    assert result.returncode == 0, tail + result.stderr[-2000:]
