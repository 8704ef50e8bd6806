// The Taskworks task console, part 3 of 4: the dashboard (in the admin view): started, succeeded and
// failed per minute and the queue depth over the last hour, in total and per type, drawn by the
// page itself as SVG from GET /stats. It refreshes with the admin view: on task events and every
// few seconds. No library, no markup from the server: every number is set as an attribute or text.
"use strict";

const svgNS = "http://www.w3.org/2000/svg";

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(svgNS, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A line chart of `lines` ([{name, values, colour}]) over `minutes` minutes, its y axis from 0. */
function lineChart(label, lines, minutes) {
  const width = 600, height = 150, left = 34, bottom = 18, top = 8;
  const highest = Math.max(1, ...lines.flatMap((line) => line.values));
  const x = (index) => left + (minutes <= 1 ? 0 : index * (width - left - 4) / (minutes - 1));
  const y = (value) => top + (height - top - bottom) * (1 - value / highest);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart" });
  chart.append(svg("line", { x1: left, y1: y(0), x2: width - 4, y2: y(0), class: "axis" }));
  chart.append(svg("text", { x: left - 4, y: y(highest) + 4, "text-anchor": "end", class: "tick" }, document.createTextNode(String(highest))));
  chart.append(svg("text", { x: left - 4, y: y(0), "text-anchor": "end", class: "tick" }, document.createTextNode("0")));
  chart.append(svg("text", { x: left, y: height - 4, class: "tick" }, document.createTextNode(`−${minutes} min`)));
  chart.append(svg("text", { x: width - 4, y: height - 4, "text-anchor": "end", class: "tick" }, document.createTextNode("now")));
  for (const line of lines) {
    const points = line.values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(" ");
    chart.append(svg("polyline", { points, fill: "none", stroke: line.colour, "stroke-width": 2, "data-series": line.name }));
  }
  return chart;
}

/** A small line of one series for a table cell. */
function sparkline(values, colour = "#2f5fe0") {
  const width = 120, height = 24, highest = Math.max(1, ...values);
  const points = values.map((value, index) =>
    `${(index * width / Math.max(1, values.length - 1)).toFixed(1)},${(height - 2 - (height - 4) * value / highest).toFixed(1)}`).join(" ");
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "sparkline", "aria-hidden": "true" },
    svg("polyline", { points, fill: "none", stroke: colour, "stroke-width": 1.5 }));
}

const sum = (values) => values.reduce((total, value) => total + value, 0);
const seconds = (value) => value === null || value === undefined ? "—"
  : value < 1 ? Math.round(value * 1000) + " ms" : value.toFixed(1) + " s";

async function renderDashboard() {
  const stats = await attempt(() => call("GET", "/stats?window=60"));
  if (!stats || state.view !== "admin") return;
  const total = stats.total;
  $("dashboard-summary").replaceChildren(
    el("span", { "data-figure": "started", text: "Started " + sum(total.started) }),
    el("span", { "data-figure": "succeeded", text: "Succeeded " + sum(total.succeeded) }),
    el("span", { "data-figure": "failed", text: "Failed " + sum(total.failed) }),
    el("span", { "data-figure": "depth", text: "Queued now " + total.queueDepth[total.queueDepth.length - 1] }),
    el("span", { "data-figure": "wait", text: "Wait p50 " + seconds(stats.waitP50Seconds) + " · p95 " + seconds(stats.waitP95Seconds) }),
    el("span", { text: "Busiest: " + (stats.busiestTypes.join(", ") || "—") }),
    el("span", { text: "Slowest: " + (stats.slowestTypes.join(", ") || "—") }));
  const types = Object.keys(stats.byType).sort();
  const picker = $("dashboard-type");
  const chosen = types.includes(picker.value) ? picker.value : "";
  picker.replaceChildren(el("option", { value: "", text: "every type" }),
    ...types.map((type) => el("option", { value: type, text: type })));
  picker.value = chosen;
  const shown = chosen ? stats.byType[chosen] : total;
  const scope = chosen ? `${chosen} tasks` : "Tasks";
  $("throughput-chart").replaceChildren(lineChart(`${scope} started, succeeded and failed per minute, last hour`, [
    { name: "started", values: shown.started, colour: "#2f5fe0" },
    { name: "succeeded", values: shown.succeeded, colour: "#1a7f4b" },
    { name: "failed", values: shown.failed, colour: "#c23030" },
  ], stats.minutes));
  $("depth-chart").replaceChildren(lineChart(`${scope} pending at the end of each minute, last hour`, [
    { name: "queueDepth", values: shown.queueDepth, colour: "#a86200" },
  ], stats.minutes));
  $("throughput-chart").dataset.type = chosen;
  $("no-stats").hidden = types.length > 0;
  $("stats-rows").replaceChildren(...types.map((type) => {
    const series = stats.byType[type];
    const name = el("a", { href: "#", text: type });
    name.addEventListener("click", (event) => {
      event.preventDefault();
      picker.value = type;
      renderDashboard();
    });
    return el("tr", { "data-type": type },
      el("td", {}, name),
      el("td", { text: String(sum(series.started)) }),
      el("td", { text: String(sum(series.succeeded)) }),
      el("td", { text: String(sum(series.failed)) }),
      el("td", { text: String(series.queueDepth[series.queueDepth.length - 1]) }),
      el("td", {}, sparkline(series.started)),
      el("td", {}, sparkline(series.queueDepth, "#a86200")));
  }));
}

$("dashboard-type").addEventListener("change", () => renderDashboard());
