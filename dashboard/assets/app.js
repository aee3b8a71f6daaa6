// The goglove dashboard's page: three views (the studies, a study, a
// trial) over the JSON API of package dashboard. Text from the store is
// only ever set as textContent, never parsed as HTML.
"use strict";

const main = document.getElementById("main");

// el makes an element with attributes and children (strings become text).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === undefined || c === null) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

// num formats a metric: integers as they are, others to 6 digits.
function num(v) {
  if (v === undefined || v === null) return "";
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

async function getJSON(url) {
  const r = await fetch(url, { credentials: "same-origin" });
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function showError(err) {
  main.replaceChildren(el("p", { class: "error", id: "error-message", text: String(err.message || err) }));
}

function stateSpan(state) {
  return el("span", { class: "state " + state, text: state.replace("_", " ") });
}

function studyURL(name) { return "/study?name=" + encodeURIComponent(name); }
function trialURL(name, n) { return "/trial?study=" + encodeURIComponent(name) + "&number=" + n; }

// ---- the studies ----

async function studiesView() {
  document.title = "goglove dashboard: studies";
  const table = el("table", { id: "studies" },
    el("thead", {}, el("tr", {}, ...["study", "state", "trials", "completed", "running", "failed", "best"].map(h => el("th", { text: h })))),
    el("tbody"));
  main.replaceChildren(el("h1", { text: "Studies" }), table);
  const fill = async () => {
    const data = await getJSON("/api/studies");
    document.getElementById("store").textContent = data.store || "";
    const rows = data.studies.map(s => el("tr", { "data-study": s.name },
      el("td", {}, el("a", { href: studyURL(s.name), text: s.name })),
      el("td", {}, stateSpan(s.state)),
      el("td", { class: "num", "data-col": "total", text: String(s.total) }),
      el("td", { class: "num", "data-col": "completed", text: String(s.counts.completed || 0) }),
      el("td", { class: "num", "data-col": "running", text: String(s.counts.running || 0) }),
      el("td", { class: "num", "data-col": "failed", text: String(s.counts.failed || 0) }),
      el("td", { class: "num", "data-col": "best" }, s.best ? el("a", { href: trialURL(s.name, s.best.number), text: num(s.best.value) + " (#" + s.best.number + ")" }) : "")));
    if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 7, class: "nodata", text: "The store holds no study." })));
    table.tBodies[0].replaceChildren(...rows);
  };
  await fill();
  setInterval(() => fill().catch(() => {}), 3000);
}

// ---- a study ----

const query = { state: "", sort: "number", desc: false, offset: 0, limit: 50, metric: "", min: "", max: "", q: "" };

