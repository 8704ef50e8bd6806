// The Taskworks task console: a list, a detail page, a recent-tasks dropdown and admin views over
// the task API. Plain JavaScript, no build step. Every string from the server is set as text,
// never as HTML. Live updates come from the API's event stream (`GET /events`). When the stream
// is unavailable the console polls instead, and it stops both while the tab is hidden.
"use strict";

const config = JSON.parse(document.querySelector('meta[name="taskworks-config"]').content);
const apiBase = config.apiPrefix;
const consoleBase = config.prefix;
const activeStatuses = ["pending", "running"];
const statuses = ["pending", "running", "paused", "succeeded", "failed", "cancelled"];
const pageSize = 20;
const $ = (id) => document.getElementById(id);

const state = {
  caller: null,
  view: null,
  detailTask: null,
  listRequest: 0,
  stream: null,
  streamLive: false,
  lastEventID: null,
  timers: [],
  signedOut: false,
};

// ---- Small helpers -------------------------------------------------------------------------

/** An element with attributes and children; strings become text nodes, never markup. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "onclick") node.addEventListener("click", value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function may(permission) {
  return Boolean(state.caller && state.caller.permissions.includes(permission));
}

function localTime(text) {
  if (!text) return "—";
  const date = new Date(text);
  return isNaN(date) ? text : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function consoleURL(path, search) {
  const query = search && search.toString();
  return consoleBase + path + (query ? "?" + query : "");
}

function showNotice(message, kind) {
  const notice = $("notice");
  notice.textContent = message;
  notice.className = "notice" + (kind === "info" ? " info" : "");
  notice.hidden = !message;
}

function progressBar(task) {
  const value = Math.max(0, Math.min(100, Number(task.progress) || 0));
  const fill = el("span");
  fill.style.width = value + "%";
  const classes = "track" + (task.status === "succeeded" ? " done" : task.status === "failed" ? " failed" : "");
  return el(
    "div", { class: "progress", "data-progress": value },
    el("div", {
      class: classes, role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": value,
      "aria-label": "Progress of " + task.type,
    }, fill),
    el("span", { class: "percent", text: value + " %" }));
}

function statusText(task) {
  return el("span", { class: "status status-" + task.status, "data-status": task.status, text: task.status });
}

// ---- The API ---------------------------------------------------------------------------------

class SignedOut extends Error {}

async function call(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  // The API takes POST and PUT as application/json only, an empty body included.
  if (method !== "GET" && method !== "DELETE") options.headers["Content-Type"] = "application/json";
  if (body !== undefined) options.body = JSON.stringify(body);
  const response = await fetch(apiBase + path, options);
  if (response.status === 401) {
    signOut();
    throw new SignedOut("not signed in");
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const message = json && json.error ? json.error.message : "the server answered " + response.status;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return json;
}

/** Runs `action`, showing its failure (other than a lost session) as a notice. */
async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof SignedOut)) showNotice(error.message);
    return undefined;
  }
}

function signOut() {
  if (state.signedOut) return;
  state.signedOut = true;
  stopLiveUpdates();
  for (const id of ["list-view", "detail-view", "admin-view"]) $(id).hidden = true;
  $("recent-panel").hidden = true;
  document.querySelector(".recent").hidden = true;
  $("create-actions").hidden = true;
  $("nav-admin").hidden = true;
  showNotice("");
  $("signed-out").hidden = false;
  if (config.signInURL) {
    $("sign-in").href = config.signInURL;
    $("sign-in").hidden = false;
  }
}

// ---- Task actions ----------------------------------------------------------------------------

function confirmDelete(task) {
  return new Promise((resolve) => {
    const dialog = $("confirm-dialog");
    $("confirm-text").textContent = "Delete the " + task.type + " task " + task.id.slice(0, 8) + "…? It disappears from every list.";
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
    dialog.showModal();
    $("confirm-cancel").focus();
  });
}

