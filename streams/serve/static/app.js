// newsstream live page: alerts over Server-Sent Events, filters in the address, a map.
// Plain JavaScript, no framework and nothing fetched from elsewhere.
"use strict";

const FILTERS = ["level", "category", "country", "entity"];
const MAX_SHOWN = 500; // alerts kept on the page; older ones leave it
const SVG_NS = "http://www.w3.org/2000/svg";
const MAP_SCALE = 10; // SVG units per degree (tools/map/build_world.py)
const MAP_SOUTH = -60;
let LEVEL_RANK = {}; // from the level filter's options, which the server lists lowest first

const state = {
  alerts: [], // newest first
  source: null,
  openedAt: 0,
  markers: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// --- the address holds the filters --------------------------------------------------------

function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FILTERS) filters[name] = (params.get(name) || "").trim();
  return filters;
}

function filterQuery(filters) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  return params;
}

function formFilters() {
  return {
    level: $("f-level").value,
    category: $("f-category").value,
    country: $("f-country").value.trim().toUpperCase(),
    entity: $("f-entity").value.trim(),
  };
}

function showFilters(filters) {
  $("f-level").value = filters.level;
  $("f-category").value = filters.category;
  $("f-country").value = filters.country;
  $("f-entity").value = filters.entity;
}

function pageUrl(filters, story) {
  const params = filterQuery(filters);
  if (story) params.set("view", story);
  const query = params.toString();
  return location.pathname + (query ? "?" + query : "");
}

function applyForm() {
  const filters = formFilters();
  if (filters.country && !/^[A-Z]{2}$/.test(filters.country)) return; // still typing
  const url = pageUrl(filters, null);
  if (url !== location.pathname + location.search) {
    history.pushState({}, "", url);
    connect(filters);
  }
}

let typing = null;
function applySoon() {
  clearTimeout(typing);
  typing = setTimeout(applyForm, 350);
}

// --- the stream ---------------------------------------------------------------------------

function setStatus(stateName, text) {
  $("status").dataset.state = stateName;
  $("status-text").textContent = text;
}

function connect(filters) {
  if (state.source) state.source.close();
  state.alerts = [];
  $("alerts").replaceChildren();
  render();
  const query = filterQuery(filters).toString();
  const source = new EventSource("/alerts/stream" + (query ? "?" + query : ""));
  state.source = source;
  state.openedAt = 0;
  setStatus("connecting", "connecting…");
  source.addEventListener("open", () => {
    state.openedAt = Date.now();
    setStatus("live", "live");
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      setStatus("denied", "disconnected (is the token set?) — reload to retry");
    } else {
      setStatus("reconnecting", "reconnecting…");
    }
  });
  source.addEventListener("alert", (event) => {
    const fresh = state.openedAt && Date.now() - state.openedAt > 1500;
    add(JSON.parse(event.data), fresh);
  });
  source.addEventListener("gap", (event) => {
    const info = JSON.parse(event.data);
    announce(info.message);
  });
}

function announce(text) {
  $("announce").textContent = text;
}

// --- alerts -------------------------------------------------------------------------------

