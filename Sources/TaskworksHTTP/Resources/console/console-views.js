// The Taskworks task console, part 2 of 4: the list, the detail page, the recent-tasks dropdown
// and the admin views.
"use strict";

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
  const url = consoleURL(listPath, search);
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

function taskRow(task) {
  const row = el("tr", { "data-task-id": task.id, "data-status": task.status });
  row.append(
    el("td", { "data-label": "Type" },
      el("a", { href: consoleURL(taskPath(task.id)), text: task.type }), " ",
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
  if (parameters.search !== state.searchShown) {
    $("search").value = parameters.search;
    state.searchShown = parameters.search;
  }
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
    el("a", { href: consoleURL(taskPath(task.id)), text: task.type }),
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
  renderDashboard();
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
      ? el("a", { href: consoleURL(taskPath(schedule.lastRun.id)), text: schedule.lastOutcome + " · " + schedule.lastRun.status })
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
      el("a", { href: consoleURL(taskPath(task.id)), text: task.type + " " + task.id.slice(0, 8) }), " ", progressBar(task)))))));
}
