// The Taskworks task console, part 1 of 4: configuration, helpers, the API client and the task
// actions. Plain JavaScript, no build step; the four files load in order and share the page's
// global scope. Every string from the server is set as text, never as HTML.
"use strict";

const config = JSON.parse(document.querySelector('meta[name="taskworks-config"]').content);
const apiBase = config.apiPrefix;
const consoleBase = config.prefix;
// Under a prefix the list is the prefix itself and a task's page is PREFIX/{id}; at the site
// root they are /tasks and /tasks/{id}.
const listPath = consoleBase ? "" : "/tasks";
const taskPath = (id) => listPath + "/" + id;
const activeStatuses = ["pending", "running"];
const statuses = ["pending", "running", "paused", "succeeded", "failed", "cancelled"];
const pageSize = 20;
const $ = (id) => document.getElementById(id);

const state = {
  caller: null,
  view: null,
  detailTask: null,
  listRequest: 0,
  // The URL's search text the search box was last filled from: a live refresh leaves the box
  // alone while someone types, and only a new URL (navigation, back, forward) refills it.
  searchShown: null,
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
  if (message) console.info("notice: " + message);
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

const requestTimeoutMilliseconds = 20000;

async function call(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  // The API takes POST and PUT as application/json only, an empty body included.
  if (method !== "GET" && method !== "DELETE") options.headers["Content-Type"] = "application/json";
  if (body !== undefined) options.body = JSON.stringify(body);
  // A request the server never answers must not freeze a view: it fails after 20 s as a notice.
  options.signal = AbortSignal.timeout(requestTimeoutMilliseconds);
  let response;
  try {
    response = await fetch(apiBase + path, options);
  } catch (error) {
    if (error && error.name === "TimeoutError") {
      throw new Error("the server did not answer " + method + " " + path + " within " + requestTimeoutMilliseconds / 1000 + " s");
    }
    throw error;
  }
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
  if (withView) actions.append(el("a", { class: "button", href: consoleURL(taskPath(task.id)), "data-action": "view", text: "View" }));
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
