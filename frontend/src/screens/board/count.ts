// After the close: the tally (the same table everywhere), its fingerprint, each member's
// certification, an absent member recorded by another, the minutes, and — while closed — the
// board's confirmations of a cancellation (a majority cancels).

import { useState } from 'preact/hooks'
import { api, saveBlob, unwrap } from '../../api'
import { t } from '../../i18n'
import { boardRoleLabel, ErrorBox, Feedback, Field, Fingerprint, html, Loaded, ResultsTable, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'
import { SignCertification } from './sign'

export function Count({ vote, me, can, update }: Part) {
  // An encrypted vote has no tally before the board decrypts it (decrypt.ts).
  const sealed = vote.ballot_mode === 'encrypted' && !vote.encryption?.decrypted
  const tally = useLoad(sealed ? null : () => unwrap(api.GET('/api/v1/votes/{id}/tally', { params: { path: { id: vote.id } } })), [vote.status, sealed])
  const a = useAction()
  const mine = vote.board.find((m) => m.user_id === me.id)
  const certify = (hash: string) => a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/certifications', { params: { path: { id: vote.id } }, body: { tally_hash: hash } }))),
    { confirm: { title: t('board_certify_title'), body: t('board_certify_confirm'), confirm: t('board_certify') }, done: t('board_certify_done') })
  const absent = (userId: string, name: string) => a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/absences', { params: { path: { id: vote.id } }, body: { user_id: userId } }))),
    { confirm: { title: t('board_absent_title'), body: t('board_absent_confirm', { name }), confirm: t('board_absent') }, done: t('board_absent_done', { name }) })
  const docs: ['minutes.pdf' | 'minutes.docx', string][] = [['minutes.pdf', t('sec_minutes_pdf')], ['minutes.docx', t('sec_minutes_docx')]]
  const download = (name: 'minutes.pdf' | 'minutes.docx') => a.run(async () => {
    const path = name === 'minutes.pdf' ? '/api/v1/votes/{id}/documents/minutes.pdf' as const : '/api/v1/votes/{id}/documents/minutes.docx' as const
    saveBlob(await unwrap(api.GET(path, { params: { path: { id: vote.id } }, parseAs: 'blob' })), 'bien-ban-kiem-phieu.' + name.split('.')[1])
  })
  return html`<section class="card" aria-labelledby="count-h"><h2 id="count-h">${t('board_tally')}</h2>
    ${vote.status === 'closed' && can('signed_issuance') && html`<${SignedIssuance} vote=${vote} update=${update} />`}
    ${sealed ? html`<p class="notice">${t('dec_tally_after')}</p>` : html`<${Loaded} state=${tally}>${(r: NonNullable<typeof tally.data>) => html`<${ResultsTable} tally=${r} />
      <${Fingerprint} hash=${r.tally_hash} />
      ${vote.status === 'closed' && mine && !mine.certified && !mine.absent && can('certify') && (vote.ballot_mode === 'encrypted'
        ? html`<${SignCertification} vote=${vote} me=${me} update=${update} tally=${r} />` : html`<p>${t('board_certify_hint')}</p>
        <button type="button" class="primary big" disabled=${a.busy} onClick=${() => certify(r.tally_hash ?? '')}>${t('board_certify')}</button>`)}`}<//>`}
    <${Feedback} action=${a} />
    <h3>${t('board_members')}</h3>
    <ul class="certs">${vote.board.map((m) => html`<li><span>${m.full_name} <small>(${boardRoleLabel(m.board_role)})</small></span>
      ${m.certified ? html`<span class="badge ok">${t('board_certified_by')}</span>` : m.absent ? html`<span class="badge">${t('board_absent_badge')}</span>`
        : html`<span class="badge">${t('board_not_certified')}</span>`}
      ${vote.status === 'closed' && can('mark_absent') && !m.certified && !m.absent && m.user_id !== me.id
        && html`<button type="button" class="link" disabled=${a.busy} onClick=${() => absent(m.user_id, m.full_name)}>${t('board_absent_mark', { name: m.full_name })}</button>`}</li>`)}</ul>
    <h3>${t('board_minutes')}</h3>
    <ul class="docs">${docs.map(([p, label]) => html`<li><button type="button" class="link" disabled=${a.busy} onClick=${() => download(p)}>${label}</button></li>`)}</ul>
    ${vote.status === 'closed' && can('cancel') && html`<${CancelClosed} vote=${vote} me=${me} update=${update} />`}
  </section>`
}

/** After the close a cancellation needs the board: each member confirms in their own session. */
function CancelClosed({ vote, me, update }: Pick<Part, 'vote' | 'me' | 'update'>) {
  const a = useAction()
  const [reason, setReason] = useState('')
  const confirmed = vote.cancel_confirmations.some((c) => c.user_id === me.id)
  const submit = (e: Event) => {
    e.preventDefault()
    void a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/cancel', { params: { path: { id: vote.id } }, body: { reason } }))),
      { confirm: { title: t('cancel_vote_title'), body: t('cancel_closed_confirm'), confirm: t('cancel_closed_yes'), danger: true }, done: t('cancel_closed_done') })
  }
  return html`<details class="card danger-zone"><summary>${t('cancel_closed_heading')}</summary>
    <p>${t('cancel_closed_intro', { n: vote.cancel_confirmations.length, of: vote.board.length })}</p>
    ${vote.cancel_confirmations.length > 0 && html`<ul>${vote.cancel_confirmations.map((c) => html`<li>${c.full_name}: ${c.reason}</li>`)}</ul>`}
    ${confirmed ? html`<p class="notice">${t('cancel_closed_mine')}</p>` : html`<form class="row" onSubmit=${submit}>
      <${Field} id="cc-reason" label=${t('sec_cancel_reason')}><input id="cc-reason" required maxlength="500" value=${reason} onInput=${(e: Event) => setReason(valueOf(e))} /><//>
      <button type="submit" class="danger" disabled=${a.busy}>${t('cancel_closed_yes')}</button></form>`}
    <${ErrorBox} error=${a.error} /></details>`
}

/** The count of signatures on the signed list of delegates receiving a ballot, entered by a member
 * and compared by the server with the ballots issued before a member certifies. */
function SignedIssuance({ vote, update }: Pick<Part, 'vote' | 'update'>) {
  const a = useAction()
  const [count, setCount] = useState(vote.signed_issuance != null ? String(vote.signed_issuance) : '')
  const save = (e: Event) => {
    e.preventDefault()
    void a.run(async () => update(await unwrap(api.PUT('/api/v1/votes/{id}/signed-issuance', { params: { path: { id: vote.id } }, body: { count: Number(count) } }))))
  }
  const issued = vote.turnout.ballots_issued
  return html`<form class="card row signed" onSubmit=${save} aria-label=${t('signed_title')}>
    <p class="wide">${t('signed_intro', { issued })}</p>
    <${Field} id="signed" label=${t('signed_label')}><input id="signed" type="number" min="0" required value=${count} onInput=${(e: Event) => setCount(valueOf(e))} /><//>
    <button type="submit" disabled=${a.busy}>${t('save')}</button>
    ${vote.signed_issuance != null && html`<p class=${vote.signed_issuance === issued ? 'notice' : 'warn-box card'}>${vote.signed_issuance === issued
      ? t('signed_match', { n: vote.signed_issuance }) : t('signed_differs', { signed: vote.signed_issuance, issued })}</p>`}
    <${Feedback} action=${a} /></form>`
}