function when(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el("span", { text: iso });
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  let relative;
  if (Math.abs(seconds) < 60) relative = "just now";
  else if (Math.abs(seconds) < 3600) relative = `${Math.round(seconds / 60)} min ago`;
  else if (Math.abs(seconds) < 86400) relative = `${Math.round(seconds / 3600)} h ago`;
  else relative = date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  const absolute = date.toLocaleString(undefined, {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  return el("time", { datetime: iso, title: absolute, text: relative });
}

function chips(values, cls, label) {
  if (!values || !values.length) return null;
  return el("ul", { class: "chips " + cls, "aria-label": label },
    ...values.map((v) => el("li", { text: v.replaceAll("_", " ") })));
}

function card(alert, fresh) {
  const level = alert.level || "none";
  const link = safeUrl(alert.url);
  const storyId = alert.story_id;
  const item = el("li", {
    class: `alert lv-${level}` + (fresh ? " fresh" : ""),
    "data-alert-id": alert.alert_id,
    "data-story-id": storyId,
  });
  const title = alert.title || "(no title)";
  const heading = el("h3", {},
    storyId ? el("button", { type: "button", onclick: () => openStory(storyId, alert), "aria-haspopup": "dialog", text: title })
            : title);
  item.append(
    el("div", { class: "alert-head" },
      el("span", { class: "badge", text: level }),
      heading,
      alert.kind === "spike" ? el("span", { class: "kind", text: "spike" }) : null),
    el("p", { class: "meta" },
      when(alert.created_at),
      alert.published_at ? el("span", {}, "published ", when(alert.published_at)) : null,
      alert.source ? el("span", { text: alert.source }) : null,
      link ? el("a", { href: link, rel: "noopener noreferrer", target: "_blank", text: "source ↗" }) : null),
    el("p", { class: "summary", text: alert.summary }),
    chips(alert.entities, "ents", "Entities"),
    chips(alert.categories, "cats", "Categories"),
    el("p", { class: "why" }, el("b", { text: "Why: " }), alert.reason),
  );
  return item;
}

function add(alert, fresh) {
  const known = state.alerts.findIndex((a) => a.alert_id === alert.alert_id);
  if (known >= 0) {
    state.alerts.splice(known, 1);
    document.querySelector(`[data-alert-id="${CSS.escape(alert.alert_id)}"]`)?.remove();
  }
  // newest first by creation time: partitions are read interleaved, not in time order
  let at = state.alerts.findIndex((a) => (a.created_at || "") < (alert.created_at || ""));
  if (at < 0) at = state.alerts.length;
  state.alerts.splice(at, 0, alert);
  $("alerts").insertBefore(card(alert, fresh), $("alerts").children[at] || null);
  while (state.alerts.length > MAX_SHOWN) {
    state.alerts.pop();
    $("alerts").lastElementChild?.remove();
  }
  if (fresh) announce(`New ${alert.level} alert: ${alert.title || alert.summary}`);
  scheduleRender();
}

let pending = false;
function scheduleRender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
}

function render() {
  $("empty").hidden = state.alerts.length > 0;
  const n = state.alerts.length;
  $("count").textContent = n ? `${n} alert${n === 1 ? "" : "s"} shown` : "";
  drawPlaces();
}

// --- the map ------------------------------------------------------------------------------

async function loadMap() {
  const response = await fetch("/static/world-110m.svg");
  if (!response.ok) return;
  const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  state.markers = document.createElementNS(SVG_NS, "g");
  state.markers.setAttribute("class", "markers");
  svg.append(state.markers);
  $("map").replaceChildren(svg);
  drawPlaces();
}

function project(lat, lon) {
  return [(lon + 180) * MAP_SCALE, (90 - Math.max(lat, MAP_SOUTH)) * MAP_SCALE];
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function placesOfShown() {
  const places = new Map();
  for (const alert of state.alerts) {
    for (const place of alert.places || []) {
      const key = `${place.name}|${place.lat}|${place.lon}`;
      let entry = places.get(key);
      if (!entry) {
        entry = { ...place, alerts: [], level: "none" };
        places.set(key, entry);
      }
      entry.alerts.push(alert);
      if (LEVEL_RANK[alert.level] > LEVEL_RANK[entry.level]) entry.level = alert.level;
    }
  }
  return [...places.values()].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level]);
}

function drawPlaces() {
  const places = placesOfShown();
  const countries = new Set(places.map((p) => p.country).filter(Boolean));
  $("countries").replaceChildren(...[...countries].sort().map((c) => el("option", { value: c })));
  const list = [...places].sort((a, b) => b.alerts.length - a.alerts.length || a.name.localeCompare(b.name));
  $("places").replaceChildren(...list.slice(0, 24).map((p) =>
    el("li", {},
      el("button", { type: "button", onclick: () => pick(p.alerts[0]), text: p.name + (p.country ? ` (${p.country})` : "") }),
      el("span", { text: String(p.alerts.length) }))));
  if (!state.markers) return;
  const map = state.markers.ownerSVGElement;
  for (const path of map.querySelectorAll("path.hit")) path.classList.remove("hit");
  for (const code of countries) {
    for (const path of map.querySelectorAll(`path[data-cc="${CSS.escape(code)}"]`)) path.classList.add("hit");
  }
  const nodes = [];
  for (const place of places) {
    const [x, y] = project(place.lat, place.lon);
    const radius = 14 + 5 * LEVEL_RANK[place.level] + Math.min(place.alerts.length - 1, 6) * 3;
    const group = svg("g", { class: `lv-${place.level}` });
    group.append(svg("circle", { class: "halo", cx: x, cy: y, r: radius * 2.2 }));
    // the map is a picture to assistive technology; the Places list is its keyboard twin
    const dot = svg("circle", { class: "marker", cx: x, cy: y, r: radius, "data-place": place.name });
    const count = place.alerts.length;
    const title = svg("title", {});
    title.textContent = `${place.name}${place.country ? ` (${place.country})` : ""}: ${count} alert${count === 1 ? "" : "s"} — ${place.alerts[0].title || place.alerts[0].summary}`;
    dot.append(title);
    dot.addEventListener("click", () => pick(place.alerts[0]));
    group.append(dot);
    nodes.push(group);
  }
  state.markers.replaceChildren(...nodes);
}

