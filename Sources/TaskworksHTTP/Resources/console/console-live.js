// The Taskworks task console, part 4 of 4: live updates from the API's event stream (`GET
// /events`), polling when the stream is unavailable (never while the tab is hidden),
// navigation, and start-up.
"use strict";

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
    navigate(listPath, true);
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
  const detail = path.match(/^(?:\/tasks)?\/([0-9a-fA-F-]{36})$/);
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

/** Shows the view of a new URL; unlike a live refresh, it refills the search box from the URL. */
function showNewURL() {
  state.searchShown = null;
  refreshView();
}

function navigate(path, replace) {
  if (replace) history.replaceState(null, "", consoleURL(path)); else history.pushState(null, "", consoleURL(path));
  showNotice("");
  showNewURL();
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
  for (const [id, path] of [["brand", listPath], ["nav-tasks", listPath], ["nav-admin", "/admin"], ["back-to-list", listPath], ["recent-all", listPath]]) {
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
    if (url.origin !== location.origin || !(url.pathname === consoleBase || url.pathname.startsWith(consoleBase + "/"))) return;
    event.preventDefault();
    if (link.closest("#recent-panel")) setRecentOpen(false);
    history.pushState(null, "", url.pathname + url.search);
    showNotice("");
    showNewURL();
    $("main").focus();
  });
  window.addEventListener("popstate", showNewURL);
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
