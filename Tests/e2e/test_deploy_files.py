"""The shipped deployment files do what they say: the Docker image's HEALTHCHECK command, run as
written (with this build's binary), passes against a healthy server and fails without one."""

import json
import os
import re
import subprocess
import urllib.parse

from conftest import BINARY, ROOT, free_port


def healthcheck_command():
    text = open(os.path.join(ROOT, "deploy", "Dockerfile")).read()
    match = re.search(r"^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])\s*$", text, re.MULTILINE)
    assert match, "the Dockerfile has no exec-form HEALTHCHECK"
    command = json.loads(match.group(1))
    assert command[0] == "/opt/paceline/bin/paceline", "the image's HEALTHCHECK must use the paceline binary (no shell)"
    return [BINARY] + command[1:]


def test_docker_healthcheck_passes_against_a_healthy_server(server):
    port = urllib.parse.urlparse(server).port
    result = subprocess.run(
        healthcheck_command(), env=dict(os.environ, PACELINE_PORT=str(port)), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    nobody = subprocess.run(
        healthcheck_command(),
        env=dict(os.environ, PACELINE_PORT=str(free_port())),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert nobody.returncode == 1 and "unhealthy" in nobody.stderr