function pick(alert) {
  const node = document.querySelector(`[data-alert-id="${CSS.escape(alert.alert_id)}"]`);
  if (!node) return;
  for (const other of document.querySelectorAll(".alert.picked")) other.classList.remove("picked");
  node.classList.add("picked");
  node.scrollIntoView({ behavior: "smooth", block: "center" });
  node.querySelector("h3 button")?.focus({ preventScroll: true });
}

// --- the story view -----------------------------------------------------------------------

function openStory(storyId, alert, fromHistory) {
  if (!fromHistory) history.pushState({ story: storyId }, "", pageUrl(filtersFromUrl(), storyId));
  showStory(storyId, alert);
}

async function showStory(storyId, alert) {
  const dialog = $("story");
  $("story-title").textContent = (alert && alert.title) || "Story";
  $("story-body").replaceChildren(el("p", { class: "meta", text: "loading…" }));
  if (!dialog.open) dialog.showModal();
  let story = { articles: [], alerts: alert ? [alert] : [] };
  try {
    const response = await fetch("/api/stories/" + encodeURIComponent(storyId), { headers: { Accept: "application/json" } });
    if (response.ok) story = await response.json();
  } catch { /* the alert alone is shown */ }
  if (!alert && story.alerts.length) $("story-title").textContent = story.alerts[0].title || "Story";
  const body = [];
  const articles = story.articles || [];
  body.push(el("h3", { text: articles.length > 1 ? `${articles.length} articles tell this story` : "Articles" }));
  if (articles.length) {
    body.push(el("ol", { class: "members" }, ...articles.map((a) => {
      const link = safeUrl(a.url);
      return el("li", { class: `lv-${a.level || "none"}`, "data-article-id": a.article_id },
        link ? el("a", { href: link, rel: "noopener noreferrer", target: "_blank", text: a.title || a.article_id })
             : el("span", { text: a.title || a.article_id }),
        a.article_id === storyId ? el("span", { class: "first", text: "first report" }) : null,
        el("p", { class: "meta" },
          el("span", { class: "badge", text: a.level || "none" }),
          a.source ? el("span", { text: a.source }) : null,
          a.published_at ? when(a.published_at) : null));
    })));
  } else {
    body.push(el("p", { class: "meta", text: "No article of this story is kept (news.enriched is read from its recent end)." }));
  }
  body.push(el("h3", { text: "Alerts of this story" }));
  body.push(el("ol", { class: "alerts" }, ...(story.alerts || []).map((a) => card(a, false))));
  $("story-body").replaceChildren(...body);
  for (const button of $("story-body").querySelectorAll("h3 button")) button.disabled = true;
}

function dismissStory() {
  if (history.state && history.state.story) history.back();
  else {
    history.replaceState({}, "", pageUrl(filtersFromUrl(), null));
    closeStory();
  }
}

function closeStory() {
  const dialog = $("story");
  if (dialog.open) dialog.close();
}

// --- start --------------------------------------------------------------------------------

function fromUrl() {
  const filters = filtersFromUrl();
  showFilters(filters);
  return filters;
}

function syncStoryWithUrl() {
  const view = new URLSearchParams(location.search).get("view");
  if (view) showStory(view, state.alerts.find((a) => a.story_id === view));
  else closeStory();
}

document.addEventListener("DOMContentLoaded", () => {
  const levels = ["none", ...[...$("f-level").options].map((o) => o.value).filter(Boolean)];
  LEVEL_RANK = Object.fromEntries(levels.map((level, rank) => [level, rank]));
  const filters = fromUrl();
  for (const id of ["f-level", "f-category"]) $(id).addEventListener("change", applyForm);
  for (const id of ["f-country", "f-entity"]) {
    $(id).addEventListener("input", applySoon);
    $(id).addEventListener("change", applyForm);
  }
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); applyForm(); });
  $("f-clear").addEventListener("click", () => {
    showFilters({ level: "", category: "", country: "", entity: "" });
    applyForm();
  });
  $("story-close").addEventListener("click", dismissStory);
  $("story").addEventListener("cancel", (e) => { e.preventDefault(); dismissStory(); });
  window.addEventListener("popstate", () => {
    const before = filterQuery(formFilters()).toString();
    const now = fromUrl();
    if (filterQuery(now).toString() !== before) connect(now);
    syncStoryWithUrl();
  });
  connect(filters);
  loadMap();
  setInterval(() => { for (const t of document.querySelectorAll(".alerts time")) refreshTime(t); }, 30000);
  if (new URLSearchParams(location.search).get("view")) setTimeout(syncStoryWithUrl, 300);
});

function refreshTime(node) {
  const fresh = when(node.getAttribute("datetime"));
  if (fresh) node.textContent = fresh.textContent;
}
