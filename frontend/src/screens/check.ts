// The delegate's check of a kiosk ("Kiểm tra máy", docs/PROTOCOL.md §9), on their own phone: the
// reveal QR code the kiosk showed is scanned (camera or photo) or pasted, the ballot is rebuilt here
// from its seed and choices, and its hash compared with the tracking code the kiosk showed. Nothing
// is sent: after the page has loaded (with the public list of votes in progress, for the names) it
// makes no request at all, and works offline. It shows whether the kiosk encrypted what it says, the
// vote fingerprint (to compare with the one posted in the hall), the tracking code (to compare with
// the kiosk's screen) and, row by row, the chosen level.

import { useEffect, useRef, useState } from 'preact/hooks'
import type { Schemas } from '../api'
import { t } from '../i18n'
import { ProtocolError, checkReveal, equalBytes, fingerprint80, revealFromJSON, subjectsHash, voteFingerprint } from '../protocol'
import { html, levelLabel, protocolText } from '../ui'
import { Scanner } from './kiosk/scan'

type CurrentVote = Schemas['CurrentVote']

export interface CheckResult {
  ok: boolean
  problem: string // when not ok
  voteFingerprint: string
  tracking: string
  rows: { name: string; level: string | null }[] // level null: blank row
  named: boolean // names from the public list (checked against the subjects hash)
  title: string
}

/** The levels of a vote with k levels, in ballot order (3: confidence; 2: no-confidence). */
const levelsFor = (k: number, kind?: string): string[] =>
  kind === 'no_confidence' || k === 2 ? ['trust', 'no_trust'] : ['high', 'medium', 'low'].slice(0, k)

/** What failed, in the page's language: the check named (field and what is wrong); nothing else is shown. */
const why = (e: unknown): string => (e instanceof ProtocolError ? ' (' + protocolText(e) + ')' : '')

/** Checks a reveal's text; names the rows from a vote in progress whose subjects hash matches. */
export function checkRevealText(text: string, votes: CurrentVote[]): CheckResult {
  let j: unknown
  try {
    j = JSON.parse(text.trim())
  } catch {
    return { ok: false, problem: t('chk_not_reveal'), voteFingerprint: '', tracking: '', rows: [], named: false, title: '' }
  }
  let r
  try {
    r = revealFromJSON(j)
  } catch (e) {
    return { ok: false, problem: t('chk_not_reveal') + why(e), voteFingerprint: '', tracking: '', rows: [], named: false, title: '' }
  }
  const vote = votes.find((v) => v.id === r.manifest.voteId && equalBytes(subjectsHash(v.subjects.map((s) => s.official_id)), r.manifest.subjectsHash))
  const levels = levelsFor(r.manifest.levels, vote?.kind)
  const base = {
    voteFingerprint: voteFingerprint(r.manifest),
    tracking: fingerprint80(r.trackingCode),
    rows: r.options.map((o, i) => ({ name: vote ? vote.subjects[i].full_name : t('chk_row', { n: i + 1 }), level: o === 0 ? null : levels[o - 1] ?? String(o) })),
    named: !!vote,
    title: vote?.title ?? '',
  }
  try {
    checkReveal(r)
    return { ok: true, problem: '', ...base }
  } catch (e) {
    return { ok: false, problem: t('chk_mismatch') + why(e), ...base }
  }
}

export function Check() {
  const [votes, setVotes] = useState<CurrentVote[]>([])
  const [text, setText] = useState('')
  const [scanning, setScanning] = useState(false)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<CheckResult | null>(null)
  // The only request of this page: the public list of votes in progress, for the names. Offline, the
  // rows are shown by number.
  useEffect(() => {
    fetch('/api/v1/public/current-votes').then((r) => (r.ok ? r.json() : []), () => []).then((v: CurrentVote[]) => setVotes(Array.isArray(v) ? v : []), () => {})
  }, [])
  const verify = (s: string) => {
    setBusy(true)
    setResult(null)
    // Let "checking…" show before the work (about a second on a phone for 50 rows).
    setTimeout(() => {
      setResult(checkRevealText(s, votes))
      setBusy(false)
    }, 30)
  }
  return html`<section class="check-page narrow" aria-labelledby="chk-h">
    <h1 id="chk-h">${t('chk_title')}</h1>
    <p>${t('chk_intro')}</p>
    <p class="notice">${t('chk_offline')}</p>
    <div class="actions"><button type="button" class="primary big" aria-expanded=${scanning} onClick=${() => setScanning(!scanning)}>${t('chk_scan')}</button></div>
    ${scanning && html`<${Scanner} onCode=${(s: string) => { setScanning(false); setText(s); verify(s) }} onClose=${() => setScanning(false)} />`}
    <form onSubmit=${(e: Event) => { e.preventDefault(); verify(text) }}>
      <div class="field"><label for="chk-text">${t('chk_paste')}</label>
        <textarea id="chk-text" rows="4" spellcheck=${false} autocomplete="off" value=${text} onInput=${(e: Event) => setText((e.currentTarget as HTMLTextAreaElement).value)}></textarea></div>
      <button type="submit" class="big" disabled=${busy || !text.trim()}>${t('chk_run')}</button>
    </form>
    ${busy && html`<p role="status">${t('chk_running')}</p>`}
    ${result && html`<${Result} r=${result} />`}
  </section>`
}

function Result({ r }: { r: CheckResult }) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => { ref.current?.focus(); ref.current?.scrollIntoView?.({ block: 'start' }) }, [r])
  return html`<section ref=${ref} tabindex="-1" class=${'card chk-result ' + (r.ok ? 'good' : 'bad')} aria-labelledby="chk-res-h" role="status">
    <h2 id="chk-res-h">${r.ok ? t('chk_ok') : t('chk_bad')}</h2>
    ${r.ok ? html`<p>${t('chk_ok_explain')}</p>` : html`<p>${r.problem}</p>`}
    ${r.voteFingerprint && html`<dl class="chk-codes">
      <div><dt>${t('chk_vote_fp')}</dt><dd class="fp" data-testid="chk-vote-fp">${r.voteFingerprint}</dd><dd><small>${t('chk_vote_fp_hint')}</small></dd></div>
      <div><dt>${t('chk_tracking')}</dt><dd class="fp" data-testid="chk-tracking">${r.tracking}</dd><dd><small>${t('chk_tracking_hint')}</small></dd></div>
    </dl>`}
    ${r.rows.length > 0 && html`<h3>${r.title || t('chk_choices')}</h3>
      ${!r.named && html`<p><small>${t('chk_no_names')}</small></p>`}
      <table class="chk-rows"><thead><tr><th scope="col">${t('col_name')}</th><th scope="col">${t('kiosk_choice')}</th></tr></thead>
        <tbody>${r.rows.map((row) => html`<tr><th scope="row">${row.name}</th><td class=${row.level ? '' : 'blank'}>${row.level ? levelLabel(row.level) : t('kiosk_row_blank')}</td></tr>`)}</tbody></table>`}
    <p>${t('chk_after')}</p>
  </section>`
}