async function download(task) {
  await attempt(async () => {
    const response = await fetch(apiBase + "/tasks/" + encodeURIComponent(task.id) + "/artifact", { credentials: "same-origin" });
    if (response.status === 401) { signOut(); return; }
    if (!response.ok) {
      let message = "the download failed (" + response.status + ")";
      try { message = (await response.json()).error.message; } catch { /* not JSON */ }
      throw new Error("Download failed: " + message);
    }
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: (task.artifact && task.artifact.fileName) || "artifact" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  });
}

/** The buttons the policy allows for `task` in its current status. */
function taskActions(task, { withView }) {
  const actions = el("div", { class: "actions" });
  const run = (label, method, path, after) => el("button", {
    type: "button", "data-action": label.toLowerCase(), "aria-label": label + " " + task.type + " " + task.id.slice(0, 8),
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      const changed = await attempt(() => call(method, "/tasks/" + encodeURIComponent(task.id) + path));
      if (changed !== undefined) { showNotice(""); after(changed); }
      else button.disabled = false;
    },
  }, label);
  if (withView) actions.append(el("a", { class: "button", href: consoleURL("/tasks/" + task.id), "data-action": "view", text: "View" }));
  if (activeStatuses.includes(task.status) && !task.cancelRequested && may("task:cancel")) {
    actions.append(run("Cancel", "POST", "/cancel", taskChanged));
  }
  if ((task.status === "failed" || task.status === "cancelled") && may("task:retry")) {
    actions.append(run("Retry", "POST", "/retry", taskChanged));
  }
  if (task.status === "pending" && may("task:pause")) actions.append(run("Pause", "POST", "/pause", taskChanged));
  if (task.status === "paused" && may("task:pause")) actions.append(run("Resume", "POST", "/resume", taskChanged));
  if (task.artifact && may("task:download")) {
    actions.append(el("button", { type: "button", "data-action": "download", onclick: () => download(task) }, "Download"));
  }
  if (may("task:delete")) {
    actions.append(el("button", {
      type: "button", class: "danger", "data-action": "delete",
      onclick: async () => {
        if (!(await confirmDelete(task))) return;
        const done = await attempt(() => call("DELETE", "/tasks/" + encodeURIComponent(task.id)));
        if (done !== undefined) taskRemoved(task.id);
      },
    }, "Delete"));
  }
  return actions;
}

// ---- The list --------------------------------------------------------------------------------

function listParameters() {
  const search = new URLSearchParams(location.search);
  return {
    search: search.get("search") || "",
    status: statuses.includes(search.get("status")) ? search.get("status") : "",
    type: search.get("type") || "",
    page: Math.max(1, parseInt(search.get("page") || "1", 10) || 1),
  };
}

