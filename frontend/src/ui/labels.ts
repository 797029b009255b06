// No internal identifier reaches a person: statuses, levels, bands, flags, steps and roles are
// labelled from the catalogues; rule sets by their names from the API; hashes as a short fingerprint.

import { html } from 'htm/preact'
import { api, RuleSet, unwrap } from '../api'
import { Key, t } from '../i18n'
import { useLoad } from './load'

/** The catalogue's label for prefix+id, or a neutral word when the catalogue has none (never the id). */
function label(prefix: string, id: string, fallback: Key = 'label_unknown'): string {
  const key = (prefix + id) as Key
  const s = t(key)
  return s === key ? t(fallback) : s
}

export const levelLabel = (l: string) => label('level_', l)
export const statusLabel = (s: string) => label('status_', s)
export const bandLabel = (b: string) => (b === 'none' ? '' : label('band_', b))
export const flagLabel = (f: string) => label('flag_', f)
export const stepLabel = (s: string) => label('step_', s, 'step_other')
export const whoLabel = (w: string) => label('who_', w)
export const roleLabel = (r: string) => label('role_', r)
export const boardRoleLabel = (r: string) => label('board_role_', r)
export const reasonLabel = (r: string) => label('reason_', r)
export const kindLabel = (k: string) => label('kind_', k)

/** A tally hash as people compare it: the first 12 hex digits in groups of four, "3F2A-9C1B-04DE". */
export function fingerprint(hash: string | undefined | null): string {
  if (!hash) return ''
  return hash.slice(0, 12).toUpperCase().match(/.{1,4}/g)!.join('-')
}

/** The fingerprint with its explanation. */
export function Fingerprint({ hash }: { hash: string | undefined | null }) {
  if (!hash) return null
  return html`<p class="fingerprint"><span>${t('fingerprint_label')}</span> <strong class="fp" title=${hash}>${fingerprint(hash)}</strong><br />
    <small>${t('fingerprint_explain')}</small></p>`
}

let ruleSets: Promise<RuleSet[]> | null = null
/** The rule sets, loaded once per page. */
export function loadRuleSets(): Promise<RuleSet[]> {
  if (!ruleSets) {
    // The path's schema says "object"; the items are the generated RuleSet schema (rules.RuleSet).
    ruleSets = unwrap(api.GET('/api/v1/rule-sets')).then((r) => r as unknown as RuleSet[])
    ruleSets.catch(() => { ruleSets = null })
  }
  return ruleSets
}

export function useRuleSets() {
  return useLoad(loadRuleSets, [])
}

/** A rule set's name ("Nghị quyết 96/2023/QH15"), never its id. */
export function RuleSetName({ id }: { id: string }) {
  const rs = useRuleSets()
  const r = rs.data?.find((x) => x.id === id)
  return html`<span>${r ? r.name : rs.error ? t('label_unknown') : '…'}</span>`
}
