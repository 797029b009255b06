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

/**
 * The label of an error envelope's field name: "line 4: positions[1].elected_on" reads
 * "Dòng 4: Chức vụ 2 — Ngày bầu/phê chuẩn". A name without a label is shown as it is.
 */
export function fieldLabel(field: string): string {
  const m = /^line (\d+)(?::\s*(.*))?$/.exec(field)
  const rest = m ? (m[2] ?? '') : field
  const parts = rest.split('.').filter(Boolean).map((seg) => {
    const s = /^([a-z_]+)(?:\[(\d+)\])?$/.exec(seg)
    if (!s) return seg
    const key = ('field_' + s[1]) as Key
    const label = key in catalogues.vi ? t(key) : s[1]
    return s[2] === undefined ? label : `${label} ${Number(s[2]) + 1}`
  })
  const text = parts.join(' — ')
  return m ? (text ? `${t('field_line', { n: m[1] })}: ${text}` : t('field_line', { n: m[1] })) : text
}
