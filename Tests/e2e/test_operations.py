"""Operations against a real server process: backup under write load, kill -9, restore (with the
crashed database's stale -wal beside it), every acknowledged row found; restore refuses while a
server runs; `paceline healthcheck` answers for Docker's HEALTHCHECK."""

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from conftest import BINARY, PASSWORD, ROOT, free_port

ENV = dict(os.environ, PACELINE_BCRYPT_COST="10", PACELINE_LOG_LEVEL="warning")

# Inserts audit rows one transaction at a time, printing each id once it is committed (the
# "acknowledged" writes), until killed.
WRITER = r"""
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
org = db.execute("SELECT id FROM organization WHERE slug = 'ops'").fetchone()[0]
while True:
    db.execute("BEGIN IMMEDIATE")
    cur = db.execute(
        "INSERT INTO audit_log (org_id, action, detail, at) "
        "VALUES (?, 'load.test', 'row', '2027-01-01 00:00:00.000')",
        (org,),
    )
    db.execute("COMMIT")
    print(cur.lastrowid, flush=True)
    time.sleep(0.002)
"""


def start_server(db, port):
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
        env=ENV,
        cwd=ROOT,
    )
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("server did not start")
            time.sleep(0.2)


def cli(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)


def signed_in_get(base, email, path):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "_csrf": token}).encode()
    opener.open(base + "/login", data=data).read()
    with opener.open(base + path) as response:
        return response.status, response.read().decode()


def test_backup_under_load_kill_restore_finds_every_acknowledged_row():
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "live.sqlite")
        backup = os.path.join(work, "backup.sqlite")
        subprocess.run(
            [BINARY, "demo", "--db", db, "--slug", "ops", "--athletes", "3"],
            check=True,
            env=ENV,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        port = free_port()
        server = start_server(db, port)
        writer = subprocess.Popen([sys.executable, "-c", WRITER, db], stdout=subprocess.PIPE, text=True)
        try:
            acknowledged = []
            while len(acknowledged) < 200:
                acknowledged.append(int(writer.stdout.readline()))
            # A restore while the server holds the database is refused, and changes nothing.
            refused = cli("restore", "--db", db, "--from", db)
            assert refused.returncode == 2 and "stop it first" in refused.stderr
            before_backup = list(acknowledged)
            made = cli("backup", "--db", db, "--to", backup)
            assert made.returncode == 0, made.stderr
            assert "integrity ok" in made.stdout
            while len(acknowledged) < len(before_backup) + 100:  # the load goes on after the backup
                acknowledged.append(int(writer.stdout.readline()))
        finally:
            writer.send_signal(signal.SIGKILL)
            server.send_signal(signal.SIGKILL)
            writer.wait()
            server.wait()
        # The crash leaves the old database's write-ahead log beside it.
        assert os.path.exists(db + "-wal")
        restored = cli("restore", "--db", db, "--from", backup)
        assert restored.returncode == 0, restored.stderr
        assert not os.path.exists(db + "-wal") or os.path.getsize(db + "-wal") == 0
        check = sqlite3.connect(db)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in check.execute("SELECT id FROM audit_log WHERE action = 'load.test'")}
        missing = [i for i in before_backup if i not in ids]
        assert not missing, f"{len(missing)} rows acknowledged before the backup are missing"
        in_backup = sqlite3.connect(backup).execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        assert check.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == in_backup
        check.close()
        # The old file and its -wal were kept aside, not deleted.
        assert any(name.startswith("live.sqlite.replaced-") and name.endswith("-wal") for name in os.listdir(work))
        server = start_server(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            with urllib.request.urlopen(base + "/healthz") as response:
                assert response.read().decode() == "ok"
            status, body = signed_in_get(base, "athlete2@ops.test", "/o/ops/activities")
            assert status == 200 and "Log" in body
            assert cli("healthcheck", "--port", str(port)).returncode == 0
        finally:
            server.terminate()
            server.wait(timeout=10)
        assert cli("healthcheck", "--port", str(port)).returncode == 1


def test_backup_refuses_a_missing_database_and_restore_a_damaged_file():
    with tempfile.TemporaryDirectory() as work:
        missing = cli("backup", "--db", os.path.join(work, "none.sqlite"), "--to", os.path.join(work, "b.sqlite"))
        assert missing.returncode == 2 and "no database" in missing.stderr
        damaged = os.path.join(work, "damaged.sqlite")
        with open(damaged, "wb") as f:
            f.write(b"SQLite format 3\x00" + os.urandom(8192))
        db = os.path.join(work, "db.sqlite")
        subprocess.run([BINARY, "migrate", "--db", db], check=True, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL)
        before = open(db, "rb").read()
        result = cli("restore", "--db", db, "--from", damaged)
        assert result.returncode == 2 and result.stderr.strip()
        assert open(db, "rb").read() == before, "a refused restore changed the database"
