// Languages: one dictionary module per language in ../i18n/<code>.js (a default export of key -> text).
// To add a language: write its dictionary and add it to LANGUAGES; keys missing there fall back to English.
import zh from "../i18n/zh-CN.js";
import en from "../i18n/en.js";
// the one glossary shared with the staff console (edge/glossary.py): places, carriers, states
import glossary from "/kiosk/glossary.js";

const ALL = [
  { code: "zh-CN", label: "中文", dict: zh },
  { code: "en", label: "English", dict: en },
  // 繁體中文 (Hong Kong): zh-CN.js converted by the daemon (/kiosk/i18n/zh-HK.js, ADR 0050), loaded by setLanguages
  { code: "zh-HK", label: "繁體", dict: null },
];

/** The languages this site offers, the first its default (/info site.languages): zh-CN and en unless it says. */
export const LANGUAGES = ALL.slice(0, 2);

let current = LANGUAGES[0];

/** Offer the site's languages (codes from /info), in its order; with both Chinese scripts, 简体 and 繁體. The 繁體
 *  dictionary is fetched only by a site that offers it (the others load nothing more). */
export async function setLanguages(codes) {
  let list = (codes || []).map((c) => ALL.find((l) => l.code === c)).filter(Boolean);
  if (!list.length) return;
  const hk = ALL[2];
  if (list.includes(hk) && !hk.dict) {
    try {
      hk.dict = (await import("/kiosk/i18n/zh-HK.js")).default;
    } catch (e) {
      list = list.filter((l) => l !== hk); // not reachable now: 简体 and English still work
      if (!list.length) return;
    }
  }
  LANGUAGES.splice(0, LANGUAGES.length, ...list);
  const both = list.some((l) => l.code === "zh-HK") && list.some((l) => l.code === "zh-CN");
  ALL[0].label = both ? "简体" : "中文";
  if (!LANGUAGES.includes(current)) current = LANGUAGES[0];
}

export function setLanguage(code) {
  current = LANGUAGES.find((l) => l.code === code) || LANGUAGES[0];
  document.documentElement.lang = current.code;
  return current.code;
}

export function language() {
  return current.code;
}

/** The language after the current one, for the switch button. */
export function nextLanguage() {
  const i = LANGUAGES.indexOf(current);
  return LANGUAGES[(i + 1) % LANGUAGES.length];
}

function words() {
  return glossary[current.code] || glossary.en || {};
}

/** A glossary word ("place.desk", "carrier.SF"), in the current language. */
export function g(key) {
  return words()[key] ?? (glossary.en || {})[key];
}

/** A courier company as the glossary names it in this language ("SF Express" -> 顺丰速运). */
export function carrierName(company) {
  if (!company) return "";
  const gen = glossary.en || {};
  for (const [k, v] of Object.entries(gen)) {
    if (k.startsWith("carrier.") && (v === company || k === "carrier." + company)) return g(k) || company;
  }
  const zh = glossary["zh-CN"] || {};
  for (const [k, v] of Object.entries(zh)) {
    if (k.startsWith("carrier.") && v === company) return g(k) || company;
  }
  return company;
}

/** Translate `key`, filling {name} placeholders from `params` (else the glossary's place.<name>, e.g. {desk});
 *  a parameter given as {company, who} is a courier, named in the current language at each relabel
 *  ("顺丰速运 · 王师傅" / "SF Express · 王师傅"); an array is a list, joined with "、" or ", "; `n` === 1 picks
 *  "<key>.one" when present. */
export function t(key, params = {}) {
  const one = params.n === 1 ? key + ".one" : null;
  let text = (one && current.dict[one]) ?? current.dict[key];
  if (text === undefined) text = (one && en[one]) ?? en[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => {
    if (name in params) {
      const v = params[name];
      // a list ("A-01", "A-02") is joined at each relabel, in the language's way: "A-01、A-02" / "A-01, A-02"
      if (Array.isArray(v)) return v.join(current.code.startsWith("zh") ? "、" : ", ");
      if (v && typeof v === "object" && v.desk) return deskText(v.desk);
      if (v && typeof v === "object") return [carrierName(v.company), v.who].filter(Boolean).join(" · ");
      return String(v);
    }
    const w = g("place." + name);
    return w === undefined ? m : w;
  });
}

const WEEKDAYS_ZH = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
const WEEKDAYS_HK = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
const WEEKDAYS_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A local date "2026-12-08" as the kiosk says a day: "12月8日（周二）" / "Tuesday 8 Dec". */
export function dayText(iso) {
  const [y, m, d] = String(iso).split("-").map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const zhDays = current.code === "zh-HK" ? WEEKDAYS_HK : WEEKDAYS_ZH;
  return current.code.startsWith("zh") ? `${m}月${d}日（${zhDays[wd]}）` : `${WEEKDAYS_EN[wd]} ${d} ${MONTHS_EN[m - 1]}`;
}

/** When the closed desk opens: "08:00" later today or tomorrow morning; the day named on a rest day or after
 *  tomorrow (/info desk_now, edge/web/kiosk_api.py). "" when the desk is open. */
function closedText(d) {
  if (d.open !== false || !d.opens) return "";
  if (d.rest_day) return t("desk.closed_today", { day: dayText(d.opens_on), opens: d.opens });
  if (d.opens_on) return t("desk.closed_now_day", { day: dayText(d.opens_on), opens: d.opens });
  return t("desk.closed_now", { opens: d.opens });
}

function deskText(d) {
  const zh = current.code.startsWith("zh");
  const place = zh ? (current.code === "zh-HK" && d.place_hk) || d.place || d.place_en : d.place_en || d.place;
  // the hours and the phone number never break at a hyphen ("010-5555-" above "0100"): word joiners
  const keep = (s) => String(s || "").replace(/-/g, "-\u2060");
  // the desk keeps its hours on working days only unless the site says otherwise (site.desk_open_on_rest_days)
  const hours = d.hours && d.working_days_only ? t("desk.hours_working_days", { hours: keep(d.hours) }) : keep(d.hours);
  const parts = [place, hours, keep(d.phone)].filter(Boolean);
  if (!parts.length) return "";
  // outside the desk's hours the kiosk says so, rather than send someone to a closed desk (trial 2026-12-05)
  const closed = closedText(d);
  return zh ? "（" + parts.join("，") + (closed ? "；" + closed : "") + "）"
    : " (" + parts.join(", ") + (closed ? "; " + closed : "") + ")";
}

/** Does the dictionary know `key` (in the current language or the English fallback)? */
export function has(key) {
  return key in current.dict || key in en;
}

/** Fill every element carrying data-i18n="key" with its text. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}