async function studyView(name) {
  document.title = "goglove dashboard: " + name;
  let study = await getJSON("/api/study?study=" + encodeURIComponent(name));
  document.getElementById("store").textContent = study.store || "";
  const counts = el("div", { class: "counts", id: "counts" });
  const summary = el("p", { class: "meta", id: "summary" });
  const plots = el("div", { class: "plots", id: "plots" });
  const metricCols = orderedMetrics(study);
  const thead = el("thead");
  const tbody = el("tbody");
  const table = el("table", { id: "trials" }, thead, tbody);
  const range = el("span", { id: "range" });
  const aggregates = el("table", { id: "aggregates" });
  const stateSel = el("select", { id: "state" }, el("option", { value: "", text: "every state" }),
    ...["completed", "running", "failed", "early_stopped", "skipped", "waiting"].map(s => el("option", { value: s, text: s.replace("_", " ") })));
  const metricSel = el("select", { id: "metric" }, el("option", { value: "", text: "no metric bound" }),
    ...study.metrics.map(m => el("option", { value: m, text: m })));
  const minIn = el("input", { id: "min", type: "number", step: "any", placeholder: "min" });
  const maxIn = el("input", { id: "max", type: "number", step: "any", placeholder: "max" });
  const textIn = el("input", { id: "q", type: "search", placeholder: "worker, error or DNA" });
  const apply = () => {
    Object.assign(query, { state: stateSel.value, metric: metricSel.value, min: minIn.value, max: maxIn.value, q: textIn.value, offset: 0 });
    loadTable().catch(showTableError);
  };
  for (const c of [stateSel, metricSel]) c.addEventListener("change", apply);
  for (const c of [minIn, maxIn, textIn]) c.addEventListener("change", apply);
  const prev = el("button", { id: "prev", type: "button", text: "← previous", onclick: () => { query.offset = Math.max(0, query.offset - query.limit); loadTable().catch(showTableError); } });
  const next = el("button", { id: "next", type: "button", text: "next →", onclick: () => { query.offset += query.limit; loadTable().catch(showTableError); } });
  const config = el("pre", { id: "config", text: study.config || "(the study keeps no config)" });

  main.replaceChildren(
    el("p", {}, el("a", { href: "/", text: "studies" }), " / "),
    el("h1", { id: "study-name", text: name }),
    summary, counts,
    el("h2", { text: "Plots" }), plots,
    el("h2", { text: "Trials" }),
    el("div", { class: "controls" }, stateSel, metricSel, minIn, maxIn, textIn),
    el("div", { class: "pager" }, prev, next, range),
    table,
    el("h2", { text: "Over the trials shown by the filters" }), aggregates,
    el("h2", { text: "Config" }), el("details", {}, el("summary", { text: "the study's config" }), config));

  const columns = [["number", "trial"], ["state", "state"], ["worker", "worker"],
    ...metricCols.map(m => ["metric:" + m, m]), ["duration", "seconds"], [null, "steps"], [null, "error"]];
  const heads = columns.map(([key, label]) => {
    const th = el("th", { text: label, "data-sort": key || undefined });
    if (key) th.addEventListener("click", () => {
      if (query.sort === key) query.desc = !query.desc; else { query.sort = key; query.desc = false; }
      query.offset = 0;
      loadTable().catch(showTableError);
    });
    return th;
  });
  thead.replaceChildren(el("tr", {}, ...heads));

  function showTableError(err) { range.textContent = String(err.message || err); range.className = "error"; }

  async function loadTable() {
    const p = new URLSearchParams({ study: name, sort: query.sort, desc: query.desc ? "1" : "0", offset: query.offset, limit: query.limit });
    for (const k of ["state", "metric", "min", "max", "q"]) if (query[k] !== "") p.set(k, query[k]);
    const page = await getJSON("/api/trials?" + p);
    if (page.offset >= page.matched && page.matched > 0 && query.offset > 0) {
      query.offset = Math.max(0, Math.floor((page.matched - 1) / query.limit) * query.limit);
      return loadTable();
    }
    heads.forEach((th, i) => {
      th.classList.toggle("sorted", columns[i][0] === query.sort);
      th.classList.toggle("asc", columns[i][0] === query.sort && !query.desc);
      th.classList.toggle("desc", columns[i][0] === query.sort && query.desc);
    });
    tbody.replaceChildren(...page.rows.map(r => el("tr", { "data-number": String(r.number) },
      el("td", { class: "num" }, el("a", { href: trialURL(name, r.number), text: String(r.number) })),
      el("td", {}, stateSpan(r.state)),
      el("td", { text: r.worker }),
      ...metricCols.map(m => el("td", { class: "num", "data-metric": m, text: num(r.metrics[m]) })),
      el("td", { class: "num", text: r.seconds === null ? "" : num(r.seconds) }),
      el("td", { class: "num", text: String(r.steps) }),
      el("td", { class: "err", text: r.error }))));
    range.className = "";
    range.textContent = page.matched === 0 ? "no trial matches (" + page.total + " in the study)"
      : (page.offset + 1) + "–" + (page.offset + page.rows.length) + " of " + page.matched + " matched (" + page.total + " in the study)";
    range.dataset.matched = String(page.matched);
    range.dataset.total = String(page.total);
    prev.disabled = page.offset === 0;
    next.disabled = page.offset + page.rows.length >= page.matched;
    const names = Object.keys(page.metrics).sort();
    aggregates.replaceChildren(
      el("tr", {}, ...["metric", "trials", "min", "mean", "max"].map(h => el("th", { text: h }))),
      ...names.map(m => el("tr", { "data-metric": m }, el("td", { text: m }),
        ...["count", "min", "mean", "max"].map(k => el("td", { class: "num", "data-agg": k, text: num(page.metrics[m][k]) })))));
  }

  function showSummary(s) {
    summary.replaceChildren(stateSpan(s.state), " · ", el("span", { id: "total", text: s.total + " trials" }), " · ",
      s.objectives.map(o => o.name + " (" + o.direction + ")").join(", "),
      s.best ? el("span", {}, " · best ", el("a", { id: "best", href: trialURL(name, s.best.number), text: num(s.best.value) + " (trial " + s.best.number + ")" })) : "",
      " · read in " + num(s.read_seconds * 1000) + " ms");
    counts.replaceChildren(...["completed", "running", "failed", "early_stopped", "skipped", "waiting"]
      .filter(k => s.counts[k]).map(k => el("span", { class: "count", "data-state": k, "data-n": String(s.counts[k]) }, stateSpan(k), " " + s.counts[k])));
    document.body.dataset.version = s.version;
  }

  const figures = {};
  for (const kind of study.kinds) {
    const img = el("img", { "data-kind": kind, alt: kind + " plot" });
    const note = el("p", { class: "nodata" });
    note.hidden = true;
    img.addEventListener("error", async () => {
      img.hidden = true;
      note.hidden = false;
      try { await getJSON(img.src); } catch (e) { note.textContent = String(e.message); }
    });
    img.addEventListener("load", () => { img.hidden = false; note.hidden = true; img.dataset.loaded = img.dataset.want; });
    const fig = el("figure", { class: "plot", "data-kind": kind }, img, note, el("figcaption", { text: kind }));
    figures[kind] = img;
    plots.append(fig);
  }
  // Plots reload at most every two seconds, whatever the rate of change.
  let plotTimer = null, plotWant = "";
  function refreshPlots(version) {
    plotWant = version;
    if (plotTimer) return;
    const go = () => {
      plotTimer = null;
      for (const [kind, img] of Object.entries(figures)) {
        img.dataset.want = plotWant;
        img.src = "/api/plot?" + new URLSearchParams({ study: name, kind: kind, v: plotWant });
      }
      plotTimer = setTimeout(() => { plotTimer = null; if (figures.history && figures.history.dataset.want !== plotWant) refreshPlots(plotWant); }, 2000);
    };
    go();
  }

  showSummary(study);
  refreshPlots(study.version);
  await loadTable();
  const live = document.getElementById("live");
  const es = new EventSource("/api/events?study=" + encodeURIComponent(name));
  es.addEventListener("open", () => { live.className = "on"; live.textContent = "live"; });
  es.addEventListener("error", () => { live.className = ""; live.textContent = "reconnecting…"; });
  es.addEventListener("change", ev => {
    const s = JSON.parse(ev.data);
    if (s.version === document.body.dataset.version) return;
    showSummary(s);
    refreshPlots(s.version);
    loadTable().catch(showTableError);
  });
}

