"""Issue 7 and 8 in a browser: the phone check-in, an upload of several files through the real
file input, the log and form pages pass axe, the coach sees the athlete's log, and a hot
forecast entered on a phone."""

import os

from selenium.webdriver.common.by import By

from conftest import ROOT, click_and_wait, log_in
from test_foundation import serious_violations

FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")


def test_phone_check_in_takes_a_few_taps(server, browser):
    browser.set_window_size(375, 812)
    log_in(browser, server, "athlete3@e2e.test")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Check-in"))
    browser.find_element(By.ID, "hrv").send_keys("63")
    browser.find_element(By.ID, "resting_hr").send_keys("49")
    browser.find_element(By.ID, "sleep_hours").send_keys("7.5")
    browser.find_element(By.CSS_SELECTOR, "label[for='soreness-2']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='sleep_quality-4']").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.checkin button[type=submit]"))
    assert "Check-in saved" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "HRV 63 ms" in browser.page_source
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375, f"check-in is {width}px wide on a 375px phone"
    assert serious_violations(browser) == []


def test_upload_several_files_and_read_the_results(server, browser):
    log_in(browser, server, "athlete5@e2e.test")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Log"))
    assert serious_violations(browser) == []
    files = [
        os.path.join(FIXTURES, "gpx", "cerknicko-jezero.gpx"),
        os.path.join(FIXTURES, "fit", "cerknicko-run.fit"),
        os.path.join(FIXTURES, "README.md"),
    ]
    browser.find_element(By.ID, "files").send_keys("\n".join(files))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] button"))
    text = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert "1 imported · 1 duplicate · 1 refused" in text, text
    assert serious_violations(browser) == []
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".result-imported a"))
    assert "Splits" in browser.page_source and "Download the original file" in browser.page_source
    assert serious_violations(browser) == []
    for path in ("/o/e2e/form", "/o/e2e/import", "/o/e2e/activities/new"):
        browser.get(server + path)
        violations = serious_violations(browser)
        assert violations == [], f"{path}: {violations}"


def test_coach_reads_an_athletes_log_and_form(server, browser):
    log_in(browser, server, "coach1@e2e.test")
    browser.get(server + "/o/e2e/athletes")
    click_and_wait(browser, browser.find_elements(By.CSS_SELECTOR, "table a")[0])
    assert "Training log" in browser.page_source
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Form, readiness"))
    assert "Readiness today" in browser.page_source and "<svg" in browser.page_source
    assert serious_violations(browser) == []


def test_a_hot_forecast_entered_on_a_phone(server, browser):
    browser.set_window_size(375, 812)
    log_in(browser, server, "athlete6@e2e.test")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Check-in"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Weather for hot days"))
    assert serious_violations(browser) == []
    today = browser.find_element(By.CSS_SELECTOR, "table.weather tr[aria-current=date]")
    temperature, dew_point = today.find_elements(By.TAG_NAME, "input")
    # A dew point above the temperature: refused on the page, the field marked.
    temperature.send_keys("20")
    dew_point.send_keys("26")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    assert "cannot be above the air temperature" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "input[aria-invalid=true]")
    assert serious_violations(browser) == []
    today = browser.find_element(By.CSS_SELECTOR, "table.weather tr[aria-current=date]")
    temperature, dew_point = today.find_elements(By.TAG_NAME, "input")
    temperature.clear()
    temperature.send_keys("31")
    dew_point.clear()
    dew_point.send_keys("22")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    assert "Weather saved" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    today = browser.find_element(By.CSS_SELECTOR, "table.weather tr[aria-current=date]")
    assert "paces 6 % slower" in today.text
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375, f"the weather page is {width}px wide on a 375px phone"
    assert serious_violations(browser) == []
