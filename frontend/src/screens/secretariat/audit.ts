// The audit log as sentences, one per action (never raw JSON), with the chain's verification.

import { api, AuditEvent, unwrap } from '../../api'
import { Key, lang, t } from '../../i18n'
import { dateShort } from '../../format'
import { fingerprint, html, Loaded, roleLabel, statusLabel, useLoad } from '../../ui'

export function Audit({ council }: { council: string }) {
  const verify = useLoad(() => unwrap(api.GET('/api/v1/audit/verify')), [])
  const events = useLoad(() => unwrap(api.GET('/api/v1/audit', { params: { query: { council_id: council, limit: 200 } } })), [council])
  const v = verify.data
  return html`<section><h2>${t('sec_tab_audit')}</h2>
    ${v && html`<p class=${v.ok ? 'notice' : 'error'} role="status">${v.ok ? t('audit_verify_ok', { n: v.events }) : t('audit_verify_bad', { seq: v.first_bad_event ?? '', problem: v.problem ?? '' })}</p>`}
    <${Loaded} state=${events}>${(evs: AuditEvent[]) => evs.length === 0 ? html`<p class="empty">${t('audit_none')}</p>` : html`<div class="table-wrap"><table class="audit">
      <thead><tr><th scope="col">${t('audit_seq')}</th><th scope="col">${t('audit_when')}</th><th scope="col">${t('audit_who')}</th><th scope="col">${t('audit_what')}</th></tr></thead>
      <tbody>${[...evs].reverse().map((ev) => html`<tr><td>${ev.seq}</td><td>${new Date(ev.at).toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB')}</td><td>${ev.actor_name}</td>
        <td>${auditSentence(ev)}</td></tr>`)}</tbody></table></div>`}<//></section>`
}

type Summary = Record<string, unknown>

function parse(summary: string): Summary {
  try {
    const v: unknown = JSON.parse(summary)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Summary) : {}
  } catch {
    return {}
  }
}

const STATUSES = ['draft', 'open', 'closed', 'certified', 'published', 'cancelled']
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)

/** A value as people read it: dates day first, yes/no, lists counted, hashes as fingerprints. */
function show(k: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no')
  if (typeof v === 'number') return String(v)
  if (typeof v === 'string') {
    if (isDate(v)) return dateShort(v)
    if (/hash$/.test(k) && /^[0-9a-f]{64}$/.test(v)) return fingerprint(v)
    if (k === 'role') return roleLabel(v)
    if (STATUSES.includes(v)) return statusLabel(v)
    if (k === 'base' || k === 'percentage_base') return t(v === 'ballots_received' ? 'sec_base_received' : v === 'total_delegates' ? 'sec_base_total' : 'label_unknown')
    return v
  }
  if (Array.isArray(v)) return t('audit_items', { n: v.length })
  return '…'
}

/** The label of a summary key, from the field labels; a key without one is left out. */
function keyLabel(k: string): string | null {
  const key = ('field_' + k) as Key
  const s = t(key)
  return s === key ? null : s
}

/** One sentence for an audit event: the action's own sentence with the summary's facts, then the
 * other labelled facts ("Họ và tên: A → B" for a change). */
export function auditSentence(ev: AuditEvent): string {
  const s = parse(ev.summary)
  const params: Record<string, string> = {}
  for (const [k, v] of Object.entries(s)) params[k] = show(k, v)
  const key = ('audit_say_' + ev.action.replace(/\./g, '_')) as Key
  let sentence = t(key, params)
  if (sentence === key) sentence = t('audit_say_other')
  sentence = sentence.replace(/\{[a-z_]+\}/g, '…')
  // Facts the sentence did not use, when they have a label (the changes of an edit, mostly).
  const used = new Set(Array.from(t(key).matchAll(/\{([a-z_]+)\}/g), (m) => m[1]))
  const rest = Object.entries(s).filter(([k]) => !used.has(k)).map(([k, v]) => {
    const label = keyLabel(k)
    if (!label) return ''
    if (v && typeof v === 'object' && !Array.isArray(v) && 'to' in (v as Summary)) {
      const c = v as { from?: unknown; to?: unknown }
      return `${label}: ${show(k, c.from)} → ${show(k, c.to)}`
    }
    return `${label}: ${show(k, v)}`
  }).filter(Boolean)
  return rest.length > 0 ? `${sentence} (${rest.join('; ')})` : sentence
}
