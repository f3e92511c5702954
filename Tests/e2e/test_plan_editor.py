"""The plan editor in a real browser: drag a library workout onto a day, drag a placed workout
to another day, and check what the server saved."""

import re

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from conftest import click_and_wait, log_in, wait_for_new_page


def drag(browser, source, target):
    old = browser.find_element(By.TAG_NAME, "html")
    ActionChains(browser).move_to_element(source).click_and_hold().pause(0.2).move_to_element(target).pause(
        0.2
    ).release().perform()
    wait_for_new_page(browser, old)


def cell(browser, week, day):
    return browser.find_element(By.CSS_SELECTOR, f'td[data-slot][data-week="{week}"][data-day="{day}"]')


def test_drag_from_library_and_between_days(server, browser):
    browser.set_window_size(1600, 1000)
    log_in(browser, server, "coach2@e2e.test")
    browser.get(server + "/o/e2e/plans")
    browser.find_element(By.ID, "name").send_keys("Drag test plan")
    weeks = browser.find_element(By.ID, "weeks")
    weeks.clear()
    weeks.send_keys("2")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/plans'] button"))
    edit_url = browser.current_url
    assert re.search(r"/plans/\d+/edit$", edit_url)

    # Library → Tuesday of week 1.
    item = browser.find_element(By.XPATH, "//li[@data-drag-workout][.//strong[text()='Tempo run 20 min']]")
    drag(browser, item, cell(browser, 0, 1))
    assert "Tempo run 20 min" in cell(browser, 0, 1).text
    assert "placed on week 1, Tuesday" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    # Placed workout → Thursday of week 2.
    drag(browser, cell(browser, 0, 1), cell(browser, 1, 3))
    assert "Tempo run 20 min" in cell(browser, 1, 3).text
    assert "Tempo run 20 min" not in cell(browser, 0, 1).text

    # What the server saved, read fresh: the same.
    browser.get(edit_url)
    assert "Tempo run 20 min" in cell(browser, 1, 3).text
    assert "Rest" in cell(browser, 0, 1).text


def test_move_form_works_without_dragging(server, browser):
    log_in(browser, server, "coach1@e2e.test")
    browser.get(server + "/o/e2e/plans")
    browser.find_element(By.ID, "name").send_keys("Keyboard plan")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/plans'] button"))
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "place-workout")).select_by_visible_text("Long run 90 min")
    Select(browser.find_element(By.ID, "place-week")).select_by_visible_text("Week 2")
    Select(browser.find_element(By.ID, "place-day")).select_by_visible_text("Sunday")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#place-form button"))
    assert "Long run 90 min" in cell(browser, 1, 6).text
