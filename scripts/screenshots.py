"""`make screenshots`: the coach dashboard, an athlete's form page and the phone calendar, taken from a
fresh demo in headless Chromium (docs/screenshots/, linked from the README)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "e2e"))

from conftest import ROOT, chromium, demo_server, first_link, log_in  # noqa: E402

OUT = os.path.join(ROOT, "docs", "screenshots")


def shot(browser, base, path, name, width, height=900):
    browser.set_window_size(width, height)
    browser.get(base + path)
    full = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(full, height), 2400))
    browser.get(base + path)
    target = os.path.join(OUT, name)
    browser.save_screenshot(target)
    print("wrote", os.path.relpath(target, ROOT))


def main():
    os.makedirs(OUT, exist_ok=True)
    with demo_server(slug="demo", athletes=12) as base:
        browser = chromium()
        try:
            log_in(browser, base, "coach1@demo.test")
            shot(browser, base, "/o/demo", "coach-dashboard.png", 1366)
            shot(browser, base, "/o/demo/athletes", "coach-board.png", 1366)
            form = first_link(browser, base, "/o/demo/athletes", r"/o/demo/athletes/\d+") + "/form"
            shot(browser, base, form, "athlete-form.png", 1366)
            browser.delete_all_cookies()
            log_in(browser, base, "athlete1@demo.test")
            shot(browser, base, "/o/demo/calendar", "phone-calendar.png", 375, 812)
            shot(browser, base, "/o/demo", "phone-today.png", 375, 812)
        finally:
            browser.quit()


if __name__ == "__main__":
    main()
