/// The task page: plain HTML, CSS and JavaScript in three resources served as they are (no build
/// step, no inline script or style, so the page's Content-Security-Policy allows only its own
/// files). It polls
/// the API every half second, draws a progress bar per task, and offers cancel, retry and a
/// download through a signed link.
enum TaskPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Tasks — Taskworks</title>
        <link rel="stylesheet" href="/task-page.css">
        </head>
        <body>
        <h1>Tasks</h1>
        <div class="who">Signed in as (demo only)
          <select id="user"><option>alice</option><option>bob</option><option>admin</option></select>
        </div>
        <form id="export">
          <strong>New user export</strong>
          <input id="keywords" placeholder="keywords (optional)">
          <select id="status"><option value="">any status</option><option>active</option><option>invited</option><option>locked</option><option>disabled</option></select>
          <button type="submit">Export</button>
          <span id="message" class="muted"></span>
        </form>
        <table>
          <thead><tr><th>Task</th><th>Status</th><th>Progress</th><th>Created</th><th></th></tr></thead>
          <tbody id="tasks"><tr><td colspan="5" class="muted">Loading…</td></tr></tbody>
        </table>
        <script src="/task-page.js"></script>
        </body>
        </html>
        """#

    static let css = #"""
          body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1d2330; }
          h1 { font-size: 1.4rem; } .muted { color: #667; }
          form, .who { display: flex; gap: .5rem; align-items: center; margin: 1rem 0; flex-wrap: wrap; }
          table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid #e3e6ee; }
          .bar { width: 12rem; height: .8rem; background: #e9ecf3; border-radius: .4rem; overflow: hidden; display: inline-block; vertical-align: middle; }
          .bar > span { display: block; height: 100%; background: #3b6df6; transition: width .3s; }
          .succeeded .bar > span { background: #1f9d55; } .failed .bar > span { background: #d64545; }
          button, a.button { font: inherit; padding: .25rem .6rem; border: 1px solid #c8cedc; border-radius: .3rem; background: #fff; cursor: pointer; }
          .status { font-weight: 600; } .error { color: #d64545; } .progress { white-space: nowrap; }
        """#

    static let javaScript = #"""
        const params = new URLSearchParams(location.search);
        const userSelect = document.getElementById("user");
        userSelect.value = params.get("user") || localStorage.getItem("user") || "alice";
        userSelect.onchange = () => { localStorage.setItem("user", userSelect.value); refresh(); };

        async function api(method, path, body) {
          const response = await fetch("/api" + path, {
            method, headers: { "X-Demo-User": userSelect.value, "Content-Type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body) });
          const text = await response.text();
          const json = text ? JSON.parse(text) : null;
          if (!response.ok) throw new Error(json && json.error ? json.error.message : response.statusText);
          return json;
        }

        function cell(row, content) { const td = row.insertCell(); if (content instanceof Node) td.append(content); else td.textContent = content; return td; }
        function button(label, action) { const b = document.createElement("button"); b.textContent = label; b.onclick = action; return b; }

        async function refresh() {
          try {
            const page = await api("GET", "/tasks?pageSize=20");
            const body = document.getElementById("tasks");
            body.replaceChildren();
            if (page.items.length === 0) { cell(body.insertRow(), "No tasks yet.").colSpan = 5; }
            for (const task of page.items) {
              const row = body.insertRow();
              row.className = task.status;
              row.dataset.taskId = task.id;
              row.dataset.progress = task.progress;
              cell(row, task.type + " " + task.id.slice(0, 8));
              cell(row, task.status).className = "status";
              const bar = document.createElement("span"); bar.className = "bar";
              const fill = document.createElement("span"); fill.style.width = task.progress + "%"; bar.append(fill);
              const progress = document.createElement("span"); progress.className = "progress"; progress.append(bar, " " + task.progress + "%");
              cell(row, progress);
              cell(row, new Date(task.createdAt).toLocaleTimeString());
              const actions = cell(row, "");
              if (task.status === "pending" || task.status === "running") actions.append(button("Cancel", () => act("cancel", task.id)));
              if (task.status === "failed" || task.status === "cancelled") actions.append(button("Retry", () => act("retry", task.id)));
              if (task.status === "succeeded" && task.artifact) actions.append(button("Download " + task.artifact.fileName, () => download(task.id)));
              if (task.errorMessage) { const e = document.createElement("div"); e.className = "error"; e.textContent = task.errorMessage; actions.append(e); }
            }
          } catch (error) { document.getElementById("message").textContent = error.message; }
        }

        async function act(verb, id) {
          try { await api("POST", "/tasks/" + id + "/" + verb); } catch (error) { document.getElementById("message").textContent = error.message; }
          refresh();
        }

        async function download(id) {
          const link = await api("POST", "/tasks/" + id + "/artifact/link");
          location.href = link.url;
        }

        document.getElementById("export").onsubmit = async (event) => {
          event.preventDefault();
          const payload = {};
          const keywords = document.getElementById("keywords").value.trim();
          const status = document.getElementById("status").value;
          if (keywords) payload.keywords = keywords;
          if (status) payload.status = status;
          try {
            const task = await api("POST", "/users/export", payload);
            document.getElementById("message").textContent = "Created " + task.id.slice(0, 8);
          } catch (error) { document.getElementById("message").textContent = error.message; }
          refresh();
        };

        refresh();
        setInterval(refresh, 500);
        """#
}
