"""Every page each role can reach, on a phone (375 px) and a laptop (1366 px): nothing wider than
the screen outside a scroll container, no empty link, every control labelled, and axe finds no
serious or critical problem. The pages are found by following links from the home page, one page
per kind of address (ids replaced), so a new page is checked without being listed here."""

import re
import urllib.parse

import pytest

from conftest import log_in
from test_foundation import serious_violations

# Followed links never leave the app or change anything (these are GETs that download or sign out).
SKIP = re.compile(r"(/logout|/file$|\.ics$|/cal/|/healthz|/metrics|/invite/|\.json$)")
WIDTHS = (375, 1366)

OVERFLOW = """
const width = document.documentElement.clientWidth;
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.right <= width + 1) continue;
  let inside = false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (['auto', 'scroll', 'hidden'].includes(style.overflowX) && p.getBoundingClientRect().right <= width + 1) {
      inside = true; break;
    }
  }
  if (!inside && getComputedStyle(el).position !== 'fixed') {
    wide.push(el.tagName + '.' + el.className + ' → ' + Math.round(box.right));
  }
}
return [document.documentElement.scrollWidth, width, wide.slice(0, 5)];
"""

UNLABELLED = """
const out = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (['hidden', 'submit', 'button'].includes(el.type) || el.hidden) continue;
  const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
  if (byFor || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) continue;
  out.push(el.outerHTML.slice(0, 120));
}
return out;
"""


def kind(path):
    """The page's kind: its address with ids and dates replaced."""
    return re.sub(r"/\d+", "/:id", re.sub(r"/\d{4}-\d{2}-\d{2}", "/:date", path))


def crawl(browser, base, start, limit=90):
    """One address per kind of page reachable from `start` by links, breadth first."""
    seen, queue, pages = set(), [start], []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if kind(path) in seen:
            continue
        seen.add(kind(path))
        browser.get(base + path)
        if browser.execute_script("return document.title").startswith(("Page not found", "Not available")):
            continue
        pages.append(path)
        for anchor in browser.find_elements("css selector", "a[href]"):
            url = urllib.parse.urlparse(anchor.get_attribute("href") or "")
            if url.netloc != urllib.parse.urlparse(base).netloc or SKIP.search(url.path):
                continue
            target = url.path + ("?" + url.query if url.query else "")
            if kind(url.path) not in seen:
                queue.append(target)
    return pages


@pytest.mark.parametrize("email", ["admin@e2e.test", "coach1@e2e.test", "athlete4@e2e.test"])
def test_every_page_fits_labels_its_controls_and_passes_axe(server, browser, email):
    log_in(browser, server, email)
    pages = crawl(browser, server, "/o/e2e")
    assert len(pages) >= 8, f"only {pages} reached"
    if email.startswith(("admin", "coach")):
        board = any(p.split("?")[0] == "/o/e2e/athletes" for p in pages)
        assert board and any(p.endswith("/assign") for p in pages), pages
    problems = []
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        for path in pages:
            browser.get(server + path)
            scroll_width, client, wide = browser.execute_script(OVERFLOW)
            if scroll_width > client + 1 or wide:
                problems.append(f"{width}px {path}: page {scroll_width}px wide for {client}px: {wide}")
            if browser.execute_script('return document.querySelectorAll(\'a[href=""], form[action=""]\').length'):
                problems.append(f"{path}: an empty link or form action")
            unlabelled = browser.execute_script(UNLABELLED)
            if unlabelled:
                problems.append(f"{path}: controls without a label: {unlabelled}")
            if width == 1366:
                violations = serious_violations(browser)
                if violations:
                    problems.append(f"{path}: axe {violations}")
    assert problems == [], "\n".join(problems)