function setListParameters(parameters, push) {
  const search = new URLSearchParams();
  if (parameters.search) search.set("search", parameters.search);
  if (parameters.status) search.set("status", parameters.status);
  if (parameters.type) search.set("type", parameters.type);
  if (parameters.page > 1) search.set("page", String(parameters.page));
  const url = consoleURL("/tasks", search);
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

function taskRow(task) {
  const row = el("tr", { "data-task-id": task.id, "data-status": task.status });
  row.append(
    el("td", { "data-label": "Type" },
      el("a", { href: consoleURL("/tasks/" + task.id), text: task.type }), " ",
      el("span", { class: "muted short-id", title: task.id, text: task.id.slice(0, 8) })),
    el("td", { "data-label": "Status" }, statusText(task)),
    el("td", { "data-label": "Progress" }, progressBar(task)));
  if (state.caller.seesEveryTask) row.append(el("td", { "data-label": "Creator", class: "creator", text: task.createdBy }));
  row.append(
    el("td", { "data-label": "Created" }, el("time", { datetime: task.createdAt, text: localTime(task.createdAt) })),
    el("td", { "data-label": "Actions" }, taskActions(task, { withView: true })));
  return row;
}

async function renderList() {
  const parameters = listParameters();
  $("search").value = parameters.search;
  const request = ++state.listRequest;
  const query = new URLSearchParams({ page: String(parameters.page), pageSize: String(pageSize) });
  if (parameters.status) query.set("status", parameters.status);
  if (parameters.type) query.set("type", parameters.type);
  if (parameters.search) query.set("search", parameters.search);
  const [page, counts] = await Promise.all([
    attempt(() => call("GET", "/tasks?" + query)),
    attempt(() => call("GET", "/tasks/counts")),
  ]);
  if (request !== state.listRequest || !page || state.view !== "list") return;
  if (counts) renderFilters(parameters, counts);
  document.querySelector("#task-table .creator-column").hidden = !state.caller.seesEveryTask;
  const rows = $("task-rows");
  rows.replaceChildren(...page.items.map(taskRow));
  $("empty").hidden = page.items.length > 0;
  const pages = Math.max(1, Math.ceil(page.total / pageSize));
  $("page-info").textContent = "Page " + page.page + " of " + pages + " · " + page.total + (page.total === 1 ? " task" : " tasks");
  $("previous-page").disabled = page.page <= 1;
  $("next-page").disabled = !page.hasMore;
}

function renderFilters(parameters, counts) {
  const total = Object.values(counts.byStatus || {}).reduce((sum, value) => sum + value, 0);
  const chip = (value, label, count) => el("button", {
    type: "button", "data-status-chip": value || "all", "aria-pressed": String(parameters.status === value),
    onclick: () => { setListParameters({ ...listParameters(), status: value, page: 1 }, true); renderList(); },
  }, label + " ", el("span", { class: "count", text: String(count) }));
  $("status-chips").replaceChildren(
    chip("", "All", total),
    ...statuses.map((status) => chip(status, status[0].toUpperCase() + status.slice(1), (counts.byStatus || {})[status] || 0)));
  const types = Object.keys(counts.byType || {}).sort();
  if (parameters.type && !types.includes(parameters.type)) types.push(parameters.type);
  $("type-filter").replaceChildren(
    el("option", { value: "", text: "Any type" }),
    ...types.map((type) => el("option", { value: type, selected: type === parameters.type, text: type })));
}

// ---- The detail page -------------------------------------------------------------------------

function field(list, name, value) {
  list.append(el("dt", { text: name }), el("dd", { "data-field": name.toLowerCase().replace(/[^a-z]+/g, "-") }, value));
}

function json(value) {
  return el("pre", { text: JSON.stringify(value, null, 2) });
}

async function renderDetail(id) {
  const task = await attempt(() => call("GET", "/tasks/" + encodeURIComponent(id)));
  if (state.view !== "detail") return;
  if (!task) {
    $("detail-title").textContent = "Task not found";
    $("detail-fields").replaceChildren();
    $("detail-actions").replaceChildren();
    return;
  }
  showTaskDetail(task);
}

function showTaskDetail(task) {
  state.detailTask = task;
  $("detail-title").textContent = task.type + " · " + task.id;
  const list = $("detail-fields");
  list.replaceChildren();
  field(list, "Status", statusText(task));
  field(list, "Progress", progressBar(task));
  field(list, "Creator", task.createdBy);
  field(list, "Attempts", task.attempts + " of " + (task.maxRetries + 1) + " (max retries " + task.maxRetries + ")");
  field(list, "Priority", String(task.priority));
  field(list, "Created", localTime(task.createdAt));
  field(list, "Run after", localTime(task.runAfter));
  field(list, "Started", localTime(task.startedAt));
  field(list, "Finished", localTime(task.finishedAt));
  field(list, "Updated", localTime(task.updatedAt));
  if (task.cancelRequested) field(list, "Cancel", "requested");
  field(list, "Payload", task.payload === undefined ? "—" : json(task.payload));
  if (task.result !== undefined) field(list, "Result", json(task.result));
  if (task.errorMessage) field(list, "Error", el("span", { class: "status-failed", text: task.errorMessage }));
  if (task.metadata) field(list, "Metadata", json(task.metadata));
  if (task.artifact) {
    field(list, "Artifact", el("span", {},
      task.artifact.fileName + " (" + task.artifact.contentType + ") ",
      may("task:download") ? el("button", { type: "button", "data-action": "download", onclick: () => download(task) }, "Download") : null));
  }
  $("detail-actions").replaceChildren(taskActions(task, { withView: false }));
  schedulePolling();
}

// ---- Recent tasks (header dropdown) ----------------------------------------------------------

async function renderRecent() {
  const recent = await attempt(() => call("GET", "/tasks/recent"));
  if (!recent) return;
  $("recent-count").textContent = String(recent.items.length);
  $("recent-list").replaceChildren(...(recent.items.length ? recent.items.map(recentItem) : [el("li", { class: "muted", text: "Nothing in the last 24 hours." })]));
}

function recentItem(task) {
  return el("li", { "data-task-id": task.id, "data-status": task.status },
    el("a", { href: consoleURL("/tasks/" + task.id), text: task.type }),
    statusText(task),
    progressBar(task),
    task.artifact && may("task:download")
      ? el("button", { type: "button", "data-action": "download", onclick: () => download(task) }, "Download") : null);
}

function setRecentOpen(open) {
  $("recent-panel").hidden = !open;
  $("recent-button").setAttribute("aria-expanded", String(open));
  if (open) renderRecent();
  schedulePolling();
}

// ---- Admin views -----------------------------------------------------------------------------

async function renderAdmin() {
  const [schedules, settings, workers] = await Promise.all([
    attempt(() => call("GET", "/schedules")),
    attempt(() => call("GET", "/settings")),
    attempt(() => call("GET", "/workers")),
  ]);
  if (state.view !== "admin") return;
  $("schedule-rows").replaceChildren(...((schedules && schedules.items) || []).map((schedule) => el("tr", { "data-schedule": schedule.name },
    el("td", { text: schedule.name }),
    el("td", { text: schedule.rule }),
    el("td", {}, el("time", { datetime: schedule.nextFire || "", text: localTime(schedule.nextFire) })),
    el("td", {}, schedule.lastRun
      ? el("a", { href: consoleURL("/tasks/" + schedule.lastRun.id), text: schedule.lastOutcome + " · " + schedule.lastRun.status })
      : el("span", { class: "muted", text: "not run here yet" })),
    el("td", {}, may("schedule:run") ? el("button", {
      type: "button", "data-action": "run-now",
      onclick: async () => {
        const outcome = await attempt(() => call("POST", "/schedules/" + encodeURIComponent(schedule.name) + "/run"));
        if (outcome) { showNotice(schedule.name + ": " + outcome.outcome, "info"); renderAdmin(); }
      },
    }, "Run now") : null))));
  if (settings) {
    $("max-concurrency").value = settings.maxConcurrentTasks;
    $("max-concurrency").disabled = !may("settings:change");
    $("save-settings").hidden = !may("settings:change");
  }
  const groups = (workers && workers.items) || [];
  $("no-workers").hidden = groups.length > 0;
  $("worker-rows").replaceChildren(...groups.map((group) => el("tr", { "data-worker": group.workerID },
    el("td", { text: group.workerID || "(no lease)" }),
    el("td", {}, ...group.tasks.map((task) => el("div", {},
      el("a", { href: consoleURL("/tasks/" + task.id), text: task.type + " " + task.id.slice(0, 8) }), " ", progressBar(task)))))));
}

// ---- Live updates ----------------------------------------------------------------------------

function taskChanged(task) {
  if (state.view === "list") {
    const row = document.querySelector('#task-rows tr[data-task-id="' + CSS.escape(task.id) + '"]');
    if (row) row.replaceWith(taskRow(task));
  }
  if (state.view === "detail" && state.detailTask && state.detailTask.id === task.id) showTaskDetail(task);
  const item = document.querySelector('#recent-list li[data-task-id="' + CSS.escape(task.id) + '"]');
  if (item) item.replaceWith(recentItem(task));
}

function taskRemoved(id) {
  const row = document.querySelector('#task-rows tr[data-task-id="' + CSS.escape(id) + '"]');
  if (row) row.remove();
  const item = document.querySelector('#recent-list li[data-task-id="' + CSS.escape(id) + '"]');
  if (item) item.remove();
  if (state.view === "detail" && state.detailTask && state.detailTask.id === id) {
    showNotice("The task was deleted.", "info");
    navigate("/tasks", true);
    return;
  }
  if (state.view === "list") refreshSoon("list");
}

const pending = {};
/** Coalesces refreshes that many events ask for into one, a moment later. */
function refreshSoon(what) {
  if (pending[what]) return;
  pending[what] = setTimeout(() => {
    pending[what] = null;
    if (what === "list" && state.view === "list") renderList();
    if (what === "recent") renderRecent();
    if (what === "admin" && state.view === "admin") renderAdmin();
  }, 250);
}

function handleEvent(event) {
  const task = event.task;
  if (event.kind === "deleted") { taskRemoved(task.id); return; }
  taskChanged(task);
  const mine = state.caller && task.createdBy === state.caller.id;
  if (event.kind === "created" || event.kind === "finished") {
    if (state.view === "list") refreshSoon("list");
    if (mine) refreshSoon("recent");
  } else if (mine && !document.querySelector('#recent-list li[data-task-id="' + CSS.escape(task.id) + '"]')) {
    refreshSoon("recent");
  }
  if (state.view === "admin") refreshSoon("admin");
}

function startStream() {
  if (state.stream || state.signedOut || document.hidden || !window.EventSource) return;
  const url = apiBase + "/events" + (state.lastEventID ? "?lastEventId=" + encodeURIComponent(state.lastEventID) : "");
  const stream = new EventSource(url, { withCredentials: true });
  state.stream = stream;
  stream.addEventListener("open", () => { state.streamLive = true; schedulePolling(); });
  stream.addEventListener("snapshot", (message) => {
    state.lastEventID = message.lastEventId || state.lastEventID;
    refreshView();
    renderRecent();
  });
  stream.addEventListener("task", (message) => {
    state.lastEventID = message.lastEventId || state.lastEventID;
    try { handleEvent(JSON.parse(message.data)); } catch { /* a malformed event is skipped */ }
  });
  stream.addEventListener("error", () => {
    state.streamLive = false;
    if (stream.readyState === EventSource.CLOSED) {
      // Refused (a lost session, or no stream here): find out which, then poll.
      state.stream = null;
      attempt(() => call("GET", "/caller"));
    }
    schedulePolling();
  });
}

function stopLiveUpdates() {
  if (state.stream) { state.stream.close(); state.stream = null; }
  state.streamLive = false;
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
}

/** Polling only where the stream is not live, and never while the tab is hidden. */
function schedulePolling() {
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  if (state.signedOut || document.hidden || state.streamLive) return;
  const every = (milliseconds, action) => state.timers.push(setInterval(action, milliseconds));
  if (state.view === "detail" && state.detailTask && activeStatuses.includes(state.detailTask.status)) {
    every(2000, () => renderDetail(state.detailTask.id));
  }
  if (state.view === "list") every(5000, renderList);
  if (state.view === "admin") every(5000, renderAdmin);
  every($("recent-panel").hidden ? 60000 : 3000, renderRecent);
}

// ---- Navigation ------------------------------------------------------------------------------

function route() {
  const path = location.pathname.slice(consoleBase.length) || "/";
  const detail = path.match(/^\/tasks\/([0-9a-fA-F-]{36})$/);
  if (detail) return { view: "detail", id: detail[1] };
  if (path === "/admin" && may("settings:view")) return { view: "admin" };
  return { view: "list" };
}

function refreshView() {
  const current = route();
  state.view = current.view;
  for (const [view, id] of [["list", "list-view"], ["detail", "detail-view"], ["admin", "admin-view"]]) {
    $(id).hidden = state.signedOut || state.view !== view;
  }
  if (state.signedOut) return;
  if (current.view === "list") renderList();
  if (current.view === "detail") renderDetail(current.id);
  if (current.view === "admin") renderAdmin();
  schedulePolling();
}

function navigate(path, replace) {
  if (replace) history.replaceState(null, "", consoleURL(path)); else history.pushState(null, "", consoleURL(path));
  showNotice("");
  refreshView();
  $("main").focus();
}

function setUpDemoUsers() {
  if (!config.demoUsers || !config.demoUsers.length) return;
  const current = (document.cookie.split("; ").find((part) => part.startsWith(config.demoUserCookie + "=")) || "").split("=")[1];
  const select = el("select", { id: "demo-user", "aria-label": "Signed in as (demo only)" },
    el("option", { value: "", text: "— choose —" }),
    ...config.demoUsers.map((name) => el("option", { value: name, selected: decodeURIComponent(current || "") === name, text: name })));
  select.addEventListener("change", () => {
    document.cookie = config.demoUserCookie + "=" + encodeURIComponent(select.value) + "; path=/; SameSite=Strict";
    location.reload();
  });
  $("who").replaceChildren(el("label", { for: "demo-user", text: "Signed in as (demo only)" }), select);
}

function setUpCreateActions() {
  const actions = (config.createActions || []).filter((action) => state.caller.creatableTypes.includes(action.taskType));
  $("create-actions").replaceChildren(...actions.map((action) => el("button", {
    type: "button", "data-create": action.taskType,
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      const task = await attempt(() => call("POST", action.path, action.body));
      button.disabled = false;
      if (!task) return;
      showNotice(action.label + ": started.", "info");
      await renderRecent();
      setRecentOpen(true);
      if (state.view === "list") refreshSoon("list");
    },
  }, action.label)));
}

