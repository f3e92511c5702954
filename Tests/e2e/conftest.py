"""Browser tests: a real `paceline serve` on a free loopback port, seeded with a demo
organization, driven by Debian's headless Chromium through Selenium."""

import contextlib
import http.cookiejar
import datetime
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.join(ROOT, ".build", "debug", "paceline")
PASSWORD = "paceline-demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_today():
    """Today in the demo organization's time zone (UTC), not the host's."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def athlete_emails(browser, base):
    """Name → email of every athlete, read off the coach's athletes page (the caller is signed in as a coach)."""
    browser.get(base + "/o/e2e/athletes?sort=name")
    rows = browser.find_elements("css selector", "table.board tbody tr")
    return {
        row.find_element("css selector", "td a").text: row.find_element("css selector", ".board-email").text
        for row in rows
    }


def first_link(browser, base, page, pattern):
    """The first link on `page` whose path matches `pattern` (a regex): ids are looked up, never assumed."""
    browser.get(base + page)
    for anchor in browser.find_elements("css selector", "a[href]"):
        path = urllib.parse.urlparse(anchor.get_attribute("href")).path
        if re.fullmatch(pattern, path):
            return path
    raise AssertionError(f"no link matching {pattern} on {page}")


def serve(db, port, env):
    """Starts `paceline serve` over `db` on `port` and waits until /healthz answers; returns the process.
    `db` None: no --db, the environment's PACELINE_DATABASE_URL says where the data is."""
    process = subprocess.Popen(
        [
            BINARY,
            "serve",
            *(["--db", db] if db else []),
            "--port",
            str(port),
            "--templates",
            os.path.join(ROOT, "Templates"),
            "--public",
            os.path.join(ROOT, "Public"),
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("paceline serve did not start")
            time.sleep(0.2)


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def server_env(extra=None):
    env = dict(os.environ, PACELINE_BCRYPT_COST="10", PACELINE_LOG_LEVEL="warning")
    env.update(extra or {})
    return env


def seed_demo(db, slug, athletes, env):
    subprocess.run(
        [BINARY, "demo", "--db", db, "--slug", slug, "--athletes", str(athletes)],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def demo_server(slug="e2e", athletes=8, env=None):
    """A real `paceline serve` on a free loopback port over a fresh demo database; yields its base URL.
    `env` adds settings (a mail relay, say)."""
    workdir = tempfile.mkdtemp(prefix="paceline-e2e-")
    db = os.path.join(workdir, "e2e.sqlite")
    environment = server_env(env)
    seed_demo(db, slug, athletes, environment)
    port = free_port()
    process = serve(db, port, environment)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


# One server and one database per test module: a module's changes cannot break another's.
@pytest.fixture(scope="module")
def server():
    with demo_server() as base:
        yield base


def chromium(width=1280, height=900):
    """Debian's headless Chromium through its chromedriver."""
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    binary = shutil.which("chromium")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(2)
    return driver


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def log_in(browser, base, email):
    browser.get(base + "/login")
    browser.find_element("id", "email").send_keys(email)
    browser.find_element("id", "password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element("css selector", "form button[type=submit]"))


def wait_for_new_page(browser, old, timeout=10):
    """Waits until `old` (the previous page's <html>) is gone. While a page is being replaced,
    Chromium may answer a probe of the old node with a generic inspector error rather than
    "stale element": both mean the old page is gone."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_):
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(browser, timeout).until(gone)
    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return document.readyState") == "complete")


def click_and_wait(browser, element, timeout=10):
    """Clicks something that loads a new page and waits until the new page is there."""
    old = browser.find_element("tag name", "html")
    element.click()
    wait_for_new_page(browser, old, timeout)


class Web:
    """A cookie-keeping HTTP client that fills in the CSRF token from the last page it read."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def request(self, url, data=None):
        url = url if url.startswith("http") else self.base + url
        try:
            with self.opener.open(urllib.request.Request(url, data=data), timeout=20) as response:
                body = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(), error.code
        found = re.search(r'name="_csrf" value="([^"]+)"', body)
        if found:
            self.csrf = found.group(1)
        return status, body

    def get(self, url):
        return self.request(url)

    def download(self, url):
        """(status, headers, bytes) of a file."""
        url = url if url.startswith("http") else self.base + url
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def post(self, url, fields=(), raw=None):
        data = raw if raw is not None else urllib.parse.urlencode([("_csrf", self.csrf), *fields]).encode()
        return self.request(url, data)

    def log_in(self, address, password=PASSWORD):
        self.get("/login")
        return self.post("/login", [("email", address), ("password", password)])
