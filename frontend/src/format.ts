import type { Lang } from './i18n'

/** An API percentage ("53.19") as shown: "53,19" in Vietnamese, "53.19" in English. */
export function percent(p: string, lang: Lang): string {
  return lang === 'vi' ? p.replace('.', ',') : p
}

/** A YYYY-MM-DD date as "05/12/2028". */
export function dateShort(d: string | null | undefined): string {
  if (!d) return ''
  const [y, m, day] = d.split('-')
  return `${day}/${m}/${y}`
}

/** Sorts names the Vietnamese way: by given name (last word), then whole name. */
export function byVietnameseName<T>(items: T[], name: (x: T) => string): T[] {
  const coll = new Intl.Collator('vi')
  const given = (s: string) => s.trim().split(/\s+/).pop() ?? s
  return [...items].sort((a, b) => coll.compare(given(name(a)), given(name(b))) || coll.compare(name(a), name(b)))
}

/** Today in the user's own time zone, as YYYY-MM-DD (toISOString would give UTC's day). */
export function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
