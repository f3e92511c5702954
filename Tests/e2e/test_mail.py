"""Email through a real SMTP server: aiosmtpd (PyPI) listens on a loopback port, `paceline serve`
is told `PACELINE_SMTP_URL=smtp://127.0.0.1:PORT`, and the tests read what arrives — headers, both
parts, links that work, nothing for who opted out, one email per event after a crash mid-send."""

import asyncio
import email
import email.policy
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By

from conftest import (
    Web, click_and_wait, demo_server, free_port, log_in, seed_demo, serve, server_env, stop,
)


class Inbox:
    """aiosmtpd's handler: keeps every accepted message. `hold` (a test on the message) makes the
    first matching DATA wait, unanswered, until `release` is set, and then refuses it with a 451."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.hold = None
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        if self.hold is not None and self.hold(message):
            self.hold = None
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 2.0.0 OK"

    def matching(self, to=None, kind=None):
        with self.lock:
            return [
                m for rcpt, m in self.messages
                if (to is None or to in rcpt) and (kind is None or m["X-Paceline-Kind"] == kind)
            ]

    def wait(self, to=None, kind=None, count=1, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.matching(to, kind)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"{count} email(s) of kind {kind} to {to} did not arrive; got {self.summary()}")

    def summary(self):
        with self.lock:
            return [(rcpt, m["X-Paceline-Kind"], m["Subject"]) for rcpt, m in self.messages]


@pytest.fixture()
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def mail_env(port):
    return {"PACELINE_SMTP_URL": f"smtp://127.0.0.1:{port}", "PACELINE_MAIL_POLL": "1",
            "PACELINE_MAIL_SCHEDULE": "2"}


def parts(message):
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return plain, html


def link(text, path_pattern):
    found = re.search(r"https?://[^\s\"<>]+" + path_pattern, text)
    assert found, f"no link matching {path_pattern} in {text[:500]}"
    return found.group(0)


def test_an_invitation_arrives_with_both_parts_and_a_link_that_works(inbox):
    handler, port = inbox
    with demo_server(env=mail_env(port)) as base:
        admin = Web(base)
        admin.log_in("admin@e2e.test")
        admin.get("/o/e2e/members")
        status, body = admin.post("/o/e2e/invitations", [("email", "newcomer@example.org"), ("role", "athlete")])
        assert status == 200 and "We emailed this link" in body
        message = handler.wait(to="newcomer@example.org", kind="invitation")[0]
        assert message["To"] == "newcomer@example.org"
        assert "Alex Admin invites you to E2e Running Club" in message["Subject"]
        assert message["Message-ID"] and message["Date"] and message["From"]
        assert message["List-Unsubscribe"] is None, "an invitation is not a series"
        plain, html = parts(message)
        url = link(plain, r"/invite/[A-Za-z0-9_-]+")
        assert url in html
        assert url.startswith(base)
        status, page = Web(base).get(url)
        assert status == 200 and "E2e Running Club" in page


def test_a_password_reset_is_sent_once_even_when_the_server_dies_mid_send(inbox):
    handler, port = inbox
    workdir = tempfile.mkdtemp(prefix="paceline-mail-")
    db = os.path.join(workdir, "mail.sqlite")
    env = server_env(mail_env(port))
    seed_demo(db, "e2e", 4, env)
    web_port = free_port()
    base = f"http://127.0.0.1:{web_port}"
    handler.hold = lambda m: m["X-Paceline-Kind"] == "password-reset"
    process = serve(db, web_port, env)
    try:
        web = Web(base)
        web.get("/password/forgot")
        status, body = web.post("/password/forgot", [("email", "athlete2@e2e.test")])
        assert status == 200 and "an email with a link is on its way" in body
        # Nobody learns whether an address has an account: the same answer, and no email.
        web.get("/password/forgot")
        status, other = web.post("/password/forgot", [("email", "nobody@e2e.test")])
        assert status == 200 and "an email with a link is on its way" in other
        assert handler.held.wait(20), "the reset email was never sent"
        # The relay has the message but has not answered its end of data: the server dies.
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        handler.release.set()
        time.sleep(0.5)
        assert handler.matching(kind="password-reset") == []
        process = serve(db, web_port, env)
        message = handler.wait(to="athlete2@e2e.test", kind="password-reset")[0]
        time.sleep(4)  # four more looks at the queue: nothing is sent again
        assert len(handler.matching(kind="password-reset")) == 1, handler.summary()
        assert message["List-Unsubscribe"] is None
        plain, html = parts(message)
        url = link(plain, r"/password/reset/[A-Za-z0-9_-]+")
        assert url in html and "one hour" in plain
        reset = Web(base)
        status, page = reset.get(url)
        assert status == 200 and "athlete2@e2e.test" in page
        status, page = reset.post(url, [("new_password", "short"), ("confirm_password", "short")])
        assert status == 422 and 'id="new_password-error"' in page
        new_password = "gravel-tempo-lighthouse"
        status, page = reset.post(url, [("new_password", new_password), ("confirm_password", new_password)])
        assert status == 200 and "Your password is changed" in page
        assert Web(base).get(url)[0] == 404, "a reset link works once"
        status, home = Web(base).log_in("athlete2@e2e.test", new_password)
        assert status == 200 and "Sign out" in home
        assert "do not match" in Web(base).log_in("athlete2@e2e.test")[1], "the old password is gone"
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def first_activity(web):
    _, body = web.get("/o/e2e/activities")
    found = re.search(r'href="(/o/e2e/activities/\d+)"', body)
    assert found, "the athlete has no activity"
    return found.group(1)


def test_comment_emails_carry_one_click_unsubscribe_and_respect_it(inbox):
    handler, port = inbox
    with demo_server(env=mail_env(port)) as base:
        athlete, coach = Web(base), Web(base)
        athlete.log_in("athlete1@e2e.test")
        coach.log_in("coach1@e2e.test")
        activity = first_activity(athlete)
        athlete.get(activity)
        assert athlete.post(activity + "/comments", [("body", "Legs *heavy* today")])[0] == 200
        message = handler.wait(to="coach1@e2e.test", kind="comment")[0]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
        plain, html = parts(message)
        assert unsubscribe in plain and unsubscribe in html
        opened = link(plain, r"/o/e2e/notifications/\d+")
        assert opened in html
        # Opening the link asks; it changes nothing (mail scanners open links).
        status, page = Web(base).get(unsubscribe)
        assert status == 200 and "Stop these emails" in page
        # The mail program's one-click POST: no cookie, no CSRF token.
        request = urllib.request.Request(unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        # The next comment: in the app for the coach, but no email; the coach's reply still reaches the athlete.
        athlete.get(activity)
        athlete.post(activity + "/comments", [("body", "And my calf is tight")])
        coach.get(activity)
        coach.post(activity + "/comments", [("body", "Take tomorrow off.")])
        reply = handler.wait(to="athlete1@e2e.test", kind="comment")[0]
        assert "Casey Coach" in reply["Subject"]
        time.sleep(2)
        assert len(handler.matching(to="coach1@e2e.test", kind="comment")) == 1, handler.summary()
        _, page = coach.get("/o/e2e/notifications")
        assert "And my calf is tight" in page, "still told in the app"
        assert Web(base).get("/unsubscribe/" + "x" * 43)[0] == 404


def test_the_whole_loop_in_a_browser(inbox, browser):
    """An athlete logs a run and comments; the coach sees the notification and replies; the athlete
    sees the reply; both got the emails."""
    handler, port = inbox
    with demo_server(env=mail_env(port)) as base:
        log_in(browser, base, "athlete4@e2e.test")
        browser.get(base + "/o/e2e/activities/new")
        browser.find_element(By.ID, "distance").send_keys("8.2")
        browser.find_element(By.ID, "duration").send_keys("0:44:10")
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.narrow button[type=submit]"))
        assert "Logged" in browser.find_element(By.CSS_SELECTOR, ".flash").text
        run_page = urllib.parse.urlparse(browser.current_url).path
        browser.find_element(By.ID, "comment-body").send_keys("Easy 8k, knee felt fine. Should I add strides?")
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#comments button.primary"))
        assert "Should I add strides?" in browser.find_element(By.ID, "comments").text
        browser.delete_all_cookies()

        log_in(browser, base, "coach1@e2e.test")
        bell = browser.find_element(By.CSS_SELECTOR, "a.bell")
        assert "unread" in bell.get_attribute("aria-label")
        click_and_wait(browser, bell)
        note = browser.find_element(By.PARTIAL_LINK_TEXT, "Should I add strides?")
        click_and_wait(browser, note)
        assert urllib.parse.urlparse(browser.current_url).path == run_page
        browser.find_element(By.ID, "comment-body").send_keys("Yes: 4 × 20 s strides at the end.")
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#comments button.primary"))
        browser.delete_all_cookies()

        log_in(browser, base, "athlete4@e2e.test")
        browser.get(base + run_page)
        thread = browser.find_element(By.ID, "comments").text
        assert "4 × 20 s strides" in thread and "new" in thread

        to_coach = handler.wait(to="coach1@e2e.test", kind="comment")[0]
        to_athlete = handler.wait(to="athlete4@e2e.test", kind="comment")[0]
        for message in (to_coach, to_athlete):
            plain, html = parts(message)
            assert base + "/o/e2e/notifications/" in plain and "<html" in html


def invite(base, address):
    admin = Web(base)
    admin.log_in("admin@e2e.test")
    admin.get("/o/e2e/members")
    status, _ = admin.post("/o/e2e/invitations", [("email", address), ("role", "coach")])
    assert status == 200


def test_starttls_and_a_password_with_a_relay_that_requires_them(tmp_path):
    """A relay that takes mail only over STARTTLS and after AUTH: the certificate is checked against
    PACELINE_SMTP_CA, and the password goes only inside TLS."""
    import ssl
    import subprocess

    from aiosmtpd.smtp import AuthResult

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data.login, auth_data.password, session.ssl is not None))
        ok = auth_data.login == b"relay-user" and auth_data.password == b"s3cret:pass"
        return AuthResult(success=ok)

    handler = Inbox()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), tls_context=context, require_starttls=True,
        authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller.start()
    try:
        env = {"PACELINE_SMTP_URL": f"smtp://relay-user:s3cret%3Apass@localhost:{controller.port}",
               "PACELINE_SMTP_CA": str(cert), "PACELINE_MAIL_POLL": "1"}
        with demo_server(env=env) as base:
            invite(base, "tls.runner@example.org")
            message = handler.wait(to="tls.runner@example.org", kind="invitation")[0]
            assert "invites you" in message["Subject"]
        assert logins and all(tls for *_, tls in logins), logins
        assert logins[0][:3] == ("PLAIN", b"relay-user", b"s3cret:pass")
    finally:
        controller.stop()

    # Without the CA the certificate is not trusted: nothing is sent (the email waits in the queue).
    handler = Inbox()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), tls_context=context, require_starttls=True)
    controller.start()
    try:
        env = {"PACELINE_SMTP_URL": f"smtp://localhost:{controller.port}", "PACELINE_MAIL_POLL": "1"}
        with demo_server(env=env) as base:
            invite(base, "untrusted@example.org")
            time.sleep(3)
            assert handler.matching(to="untrusted@example.org") == []
    finally:
        controller.stop()


def test_a_sendmail_program_delivers_through_msmtp(inbox):
    handler, port = inbox
    msmtp = shutil.which("msmtp")
    assert msmtp, "Debian's msmtp is installed by make test-deps"
    command = f"{msmtp} --host=127.0.0.1 --port={port} --auth=off --tls=off"
    with demo_server(env={"PACELINE_SENDMAIL": command, "PACELINE_MAIL_POLL": "1"}) as base:
        invite(base, "via.msmtp@example.org")
        message = handler.wait(to="via.msmtp@example.org", kind="invitation")[0]
        plain, html = parts(message)
        assert "/invite/" in plain and "/invite/" in html


@pytest.mark.parametrize("name,value,message", [
    ("PACELINE_SMTP_URL", "http://relay.example.org", "smtp:// or smtps://"),
    ("PACELINE_SMTP_URL", "smtp://relay.example.org:99999", "PACELINE_SMTP_URL"),
    ("PACELINE_SENDMAIL", "msmtp -t", "absolute path"),
    ("PACELINE_SENDMAIL", "/nonexistent/sendmail", "not an executable"),
])
def test_a_bad_mail_setting_stops_the_server_at_start_with_a_message(tmp_path, name, value, message):
    import subprocess

    from conftest import BINARY, ROOT

    db = str(tmp_path / "bad.sqlite")
    env = server_env({name: value})
    subprocess.run([BINARY, "migrate", "--db", db], check=True, env=env, stdout=subprocess.DEVNULL)
    result = subprocess.run(
        [BINARY, "serve", "--db", db, "--port", str(free_port()), "--templates", os.path.join(ROOT, "Templates"),
         "--public", os.path.join(ROOT, "Public")],
        env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, result
    assert message in result.stderr


def test_a_relay_that_refuses_once_gets_the_email_again_once(inbox):
    handler, port = inbox
    handler.hold = lambda m: m["X-Paceline-Kind"] == "invitation"
    handler.release.set()  # answer the held message at once: 451, try again later
    with demo_server(env=mail_env(port)) as base:
        invite(base, "second.try@example.org")
        assert handler.held.wait(20)
        message = handler.wait(to="second.try@example.org", kind="invitation", timeout=40)[0]
        time.sleep(2)
        assert len(handler.matching(to="second.try@example.org")) == 1
        assert "invites you" in message["Subject"]
