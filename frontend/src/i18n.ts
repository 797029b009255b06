// Every string of the UI, in one catalogue per language. Vietnamese is the default; English by the
// visible switch. The choice lasts for the page (never stored: a kiosk keeps nothing).

import { vi } from './i18n.vi'
import { en } from './i18n.en'

export type Lang = 'vi' | 'en'
export type Key = keyof typeof vi

const catalogues: Record<Lang, Record<Key, string>> = { vi, en }
let current: Lang = 'vi'
const listeners = new Set<() => void>()

export function lang(): Lang {
  return current
}

export function setLang(l: Lang) {
  current = l
  document.documentElement.lang = l
  listeners.forEach((f) => f())
}

export function onLangChange(f: () => void): () => void {
  listeners.add(f)
  return () => listeners.delete(f)
}

/** The text of key in the current language, with {name} placeholders filled. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  let s = catalogues[current][key] ?? catalogues.vi[key] ?? key
  for (const [k, v] of Object.entries(params)) s = s.split('{' + k + '}').join(String(v))
  return s
}

export const catalogueKeys = { vi: Object.keys(vi), en: Object.keys(en) }