async function start() {
  setUpDemoUsers();
  for (const [id, path] of [["brand", "/tasks"], ["nav-tasks", "/tasks"], ["nav-admin", "/admin"], ["back-to-list", "/tasks"], ["recent-all", "/tasks"]]) {
    $(id).href = consoleURL(path);
  }
  state.caller = await attempt(() => call("GET", "/caller"));
  if (!state.caller) {
    if (!state.signedOut) showNotice("The task API is not reachable.");
    return;
  }
  if (!config.demoUsers || !config.demoUsers.length) $("who").textContent = state.caller.id;
  $("nav-admin").hidden = !may("settings:view");
  setUpCreateActions();

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download") || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(consoleBase + "/")) return;
    event.preventDefault();
    if (link.closest("#recent-panel")) setRecentOpen(false);
    history.pushState(null, "", url.pathname + url.search);
    showNotice("");
    refreshView();
    $("main").focus();
  });
  window.addEventListener("popstate", refreshView);
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    setListParameters({ ...listParameters(), search: $("search").value.trim(), type: $("type-filter").value, page: 1 }, true);
    renderList();
  });
  $("type-filter").addEventListener("change", () => {
    setListParameters({ ...listParameters(), type: $("type-filter").value, page: 1 }, true);
    renderList();
  });
  $("previous-page").addEventListener("click", () => {
    const parameters = listParameters();
    setListParameters({ ...parameters, page: Math.max(1, parameters.page - 1) }, true);
    renderList();
  });
  $("next-page").addEventListener("click", () => {
    const parameters = listParameters();
    setListParameters({ ...parameters, page: parameters.page + 1 }, true);
    renderList();
  });
  $("recent-button").addEventListener("click", () => setRecentOpen($("recent-panel").hidden));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("recent-panel").hidden) { setRecentOpen(false); $("recent-button").focus(); }
  });
  $("settings-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = parseInt($("max-concurrency").value, 10);
    const saved = await attempt(() => call("PUT", "/settings", { maxConcurrentTasks: value }));
    if (saved) showNotice("Saved: at most " + saved.maxConcurrentTasks + " tasks run at once.", "info");
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      stopLiveUpdates();
    } else if (!state.signedOut) {
      startStream();
      refreshView();
      renderRecent();
    }
  });
  refreshView();
  renderRecent();
  startStream();
}

start();
