"""Two app servers on one PostgreSQL database (issue 21): a session made on one is good on the
other, writes through both all land once, and one server killed mid-run loses nothing the other
cannot finish. The cluster is `scripts/pg-test-cluster.sh` (Debian's postgresql, no Docker)."""

import concurrent.futures
import datetime
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import pytest

from conftest import BINARY, ROOT, Web, free_port, serve, server_env
from test_api import call

SLUG = "twin"


def cluster_url():
    try:
        out = subprocess.run(
            [os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "start"],
            check=True, capture_output=True, text=True, timeout=120,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.fail(f"no PostgreSQL for the two-server test: {error}")
    return out.stdout.strip().splitlines()[-1]


def make_token(base, email):
    """A write token made on the account page of `base`."""
    web = Web(base)
    web.log_in(email)
    web.get("/account/tokens")
    status, body = web.post(
        "/account/tokens", [("name", "twin"), ("organization", SLUG), ("scope", "write"), ("expires", "30")]
    )
    assert status == 201, body[:500]
    import re
    return re.search(r"pl_[A-Za-z0-9_-]{43}", body).group(0)


def all_check_ins(base, token):
    items, cursor = [], None
    while True:
        status, _, page = call(base, token, "GET", "/check-ins?limit=50" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, page
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


@pytest.fixture(scope="module")
def two_servers():
    url = cluster_url() + "?schema=twin_" + uuid.uuid4().hex[:12]
    workdir = tempfile.mkdtemp(prefix="paceline-twin-")
    envs = []
    for name in ("a", "b"):
        # No --db: PACELINE_DATABASE_URL selects PostgreSQL. PACELINE_DB only places each server's mail folder.
        os.makedirs(os.path.join(workdir, name))
        envs.append(server_env({"PACELINE_DATABASE_URL": url, "PACELINE_DB": os.path.join(workdir, name, "x.sqlite")}))
    subprocess.run([BINARY, "demo", "--slug", SLUG, "--athletes", "4"], check=True, env=envs[0], cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    # Both start at once: one migrates (under an advisory lock), the other finds it done.
    ports = (free_port(), free_port())
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        processes = list(pool.map(lambda i: serve(None, ports[i], envs[i]), range(2)))
    servers = [(process, f"http://127.0.0.1:{port}") for process, port in zip(processes, ports)]
    yield {"url": url, "servers": servers, "env": envs[0]}
    for process, _ in servers:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    shutil.rmtree(workdir, ignore_errors=True)


def test_a_session_made_on_one_server_is_good_on_the_other(two_servers):
    (_, a), (_, b) = two_servers["servers"]
    web = Web(a)
    web.log_in(f"coach1@{SLUG}.test")
    status, body = web.get("/o/twin/athletes")
    assert status == 200 and "Sign out" in body
    web.base = b
    status, body = web.get("/o/twin/athletes")
    assert status == 200 and "Sign out" in body, "the other server did not know the session"
    # A form token from one server's page is good on the other's POST (sessions and CSRF in the database).
    status, _ = web.post("/o/twin/groups", [("name", "Made on B")])
    assert status in (200, 303)
    web.base = a
    assert "Made on B" in web.get("/o/twin/groups")[1]


def test_writes_through_both_land_once_and_a_server_killed_mid_run_loses_nothing(two_servers):
    (process_a, a), (process_b, b) = two_servers["servers"]
    token = make_token(a, f"athlete2@{SLUG}.test")
    first = datetime.date(2026, 1, 1)
    days = [first + datetime.timedelta(days=i) for i in range(90)]
    acknowledged = {}

    def send(i, day):
        # The load balancer's part: a request to a dead server goes to the live one.
        body = {"date": day.isoformat(), "soreness": 1 + i % 5, "stress": 1 + (i * 3) % 5}
        for base in ((a, b) if i % 2 == 0 else (b, a)):
            try:
                status, _, answer = call(base, token, "POST", "/check-ins", body)
            except (urllib.error.URLError, ConnectionError, OSError):
                continue
            assert status in (200, 201), answer
            acknowledged[day.isoformat()] = (body["soreness"], body["stress"])
            return
        raise AssertionError(f"no server took {day}")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(send, i, day) for i, day in enumerate(days)]
        # Server B killed without warning while requests are in flight (a third of them answered).
        deadline = time.time() + 30
        while len(acknowledged) < 30 and time.time() < deadline:
            time.sleep(0.01)
        process_b.send_signal(signal.SIGKILL)
        for future in futures:
            future.result()
    process_b.wait(timeout=10)
    assert len(acknowledged) == len(days)

    by_day = {}
    for item in all_check_ins(a, token):
        if not days[0].isoformat() <= item["date"] <= days[-1].isoformat():
            continue  # the demo's own check-ins
        by_day.setdefault(item["date"], []).append(item)
    assert sorted(by_day) == sorted(acknowledged), "a saved check-in is missing, or one appeared unasked"
    for day, found in by_day.items():
        assert len(found) == 1, f"{day} saved twice"
        assert (found[0]["soreness"], found[0]["stress"]) == acknowledged[day]


def test_the_survivor_runs_the_background_work_once(two_servers):
    (_, a), _ = two_servers["servers"]
    # The engine's run over everyone was claimed by one server and finished; nothing proposed twice.
    query = (
        "SELECT (SELECT COUNT(*) FROM background_run WHERE name = 'engine' AND finished_at > '1971'),"
        " (SELECT COUNT(*) FROM (SELECT athlete_id, fingerprint FROM adaptation GROUP BY 1, 2"
        "  HAVING COUNT(*) > 1) d)"
    )
    url = two_servers["url"]
    schema = url.split("schema=")[1]
    base = url.split("?")[0]
    deadline = time.time() + 60
    while True:
        out = subprocess.run(
            ["psql", base, "-Atc", f"SET search_path TO {schema}; {query}"],
            capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()[-1]
        finished, duplicated = (int(x) for x in out.split("|"))
        if finished == 1 or time.time() > deadline:
            break
        time.sleep(1)
    assert finished == 1, "no server finished the engine's run"
    assert duplicated == 0
    with urllib.request.urlopen(a + "/healthz", timeout=5) as response:
        assert response.status == 200
