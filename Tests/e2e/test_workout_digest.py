"""The engine's workout digest, checked against an independent Python computation
(scripts/workout-digest.py) on the demo library's row: the value pinned in the Swift test
(HeatAndSignalsTests.theWorkoutDigestIsTheSameInEveryProcess) must be what Python computes."""

import os
import re
import subprocess

import tempfile

from conftest import BINARY, ROOT


def test_the_swift_tests_digest_is_the_independent_value():
    import importlib.util

    spec = importlib.util.spec_from_file_location("workout_digest", os.path.join(ROOT, "scripts", "workout-digest.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = open(os.path.join(ROOT, "Tests", "PacelineCoreTests", "HeatAndSignalsTests.swift")).read()
    pinned = re.search(r'Engine\.digest\(tempo\) == "([0-9a-f]+)"', source).group(1)
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "d.sqlite")
        subprocess.run(
            [BINARY, "demo", "--db", db, "--slug", "dg", "--athletes", "1"],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            env=dict(os.environ, PACELINE_BCRYPT_COST="10"),
        )
        assert module.from_database(db, "Tempo run 20 min") == pinned