// orderedMetrics puts a study's objectives first, then its other metrics.
function orderedMetrics(study) {
  const obj = study.objectives.map(o => o.name);
  return obj.concat(study.metrics.filter(m => !obj.includes(m)));
}

// ---- a trial ----

async function trialView(name, number) {
  document.title = "goglove dashboard: " + name + " trial " + number;
  const render = async () => {
    const t = await getJSON("/api/trial?" + new URLSearchParams({ study: name, number: number }));
    const fact = (label, id, value) => [el("dt", { text: label }), el("dd", { id: id }, value)];
    const facts = el("dl", { class: "facts" },
      ...fact("state", "trial-state", stateSpan(t.state)),
      ...fact("worker", "trial-worker", t.worker || "(none)"),
      ...fact("attempt", "trial-attempt", String(t.attempt)),
      ...fact("created", "trial-created", t.created),
      ...fact("finished", "trial-finished", t.finished || "(not yet)"),
      ...(t.heartbeat ? fact("last heartbeat", "trial-heartbeat", t.heartbeat) : []),
      ...fact("DNA", "dna", t.dna));
    const parts = [el("p", {}, el("a", { href: "/", text: "studies" }), " / ", el("a", { href: studyURL(name), text: name }), " /"),
      el("h1", { text: "Trial " + t.number }), facts];
    if (t.error) parts.push(el("h2", { text: "Failure reason" }), el("pre", { id: "trial-error", class: "error", text: t.error }));
    document.getElementById("store").textContent = t.store || "";
    const metricNames = Object.keys(t.metrics).sort();
    parts.push(el("h2", { text: "Metrics" }), metricNames.length === 0 ? el("p", { class: "nodata", text: "none" }) : el("table", { id: "trial-metrics" },
      el("tr", {}, el("th", { text: "metric" }), el("th", { text: "value" })),
      ...metricNames.map(m => el("tr", { "data-metric": m }, el("td", { text: m }), el("td", { class: "num", text: num(t.metrics[m]) })))));
    if (t.decisions.length) parts.push(el("h2", { text: "Decisions" }), el("table", { id: "decisions" },
      el("tr", {}, el("th", { text: "key path" }), el("th", { text: "value" })),
      ...t.decisions.map(d => el("tr", { "data-decision": d.name }, el("td", { text: d.name }), el("td", { text: d.value })))));
    const stepNames = [...new Set(t.steps.flatMap(s => Object.keys(s.metrics)))].sort();
    parts.push(el("h2", { text: "Intermediate reports" }), t.steps.length === 0 ? el("p", { class: "nodata", text: "none" }) :
      el("table", { id: "steps" }, el("tr", {}, el("th", { text: "step" }), ...stepNames.map(m => el("th", { text: m }))),
        ...t.steps.map(s => el("tr", { "data-step": String(s.step) }, el("td", { class: "num", text: String(s.step) }),
          ...stepNames.map(m => el("td", { class: "num", text: num(s.metrics[m]) }))))));
    parts.push(el("h2", { text: "Program" }), el("pre", { id: "program", text: t.program || "(the store keeps no program)" }));
    main.replaceChildren(...parts);
    return t.state;
  };
  const state = await render();
  if (state === "running" || state === "waiting") {
    const timer = setInterval(async () => {
      const s = await render().catch(() => "running");
      if (s !== "running" && s !== "waiting") clearInterval(timer);
    }, 2000);
  }
}

// ---- the route ----

(async () => {
  const p = new URLSearchParams(location.search);
  try {
    if (location.pathname === "/study") await studyView(p.get("name") || "");
    else if (location.pathname === "/trial") await trialView(p.get("study") || "", p.get("number") || "");
    else await studiesView();
  } catch (err) { showError(err); }
})();
