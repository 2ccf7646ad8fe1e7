// Languages: one dictionary module per language in ../i18n/<code>.js (a default export of key -> text).
// To add a language: write its dictionary and add it to LANGUAGES; keys missing there fall back to English.
import zh from "../i18n/zh-CN.js";
import en from "../i18n/en.js";

export const LANGUAGES = [
  { code: "zh-CN", label: "中文", dict: zh },
  { code: "en", label: "English", dict: en },
];

let current = LANGUAGES[0];

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

/** Translate `key`, filling {name} placeholders from `params`; `n` === 1 picks "<key>.one" when present. */
export function t(key, params = {}) {
  const one = params.n === 1 ? key + ".one" : null;
  let text = (one && current.dict[one]) ?? current.dict[key];
  if (text === undefined) text = (one && en[one]) ?? en[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Does the dictionary know `key` (in the current language or the English fallback)? */
export function has(key) {
  return key in current.dict || key in en;
}

/** Fill every element carrying data-i18n="key" with its text. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}
