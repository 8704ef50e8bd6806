"""Drives the task console in headless Chromium against a running hummingbird-host and asserts
what a user sees: search, pages, the detail page, Cancel, Delete, the recent-tasks dropdown
moving live over the event stream, admin views, what a viewer and an operator may not see, text
that stays text, a narrow screen, the keyboard, and an unknown user's sign-in message.

usage: python3 console-check.py BASE_URL SCREENSHOT_DIR CHROMIUM
Run by console-check.sh, which starts the server. Every wait has a deadline (Playwright's
expect() retries for up to EXPECT_TIMEOUT ms, then fails).
"""

import json
import sys
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright

BASE, SHOTS, CHROMIUM = sys.argv[1], sys.argv[2], sys.argv[3]
EXPECT_TIMEOUT = 20_000
expect.set_options(timeout=EXPECT_TIMEOUT)
checks = []


def check(name):
    checks.append(name)
    print("ok:", name, flush=True)


def api(method, path, user, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + "/tasks/api" + path, data=data, method=method)
    request.add_header("X-Demo-User", user)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


# What the browser did, printed when a check fails: API requests and how they ended, script
# errors, console messages (notices among them) and navigations.
journal = []
unanswered = {}


def note(user, text):
    journal.append(f"{time.monotonic():.2f} [{user}] {text}")


def print_journal_on_failure(kind, value, traceback):
    print("---- the browser's last 60 events before the failure ----", file=sys.stderr)
    for line in journal[-60:]:
        print(line, file=sys.stderr)
    print("---- API requests not answered (event streams stay open):", file=sys.stderr)
    for line in unanswered.values():
        print(line, file=sys.stderr)
    sys.__excepthook__(kind, value, traceback)


sys.excepthook = print_journal_on_failure


def watch(page, user):
    def started(request):
        if "/api/" in request.url:
            unanswered[id(request)] = f"[{user}] {request.method} {request.url}"
            note(user, f"-> {request.method} {request.url}")

    def finished(request):
        if unanswered.pop(id(request), None):
            response = request.response()
            note(user, f"<- {response.status if response else '?'} {request.method} {request.url}")

    def failed(request):
        if unanswered.pop(id(request), None):
            note(user, f"<- failed ({request.failure}) {request.method} {request.url}")

    page.on("request", started)
    page.on("requestfinished", finished)
    page.on("requestfailed", failed)
    page.on("console", lambda message: note(user, f"console {message.type}: {message.text}"))
    page.on("framenavigated", lambda frame: note(user, f"page {frame.url}") if frame == page.main_frame else None)


def context(browser, user, width=1280, height=900):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    ctx.add_cookies([{"name": "taskworks_demo_user", "value": user, "url": BASE}])
    page = ctx.new_page()
    watch(page, user)
    errors = []
    page.on("pageerror", lambda error: (errors.append(str(error)), note(user, f"script error: {error}")))
    page.errors = errors
    return page


def rows(page):
    return page.locator("#task-rows tr")


# ---- Seed: 25 exports, 12 by alice (an operator) and 13 by admin; bob (a viewer) may not export.
created = []
for index in range(25):
    user = "alice" if index < 12 else "admin"
    status, task = api("POST", "/users/export", user, {})
    assert status == 201, (status, task)
    created.append(task)
