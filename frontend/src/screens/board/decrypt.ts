// After the close of an encrypted vote: each member opens their key file and decrypts their part
// of the encrypted sums (docs/PROTOCOL.md §11.2) in the worker, with progress; the server checks each
// proof and combines the parts once the threshold is reached. Only the sums are ever decrypted.
//
// Before decrypting, the member's browser checks the sums (§11.2, "Before decrypting"): it reads
// every cast ballot, the credential lists, the ceremony and the sealed paper totals
// (GET /votes/{id}/encrypted-ballots), and the worker recomputes the sums from them (workers/sums.ts).
// Only when they are the sums the server asks it to decrypt does it decrypt — those very sums. Else
// it refuses, naming the first ballot or row that fails: a server that put one ballot's ciphertext in
// place of a row's sum would have had the board open that ballot.

import { useState } from 'preact/hooks'
import { api, unwrap } from '../../api'
import { t } from '../../i18n'
import type { ShareKey } from '../../protocol'
import { Feedback, html, useAction } from '../../ui'
import { keyToWire, run } from '../../workers'
import type { SumsFailure, SumsKey } from '../../workers/sums'
import { ProgressBar } from '../kiosk/progress'
import type { Part } from './index'
import { OpenKeyFile, forgetKey, message, useShareKey } from './sharefile'

/** The public part of an opened key file, which the check trusts the ceremony by. */
export const sumsKeyOf = (k: ShareKey): SumsKey => ({
  ceremony_id: k.ceremonyId, identifier: k.identifier, verifying_share: k.verifyingShare.hex, group_key: k.groupKey.hex, fingerprint: k.fingerprint,
})

/** What the member reads when the check refuses: the first failing ballot or row, then where. */
export function refusalLines(f: SumsFailure, subjects: string[]): string[] {
  const lines = [t('dec_refused')]
  switch (f.step) {
    case 'row':
      lines.push(t('dec_refused_row', { row: f.row ?? '?', name: subjects[(f.row ?? 0) - 1] ?? '?' }))
      break
    case 'ballot': {
      const why = t(`dec_why_${f.reason ?? 'invalid'}` as Parameters<typeof t>[0], { other: f.other ?? '?' })
      lines.push(t('dec_refused_ballot', { i: f.ballot ?? '?', code: f.tracking ?? '?', why }))
      break
    }
    case 'count':
      lines.push(t('dec_refused_count', { got: f.got ?? '?', want: f.want ?? '?' }))
      break
    case 'paper':
      lines.push(t('dec_refused_paper'))
      break
    case 'ceremony':
      lines.push(t('dec_refused_ceremony'))
      break
    case 'credentials':
      lines.push(t('dec_refused_credentials'))
      break
    case 'sums_hash':
      lines.push(t('dec_refused_hash'))
      break
    default:
      lines.push(t('dec_refused_answer'))
  }
  if (f.field) lines.push(t('dec_refused_where', { field: f.field }))
  return lines
}

export function Decrypt({ vote, me, update }: Part) {
  const e = vote.encryption
  const id = vote.ceremony_id ?? ''
  const key = useShareKey(id)
  const a = useAction()
  const [stage, setStage] = useState<'check' | 'decrypt' | null>(null)
  const [progress, setProgress] = useState(0)
  const [checked, setChecked] = useState('')
  const [refused, setRefused] = useState<string[] | null>(null)
  if (!e) return null
  const names = (ids: string[]) => ids.map((u) => vote.board.find((m) => m.user_id === u)?.full_name ?? u)
  const mineDone = e.partials.includes(me.id)
  const member = vote.board.some((m) => m.user_id === me.id)
  const paperFirst = !!vote.paper && !vote.paper.sealed
  const decrypt = () => a.run(async () => {
    if (!key) return
    const sums = e.sums // the sums checked are the sums decrypted
    setRefused(null)
    setChecked('')
    try {
      setStage('check')
      setProgress(0)
      const answer = await unwrap(api.GET('/api/v1/votes/{id}/encrypted-ballots', { params: { path: { id: vote.id } } }))
      const r = await run({ kind: 'sums', check: { voteId: vote.id, manifest: e.manifest, sums, cast: vote.turnout.ballots_cast,
        paper: vote.casting_mode !== 'electronic', key: sumsKeyOf(key), answer } }, setProgress)
      if (!r.ok) {
        setRefused(refusalLines(r.failure, vote.subjects.map((s) => s.full_name)))
        return
      }
      setChecked(t(r.paper ? 'dec_checked_paper' : 'dec_checked', { n: r.ballots, proofs: r.proofs }))
      setStage('decrypt')
      setProgress(0)
      const sub = await run({ kind: 'partial', key: keyToWire(key), voteId: vote.id, sums }, setProgress)
      update(await unwrap(api.POST('/api/v1/votes/{id}/partial-decryptions', { params: { path: { id: vote.id } }, body: message(sub) })))
      forgetKey(id) // not needed again until the certification, which opens the file anew
      a.say(t('dec_done_mine'))
    } finally {
      setStage(null)
    }
  })
  return html`<section class="card" aria-labelledby="dec-h"><h2 id="dec-h">${t('dec_title')}</h2>
    <p>${t('dec_intro')}</p>
    <p class=${e.decrypted ? 'notice' : ''} role="status">${e.decrypted ? t('dec_decrypted', { n: e.partials.length }) : t('dec_progress', { n: e.partials.length, t: e.threshold })}</p>
    ${e.partials.length > 0 && html`<p>${t('dec_by', { names: names(e.partials).join(', ') })}</p>`}
    ${!e.decrypted && e.shares_available < e.threshold && html`<p class="warn-box card" role="alert">${t('dec_impossible', { left: e.shares_available, t: e.threshold })}</p>`}
    ${!e.decrypted && member && (paperFirst ? html`<p class="notice">${t('dec_paper_first')}</p>`
      : mineDone ? html`<p class="notice">${t('dec_mine_in')}</p>`
      : html`<${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('dec_open_key')} />
        ${key && html`<p>${t('dec_check_explain')}</p>
          <button type="button" class="primary big" disabled=${a.busy} onClick=${decrypt}>${t('dec_run')}</button>`}
        ${stage !== null && html`<${ProgressBar} id=${stage === 'check' ? 'dec-check-progress' : 'dec-progress'} label=${t(stage === 'check' ? 'dec_checking' : 'dec_running')} value=${progress} />`}`)}
    ${checked && html`<p class="notice" id="dec-checked">${checked}</p>`}
    ${refused && html`<div class="error" role="alert" id="dec-refused">${refused.map((l) => html`<p>${l}</p>`)}</div>`}
    <${Feedback} action=${a} /></section>`
}
