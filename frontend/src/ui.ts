import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiError, Turnout, request } from './api'
import { fieldLabel, Key, lang, t } from './i18n'
import { percent } from './format'

export { html }

/** An error as the user reads it: the server's message and each field's. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null
  const e = error as ApiError
  const message = e instanceof ApiError ? e.message : t('error_network')
  const fields = e instanceof ApiError ? Object.entries(e.fields) : []
  return html`<div class="error" role="alert">
    <p>${message}</p>
    ${fields.length > 0 && html`<ul>${fields.map(([f, m]) => html`<li><strong>${fieldLabel(f)}</strong>: ${m}</li>`)}</ul>`}
  </div>`
}

export function Notice({ text }: { text: string }) {
  return text ? html`<p class="notice" role="status">${text}</p>` : null
}

/** Loads data from the API, again whenever deps change; reload() loads it again. */
export function useApi<T>(path: string | null, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [n, setN] = useState(0)
  useEffect(() => {
    if (!path) return
    let live = true
    setError(null)
    request<T>(path).then((d) => live && setData(d), (e) => live && setError(e))
    return () => {
      live = false
    }
  }, [path, n, ...deps])
  return { data, error, reload: () => setN((x) => x + 1), setData }
}

export const levelLabel = (l: string) => t(('level_' + l) as Key)
export const statusLabel = (s: string) => t(('status_' + s) as Key)
export const bandLabel = (b: string) => t(('band_' + b) as Key)
export const flagLabel = (f: string) => t(('flag_' + f) as Key)

export function TurnoutPanel({ turnout, big = false }: { turnout: Turnout; big?: boolean }) {
  const items: [Key, number][] = [
    ['turnout_total', turnout.total_delegates],
    ['turnout_issued', turnout.ballots_issued],
    ['turnout_cast', turnout.ballots_cast],
  ]
  if (!big) items.push(['turnout_codes', turnout.codes_generated], ['turnout_voided', turnout.codes_voided])
  return html`<dl class=${big ? 'turnout big' : 'turnout'} aria-live="polite">
    ${items.map(([k, v]) => html`<div><dt>${t(k)}</dt><dd>${v}</dd></div>`)}
  </dl>`
}

/** A tally (or published results) as a table, with a decimal comma in Vietnamese. */
export function ResultsTable({ tally }: { tally: { kind: string; subjects: any[]; percentage_base: string; base_value: number } }) {
  const levels = tally.kind === 'no_confidence' ? ['trust', 'no_trust'] : ['high', 'medium', 'low']
  const l = lang()
  return html`<div class="table-wrap"><table class="results">
    <caption>${t(tally.percentage_base === 'ballots_received' ? 'base_ballots_received' : 'base_total_delegates', { n: tally.base_value })}</caption>
    <thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('col_name')}</th><th scope="col">${t('col_valid')}</th>
      ${levels.map((lv) => html`<th scope="col">${levelLabel(lv)}</th>`)}<th scope="col">${t('col_note')}</th></tr></thead>
    <tbody>${tally.subjects.map((s: any, i: number) => html`<tr>
      <td>${i + 1}</td>
      <th scope="row"><span class="name">${s.full_name}</span><br /><span class="post">${s.positions.map((p: any) => p.title).join('; ')}</span></th>
      <td>${s.rated}</td>
      ${levels.map((lv) => html`<td class="num">${s.counts[lv]}<br /><span class="pct">${percent(s.percentages[lv], l)}%</span></td>`)}
      <td>${[s.band !== 'none' ? bandLabel(s.band) : '', ...s.flags.map(flagLabel)].filter(Boolean).join('; ')}</td>
    </tr>`)}</tbody>
  </table></div>`
}

export function Field({ id, label, children, hint }: { id: string; label: string; children: any; hint?: string }) {
  return html`<div class="field"><label for=${id}>${label}</label>${children}${hint && html`<small id=${id + '-hint'}>${hint}</small>`}</div>`
}
