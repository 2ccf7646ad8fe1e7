// lockerd staff console: the live grid by push (server-sent events of changes), the desk scanner field,
// and the door-open confirm form (never submitted by Enter). No external resources.
(function () {
  "use strict";
  var labels = {};

  function text(el, value) { if (el) { el.textContent = value; } }

  function renderCell(c, labels) {
    var a = document.createElement("a");
    a.className = "cell s-" + c.show;
    a.href = "/compartments#c-" + c.id;
    a.dataset.id = c.id;
    // a note the software wrote (door_jammed) in the page's words; a reason staff typed as typed
    var note = c.note ? (labels["note:" + c.note] || (/^[a-z_]+$/.test(c.note) ? "" : c.note)) : "";
    a.title = note || labels[c.show] || c.show;
    var b = document.createElement("b"); b.textContent = c.id; a.appendChild(b);
    var s = document.createElement("small"); s.textContent = c.size; a.appendChild(s);
    var st = document.createElement("span"); st.className = "st"; st.textContent = labels[c.show] || c.show; a.appendChild(st);
    var p = c.parcels && c.parcels[0];
    var g = document.createElement("span"); g.className = "g g-" + (p ? p.grade : "none"); g.textContent = p ? (p.unit || "") : "";
    a.appendChild(g);
    if (c.retired && p) {
      // a door taken out of the config with a parcel still in it: to the parcel, with the next step
      a.href = "/parcels/" + p.id;
      a.title = (p.tracking_number || "") + " · " + (labels.retired_step || "");
      var n = document.createElement("span"); n.className = "next"; n.textContent = labels.retired_next || ""; a.appendChild(n);
    }
    return a;
  }

  function renderAlarms(list) {
    var box = document.getElementById("alarms");
    if (!box || !list.length) { return; }
    var table = box.querySelector("table");
    if (!table) {
      // first alarm since the page loaded: build the table the server would have sent
      var labels = (box.dataset.heads || "Time|Kind|Compartment").split("|");
      table = document.createElement("table");
      table.className = "data";
      var head = table.createTHead().insertRow();
      labels.forEach(function (l) { var th = document.createElement("th"); th.textContent = l; head.appendChild(th); });
      table.appendChild(document.createElement("tbody"));
      box.replaceChildren(table);
    }
    var tbody = table.tBodies[0];
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    list.forEach(function (a) {
      var tr = document.createElement("tr");
      var name = (a.names && a.names[document.body.dataset.lang || "zh"]) || a.type;
      [a.local || a.ts, name, (a.data && a.data.compartment) || ""].forEach(function (v, i) {
        var td = document.createElement("td");
        if (i === 1) { var b = document.createElement("span"); b.className = "badge b-red"; b.textContent = v; td.appendChild(b); }
        else { td.textContent = v; }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  /** A full snapshot (data.labels present) replaces the grid; a pushed change replaces only its cells. */
  function apply(data) {
    if (data.labels) { labels = data.labels; }
    var grid = document.getElementById("grid");
    if (grid && data.cells) {
      if (data.labels) {
        var frag = document.createDocumentFragment();
        data.cells.forEach(function (c) { frag.appendChild(renderCell(c, labels)); });
        grid.replaceChildren(frag);
      } else {
        data.cells.forEach(function (c) {
          var old = grid.querySelector('[data-id="' + c.id + '"]');
          var cell = renderCell(c, labels);
          if (old) { old.replaceWith(cell); } else { grid.appendChild(cell); }
        });
      }
    }
    Object.keys(data.counts || {}).forEach(function (k) { text(document.querySelector('[data-count="' + k + '"]'), data.counts[k]); });
    Object.keys(data.grades || {}).forEach(function (k) { text(document.querySelector('[data-grade="' + k + '"]'), data.grades[k]); });
    if (data.summary) {
      text(document.getElementById("outbox"), data.cloud && data.cloud.outbox_depth != null ? data.cloud.outbox_depth : data.summary.outbox);
    }
    var cloudState = document.getElementById("cloud-state");
    if (cloudState && data.cloud) {
      var up = !!(data.cloud.connected || data.cloud.online);
      cloudState.className = "badge b-" + (up ? "green" : "red");
      cloudState.textContent = labels[up ? "connected" : "offline"] || (up ? "connected" : "offline");
    }
    text(document.getElementById("updated"), data.now_local || data.now);
    if (data.alarms) { renderAlarms(data.alarms); }
    document.body.dataset.feed = "live";
  }

  function loadFull() {
    return fetch("/api/v1/console/grid", { credentials: "same-origin", headers: { "accept": "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location = "/login?next=" + encodeURIComponent(location.pathname); return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: the stream's reconnect loads it again */ });
  }

  function listen() {
    var es = new EventSource("/api/v1/console/stream");
    // (re)connected: one full snapshot, then only changes
    es.addEventListener("open", function () { loadFull(); });
    es.addEventListener("grid", function (ev) {
      try { apply(JSON.parse(ev.data)); } catch (e) { /* a bad message: the next one repairs it */ }
    });
    es.addEventListener("error", function () { document.body.dataset.feed = "reconnecting"; });
  }

  // A door opens only from its confirm button: Enter in the reason field does nothing.
  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && ev.target.tagName === "INPUT") { ev.preventDefault(); }
      });
      form.addEventListener("submit", function (ev) {
        if (!ev.submitter || ev.submitter.name !== "confirm") { ev.preventDefault(); }
      });
    });
  }

  // Rows of data tables carry their column name, so a phone shows them as labelled cards.
  function labelCells() {
    document.querySelectorAll("table.data").forEach(function (t) {
      var heads = Array.prototype.map.call(t.querySelectorAll("thead th"), function (th) { return th.textContent; });
      t.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) { if (heads[i]) { td.dataset.label = heads[i]; } });
      });
    });
  }

  // Keyboard-wedge scanners type the number then Enter: move on to the next field instead of submitting.
  function scannerFields() {
    document.querySelectorAll("input[data-scan]").forEach(function (input) {
      input.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter") { return; }
        ev.preventDefault();
        var fields = Array.prototype.slice.call(input.form.querySelectorAll("input:not([type=hidden]), select"));
        var next = fields[fields.indexOf(input) + 1];
        if (next) { next.focus(); }
      });
    });
  }

  // The browser's own form messages and date picker follow the browser's language, not the console's
  // (a Chinese console in an English Chromium said "Please fill out this field" and "mm/dd/yyyy"):
  // the console says them in its own words (the body's data-msg-*), and dates are typed year first.
  var DAY = /^(\d{4})\s*[-\/.年]\s*(\d{1,2})\s*[-\/.月]\s*(\d{1,2})\s*日?$/;
  function parseDay(text) {
    var m = DAY.exec(String(text || "").normalize("NFKC").trim());
    if (!m) { return null; }
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
  }
  function words(key, n) { return (document.body.dataset["msg" + key] || "").replace("{n}", n); }
  function whyInvalid(el) {
    var v = el.validity;
    if (v.valueMissing) { return words(el.type === "file" ? "File" : "Required"); }
    if (el.dataset.date !== undefined && el.value && !parseDay(el.value)) { return words("Date"); }
    if (v.patternMismatch) { return el.dataset.format || words("Format"); }
    if (v.badInput || v.typeMismatch) { return words("Number"); }
    if (v.rangeUnderflow) { return words("Min", el.min); }
    if (v.rangeOverflow) { return words("Max", el.max); }
    if (v.stepMismatch) { return words("Step"); }
    if (v.tooLong) { return words("Long", el.maxLength); }
    return "";
  }
  function formWords() {
    document.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.addEventListener("invalid", function () { el.setCustomValidity(""); el.setCustomValidity(whyInvalid(el)); });
      el.addEventListener("input", function () { el.setCustomValidity(""); });
    });
    var lang = document.documentElement.lang || "zh-CN";
    var fmt = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric", weekday: "short", timeZone: "UTC" });
    document.querySelectorAll("input[data-date]").forEach(function (el) {
      var says = el.parentNode.querySelector(".date-says");
      function check() {
        var d = parseDay(el.value);
        if (el.value.trim() && !d) { el.setCustomValidity(words("Date")); } else { el.setCustomValidity(""); }
        if (says) { says.textContent = d ? fmt.format(d) : ""; }
      }
      el.addEventListener("input", check);
      check();
    });
    document.querySelectorAll(".file-field input[type=file]").forEach(function (el) {
      var name = el.parentNode.querySelector(".file-name");
      el.addEventListener("change", function () {
        if (name) { name.textContent = el.files && el.files.length ? el.files[0].name : name.dataset.none; }
      });
    });
  }

  // Phones: the navigation folds behind one "menu" button instead of a tall column of links.
  function menu() {
    var b = document.getElementById("menu-toggle");
    if (!b) { return; }
    b.addEventListener("click", function () {
      var open = document.body.classList.toggle("menu-open");
      b.setAttribute("aria-expanded", String(open));
    });
  }

  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    menu();
    if (document.querySelector("[data-live]") && window.EventSource) { listen(); }
    scannerFields();
    confirmForms();
    labelCells();
    formWords();
  });
})();
