"""Hardening seen from outside, against a real server process: the status the client got is
what /metrics counts, secrets never reach the log, every response carries the security headers,
half-sent requests are cut off, and the log-in throttle counts the address the proxy saw."""

import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import BINARY, PASSWORD, ROOT, free_port


@pytest.fixture(scope="module")
def hardened():
    work = tempfile.mkdtemp(prefix="paceline-hardening-")
    db = os.path.join(work, "h.sqlite")
    env = dict(
        os.environ,
        PACELINE_BCRYPT_COST="10",
        PACELINE_LOG_LEVEL="info",
        PACELINE_IDLE_TIMEOUT="2",
        PACELINE_TRUSTED_PROXIES="1",
    )
    subprocess.run(
        [BINARY, "demo", "--db", db, "--slug", "hard", "--athletes", "2"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    log = open(os.path.join(work, "server.log"), "w+")
    port = free_port()
    process = subprocess.Popen(
        [
            BINARY,
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--templates",
            os.path.join(ROOT, "Templates"),
            "--public",
            os.path.join(ROOT, "Public"),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base, port, log
    process.terminate()
    process.wait(timeout=10)


def request(base, path, data=None, headers=None):
    req = urllib.request.Request(base + path, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_metrics_count_a_refused_request_with_the_status_the_client_got(hardened):
    base, _, _ = hardened
    status, _, _ = request(base, "/login", data=b"email=a%40b.test&password=x")  # no CSRF token
    assert status == 403
    _, _, text = request(base, "/metrics")
    counted = [line for line in text.splitlines() if line.startswith("hb_requests") and 'http_route="/login"' in line]
    assert any('http_response_status_code="403"' in line for line in counted), counted
    assert not any('http_response_status_code="500"' in line for line in counted), counted
    timed = [
        line
        for line in text.splitlines()
        if line.startswith("http_server_request_duration")
        and 'http_route="/login"' in line
        and 'http_response_status_code="403"' in line
    ]
    assert timed, "the refused request is missing from the latency histogram"


def test_secrets_in_paths_are_redacted_from_the_log(hardened):
    base, _, log = hardened
    secret = "S3cretInvitationToken0123456789abcdefghijk"
    request(base, f"/invite/{secret}")
    request(base, f"/cal/{secret}.ics")
    request(base, f"/o/hard/activities/upload?_csrf={secret}", data=b"x")
    time.sleep(0.5)
    log.flush()
    log.seek(0)
    text = log.read()
    assert "/invite/[redacted]" in text and "/cal/[redacted].ics" in text and "_csrf=[redacted]" in text
    assert secret not in text


def test_every_response_carries_the_security_headers(hardened):
    base, _, _ = hardened
    for path in ("/login", "/css/app.css", "/no-such-page", "/healthz"):
        _, headers, _ = request(base, path)
        csp = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp, (
            path,
            csp,
        )
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("Referrer-Policy") == "same-origin", path
        assert headers.get("X-Content-Type-Options") == "nosniff", path


def test_half_sent_requests_are_closed_and_the_server_still_answers(hardened):
    base, port, _ = hardened
    sockets = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never finishes the head
        sockets.append(s)
    time.sleep(4)  # idle timeout is 2 s here (PACELINE_IDLE_TIMEOUT)
    closed = 0
    for s in sockets:
        s.settimeout(1)
        try:
            closed += s.recv(1) == b""
        except ConnectionResetError:
            closed += 1
        except socket.timeout:
            pass  # still open: the server is holding it
        s.close()
    assert closed == len(sockets)
    assert request(base, "/healthz")[0] == 200


def test_throttle_counts_the_address_the_proxy_appended(hardened):
    base, _, _ = hardened
    statuses = []
    for n in range(7):
        _, headers, page = request(base, "/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        # The client writes any address it likes first; the proxy appends the one it saw.
        forwarded = f"198.51.100.{n}, 203.0.113.77"
        data = urllib.parse.urlencode(
            {"email": "coach1@hard.test", "password": "wrong-password", "_csrf": token}
        ).encode()
        status, _, _ = request(base, "/login", data=data, headers={"Cookie": cookie, "X-Forwarded-For": forwarded})
        statuses.append(status)
    assert statuses[:5] == [422] * 5 and statuses[5] == 429, statuses
