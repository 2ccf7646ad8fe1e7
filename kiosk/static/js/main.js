// Kiosk boot: site info, language, screen switching, the idle timeout and the keyboard-wedge input.
import { api } from "./api.js";
import { LANGUAGES, language, nextLanguage, setLanguage, setLanguages } from "./i18n.js";
import * as stream from "./stream.js";
import { relabel, setT } from "./ui.js";
import { SCREENS } from "./screens/index.js";
import { closeHelp, helpOpen, openHelp } from "./help.js";

const params = new URLSearchParams(location.search);
const IDLE_S = clampNumber(params.get("idle"), 2, 3600, 60);

const ctx = {
  info: { site: { name: "", contact: "", locale: "zh-CN" }, free: {}, code_length: 0, pickup_qr: false, scanner: true, simulated: false },
  defaultLanguage: "zh-CN",
  lowDoor: false,
  courier: null, // {token, courier, expires_at}
  idleSeconds: IDLE_S,
  go,
  refreshInfo,
};

let current = null; // {name, screen}
let idleTimer = null;
let idleTick = null;
let idleLeft = 0;

function clampNumber(raw, lo, hi, dflt) {
  const n = Number(raw);
  return raw !== null && Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : dflt;
}

async function refreshInfo() {
  const r = await api("GET", "/info");
  if (r.ok && r.data && r.data.site) {
    ctx.info = r.data;
    showSiteName();
  }
  return ctx.info;
}

/** The site's name in the bar and the title, in the kiosk's language (`[site].name_en` in English when set). */
function showSiteName() {
  const site = (ctx.info && ctx.info.site) || {};
  const name = (language() === "en" && site.name_en) || (language() === "zh-HK" && site.name_hk) || site.name || "";
  document.getElementById("site-name").textContent = name;
  if (name) document.title = name;
}

/** The daemon was not ready when the page loaded: ask again until it answers (the code length matters). */
function retryInfo() {
  setTimeout(async () => {
    const info = await refreshInfo();
    if (!info.site.name) return retryInfo();
    if (current && current.name === "home") go("home");
  }, 5000);
}

/** Show screen `name`; the screen modules return {el, onKey?, onScan?, onDoor?, leave?, idle?}. */
function go(name, args = {}) {
  closeHelp();
  if (current && current.screen.leave) current.screen.leave();
  const make = SCREENS[name] || SCREENS.home;
  const screen = make(ctx, args);
  current = { name, screen };
  const main = document.getElementById("screen");
  main.replaceChildren(screen.el);
  main.dataset.screen = name;
  document.body.dataset.screen = name;
  document.getElementById("btn-home").hidden = name === "home";
  if (name === "home" && ctx.courier) {
    // back at the start: the courier is signed out here and on the locker
    api("DELETE", "/courier/session", undefined, ctx.courier.token);
    ctx.courier = null;
  }
  resetIdle();
  const focus = screen.el.querySelector("[data-autofocus]");
  if (focus) focus.focus();
}

function resetIdle() {
  clearTimeout(idleTimer);
  clearInterval(idleTick);
  document.getElementById("idle-warn").hidden = true;
  if (!current || (current.name === "home" && !helpOpen())) return;
  const mode = current.name === "home" ? "short" : current.screen.idle || "short";
  if (mode === "none") return;
  const total = (mode === "long" ? 5 : 1) * ctx.idleSeconds;
  const warnAt = Math.max(1, Math.min(10, Math.floor(total / 3)));
  idleTimer = setTimeout(() => {
    idleLeft = warnAt;
    showIdleWarning();
    idleTick = setInterval(() => {
      idleLeft -= 1;
      if (idleLeft <= 0) return goHome(true);
      showIdleWarning();
    }, 1000);
  }, (total - warnAt) * 1000);
}

function showIdleWarning() {
  const el = document.getElementById("idle-warn");
  setT(el, "idle.warning", { n: idleLeft });
  el.hidden = false;
}

function goHome(fromIdle = false) {
  if (fromIdle) {
    setLanguage(ctx.defaultLanguage);
    ctx.lowDoor = false;
    relabelAll();
  }
  go("home");
}

function relabelAll() {
  relabel(document);
  showSiteName();
  const next = nextLanguage();
  const b = document.getElementById("btn-lang");
  b.textContent = next.label;
  b.lang = next.code;
  b.dataset.testid = "lang-switch";
}

/** Keys from a touch-less keyboard or a keyboard-wedge scanner (keystrokes then Enter). */
function onKeyDown(e) {
  if (e.ctrlKey || e.altKey || e.metaKey) return;
  let key = e.key;
  if (key === "Tab") return;
  if (key === "Enter" || key === "Backspace" || key === "Escape" || key.length === 1) {
    resetIdle();
    if (helpOpen()) {
      if (key === "Escape") closeHelp();
      return;
    }
    // A scanner's Enter must never "click" whichever button was tapped last.
    if (key === "Enter" || key === " " || (current && current.screen.onKey)) e.preventDefault();
    if (current && current.screen.onKey) current.screen.onKey(key);
  }
}

async function boot() {
  document.addEventListener("keydown", onKeyDown);
  for (const ev of ["pointerdown", "touchstart"]) {
    document.addEventListener(ev, resetIdle, { passive: true });
  }
  document.addEventListener("contextmenu", (e) => e.preventDefault());
  document.getElementById("btn-home").addEventListener("click", () => goHome());
  document.getElementById("btn-help").addEventListener("click", () => {
    openHelp(ctx.info);
    resetIdle();
  });
  document.getElementById("btn-lang").addEventListener("click", () => {
    setLanguage(nextLanguage().code);
    relabelAll();
  });
  document.getElementById("btn-home").dataset.testid = "home";
  document.getElementById("btn-help").dataset.testid = "help";
  if (!(await refreshInfo()).site.name) retryInfo();
  // free doors and whether the desk is staffed now change during the day: asked again every minute
  setInterval(refreshInfo, 60_000);
  // the site's languages (site.languages; 繁體 at a Hong Kong site), the first the default
  await setLanguages(ctx.info.site.languages);
  const wanted = params.get("lang") || (ctx.info.site.languages || [])[0] || ctx.info.site.locale || "zh-CN";
  ctx.defaultLanguage = LANGUAGES.some((l) => l.code === wanted) ? wanted : LANGUAGES[0].code;
  setLanguage(ctx.defaultLanguage);
  showSiteName();
  stream.on("scan", (d) => {
    resetIdle();
    if (current && current.screen.onScan && d && typeof d.text === "string") current.screen.onScan(d.text);
  });
  stream.on("scan_rejected", () => {
    resetIdle();
    if (current && current.screen.onScanRejected) current.screen.onScanRejected();
  });
  stream.on("alarm", (d) => {
    if (current && current.screen.onAlarm && d && d.compartment) current.screen.onAlarm(d.kind, d.compartment);
  });
  stream.on("door", (d) => {
    if (current && current.screen.onDoor && d && d.compartment) current.screen.onDoor(d.compartment, d.door, d.record);
  });
  stream.on("status", (up) => {
    document.body.dataset.stream = up ? "up" : "down";
  });
  stream.connect();
  relabelAll();
  go("home");
  document.body.dataset.ready = language();
}

boot();
