/* storyline web UI: a single-page app over the REST API (/api/...). Plain JavaScript, no framework,
   no build step, no external assets. Every view pages through the API (limit/offset) or reads a
   server aggregate, so it stays fast on large stores. All text from the API is put into the page
   with textContent / createTextNode, never as HTML. */
(function () {
  "use strict";

  /** The host of an http(s) address, or "" for anything else (other schemes, malformed). */
  function webHost(url) {
    if (!url || !/^https?:\/\//i.test(url)) return "";
    try {
      return new URL(url).hostname;
    } catch (e) {
      return "";
    }
  }


  // ---- tiny DOM helpers --------------------------------------------------------------------
  const SVG_NS = "http://www.w3.org/2000/svg";

  function setAttrs(el, attrs) {
    if (!attrs) return el;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value);
      } else if (key === "style" && typeof value === "object") {
        for (const [prop, v] of Object.entries(value)) {
          if (prop.startsWith("--")) el.style.setProperty(prop, v);
          else el.style[prop] = v;
        }
      } else if (key === "dataset") {
        Object.assign(el.dataset, value);
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    }
    return el;
  }

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else if (child instanceof Node) el.appendChild(child);
      else el.appendChild(document.createTextNode(String(child)));
    }
    return el;
  }

  /** An HTML element; strings among the children become text nodes (so they are never parsed). */
  function h(tag, attrs, ...children) {
    return append(setAttrs(document.createElement(tag), attrs), children);
  }

  function s(tag, attrs, ...children) {
    return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
  }

  /** Replaces an element's children; null, undefined and false children are left out. */
  function fill(el, ...children) {
    el.replaceChildren();
    return append(el, children);
  }

  const $ = (sel, root) => (root || document).querySelector(sel);
  const enc = encodeURIComponent;

  function hashFor(name, arg, params) {
    let out = "#/" + name;
    if (arg) out += "/" + enc(arg);
    if (params) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) {
        if (Array.isArray(v)) v.filter((x) => x !== "" && x != null).forEach((x) => q.append(k, x));
        else if (v !== "" && v !== null && v !== undefined) q.set(k, v);
      }
      const qs = q.toString();
      if (qs) out += "?" + qs;
    }
    return out;
  }

  function link(href, text, attrs) {
    return h("a", Object.assign({ href }, attrs || {}), text);
  }

  function capitalise(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function day(iso) {
    return iso ? String(iso).slice(0, 10) : "undated";
  }

  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many || one + "s");
  }

  // ---- the API -------------------------------------------------------------------------------
  const TOKEN_KEY = "storyline.token";

  class ApiError extends Error {
    constructor(status, code, message, detail) {
      super(message);
      this.status = status;
      this.code = code;
      this.detail = detail;
    }
  }

  function getToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (e) {
      return "";
    }
  }

  /** The URL of an API path with its query (empty values left out; a list repeats its key). */
  function apiUrl(path, params) {
    const url = new URL(path, location.origin);
    for (const [key, value] of Object.entries(params || {})) {
      if (value === null || value === undefined || value === "") continue;
      if (Array.isArray(value)) value.filter((v) => v !== "").forEach((v) => url.searchParams.append(key, v));
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  async function api(path, params, signal) {
    const url = apiUrl(path, params);
    const headers = { Accept: "application/json" };
    const token = getToken();
    if (token) headers.Authorization = "Bearer " + token;
    let response;
    try {
      response = await fetch(url, { headers, signal });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new ApiError(0, "network", "could not reach the storyline server (" + e.message + ")");
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      if (e.name === "AbortError") throw e;
    }
    if (!response.ok) {
      const err = body && body.error;
      if (err) throw new ApiError(err.status || response.status, err.code, err.message, err.detail);
      throw new ApiError(response.status, "error", "the server answered " + response.status + " " + response.statusText);
    }
    if (body === null) throw new ApiError(response.status, "bad_response", "the server's answer is not JSON");
    return body;
  }

  const cache = new Map();
  /** A GET that is asked once per page load (stats, storylines, the basemap). */
  function cached(key, load) {
    if (!cache.has(key)) {
      const p = load().catch((e) => {
        cache.delete(key);
        throw e;
      });
      cache.set(key, p);
    }
    return cache.get(key);
  }

  const stats = () => cached("stats", () => api("/api/stats"));

  // ---- exports: the current view as a file ------------------------------------------------------
  /** Saves a blob as a file called `name` (a link to it, clicked; the link is then let go). */
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  /** A link downloading `path` with `params` (an /api/export/... route, or any API record) as
   *  `name`. With an API token the file is fetched with the token, then saved. */
  function exportLink(id, text, path, params, name) {
    const a = h("a", { id, class: "export", href: apiUrl(path, params).toString(), download: name, title: "Download " + name }, text);
    a.addEventListener("click", async (ev) => {
      const token = getToken();
      if (!token) return; // the browser downloads the link itself
      ev.preventDefault();
      try {
        const response = await fetch(a.href, { headers: { Authorization: "Bearer " + token } });
        if (!response.ok) throw new ApiError(response.status, "error", "the export failed: " + response.status + " " + response.statusText);
        saveBlob(await response.blob(), name);
      } catch (e) {
        a.closest(".exports").after(errorBox(e));
      }
    });
    return a;
  }

  /** Buttons saving a picture as SVG and PNG: `picture()` gives {svg: markup, width, height}. */
  function pictureButtons(prefix, name, picture) {
    const failed = (button, e) => button.closest(".exports").after(errorBox(e));
    return [
      h(
        "button",
        {
          type: "button",
          class: "export",
          id: prefix + "-svg",
          title: "Download " + name + ".svg",
          onclick: (ev) => {
            try {
              saveBlob(new Blob([picture().svg], { type: "image/svg+xml" }), name + ".svg");
            } catch (e) {
              failed(ev.currentTarget, e);
            }
          },
        },
        "SVG"
      ),
      h(
        "button",
        {
          type: "button",
          class: "export",
          id: prefix + "-png",
          title: "Download " + name + ".png",
          onclick: (ev) => {
            const button = ev.currentTarget;
            button.disabled = true;
            pngOf(picture())
              .then((blob) => saveBlob(blob, name + ".png"))
              .catch((e) => failed(button, e))
              .finally(() => (button.disabled = false));
          },
        },
        "PNG"
      ),
    ];
  }

  /** The bar of export links and buttons of a view. */
  function exportBar(id, ...items) {
    return h("div", { class: "exports", id, role: "group", "aria-label": "Export this view" }, h("span", { class: "muted" }, "Export:"), items);
  }

  function base64(text) {
    const bytes = new TextEncoder().encode(text);
    let out = "";
    for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(out);
  }

  /** A picture drawn into a canvas at twice its size, as a PNG blob. */
  async function pngOf(picture, scale) {
    const k = scale || 2;
    const img = new Image();
    // a data: address: the page's Content-Security-Policy allows images from data: only
    img.src = "data:image/svg+xml;base64," + base64(picture.svg);
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(picture.width * k);
    canvas.height = Math.round(picture.height * k);
    const g = canvas.getContext("2d");
    g.scale(k, k);
    g.drawImage(img, 0, 0, picture.width, picture.height);
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the picture could not be drawn"))), "image/png"));
  }

  const PAINT = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "opacity", "font-family", "font-size", "font-weight", "paint-order", "text-anchor", "vector-effect"];

  /** A drawn SVG element as a file of its own: the styles the page's CSS gives each element
   *  written on it, hidden elements left out, drawn at the size it has on screen. */
  function svgPicture(svgEl, background) {
    const rect = svgEl.getBoundingClientRect();
    const width = Math.round(rect.width) || 960;
    const height = Math.round(rect.height) || 640;
    const copy = svgEl.cloneNode(true);
    const from = [svgEl, ...svgEl.querySelectorAll("*")];
    const to = [copy, ...copy.querySelectorAll("*")];
    const hidden = [];
    from.forEach((el, i) => {
      const out = to[i];
      out.removeAttribute("tabindex");
      out.removeAttribute("role");
      if (el.tagName === "title") return;
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") {
        hidden.push(out);
        return;
      }
      for (const prop of PAINT) {
        const value = style.getPropertyValue(prop);
        if (value && value !== "normal") out.setAttribute(prop, value);
      }
      out.removeAttribute("class");
    });
    hidden.forEach((el) => el.remove());
    copy.setAttribute("xmlns", SVG_NS);
    copy.setAttribute("width", width);
    copy.setAttribute("height", height);
    if (background) {
      const vb = (copy.getAttribute("viewBox") || "0 0 " + width + " " + height).split(/[\s,]+/).map(Number);
      copy.insertBefore(s("rect", { x: vb[0], y: vb[1], width: vb[2], height: vb[3], fill: background }), copy.firstChild);
    }
    return { svg: new XMLSerializer().serializeToString(copy), width, height };
  }

  /** Boxes [x0, y0, x1, y1] that overlap (touching is not overlapping); `pad` widens the first. */
  function overlaps(a, b, pad) {
    const p = pad || 0;
    return a[0] - p < b[2] && b[0] < a[2] + p && a[1] - p < b[3] && b[1] < a[3] + p;
  }

  /** Greedy label placement in an SVG drawing: for each text element, in priority order, the
   *  first of its candidate spots ({x, y, anchor}) where its box (measured, getBBox) stays inside
   *  `bounds`, overlaps no label already placed and no obstacle but its own; labels that fit
   *  nowhere are hidden (unless `must`, which may then cover obstacles, never labels). */
  function placeSvgLabels(jobs, bounds, obstacles, pad) {
    const placed = [];
    for (const job of jobs) {
      const text = job.text;
      text.removeAttribute("display");
      let spot = null;
      let fallback = null;
      for (const c of job.candidates) {
        text.setAttribute("x", c.x.toFixed(2));
        text.setAttribute("y", c.y.toFixed(2));
        text.setAttribute("text-anchor", c.anchor);
        const b = text.getBBox();
        const box = [b.x, b.y, b.x + b.width, b.y + b.height];
        if (box[0] < bounds[0] || box[1] < bounds[1] || box[2] > bounds[2] || box[3] > bounds[3]) continue;
        if (placed.some((o) => overlaps(box, o, pad))) continue;
        if (!obstacles.some((o, j) => j !== job.own && overlaps(box, o))) {
          spot = [c, box];
          break;
        }
        if (job.must && !fallback) fallback = [c, box];
      }
      spot = spot || fallback;
      if (!spot) {
        text.setAttribute("display", "none");
        continue;
      }
      const [c, box] = spot;
      text.setAttribute("x", c.x.toFixed(2));
      text.setAttribute("y", c.y.toFixed(2));
      text.setAttribute("text-anchor", c.anchor);
      placed.push(box);
    }
    return placed.length;
  }

  // ---- errors and the token ------------------------------------------------------------------
  function errorBox(e) {
    const status = e && e.status ? "Error " + e.status : "Error";
    const box = h("div", { class: "error", role: "alert" }, h("strong", null, status + ": "), (e && e.message) || String(e));
    if (e && Array.isArray(e.detail) && e.detail.length) {
      box.append(
        h(
          "ul",
          { class: "small" },
          e.detail.slice(0, 5).map((d) => h("li", null, (d.where || "") + ": " + (d.problem || JSON.stringify(d))))
        )
      );
    }
    if (e && e.status === 401) {
      box.append(" ", h("button", { type: "button", onclick: () => openToken() }, "Enter the API token"));
    }
    return box;
  }

  function openToken() {
    const panel = $("#token-panel");
    panel.hidden = false;
    $("#token-input").value = getToken();
    $("#token-input").focus();
  }

  function setupToken() {
    $("#token-button").addEventListener("click", () => {
      if ($("#token-panel").hidden) openToken();
      else $("#token-panel").hidden = true;
    });
    $("#token-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      try {
        sessionStorage.setItem(TOKEN_KEY, $("#token-input").value.trim());
      } catch (e) {
        /* storage may be off: the token then lasts until the page is left */
      }
      $("#token-panel").hidden = true;
      cache.clear();
      route();
    });
    $("#token-clear").addEventListener("click", () => {
      try {
        sessionStorage.removeItem(TOKEN_KEY);
      } catch (e) {
        /* nothing stored */
      }
      $("#token-input").value = "";
      cache.clear();
    });
    $("#token-close").addEventListener("click", () => {
      $("#token-panel").hidden = true;
      $("#token-button").focus();
    });
  }

  // ---- shared pieces -------------------------------------------------------------------------
  const HELD = new Set(["occurred", "ongoing"]);

  function statusClass(status) {
    if (HELD.has(status)) return "held";
    if (status === "planned") return "planned";
    if (status === "referenced") return "referenced";
    return "other";
  }

  const STATUS_WORDS = {
    held: "held (occurred or ongoing)",
    planned: "planned / announced",
    referenced: "referenced (recalled later)",
    other: "negated or hypothetical",
  };

  const TYPE_COLOURS = {
    CONSULT: "#1f5fbf",
    AGREE: "#167a52",
    COOPERATE: "#167a52",
    SUPPORT: "#5b7f12",
    AID: "#5b7f12",
    CONCEDE: "#5b7f12",
    RETREAT: "#5b7f12",
    DEMAND: "#a86412",
    DISAPPROVE: "#a86412",
    REJECT: "#a86412",
    PROTEST: "#a86412",
    INVESTIGATE: "#a86412",
    ACCUSE: "#a86412",
    THREATEN: "#8a3fa8",
    COERCE: "#8a3fa8",
    SANCTION: "#8a3fa8",
    MOBILIZE: "#8a3fa8",
    ASSAULT: "#b3261e",
    FIGHT: "#b3261e",
  };
  const TYPE_FAMILIES = [
    ["#1f5fbf", "consult, meet, visit"],
    ["#167a52", "agree, cooperate"],
    ["#5b7f12", "support, aid, concede"],
    ["#a86412", "demand, disapprove, reject"],
    ["#8a3fa8", "threaten, coerce, sanction"],
    ["#b3261e", "assault, fight"],
    ["#6b7280", "other"],
  ];

  function typeColour(type) {
    return TYPE_COLOURS[String(type || "").toUpperCase()] || "#6b7280";
  }

  function statusPill(status) {
    return h("span", { class: "pill status-" + (status || "unknown") }, status || "unknown");
  }

  function marker(status, colour, attrs) {
    return h(attrs && attrs.href ? "a" : "span", Object.assign({ class: "mk " + statusClass(status), style: { "--c": colour } }, attrs || {}));
  }

  function statusLegend() {
    return h(
      "div",
      { class: "legend", "aria-label": "Legend" },
      ["held", "planned", "referenced", "other"].map((k) =>
        h("span", { class: "item" }, h("span", { class: "mk " + k, "aria-hidden": "true", style: { "--c": "#33415c" } }), STATUS_WORDS[k])
      ),
      h("span", { class: "item" }, "·"),
      TYPE_FAMILIES.map(([c, words]) => h("span", { class: "item" }, h("span", { class: "swatch", style: { "--c": c }, "aria-hidden": "true" }), words))
    );
  }

  function dateField(name, label, value) {
    return h(
      "label",
      null,
      label,
      h("input", { name, value: value || "", placeholder: "YYYY[-MM[-DD]]", pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?", inputmode: "numeric", size: 11 })
    );
  }

  function entityDatalist() {
    const id = "entity-names";
    let list = document.getElementById(id);
    if (!list) {
      list = h("datalist", { id });
      document.body.appendChild(list);
      api("/api/entities", { limit: 300 })
        .then((page) => append(list, page.items.map((e) => h("option", { value: e.canonical }))))
        .catch(() => {});
    }
    return id;
  }

  /** Reads a filter form into params; empty fields are left out. */
  function formParams(form, names) {
    const out = {};
    for (const name of names) {
      const el = form.elements[name];
      if (!el) continue;
      const v = el.value.trim();
      if (v) out[name] = v;
    }
    return out;
  }

  function splitEntities(text) {
    return (text || "")
      .split(";")
      .map((x) => x.trim())
      .filter(Boolean);
  }

  const storylineCache = new Map();

  /** Storyline records by id, each asked for once (one small request per storyline shown). */
  async function labelsFor(ids, signal) {
    const missing = [...new Set(ids)].filter((id) => id && !storylineCache.has(id)).slice(0, 60);
    await Promise.all(
      missing.map((id) =>
        api("/api/storylines/" + enc(id), null, signal)
          .then((record) => storylineCache.set(id, record))
          .catch((e) => {
            if (e.name === "AbortError") throw e;
            storylineCache.set(id, { id, label: id });
          })
      )
    );
    return storylineCache;
  }

  // ---- dates on an axis ----------------------------------------------------------------------
  function parseDay(text) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(text || "");
    if (!m) return null;
    return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
  }

  function endOf(text, granularity) {
    const start = parseDay(text);
    if (start === null) return null;
    const d = new Date(start);
    if (granularity === "year" || /^\d{4}$/.test(text)) return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    if (granularity === "month" || /^\d{4}-\d{2}$/.test(text)) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return start + 86400000;
  }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function ticks(t0, t1) {
    const out = [];
    const years = (t1 - t0) / (365.25 * 86400000);
    const first = new Date(t0);
    if (years > 2.5) {
      const step = years > 40 ? 10 : years > 16 ? 5 : years > 8 ? 2 : 1;
      let y = Math.ceil(first.getUTCFullYear() / step) * step;
      for (let t = Date.UTC(y, 0, 1); t <= t1; y += step, t = Date.UTC(y, 0, 1)) if (t >= t0) out.push([t, String(y)]);
    } else if (years > 0.2) {
      const step = years > 1.2 ? 3 : 1;
      let y = first.getUTCFullYear();
      let m = first.getUTCMonth() + 1;
      m = Math.ceil(m / step) * step;
      for (;;) {
        const t = Date.UTC(y, m, 1);
        if (t > t1) break;
        const d = new Date(t);
        if (t >= t0) out.push([t, d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear()]);
        m += step;
      }
    } else {
      const daysSpan = (t1 - t0) / 86400000;
      const step = daysSpan > 30 ? 7 : daysSpan > 10 ? 2 : 1;
      const start = Math.ceil(t0 / 86400000);
      for (let dd = start; dd * 86400000 <= t1; dd += step) {
        const d = new Date(dd * 86400000);
        out.push([dd * 86400000, d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear()]);
      }
    }
    return out;
  }

  // ---- Timeline -------------------------------------------------------------------------------
  const TIMELINE_PAGE = 400;
  const MAX_LANES = 40;
  const NO_STORYLINE = "\u0000none";
  const OTHER_LANES = "\u0000other";

  async function viewTimeline(ctx) {
    const p = ctx.params;
    const entities = p.getAll("entity").flatMap(splitEntities);
    const storyline = p.get("storyline") || "";
    const from = p.get("from") || "";
    const to = p.get("to") || "";
    const tentative = p.get("tentative") === "1";
    const status = p.get("status") || "";
    const kind = p.get("kind") || "";
    const minSources = p.get("min_sources") || "";
    document.title = "Timeline · storyline";

    const form = h(
      "form",
      { class: "filters", "aria-label": "Timeline filters" },
      h(
        "label",
        null,
        "Entities (separate with ;)",
        h("input", { name: "entity", class: "wide", value: entities.join("; "), list: entityDatalist(), placeholder: "e.g. Narendra Modi; Vladimir Putin" })
      ),
      dateField("from", "From", from),
      dateField("to", "To", to),
      h(
        "label",
        { title: "Planned: announced, not yet reported as held" },
        "Status",
        h(
          "select",
          { name: "status" },
          ...["", "planned", "ongoing", "occurred", "negated", "referenced"].map((v) =>
            h("option", { value: v, selected: v === status }, v || "any")
          )
        )
      ),
      h("label", { title: "A PLOVER category (CONSULT) or a subtype (meeting, visit, agreement)" }, "Kind", h("input", { name: "kind", value: kind, size: 10, placeholder: "e.g. meeting" })),
      h("label", { title: "Hide happenings fewer articles report" }, "Articles at least", h("input", { name: "min_sources", type: "number", min: 1, value: minSources, size: 3 })),
      h(
        "label",
        { class: "check", title: "Happenings reported by one article whose events are doubtful are hidden unless asked for" },
        h("input", { type: "checkbox", name: "tentative", id: "show-tentative", checked: tentative }),
        " Show tentative"
      ),
      h("button", { type: "submit", class: "primary" }, "Apply"),
      entities.length || from || to || storyline || tentative || status || kind || minSources ? link(hashFor("timeline"), "Clear filters") : null
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const values = formParams(form, ["entity", "from", "to", "status", "kind", "min_sources"]);
      location.hash = hashFor("timeline", "", {
        entity: splitEntities(values.entity),
        from: values.from,
        to: values.to,
        storyline,
        status: values.status,
        kind: values.kind,
        min_sources: values.min_sources,
        tentative: form.elements.tentative.checked ? "1" : "",
      });
    });
    // what the view shows, as the API gives it: the same query, every page (up to 500 entries)
    const query = { entity: entities, storyline, from, to, status, kind, min_sources: minSources, tentative: tentative ? "true" : "" };
    // the same query as files: every entry, as `storyline export` writes tables; the chart as a picture
    const chart = h("div", { class: "tl", id: "timeline-chart" });
    const download = exportBar(
      "timeline-exports",
      exportLink("timeline-csv", "CSV", "/api/export/timeline", { ...query, format: "csv" }, "timeline.csv"),
      exportLink("timeline-download", "JSON", "/api/export/timeline", { ...query, format: "json" }, "timeline.json"),
      exportLink("happenings-csv", "Happenings CSV", "/api/export/happenings", { ...query, format: "csv" }, "happenings.csv"),
      pictureButtons("timeline", "timeline", () => timelinePicture(chart))
    );

    const summary = h("p", { class: "muted", id: "timeline-summary" }, "Loading happenings…");
    const more = h("div", { class: "pager" });
    const list = h("div");
    const heading = h("h1", { tabindex: "-1" }, "Timeline");
    const storyNote = storyline ? h("p", { class: "notice" }, "Storyline: ", h("strong", { id: "story-name" }, storyline), " · ", link(hashFor("timeline", "", { entity: entities, from, to }), "show all storylines")) : null;
    fill(ctx.main, 
      heading,
      h("p", { class: "muted" }, "Happenings (one real event, however many articles report it), one lane per storyline. Select a marker to open the happening."),
      storyNote,
      form,
      download,
      statusLegend(),
      summary,
      chart,
      more,
      list
    );

    const items = [];
    let total = 0;
    let nextOffset = 0;

    async function loadPage() {
      const page = await api("/api/timeline", { ...query, limit: TIMELINE_PAGE, offset: nextOffset }, ctx.signal);
      items.push(...page.items);
      total = page.total;
      nextOffset = page.next_offset;
      const shownLanes = laneOrder(items).filter((l) => l !== NO_STORYLINE && l !== OTHER_LANES);
      const labels = await labelsFor(storyline ? [storyline, ...shownLanes] : shownLanes, ctx.signal).catch((e) => {
        if (e.name === "AbortError") throw e;
        return new Map();
      });
      if (!ctx.alive()) return;
      if (storyline && labels.has(storyline)) $("#story-name").textContent = labels.get(storyline).label;
      draw(labels);
    }

    function draw(labels) {
      summary.textContent = items.length
        ? "Showing " + plural(items.length, "happening") + (total > items.length ? " of " + total.toLocaleString("en") : "") + (entities.length ? " with " + entities.join(" and ") : "") + "."
        : "";
      if (!items.length) {
        fill(chart, h("p", { class: "notice", style: { margin: "0" } }, "No happenings match these filters."));
        fill(list);
        fill(more);
        return;
      }
      renderChart(chart, items, labels, from, to);
      ctx.onResize = () => renderChart(chart, items, labels, from, to);
      if (!document.body.dataset.renderedMs) document.body.dataset.renderedMs = performance.now().toFixed(1);
      fill(more, 
        nextOffset !== null && nextOffset !== undefined
          ? h(
              "button",
              {
                type: "button",
                onclick: async (ev) => {
                  ev.currentTarget.disabled = true;
                  try {
                    await loadPage();
                  } catch (e) {
                    if (e.name !== "AbortError") fill(more, errorBox(e));
                  }
                },
              },
              "Load the next " + Math.min(TIMELINE_PAGE, total - items.length).toLocaleString("en")
            )
          : null
      );
      fill(list, h("h2", null, "Happenings in order"), happeningTable(items, labels));
    }

    await loadPage();
  }

  /** Lanes: the storylines with most happenings on the page first (then the earliest), at most
   *  MAX_LANES of them; the rest share one lane, and happenings of no storyline have their own. */
  function laneOrder(items) {
    const counts = new Map();
    const first = new Map();
    for (const item of items) {
      const key = item.storyline || NO_STORYLINE;
      counts.set(key, (counts.get(key) || 0) + 1);
      if (!first.has(key)) first.set(key, parseDay(item.date) || 0);
    }
    const keys = [...counts.keys()].filter((k) => k !== NO_STORYLINE);
    keys.sort((a, b) => counts.get(b) - counts.get(a) || first.get(a) - first.get(b));
    let lanes = keys;
    if (lanes.length > MAX_LANES) lanes = keys.slice(0, MAX_LANES - 1).concat([OTHER_LANES]);
    if (counts.has(NO_STORYLINE)) lanes.push(NO_STORYLINE);
    return lanes;
  }

  function renderChart(chart, items, labels, from, to) {
    const starts = items.map((i) => parseDay(i.date)).filter((t) => t !== null);
    const ends = items.map((i) => endOf(i.date, i.granularity)).filter((t) => t !== null);
    const lo = starts.reduce((m, t) => Math.min(m, t), Infinity);
    const hi = ends.reduce((m, t) => Math.max(m, t), -Infinity);
    let t0 = (from && parseDay(from)) || lo;
    let t1 = (to && endOf(to)) || hi;
    if (!(t1 > t0)) t1 = t0 + 30 * 86400000;
    const pad = (t1 - t0) * 0.015;
    t0 -= pad;
    t1 += pad;
    const x = (t) => Math.max(0, Math.min(100, ((t - t0) / (t1 - t0)) * 100));

    const lanes = laneOrder(items);
    const laneSet = new Set(lanes);
    const byLane = new Map(lanes.map((l) => [l, []]));
    for (const item of items) {
      let key = item.storyline || NO_STORYLINE;
      if (!laneSet.has(key)) key = OTHER_LANES;
      byLane.get(key).push(item);
    }

    fill(chart);
    const tickList = ticks(t0, t1);
    const axis = h(
      "div",
      { class: "tl-row tl-axis", "aria-hidden": "true" },
      h("div", { class: "tl-label muted" }, "Storyline"),
      h("div", { class: "tl-track" }, tickList.map(([t, label]) => h("span", { class: "tick", style: { left: x(t) + "%" } }, label)))
    );
    chart.appendChild(axis);
    const trackWidth = Math.max(200, axis.lastChild.getBoundingClientRect().width || 900);
    const MIN_GAP = 17;
    const ROW = 19;
    const shown = [];

    for (const lane of lanes) {
      const laneItems = byLane.get(lane).slice().sort((a, b) => (parseDay(a.date) || 0) - (parseDay(b.date) || 0));
      let name;
      if (lane === NO_STORYLINE) name = h("span", null, "No storyline");
      else if (lane === OTHER_LANES) name = h("span", null, "Other storylines");
      else {
        const record = labels.get(lane);
        name = link(hashFor("timeline", "", { storyline: lane }), record ? record.label : lane, { title: "Only this storyline" });
      }
      const rows = [];
      const placed = laneItems.map((item) => {
        const start = parseDay(item.date);
        const px = (x(start) / 100) * trackWidth;
        let row = rows.findIndex((last) => px - last >= MIN_GAP);
        if (row === -1) {
          if (rows.length < (lane === OTHER_LANES ? 16 : 8)) row = rows.length;
          else row = rows.indexOf(Math.min(...rows));
        }
        rows[row] = px;
        return { item, row, start };
      });
      const height = Math.max(1, rows.length) * ROW + 12;
      const track = h("div", { class: "tl-track", style: { height: height + "px" } });
      for (const [t] of tickList) track.appendChild(h("span", { class: "tl-grid", style: { left: x(t) + "%" } }));
      for (const { item, row, start } of placed) {
        const top = 6 + row * ROW;
        const colour = typeColour(item.type);
        const end = endOf(item.date, item.granularity);
        // a month or a year as a bar behind the marker, where it is wider than the marker
        if (item.granularity !== "day" && ((x(end) - x(start)) / 100) * trackWidth > 16) {
          track.appendChild(h("span", { class: "span-bar", style: { left: x(start) + "%", width: Math.max(0, x(end) - x(start)) + "%", top: top + 5 + "px", background: colour } }));
        }
        const words = day(item.date) + " — " + item.status + ": " + (item.description || item.type) + " (" + plural(item.sources.length, "source") + ")";
        const mk = track.appendChild(
          marker(item.status, colour, {
            href: hashFor("event", item.happening_id),
            class: "mk " + statusClass(item.status),
            style: { left: x(start) + "%", top: top + "px", "--c": colour },
            title: words,
            "aria-label": words,
            dataset: { status: item.status, date: item.date },
          })
        );
        shown.push({ item, mk, track });
      }
      chart.appendChild(
        h(
          "div",
          { class: "tl-row", role: "group", "aria-label": lane === NO_STORYLINE ? "No storyline" : name.textContent },
          h("div", { class: "tl-label" }, name, " ", h("span", { class: "count" }, "(" + laneItems.length + ")")),
          track
        )
      );
    }
    labelTimeline(shown);
  }

  /** How many articles report a timeline entry. */
  function articles(item) {
    return new Set((item.sources || []).map((src) => src.document_id)).size;
  }

  const TIMELINE_LABELS = 12;

  /** Visible labels for the entries most articles report (at most TIMELINE_LABELS), placed
   *  greedily in that order: right of the marker, else left, else above or below it, the first
   *  spot inside its lane that covers no label already placed and no other marker; an entry with
   *  no such spot goes unlabelled (every marker keeps its tooltip). */
  function labelTimeline(shown) {
    const ranked = shown.slice().sort((a, b) => articles(b.item) - articles(a.item) || (parseDay(a.item.date) || 0) - (parseDay(b.item.date) || 0));
    const markers = shown.map((e) => e.mk.getBoundingClientRect());
    const own = new Map(shown.map((e, i) => [e, i]));
    const placed = [];
    const box = (r) => [r.left, r.top, r.right, r.bottom];
    for (const entry of ranked) {
      if (placed.length >= TIMELINE_LABELS) break;
      const { item, mk, track } = entry;
      const words = capitalise(item.subtype || String(item.type || "").toLowerCase()) + (item.place ? " · " + item.place : "");
      const tag = h("span", { class: "tl-tag", "aria-hidden": "true", title: item.description || words }, words.length > 34 ? words.slice(0, 33) + "…" : words);
      track.appendChild(tag);
      const t = track.getBoundingClientRect();
      const m = mk.getBoundingClientRect();
      const w = tag.offsetWidth;
      const ht = tag.offsetHeight;
      const mid = (m.top + m.bottom) / 2 - t.top - ht / 2;
      const spots = [
        [m.right + 3 - t.left, mid],
        [m.left - 3 - w - t.left, mid],
        [(m.left + m.right) / 2 - w / 2 - t.left, m.top - t.top - ht - 1],
        [(m.left + m.right) / 2 - w / 2 - t.left, m.bottom - t.top + 1],
      ];
      const fits = spots.find(([x, y]) => {
        if (x < 0 || y < 0 || x + w > t.width || y + ht > t.height) return false;
        const b = [t.left + x, t.top + y, t.left + x + w, t.top + y + ht];
        return !placed.some((o) => overlaps(b, o, 2)) && !markers.some((o, j) => j !== own.get(entry) && overlaps(b, box(o)));
      });
      if (!fits) {
        tag.remove();
        continue;
      }
      tag.style.left = fits[0] + "px";
      tag.style.top = fits[1] + "px";
      placed.push([t.left + fits[0], t.top + fits[1], t.left + fits[0] + w, t.top + fits[1] + ht]);
    }
  }

  /** The timeline chart as an SVG picture, drawn from where its parts are on screen: lanes and
   *  their names, the axis and grid, month and year bars, the markers (shapes as on screen) with
   *  their descriptions as tooltips, and the visible labels. */
  function timelinePicture(chart) {
    const frame = chart.getBoundingClientRect();
    const width = Math.round(frame.width);
    const height = Math.round(frame.height);
    const at = (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left - frame.left, y: r.top - frame.top, w: r.width, h: r.height };
    };
    const font = getComputedStyle(chart).fontFamily;
    const ink = "#1d2430";
    const muted = "#5b6577";
    const pic = s("svg", { xmlns: SVG_NS, width, height, viewBox: "0 0 " + width + " " + height, "font-family": font });
    pic.appendChild(s("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }));
    for (const row of chart.querySelectorAll(".tl-row")) {
      const r = at(row);
      const label = row.querySelector(".tl-label");
      const l = at(label);
      pic.appendChild(s("rect", { x: l.x, y: l.y, width: l.w, height: l.h, fill: "#fafbfd" }));
      pic.appendChild(s("line", { x1: l.x + l.w, y1: r.y, x2: l.x + l.w, y2: r.y + r.h, stroke: "#d5dae3" }));
      pic.appendChild(s("line", { x1: 0, y1: r.y + r.h, x2: width, y2: r.y + r.h, stroke: "#f3f5f8" }));
      // the lane's name, cut at its column as on screen
      const clip = s("svg", { x: l.x, y: l.y, width: Math.max(0, l.w - 6), height: l.h });
      clip.appendChild(s("text", { x: 9, y: 18, "font-size": 12.75, fill: row.classList.contains("tl-axis") ? muted : "#1f5fbf" }, label.textContent.trim()));
      pic.appendChild(clip);
    }
    for (const tick of chart.querySelectorAll(".tick")) {
      const r = at(tick);
      pic.appendChild(s("line", { x1: r.x, y1: r.y, x2: r.x, y2: r.y + r.h, stroke: "#d5dae3" }));
      pic.appendChild(s("text", { x: r.x + 3, y: r.y + 13, "font-size": 11.25, fill: muted }, tick.textContent));
    }
    for (const grid of chart.querySelectorAll(".tl-grid")) {
      const r = at(grid);
      pic.appendChild(s("line", { x1: r.x, y1: r.y, x2: r.x, y2: r.y + r.h, stroke: "#e3e7ee", "stroke-dasharray": "1 2" }));
    }
    for (const bar of chart.querySelectorAll(".span-bar")) {
      const r = at(bar);
      pic.appendChild(s("rect", { x: r.x, y: r.y, width: r.w, height: r.h, rx: 2, fill: bar.style.background || getComputedStyle(bar).backgroundColor, opacity: 0.35 }));
    }
    for (const mk of chart.querySelectorAll(".mk")) {
      const r = at(mk);
      const cx = r.x + r.w / 2;
      const cy = r.y + r.h / 2;
      const colour = mk.style.getPropertyValue("--c") || "#1f5fbf";
      const kind = statusClass(mk.dataset.status);
      const tip = s("title", null, mk.getAttribute("aria-label") || "");
      let shape;
      if (kind === "held") shape = s("circle", { cx, cy, r: 6, fill: colour, stroke: colour, "stroke-width": 2 }, tip);
      else if (kind === "planned") shape = s("circle", { cx, cy, r: 6, fill: "#ffffff", stroke: colour, "stroke-width": 2 }, tip);
      else if (kind === "referenced") shape = s("rect", { x: cx - 5, y: cy - 5, width: 10, height: 10, rx: 1.5, fill: "#ffffff", stroke: colour, "stroke-width": 2, "stroke-dasharray": "3 2", transform: "rotate(45 " + cx + " " + cy + ")" }, tip);
      else shape = s("rect", { x: cx - 6, y: cy - 6, width: 12, height: 12, rx: 2, fill: colour, "fill-opacity": 0.4, stroke: colour, "stroke-width": 2 }, tip);
      pic.appendChild(shape);
    }
    for (const tag of chart.querySelectorAll(".tl-tag")) {
      const r = at(tag);
      pic.appendChild(
        s(
          "g",
          null,
          s("title", null, tag.title),
          s("rect", { x: r.x, y: r.y, width: r.w, height: r.h, rx: 3, fill: "#ffffff", "fill-opacity": 0.85 }),
          s("text", { x: r.x + 3, y: r.y + r.h - 4, "font-size": 10.8, fill: ink }, tag.textContent)
        )
      );
    }
    return { svg: new XMLSerializer().serializeToString(pic), width, height };
  }

  function happeningTable(items, labels) {
    return h(
      "table",
      { class: "list" },
      h("thead", null, h("tr", null, h("th", null, "Date"), h("th", null, "Status"), h("th", null, "Happening"), h("th", null, "Sources"), h("th", null, "Storyline"))),
      h(
        "tbody",
        null,
        items.map((item) => {
          const story = item.storyline ? labels.get(item.storyline) : null;
          return h(
            "tr",
            null,
            h("td", null, item.date),
            h("td", null, statusPill(item.status)),
            h("td", null, link(hashFor("event", item.happening_id), capitalise(item.description || item.type))),
            h("td", null, String(item.sources.length)),
            h("td", { class: "small" }, story ? story.label : item.storyline || "—")
          );
        })
      )
    );
  }

  // ---- Event (happening) ------------------------------------------------------------------------
  async function viewEvent(ctx) {
    const id = ctx.arg;
    const c = await api("/api/happenings/" + enc(id), null, ctx.signal);
    document.title = capitalise(c.label || c.type) + " · storyline";
    const colour = typeColour(c.type);
    const dates = !c.start ? "undated" : c.start === c.end || !c.end ? c.start : c.start + " – " + c.end;
    const storyCell = h("dd", null, c.storyline ? link(hashFor("timeline", "", { storyline: c.storyline }), c.storyline) : "—");
    const facts = h(
      "dl",
      { class: "facts" },
      h("dt", null, "Kind"),
      h("dd", null, [c.type, c.subtype].filter(Boolean).join(" · ")),
      h("dt", null, "Date"),
      h("dd", null, dates + (c.granularity && c.granularity !== "day" ? " (" + c.granularity + ")" : "")),
      h("dt", null, "Status"),
      h("dd", null, marker(c.status, colour, { "aria-hidden": "true", style: { position: "static", display: "inline-block", transform: c.status === "referenced" ? "rotate(45deg) scale(.85)" : "none", "--c": colour, "vertical-align": "middle" } }), " ", statusPill(c.status), " ", h("span", { class: "muted small" }, STATUS_WORDS[statusClass(c.status)])),
      h("dt", null, "Actors"),
      h(
        "dd",
        null,
        c.actors && c.actors.length
          ? c.actors.map((a, i) => [i ? ", " : "", link(hashFor("timeline", "", { entity: [a.canonical] }), a.canonical, { title: "Timeline of " + a.canonical })])
          : "—"
      ),
      h("dt", null, "Place"),
      h("dd", null, c.place ? c.place.name + (c.place.country ? " (" + c.place.country + ")" : "") : "—"),
      h("dt", null, "Storyline"),
      storyCell,
      h("dt", null, "Reported by"),
      h("dd", null, plural(c.documents || c.sources.length, "document") + (c.mentions ? ", " + plural(c.mentions, "mention") : "")),
      h("dt", null, "Confidence"),
      h(
        "dd",
        { id: "event-confidence" },
        c.confidence == null ? "—" : c.confidence.toFixed(2),
        c.tentative ? h("span", { class: "muted small" }, " · tentative: one article, and its events are doubtful or only mentioned in passing (hidden from listings unless asked for)") : null
      )
    );
    // one entry per document, with each of its distinct evidence sentences
    const byDoc = new Map();
    for (const src of c.sources) {
      if (!byDoc.has(src.document_id)) byDoc.set(src.document_id, { src, statuses: new Set(), evidence: [] });
      const entry = byDoc.get(src.document_id);
      entry.statuses.add(src.status);
      if (src.evidence && !entry.evidence.includes(src.evidence)) entry.evidence.push(src.evidence);
    }
    const sources = h(
      "ul",
      { class: "plain", id: "event-sources" },
      [...byDoc.values()].map(({ src, statuses, evidence }) =>
        h(
          "li",
          null,
          h("div", null, link(hashFor("doc", src.document_id), src.title || src.document_id), " ", [...statuses].map((st) => [statusPill(st), " "]), h("span", { class: "muted small" }, day(src.published))),
          evidence.map((text) => h("blockquote", { class: "evidence" }, text))
        )
      )
    );
    const docIds = [...byDoc.keys()];
    fill(ctx.main, 
      h("p", { class: "small" }, link(hashFor("timeline"), "← Timeline")),
      h("h1", { tabindex: "-1" }, capitalise(c.label || c.type)),
      exportBar("event-exports", exportLink("event-json", "JSON", "/api/happenings/" + enc(c.id), null, "happening-" + c.id + ".json")),
      h("div", { class: "card" }, facts),
      h("h2", null, "Sources and their evidence (" + plural(byDoc.size, "document") + ")"),
      h("div", { class: "card" }, sources),
      docIds.length > 1 ? h("p", null, link(hashFor("compare", "", { a: docIds[0], b: docIds[1] }), "Compare the first two sources")) : null
    );
    if (c.storyline) {
      labelsFor([c.storyline], ctx.signal)
        .then((labels) => {
          const record = labels.get(c.storyline);
          if (record && ctx.alive()) storyCell.firstChild.textContent = record.label;
        })
        .catch(() => {});
    }
  }

  // ---- Article ----------------------------------------------------------------------------------
  /** Python counts characters in code points, JavaScript in UTF-16 units: a converter for offsets. */
  function offsetMapper(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (n) => n;
    const units = [];
    let u = 0;
    for (const ch of text) {
      units.push(u);
      u += ch.length;
    }
    units.push(u);
    return (n) => units[Math.max(0, Math.min(units.length - 1, n))];
  }

  /** The text with spans marked: overlapping spans are cut into segments, each carrying every
   *  kind that covers it. Returns the fragment and, per span key, its first element. */
  function highlight(text, spans) {
    const toUnits = offsetMapper(text);
    const len = text.length;
    const clean = [];
    for (const sp of spans) {
      const start = Math.max(0, Math.min(len, toUnits(sp.start)));
      const end = Math.max(0, Math.min(len, toUnits(sp.end)));
      if (Number.isFinite(start) && Number.isFinite(end) && end > start) clean.push(Object.assign({}, sp, { start, end }));
    }
    const points = new Set([0, len]);
    for (const sp of clean) {
      points.add(sp.start);
      points.add(sp.end);
    }
    const cuts = [...points].sort((a, b) => a - b);
    const startsAt = new Map();
    for (const sp of clean) {
      if (!startsAt.has(sp.start)) startsAt.set(sp.start, []);
      startsAt.get(sp.start).push(sp);
    }
    const frag = document.createDocumentFragment();
    const firstEl = new Map();
    let active = [];
    for (let i = 0; i < cuts.length - 1; i++) {
      const a = cuts[i];
      const b = cuts[i + 1];
      active = active.filter((sp) => sp.end > a);
      if (startsAt.has(a)) active.push(...startsAt.get(a));
      const piece = text.slice(a, b);
      if (!active.length) {
        frag.appendChild(document.createTextNode(piece));
        continue;
      }
      const kinds = [...new Set(active.map((sp) => sp.kind))];
      const el = h("span", { class: "hl " + kinds.join(" "), title: [...new Set(active.map((sp) => sp.title))].join("\n") }, piece);
      for (const sp of active) if (sp.key && !firstEl.has(sp.key)) firstEl.set(sp.key, el);
      frag.appendChild(el);
    }
    return { frag, firstEl };
  }

  function publishedText(d) {
    if (!d.published) return "undated";
    const [date, time] = d.published.split("T");
    const granularity = d.published_granularity;
    if (granularity === "year") return date.slice(0, 4);
    if (granularity === "month") return date.slice(0, 7);
    if (!time || /^00:00(:00)?(\.0+)?(Z|[+-]00:00)?$/.test(time)) return date;
    const m = /^(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(time);
    return m ? date + " " + m[1] + (m[2] ? " (UTC" + (m[2] === "Z" ? "" : m[2]) + ")" : "") : date + " " + time;
  }

  /** An event's actor by name; a person named here by a description, a pronoun or a group also
   * with those words ("Vladimir Putin ('Russian leader')"), so the reading can be checked. */
  function actorName(a, people) {
    const name = a.canonical || a.text;
    if (people && a.entity_id && people.has(a.entity_id) && a.text) {
      const words = (t) => new Set((t.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []));
      const named = words(name);
      if (![...words(a.text)].some((w) => named.has(w))) return name + " ('" + a.text + "')";
    }
    return name;
  }

  /** A form giving an undated document its publication date (POST, the API token needed); the
   * document is annotated and placed again, and the view shows it so. */
  function dateForm(d, ctx) {
    const input = h("input", { name: "date", id: "set-date-input", placeholder: "2018-05-21", size: 14, "aria-label": "Publication date" });
    const said = h("span", { class: "muted small", id: "set-date-said", role: "status" });
    const form = h("form", { class: "inline", id: "set-date-form" }, " ", input, " ", h("button", { type: "submit" }, "Set the date"), " ", said);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      said.textContent = "Annotating again…";
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      const token = getToken();
      if (token) headers.Authorization = "Bearer " + token;
      try {
        const response = await fetch(apiUrl("/api/documents/" + encodeURIComponent(d.id) + "/date"), { method: "POST", headers, body: JSON.stringify({ date: value }) });
        const body = await response.json().catch(() => null);
        if (!response.ok) {
          const err = body && body.error;
          said.textContent = err ? err.message : "the server answered " + response.status;
          return;
        }
        cache.clear();
        if (ctx.alive()) route();
      } catch (e) {
        said.textContent = "could not reach the storyline server (" + e.message + ")";
      }
    });
    return form;
  }

  async function viewDoc(ctx) {
    const d = await api("/api/documents/" + enc(ctx.arg), null, ctx.signal);
    document.title = (d.title || d.id) + " · storyline";
    const spans = [];
    for (const e of d.entities || []) {
      spans.push({ start: e.start, end: e.end, kind: "ent", title: "entity: " + (e.canonical || e.text) + " (" + e.label + ")" + (e.variant ? ", " + e.variant + " variant: " + (e.evidence || "") : "") });
    }
    for (const p of d.places || []) {
      spans.push({ start: p.start, end: p.end, kind: "place", title: "place: " + p.name + (p.country ? ", " + p.country : "") + (p.kind ? " (" + p.kind + ")" : "") });
    }
    for (const t of d.times || []) {
      spans.push({ start: t.start, end: t.end, kind: "time", title: "time: " + t.text + " = " + (t.value || "?") + " (" + (t.type || "") + ")" });
    }
    for (const ev of d.events || []) {
      const tr = ev.trigger || {};
      spans.push({ start: tr.start, end: tr.end, kind: "trig", key: ev.id, title: "event: " + ev.type + (ev.subtype ? " · " + ev.subtype : "") + " (" + ev.status + ")" });
    }
    const shown = new Set(["ent", "place", "time", "trig"]);
    const text = h("div", { class: "doc-text", id: "doc-text" });
    let firstEl = new Map();
    const paint = () => {
      const result = highlight(d.text || "", spans.filter((sp) => shown.has(sp.kind)));
      firstEl = result.firstEl;
      fill(text, result.frag);
    };
    paint();

    const toggles = h(
      "div",
      { class: "legend", role: "group", "aria-label": "Highlights (uncheck to hide)" },
      h("span", { class: "item" }, "Highlighted:"),
      [
        ["ent", "entities"],
        ["place", "places"],
        ["time", "time expressions"],
        ["trig", "event triggers"],
      ].map(([kind, words]) =>
        h(
          "label",
          { class: "item" },
          h("input", {
            type: "checkbox",
            checked: true,
            onchange: (ev) => {
              if (ev.currentTarget.checked) shown.add(kind);
              else shown.delete(kind);
              paint();
            },
          }),
          h("span", { class: "key " + kind }, words)
        )
      )
    );

    const meta = h(
      "dl",
      { class: "facts" },
      h("dt", null, "Published"),
      h("dd", null, publishedText(d), d.published_from ? h("span", { class: "muted small" }, " (from " + d.published_from + ")") : null, d.published ? null : dateForm(d, ctx)),
      h("dt", null, "Source"),
      h("dd", null, d.source || webHost(d.url) || "—", d.author ? " · " + d.author : ""),
      h("dt", null, "Language"),
      h("dd", null, d.language || "?"),
      d.url
        ? [
            h("dt", null, "Address"),
            // only web addresses become links: a stored "javascript:" URL stays text
            h("dd", { class: "small" }, webHost(d.url) ? h("a", { href: d.url, rel: "noopener noreferrer", target: "_blank" }, d.url) : d.url),
          ]
        : null,
      h("dt", null, "Id"),
      h("dd", { class: "small" }, h("code", null, d.id)),
      d.duplicate_of ? [h("dt", null, "Duplicate of"), h("dd", null, link(hashFor("doc", d.duplicate_of), d.duplicate_of))] : null,
      d.happening ? [h("dt", null, "Main happening"), h("dd", null, link(hashFor("event", d.happening), "open the happening"))] : null,
      d.storyline ? [h("dt", null, "Storyline"), h("dd", null, link(hashFor("timeline", "", { storyline: d.storyline }), d.storyline, { id: "doc-storyline" }))] : null
    );
    if (d.storyline) {
      labelsFor([d.storyline], ctx.signal)
        .then((labels) => {
          const record = labels.get(d.storyline);
          const el = document.getElementById("doc-storyline");
          if (record && el && ctx.alive()) el.textContent = record.label;
        })
        .catch(() => {});
    }

    // doubtful events (less likely right than not) are listed last and hidden until asked for
    const doubtful = (ev) => typeof ev.probability === "number" && ev.probability < 0.5;
    const ordered = [...(d.events || [])].sort((a, b) => Number(doubtful(a)) - Number(doubtful(b)));
    const people = new Set((d.entities || []).filter((e) => e.label === "PERSON").map((e) => e.entity_id));
    const nDoubtful = ordered.filter(doubtful).length;
    const events = h(
      "ul",
      { class: "plain", id: "doc-events" },
      ordered.map((ev) => {
        const hasTrigger = ev.trigger && ev.trigger.end > ev.trigger.start;
        const actors = (ev.actors || []).filter((a) => a.role !== "speaker");
        return h(
          "li",
          doubtful(ev) ? { class: "doubtful", hidden: true } : null,
          h("div", null, h("strong", null, ev.type + (ev.subtype ? " · " + ev.subtype : "")), " ", statusPill(ev.status), " ", h("span", { class: "muted small" }, "“" + ((ev.trigger && ev.trigger.text) || "") + "”"), typeof ev.probability === "number" ? h("span", { class: "muted small", title: "calibrated probability that this event is right" }, " · likely right " + Math.round(ev.probability * 100) + "%") : null),
          h(
            "div",
            { class: "small" },
            actors.length ? "Actors: " + actors.map((a) => actorName(a, people) + (a.role ? " (" + a.role + (typeof a.probability === "number" ? ", learned " + a.probability.toFixed(2) : "") + ")" : "")).join(", ") : "No named actors",
            ev.place ? " · Place: " + ev.place.name : "",
            ev.time ? " · Time: " + (ev.time.text ? ev.time.text + (ev.time.value ? " = " + ev.time.value : "") : (ev.time.value || "?") + (ev.time.inferred ? " (inferred)" : "")) : ""
          ),
          h(
            "div",
            { class: "small" },
            ev.happening ? link(hashFor("event", ev.happening), "Open its happening") : h("span", { class: "muted" }, "in no happening"),
            hasTrigger
              ? [
                  " · ",
                  h(
                    "button",
                    {
                      type: "button",
                      class: "small",
                      onclick: () => {
                        if (!shown.has("trig")) {
                          shown.add("trig");
                          toggles.querySelectorAll("input")[3].checked = true;
                          paint();
                        }
                        const el = firstEl.get(ev.id);
                        if (!el) return;
                        el.setAttribute("tabindex", "-1");
                        el.scrollIntoView({ block: "center" });
                        el.focus({ preventScroll: true });
                        el.classList.add("flash");
                        setTimeout(() => el.classList.remove("flash"), 1600);
                      },
                    },
                    "Show in text"
                  ),
                ]
              : null
          )
        );
      })
    );

    const entityCounts = new Map();
    for (const e of d.entities || []) {
      const key = e.canonical || e.text;
      const seen = entityCounts.get(key) || { n: 0, label: e.label, variants: new Map() };
      seen.n += 1;
      if (e.variant) {
        const v = seen.variants.get(e.text) || { n: 0, kind: e.variant, evidence: e.evidence };
        v.n += 1;
        seen.variants.set(e.text, v);
      }
      entityCounts.set(key, seen);
    }
    const variantNotes = [];
    for (const [name, info] of entityCounts) {
      for (const [text, v] of info.variants) {
        variantNotes.push(h("li", { title: v.evidence || "" }, text + " → " + name + ", " + v.n + " mention" + (v.n > 1 ? "s" : "") + ", " + v.kind));
      }
    }
    const entityList = h(
      "div",
      { class: "entity-list", id: "doc-entities" },
      [...entityCounts.entries()]
        .sort((a, b) => b[1].n - a[1].n)
        .map(([name, info]) => link(hashFor("search", "", { entity: name }), name + (info.n > 1 ? " ×" + info.n : ""), { class: "pill", title: info.label + ": documents naming " + name }))
    );

    fill(ctx.main, 
      h("p", { class: "small" }, h("button", { type: "button", onclick: () => history.back() }, "← Back"), " · ", link(hashFor("compare", "", { a: d.id }), "Compare with another article")),
      h("h1", { tabindex: "-1" }, d.title || "(untitled)"),
      exportBar("doc-exports", exportLink("doc-json", "JSON", "/api/documents/" + enc(d.id), null, "document-" + d.id + ".json")),
      h(
        "div",
        { class: "two" },
        h(
          "div",
          null,
          h("div", { class: "card" }, meta),
          toggles,
          h("article", { class: "card", "aria-label": "Article text" }, text),
          d.captions && d.captions.length ? h("div", { class: "card small" }, h("h3", null, "Captions"), h("ul", null, d.captions.map((c) => h("li", null, c)))) : null
        ),
        h(
          "aside",
          null,
          h("div", { class: "card" }, h("h2", { style: { marginTop: "0" } }, "Events (" + (d.events || []).length + ")"), (d.events || []).length ? events : h("p", { class: "muted" }, "No events found in this article."), nDoubtful ? h("button", { type: "button", class: "small", id: "show-doubtful", onclick: (e) => { for (const li of document.querySelectorAll("#doc-events li.doubtful")) li.hidden = !li.hidden; e.target.textContent = e.target.textContent.startsWith("Show") ? "Hide doubtful events" : "Show " + nDoubtful + " doubtful event" + (nDoubtful > 1 ? "s" : ""); } }, "Show " + nDoubtful + " doubtful event" + (nDoubtful > 1 ? "s" : "")) : null),
          h("div", { class: "card" }, h("h2", { style: { marginTop: "0" } }, "Entities"), entityCounts.size ? entityList : h("p", { class: "muted" }, "None."), variantNotes.length ? h("ul", { class: "small", id: "doc-variants", "aria-label": "Corrected spellings" }, variantNotes) : null),
          d.seen_in && d.seen_in.length > 1
            ? h("div", { class: "card small" }, h("h2", { style: { marginTop: "0" } }, "Seen in (" + d.seen_in.length + ")"), h("ul", null, d.seen_in.map((x) => h("li", null, (x.source || x.origin || x.source_id) + (x.published ? " · " + day(x.published) : "")))))
            : null
        )
      )
    );
  }

  // ---- Map --------------------------------------------------------------------------------------
  const basemap = () => cached("basemap", () => api("/static/basemap.json"));

  async function viewMap(ctx) {
    const p = ctx.params;
    const from = p.get("from") || "";
    const to = p.get("to") || "";
    const storyline = p.get("storyline") || "";
    document.title = "Map · storyline";
    const form = h("form", { class: "filters", "aria-label": "Map filters" }, dateField("from", "From", from), dateField("to", "To", to), h("button", { type: "submit", class: "primary" }, "Apply"), from || to || storyline ? link(hashFor("map"), "Clear filters") : null);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = hashFor("map", "", Object.assign({ storyline }, formParams(form, ["from", "to"])));
    });
    const legend = h(
      "div",
      { class: "legend" },
      h("span", { class: "item" }, svgKey("held"), "happenings at a place (area: how many)"),
      h("span", { class: "item" }, svgKey("plan"), "dashed ring: some are only planned"),
      h("span", { class: "item" }, svgKey("mention"), "places mentioned in articles")
    );
    const mapBox = h("div", { class: "map-wrap", id: "map" }, h("p", { class: "loading", style: { padding: "1rem" } }, "Loading the map…"));
    const panel = h("div", { class: "card", id: "map-panel" }, h("p", { class: "muted" }, "Select a circle (click, or Tab to it and press Enter) to list its happenings."));
    const places = h("div", { class: "card" });
    const mapQuery = { storyline, from, to, limit: 500 };
    let drawn = null;
    const exports = exportBar(
      "map-exports",
      exportLink("map-csv", "Places CSV", "/api/export/map", { ...mapQuery, format: "csv" }, "places.csv"),
      exportLink("map-json", "Places JSON", "/api/export/map", { ...mapQuery, format: "json" }, "places.json"),
      pictureButtons("map", "map", () => {
        if (!drawn) throw new Error("the map is not drawn yet");
        return svgPicture(drawn, "#dce9f5");
      })
    );
    fill(ctx.main, 
      h("h1", { tabindex: "-1" }, "Map"),
      storyline ? h("p", { class: "notice" }, "Storyline " + storyline + " only · ", link(hashFor("map", "", { from, to }), "all storylines")) : null,
      form,
      exports,
      legend,
      h("div", { class: "two" }, mapBox, h("aside", null, panel, places))
    );

    const [world, points] = await Promise.all([
      basemap().catch((e) => {
        if (e.name === "AbortError") throw e;
        return { error: e };
      }),
      api("/api/map", { storyline, from, to, limit: 500 }, ctx.signal),
    ]);
    if (!ctx.alive()) return;
    const vb = world.viewBox || [-180, -90, 360, 180];
    const svgEl = s("svg", { viewBox: vb.join(" "), role: "img", "aria-label": "World map of happenings and mentioned places", preserveAspectRatio: "xMidYMid meet" });
    const countries = s("g", { class: "countries" });
    for (const c of world.countries || []) countries.appendChild(s("path", { class: "country", d: c.d }, s("title", null, c.name)));
    svgEl.appendChild(countries);
    const mentions = s("g", { class: "mentions", "aria-hidden": "true" });
    for (const m of points.mentions || []) {
      if (m.lat === null || m.lon === null) continue;
      mentions.appendChild(s("circle", { class: "mention", cx: m.lon, cy: -m.lat, r: 0.7, "data-base": 0.7 }, s("title", null, m.name + (m.country ? " (" + m.country + ")" : "") + ": mentioned in " + plural(m.documents, "document"))));
    }
    svgEl.appendChild(mentions);
    const happenings = s("g", { class: "happenings" });
    const sorted = (points.events || []).filter((e) => e.lat !== null && e.lon !== null).sort((a, b) => b.events - a.events);
    const maxEvents = sorted.reduce((m, pt) => Math.max(m, pt.events), 1);
    let selected = null;
    const select = (pt, g) => {
      if (selected) selected.classList.remove("selected");
      selected = g;
      g.classList.add("selected");
      showPlace(panel, pt, ctx);
    };
    for (const pt of sorted) {
      // area by count, relative to the busiest place: 1.1 to 4.6 degrees across at world zoom
      const r = 1.1 + 3.5 * Math.sqrt(pt.events / maxEvents);
      const held = pt.events - (pt.planned || 0);
      const words = pt.name + (pt.country ? " (" + pt.country + ")" : "") + ": " + plural(pt.events, "happening") + (pt.planned ? ", " + pt.planned + " planned" : "");
      const g = s("g", { class: "mpoint", tabindex: "0", role: "button", "aria-label": words, "data-events": pt.events });
      if (held > 0) g.appendChild(s("circle", { class: "held", cx: pt.lon, cy: -pt.lat, r, "data-base": r }));
      if (pt.planned) g.appendChild(s("circle", { class: "plan", cx: pt.lon, cy: -pt.lat, r: r + 0.5, "data-base": r + 0.5 }));
      g.appendChild(s("title", null, words));
      g.addEventListener("click", () => select(pt, g));
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          select(pt, g);
        }
      });
      happenings.appendChild(g);
    }
    svgEl.appendChild(happenings);
    // the busiest places named on the map (every place on hover, by its tooltip)
    const labels = s("g", { class: "map-labels", "aria-hidden": "true" });
    const spots = [...happenings.children].map((g, i) => ({ g, cx: sorted[i].lon, cy: -sorted[i].lat }));
    const labelJobs = spots.slice(0, MAP_LABELS).map((spot, i) => {
      const pt = sorted[i];
      return Object.assign({ text: labels.appendChild(s("text", { "data-name": pt.name }, pt.name)) }, spot);
    });
    svgEl.appendChild(labels);
    fill(mapBox, svgEl);
    drawn = svgEl;
    if (world.error) mapBox.prepend(errorBox(new ApiError(world.error.status, world.error.code, "the basemap could not be loaded (" + world.error.message + "); build it with make basemap")));
    const zoom = setupZoom(svgEl, vb, mapBox, (view) => placeMapLabels(svgEl, labelJobs, spots, view));
    ctx.onResize = () => zoom.refresh();
    if (sorted.length) {
      const lons = sorted.map((q) => q.lon);
      const lats = sorted.map((q) => -q.lat);
      zoom.fit(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats));
    }
    fill(places, 
      h("h2", { style: { marginTop: "0" } }, "Places with happenings (" + sorted.length + ")"),
      sorted.length
        ? h(
            "ul",
            { class: "plain small" },
            sorted.slice(0, 25).map((pt, i) =>
              h(
                "li",
                null,
                h("button", { type: "button", onclick: () => select(pt, happenings.children[i]) }, pt.name),
                " " + plural(pt.events, "happening") + (pt.planned ? " (" + pt.planned + " planned)" : "")
              )
            )
          )
        : h("p", { class: "muted" }, "No happening has a known place for these filters.")
    );
  }

  function svgKey(kind) {
    const box = s("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true" });
    if (kind === "held") box.appendChild(s("circle", { cx: 9, cy: 9, r: 7, fill: "#1f5fbf", "fill-opacity": 0.55, stroke: "#123b78" }));
    if (kind === "plan") box.appendChild(s("circle", { cx: 9, cy: 9, r: 7, fill: "none", stroke: "#123b78", "stroke-width": 1.6, "stroke-dasharray": "3 2" }));
    if (kind === "mention") box.appendChild(s("circle", { cx: 9, cy: 9, r: 3, fill: "#4b5563", "fill-opacity": 0.7 }));
    return box;
  }

  const MAP_LABELS = 10;

  /** The map's labels at the current zoom: a constant size on screen, placed greedily, the
   *  busiest place first, beside its circle where they cover no other label and no other
   *  circle of happenings (placeSvgLabels); the rest hidden until zoomed in. `jobs` are the
   *  first of `spots`, every place's circles. */
  function placeMapLabels(svgEl, jobs, spots, view) {
    const rect = svgEl.getBoundingClientRect();
    if (!rect.width || !jobs.length) return;
    const u = view.w / rect.width; // drawing units per screen pixel
    const size = 11.5 * u;
    const gap = 2 * u;
    const obstacles = spots.map((spot) => {
      const r = Math.max(...[...spot.g.querySelectorAll("circle")].map((c) => parseFloat(c.getAttribute("r")) || 0), 0);
      return [spot.cx - r, spot.cy - r, spot.cx + r, spot.cy + r];
    });
    jobs.forEach((job, i) => {
      const r = obstacles[i][2] - job.cx;
      job.own = i;
      job.text.setAttribute("font-size", size.toFixed(4));
      job.text.setAttribute("stroke-width", (3 * u).toFixed(4));
      job.candidates = [
        { x: job.cx + r + gap, y: job.cy + size * 0.35, anchor: "start" },
        { x: job.cx - r - gap, y: job.cy + size * 0.35, anchor: "end" },
        { x: job.cx, y: job.cy - r - gap - size * 0.25, anchor: "middle" },
        { x: job.cx, y: job.cy + r + gap + size * 0.9, anchor: "middle" },
      ];
    });
    placeSvgLabels(jobs, [view.x, view.y, view.x + view.w, view.y + view.h], obstacles, 2 * u);
  }

  function setupZoom(svgEl, vb, box, onView) {
    const world = { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
    let view = Object.assign({}, world);
    const apply = () => {
      svgEl.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map((v) => v.toFixed(3)).join(" "));
      const k = world.w / view.w;
      const scale = 1 / Math.pow(k, 0.75);
      svgEl.querySelectorAll("circle[data-base]").forEach((c) => c.setAttribute("r", (parseFloat(c.dataset.base) * scale).toFixed(3)));
      if (onView) onView(view);
    };
    const zoomAt = (factor, cx, cy) => {
      const w = Math.max(world.w / 40, Math.min(world.w, view.w / factor));
      const hgt = (w / world.w) * world.h;
      if (cx === undefined) {
        cx = view.x + view.w / 2;
        cy = view.y + view.h / 2;
      }
      const fx = (cx - view.x) / view.w;
      const fy = (cy - view.y) / view.h;
      view = { x: cx - fx * w, y: cy - fy * hgt, w, h: hgt };
      clamp();
      apply();
    };
    const clamp = () => {
      view.x = Math.max(world.x, Math.min(world.x + world.w - view.w, view.x));
      view.y = Math.max(world.y, Math.min(world.y + world.h - view.h, view.y));
    };
    const toUser = (ev) => {
      const rect = svgEl.getBoundingClientRect();
      return [view.x + ((ev.clientX - rect.left) / rect.width) * view.w, view.y + ((ev.clientY - rect.top) / rect.height) * view.h];
    };
    svgEl.addEventListener(
      "wheel",
      (ev) => {
        ev.preventDefault();
        const [ux, uy] = toUser(ev);
        zoomAt(ev.deltaY < 0 ? 1.25 : 0.8, ux, uy);
      },
      { passive: false }
    );
    let drag = null;
    svgEl.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, view: Object.assign({}, view), moved: false };
    });
    svgEl.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const rect = svgEl.getBoundingClientRect();
      const dx = ((ev.clientX - drag.x) / rect.width) * view.w;
      const dy = ((ev.clientY - drag.y) / rect.height) * view.h;
      if (!drag.moved && Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) < 4) return;
      if (!drag.moved) {
        drag.moved = true;
        svgEl.setPointerCapture(ev.pointerId);
        svgEl.classList.add("dragging");
      }
      view.x = drag.view.x - dx;
      view.y = drag.view.y - dy;
      clamp();
      apply();
    });
    const stop = () => {
      drag = null;
      svgEl.classList.remove("dragging");
    };
    svgEl.addEventListener("pointerup", stop);
    svgEl.addEventListener("pointercancel", stop);
    const tools = h(
      "div",
      { class: "map-tools" },
      h("button", { type: "button", "aria-label": "Zoom in", title: "Zoom in", onclick: () => zoomAt(1.5) }, "+"),
      h("button", { type: "button", "aria-label": "Zoom out", title: "Zoom out", onclick: () => zoomAt(1 / 1.5) }, "−"),
      h("button", { type: "button", "aria-label": "Whole world", title: "Whole world", onclick: () => { view = Object.assign({}, world); apply(); } }, "⌂")
    );
    box.appendChild(tools);
    apply();
    return {
      refresh: apply,
      fit(x0, y0, x1, y1) {
        const padX = Math.max(8, (x1 - x0) * 0.15);
        const padY = Math.max(6, (y1 - y0) * 0.15);
        let w = x1 - x0 + 2 * padX;
        let hgt = y1 - y0 + 2 * padY;
        if (w / hgt > world.w / world.h) hgt = (w * world.h) / world.w;
        else w = (hgt * world.w) / world.h;
        w = Math.min(world.w, Math.max(world.w / 40, w));
        hgt = (w / world.w) * world.h;
        view = { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - hgt / 2, w, h: hgt };
        clamp();
        apply();
      },
    };
  }

  function showPlace(panel, pt, ctx) {
    const items = pt.event_ids.map((id, i) => {
      const label = pt.labels && pt.labels[i];
      const a = link(hashFor("event", id), label ? capitalise(label) : "happening " + id);
      if (!label) {
        api("/api/happenings/" + enc(id), null, ctx.signal)
          .then((c) => {
            if (c.label) a.textContent = capitalise(c.label);
          })
          .catch(() => {});
      }
      return h("li", null, a);
    });
    fill(panel, 
      h("h2", { style: { marginTop: "0" }, id: "map-place" }, pt.name + (pt.country ? " (" + pt.country + ")" : "")),
      h("p", { class: "muted small" }, plural(pt.events, "happening") + (pt.planned ? ", " + pt.planned + " of them planned" : "") + (pt.events > pt.event_ids.length ? "; the first " + pt.event_ids.length + " listed" : "")),
      h("ul", { class: "plain small", id: "map-events" }, items),
      h("p", { class: "small" }, link(hashFor("search", "", { place: pt.name }), "Articles mentioning " + pt.name))
    );
  }

  // ---- Entity graph -------------------------------------------------------------------------------
  const KIND_COLOURS = { PERSON: "#1f5fbf", ORG: "#167a52", PLACE: "#c2661a", GPE: "#c2661a", LOC: "#c2661a", NORP: "#8a3fa8", FAC: "#8a6d1d", EVENT: "#b3261e" };
  const kindColour = (kind) => KIND_COLOURS[kind] || "#52606d";

  /** Force-directed layout (repulsion between all nodes, springs along edges, a pull to the
   *  middle), a fixed number of cooling iterations, deterministic start. */
  function forceLayout(nodes, edges, centreIndex) {
    const n = nodes.length;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const order = [...nodes.keys()];
    if (centreIndex >= 0) {
      order.splice(order.indexOf(centreIndex), 1);
      order.unshift(centreIndex);
    }
    order.forEach((node, i) => {
      const r = 30 * Math.sqrt(i + 0.5);
      const a = i * 2.399963;
      xs[node] = r * Math.cos(a);
      ys[node] = r * Math.sin(a);
    });
    if (centreIndex >= 0) xs[centreIndex] = ys[centreIndex] = 0;
    const k = 80;
    const iterations = n <= 120 ? 350 : Math.max(60, Math.floor(5e6 / (n * n)));
    let temperature = 60;
    const cool = temperature / (iterations + 1);
    const maxW = Math.max(1, ...edges.map((e) => e.weight));
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let it = 0; it < iterations; it++) {
      dx.fill(0);
      dy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ddx = xs[i] - xs[j];
          let ddy = ys[i] - ys[j];
          let d2 = ddx * ddx + ddy * ddy;
          if (d2 < 0.01) {
            ddx = 0.1 * ((i % 7) - 3) + 0.05;
            ddy = 0.1 * ((j % 5) - 2) + 0.05;
            d2 = ddx * ddx + ddy * ddy;
          }
          const f = (k * k) / d2;
          dx[i] += ddx * f;
          dy[i] += ddy * f;
          dx[j] -= ddx * f;
          dy[j] -= ddy * f;
        }
      }
      for (const e of edges) {
        const ddx = xs[e.s] - xs[e.t];
        const ddy = ys[e.s] - ys[e.t];
        const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
        const strength = 0.35 + (0.8 * Math.log1p(e.weight)) / Math.log1p(maxW);
        const f = ((d * d) / k) * strength;
        dx[e.s] -= (ddx / d) * f;
        dy[e.s] -= (ddy / d) * f;
        dx[e.t] += (ddx / d) * f;
        dy[e.t] += (ddy / d) * f;
      }
      for (let i = 0; i < n; i++) {
        const d = Math.sqrt(xs[i] * xs[i] + ys[i] * ys[i]) || 1;
        dx[i] -= (xs[i] / d) * d * 0.05;
        dy[i] -= (ys[i] / d) * d * 0.05;
        if (i === centreIndex) continue;
        const len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const step = Math.min(len, temperature);
        xs[i] += (dx[i] / len) * step;
        ys[i] += (dy[i] / len) * step;
      }
      temperature = Math.max(1, temperature - cool);
    }
    return { xs, ys };
  }

  /** Lays out each connected part on its own, then packs the parts in rows, largest first, so
   *  that unconnected entities do not push the rest into a corner. */
  function packedLayout(nodes, edges, centreIndex) {
    const n = nodes.length;
    const parent = [...Array(n).keys()];
    const find = (i) => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    for (const e of edges) parent[find(e.s)] = find(e.t);
    const groups = new Map();
    for (let i = 0; i < n; i++) {
      const root = find(i);
      if (!groups.has(root)) groups.set(root, []);
      groups.get(root).push(i);
    }
    const parts = [...groups.values()].sort((a, b) => b.length - a.length || a[0] - b[0]);
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const MARGIN = 90;
    const boxes = parts.map((members) => {
      const local = new Map(members.map((node, i) => [node, i]));
      const subEdges = edges.filter((e) => local.has(e.s)).map((e) => Object.assign({}, e, { s: local.get(e.s), t: local.get(e.t) }));
      const sub = forceLayout(members, subEdges, local.has(centreIndex) ? local.get(centreIndex) : -1);
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      members.forEach((_, i) => {
        x0 = Math.min(x0, sub.xs[i]);
        x1 = Math.max(x1, sub.xs[i]);
        y0 = Math.min(y0, sub.ys[i]);
        y1 = Math.max(y1, sub.ys[i]);
      });
      return { members, sub, x0, y0, w: x1 - x0 + MARGIN, h: y1 - y0 + MARGIN };
    });
    const area = boxes.reduce((sum, b) => sum + b.w * b.h, 0);
    const rowWidth = Math.max(boxes[0].w, Math.sqrt(area) * 1.5);
    let cx = 0;
    let cy = 0;
    let rowHeight = 0;
    for (const b of boxes) {
      if (cx > 0 && cx + b.w > rowWidth) {
        cx = 0;
        cy += rowHeight;
        rowHeight = 0;
      }
      b.members.forEach((node, i) => {
        xs[node] = cx + (b.sub.xs[i] - b.x0);
        ys[node] = cy + (b.sub.ys[i] - b.y0);
      });
      cx += b.w;
      rowHeight = Math.max(rowHeight, b.h);
    }
    return { xs, ys };
  }

  /** Pushes apart nodes drawn on top of each other (in drawing units), a few passes. */
  function separate(xs, ys, radii, W, H, pinned) {
    const n = xs.length;
    for (let pass = 0; pass < 60; pass++) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const dx = xs[j] - xs[i];
          const dy = ys[j] - ys[i];
          const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
          const min = radii[i] + radii[j] + 5;
          if (d >= min) continue;
          moved = true;
          const push = (min - d) / 2;
          const ux = d > 0.01 ? dx / d : 1;
          const uy = d > 0.01 ? dy / d : 0;
          const wi = i === pinned ? 0 : j === pinned ? 2 : 1;
          const wj = j === pinned ? 0 : i === pinned ? 2 : 1;
          xs[i] -= ux * push * wi;
          ys[i] -= uy * push * wi;
          xs[j] += ux * push * wj;
          ys[j] += uy * push * wj;
        }
      }
      for (let i = 0; i < n; i++) {
        xs[i] = Math.max(radii[i] + 2, Math.min(W - radii[i] - 2, xs[i]));
        ys[i] = Math.max(radii[i] + 2, Math.min(H - radii[i] - 2, ys[i]));
      }
      if (!moved) break;
    }
  }

  async function viewGraph(ctx) {
    const entity = ctx.params.get("entity") || "";
    const limit = ctx.params.get("limit") || "60";
    document.title = (entity ? entity + " · " : "") + "Entity graph · storyline";
    const form = h(
      "form",
      { class: "filters", "aria-label": "Graph settings" },
      h("label", null, "Centre on entity", h("input", { name: "entity", class: "wide", value: entity, list: entityDatalist(), placeholder: "empty: the most connected" })),
      h(
        "label",
        null,
        "Nodes",
        h(
          "select",
          { name: "limit" },
          ["30", "60", "120", "250"].map((n) => h("option", { value: n, selected: n === limit }, n))
        )
      ),
      h("button", { type: "submit", class: "primary" }, "Show"),
      entity ? link(hashFor("graph", "", { limit: limit === "60" ? "" : limit }), "Whole graph") : null
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = formParams(form, ["entity", "limit"]);
      location.hash = hashFor("graph", "", { entity: v.entity, limit: v.limit === "60" ? "" : v.limit });
    });
    const box = h("div", { class: "graph-wrap", id: "graph" }, h("p", { class: "loading", style: { padding: "1rem" } }, "Loading the graph…"));
    const panel = h("div", { class: "card", id: "graph-panel" });
    const legend = h("div", { class: "legend" });
    const graphQuery = { entity, limit };
    const exports = exportBar(
      "graph-exports",
      exportLink("graph-gexf", "GEXF", "/api/export/graph", { ...graphQuery, format: "gexf" }, "graph.gexf"),
      exportLink("graph-graphml", "GraphML", "/api/export/graph", { ...graphQuery, format: "graphml" }, "graph.graphml"),
      exportLink("graph-json", "JSON", "/api/export/graph", { ...graphQuery, format: "json" }, "graph.json"),
      pictureButtons("graph", "graph", () => {
        const drawn = box.querySelector("svg");
        if (!drawn) throw new Error("the graph is not drawn yet");
        return svgPicture(drawn, "#ffffff");
      })
    );
    fill(ctx.main, 
      h("h1", { tabindex: "-1" }, entity ? "Entity graph: " + entity : "Entity graph"),
      h("p", { class: "muted" }, "Who appears with whom: node size by documents, line width by shared events. Select a node to centre the graph on it."),
      form,
      exports,
      legend,
      h("div", { class: "two" }, box, h("aside", null, panel))
    );
    let data;
    try {
      data = await api("/api/graph", { entity, limit }, ctx.signal);
    } catch (e) {
      if (e.name === "AbortError") throw e;
      fill(box, errorBox(e));
      if (e.status === 404 && !entity) box.append(h("p", { class: "muted", style: { padding: "0 1rem" } }, "This server has no entity graph yet; the other views work without it."));
      fill(panel, h("p", { class: "muted" }, "No graph to show."));
      return;
    }
    if (!ctx.alive()) return;
    const nodes = data.nodes || [];
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    const edges = (data.edges || []).map((e) => Object.assign({}, e, { s: index.get(e.source), t: index.get(e.target) })).filter((e) => e.s !== undefined && e.t !== undefined && e.s !== e.t);
    const wanted = entity.toLowerCase();
    const centre = entity ? nodes.findIndex((n) => n.id === entity || String(n.name).toLowerCase() === wanted) : -1;
    if (!nodes.length) {
      fill(box, h("p", { class: "notice", style: { margin: "1rem" } }, entity ? "No connections found for " + entity + "." : "The graph is empty."));
      fill(panel);
      return;
    }
    const layout = packedLayout(nodes, edges, centre);
    // into a fixed drawing of W x H units (about screen pixels), the same scale both ways
    const W = 960;
    const H = 640;
    const PAD_X = 40;
    const PAD_Y = 34;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < nodes.length; i++) {
      x0 = Math.min(x0, layout.xs[i]);
      x1 = Math.max(x1, layout.xs[i]);
      y0 = Math.min(y0, layout.ys[i]);
      y1 = Math.max(y1, layout.ys[i]);
    }
    const PAD_RIGHT = 150;
    const scale = Math.min((W - PAD_X - PAD_RIGHT) / Math.max(1, x1 - x0), (H - 2 * PAD_Y) / Math.max(1, y1 - y0), 2);
    const xs = Array.from(layout.xs, (v) => (W + PAD_X - PAD_RIGHT) / 2 + (v - (x0 + x1) / 2) * scale);
    const ys = Array.from(layout.ys, (v) => H / 2 + (v - (y0 + y1) / 2) * scale);
    const maxDocs = Math.max(1, ...nodes.map((n) => n.documents || 1));
    const radius = (n) => 4 + 14 * Math.sqrt((n.documents || 1) / maxDocs);
    separate(xs, ys, nodes.map(radius), W, H, centre);
    const maxW = Math.max(1, ...edges.map((e) => e.weight));
    const svgEl = s("svg", { viewBox: "0 0 " + W + " " + H, role: "group", "aria-label": "Entity graph with " + plural(nodes.length, "entity", "entities") });
    const edgeLayer = s("g", { class: "edges", "aria-hidden": "true" });
    for (const e of edges.slice().sort((a, b) => a.weight - b.weight)) {
      edgeLayer.appendChild(
        s(
          "line",
          { class: "gedge", x1: xs[e.s].toFixed(1), y1: ys[e.s].toFixed(1), x2: xs[e.t].toFixed(1), y2: ys[e.t].toFixed(1), "stroke-width": (1 + 7 * Math.sqrt(e.weight / maxW)).toFixed(2), "data-source": nodes[e.s].name, "data-target": nodes[e.t].name },
          s("title", null, nodes[e.s].name + " — " + nodes[e.t].name + ": " + plural(e.weight, "shared event") + (e.documents ? ", " + plural(e.documents, "document") : ""))
        )
      );
    }
    svgEl.appendChild(edgeLayer);
    const nodeLayer = s("g", { class: "nodes" });
    const labelLayer = s("g", { class: "labels", "aria-hidden": "true" });
    const ranked = nodes.map((n, i) => i).sort((a, b) => (nodes[b].documents || 0) - (nodes[a].documents || 0));
    const labelled = new Set(ranked.slice(0, nodes.length <= 70 ? nodes.length : 50));
    // labels, the centre's and the largest nodes' first, where they cover no other label and no
    // node (placed once drawn, measured: placeSvgLabels); the centre's and the six largest nodes'
    // may cover a node when nothing else is free, never another label
    const nodeBoxes = nodes.map((n, j) => {
      const rj = radius(n);
      return [xs[j] - rj, ys[j] - rj, xs[j] + rj, ys[j] + rj];
    });
    const labelJobs = [];
    // keyboard order: the centre first, then by size
    for (const i of ranked.slice().sort((a, b) => (b === centre) - (a === centre))) {
      const n = nodes[i];
      const r = radius(n);
      const words = n.name + " (" + (n.kind || "entity") + "), " + plural(n.documents || 0, "document");
      const g = s(
        "g",
        { class: "gnode" + (i === centre ? " center" : ""), tabindex: "0", role: "link", "aria-label": words + ": centre the graph here", transform: "translate(" + xs[i].toFixed(1) + " " + ys[i].toFixed(1) + ")", "data-name": n.name },
        s("circle", { r: r.toFixed(1), fill: kindColour(n.kind) }),
        s("title", null, words)
      );
      const top = i === centre || ranked.indexOf(i) < 6;
      if (top || labelled.has(i)) {
        const text = labelLayer.appendChild(s("text", { class: i === centre ? "centre-label" : null, "data-name": n.name }, n.name));
        const [x, y] = [xs[i], ys[i]];
        labelJobs.push({
          text,
          own: i,
          must: top,
          candidates: [
            { x: x + r + 3, y: y + 4, anchor: "start" },
            { x: x - r - 3, y: y + 4, anchor: "end" },
            { x, y: y - r - 5, anchor: "middle" },
            { x, y: y + r + 14, anchor: "middle" },
            { x: x + r + 2, y: y - r - 2, anchor: "start" },
            { x: x - r - 2, y: y - r - 2, anchor: "end" },
            { x: x + r + 2, y: y + r + 11, anchor: "start" },
            { x: x - r - 2, y: y + r + 11, anchor: "end" },
          ],
        });
      }
      const go = () => {
        location.hash = hashFor("graph", "", { entity: n.name, limit: limit === "60" ? "" : limit });
      };
      g.addEventListener("click", go);
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          go();
        }
      });
      nodeLayer.appendChild(g);
    }
    svgEl.appendChild(nodeLayer);
    svgEl.appendChild(labelLayer);
    const kinds = [...new Set(nodes.map((n) => n.kind || "other"))].sort();
    fill(legend, kinds.map((kind) => h("span", { class: "item" }, h("span", { class: "swatch", style: { "--c": kindColour(kind), "border-radius": "50%" }, "aria-hidden": "true" }), kind.toLowerCase())), h("span", { class: "item" }, "· size: documents naming it · line width: shared events"));
    fill(box, svgEl);
    placeSvgLabels(labelJobs, [0, 0, W, H], nodeBoxes, 1);

    if (centre >= 0) {
      const n = nodes[centre];
      const links = edges
        .filter((e) => e.s === centre || e.t === centre)
        .sort((a, b) => b.weight - a.weight)
        .slice(0, 15);
      fill(panel, 
        h("h2", { style: { marginTop: "0" } }, n.name),
        h("p", { class: "muted small" }, (n.kind || "entity") + (n.country ? " · " + n.country : "") + " · " + plural(n.documents || 0, "document")),
        h("p", null, link(hashFor("search", "", { entity: n.name }), "Documents naming " + n.name, { id: "graph-docs" }), " · ", link(hashFor("timeline", "", { entity: [n.name] }), "Timeline")),
        h("h3", null, "Strongest connections"),
        h(
          "ul",
          { class: "plain small" },
          links.map((e) => {
            const other = nodes[e.s === centre ? e.t : e.s];
            return h("li", null, link(hashFor("graph", "", { entity: other.name }), other.name), " — " + plural(e.weight, "shared event"));
          })
        )
      );
    } else {
      fill(panel, 
        h("h2", { style: { marginTop: "0" } }, entity ? entity : "Most connected"),
        entity ? h("p", { class: "muted" }, entity + " is not among the nodes shown.") : null,
        h(
          "ul",
          { class: "plain small" },
          ranked.slice(0, 12).map((i) => h("li", null, link(hashFor("graph", "", { entity: nodes[i].name }), nodes[i].name), " " + plural(nodes[i].documents || 0, "document")))
        )
      );
    }
  }

  // ---- Compare ------------------------------------------------------------------------------------
  const DIMENSIONS = ["overall", "geography", "entities", "time", "narrative", "style", "tone"];

  function picker(label, name, value, onChosen) {
    const input = h("input", { id: "pick-" + name, name, value: value || "", placeholder: "document id, or words to find it", autocomplete: "off" });
    const chosen = h("p", { class: "chosen muted", id: "chosen-" + name, "aria-live": "polite" }, value ? "Id " + value : "Nothing chosen yet.");
    const results = h("ul", { class: "plain small" });
    let chosenId = value || "";
    const describe = (doc) => {
      fill(chosen, h("span", { class: "muted" }, "Chosen: "), link(hashFor("doc", doc.id), doc.title || doc.id), h("span", { class: "muted nowrap" }, " · " + day(doc.published)));
    };
    if (value) {
      api("/api/documents/" + enc(value))
        .then(describe)
        .catch((e) => fill(chosen, errorBox(e)));
    }
    const find = async () => {
      const text = input.value.trim();
      fill(results);
      if (!text) return;
      try {
        if (/^[0-9a-f]{4,40}$/i.test(text)) {
          try {
            const doc = await api("/api/documents/" + enc(text));
            chosenId = doc.id;
            input.value = doc.id;
            describe(doc);
            onChosen(name, doc.id);
            return;
          } catch (e) {
            if (e.status !== 404 && e.status !== 400) throw e;
          }
        }
        const page = await api("/api/search", { q: text, limit: 8 });
        if (!page.items.length) {
          fill(results, h("li", { class: "muted" }, "No document matches."));
          return;
        }
        fill(results, 
          ...page.items.map((doc) =>
            h(
              "li",
              null,
              h(
                "button",
                {
                  type: "button",
                  onclick: () => {
                    chosenId = doc.id;
                    input.value = doc.id;
                    describe(doc);
                    fill(results);
                    onChosen(name, doc.id);
                    input.focus();
                  },
                },
                (doc.title || doc.id) + " · " + day(doc.published)
              )
            )
          )
        );
      } catch (e) {
        fill(results, h("li", null, errorBox(e)));
      }
    };
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        find();
      }
    });
    return {
      el: h(
        "div",
        { class: "card picker" },
        h("label", { for: "pick-" + name }, h("strong", null, label)),
        h("div", { class: "row" }, input, h("button", { type: "button", onclick: find }, "Find")),
        chosen,
        results
      ),
      value: () => chosenId || input.value.trim(),
    };
  }

  async function viewCompare(ctx) {
    const a = ctx.params.get("a") || "";
    const b = ctx.params.get("b") || "";
    document.title = "Compare · storyline";
    const picked = { a, b };
    const onChosen = (name, id) => {
      picked[name] = id;
    };
    const pa = picker("First article", "a", a, onChosen);
    const pb = picker("Second article", "b", b, onChosen);
    const result = h("div", { id: "compare-result" });
    const go = h(
      "button",
      {
        type: "button",
        class: "primary",
        id: "compare-go",
        onclick: () => {
          const va = pa.value();
          const vb = pb.value();
          if (!va || !vb) {
            fill(result, h("p", { class: "notice" }, "Choose two articles first (an id, or find one by its words)."));
            return;
          }
          const target = hashFor("compare", "", { a: va, b: vb });
          if (location.hash === target) route();
          else location.hash = target;
        },
      },
      "Compare"
    );
    fill(ctx.main, 
      h("h1", { tabindex: "-1" }, "Compare two articles"),
      h("p", { class: "muted" }, "Scores on the SemEval-2022 Task 8 scale: 1 = very similar … 4 = very dissimilar."),
      h("div", { class: "pickers" }, pa.el, pb.el),
      h("p", null, go),
      result
    );
    if (!a || !b) return;
    fill(result, h("p", { class: "loading" }, "Comparing…"));
    const r = await api("/api/compare", { a, b }, ctx.signal);
    const reasons = r.reasons || {};
    const bars = h("div", { class: "bars", role: "list", "aria-label": "Scores" });
    bars.append(h("span"), h("div", { class: "scale", "aria-hidden": "true" }, h("span", { style: { left: "0" } }, "1 very similar"), h("span", { class: "mid", style: { left: "33.333%" } }, "2"), h("span", { class: "mid", style: { left: "66.667%" } }, "3"), h("span", { style: { right: "0" } }, "4 very dissimilar")), h("span"));
    for (const dim of DIMENSIONS) {
      const v = r[dim];
      const known = typeof v === "number";
      const frac = known ? Math.max(0, Math.min(1, (v - 1) / 3)) : 0;
      bars.append(
        h("span", { class: "name" + (dim === "overall" ? " overall" : ""), role: "listitem" }, dim),
        h("div", { class: "bar", role: "img", "aria-label": dim + ": " + (known ? v.toFixed(2) : "unknown") + " of 4" }, known ? [h("span", { class: "fill", style: { width: frac * 100 + "%" } }), h("span", { class: "dot", style: { left: frac * 100 + "%" } })] : null),
        h("span", { class: dim === "overall" ? "overall" : "" }, known ? v.toFixed(2) : "—")
      );
    }
    const pills = (list) => (list && list.length ? h("div", { class: "entity-list" }, list.map((x) => h("span", { class: "pill" }, x))) : h("span", { class: "muted" }, "none"));
    fill(result, 
      exportBar("compare-exports", exportLink("compare-json", "JSON", "/api/compare", { a, b }, "compare.json")),
      h("div", { class: "card" }, h("p", { style: { margin: "0" } }, h("span", { class: "muted" }, "Verdict: "), h("span", { class: "verdict", id: "verdict" }, r.verdict)), h("h2", null, "Scores"), bars),
      h(
        "div",
        { class: "card" },
        h("h2", { style: { marginTop: "0" } }, "Reasons"),
        h("ul", { id: "reasons" }, (reasons.text || []).map((t) => h("li", null, t))),
        h(
          "dl",
          { class: "facts" },
          h("dt", null, "Text similarity"),
          h("dd", null, typeof reasons.cosine === "number" ? reasons.cosine.toFixed(3) : "—"),
          h("dt", null, "Days between main events"),
          h("dd", null, reasons.date_gap_days === null || reasons.date_gap_days === undefined ? "—" : String(reasons.date_gap_days)),
          h("dt", null, "Both name"),
          h("dd", null, pills(reasons.shared_entities)),
          h("dt", null, "Only the first"),
          h("dd", null, pills(reasons.only_first)),
          h("dt", null, "Only the second"),
          h("dd", null, pills(reasons.only_second)),
          h("dt", null, "Shared places"),
          h("dd", null, pills(reasons.shared_places)),
          h("dt", null, "Events both report"),
          h("dd", null, pills(reasons.shared_events)),
          h("dt", null, "Similar events, other dates"),
          h("dd", null, pills(reasons.conflicting_events))
        )
      )
    );
  }

  // ---- Search -------------------------------------------------------------------------------------
  const SEARCH_PAGE = 20;
  const EVENT_TYPES = ["AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE", "FIGHT", "INVESTIGATE", "MOBILIZE", "PROTEST", "REJECT", "RETREAT", "SANCTION", "SUPPORT", "THREATEN", "OTHER"];

  /** The API marks matches as [word]; they become <mark> elements, the rest stays text. */
  function snippet(text) {
    const out = [];
    const re = /\[([^[\]]*)\]/g;
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(h("mark", null, m[1]));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  async function viewSearch(ctx) {
    const p = ctx.params;
    const f = {};
    for (const k of ["q", "entity", "place", "language", "event_type", "from", "to"]) f[k] = p.get(k) || "";
    const offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
    document.title = (f.q ? f.q + " · " : "") + "Search · storyline";
    const langSelect = h("select", { name: "language" }, h("option", { value: "" }, "any"), f.language ? h("option", { value: f.language, selected: true }, f.language) : null);
    const typeSelect = h("select", { name: "event_type" }, h("option", { value: "" }, "any"), EVENT_TYPES.map((t) => h("option", { value: t, selected: f.event_type.toUpperCase() === t }, t.toLowerCase())));
    const form = h(
      "form",
      { class: "filters", role: "search", "aria-label": "Search documents" },
      h("label", null, "Words", h("input", { name: "q", id: "search-q", type: "search", class: "wide", value: f.q, placeholder: '"informal summit" Sochi' })),
      h("label", null, "Entity", h("input", { name: "entity", value: f.entity, list: entityDatalist() })),
      h("label", null, "Place or country code", h("input", { name: "place", value: f.place })),
      h("label", null, "Language", langSelect),
      h("label", null, "Event type", typeSelect),
      dateField("from", "From", f.from),
      dateField("to", "To", f.to),
      h("button", { type: "submit", class: "primary" }, "Search"),
      Object.values(f).some(Boolean) ? link(hashFor("search"), "Clear") : null
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = hashFor("search", "", formParams(form, ["q", "entity", "place", "language", "event_type", "from", "to"]));
    });
    stats()
      .then((st) => {
        for (const lang of Object.keys(st.languages || {}).sort()) if (lang !== f.language) langSelect.appendChild(h("option", { value: lang }, lang));
      })
      .catch(() => {});
    const summary = h("p", { class: "muted", id: "search-summary" }, "Searching…");
    const results = h("ol", { class: "results", id: "search-results", start: offset + 1 });
    const pager = h("nav", { class: "pager", "aria-label": "Pages" });
    // every document matching, every page, as rows of `storyline export`'s documents table
    const exports = exportBar(
      "documents-exports",
      exportLink("documents-csv", "Documents CSV", "/api/export/documents", { ...f, format: "csv" }, "documents.csv"),
      exportLink("documents-json", "Documents JSON", "/api/export/documents", { ...f, format: "json" }, "documents.json")
    );
    fill(ctx.main, h("h1", { tabindex: "-1" }, f.q ? "Search: " + f.q : "Documents"), form, exports, summary, h("div", { class: "card" }, results), pager);

    const page = await api("/api/documents", Object.assign({}, f, { from: f.from, to: f.to, limit: SEARCH_PAGE, offset }), ctx.signal);
    const shown = page.items.length;
    summary.textContent = page.total
      ? plural(page.total, "document") + (f.q ? " match" + (page.total === 1 ? "es" : "") : "") + (shown ? " · showing " + (offset + 1) + "–" + (offset + shown) : "") + (f.q ? " · best first" : " · in publication order")
      : "No document matches.";
    fill(results, 
      ...page.items.map((d) =>
        h(
          "li",
          { class: "result" },
          h("h3", null, link(hashFor("doc", d.id), d.title || "(untitled) " + d.id)),
          h("div", { class: "meta" }, [day(d.published), d.source, d.language].filter(Boolean).join(" · "), d.duplicate_of ? " · duplicate of " + d.duplicate_of.slice(0, 10) : "", d.happening ? [" · ", link(hashFor("event", d.happening), "its happening")] : null),
          h("p", { class: "snippet" }, d.snippet ? snippet(d.snippet) : (d.opening || "") + "…")
        )
      )
    );
    const params = (o) => hashFor("search", "", Object.assign({}, f, { offset: o ? String(o) : "" }));
    fill(pager, 
      offset > 0 ? link(params(Math.max(0, offset - SEARCH_PAGE)), "← Previous", { rel: "prev" }) : null,
      page.next_offset !== null && page.next_offset !== undefined ? link(params(page.next_offset), "Next →", { rel: "next" }) : null
    );
  }

  // ---- alerts: what storyline watch told, and what it follows --------------------------------------
  const ALERT_KINDS = { "new-happening": "New happening", "new-article": "New article", "status-change": "Status change" };

  function alertArticle(a, side) {
    return h(
      "li",
      null,
      side ? h("span", { class: "muted" }, side + ": ") : null,
      link(hashFor("doc", a.document_id), a.title || a.document_id),
      " ",
      h("span", { class: "muted" }, [day(a.published), a.status].filter(Boolean).join(" · ")),
      a.evidence ? h("blockquote", { class: "evidence" }, a.evidence) : null
    );
  }

  async function viewAlerts(ctx) {
    document.title = "Alerts · storyline";
    const watchFilter = ctx.params.get("watch") || "";
    const [alerts, watches, sources] = await Promise.all([
      api("/api/alerts", { limit: 100, watch: watchFilter }, ctx.signal),
      api("/api/alert-watches", {}, ctx.signal),
      api("/api/sources", {}, ctx.signal),
    ]);
    const list = h("ol", { class: "results", id: "alerts-list" });
    for (const a of alerts.items) {
      const happening = a.happening_id ? link(hashFor("event", a.happening_id), "the happening") : null;
      const articles = []
        .concat((a.before || []).map((x) => alertArticle(x, "before")))
        .concat((a.after || []).map((x) => alertArticle(x, "after")))
        .concat(a.article ? [alertArticle(a.article, "")] : [])
        .concat((a.articles || []).map((x) => alertArticle(x, "")));
      list.appendChild(
        h(
          "li",
          { class: "result alert", "data-kind": a.kind },
          h("h3", null, h("span", { class: "badge" }, ALERT_KINDS[a.kind] || a.kind), " ", a.what || a.kind),
          h("div", { class: "meta" }, day(a.created), " · ", a.why || "", happening ? [" · ", happening] : null),
          articles.length ? h("ul", { class: "plain" }, articles) : null
        )
      );
    }
    const watchRows = watches.items.map((w) =>
      h("li", null, link(hashFor("alerts", "", { watch: String(w.id) }), w.label), h("span", { class: "muted" }, " · follows " + plural(w.following, "happening") + (w.webhook ? " · webhook" : "")))
    );
    const sourceRows = sources.items.map((s) =>
      h("li", null, s.name || s.location, h("span", { class: "muted" }, " · " + s.kind + " · " + (s.last_status || "not yet read") + (s.errors_in_a_row ? " (" + s.errors_in_a_row + " failures: " + s.last_error + ")" : "")))
    );
    fill(
      ctx.main,
      h("h1", { tabindex: "-1" }, "Alerts"),
      h("p", { class: "muted" }, "What storyline watch told the saved watches, newest first. ", link(apiUrl("/api/alerts.atom", {}), "Subscribe (Atom)", { id: "alerts-atom" }), watchFilter ? [" · ", link(hashFor("alerts"), "All watches")] : null),
      alerts.items.length ? h("div", { class: "card" }, list) : h("p", { id: "alerts-empty" }, "No alerts yet. Save a watch with storyline alerts add, then run storyline watch."),
      h("h2", null, "Watches"),
      watchRows.length ? h("ul", { id: "alert-watches" }, watchRows) : h("p", { class: "muted" }, "No saved watches."),
      h("h2", null, "Sources"),
      sourceRows.length ? h("ul", { id: "watched-sources" }, sourceRows) : h("p", { class: "muted" }, "No followed sources (storyline sources add URL).")
    );
  }

  // ---- routing ------------------------------------------------------------------------------------
  const ROUTES = { timeline: viewTimeline, event: viewEvent, doc: viewDoc, map: viewMap, graph: viewGraph, compare: viewCompare, search: viewSearch, alerts: viewAlerts };
  let current = null;
  let firstRoute = true;

  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, "");
    const q = raw.indexOf("?");
    const path = q >= 0 ? raw.slice(0, q) : raw;
    const query = q >= 0 ? raw.slice(q + 1) : "";
    const parts = path.split("/").map((x) => {
      try {
        return decodeURIComponent(x);
      } catch (e) {
        return x;
      }
    });
    return { name: parts[0] || "timeline", arg: parts.slice(1).join("/"), params: new URLSearchParams(query) };
  }

  async function route() {
    if (location.hash && !location.hash.startsWith("#/")) return;
    if (current) current.controller.abort();
    const controller = new AbortController();
    const r = parseHash();
    const main = $("#view");
    const ctx = { signal: controller.signal, main, params: r.params, arg: r.arg, alive: () => !controller.signal.aborted, onResize: null, controller };
    current = ctx;
    const section = r.name === "event" || r.name === "doc" ? "timeline" : r.name;
    document.querySelectorAll("[data-route]").forEach((a) => {
      if (a.dataset.route === section) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    fill(main, h("p", { class: "loading" }, "Loading…"));
    const view = ROUTES[r.name];
    try {
      if (!view) throw new ApiError(404, "not_found", "there is no view called “" + r.name + "”");
      await view(ctx);
    } catch (e) {
      if (e.name === "AbortError" || controller.signal.aborted) return;
      const box = errorBox(e);
      const heading = main.querySelector("h1");
      if (heading) main.appendChild(box);
      else fill(main, h("h1", { tabindex: "-1" }, "Something went wrong"), box, h("p", null, link(hashFor("timeline"), "Back to the timeline")));
    }
    if (controller.signal.aborted) return;
    if (!firstRoute) {
      const heading = main.querySelector("h1");
      if (heading && !main.contains(document.activeElement)) heading.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    firstRoute = false;
  }

  function isTyping(el) {
    if (!el) return false;
    const tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function setup() {
    setupToken();
    $("#quick-search").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const q = $("#quick-q").value.trim();
      location.hash = hashFor("search", "", { q });
    });
    $("#skip-link").addEventListener("click", (ev) => {
      ev.preventDefault();
      const heading = $("#view h1");
      (heading || $("#view")).focus();
    });
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !isTyping(document.activeElement)) {
        ev.preventDefault();
        const box = $("#quick-q");
        box.focus();
        box.select();
      } else if (ev.key === "Escape" && document.activeElement === $("#quick-q")) {
        $("#quick-q").blur();
      }
    });
    let resizeTimer = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (current && current.onResize && current.alive()) current.onResize();
      }, 150);
    });
    window.addEventListener("hashchange", route);
    route().then(() =>
      stats()
        .then((st) => {
          const range = st.published_from ? " · " + day(st.published_from) + " – " + day(st.published_to) : "";
          $("#foot-stats").textContent = plural(st.documents || 0, "document") + range + " · " + plural(Object.keys(st.languages || {}).length, "language");
        })
        .catch(() => {})
    );
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
