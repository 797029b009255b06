// The signed certification of an encrypted vote (docs/PROTOCOL.md §12.1): the member opens their
// key file and signs, with the ceremony's signing key, the tally hash on screen, the percentage base
// and the one audit anchor every member signs (vote.certification_anchor). And after publication,
// the destruction of the key files (§12.2): each member confirms, signed, that they deleted theirs.

import { api, type Tally, unwrap } from '../../api'
import { t } from '../../i18n'
import { ProtocolError, certificationToJSON, certify, destructionToJSON, fromHex, newDestruction } from '../../protocol'
import { ErrorBox, Feedback, fingerprint, html, protocolText, useAction, useLoad } from '../../ui'
import { useState } from 'preact/hooks'
import type { Part } from './index'
import { forgetKey, message, OpenKeyFile, useShareKey, userError } from './sharefile'

/** "HASH:COUNT" → its two parts; null when it is not an anchor. */
export function parseAnchor(a: string | undefined): { hash: string; count: number } | null {
  const m = /^([0-9a-f]{64}):(\d+)$/.exec(a ?? '')
  return m ? { hash: m[1], count: Number(m[2]) } : null
}

const baseKey = (b: string) => (b === 'ballots_received' ? 'sec_base_received' : 'sec_base_total')

export function SignCertification({ vote, me, update, tally }: Pick<Part, 'vote' | 'me' | 'update'> & { tally: Tally }) {
  const id = vote.ceremony_id ?? ''
  const key = useShareKey(id)
  const a = useAction()
  const anchor = parseAnchor(vote.certification_anchor)
  const th = tally.tally_hash ?? ''
  const sign = () => a.run(async () => {
    if (!key || !anchor || !th) return
    let cert
    try {
      cert = certify(key, vote.id, fromHex('tally_hash', th, 32), vote.percentage_base, fromHex('anchor', anchor.hash, 32), anchor.count)
    } catch (e) {
      throw e instanceof ProtocolError ? userError(t('sign_err_check', { what: protocolText(e) })) : e
    }
    // The API's schema does not list "statement" yet (internal/vote.CertifyInput has it).
    const body = { tally_hash: th, statement: certificationToJSON(cert) } as unknown as { tally_hash: string }
    update(await unwrap(api.POST('/api/v1/votes/{id}/certifications', { params: { path: { id: vote.id } }, body })))
    forgetKey(id) // the duty is done: the key goes
  }, { confirm: { title: t('board_certify_title'), body: t('sign_confirm', { fp: fingerprint(th) }), confirm: t('sign_do') }, done: t('board_certify_done') })
  return html`<div class="sign card">
    <p>${t('sign_intro')}</p>
    <dl class="sign-what">
      <div><dt>${t('sign_tally')}</dt><dd class="fp">${fingerprint(th)}</dd></div>
      <div><dt>${t('sign_base')}</dt><dd>${t(baseKey(vote.percentage_base))}</dd></div>
      <div><dt>${t('sign_anchor')}</dt><dd>${anchor ? html`<span class="fp">${fingerprint(anchor.hash)}</span> · ${t('sign_anchor_events', { n: anchor.count })}` : '—'}</dd></div>
    </dl>
    ${!anchor && html`<p class="warn">${t('sign_no_anchor')}</p>`}
    <${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('sign_open_key')} />
    ${key && html`<button type="button" class="primary big" disabled=${a.busy || !anchor || !th} onClick=${sign}>${t('sign_do')}</button>`}
    <${Feedback} action=${a} /></div>`
}

/** After publication (or a cancellation): each member confirms the destruction of their key file. */
export function Destruction({ vote, me }: Pick<Part, 'vote' | 'me'>) {
  const id = vote.ceremony_id ?? ''
  const cer = useLoad(id ? () => unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })) : null, [id])
  const key = useShareKey(id)
  const a = useAction()
  const [deleted, setDeleted] = useState(false)
  const c = cer.data
  if (!id) return null
  const mine = c?.members.find((m) => m.user_id === me.id)
  const confirmed = (m: NonNullable<typeof c>['members'][number]) => m.destruction !== undefined && m.destruction !== null
  const send = () => a.run(async () => {
    if (!key) return
    cer.setData(await unwrap(api.POST('/api/v1/ceremonies/{id}/destructions', { params: { path: { id } }, body: message(destructionToJSON(newDestruction(key))) })))
    forgetKey(id)
  }, { done: t('destroy_done') })
  return html`<section class="card" aria-labelledby="destroy-h"><h2 id="destroy-h">${t('destroy_title')}</h2>
    <p>${t('destroy_intro')}</p>
    <${ErrorBox} error=${cer.error} retry=${cer.reload} />
    ${c && html`<ul class="certs">${c.members.map((m) => html`<li><span>${m.full_name}</span>
      ${confirmed(m) ? html`<span class="badge ok">${t('destroy_confirmed')}</span>` : m.lost ? html`<span class="badge">${t('cer_lost_badge')}</span>` : html`<span class="badge">${t('destroy_pending')}</span>`}</li>`)}</ul>`}
    ${mine && !confirmed(mine) && !mine.lost && html`
      <ol class="destroy-steps"><li>${t('destroy_step_open')}</li><li>${t('destroy_step_delete')}</li><li>${t('destroy_step_confirm')}</li></ol>
      <${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('destroy_open_key')} />
      ${key && html`<label class="check big-check"><input type="checkbox" checked=${deleted} onChange=${(e: Event) => setDeleted((e.currentTarget as HTMLInputElement).checked)} /> ${t('destroy_tick')}</label>
        <button type="button" class="primary" disabled=${a.busy || !deleted} onClick=${send}>${t('destroy_send')}</button>`}`}
    <${Feedback} action=${a} /></section>`
}