assert api("POST", "/users/export", "bob", {})[0] == 403
# One export whose filter is markup, to see it shown as text.
status, hostile = api("POST", "/users/export", "alice", {"keywords": "<img src=x onerror=window.pwned=1>"})
assert status == 201, hostile

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--no-proxy-server"])

    # ---- An unknown user: a sign-in message, and no request loop.
    page = context(browser, "mallory")
    api_requests = []
    page.on("request", lambda request: api_requests.append(request.url) if "/api/" in request.url else None)
    page.goto(BASE + "/tasks")
    expect(page.locator("#signed-out")).to_be_visible()
    expect(page.locator("#signed-out")).to_contain_text("You are not signed in")
    expect(page.locator("#list-view")).to_be_hidden()
    settled = len(api_requests)
    page.wait_for_timeout(3_000)  # a bounded look for polling that should not happen
    assert len(api_requests) <= settled + 1, api_requests
    check("an unknown user sees a sign-in message and the page stops asking")
    page.context.close()

    # ---- Admin: the list, pages, search, filters, detail, Cancel, Delete, admin views.
    page = context(browser, "admin")
    page.goto(BASE + "/tasks")
    expect(rows(page)).to_have_count(20)
    expect(page.locator("#page-info")).to_have_text("Page 1 of 2 · 26 tasks")
    expect(page.locator("#task-table th.creator-column")).to_be_visible()
    creators = set(page.locator("#task-rows td.creator").all_text_contents())
    assert creators == {"alice", "admin"}, creators
    created_text = page.locator("#task-rows td[data-label=Created] time").first.text_content()
    assert any(ch.isdigit() for ch in created_text) and ":" in created_text, created_text
    check("the list shows 20 rows of 26, creators, and dates with times")

    page.click("#next-page")
    expect(rows(page)).to_have_count(6)
    assert "page=2" in page.url, page.url
    expect(page.locator("#page-info")).to_have_text("Page 2 of 2 · 26 tasks")
    page.reload()
    expect(rows(page)).to_have_count(6)
    page.click("#previous-page")
    expect(rows(page)).to_have_count(20)
    check("paging moves, and the URL keeps the page across a reload")

    target = created[3]
    page.fill("#search", target["id"])
    page.click("#filters button[type=submit]")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-task-id", target["id"])
    assert "search=" in page.url
    page.fill("#search", "no-such-type")
    page.click("#filters button[type=submit]")
    expect(page.locator("#empty")).to_be_visible()
    expect(rows(page)).to_have_count(0)
    page.fill("#search", "user_export")
    # A live refresh while the new text waits to be submitted (a task created meanwhile reloads
    # the list) leaves the search box as typed.
    with page.expect_response(lambda response: "/api/tasks?" in response.url):
        assert api("POST", "/users/export", "admin", {})[0] == 201
    expect(page.locator("#search")).to_have_value("user_export")
    page.click("#filters button[type=submit]")
    expect(rows(page)).to_have_count(20)
    check("search by id narrows to one row; a type nobody has shows none; typing survives a live refresh")

    # One of admin's pending tasks (the queue is deep, the exports slow): cancel it from its
    # detail page.
    status, pending = api("GET", "/tasks?status=pending&createdBy=admin&pageSize=1&sort=createdAscending", "admin")
    assert status == 200 and pending["items"], pending
    victim = pending["items"][0]
    page.goto(BASE + "/tasks/" + victim["id"])
    for name in ["status", "progress", "creator", "attempts", "priority", "created", "run-after", "started",
                 "finished", "payload"]:
        expect(page.locator(f'#detail-fields dd[data-field="{name}"]')).to_be_visible()
    expect(page.locator('#detail-fields dd[data-field="creator"]')).to_have_text(victim["createdBy"])
    expect(page.locator('#detail-fields dd[data-field="attempts"]')).to_contain_text("max retries")
    page.click('#detail-actions button[data-action="cancel"]')
    expect(page.locator('#detail-fields dd[data-field="status"] .status')).to_have_text("cancelled")
    assert api("GET", "/tasks/" + victim["id"], "admin")[1]["status"] == "cancelled"
    check("the detail page shows every field, and Cancel changes the status")

    # Delete it from the list, through the confirmation.
    page.goto(BASE + "/tasks?status=cancelled")
    row = page.locator(f'#task-rows tr[data-task-id="{victim["id"]}"]')
    expect(row).to_have_count(1)
    row.locator('button[data-action="delete"]').click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    page.click("#confirm-ok")
    expect(row).to_have_count(0)
    assert api("GET", "/tasks/" + victim["id"], "admin")[0] == 404
    check("Delete asks first, then removes the row")

    page.goto(BASE + "/tasks")
    expect(page.locator("#nav-admin")).to_be_visible()
    page.click("#nav-admin")
    expect(page.locator("#admin-view")).to_be_visible()
    schedule = page.locator('#schedule-rows tr[data-schedule="nightly-export"]')
    expect(schedule).to_contain_text("cron 0 2 * * * (GMT)")
    schedule.locator('button[data-action="run-now"]').click()
    expect(page.locator("#notice")).to_contain_text("nightly-export: fired")
    expect(schedule).to_contain_text("fired")
    expect(page.locator("#max-concurrency")).to_have_value("10")
    expect(page.locator("#worker-rows tr").first).to_be_visible()
    check("admin views: a schedule with its rule and Run now, the concurrency setting, workers at work")

    # The dashboard: charts the page draws as SVG from GET /stats, a row per type, and figures that
    # move without a reload while exports start.
    expect(page.locator('#throughput-chart polyline[data-series="started"]')).to_have_count(1)
    expect(page.locator('#depth-chart polyline[data-series="queueDepth"]')).to_have_count(1)
    points = page.locator('#throughput-chart polyline[data-series="started"]').get_attribute("points")
    assert points and len(points.split()) == 60, points
    expect(page.locator('#stats-rows tr[data-type="user_export"]')).to_be_visible()
    started = page.locator('#dashboard-summary [data-figure="started"]')
    expect(started).to_contain_text("Started ")
    before = int(started.inner_text().split()[-1])
    assert api("POST", "/users/export", "admin", {})[0] == 201
    expect(started).not_to_have_text(f"Started {before}", timeout=60_000)
    after = int(started.inner_text().split()[-1])
    assert after > before, (before, after)
    # One type's charts: picked from its row, drawn from its own series, and back to every type.
    page.locator('#stats-rows tr[data-type="user_export"] a').click()
    expect(page.locator("#dashboard-type")).to_have_value("user_export")
    expect(page.locator("#throughput-chart svg")).to_have_attribute(
        "aria-label", "user_export tasks started, succeeded and failed per minute, last hour")
    expect(page.locator('#stats-rows tr[data-type="user_export"] td:last-child polyline')).to_have_count(1)
    page.screenshot(path=f"{SHOTS}/console-dashboard-1280x900.png", full_page=True)
    page.select_option("#dashboard-type", "")
    expect(page.locator("#throughput-chart svg")).to_have_attribute(
        "aria-label", "Tasks started, succeeded and failed per minute, last hour")
    check("dashboard: started/succeeded/failed and queue depth drawn as SVG, in total and per type, moving live")

    page.goto(BASE + "/tasks")
    expect(rows(page)).to_have_count(20)
    page.screenshot(path=f"{SHOTS}/console-1280x900.png")
    assert not page.errors, page.errors
    page.context.close()

    # ---- Alice (an operator): her own tasks only, no admin views; the dropdown moves live.
    page = context(browser, "alice")
    stream_requests = []
    page.on("request", lambda request: stream_requests.append(request.url) if "/api/events" in request.url else None)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.goto(BASE + "/tasks")
    expect(rows(page)).to_have_count(13)
    expect(page.locator("#task-table th.creator-column")).to_be_hidden()
    expect(page.locator("#task-rows td.creator")).to_have_count(0)
    expect(page.locator("#nav-admin")).to_be_hidden()
    expect(page.locator('#task-rows button[data-action="delete"]')).to_have_count(0)  # not an operator's
    check("a non-admin sees no creator column, no admin views and no Delete")

    page.click('button[data-create="user_export"]')
    expect(page.locator("#recent-panel")).to_be_visible()
    # The new export is the newest of alice's.
    status, mine = api("GET", "/tasks?pageSize=1", "alice")
    newest = mine["items"][0]["id"]
    item = page.locator(f'#recent-list li[data-task-id="{newest}"]')
    expect(item).to_have_count(1)
    # Its progress moves without a reload: from the event stream.
    first = None
    for _ in range(2):
        bar = item.locator(".progress")
        expect(bar).not_to_have_attribute("data-progress", first or "-1")
        first = bar.get_attribute("data-progress")
        expect(bar).not_to_have_attribute("data-progress", first, timeout=60_000)
    assert stream_requests, "the console never opened the event stream"
    assert len(navigations) == 1, navigations
    check("a new export appears in the dropdown and its progress moves live, without a reload")

    page.goto(BASE + "/tasks/" + hostile["id"])
    expect(page.locator('#detail-fields dd[data-field="payload"]')).to_contain_text("<img src=x onerror")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#detail-fields img").count() == 0
    check("markup in a payload is shown as text")

    page.goto(BASE + "/tasks/admin")
    expect(page.locator("#list-view")).to_be_visible()  # no admin view for an operator
    expect(page.locator("#admin-view")).to_be_hidden()

    # Keyboard: the dropdown opens with Enter and closes with Escape, focus back on its button.
    page.goto(BASE + "/tasks")
    expect(rows(page)).to_have_count(14)
    page.focus("#recent-button")
    page.keyboard.press("Enter")
    expect(page.locator("#recent-panel")).to_be_visible()
    expect(page.locator("#recent-button")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#recent-panel")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "recent-button"
    for control in ["#search", "#type-filter", "#recent-button", "#previous-page", "#next-page"]:
        label = page.evaluate(
            "(s) => { const e = document.querySelector(s); return e.labels && e.labels.length ? e.labels[0].textContent"
            " : (e.getAttribute('aria-label') || e.textContent) }", control)
        assert label and label.strip(), control
    check("keyboard: the dropdown opens and closes; controls are labelled")
    assert not page.errors, page.errors
    page.context.close()

    # ---- Bob (a viewer): sees none of the others' tasks and may not start an export.
    page = context(browser, "bob")
    page.goto(BASE + "/tasks")
    expect(page.locator("#empty")).to_be_visible()  # bob created nothing
    expect(page.locator("#page-info")).to_have_text("Page 1 of 1 · 0 tasks")
    expect(page.locator("button[data-create]")).to_have_count(0)
    expect(page.locator("#nav-admin")).to_be_hidden()
    check("a viewer sees only their own (no) tasks and no export button")
    page.context.close()

    # ---- On a phone-sized screen nothing overflows.
    page = context(browser, "alice", 390, 844)
    page.goto(BASE + "/tasks")
    expect(rows(page)).to_have_count(14)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390"
    page.screenshot(path=f"{SHOTS}/console-390x844.png")
    page.click("#recent-button")
    expect(page.locator("#recent-panel")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page with the dropdown open is {width} px wide at 390"
    page.screenshot(path=f"{SHOTS}/console-390x844-recent.png")
    check("at 390 px nothing overflows; screenshots saved")
    page.context.close()

    page = context(browser, "admin", 390, 844)
    page.goto(BASE + "/tasks/admin")
    expect(page.locator('#throughput-chart polyline[data-series="started"]')).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard is {width} px wide at 390"
    page.screenshot(path=f"{SHOTS}/console-dashboard-390x844.png", full_page=True)
    check("the dashboard fits 390 px")
    page.context.close()
    browser.close()

print(f"console check passed: {len(checks)} checks")
