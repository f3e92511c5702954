"""Assignment and the plan lifecycle in a real browser, and the calendar feed read by the
`icalendar` package (as calendar apps would)."""

import datetime
import urllib.request

import icalendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import athlete_emails, click_and_wait, demo_today, log_in


def dates_on_instance_page(browser):
    return [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#i-from option")]


def test_assign_to_group_pause_one_athlete_and_resume(server, browser):
    log_in(browser, server, "coach2@e2e.test")
    browser.get(server + "/o/e2e/plans")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Base building, 4 weeks"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Assign to athletes or a group"))
    Select(browser.find_element(By.ID, "group_id")).select_by_visible_text("5K beginners (3)")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form button.primary"))
    assert "assigned to 3 athletes" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    # The first member's plan: pause it from three days ago.
    member = browser.find_element(By.XPATH, "//div[@class='card'][h3[contains(., 'Base building')]]//li/a")
    athlete_name = member.text
    click_and_wait(browser, member)
    instance_url = browser.current_url
    before = dates_on_instance_page(browser)
    since = (demo_today() - datetime.timedelta(days=3)).isoformat()
    browser.execute_script("document.getElementById('pause-since').value = arguments[0]", since)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Pause']"))
    assert "paused" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    # The athlete sees the paused state on their home page.
    emails = athlete_emails(browser, server)
    browser.delete_all_cookies()
    log_in(browser, server, emails[athlete_name])
    assert "is paused since " + since in browser.page_source

    # The coach resumes: the rest moved a whole week later.
    browser.delete_all_cookies()
    log_in(browser, server, "coach2@e2e.test")
    browser.get(instance_url)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Resume']"))
    after = dates_on_instance_page(browser)
    shifted = [(datetime.date.fromisoformat(d) + datetime.timedelta(days=7)).isoformat() for d in before]
    assert after == shifted
    assert "7 days later" in browser.page_source

    browser.delete_all_cookies()
    log_in(browser, server, emails[athlete_name])
    assert "is paused" not in browser.page_source


def test_calendar_feed_parses_and_keeps_uids_across_an_edit(server, browser):
    # athlete4 is in the demo's Marathon squad, on an active plan.
    log_in(browser, server, "athlete4@e2e.test")
    browser.get(server + "/o/e2e/me")
    feed_url = browser.find_element(By.ID, "feed-url").get_attribute("value")
    assert feed_url.startswith(server + "/cal/") and feed_url.endswith(".ics")

    def events():
        with urllib.request.urlopen(feed_url) as response:
            assert response.headers["Content-Type"].startswith("text/calendar")
            calendar = icalendar.Calendar.from_ical(response.read())
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    first = events()
    assert len(first) > 10
    for event in first.values():
        assert isinstance(event.decoded("DTSTART"), datetime.date) and not isinstance(
            event.decoded("DTSTART"), datetime.datetime
        )
        assert event["SUMMARY"] and "DTSTAMP" in event

    # The coach moves a future workout one day later.
    browser.delete_all_cookies()
    log_in(browser, server, "coach1@e2e.test")
    name = next(n for n, email in athlete_emails(browser, server).items() if email == "athlete4@e2e.test")
    browser.get(server + "/o/e2e")
    click_and_wait(
        browser, browser.find_element(By.XPATH, f"//tr[td/a[text()='{name}']]//a[contains(@href, '/instances/')]")
    )
    today = demo_today().isoformat()
    options = [o for o in Select(browser.find_element(By.ID, "i-from")).options if o.get_attribute("value") > today]
    source = options[0].get_attribute("value")
    target = (datetime.date.fromisoformat(source) + datetime.timedelta(days=1)).isoformat()
    Select(browser.find_element(By.ID, "i-from")).select_by_value(source)
    Select(browser.find_element(By.ID, "i-to")).select_by_value(target)
    click_and_wait(browser, browser.find_element(By.XPATH, "//form[contains(@action, '/move')]//button"))

    second = events()
    assert set(second) == set(first)
    moved = [uid for uid in first if first[uid].decoded("DTSTART").isoformat() == source]
    assert len(moved) == 1
    assert second[moved[0]].decoded("DTSTART").isoformat() == target
    assert int(second[moved[0]]["SEQUENCE"]) == int(first[moved[0]]["SEQUENCE"]) + 1
