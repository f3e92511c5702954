"""The foundation as a person meets it: log in through the real form, see the pages for
the role, work on a phone, and pass an accessibility check."""

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By

from conftest import click_and_wait, first_link, log_in


def serious_violations(browser):
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    return [
        (v["id"], [n["html"] for n in v["nodes"]])
        for v in results["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_coach_logs_in_and_manages_a_group(server, browser):
    log_in(browser, server, "coach1@e2e.test")
    assert browser.current_url.endswith("/o/e2e")
    assert "E2e Running Club" in browser.find_element(By.TAG_NAME, "h1").text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Groups"))
    browser.find_element(By.ID, "name").send_keys("Browser squad")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/groups'] button"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Browser squad"
    assert "created" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    options = browser.find_elements(By.CSS_SELECTOR, "#athlete_id option")
    assert len(options) == 8
    options[0].click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/members'] button"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.members li")) == 1


def test_wrong_password_shows_a_message_and_keeps_the_email(server, browser):
    browser.get(server + "/login")
    browser.find_element(By.ID, "email").send_keys("admin@e2e.test")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert "do not match" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert browser.find_element(By.ID, "email").get_attribute("value") == "admin@e2e.test"


def test_athlete_home_fits_a_phone(server, browser):
    browser.set_window_size(375, 812)
    log_in(browser, server, "athlete4@e2e.test")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Today"
    assert "The next seven days" in browser.page_source
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px phone"
    # The coach-only pages are refused to an athlete.
    browser.get(server + "/o/e2e/athletes")
    assert "Not available to your role" in browser.page_source


def test_pages_have_no_serious_accessibility_violations(server, browser):
    browser.get(server + "/login")
    assert serious_violations(browser) == []
    log_in(browser, server, "admin@e2e.test")
    workout = first_link(browser, server, "/o/e2e/library", r"/o/e2e/library/\d+")
    plan = first_link(browser, server, "/o/e2e/plans", r"/o/e2e/plans/\d+/edit").removesuffix("/edit")
    group = first_link(browser, server, "/o/e2e/groups", r"/o/e2e/groups/\d+")
    instance = first_link(browser, server, "/o/e2e/athletes", r"/o/e2e/instances/\d+")
    for path in (
        "/o/e2e",
        "/o/e2e/members",
        "/o/e2e/athletes",
        "/o/e2e/groups",
        "/o/e2e/tools/vdot?distance=5000&time=20:00",
        "/o/e2e/settings",
        "/account",
        "/o/e2e/library",
        workout,
        workout + "/edit",
        "/o/e2e/plans",
        plan + "/edit",
        "/o/e2e/plans/generate",
        plan + "/assign",
        group,
        instance,
    ):
        browser.get(server + path)
        violations = serious_violations(browser)
        assert violations == [], f"{path}: {violations}"
    browser.delete_all_cookies()
    log_in(browser, server, "athlete4@e2e.test")
    for path in ("/o/e2e", "/o/e2e/calendar", "/o/e2e/me"):
        browser.get(server + path)
        violations = serious_violations(browser)
        assert violations == [], f"{path}: {violations}"
